"""Submit-to-next-task-rendered latency in a real JupyterLab, for text tasks and 1-megapixel images.

For each task the choice is clicked (untimed), then the clock starts at the Submit click and stops at the
first animation frame in which the widget shows the next task's id with its content ready (for images:
the <img> decoded, ``data-state="ready"``). That covers the kernel's validation and write, the trait
update, rendering, and for images the media having arrived (prefetched) and decoded.

The baseline, measured in the same run and the same JupyterLab set-up, is the round trip of a bare
anywidget (a click sends a message, the kernel bumps a synced counter, the page shows it): the cost of
the notebook's own transport, which no widget can go below. The same bare round trip is also measured with
labelnb's server extension (``labelnb.serverext``, TCP_NODELAY on kernel websockets) turned off: a stock
Jupyter server.

    .venv/bin/python benchmarks/bench_browser.py --tasks 50
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

import nbformat
from common import record, summary_ms
from PIL import Image, ImageDraw, ImageFilter
from playwright.sync_api import expect, sync_playwright

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import labelnb as lnb  # noqa: E402
from tests.e2e.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.e2e.servers import jupyter_lab  # noqa: E402

CONFIGS = {
    "text": """<View><Text name="text" value="$text"/>
  <Choices name="label" toName="text" showInline="true"><Choice value="pos"/><Choice value="neg"/></Choices></View>""",
    "image": """<View><Image name="image" value="$image"/>
  <Choices name="label" toName="image" showInline="true"><Choice value="pos"/><Choice value="neg"/></Choices></View>""",
}

# Resolves with the milliseconds from the Submit click to the frame showing the next, ready task.
TIMED_SUBMIT = """
async () => {
  const root = document.querySelector('.labelnb-root');
  const before = root.dataset.taskId;
  const ready = () => {
    if (root.dataset.taskId === before) return false;
    const img = root.querySelector('img[data-object]');
    return !img || (img.dataset.state === 'ready' && img.complete && img.naturalWidth > 0);
  };
  const start = performance.now();
  const shown = new Promise((resolve) => {
    const observer = new MutationObserver(() => { if (ready()) { observer.disconnect(); resolve(); } });
    observer.observe(root, { subtree: true, childList: true, attributes: true });
  });
  root.querySelector('[data-testid=submit]').click();
  await shown;
  await new Promise((resolve) => requestAnimationFrame(() => resolve()));
  return performance.now() - start;
}
"""


ECHO_WIDGET = '''
import anywidget, traitlets

class Echo(anywidget.AnyWidget):
    _esm = """
    export default { render({ model, el }) {
      const button = document.createElement('button');
      button.id = 'echo'; button.dataset.n = model.get('n'); button.textContent = 'echo';
      button.onclick = () => model.send({ kind: 'ping' });
      model.on('change:n', () => { button.dataset.n = model.get('n'); });
      el.appendChild(button);
    } };"""
    n = traitlets.Int(0).tag(sync=True)

    def __init__(self):
        super().__init__()
        self.on_msg(lambda widget, content, buffers: setattr(self, 'n', self.n + 1))

Echo()
'''
TIMED_ECHO = """
async () => {
  const button = document.querySelector('#echo');
  const before = button.dataset.n;
  const start = performance.now();
  const shown = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (button.dataset.n !== before) { observer.disconnect(); resolve(); }
    });
    observer.observe(button, { attributes: true });
  });
  button.click();
  await shown;
  await new Promise((resolve) => requestAnimationFrame(() => resolve()));
  return performance.now() - start;
}
"""


def megapixel_images(folder: Path, count: int) -> list[Path]:
    """1000x1000 JPEG photos-like images (gradients, shapes and noise), each different."""
    rng = random.Random(7)
    folder.mkdir(parents=True)
    paths = []
    for n in range(count):
        im = Image.effect_noise((1000, 1000), 40).convert("RGB")
        draw = ImageDraw.Draw(im)
        for _ in range(12):
            x, y = rng.randrange(900), rng.randrange(900)
            color = tuple(rng.randrange(256) for _ in range(3))
            draw.ellipse([x, y, x + rng.randrange(50, 300), y + rng.randrange(50, 300)], fill=color)
        path = folder / f"photo{n:03}.jpg"
        im.filter(ImageFilter.GaussianBlur(1)).save(path, quality=88)
        paths.append(path)
    return paths


def make_project(kind: str, root: Path, tasks: int) -> Path:
    path = root / f"bench-{kind}"
    project = lnb.Project.create(path, CONFIGS[kind], f"browser bench {kind}")
    if kind == "text":
        project.import_tasks(
            [{"text": f"Review {n}: the product did what it said, mostly."} for n in range(tasks + 5)]
        )
    else:
        images = megapixel_images(root / "photos", tasks + 5)
        project.import_tasks([{"image": str(p)} for p in images])
    project.close()
    return path


def notebook(path: Path, code: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(code)]
    nbformat.write(nb, path)


def run_notebook(page: Any, url: str, token: str) -> None:
    """Open bench.ipynb in JupyterLab, wait for its kernel and run every cell."""
    page.goto(f"{url}/lab/tree/bench.ipynb?token={token}")
    page.wait_for_function(
        "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
        " const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;"
        " return k && k.connectionStatus === 'connected' && k.status === 'idle'; }",
        timeout=120_000,
    )
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")


def measure(kind: str, tasks: int, tmp: Path, stock_server: bool = False) -> list[float]:
    """Seconds from click to the next rendered frame, ``tasks`` times, for "text", "image" or "echo".

    ``stock_server`` turns labelnb's Jupyter server extension off.
    """
    server_config = (
        {"ServerApp": {"jpserver_extensions": {"labelnb.serverext": False}}} if stock_server else None
    )
    if kind == "echo":
        code = ECHO_WIDGET
    else:
        project = make_project(kind, tmp, tasks)
        code = (
            f"import labelnb as lnb\nlnb.Project.open({str(project)!r}).annotate(media_roots=[{str(tmp)!r}])"
        )
    lab = jupyter_lab(tmp / f"server-{kind}", tmp / "unused", "bench", server_config)
    with lab as server, sync_playwright() as pw:
        notebook(server.root / "bench.ipynb", code)
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1200})
        run_notebook(page, server.url, server.token)
        samples = []
        if kind == "echo":
            expect(page.locator("#echo")).to_have_count(1, timeout=120_000)
            samples = [page.evaluate(TIMED_ECHO) / 1000 for _ in range(tasks)]
        else:
            root = page.locator(".labelnb-root")
            expect(root).to_have_count(1, timeout=120_000)
            if kind == "image":
                expect(root.locator("img[data-object]")).to_have_attribute(
                    "data-state", "ready", timeout=60_000
                )
            for _ in range(tasks):
                choice = root.locator("[data-choice='pos']")
                choice.click()
                expect(choice).to_have_attribute("data-selected", "true")
                samples.append(page.evaluate(TIMED_SUBMIT) / 1000)
        browser.close()
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        stock = summary_ms(measure("echo", args.tasks, Path(tmp), stock_server=True))
    record("browser_bare_anywidget_stock_server", stock)
    with tempfile.TemporaryDirectory() as tmp:
        baseline = summary_ms(measure("echo", args.tasks, Path(tmp)))
    record("browser_bare_anywidget", baseline)
    for kind in ("text", "image"):
        with tempfile.TemporaryDirectory() as tmp:
            figures = summary_ms(measure(kind, args.tasks, Path(tmp)))
        figures["p50_ratio_to_bare_anywidget"] = round(figures["p50_ms"] / baseline["p50_ms"], 2)
        record(f"browser_{kind}", figures)


if __name__ == "__main__":
    main()
