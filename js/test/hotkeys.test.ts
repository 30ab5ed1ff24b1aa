import { describe, expect, it } from "vitest";
import { hotkeyLabel, isSubmitKey, matchesAny, matchesHotkey, parseCombo, parseHotkey } from "../src/hotkeys";

const key = (k: string, extra: Record<string, unknown> = {}) => ({ key: k, ...extra });

describe("parseHotkey", () => {
  it("parses plain keys", () => {
    expect(parseHotkey("1")).toEqual([{ key: "1", ctrl: false, alt: false, shift: false, meta: false }]);
    expect(parseHotkey("C")).toEqual([{ key: "c", ctrl: false, alt: false, shift: false, meta: false }]);
  });

  it("parses modifiers in any case and order", () => {
    expect(parseHotkey("ctrl+1")).toEqual([{ key: "1", ctrl: true, alt: false, shift: false, meta: false }]);
    expect(parseHotkey("Shift+A")).toEqual([{ key: "a", ctrl: false, alt: false, shift: true, meta: false }]);
    expect(parseCombo("shift+ctrl+alt+x")).toEqual({ key: "x", ctrl: true, alt: true, shift: true, meta: false });
    expect(parseCombo("cmd+k")).toEqual({ key: "k", ctrl: false, alt: false, shift: false, meta: true });
  });

  it("knows named keys and aliases", () => {
    expect(parseCombo("space")?.key).toBe(" ");
    expect(parseCombo("up")?.key).toBe("arrowup");
    expect(parseCombo("ctrl+enter")).toMatchObject({ key: "enter", ctrl: true });
    expect(parseCombo("ctrl++")).toMatchObject({ key: "+", ctrl: true });
  });

  it("splits comma-separated alternatives and ignores junk", () => {
    expect(parseHotkey("1, ctrl+2").map((h) => h.key)).toEqual(["1", "2"]);
    expect(parseHotkey("")).toEqual([]);
    expect(parseHotkey(undefined)).toEqual([]);
    expect(parseHotkey("a+b")).toEqual([]);
    expect(parseHotkey(",")[0]?.key).toBe(",");
  });
});

describe("matchesHotkey", () => {
  const one = parseCombo("1")!;
  const c = parseCombo("c")!;
  it("matches the key without modifiers", () => {
    expect(matchesHotkey(key("1"), one)).toBe(true);
    expect(matchesHotkey(key("c"), c)).toBe(true);
    expect(matchesHotkey(key("2"), one)).toBe(false);
  });

  it("requires exactly the modifiers written", () => {
    expect(matchesHotkey(key("1", { ctrlKey: true }), one)).toBe(false);
    expect(matchesHotkey(key("C", { shiftKey: true }), c)).toBe(false);
    expect(matchesHotkey(key("1", { ctrlKey: true }), parseCombo("ctrl+1")!)).toBe(true);
    expect(matchesHotkey(key("1"), parseCombo("ctrl+1")!)).toBe(false);
    expect(matchesHotkey(key("A", { shiftKey: true }), parseCombo("shift+a")!)).toBe(true);
  });

  it("falls back to the physical key when shift or the layout changes the character", () => {
    expect(matchesHotkey(key("!", { shiftKey: true, code: "Digit1" }), parseCombo("shift+1")!)).toBe(true);
    expect(matchesHotkey(key("с", { code: "KeyC" }), c)).toBe(true); // Cyrillic layout
    expect(matchesHotkey(key("1", { code: "Numpad1" }), one)).toBe(true);
    // a Latin letter is taken as typed, not by its position
    expect(matchesHotkey(key("a", { code: "KeyQ" }), parseCombo("q")!)).toBe(false);
  });

  it("does not insist on shift for symbols", () => {
    expect(matchesHotkey(key("?", { shiftKey: true, code: "Slash" }), parseCombo("?")!)).toBe(true);
  });

  it("matchesAny tries every alternative", () => {
    expect(matchesAny(key("2", { ctrlKey: true }), parseHotkey("1, ctrl+2"))).toBe(true);
    expect(matchesAny(key("3"), parseHotkey("1, ctrl+2"))).toBe(false);
  });
});

describe("submit key and labels", () => {
  it("is Ctrl+Enter or Cmd+Enter", () => {
    expect(isSubmitKey(key("Enter", { ctrlKey: true }))).toBe(true);
    expect(isSubmitKey(key("Enter", { metaKey: true }))).toBe(true);
    expect(isSubmitKey(key("Enter"))).toBe(false);
    expect(isSubmitKey(key("Enter", { shiftKey: true }))).toBe(false);
  });

  it("labels hotkeys for badges", () => {
    expect(hotkeyLabel("1")).toBe("1");
    expect(hotkeyLabel("c")).toBe("C");
    expect(hotkeyLabel("ctrl+shift+x")).toBe("Ctrl+Shift+X");
    expect(hotkeyLabel("space")).toBe("Space");
    expect(hotkeyLabel("")).toBe("");
  });
});
