// <TextArea>: an input and the list of entries added from it, as Label Studio's (tags/control/TextArea,
// regions/TextAreaRegion). Result: {type: "textarea", value: {text: [entry, ...]}}, one string per entry.
//
// Keys, as Label Studio's: with rows="1" (the default) the input is one line and Enter adds its text as an
// entry; with more rows Enter makes a new line and Shift+Enter adds. That key on an empty input gives the
// keyboard back to the widget (so hotkeys work again), as do Escape and adding the last entry
// maxSubmissions allows (the input goes). Ctrl/Cmd+Enter submits the task, and what is still in the input
// becomes the last entry then (Label Studio's beforeSend); an entry being edited is saved first. The "Add"
// button shows with showSubmitButton (default: when rows is not 1). Every entry can be deleted; with
// editable="true" it can be edited in place (the same keys save, Escape cancels, leaving the field saves),
// with transcription="true" as well it is always open for editing; a text emptied deletes its entry.
// skipDuplicates refuses an entry equal to another, ignoring case, and maxSubmissions how many there may
// be; both say why by the control. A `value` fills the input of a fresh task. What is typed but not added
// lives in editor.pending (state/pendingText.ts), not in the document: undo does not touch it, a draft
// keeps it.

import { useEffect, useRef, useState } from "preact/hooks";
import { useControlItem, useLabel } from "../context";
import { entriesFull, entryRefusal, textareaRows } from "../schema/textarea";
import { pendingKey, type PendingTexts } from "../state/pendingText";
import { readEntries, textareaValue, type ControlRef } from "../state/results";
import { TextAreaRules } from "../state/rules";
import type { ControlDef, ControlProps } from "./types";

type Field = HTMLInputElement | HTMLTextAreaElement;

/** The text typed in this control's input, re-rendering the caller when it changes. */
function usePendingText(pending: PendingTexts, control: ControlRef): string {
  const [, setTick] = useState(0);
  const key = pendingKey(control);
  useEffect(() => pending.subscribe((changed) => (changed === null || changed === key) && setTick((n) => n + 1)), [pending, key]);
  return pending.get(control);
}

/** The key that adds (or saves) a text: Enter on one line, Shift+Enter on several. */
function isAddKey(e: KeyboardEvent, multiline: boolean): boolean {
  if (e.key !== "Enter" || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return false;
  return multiline ? e.shiftKey : true;
}

interface EntryProps {
  text: string;
  index: number;
  rows: number;
  editable: boolean;
  /** transcription: always open for editing */
  open: boolean;
  save(index: number, text: string): boolean;
  remove(index: number): void;
  focusRoot(): void;
}

function Entry({ text, index, rows, editable, open, save, remove, focusRoot }: EntryProps) {
  const [draft, setDraft] = useState<string | null>(open ? text : null);
  const field = useRef<Field>(null);
  // a key saved or cancelled: the blur that follows must not save again
  const closing = useRef(false);
  const multiline = rows > 1;

  useEffect(() => {
    if (open) setDraft(text); // an outside change (undo) of an open entry
  }, [text, open]);
  const editing = draft !== null;
  useEffect(() => {
    const el = field.current;
    if (editing && !open && el) {
      el.focus();
      el.setSelectionRange(el.value.length, el.value.length);
    }
  }, [editing, open]);

  const finish = (value: string) => {
    if (!open) setDraft(null);
    if (value !== text && !save(index, value)) setDraft(open ? text : null);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && !e.altKey) {
      // the task is submitted (the widget's root hears this key next): with the entry as it is now
      closing.current = true;
      finish(draft ?? text);
    } else if (isAddKey(e, multiline)) {
      e.preventDefault();
      closing.current = true;
      finish(draft ?? text);
      focusRoot();
    } else if (e.key === "Escape") {
      closing.current = true; // the widget's root takes the keyboard back
      setDraft(open ? text : null);
    }
  };
  const onBlur = () => {
    if (closing.current) closing.current = false;
    else if (draft !== null) finish(draft);
  };
  const Tag = multiline ? "textarea" : "input";
  return (
    <li class="lnb-ta-entry" data-entry={index}>
      {editing ? (
        <Tag
          ref={field as never}
          class="lnb-textarea lnb-ta-edit"
          {...(multiline ? { rows } : { type: "text" })}
          value={draft}
          aria-label={`Entry ${index + 1}`}
          onInput={(e: Event) => setDraft((e.currentTarget as Field).value)}
          onKeyDown={onKeyDown}
          onBlur={onBlur}
          onFocus={() => {
            closing.current = false;
          }}
        />
      ) : (
        <span class="lnb-ta-text">{text}</span>
      )}
      <span class="lnb-ta-actions">
        {editable && !open && !editing && (
          <button type="button" class="lnb-icon-btn" data-action="edit-entry" title="Edit" aria-label={`Edit entry ${index + 1}`} onClick={() => setDraft(text)}>
            ✎
          </button>
        )}
        <button
          type="button"
          class="lnb-icon-btn"
          data-action="delete-entry"
          title="Delete"
          aria-label={`Delete entry ${index + 1}`}
          onMouseDown={() => {
            closing.current = true; // deleting: what the field held goes with it
          }}
          onClick={() => remove(index)}
        >
          ✕
        </button>
      </span>
    </li>
  );
}

