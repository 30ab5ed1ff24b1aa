// <Chat name value="$dialog" messageroles editable minMessages maxMessages>: a conversation, and a box to
// add messages to it as one of the roles the config allows. Each added message is a `chatmessage` result
// (state/chat.ts); the annotator's own messages can be edited (for the `editable` roles) and deleted, all
// undoable. The widget never calls a model: `llm` is ignored here. Every message is text, never markup.

import { useState } from "preact/hooks";
import { attr, resolveValue } from "../config";
import { useLabel } from "../context";
import { useDoc } from "./image/hooks";
import type { ViewNode } from "../protocol";
import { objectSpec } from "../schema/model";
import { addedMessages, dataMessages, messageOf, type ChatMessage } from "../state/chat";
import { addRegion, deleteRegion, updateRegion } from "../state/commands";
import { newResultId } from "../state/results";

function Bubble({ message, own, children }: { message: ChatMessage; own: boolean; children?: preact.ComponentChildren }) {
  return (
    <li class={`lnb-chat-msg lnb-role-${/^[a-z]+$/.test(message.role) ? message.role : "other"}${own ? " lnb-own" : ""}`} data-role={message.role}>
      <div class="lnb-chat-role">{message.role}</div>
      <div class="lnb-chat-text">{message.content}</div>
      {children}
    </li>
  );
}

export function Chat({ node }: { node: ViewNode }) {
  const { data, editor, invalid } = useLabel();
  const name = attr(node, "name") ?? "";
  const spec = objectSpec(editor.model, name);
  const history = dataMessages(resolveValue(attr(node, "value"), data));
  const added = useDoc(editor.annotation, (doc) => addedMessages(doc, name), (a, b) => a.length === b.length && a.every((r, i) => r === b[i]));
  const roles = spec?.message_roles?.length ? spec.message_roles : ["user", "assistant"];
  const editable = new Set(spec?.editable_roles ?? []);
  const [role, setRole] = useState(roles[0] ?? "user");
  const [draft, setDraft] = useState("");
  const [editing, setEditing] = useState<{ id: string; text: string } | null>(null);
  const max = spec?.max_messages ?? null;
  const total = history.length + added.length;
  const full = max !== null && total >= max;
  const problem = invalid.get(name);

  const run = (label: string, build: () => ReturnType<typeof addRegion> | null) => {
    const ann = editor.annotation;
    const cmd = build();
    if (!cmd) return;
    ann.begin(label);
    ann.run(cmd);
    ann.end();
  };
  const send = () => {
    const content = draft.trim();
    if (!content || full) return;
    run("chat", () =>
      addRegion(editor.annotation.doc, {
        id: newResultId(),
        object: name,
        control: name,
        type: "chatmessage",
        kind: "chat",
        geometry: { chatmessage: { role, content, createdAt: Date.now() } },
        origin: "manual",
      }),
    );
    setDraft("");
  };
  const saveEdit = () => {
    if (!editing) return;
    const region = editor.annotation.doc.regions[editing.id];
    if (region && editing.text.trim()) {
      const message = { ...(region.geometry.chatmessage as Record<string, unknown>), content: editing.text.trim() };
      run("chat-edit", () => updateRegion(editor.annotation.doc, editing.id, { geometry: { ...region.geometry, chatmessage: message } }));
    }
    setEditing(null);
  };
  // the box's own keys: Enter sends (Shift+Enter: a new line); nothing reaches the widget's hotkeys
  const keys = (e: KeyboardEvent, onEnter: () => void) => {
    e.stopPropagation();
    if (e.key === "Enter" && !e.shiftKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      onEnter();
    }
  };

  return (
    <div class={`lnb-chat${problem ? " lnb-invalid" : ""}`} data-chat={name}>
      <ol class="lnb-chat-log" aria-label={`Chat ${name}`}>
        {history.map((m, i) => (
          <Bubble key={`d${i}`} message={m} own={false} />
        ))}
        {added.map((r) => {
          const m = messageOf(r);
          const isEditing = editing?.id === r.id;
          return (
            <Bubble key={r.id} message={m} own>
              {isEditing ? (
                <div class="lnb-chat-edit">
                  <textarea
                    class="lnb-input"
                    aria-label="Edit the message"
                    value={editing.text}
                    onInput={(e) => setEditing({ id: r.id, text: (e.currentTarget as HTMLTextAreaElement).value })}
                    onKeyDown={(e) => keys(e, saveEdit)}
                  />
                  <button type="button" class="lnb-btn lnb-small" data-action="save-message" onClick={saveEdit}>
                    Save
                  </button>
                </div>
              ) : (
                <span class="lnb-chat-actions" data-message={r.id}>
                  {editable.has(m.role) && (
                    <button type="button" class="lnb-icon-btn" data-action="edit-message" title="Edit" onClick={() => setEditing({ id: r.id, text: m.content })}>
                      ✎
                    </button>
                  )}
                  <button type="button" class="lnb-icon-btn" data-action="delete-message" title="Delete" onClick={() => run("chat-delete", () => deleteRegion(editor.annotation.doc, r.id))}>
                    ✕
                  </button>
                </span>
              )}
            </Bubble>
          );
        })}
      </ol>
      <div class="lnb-chat-compose">
        {roles.length > 1 ? (
          <select class="lnb-select lnb-small" aria-label="Write as" data-chat-role="" value={role} onChange={(e) => setRole((e.currentTarget as HTMLSelectElement).value)}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        ) : (
          <span class="lnb-chat-role">{role}</span>
        )}
        <textarea
          class="lnb-input lnb-chat-input"
          rows={2}
          placeholder={full ? `This chat holds at most ${max} messages` : "Write a message… (Enter sends, Shift+Enter: new line)"}
          aria-label="New message"
          disabled={full}
          value={draft}
          onInput={(e) => setDraft((e.currentTarget as HTMLTextAreaElement).value)}
          onKeyDown={(e) => keys(e, send)}
        />
        <button type="button" class="lnb-btn" data-action="send-message" disabled={full || !draft.trim()} onClick={send}>
          Send
        </button>
      </div>
      {problem && <div class="lnb-problem">{problem}</div>}
    </div>
  );
}
