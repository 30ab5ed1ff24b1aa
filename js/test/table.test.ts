// <Table>: Label Studio's valueType rules, the CSV reader, and what the table shows.
import { describe, expect, it } from "vitest";
import { parseCsv, tableData, tableType } from "../src/objects/Table";

describe("Table", () => {
  it("reads valueType and its options", () => {
    expect(tableType(undefined)).toEqual({ type: "json", url: false, separator: ",", headless: false });
    expect(tableType("csv|separator=;|headless|url")).toEqual({ type: "csv", url: true, separator: ";", headless: true });
  });

  it("shows an object's keys sorted case-insensitively, nested values as JSON", () => {
    expect(tableData({ b: 1, A: "x", c: { d: [1, 2] }, e: null }, tableType("json"))).toEqual({
      columns: ["Name", "Value"],
      rows: [["A", "x"], ["b", "1"], ["c", '{"d":[1,2]}'], ["e", ""]],
    });
    expect(tableData('{"k": true}', tableType("json"))).toEqual({ columns: ["Name", "Value"], rows: [["k", "true"]] });
    expect(tableData("not json", tableType("json"))).toEqual({ error: "the value is not JSON" });
    expect(tableData(5, tableType("json"))).toEqual({ error: "the value is not an object" });
  });

  it("shows a list of records as columns", () => {
    expect(tableData([{ a: 1, b: "x" }, { a: 2, b: "y" }], tableType("json"))).toEqual({ columns: ["a", "b"], rows: [["1", "x"], ["2", "y"]] });
  });

  it("reads CSV with quotes, CRLF, a separator and no header", () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\n3,4\n')).toEqual([["a", "b"], ["x, y", 'say "hi"'], ["3", "4"]]);
    expect(tableData("a;b\n1;2", tableType("csv|separator=;"))).toEqual({ columns: ["a", "b"], rows: [["1", "2"]] });
    expect(tableData("1,2\n3,4", tableType("csv|headless"))).toEqual({ columns: ["0", "1"], rows: [["1", "2"], ["3", "4"]] });
  });
});
