"""Shared helpers for the benchmarks: timers, percentiles, and the results file the README table is read from."""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

OUT = Path(os.environ.get("LABELNB_BENCH_OUT", Path(__file__).resolve().parent / "out"))
TEXT_CONFIG = """
<View>
  <Text name="text" value="$text"/>
  <Choices name="label" toName="text"><Choice value="pos"/><Choice value="neg"/></Choices>
</View>
"""


def small_text_frame(n: int) -> pd.DataFrame:
    """``n`` small text tasks, the same in every benchmark."""
    return pd.DataFrame({"text": [f"task {i}: a short sentence to label" for i in range(n)]})


@contextmanager
def timer() -> Iterator[dict[str, float]]:
    box: dict[str, float] = {}
    start = time.perf_counter()
    yield box
    box["seconds"] = time.perf_counter() - start


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def summary_ms(samples_s: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in samples_s]
    return {"p50_ms": percentile(ms, 50), "p95_ms": percentile(ms, 95), "p99_ms": percentile(ms, 99),
            "mean_ms": statistics.fmean(ms), "n": len(ms)}  # fmt: skip


def record(name: str, figures: dict[str, Any]) -> None:
    """Merge one benchmark's figures into out/results.json and print them."""
    OUT.mkdir(exist_ok=True)
    path = OUT / "results.json"
    results = json.loads(path.read_text()) if path.exists() else {}
    results[name] = figures
    path.write_text(json.dumps(results, indent=2, sort_keys=True))
    print(name, json.dumps(figures, indent=2))
