"""The image editor's speed in a real JupyterLab: many regions, zoom and pan, the brush, a 24-megapixel photo.

Four scenarios, each its own project, notebook and JupyterLab workspace on one server, driven by Playwright
with a real mouse and wheel (CDP input events, one a frame like a 60 Hz mouse; each waits until the page has
taken the last, and that wait is reported as the input latency). Every figure has a baseline measured in the
same run, on the same page, in alternation with it.

Gestures report three things. *Frames*: the intervals between requestAnimationFrame callbacks, timed with
performance.now() inside them (the callback's timestamp argument is the vsync time and hides a frame whose
main-thread work overran). *Updates*: the intervals between the frames in which what the gesture moves
actually changed on screen (the dragged shape's preview, the view's viewBox and transform, the pixels put on
the stroke's canvas): frames can run at 60 Hz while the shape moves every other one. *Input latency*.

1. ``editor_rects``: a 1920x1080 photo with 1,000 predicted rectangles (pre-annotations). *Load*: from the
   task's id appearing in the widget (``data-task-id``, after a Skip) to interactive: the image decoded and
   all 1,000 ``[data-region]`` in the DOM, then the end of the next frame (a task queued from
   requestAnimationFrame, which runs after that frame's style, layout and paint); also from the Skip click.
   Baseline: the same photo with no regions. The first such task of the session (code not yet compiled by
   the browser) is reported on its own. *Drag*: one rectangle dragged (down on it, 60 moves, up; there and
   back, twice a task); baseline: the same drag with no other region on the image.
2. ``editor_polygons``: 3,000 predicted polygons of 20 points on a 1920x1080 photo. *Zoom*: 60 Ctrl+wheel
   steps at the pointer (30 in, to 4.5x, and 30 out); *pan*: 60 wheel steps while zoomed 4x; *load* as in 1.
   Baseline: the same gestures on the same photo with no regions.
3. ``editor_brush``: a 2000x2000 photo and BrushLabels. *Paint*: one long stroke (down, 90 moves, up) at fit
   zoom; baseline: 60 wheel pan steps on the same image with no mask. *Commit*: from the stroke's pointerup
   (its event time) to the new brush region's canvas in the DOM (the stroke encoded to RLE with
   ``maskToRle``, the document and the layer updated), and to that canvas holding the painted pixels (read
   back each frame; the frames in which it was still blank are counted). The encoder alone is timed in node
   by bench_brush.py; this is the whole commit in the page.
4. ``editor_large``: a 6000x4000 (24-megapixel) JPEG made to compress like a photo (about 11 MB); the kernel
   sends a ~4-megapixel preview (labelnb/storage/preview.py). From the task's id appearing to
   ``img[data-state=ready]``, and to the image decoded (``img.decode()``) and the next frame; baseline: a
   1000x1000 photo in alternation with it. Both are shown after the kernel has gone idle (so prefetched, as
   for an annotator who spends a few seconds per task); the very first task of the session (a 24-megapixel
   one, nothing prefetched) is reported too. Then a rectangle is drawn on it and submitted, and the stored
   result's ``original_width`` is read from the project.

    .venv/bin/python benchmarks/bench_editor.py --cycles 3
"""

from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
from common import percentile, record
from PIL import Image, ImageDraw, ImageFilter
from playwright.sync_api import Browser, Page, expect, sync_playwright

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import labelnb as lnb  # noqa: E402
from tests.e2e.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.e2e.servers import Server, jupyter_lab  # noqa: E402

FRAME_S = 1 / 60  # a 60 Hz mouse: one input event per frame

CONFIGS = {
    "rects": """<View><Image name="image" value="$image"/>
  <RectangleLabels name="label" toName="image"><Label value="car"/><Label value="person"/></RectangleLabels></View>""",
    "polygons": """<View><Image name="image" value="$image"/>
  <PolygonLabels name="label" toName="image"><Label value="building"/><Label value="tree"/></PolygonLabels></View>""",
    "brush": """<View><Image name="image" value="$image"/>
  <BrushLabels name="mask" toName="image"><Label value="road"/><Label value="sky"/></BrushLabels></View>""",
    "large": """<View><Image name="image" value="$image"/>
  <RectangleLabels name="label" toName="image"><Label value="car"/><Label value="person"/></RectangleLabels></View>""",
}

# -- in the page ------------------------------------------------------------------------------------------

