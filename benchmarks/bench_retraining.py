"""Submit-to-next-task latency in a real JupyterLab while a retraining job runs, against the same widget idle.

The notebook opens a text project of ``--pool`` tasks (200 already labelled) with a classifier in the loop
(a hashing vectoriser and a logistic regression over the texts). A thread in the kernel keeps one retraining
job after another running while a flag file exists (``learner.retrain()``: ``project.learn``'s default, a
low-priority worker process; ``--executor threads`` runs them on the project's thread runner instead): each round reads every task,
fits, predicts all unlabelled tasks and writes their predictions as a new model version. The page submits
tasks in alternating blocks, idle and retraining, timed as in bench_browser.py (Submit click to the frame
showing the next task). Goal: the retraining p50 within 1.5x of the idle p50.

    .venv/bin/python benchmarks/bench_retraining.py --tasks 60
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from bench_browser import TIMED_SUBMIT, notebook, run_notebook
from common import record, summary_ms
from playwright.sync_api import expect, sync_playwright

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import labelnb as lnb  # noqa: E402
from labelnb.store import model_runs  # noqa: E402
from tests.e2e.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.e2e.servers import jupyter_lab  # noqa: E402

CONFIG = """<View><Text name="text" value="$text"/>
  <Choices name="label" toName="text" showInline="true"><Choice value="pos"/><Choice value="neg"/></Choices></View>"""
WORDS = {
    "pos": ["good", "great", "fine", "lovely", "works"],
    "neg": ["bad", "broken", "awful", "poor", "late"],
}

KERNEL_CODE = """
import threading, time
from pathlib import Path
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
import labelnb as lnb
from labelnb.learn.loop import retrain_job

project = lnb.Project.open({project!r})
learner = project.learn(make_pipeline(HashingVectorizer(n_features=2**16), LogisticRegression(max_iter=200)),
                        features="text", retrain_every=10**9)
flag, busy = Path({flag!r}), Path({busy!r})

def keep_retraining():
    while True:
        if flag.exists():
            job = (learner.retrain() if {processes!r} else project.runner.submit("retrain", retrain_job, learner.spec))
            busy.touch()
            job.wait()
        else:
            busy.unlink(missing_ok=True)
            time.sleep(0.02)

threading.Thread(target=keep_retraining, daemon=True).start()
project.annotate("bench")
"""


def make_project(root: Path, pool: int) -> Path:
    path = root / "bench-retraining"
    project = lnb.Project.create(path, CONFIG, "retraining bench")
    labels = ["pos" if n % 2 else "neg" for n in range(pool)]
    project.import_tasks(
        [
            {"text": f"Review {n}: " + " ".join(WORDS[y][(n + k) % 5] for k in range(6))}
            for n, y in enumerate(labels)
        ]
    )
    for task_id in range(pool - 199, pool + 1):  # labelled by someone else: the widget's queue starts at 1
        answer = [
            {
                "from_name": "label",
                "to_name": "text",
                "type": "choices",
                "value": {"choices": [labels[task_id - 1]]},
            }
        ]
        project.submit(task_id, answer, user="earlier")
    project.close()
    return path


def measure(tasks: int, pool: int, processes: bool, tmp: Path) -> tuple[list[float], list[float], int]:
    flag, busy = tmp / "retrain.flag", tmp / "retrain.busy"
    code = KERNEL_CODE.format(
        project=str(make_project(tmp, pool)), processes=processes, flag=str(flag), busy=str(busy)
    )
    idle: list[float] = []
    retraining: list[float] = []
    with jupyter_lab(tmp / "server", tmp / "unused", "bench", None) as server, sync_playwright() as pw:
        notebook(server.root / "bench.ipynb", code)
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        run_notebook(page, server.url, server.token)
        root = page.locator(".labelnb-root")
        expect(root).to_have_count(1, timeout=120_000)
        block = max(1, tasks // 10)
        for n in range(10):
            retrain_now = n % 2 == 1
            if retrain_now:
                flag.touch()
                _until(busy.exists, "the first retraining job to start")
            else:
                flag.unlink(missing_ok=True)
                _until(lambda: not busy.exists(), "the retraining jobs to stop")
            print(f"block {n} ({'retraining' if retrain_now else 'idle'})", flush=True)
            for _ in range(block):
                choice = root.locator("[data-choice='pos']")
                if (
                    choice.get_attribute("data-selected") != "true"
                ):  # else the model's pre-annotation chose it
                    choice.click()
                expect(choice).to_have_attribute("data-selected", "true")
                (retraining if retrain_now else idle).append(page.evaluate(TIMED_SUBMIT) / 1000)
        flag.unlink(missing_ok=True)
        browser.close()
    done = lnb.Project.open(tmp / "bench-retraining")
    rounds = len(model_runs.versions(done.store.engine, done.store.project_id))
    done.close()
    return idle, retraining, rounds


def _until(condition, what: str, timeout: float = 120.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:.0f} s for {what}")
        time.sleep(0.02)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=60)
    parser.add_argument("--pool", type=int, default=20_000)
    parser.add_argument("--executor", choices=["process", "threads"], default="process")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        idle, busy, rounds = measure(args.tasks, args.pool, args.executor == "process", Path(tmp))
    figures = {"pool": args.pool, "executor": args.executor, "rounds": rounds,
               "idle": summary_ms(idle), "retraining": summary_ms(busy)}  # fmt: skip
    figures["p50_ratio"] = round(figures["retraining"]["p50_ms"] / figures["idle"]["p50_ms"], 2)  # type: ignore[index]
    record(f"browser_retraining_{args.executor}", figures)


if __name__ == "__main__":
    main()
