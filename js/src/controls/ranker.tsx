// <Ranker name toName="<List>">, optionally with <Bucket name title default> children: the List's items as
// a board of columns (schema/ranker.ts has Label Studio's rules). An item is dragged with the mouse (or pen,
// or finger: pointer events) to another place in its column or into another column; a line shows where it
// will land, and only the drop becomes a command (one undo step). Without a mouse, each item has buttons:
// ↑ and ↓ move it within its column, ← and → into the column beside it (at its end).
// Result: {type: "ranker", from_name: the Ranker, to_name: the List, value: {ranker: {column: [ids]}}}.

import { useEffect, useRef, useState } from "preact/hooks";
import { useControlItem, useLabel } from "../context";
import { ListColumn, ListItemContent } from "../objects/List";
import { moveItem, rankedList, rankerBoard, rankerColumns, rankerItems, sameBoard, type RankerIds } from "../schema/ranker";
import { rankerValue, readRanker } from "../state/results";
import { RankerRules } from "../state/rules";
import type { ControlDef, ControlProps } from "./types";

/** Where a dragged item would land: column `column`, before item `before` (null: at the end). */
interface Target {
  column: string;
  before: string | null;
}

interface Drag {
  id: string;
  pointer: number;
  x0: number;
  y0: number;
  dx: number;
  dy: number;
  /** moved far enough to be a drag, not a click */
  active: boolean;
  target: Target | null;
}

/** Pixels the pointer must travel before a press becomes a drag. */
const DRAG_START = 4;

type Move = "up" | "down" | "left" | "right";

/** Where the pointer at (x, y) would drop `id` on the board under `root`. */
function targetAt(root: HTMLElement, id: string, x: number, y: number): Target | null {
  for (const column of Array.from(root.querySelectorAll<HTMLElement>("[data-column]"))) {
    const box = column.getBoundingClientRect();
    if (x < box.left || x > box.right || y < box.top || y > box.bottom) continue;
    const name = column.dataset.column ?? "";
    for (const el of Array.from(column.querySelectorAll<HTMLElement>("[data-item]"))) {
      if (el.dataset.item === id) continue;
      const r = el.getBoundingClientRect();
      if (y < r.top + r.height / 2) return { column: name, before: el.dataset.item ?? null };
    }
    return { column: name, before: null };
  }
  return null;
}