# Frame recorder. Each requestAnimationFrame callback notes performance.now() (when the main thread got
# to the frame: a frame whose work overran shows as a longer interval; the callback's own timestamp argument
# is the vsync time and hides that) and a probe of what the gesture changes on screen, so that the frames in
# which the dragged shape, the view or the stroke actually changed can be told from idle ones.
FRAMES_JS = """
() => {
  if (window.__lnbFrames) return;
  // brush strokes draw on canvases: count the pixels put, the probe of a stroke
  const put = CanvasRenderingContext2D.prototype.putImageData;
  window.__lnbPuts = 0;
  window.__lnbSelections = 0;
  document.addEventListener('selectionchange', () => { window.__lnbSelections += 1; });
  CanvasRenderingContext2D.prototype.putImageData = function (...args) { window.__lnbPuts += 1; return put.apply(this, args); };
  const probes = {
    preview: () => { const p = document.querySelector('.lnb-surface [data-preview]'); return p ? p.innerHTML : ''; },
    view: () => { const s = document.querySelector('.lnb-surface svg'); const st = document.querySelector('.lnb-stage');
                   const l = document.querySelector('.lnb-regions-layer');
                   return (s ? s.getAttribute('viewBox') : '') + (l ? l.style.transform : '') + (st ? st.style.transform : ''); },
    puts: () => String(window.__lnbPuts),
    // the element a wheel gesture scrolls (bench_text.py sets it)
    scroll: () => { const el = window.__lnbScroller; return el ? String(el.scrollTop) : ''; },
    // the selection's changes, counted as they are announced (reading the selection would need a layout)
    selection: () => String(window.__lnbSelections),
  };
  window.__lnbFrames = {
    start(probe) {
      const t = [], v = [];
      this.t = t; this.v = v; this.on = true;
      const read = probes[probe];
      const loop = () => { t.push(performance.now()); v.push(read()); if (this.on) requestAnimationFrame(loop); };
      requestAnimationFrame(loop);
    },
    async stop() {
      await new Promise((r) => requestAnimationFrame(() => r()));
      await new Promise((r) => requestAnimationFrame(() => r()));
      this.on = false;
      const { t, v } = this;
      const intervals = [], changes = [];
      for (let i = 1; i < t.length; i++) {
        intervals.push(t[i] - t[i - 1]);
        if (v[i] !== v[i - 1]) changes.push(t[i]);
      }
      const updates = [];
      for (let i = 1; i < changes.length; i++) updates.push(changes[i] - changes[i - 1]);
      return { intervals, updates };
    },
  };
}
"""

# Skip to the next task; times from the click, from the task id appearing, to the image ready, to `count`
# regions on the surface, to the end of the next frame; and (large images) to the image decoded.
TIMED_SKIP = """
async ({ count, decode }) => {
  const root = document.querySelector('.labelnb-root');
  const before = root.dataset.taskId;
  const t = { click: performance.now() };
  const ready = () => {
    if (t.shown === undefined && root.dataset.taskId !== undefined && root.dataset.taskId !== before) t.shown = performance.now();
    if (t.shown === undefined) return false;
    const img = root.querySelector('img[data-object]');
    if (!img || img.dataset.state !== 'ready') return false;
    if (t.ready === undefined) t.ready = performance.now();
    return root.querySelectorAll('.lnb-surface [data-region]').length === count;
  };
  const done = new Promise((resolve, reject) => {
    const observer = new MutationObserver(() => {
      if (ready()) { observer.disconnect(); resolve(); }
    });
    observer.observe(root, { subtree: true, childList: true, attributes: true });
    setTimeout(() => {
      const n = root.querySelectorAll('.lnb-surface [data-region]').length;
      const text = root.innerText.slice(0, 400);
      reject(new Error(`task ${root.dataset.taskId} not ready: ${JSON.stringify(t)}, ${n} of ${count} regions: ${text}`));
    }, 60000);
  });
  root.querySelector('[data-testid=skip]').click();
  await done;
  t.regions = performance.now();
  if (decode) await root.querySelector('img[data-object]').decode();
  t.decoded = performance.now();
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  t.frame = performance.now();
  t.id = root.dataset.taskId;
  return t;
}
"""

KERNEL_IDLE = """
() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.connectionStatus === 'connected' && k.status === 'idle'; }
"""

