// The widget: toolbar, the task's config rendered as tags, keyboard handling, drafts and requests.

import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import { Ctx, type LabelContext } from "./context";
import { controlDef } from "./controls";
import { isSubmitKey, matchesAny } from "./hotkeys";
import type { BrowserRequest, ResultItem, StatusState, TaskState, ViewNode, WidgetModel } from "./protocol";
import type { Session } from "./session";
import { walk } from "./config";
import {
  defaultItems,
  initialInputs,
  makeSelection,
  perRegionControls,
  nodeVisible,
  submittableItems,
  validate,
  validateRegional,
  visibleControls,
  type Problem,
  type Selection,
  type SelectedRegion,
} from "./state/analysis";
import { Annotation } from "./state/annotation";
import { commitPending, takePendingInput, withPendingInput } from "./state/pendingText";
import { newResultId } from "./state/results";
import { regionLabels } from "./state/document";
import { Editor } from "./editor";
import { AssistController, hasSmartControl } from "./assist";
import { AssistBar } from "./panels/AssistBar";
import { asControlModel } from "./schema/model";
import { regionHotkey } from "./controls/labels";
import { perRegionTarget } from "./controls/perRegion";
import { editorKey } from "./editorKeys";
import { Keymap } from "./panels/Keymap";
import { chatProblems } from "./state/chat";
import { acceptPredictions, predictionItems } from "./state/predictions";
import { Toolbar } from "./Toolbar";
import { ReviewBar } from "./panels/ReviewBar";
import { NodeView } from "./tree";

/** Quiet time after the last change before the draft is sent (ms). */
export const DRAFT_DELAY_MS = 1000;

const EMPTY: Readonly<Record<string, never>> = Object.freeze({});

function asObject<T>(value: unknown): T {
  return (typeof value === "object" && value !== null && !Array.isArray(value) ? value : EMPTY) as T;
}

function useTrait<T>(model: WidgetModel, key: string): T {
  const [value, setValue] = useState<T>(() => asObject<T>(model.get(key)));
  useEffect(() => {
    const handler = () => setValue(asObject<T>(model.get(key)));
    model.on(`change:${key}`, handler);
    handler(); // a change between the first render and this subscription
    return () => model.off(`change:${key}`, handler);
  }, [model, key]);
  return value;
}

/** Fields where keys are typing, not commands. */
export function isTextEntry(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).tagName !== "string") return false;
  const el = target as HTMLElement;
  const tag = el.tagName.toLowerCase();
  if (tag === "textarea" || tag === "select") return true;
  if (tag === "input") {
    const type = ((el as HTMLInputElement).type || "text").toLowerCase();
    return !["checkbox", "radio", "button", "submit", "reset", "range", "color", "file", "image"].includes(type);
  }
  return el.isContentEditable === true;
}

const SLIDER_KEYS = new Set(["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End", "PageUp", "PageDown"]);

/** A key a focused range input (a Number with slider="true") uses itself. */
export function isSliderKey(e: KeyboardEvent): boolean {
  const el = e.target as HTMLInputElement | null;
  return !!el && el.tagName === "INPUT" && el.type === "range" && SLIDER_KEYS.has(e.key) && !e.ctrlKey && !e.metaKey && !e.altKey;
}

function now(): number {
  return typeof performance !== "undefined" ? performance.now() : Date.now();
}

/**
 * What the tree as a whole shows that an edit can change: which nodes `visibleWhen` lets through, and the
 * problems marked after a refused submit. The root re-renders only when this changes; a control follows its
 * own value (useControlItem), so an edit re-renders that control and nothing else.
 */
function treeSignature(view: ViewNode, sel: Selection, problems: readonly Problem[]): string {
  let visible = "";
  walk(view, (node) => {
    const shown = nodeVisible(node, sel);
    visible += shown ? "1" : "0";
    return shown;
  });
  return `${visible}|${JSON.stringify(problems)}`;
}

interface Live {
  taskId: number | null;
  predictions: unknown;
  /** the task's data (chat limits count its messages) */
  data: Record<string, unknown>;
  view: ViewNode;
  /** problems are shown (a submit was refused on this task) */
  checked: boolean;
  signature: string;
  shownAt: number;
  draftTimer: ReturnType<typeof setTimeout> | undefined;
  draftPending: boolean;
  busy: boolean;
  mounted: boolean;
}

