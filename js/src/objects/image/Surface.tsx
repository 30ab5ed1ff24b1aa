// The image surface: the picture, its regions and the gesture being drawn, with zoom and pan.
//
// Layout: a frame of the image's fitted size clips a stage. The <img> (and brush masks) follow the viewport
// through a CSS transform; the regions live in one <svg> whose viewBox is the part of the image in view, in
// natural image px, so vector shapes are redrawn crisp at every zoom and no region re-renders on zoom or pan.
// Pointer positions are mapped to natural px from the frame's box; region geometry stays in percent of the
// original image (the shape utils convert).
//
// Two viewports: the *live* one follows every wheel step and pan move, and the *committed* one sets the
// viewBox. A wheel or pan gesture only moves composited layers (the stage's transform, and a transform on
// the svg from the committed view to the live one, written straight to the DOM): a viewBox change repaints
// every region, 3,000 polygons cost 40-70 ms a frame. Once the gesture rests (VIEW_REST_MS) the live view is
// committed and the regions are drawn crisp again. Buttons and keys commit at once.

import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import type { Editor } from "../../editor";
import { imageLabelsOf, regionControlsOf, regionStyle, type RegionControl } from "../../controls/regionTools";
import type { ObjectSpec } from "../../schema/model";
import { controlSpec } from "../../schema/model";
import type { Json, Region } from "../../state/document";
import { regionLabels } from "../../state/document";
import type { Viewport } from "../../state/ui";
import type { Pt, Size } from "../../controls/shapes/types";
import { AssistMarks } from "./AssistMarks";
import { BrushLayer, BrushTool } from "./brush";
import { countPress, type Press } from "./clicks";
import { PreviewStore } from "./preview";
import { PreviewLayer, RegionLayer } from "./RegionLayer";
import { drawTool, EditTool, PanTool, type Hit, type PdfPageTarget, type PointerInfo, type Tool, type ToolHost } from "./tools";
import { actualSizeZoom, clampViewport, FIT, fitLayout, liveTransform, panBy, stageTransform, zoomAt, type Layout } from "./viewport";
import { newResultId } from "../../state/results";

export interface SurfaceProps {
  object: string;
  src: string;
  alt: string;
  editor: Editor;
  spec: ObjectSpec | undefined;
  itemIndex?: number;
  /** a PDF page (objects/pdf/Pdf.tsx): its regions are those of value.pageIndex; new ones get it, no image size fields */
  pdfPage?: PdfPageTarget;
  /** the original image's size when `src` is a smaller preview: geometry, masks and original_width use it */
  original?: Size;
  /** the <img> loaded (or failed); the caller shows errors */
  onState(state: "ready" | "error"): void;
}

/** Where the pointer is, from an event target: a handle, else a region, else the image. */
function hitOf(target: EventTarget | null): Hit {
  const el = target instanceof Element ? target.closest("[data-handle],[data-region]") : null;
  if (!el) return {};
  const region = el.getAttribute("data-region") ?? el.getAttribute("data-handle-region") ?? undefined;
  const handle = el.getAttribute("data-handle") ?? undefined;
  return { ...(region !== undefined ? { region } : {}), ...(handle !== undefined ? { handle } : {}) };
}

const ZOOM_STEP = 1.25;
/** How long a wheel or pan gesture rests before its view is committed (the regions redrawn crisp). */
const VIEW_REST_MS = 120;
/** How long a committed view rests before the UI store hears of it. */
const VIEWPORT_SAVE_MS = 150;

