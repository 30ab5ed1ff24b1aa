// <Chat>: the data's messages, the annotator's as chatmessage results (a region each), the limits.
import { describe, expect, it } from "vitest";
import type { ControlModel, ObjectSpec } from "../src/schema/model";
import { addedMessages, chatProblems, dataMessages, messageCount } from "../src/state/chat";
import { decode, encode } from "../src/state/codecs";

const message = (id: string, role: string, content: string) => ({
  id,
  from_name: "chat",
  to_name: "chat",
  type: "chatmessage",
  value: { chatmessage: { role, content, createdAt: 1733100000000 } },
});
const spec = (extra: Partial<ObjectSpec> = {}) => ({ name: "chat", tag: "Chat", value: "$dialog", value_key: "dialog", ...extra }) as ObjectSpec;

describe("Chat", () => {
  it("reads the data's messages, leaving out what is not one", () => {
    expect(dataMessages([{ role: "user", content: "Hi" }, "x", null, { content: 3 }])).toEqual([
      { role: "user", content: "Hi" },
      { role: "user", content: "3" },
    ]);
    expect(dataMessages("not a list")).toEqual([]);
  });

  it("keeps added messages as regions, in order, and writes them back unchanged", () => {
    const items = [message("m2", "assistant", "Sure"), message("m1", "user", "Hello")];
    const doc = decode(items);
    expect(addedMessages(doc, "chat").map((r) => r.id)).toEqual(["m2", "m1"]);
    expect(encode(doc)).toEqual(items);
  });

  it("counts data and added messages against minMessages and maxMessages", () => {
    const doc = decode([message("m1", "user", "Hello")]);
    const data = { dialog: [{ role: "user", content: "Hi" }] };
    const model = (s: ObjectSpec) => ({ objects: [s], controls: [] }) as unknown as ControlModel;
    expect(messageCount(spec(), doc, data)).toBe(2);
    expect(chatProblems(model(spec({ min_messages: 3 })), doc, data)).toEqual([{ control: "chat", message: 'The chat "chat" needs at least 3 messages (it has 2).' }]);
    expect(chatProblems(model(spec({ max_messages: 1 })), doc, data)[0]?.message).toContain("at most 1");
    expect(chatProblems(model(spec({ min_messages: 2, max_messages: 2 })), doc, data)).toEqual([]);
  });
});