# The first task of a session, timed from the moment its id appears (installed before the cell runs).
FIRST_TASK_JS = """
() => {
  window.__lnbFirst = {};
  const f = window.__lnbFirst;
  const check = () => {
    const root = document.querySelector('.labelnb-root[data-task-id]');
    if (!root) return;
    if (f.shown === undefined) f.shown = performance.now();
    const img = root.querySelector('img[data-object]');
    if (img && img.dataset.state === 'ready' && f.ready === undefined) {
      f.ready = performance.now();
      observer.disconnect();
      img.decode().then(() => requestAnimationFrame(() => setTimeout(() => { f.frame = performance.now(); }, 0)));
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document.body, { subtree: true, childList: true, attributes: true });
}
"""

# After a brush stroke's pointerup: its event time, the brush region's canvas appearing, and that canvas
# holding the painted pixel at (x, y) natural px (read back once a frame).
BRUSH_COMMIT_JS = """
({ x, y }) => {
  const surface = document.querySelector('.lnb-surface');
  const layer = surface.querySelector('.lnb-brush-layer');
  const before = layer.querySelectorAll('canvas[data-region]').length;
  const c = {};
  window.__lnbCommit = c;
  window.addEventListener('pointerup', (e) => { c.up = e.timeStamp; c.handled = performance.now(); }, { capture: true, once: true });
  const painted = (canvas) => {
    const ctx = canvas.getContext('2d');
    return ctx && ctx.getImageData(x, y, 1, 1).data[3] > 0;
  };
  const poll = () => {
    const canvas = layer.querySelector('canvas[data-region]');
    if (canvas && painted(canvas)) { c.drawn = performance.now(); return; }
    c.blankFrames = (c.blankFrames || 0) + 1;
    requestAnimationFrame(poll);
  };
  const observer = new MutationObserver(() => {
    if (layer.querySelectorAll('canvas[data-region]').length > before) {
      observer.disconnect();
      c.committed = performance.now();
      c.previewGone = !layer.querySelector('canvas[data-preview]');
      requestAnimationFrame(poll);
    }
  });
  observer.observe(layer, { childList: true, subtree: true });
}
"""

# -- media ------------------------------------------------------------------------------------------------