export function Surface({ object, src, alt, editor, spec, itemIndex: imageIndex, pdfPage, original, onState }: SurfaceProps) {
  const itemIndex = imageIndex ?? pdfPage?.index; // the page whose regions are shown
  const frameRef = useRef<HTMLDivElement>(null);
  const [natural, setNatural] = useState<Size | null>(null);
  const [frameWidth, setFrameWidth] = useState(0);
  const [viewport, setViewportState] = useState<Viewport>(() => editor.ui.state.viewports[object] ?? FIT);
  const preview = useMemo(() => new PreviewStore(), []);
  const zoomable = spec?.zoom !== false;

  // the frame's width decides the fitted size
  useEffect(() => {
    const frame = frameRef.current?.parentElement;
    if (!frame) return undefined;
    const measure = () => setFrameWidth(frame.clientWidth);
    measure();
    if (typeof ResizeObserver === "undefined") return undefined;
    const ro = new ResizeObserver(measure);
    ro.observe(frame);
    return () => ro.disconnect();
  }, []);

  const layout: Layout | null = natural && frameWidth > 0 ? fitLayout(natural, frameWidth) : null;
  // `viewport` (state) is the committed view; live.viewport the one on screen
  const live = useRef({ viewport, layout, natural, moving: false }).current;
  live.layout = layout;
  live.natural = natural;

  const stageRef = useRef<HTMLDivElement>(null);
  const regionsRef = useRef<HTMLDivElement>(null);
  /** Put the live view on screen: the stage's transform, the svg's offset from the committed view. */
  const showLive = () => {
    const l = live.layout;
    const v = live.viewport;
    frameRef.current?.setAttribute("data-zoom", v.zoom.toFixed(3));
    if (!l) return;
    if (stageRef.current) stageRef.current.style.transform = stageTransform(v, l);
    if (regionsRef.current) regionsRef.current.style.transform = liveTransform(v, committedRef.current, l);
  };
  const committedRef = useRef(viewport);
  committedRef.current = viewport;
  // after every render (a commit, a resize): the DOM shows the live view
  useLayoutEffect(showLive);

  // The UI store keeps the viewport for this surface mounted again. Every region and list row listens to that
  // store, so it hears of a zoom or pan once the gesture rests, not on each wheel step (12,000 listeners for
  // 3,000 regions: about 5 ms a step).
  const saveViewport = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const restTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(
    () => () => {
      clearTimeout(saveViewport.current);
      clearTimeout(restTimer.current);
    },
    [],
  );
  const commitViewport = () => {
    clearTimeout(restTimer.current);
    live.moving = false;
    frameRef.current?.classList.remove("lnb-view-moving");
    setViewportState(live.viewport);
    clearTimeout(saveViewport.current);
    saveViewport.current = setTimeout(() => editor.ui.setViewport(object, live.viewport), VIEWPORT_SAVE_MS);
  };
  /** A new view: committed now, or (`gesture`: a wheel step, a pan move) shown now and committed at rest. */
  const setViewport = (v: Viewport, gesture = false) => {
    live.viewport = clampViewport(v);
    if (!gesture) {
      commitViewport();
      return;
    }
    if (!live.moving) frameRef.current?.classList.add("lnb-view-moving");
    live.moving = true;
    showLive();
    clearTimeout(restTimer.current);
    restTimer.current = setTimeout(commitViewport, VIEW_REST_MS);
  };

  // tools ----------------------------------------------------------------------------------------------
  const tools = useRef<{ current: Tool | null; edit: EditTool; pan: PanTool; draw: Map<string, Tool> }>({
    current: null,
    edit: new EditTool(),
    pan: new PanTool(),
    draw: new Map(),
  }).current;

  const activeControl = (): RegionControl | null => {
    const tool = editor.ui.state.tool;
    if (tool === null) return null;
    return regionControlsOf(editor.model, object).find((c) => c.name === tool) ?? null;
  };

  const activeLabel = (control: RegionControl | null): string | null => {
    const label = editor.ui.state.label;
    return control && label && label.control === control.name ? label.value : null;
  };

  /** The label of an image <Labels> chosen for a bare tool's next region on this image. */
  const genericLabel = (control: RegionControl | null) => {
    const label = editor.ui.state.label;
    if (!control || control.labelled || !label) return null;
    return imageLabelsOf(editor.model, object).some((s) => s.name === label.control) ? label : null;
  };

  const host = (): ToolHost => {
    const control = activeControl();
    const size = live.natural ?? { width: 1, height: 1 };
    const label = activeLabel(control);
    const extra = () => (pdfPage ? {} : { original_width: size.width, original_height: size.height, image_rotation: 0 });
    const assist = editor.assist;
    const smart =
      assist && control && assist.handles(control)
        ? (geometry: Json, positive: boolean) => {
            const refused = assist.add({ object, control: control.name, type: control.type, geometry, label, positive, extra: extra() });
            editor.ui.update({ notice: refused === null ? null : { control: control.name, text: refused } });
          }
        : undefined;
    return {
      object,
      size,
      scale: () => (live.layout ? (live.layout.width * live.viewport.zoom) / Math.max(1, size.width) : 1),
      annotation: editor.annotation,
      ui: editor.ui,
      control,
      label,
      genericLabel: genericLabel(control),
      model: editor.model,
      newId: newResultId,
      regionExtra: extra,
      itemIndex: imageIndex,
      pdfPage,
      fitWidth: () => live.layout?.width ?? size.width,
      setPreview: (p) => preview.set(p),
      panBy: (dx, dy) => {
        if (live.layout) setViewport(panBy(live.viewport, dx, dy, live.layout), true);
      },
      canRotate: (region: Region) => controlSpec(editor.model, region.control)?.can_rotate === true,
      styleOf: (region: Region) =>
        regionStyle(controlSpec(editor.model, region.control), regionLabels(editor.annotation.doc, region.id), editor.model),
      capture: (on) => {
        editor.setGestureOwner(on ? owner : null);
      },
      smart,
    };
  };

  const owner = {
    key: (e: KeyboardEvent) => tools.current?.key(e, host()) ?? false,
    cancel: () => {
      tools.current?.cancel(host());
      tools.current = null;
    },
  };

  const toolFor = (control: RegionControl): Tool | null => {
    let tool = tools.draw.get(control.name);
    if (!tool) {
      tool = control.kind === "brush" ? new BrushTool() : (drawTool(control.kind) ?? undefined);
      if (!tool) return null;
      tools.draw.set(control.name, tool);
    }
    return tool;
  };

  const info = (e: PointerEvent): PointerInfo | null => {
    const frame = frameRef.current;
    const size = live.natural;
    const layout = live.layout;
    if (!frame || !size || !layout) return null;
    const rect = frame.getBoundingClientRect();
    const sx = e.clientX - rect.left;
    const sy = e.clientY - rect.top;
    const v = live.viewport;
    // screen (percent of the fitted size) = pan + zoom * p
    const px = ((sx / layout.width) * 100 - v.x) / v.zoom;
    const py = ((sy / layout.height) * 100 - v.y) / v.zoom;
    const p: Pt = { x: (px / 100) * size.width, y: (py / 100) * size.height };
    return { p, screen: { x: sx, y: sy }, hit: hitOf(e.target), shift: e.shiftKey, alt: e.altKey, button: e.button, detail: e.detail };
  };

  // Chromium's pointerdown has detail 0: double clicks (which finish a polygon or polyline) are counted here
  const lastPress = useRef<Press | null>(null);

  const onPointerDown = (e: PointerEvent) => {
    const press = countPress(lastPress.current, e.timeStamp, e.clientX, e.clientY, e.button, e.detail);
    lastPress.current = press;
    const located = info(e);
    if (!located) return;
    const i = { ...located, detail: press.count };
    e.preventDefault();
    (e.currentTarget as HTMLElement).setPointerCapture?.(e.pointerId);
    frameRef.current?.closest<HTMLElement>(".labelnb-root")?.focus({ preventScroll: true });
    editor.lastObject = object;
    const linking = editor.ui.state.linking;
    if (linking !== null && e.button === 0 && i.hit.region !== undefined && !tools.current?.busy) {
      editor.linkTo(i.hit.region);
      return;
    }
    const h = host();
    let tool: Tool | null = tools.current?.busy ? tools.current : null;
    if (!tool) {
      const control = h.control;
      const draw = control && (!control.labelled || h.label !== null) ? toolFor(control) : null;
      const onRegion = i.hit.region !== undefined;
      // auto-annotate with a key point: Alt+click and a right click are negative points, not a pan
      const smartPoint = draw !== null && h.smart !== undefined && control?.kind === "keypoint";
      if (smartPoint && (e.button === 0 || e.button === 2) && !i.hit.handle) tool = draw;
      else if (e.button === 1 || (e.button === 0 && e.altKey && !i.hit.handle && !onRegion)) tool = tools.pan;
      else if (e.button !== 0) return;
      else if (i.hit.handle) tool = tools.edit;
      else if (draw && (control?.kind === "brush" || (!onRegion && draw))) tool = draw;
      else if (draw && control?.kind === "keypoint" && onRegion && editor.annotation.doc.regions[i.hit.region ?? ""]?.kind !== "keypoint") tool = draw;
      else if (onRegion) tool = tools.edit;
      else if (live.viewport.zoom > 1) {
        editor.ui.select([]);
        tool = tools.pan;
      } else tool = tools.edit;
    }
    tools.current = tool;
    tool.down(i, h);
    if (tool.busy) editor.setGestureOwner(owner);
  };

  const onPointerMove = (e: PointerEvent) => {
    const tool = tools.current;
    if (tool?.busy) {
      const i = info(e);
      if (i) tool.move(i, host());
      return;
    }
    // while the view moves, the browser's own pointer moves (regions passing under a still pointer) would
    // set the hover, and every region hears of it
    if (live.moving) return;
    const hit = hitOf(e.target);
    const hover = hit.region ?? null;
    if (editor.ui.state.hover !== hover) editor.ui.update({ hover });
  };

  const onPointerUp = (e: PointerEvent) => {
    const tool = tools.current;
    if (!tool) return;
    const i = info(e);
    if (i) tool.up(i, host());
    if (!tool.busy) {
      tools.current = null;
      if (editor.gestureOwner === owner) editor.setGestureOwner(null);
    }
  };

  const onPointerLeave = () => {
    if (editor.ui.state.hover !== null && !tools.current?.busy) editor.ui.update({ hover: null });
  };

  const onWheel = (e: WheelEvent) => {
    const frame = frameRef.current;
    if (!frame || !live.layout || !zoomable) return;
    const v = live.viewport;
    if (e.ctrlKey || e.metaKey) {
      // Ctrl/⌘ + wheel (and a trackpad pinch) zooms at the pointer
      e.preventDefault();
      const rect = frame.getBoundingClientRect();
      const factor = Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.002));
      setViewport(zoomAt(v, factor, { x: (e.clientX - rect.left) / rect.width, y: (e.clientY - rect.top) / rect.height }), true);
    } else if (v.zoom > 1) {
      // zoomed in: the wheel pans the image instead of scrolling the notebook
      e.preventDefault();
      setViewport(panBy(v, -e.deltaX, -e.deltaY, live.layout), true);
    }
  };

  useEffect(() => {
    const frame = frameRef.current;
    if (!frame) return undefined;
    const wheel = (e: WheelEvent) => onWheelRef.current(e);
    frame.addEventListener("wheel", wheel, { passive: false });
    return () => frame.removeEventListener("wheel", wheel);
  }, []);
  const onWheelRef = useRef(onWheel);
  onWheelRef.current = onWheel;

  const zoomBy = (factor: number) => setViewport(zoomAt(live.viewport, factor, { x: 0.5, y: 0.5 }));
  const fit = () => setViewport(FIT);
  const actual = () => {
    if (live.natural && live.layout) setViewport(zoomAt(FIT, actualSizeZoom(live.natural, live.layout), { x: 0.5, y: 0.5 }));
  };

  // keys for this image (zoom), offered through the editor while the pointer or focus is on it
  useEffect(
    () =>
      editor.registerSurface(object, {
        zoomIn: () => zoomBy(ZOOM_STEP),
        zoomOut: () => zoomBy(1 / ZOOM_STEP),
        fit,
        actual,
        cancel: () => owner.cancel(),
        size: () => live.natural,
      }),
    [editor, object],
  );

  // a gesture in progress is dropped when the surface goes away
  useEffect(() => () => owner.cancel(), []);

  const v = viewport;
  const viewBox =
    natural !== null
      ? `${(-v.x / v.zoom / 100) * natural.width} ${(-v.y / v.zoom / 100) * natural.height} ${natural.width / v.zoom} ${natural.height / v.zoom}`
      : "0 0 1 1";
  const scale = layout && natural ? (layout.width * v.zoom) / natural.width : 1;
  const frameStyle = layout ? { width: `${layout.width}px`, height: `${layout.height}px` } : {};
  // the transforms are showLive's (the live view), never the render's
  const stageStyle = layout ? { width: `${layout.width}px`, height: `${layout.height}px` } : {};

  return (
    <div class="lnb-surface-wrap">
      <div
        ref={frameRef}
        class={`lnb-surface${natural ? "" : " lnb-loading"}`}
        data-object={object}
        style={frameStyle}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onPointerLeave={onPointerLeave}
        onContextMenu={(e) => e.preventDefault()}
      >
        <div ref={stageRef} class="lnb-stage" style={stageStyle}>
          <img
            class="lnb-image"
            src={src}
            alt={alt}
            data-object={object}
            data-state={natural ? "ready" : "loading"}
            draggable={false}
            onLoad={(e) => {
              const img = e.currentTarget as HTMLImageElement;
              // a preview stands in for the original: regions are placed on the original's pixel grid
              setNatural(original ?? { width: img.naturalWidth || 1, height: img.naturalHeight || 1 });
              onState("ready");
            }}
            onError={() => onState("error")}
          />
          {natural && <BrushLayer editor={editor} object={object} size={natural} itemIndex={itemIndex} preview={preview} />}
        </div>
        {natural && layout && (
          <div ref={regionsRef} class="lnb-regions-layer" style={{ width: `${layout.width}px`, height: `${layout.height}px` }}>
            <svg class="lnb-regions" viewBox={viewBox} preserveAspectRatio="none" width={layout.width} height={layout.height}>
              <RegionLayer editor={editor} object={object} size={natural} scale={scale} itemIndex={itemIndex} preview={preview} />
              <PreviewLayer preview={preview} size={natural} scale={scale} />
              <AssistMarks assist={editor.assist} object={object} size={natural} scale={scale} />
            </svg>
          </div>
        )}
      </div>
      {zoomable && natural && (
        <div class="lnb-zoom" role="toolbar" aria-label="Zoom">
          <button type="button" class="lnb-btn lnb-small" data-zoom="in" title="Zoom in (Ctrl+=)" onClick={() => zoomBy(ZOOM_STEP)}>
            +
          </button>
          <button type="button" class="lnb-btn lnb-small" data-zoom="out" title="Zoom out (Ctrl+-)" onClick={() => zoomBy(1 / ZOOM_STEP)}>
            −
          </button>
          <button type="button" class="lnb-btn lnb-small" data-zoom="fit" title="Fit (Ctrl+0)" onClick={fit}>
            Fit
          </button>
          <button type="button" class="lnb-btn lnb-small" data-zoom="actual" title="Actual size, 1:1 (Ctrl+1)" onClick={actual}>
            1:1
          </button>
          <span class="lnb-zoom-level">{Math.round(v.zoom * 100)}%</span>
        </div>
      )}
    </div>
  );
}