function TextAreaControl({ control, spec }: ControlProps) {
  const { annotation, editor, focusRoot } = useLabel();
  const entries = readEntries(useControlItem(control));
  const text = usePendingText(editor.pending, control);
  const [notice, setNotice] = useState<string | null>(null);
  const input = useRef<Field>(null);

  const rows = textareaRows(spec);
  const multiline = rows > 1;
  const full = entriesFull(spec, entries);
  const canAdd = spec.allow_submit !== false;
  const editable = spec.editable === true;
  // the entries as they are now: a key may come before this render saw the last change
  const current = () => readEntries(annotation.find(control.name, control.type, control.region));

  /** Add the input's text as an entry; true when it was added. */
  const add = (): boolean => {
    const list = current();
    const typed = editor.pending.get(control);
    const refused = entryRefusal(spec, list, typed);
    if (refused !== null) {
      setNotice(refused);
      return false;
    }
    setNotice(null);
    annotation.set(control, textareaValue([...list, typed]));
    editor.pending.set(control, "");
    if (entriesFull(spec, [...list, typed])) focusRoot(); // the input goes: the keyboard must not drop to the page
    return true;
  };
  const save = (index: number, value: string): boolean => {
    const list = current();
    if (index >= list.length) return false;
    if (!value.trim()) {
      remove(index); // an entry emptied is an entry deleted
      return true;
    }
    const refused = entryRefusal(spec, list, value, index);
    if (refused !== null) {
      setNotice(refused);
      return false;
    }
    setNotice(null);
    annotation.set(control, textareaValue(list.map((entry, i) => (i === index ? value : entry))));
    return true;
  };
  const remove = (index: number) => {
    setNotice(null);
    annotation.set(control, textareaValue(current().filter((_, i) => i !== index)));
    focusRoot(); // the button goes with the entry
  };

  const keys = multiline ? "Shift+Enter: add · Enter: new line" : "Enter: add";
  const Tag = multiline ? "textarea" : "input";
  return (
    <div class="lnb-ta" data-rows={rows}>
      {!full && (
        <div class="lnb-ta-compose">
          <Tag
            ref={input as never}
            class="lnb-textarea"
            {...(multiline ? { rows } : { type: "text" })}
            data-entry-input=""
            value={text}
            placeholder={spec.placeholder ?? ""}
            aria-label={spec.label || control.name}
            title={`${keys} · Escape: done · Ctrl+Enter: submit the task`}
            onInput={(e: Event) => {
              setNotice(null);
              editor.pending.set(control, (e.currentTarget as Field).value);
            }}
            onKeyDown={(e: KeyboardEvent) => {
              if (!isAddKey(e, multiline)) return;
              e.preventDefault();
              if (canAdd && editor.pending.get(control).trim()) add();
              else focusRoot();
            }}
          />
          {spec.show_submit_button && canAdd && (
            <button
              type="button"
              class="lnb-btn lnb-small"
              data-action="add-entry"
              disabled={!text.trim()}
              onClick={() => {
                if (add() && !entriesFull(spec, current())) input.current?.focus();
              }}
            >
              Add
            </button>
          )}
        </div>
      )}
      {notice && (
        <div class="lnb-notice" role="status" data-notice={control.name}>
          {notice}
        </div>
      )}
      {entries.length > 0 && (
        <ol class="lnb-ta-entries" aria-label={`Entries of ${control.name}`}>
          {entries.map((entry, i) => (
            <Entry
              key={i}
              text={entry}
              index={i}
              rows={rows}
              editable={editable}
              open={editable && spec.transcription === true}
              save={save}
              remove={remove}
              focusRoot={focusRoot}
            />
          ))}
        </ol>
      )}
    </div>
  );
}

export const TextArea: ControlDef = {
  ...TextAreaRules,
  Component: TextAreaControl,
};
