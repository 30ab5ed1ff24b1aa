// <Chat>: the conversation of the task data and the messages the annotator adds, each a `chatmessage`
// result (from_name and to_name the Chat's name, value {chatmessage: {role, content, createdAt}}) kept in
// the document as a region of kind "chat", so adding, editing and deleting one are undoable commands.
// minMessages and maxMessages count them all, data and added (Label Studio's Chat tag).

import { lookupData } from "../config";
import type { ControlModel, ObjectSpec } from "../schema/model";
import type { AnnotationDoc, Region } from "./document";

export interface ChatMessage {
  role: string;
  content: string;
}

/** The messages of the task data (a list of {role, content}); anything else is left out. */
export function dataMessages(value: unknown): ChatMessage[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((m): m is Record<string, unknown> => m !== null && typeof m === "object" && !Array.isArray(m))
    .map((m) => ({ role: typeof m.role === "string" ? m.role : "user", content: typeof m.content === "string" ? m.content : String(m.content ?? "") }));
}

/** A message region's role and text. */
export function messageOf(region: Region): ChatMessage {
  const m = region.geometry.chatmessage as Record<string, unknown> | undefined;
  return { role: typeof m?.role === "string" ? m.role : "user", content: typeof m?.content === "string" ? m.content : "" };
}

/** The messages the annotator added to chat `name`, in the order they were written. */
export function addedMessages(doc: AnnotationDoc, name: string): Region[] {
  return Object.values(doc.regions)
    .filter((r) => r.kind === "chat" && r.object === name)
    .sort((a, b) => a.seq - b.seq);
}

/** How many messages chat `spec` holds now. */
export function messageCount(spec: ObjectSpec, doc: AnnotationDoc, data: Record<string, unknown>): number {
  const key = spec.value_key;
  return dataMessages(key ? lookupData(data, key) : undefined).length + addedMessages(doc, spec.name).length;
}

/** Submit's refusals for the chats: fewer messages than minMessages, more than maxMessages. */
export function chatProblems(model: ControlModel, doc: AnnotationDoc, data: Record<string, unknown>): { control: string; message: string }[] {
  const out: { control: string; message: string }[] = [];
  for (const spec of model.objects) {
    if (spec.tag !== "Chat") continue;
    const n = messageCount(spec, doc, data);
    const min = spec.min_messages ?? null;
    const max = spec.max_messages ?? null;
    if (min !== null && n < min) out.push({ control: spec.name, message: `The chat "${spec.name}" needs at least ${min} messages (it has ${n}).` });
    if (max !== null && n > max) out.push({ control: spec.name, message: `The chat "${spec.name}" allows at most ${max} messages (it has ${n}).` });
  }
  return out;
}