function RankerControl({ control, spec }: ControlProps) {
  const { annotation, data, model } = useLabel();
  const item = useControlItem(control);
  const rootRef = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  const dragRef = useRef<Drag | null>(null);
  // The button to focus once the board shows a keyboard move. It is kept until a render shows `board`:
  // a render in between (the annotation's update is not synchronous) must not spend it, or the
  // moved item's button loses focus when its node is reordered.
  const refocus = useRef<{ id: string; move: Move; board: RankerIds } | null>(null);

  const items = rankerItems(model, spec, data);
  const list = rankedList(model, spec);
  const columns = rankerColumns(spec, list?.title ?? "");
  const board = rankerBoard(spec, items, readRanker(item));
  const shown = (column: string) => (board[column] ?? []).filter((id) => Object.prototype.hasOwnProperty.call(items, id));

  const commit = (next: RankerIds) => {
    if (!sameBoard(next, board)) annotation.set(control, rankerValue(next));
  };

  useEffect(() => {
    const want = refocus.current;
    if (!want || !rootRef.current || !sameBoard(want.board, board)) return;
    refocus.current = null;
    const el = Array.from(rootRef.current.querySelectorAll<HTMLElement>("[data-item]")).find((e) => e.dataset.item === want.id);
    const buttons = Array.from(el?.querySelectorAll<HTMLButtonElement>("button[data-move]") ?? []);
    (buttons.find((b) => b.dataset.move === want.move && !b.disabled) ?? buttons.find((b) => !b.disabled))?.focus();
  });

  const move = (id: string, column: string, how: Move) => {
    const here = shown(column);
    const at = here.indexOf(id);
    const c = columns.findIndex((col) => col.id === column);
    let next: RankerIds | null = null;
    if (how === "up" && at > 0) next = moveItem(board, id, column, here[at - 1] ?? null);
    if (how === "down" && at >= 0 && at < here.length - 1) next = moveItem(board, id, column, here[at + 2] ?? null);
    const side = how === "left" ? columns[c - 1] : how === "right" ? columns[c + 1] : undefined;
    if (side) next = moveItem(board, id, side.id, null);
    if (!next) return;
    refocus.current = { id, move: how, board: next };
    commit(next);
  };

  const update = (next: Drag | null) => {
    dragRef.current = next;
    setDrag(next);
  };

  const onPointerDown = (e: PointerEvent, id: string) => {
    if (e.button !== 0 || (e.target as HTMLElement).closest("button")) return;
    e.preventDefault(); // no text selection while dragging
    (e.currentTarget as HTMLElement).setPointerCapture?.(e.pointerId);
    update({ id, pointer: e.pointerId, x0: e.clientX, y0: e.clientY, dx: 0, dy: 0, active: false, target: null });
  };
  const onPointerMove = (e: PointerEvent) => {
    const d = dragRef.current;
    if (!d || d.pointer !== e.pointerId || !rootRef.current) return;
    const dx = e.clientX - d.x0;
    const dy = e.clientY - d.y0;
    const active = d.active || Math.hypot(dx, dy) >= DRAG_START;
    if (!active) return;
    update({ ...d, dx, dy, active, target: targetAt(rootRef.current, d.id, e.clientX, e.clientY) });
  };
  const onPointerUp = (e: PointerEvent) => {
    const d = dragRef.current;
    if (!d || d.pointer !== e.pointerId) return;
    update(null);
    if (d.active && d.target) commit(moveItem(board, d.id, d.target.column, d.target.before));
  };
  const onPointerCancel = () => update(null);

  const mark = (column: string, before: string | null) =>
    drag?.active && drag.target?.column === column && drag.target.before === before ? <div class="lnb-ranker-mark" data-drop-mark="" /> : null;

  return (
    <div class="lnb-ranker lnb-ranker-board" ref={rootRef} data-ranker={spec.name} data-dragging={drag?.active ? "true" : undefined}>
      {columns.map((column, c) => {
        const ids = shown(column.id);
        return (
          <ListColumn key={column.id} id={column.id} title={column.title}>
            {ids.map((id, i) => {
              const dragged = drag?.active && drag.id === id;
              return [
                mark(column.id, id),
                <div
                  key={id}
                  class={`lnb-list-item lnb-ranker-item htx-ranker-item${dragged ? " lnb-dragging" : ""}`}
                  data-item={id}
                  style={dragged ? { transform: `translate(${drag.dx}px, ${drag.dy}px)` } : undefined}
                  onPointerDown={(e) => onPointerDown(e, id)}
                  onPointerMove={onPointerMove}
                  onPointerUp={onPointerUp}
                  onPointerCancel={onPointerCancel}
                  onLostPointerCapture={onPointerCancel}
                >
                  <div class="lnb-ranker-moves" role="group" aria-label={`Move ${id}`}>
                    <button type="button" class="lnb-btn lnb-small" data-move="up" aria-label="Move up" title="Move up" disabled={i === 0} onClick={() => move(id, column.id, "up")}>
                      ↑
                    </button>
                    <button type="button" class="lnb-btn lnb-small" data-move="down" aria-label="Move down" title="Move down" disabled={i === ids.length - 1} onClick={() => move(id, column.id, "down")}>
                      ↓
                    </button>
                    {columns.length > 1 && (
                      <>
                        <button type="button" class="lnb-btn lnb-small" data-move="left" aria-label={c > 0 ? `Move to ${columns[c - 1]!.title || columns[c - 1]!.id}` : "Move left"} title={c > 0 ? `To ${columns[c - 1]!.title || columns[c - 1]!.id}` : undefined} disabled={c === 0} onClick={() => move(id, column.id, "left")}>
                          ←
                        </button>
                        <button type="button" class="lnb-btn lnb-small" data-move="right" aria-label={c < columns.length - 1 ? `Move to ${columns[c + 1]!.title || columns[c + 1]!.id}` : "Move right"} title={c < columns.length - 1 ? `To ${columns[c + 1]!.title || columns[c + 1]!.id}` : undefined} disabled={c === columns.length - 1} onClick={() => move(id, column.id, "right")}>
                          →
                        </button>
                      </>
                    )}
                  </div>
                  <ListItemContent item={items[id]!} />
                </div>,
              ];
            })}
            {mark(column.id, null)}
          </ListColumn>
        );
      })}
    </div>
  );
}

export const Ranker: ControlDef = {
  ...RankerRules,
  Component: RankerControl,
};