def photo(path: Path, width: int, height: int, seed: int, quality: int = 90) -> Path:
    """A JPEG that compresses like a photo: gradients and blurred shapes under fine noise."""
    rng = random.Random(seed)
    grad = Image.linear_gradient("L").resize((width, height))
    radial = Image.radial_gradient("L").resize((width, height))
    base = Image.merge("RGB", (grad, radial, grad.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))
    draw = ImageDraw.Draw(base)
    for _ in range(40):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(max(2, width // 40), max(3, width // 6))
        draw.ellipse([x - r, y - r, x + r, y + r], fill=tuple(rng.randrange(256) for _ in range(3)))
    base = base.filter(ImageFilter.GaussianBlur(max(1, width // 500)))
    noise = Image.merge("RGB", [Image.effect_noise((width, height), 48) for _ in range(3)])
    Image.blend(base, noise, 0.33).save(path, "JPEG", quality=quality)
    return path


def copies(source: Path, folder: Path, count: int) -> list[str]:
    """``count`` files with the bytes of ``source``: each a separate medium for the kernel and the browser."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"{source.stem}-{n:03}{source.suffix}"
        shutil.copyfile(source, path)
        paths.append(str(path))
    return paths


# -- regions ----------------------------------------------------------------------------------------------

W, H = 1920, 1080
# the rectangle that is dragged: on top of the others (last), in the middle of the image, in px
TARGET = (860, 440, 200, 150)


def rect_item(n: int, x: float, y: float, w: float, h: float) -> dict[str, Any]:
    return {
        "id": f"r{n:04}", "from_name": "label", "to_name": "image", "type": "rectanglelabels",
        "original_width": W, "original_height": H, "image_rotation": 0,
        "value": {"x": x / W * 100, "y": y / H * 100, "width": w / W * 100, "height": h / H * 100,
                  "rotation": 0, "rectanglelabels": ["car" if n % 3 else "person"]},
    }  # fmt: skip


def rectangles(count: int) -> list[dict[str, Any]]:
    """``count`` - 1 boxes on a 40 x 25 grid (dense detections), then the dragged one on top."""
    items = []
    for n in range(count - 1):
        col, row = n % 40, (n // 40) % 25
        items.append(rect_item(n, col * 48 + 4, row * 43.2 + 4, 38, 34))
    items.append(rect_item(count - 1, *TARGET))
    return items


def polygons(count: int, points: int = 20) -> list[dict[str, Any]]:
    """``count`` closed polygons of ``points`` vertices, star-like blobs scattered over the image."""
    rng = random.Random(3)
    items = []
    for n in range(count):
        cx, cy, r = rng.uniform(40, W - 40), rng.uniform(40, H - 40), rng.uniform(12, 36)
        pts = []
        for k in range(points):
            a = 2 * math.pi * k / points
            rr = r * (0.6 + 0.4 * rng.random())
            pts.append([(cx + rr * math.cos(a)) / W * 100, (cy + rr * math.sin(a)) / H * 100])
        items.append({
            "id": f"p{n:04}", "from_name": "label", "to_name": "image", "type": "polygonlabels",
            "original_width": W, "original_height": H, "image_rotation": 0,
            "value": {"points": pts, "closed": True, "polygonlabels": ["building" if n % 2 else "tree"]},
        })  # fmt: skip
    return items


def task(image: str, result: list[dict[str, Any]]) -> dict[str, Any]:
    if not result:
        return {"data": {"image": image}}
    return {
        "data": {"image": image},
        "predictions": [{"result": result, "score": 0.9, "model_version": "bench"}],
    }


# -- the page ---------------------------------------------------------------------------------------------


def notebook(path: Path, code: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(code)]
    nbformat.write(nb, path)


def open_widget(
    browser: Browser,
    server: Server,
    name: str,
    project: Path,
    media: Path,
    first_js: bool = False,
    ready: str = "img[data-object][data-state=ready]",
) -> Page:
    """A page of its own running ``project``'s widget, open once one ``ready`` element is in it."""
    notebook(server.root / f"{name}.ipynb", f"import labelnb as lnb\nlnb.Project.open({str(project)!r}).annotate(media_roots=[{str(media)!r}])")  # fmt: skip
    page = browser.new_page(viewport={"width": 1280, "height": 1200})
    # a workspace of its own: JupyterLab would otherwise reopen the last scenario's notebook beside this one
    page.goto(f"{server.url}/lab/workspaces/{name}/tree/{name}.ipynb?token={server.token}")
    page.wait_for_function(KERNEL_IDLE, timeout=120_000)
    page.evaluate(FRAMES_JS)
    if first_js:
        page.evaluate(FIRST_TASK_JS)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    root = page.locator(".labelnb-root")
    expect(root).to_have_count(1, timeout=120_000)
    expect(root.locator(ready)).to_have_count(1, timeout=120_000)
    return page


def close_widget(page: Page, server: Server) -> None:
    page.close()
    with urllib.request.urlopen(f"{server.url}/api/sessions?token={server.token}") as answer:
        sessions = json.load(answer)
    for s in sessions:
        request = urllib.request.Request(
            f"{server.url}/api/sessions/{s['id']}?token={server.token}", method="DELETE"
        )
        urllib.request.urlopen(request).close()


def settle(page: Page, seconds: float = 0.3) -> None:
    """Wait for the kernel to be idle (answers and prefetching done), then a little more."""
    page.wait_for_function(KERNEL_IDLE, timeout=120_000)
    time.sleep(seconds)
    page.wait_for_function(KERNEL_IDLE, timeout=120_000)


def skip(page: Page, count: int, decode: bool = False) -> dict[str, float]:
    settle(page)
    t = page.evaluate(TIMED_SKIP, {"count": count, "decode": decode})
    return {
        "from_shown_ms": t["frame"] - t["shown"],
        "from_click_ms": t["frame"] - t["click"],
        "shown_to_ready_ms": t["ready"] - t["shown"],
        "shown_to_decoded_ms": t["decoded"] - t["shown"],
        "id": int(t["id"]),
    }


def surface_box(page: Page) -> dict[str, float]:
    surface = page.locator(".lnb-surface")
    surface.scroll_into_view_if_needed()
    box = surface.bounding_box()
    assert box is not None
    return box


class Gestures:
    """Frames, visible updates and input latencies gathered over repeated gestures of one kind.

    Input events go one frame apart, like a 60 Hz mouse; each waits until the page has taken the last one
    (Playwright returns when the renderer acknowledges the event), and that wait is the input latency.
    """

    def __init__(self, page: Page, probe: str) -> None:
        self.page, self.probe = page, probe
        self.intervals: list[float] = []
        self.updates: list[float] = []
        self.latency: list[float] = []
        self.release: list[float] = []
        self.next = 0.0

    def input(self, send: Any, into: list[float] | None = None) -> None:
        start = time.perf_counter()
        send()
        (self.latency if into is None else into).append((time.perf_counter() - start) * 1000)
        self.next = max(self.next + FRAME_S, time.perf_counter()) if self.next else start + FRAME_S
        delay = self.next - time.perf_counter()
        if delay > 0:
            time.sleep(delay)

    def record(self, gesture: Any) -> None:
        self.page.evaluate("(probe) => window.__lnbFrames.start(probe)", self.probe)
        self.next = 0.0
        gesture()
        result = self.page.evaluate("() => window.__lnbFrames.stop()")
        self.intervals += result["intervals"]
        self.updates += result["updates"]

    def path(self, points: list[tuple[float, float]]) -> None:
        """Press at the first point, move through the others, release at the last."""
        mouse = self.page.mouse

        def gesture() -> None:
            mouse.move(*points[0])
            self.input(mouse.down, [])
            for x, y in points[1:]:
                self.input(lambda x=x, y=y: mouse.move(x, y))
            self.input(mouse.up, self.release)

        self.record(gesture)

    def drag(self, start: tuple[float, float], step: tuple[float, float], moves: int) -> None:
        """Press at ``start``, ``moves`` moves of ``step`` CSS px, release."""
        self.path([(start[0] + k * step[0], start[1] + k * step[1]) for k in range(moves + 1)])

    def wheel(self, at: tuple[float, float], deltas: list[tuple[float, float]], ctrl: bool = False) -> None:
        self.record(lambda: wheel(self.page, at, deltas, ctrl, self))

    def summary(self) -> dict[str, Any]:
        f, u, lat = self.intervals, self.updates, self.latency
        out = {"frame_p50_ms": round(percentile(f, 50), 1), "frame_p95_ms": round(percentile(f, 95), 1),
               "frame_max_ms": round(max(f), 1), "frames": len(f),
               "frames_over_20_ms": sum(1 for m in f if m > 20), "frames_over_33_ms": sum(1 for m in f if m > 33.4),
               "update_p50_ms": round(percentile(u, 50), 1), "update_p95_ms": round(percentile(u, 95), 1),
               "updates": len(u),
               "input_latency_p50_ms": round(percentile(lat, 50), 1),
               "input_latency_p95_ms": round(percentile(lat, 95), 1)}  # fmt: skip
        if self.release:
            out["release_median_ms"] = round(statistics.median(self.release), 1)
            out["release_max_ms"] = round(max(self.release), 1)
        return out


def wheel(
    page: Page,
    at: tuple[float, float],
    deltas: list[tuple[float, float]],
    ctrl: bool = False,
    paced: Gestures | None = None,
) -> None:
    """Wheel steps at ``at`` (with Control held: zoom), one a frame."""
    pacer = paced or Gestures(page, "view")
    page.mouse.move(*at)
    if ctrl:
        page.keyboard.down("Control")
    for dx, dy in deltas:
        pacer.input(lambda dx=dx, dy=dy: page.mouse.wheel(dx, dy))
    if ctrl:
        page.keyboard.up("Control")
    time.sleep(0.1)


def zoom_level(page: Page) -> float:
    return float(page.locator(".lnb-surface").get_attribute("data-zoom") or "1")


def load_summary(samples: list[dict[str, float]], key: str = "from_shown_ms") -> dict[str, float]:
    values = [s[key] for s in samples]
    return {"median_ms": round(statistics.median(values), 1), "min_ms": round(min(values), 1),
            "max_ms": round(max(values), 1), "n": len(values)}  # fmt: skip


def ratio(a: float, b: float) -> float:
    return round(a / b, 2) if b else float("nan")


# -- scenarios --------------------------------------------------------------------------------------------


def bench_rects(browser: Browser, server: Server, tmp: Path, cycles: int) -> dict[str, Any]:
    media = tmp / "rects-media"
    images = copies(photo(tmp / "photo1080.jpg", W, H, 1), media, 2 + 3 * cycles)
    # the first task with 1,000 boxes runs on code the browser has not compiled yet: reported on its own
    kinds = ["empty", "first"] + ["empty", "one", "thousand"] * cycles
    results = {"empty": [], "one": rectangles(1)[-1:], "thousand": rectangles(1000)}
    results["first"] = results["thousand"]
    project = lnb.Project.create(tmp / "rects", CONFIGS["rects"], "editor bench: rectangles")
    project.import_tasks([task(image, results[kind]) for image, kind in zip(images, kinds, strict=True)])
    project.close()
    page = open_widget(browser, server, "rects", tmp / "rects", media)
    loads: dict[str, list[dict[str, float]]] = {"empty": [], "one": [], "thousand": [], "first": []}
    drags = {"one": Gestures(page, "preview"), "thousand": Gestures(page, "preview")}
    for kind in kinds[1:]:
        loads[kind].append(skip(page, len(results[kind])))
        if kind in ("empty", "first"):
            continue
        box = surface_box(page)
        x, y, w, h = TARGET
        cx, cy = box["x"] + (x + w / 2) / W * box["width"], box["y"] + (y + h / 2) / H * box["height"]
        # there and back: 60 moves of 3 x 1 screen px each way
        drags[kind].drag((cx, cy), (3, 1), 60)
        time.sleep(0.3)
        drags[kind].drag((cx + 180, cy + 60), (-3, -1), 60)
        time.sleep(1.2)  # the draft of the moved box goes out (a second after the last edit)
    stored = page.locator(".lnb-surface [data-region='r0999']")
    expect(stored).to_have_count(1)
    close_widget(page, server)
    load_1000, load_0 = load_summary(loads["thousand"]), load_summary(loads["empty"])
    click_1000, click_0 = (
        load_summary(loads["thousand"], "from_click_ms"),
        load_summary(loads["empty"], "from_click_ms"),
    )
    drag_1000, drag_1 = drags["thousand"].summary(), drags["one"].summary()
    return {
        "regions": 1000,
        "image": f"{W}x{H}",
        "load_1000_from_shown": load_1000,
        "load_0_from_shown": load_0,
        "load_ratio": ratio(load_1000["median_ms"], load_0["median_ms"]),
        "load_1000_from_click": click_1000,
        "load_0_from_click": click_0,
        "load_1_from_shown": load_summary(loads["one"]),
        "load_1000_first_task_from_shown_ms": round(loads["first"][0]["from_shown_ms"], 1),
        "drag_1000": drag_1000,
        "drag_1": drag_1,
        "drag_frame_p95_ratio": ratio(drag_1000["frame_p95_ms"], drag_1["frame_p95_ms"]),
        "drag_update_p95_ratio": ratio(drag_1000["update_p95_ms"], drag_1["update_p95_ms"]),
    }


def bench_polygons(browser: Browser, server: Server, tmp: Path, cycles: int) -> dict[str, Any]:
    media = tmp / "polygons-media"
    images = copies(photo(tmp / "photo1080b.jpg", W, H, 2), media, 2 + 2 * cycles)
    kinds = ["empty", "first"] + ["empty", "many"] * cycles
    many = polygons(3000)
    project = lnb.Project.create(tmp / "polygons", CONFIGS["polygons"], "editor bench: polygons")
    project.import_tasks(
        [task(image, [] if kind == "empty" else many) for image, kind in zip(images, kinds, strict=True)]
    )
    project.close()
    page = open_widget(browser, server, "polygons", tmp / "polygons", media)
    loads: dict[str, list[dict[str, float]]] = {"empty": [], "many": [], "first": []}
    zooms = {"empty": Gestures(page, "view"), "many": Gestures(page, "view")}
    pans = {"empty": Gestures(page, "view"), "many": Gestures(page, "view")}
    for kind in kinds[1:]:
        loads[kind].append(skip(page, 0 if kind == "empty" else 3000))
        if kind == "first":
            continue
        box = surface_box(page)
        at = (box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.45)
        zooms[kind].wheel(at, [(0, -30)] * 30 + [(0, 30)] * 30, ctrl=True)
        wheel(page, at, [(0, -100)] * 7, ctrl=True)  # to 4x, untimed
        assert 3.5 < zoom_level(page) < 4.5, zoom_level(page)
        pans[kind].wheel(at, [(8, 5)] * 30 + [(-8, -5)] * 30)
        page.locator("[data-zoom=fit]").click()
    close_widget(page, server)
    zoom_many, zoom_0 = zooms["many"].summary(), zooms["empty"].summary()
    pan_many, pan_0 = pans["many"].summary(), pans["empty"].summary()
    load_many, load_0 = load_summary(loads["many"]), load_summary(loads["empty"])
    return {
        "regions": 3000,
        "points": 20,
        "zoom_3000": zoom_many,
        "zoom_0": zoom_0,
        "zoom_frame_p95_ratio": ratio(zoom_many["frame_p95_ms"], zoom_0["frame_p95_ms"]),
        "pan_3000": pan_many,
        "pan_0": pan_0,
        "pan_frame_p95_ratio": ratio(pan_many["frame_p95_ms"], pan_0["frame_p95_ms"]),
        "load_3000_from_shown": load_many,
        "load_0_from_shown": load_0,
        "load_3000_from_click": load_summary(loads["many"], "from_click_ms"),
        "load_0_from_click": load_summary(loads["empty"], "from_click_ms"),
        "load_3000_first_task_from_shown_ms": round(loads["first"][0]["from_shown_ms"], 1),
    }


def bench_brush(browser: Browser, server: Server, tmp: Path, cycles: int) -> dict[str, Any]:
    media = tmp / "brush-media"
    size = 2000
    images = copies(photo(tmp / "photo2000.jpg", size, size, 4), media, 1 + cycles)
    project = lnb.Project.create(tmp / "brush", CONFIGS["brush"], "editor bench: brush")
    project.import_tasks([task(image, []) for image in images])
    project.close()
    page = open_widget(browser, server, "brush", tmp / "brush", media)
    pans, paints = Gestures(page, "view"), Gestures(page, "puts")
    commits: list[dict[str, float]] = []
    for _ in range(cycles):
        skip(page, 0)
        box = surface_box(page)
        at = (box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
        wheel(page, at, [(0, -100)] * 7, ctrl=True)
        pans.wheel(at, [(8, 5)] * 30 + [(-8, -5)] * 30)
        page.locator("[data-zoom=fit]").click()
        chip = page.locator("[data-label-control=mask][data-label=road]")
        if chip.get_attribute("aria-pressed") != "true":  # the tool stays on from one task to the next
            chip.click()
        box = surface_box(page)
        x0, y0 = box["x"] + box["width"] * 0.05, box["y"] + box["height"] * 0.5
        sx, sy = x0 - box["x"], y0 - box["y"]
        page.evaluate(
            BRUSH_COMMIT_JS, {"x": round(sx / box["width"] * size), "y": round(sy / box["height"] * size)}
        )
        # a long stroke: a wave from the left edge to the right, 90 moves
        paints.path(
            [(x0 + k * box["width"] * 0.009, y0 + math.sin(k / 8) * box["height"] * 0.3) for k in range(91)]
        )
        try:
            page.wait_for_function("() => window.__lnbCommit.drawn !== undefined", timeout=30_000)
        except Exception as exc:
            state = page.evaluate(
                "() => [window.__lnbCommit, document.querySelector('.lnb-brush-layer').outerHTML]"
            )
            raise RuntimeError(f"the stroke was not committed and drawn: {state}") from exc
        c = page.evaluate("() => window.__lnbCommit")
        commits.append({"committed_ms": c["committed"] - c["up"], "drawn_ms": c["drawn"] - c["up"],
                        "handler_ms": c["committed"] - c["handled"], "blank_frames": c.get("blankFrames", 0)})  # fmt: skip
        expect(page.locator(".lnb-brush-layer canvas[data-region]")).to_have_count(1)
        time.sleep(1.2)  # the draft with the mask goes out
    close_widget(page, server)
    paint, pan = paints.summary(), pans.summary()
    committed = [c["committed_ms"] for c in commits]
    drawn = [c["drawn_ms"] for c in commits]
    return {
        "image": f"{size}x{size}",
        "paint": paint,
        "pan_no_brush": pan,
        "paint_frame_p95_ratio": ratio(paint["frame_p95_ms"], pan["frame_p95_ms"]),
        "up_to_region_committed": {"median_ms": round(statistics.median(committed), 1),
                                   "min_ms": round(min(committed), 1), "max_ms": round(max(committed), 1),
                                   "n": len(committed)},
        "up_to_mask_drawn": {"median_ms": round(statistics.median(drawn), 1), "min_ms": round(min(drawn), 1),
                             "max_ms": round(max(drawn), 1), "n": len(drawn)},
        "frames_with_blank_region_canvas": [c["blank_frames"] for c in commits],
    }  # fmt: skip


def bench_large(browser: Browser, server: Server, tmp: Path, cycles: int) -> dict[str, Any]:
    media = tmp / "large-media"
    big = photo(tmp / "photo24mp.jpg", 6000, 4000, 5, quality=92)
    small = photo(tmp / "photo1mp.jpg", 1000, 1000, 6)
    bigs, smalls = copies(big, media / "big", 1 + cycles), copies(small, media / "small", cycles)
    order = [bigs[0]] + [p for pair in zip(smalls, bigs[1:], strict=True) for p in pair]
    project = lnb.Project.create(tmp / "large", CONFIGS["large"], "editor bench: a 24-megapixel photo")
    project.import_tasks([task(image, []) for image in order])
    project.close()
    page = open_widget(browser, server, "large", tmp / "large", media, first_js=True)
    page.wait_for_function("() => window.__lnbFirst.frame !== undefined", timeout=60_000)
    first = page.evaluate("() => window.__lnbFirst")
    loads: dict[str, list[dict[str, float]]] = {"big": [], "small": []}
    for n in range(cycles):
        loads["small"].append(skip(page, 0, decode=True))
        loads["big"].append(skip(page, 0, decode=True))
        assert Path(order[2 + 2 * n]).name.startswith("photo24mp")
    natural = page.evaluate("() => { const i = document.querySelector('img[data-object]'); return [i.naturalWidth, i.naturalHeight]; }")  # fmt: skip
    # a rectangle drawn on the 24-megapixel image, submitted, read back from the store
    task_id = loads["big"][-1]["id"]
    page.locator("[data-label-control=label][data-label=car]").click()
    box = surface_box(page)
    Gestures(page, "preview").drag((box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.2), (box["width"] * 0.01, box["height"] * 0.01), 30)  # fmt: skip
    expect(page.locator(".lnb-surface [data-region]")).to_have_count(1)
    settle(page)
    page.locator("[data-testid=submit]").click()
    stored: list[dict[str, Any]] = []
    deadline = time.monotonic() + 30
    while not stored and time.monotonic() < deadline:
        check = lnb.Project.open(tmp / "large")
        stored = check.annotations(task_id)
        check.close()
        time.sleep(0.2)
    close_widget(page, server)
    item = stored[0]["result"][0]
    big_ms, small_ms = load_summary(loads["big"], "shown_to_decoded_ms"), load_summary(loads["small"], "shown_to_decoded_ms")  # fmt: skip
    return {
        "image": "6000x4000",
        "jpeg_mb": round(big.stat().st_size / 1e6, 1),
        "preview_px": natural,
        "shown_to_decoded_24mp": big_ms,
        "shown_to_decoded_1mp": small_ms,
        "decoded_ratio": ratio(big_ms["median_ms"], small_ms["median_ms"]),
        "shown_to_ready_24mp": load_summary(loads["big"], "shown_to_ready_ms"),
        "shown_to_ready_1mp": load_summary(loads["small"], "shown_to_ready_ms"),
        "from_click_24mp": load_summary(loads["big"], "from_click_ms"),
        "from_click_1mp": load_summary(loads["small"], "from_click_ms"),
        "first_task_24mp_shown_to_ready_ms": round(first["ready"] - first["shown"], 1),
        "first_task_24mp_shown_to_decoded_ms": round(first["frame"] - first["shown"], 1),
        "rect_original_width": item.get("original_width"),
        "rect_original_height": item.get("original_height"),
    }


SCENARIOS = {"rects": bench_rects, "polygons": bench_polygons, "brush": bench_brush, "large": bench_large}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cycles", type=int, default=3, help="alternations of each figure and its baseline")
    parser.add_argument("--only", choices=sorted(SCENARIOS), action="append", help="run only these scenarios")
    args = parser.parse_args()
    in_lab(args.only or list(SCENARIOS), lambda name, browser, server, tmp: record(f"editor_{name}", SCENARIOS[name](browser, server, tmp, args.cycles)))  # fmt: skip


def in_lab(names: list[str], run: Callable[[str, Browser, Server, Path], None]) -> None:
    """``run`` each scenario of ``names`` with one JupyterLab server and browser, each in a folder of its own."""
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        with jupyter_lab(tmp / "server", tmp / "unused", "bench") as server, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name in names:
                (tmp / name).mkdir()
                run(name, browser, server, tmp / name)
            browser.close()


if __name__ == "__main__":
    main()