export interface AppProps {
  model: WidgetModel;
  session: Session;
}

export function App({ model, session }: AppProps) {
  const view = useTrait<ViewNode>(model, "view");
  const task = useTrait<TaskState>(model, "task");
  const status = useTrait<StatusState>(model, "status");
  const rootRef = useRef<HTMLDivElement>(null);
  const annotationRef = useRef<Annotation | null>(null);
  if (annotationRef.current === null) annotationRef.current = new Annotation();
  const annotation = annotationRef.current;
  const editorRef = useRef<Editor | null>(null);
  if (editorRef.current === null) editorRef.current = new Editor(annotation);
  const editor = editorRef.current;
  const controlsTrait = useTrait<unknown>(model, "controls");
  editor.model = asControlModel(controlsTrait);
  // auto-annotate: made once; its answers' errors go to the banner
  const assistRef = useRef<AssistController | null>(null);
  const onAssistError = useRef<(message: string) => void>(() => undefined);
  if (assistRef.current === null) {
    assistRef.current = new AssistController({
      annotation,
      ask: (taskId, context) => session.request({ kind: "assist", task_id: taskId, context }),
      taskId: () => live.taskId,
      onError: (message) => onAssistError.current(message),
      newId: newResultId,
    }, () => editor.model);
  }
  const assist = assistRef.current;
  // the one selected region, for visibleWhen="region-selected" and perRegion controls
  const selectedRegion = (): SelectedRegion | null => {
    const ids = editor.ui.state.selected;
    const region = ids.length === 1 ? annotation.doc.regions[ids[0] as string] : undefined;
    return region ? { control: region.control, labels: regionLabels(annotation.doc, region.id) } : null;
  };
  const [, setRootTick] = useState(0);
  const [busy, setBusy] = useState(false);
  // a refused submit's banner (`problems`) follows the problems as they are fixed, and goes with the last
  const [error, setError] = useState<{ key: string; message: string; problems?: boolean } | null>(null);
  const [checkedKey, setCheckedKey] = useState<string | null>(null);
  const [focused, setFocused] = useState(false);

  const hasTask = typeof task.id === "number";
  const taskKey = hasTask ? `${task.id}:${task.annotation_id ?? ""}` : "";
  const live = useRef<Live>({
    taskId: null,
    predictions: undefined,
    data: {},
    view,
    checked: false,
    signature: "",
    shownAt: now(),
    draftTimer: undefined,
    draftPending: false,
    busy: false,
    mounted: true,
  }).current;

  const leadTime = () => Math.round(((now() - live.shownAt) / 1000) * 1000) / 1000;

  const cancelDraft = () => {
    clearTimeout(live.draftTimer);
    live.draftTimer = undefined;
    live.draftPending = false;
  };

  const flushDraft = () => {
    const pending = live.draftPending;
    cancelDraft();
    if (!pending || live.taskId === null) return;
    const sel = makeSelection(live.view, editor.model, annotation.doc, selectedRegion);
    void session.request({
      kind: "draft",
      task_id: live.taskId,
      result: submittableItems(live.view, withPendingInput(annotation.doc, editor.pending.list(), newResultId), sel),
      lead_time: leadTime(),
    });
  };

  // A new task (or the stored annotation of an old one): start over from task.result. Done while rendering,
  // so the first paint of the task already shows its values.
  const keyRef = useRef<string | null>(null);
  const refocus = useRef(false);
  if (keyRef.current !== taskKey) {
    flushDraft(); // work on the previous task is saved before it is replaced
    keyRef.current = taskKey;
    const root = rootRef.current;
    refocus.current = !!root && typeof document !== "undefined" && root.contains(document.activeElement);
    const result: ResultItem[] = Array.isArray(task.result) ? task.result : [];
    // nothing stored or drafted: start from the first prediction (pre-annotations), else the defaults
    const predicted = hasTask && !result.length && task.annotation_id == null ? predictionItems(task.predictions) : [];
    const initial =
      result.length || !hasTask || task.annotation_id != null
        ? result
        : predicted.length
          ? predicted
          : defaultItems(view, editor.model, asObject(task.data));
    editor.cancelGesture();
    assist.resetForTask();
    // a draft keeps what was typed in a TextArea's input apart from its entries: back into the input
    const { items, pending } = takePendingInput(initial);
    annotation.reset(items);
    const fresh = hasTask && !result.length && task.annotation_id == null && !predicted.length;
    editor.pending.reset([...pending, ...(fresh ? initialInputs(view, editor.model, asObject(task.data)) : [])]);
    editor.ui.resetForTask();
    live.taskId = hasTask ? (task.id as number) : null;
    live.shownAt = now();
  }
  live.view = view;
  live.predictions = task.predictions;
  const assistShown = status.assist === true && hasSmartControl(editor.model);
  editor.assist = assistShown ? assist : null;
  onAssistError.current = (message) => setError({ key: keyRef.current ?? "", message });
  live.data = asObject(task.data);

  useLayoutEffect(() => {
    const root = rootRef.current;
    if (refocus.current && root && !root.contains(document.activeElement)) root.focus({ preventScroll: true });
    refocus.current = false;
  }, [taskKey]);

  const liveSelection = (v: ViewNode) => makeSelection(v, editor.model, () => annotation.doc, selectedRegion);
  const problemsOf = (v: ViewNode, sel: Selection) => [
    ...validate(visibleControls(v, sel), annotation.doc),
    ...validateRegional(v, editor.model, annotation.doc),
    ...chatProblems(editor.model, annotation.doc, live.data),
  ];
  const shownProblems = (v: ViewNode, sel: Selection) => (live.checked ? problemsOf(v, sel) : []);

  // edits: re-render the root only if what the tree shows changed, and save a draft after a quiet second
  useEffect(() => {
    const unsubscribe = annotation.subscribe((change) => {
      const sel = liveSelection(live.view);
      const signature = treeSignature(live.view, sel, shownProblems(live.view, sel));
      if (signature !== live.signature) setRootTick((n) => n + 1);
      if (change.source === "reset") return;
      live.draftPending = true;
      clearTimeout(live.draftTimer);
      live.draftTimer = setTimeout(flushDraft, DRAFT_DELAY_MS);
    });
    // text typed in a TextArea's input is kept in the draft too
    const unsubscribePending = editor.pending.subscribe((key) => {
      if (key === null) return;
      live.draftPending = true;
      clearTimeout(live.draftTimer);
      live.draftTimer = setTimeout(flushDraft, DRAFT_DELAY_MS);
    });
    // selecting a region can show or hide controls (visibleWhen="region-selected")
    const unsubscribeUi = editor.ui.subscribe(() => {
      const sel = liveSelection(live.view);
      if (treeSignature(live.view, sel, shownProblems(live.view, sel)) !== live.signature) setRootTick((n) => n + 1);
    });
    return () => {
      unsubscribe();
      unsubscribePending();
      unsubscribeUi();
    };
  }, [annotation]);

  useEffect(() => {
    live.mounted = true;
    return () => {
      flushDraft();
      live.mounted = false;
    };
  }, []);

  // while a task from the queue is on screen, its lease is renewed so that nobody else is given it (the
  // kernel says how often; it renews only the task at the queue's head, and only while this user holds it)
  const renewEvery = typeof status.renew_every === "number" && Number.isFinite(status.renew_every) && status.renew_every > 0 ? status.renew_every : null;
  useEffect(() => {
    if (!hasTask || renewEvery === null || task.annotation_id != null) return;
    const taskId = task.id as number;
    const timer = setInterval(() => void session.request({ kind: "renew", task_id: taskId }).catch(() => undefined), Math.max(1, renewEvery) * 1000);
    return () => clearInterval(timer);
  }, [task.id, task.annotation_id, renewEvery]);

  const focusRoot = () => rootRef.current?.focus({ preventScroll: true });

  const act = async (kind: "submit" | "skip" | "back" | "reject", comment = "") => {
    if (live.busy) return;
    setError(null);
    let body: BrowserRequest;
    if (kind === "back") {
      flushDraft();
      body = { kind: "back" };
    } else {
      if (live.taskId === null) return;
      if (kind === "skip") {
        cancelDraft();
        body = { kind: "skip", task_id: live.taskId };
      } else if (kind === "reject") {
        cancelDraft();
        body = { kind: "reject", task_id: live.taskId, comment };
      } else {
        // what is still in a TextArea's input is an entry of the answer (Label Studio's beforeSend)
        commitPending(annotation, editor.pending, editor.model);
        const sel = makeSelection(view, editor.model, annotation.doc, selectedRegion);
        const problems = problemsOf(view, sel);
        if (problems.length) {
          setCheckedKey(taskKey);
          setError({ key: taskKey, message: problems.map((p) => p.message).join(" "), problems: true });
          return;
        }
        cancelDraft();
        body = {
          kind: "submit",
          task_id: live.taskId,
          result: submittableItems(view, annotation.doc, sel),
          lead_time: leadTime(),
        };
      }
    }
    const root = rootRef.current;
    const hadFocus = !!root && root.contains(document.activeElement);
    // a focused button that becomes disabled drops the focus to <body>, where keys reach JupyterLab
    if (hadFocus && document.activeElement instanceof HTMLButtonElement) focusRoot();
    live.busy = true;
    setBusy(true);
    const reply = await session.request(body);
    live.busy = false;
    if (!live.mounted) return;
    setBusy(false);
    if (!reply.ok) setError({ key: keyRef.current ?? "", message: reply.error });
    if (hadFocus && root && !root.contains(document.activeElement)) root.focus({ preventScroll: true });
  };

  // Keyboard: one listener on the root. Nothing typed inside the widget reaches JupyterLab.
  const onKeyDown = (e: KeyboardEvent) => {
    e.stopPropagation();
    if (e.isComposing) return;
    if (isSubmitKey(e)) {
      e.preventDefault();
      if (!e.repeat) void act("submit");
      return;
    }
    if (isTextEntry(e.target)) {
      if (e.key === "Escape") {
        e.preventDefault();
        focusRoot();
      }
      return;
    }
    // a slider's own keys move it (never the selected region)
    if (isSliderKey(e)) return;
    // a gesture in progress (a polygon being clicked) takes Enter, Escape, Backspace first
    if (editor.gestureOwner?.key(e)) {
      e.preventDefault();
      return;
    }
    // Escape ends the auto-annotate series first (its answer stays)
    if (e.key === "Escape" && editor.assist?.state.series) {
      e.preventDefault();
      editor.assist.end();
      return;
    }
    const mod = (e.ctrlKey || e.metaKey) && !e.altKey;
    const key = e.key.toLowerCase();
    if (mod && (key === "z" || key === "y")) {
      e.preventDefault();
      editor.cancelGesture();
      if (key === "y" || e.shiftKey) annotation.redo();
      else annotation.undo();
      return;
    }
    if (editorKey(editor, e)) {
      e.preventDefault();
      return;
    }
    if (live.taskId !== null && e.key.toLowerCase() === "a" && e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      acceptPredictions(annotation, live.predictions);
      return;
    }
    if (live.taskId !== null && !e.repeat && regionHotkey(editor, e)) {
      e.preventDefault();
      return;
    }
    if (e.key === "Escape") {
      // hand the keyboard back to the notebook
      e.preventDefault();
      const root = rootRef.current;
      const notebook = root?.closest(".jp-Notebook") as HTMLElement | null;
      root?.blur();
      notebook?.focus();
      return;
    }
    if (live.taskId === null) return;
    const sel = makeSelection(live.view, editor.model, annotation.doc, selectedRegion);
    // perRegion controls answer their keys while their region is selected
    const regional = perRegionControls(live.view, editor.model).flatMap((inst) => {
      const target = perRegionTarget(editor, inst.spec, editor.ui.state.selected);
      return target === null ? [] : [{ ...inst, control: { ...inst.control, region: target } }];
    });
    for (const inst of [...visibleControls(live.view, sel), ...regional]) {
      for (const binding of controlDef(inst.def.tag)?.hotkeys?.(inst.spec, inst.control) ?? []) {
        if (!matchesAny(e, binding.hotkeys)) continue;
        e.preventDefault();
        if (e.repeat) return;
        const element =
          Array.from(rootRef.current?.querySelectorAll<HTMLElement>("[data-control]") ?? []).find(
            (el) => el.dataset.control === inst.control.name,
          ) ?? null;
        binding.run({ annotation, element });
        return;
      }
    }
  };
  const keyHandler = useRef(onKeyDown);
  keyHandler.current = onKeyDown;

  useEffect(() => {
    const root = rootRef.current;
    if (!root) return undefined;
    const keydown = (e: KeyboardEvent) => keyHandler.current(e);
    const focusin = () => setFocused(true);
    const focusout = (e: FocusEvent) => setFocused(root.contains(e.relatedTarget as Node | null));
    // clicking anywhere in the widget gives it the keyboard (a host may have moved focus on mousedown)
    const click = () => {
      if (!root.contains(document.activeElement)) root.focus({ preventScroll: true });
    };
    root.addEventListener("keydown", keydown);
    root.addEventListener("focusin", focusin);
    root.addEventListener("focusout", focusout);
    root.addEventListener("click", click);
    return () => {
      root.removeEventListener("keydown", keydown);
      root.removeEventListener("focusin", focusin);
      root.removeEventListener("focusout", focusout);
      root.removeEventListener("click", click);
    };
  }, []);

  live.checked = checkedKey === taskKey && hasTask;
  const selection = liveSelection(view);
  const problems = shownProblems(view, selection);
  const signature = treeSignature(view, selection, problems);
  live.signature = signature;
  // the same context (and the same task subtree) until something the tree shows changes: focus, hover in
  // the toolbar or an edit of one control do not re-render every tag
  const ctx = useMemo<LabelContext>(
    () => ({
      task,
      data: asObject(task.data),
      model: editor.model,
      session,
      annotation,
      editor,
      busy,
      invalid: new Map(problems.map((p) => [p.control, p.message])),
      selection,
      Node: NodeView,
      focusRoot,
    }),
    [task, session, annotation, busy, signature, controlsTrait],
  );
  const shownError =
    error && error.key === taskKey ? (error.problems ? problems.map((p) => p.message).join(" ") || null : error.message) : null;

  const tree = useMemo(
    () => (
      <Ctx.Provider value={ctx}>
        <div class="lnb-task" key={taskKey}>
          <NodeView node={view} />
        </div>
      </Ctx.Provider>
    ),
    [ctx, taskKey, view],
  );

  let body;
  if (hasTask) {
    body = view.tag ? (
      tree
    ) : (
      <div class="lnb-empty">This task has no labeling config to show.</div>
    );
  } else if (status.empty) {
    body = (
      <div class="lnb-empty" data-testid="empty">
        <div class="lnb-empty-icon" aria-hidden="true">
          ✓
        </div>
        <div class="lnb-empty-title">
          {status.review
            ? "Nothing waits for your review."
            : status.total
              ? "All done — no more tasks in the queue for you."
              : "This project has no tasks yet."}
        </div>
        {typeof status.total === "number" && status.total > 0 && (
          <div class="lnb-empty-sub">
            {status.done ?? 0} of {status.total} {status.review ? "annotations are reviewed" : "tasks are labelled"}.
          </div>
        )}
      </div>
    );
  } else {
    body = <div class="lnb-empty lnb-waiting">Waiting for the next task…</div>;
  }

  return (
    <div
      ref={rootRef}
      class={`labelnb-root${focused ? " lnb-focused" : ""}${busy ? " lnb-busy" : ""}`}
      tabIndex={0}
      data-lm-suppress-shortcuts="true"
      data-task-id={hasTask ? String(task.id) : undefined}
      aria-busy={busy}
    >
      <Toolbar task={task} status={status} busy={busy} hasTask={hasTask} onAction={(k) => void act(k)} />
      {status.message && <div class="lnb-message">{status.message}</div>}
      {hasTask && task.review && (
        <ReviewBar key={taskKey} note={task.review} busy={busy} onReject={(c) => void act("reject", c)} />
      )}
      {hasTask && assistShown && <AssistBar assist={assist} onDone={focusRoot} />}
      {hasTask && task.skipped && (
        <div class="lnb-message lnb-skipped" data-testid="skipped">
          You skipped this task. Submit an answer to replace the skip.
        </div>
      )}
      {shownError && (
        <div class="lnb-banner" role="alert" data-testid="error">
          <span class="lnb-banner-text">{shownError}</span>
          <button type="button" class="lnb-banner-close" aria-label="Dismiss" onClick={() => setError(null)}>
            ×
          </button>
        </div>
      )}
      {body}
      <Keymap editor={editor} />
      <div class="lnb-footer">
        {focused ? (
          <span class="lnb-keys-on">
            <span class="lnb-dot" aria-hidden="true" /> Keys active · <kbd class="lnb-kbd">Ctrl</kbd>+
            <kbd class="lnb-kbd">Enter</kbd> submit · <kbd class="lnb-kbd">?</kbd> all keys ·{" "}
            <kbd class="lnb-kbd">Esc</kbd> leave the widget
          </span>
        ) : (
          <span>Click the widget to use its keyboard shortcuts</span>
        )}
      </div>
    </div>
  );
}
