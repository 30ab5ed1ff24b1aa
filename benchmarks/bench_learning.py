"""Active learning on a data set shipped with scikit-learn: labels each strategy needs, against seeded random.

Each strategy labels the digits data set (1,797 8x8 images, 10 classes; a fixed quarter held out for scoring)
through ``labelnb.simulate``: the real queue, learner and store, an oracle answering from the true label.
A logistic regression retrains every ``--every`` labels up to ``--budget``. For each of ``--seeds`` seeds
the curve (held-out accuracy against labels) is recorded; the target is the mean accuracy seeded random
reaches with ``--n`` labels, and each strategy's figure is the labels it needs to reach that target
(interpolated on its curve; a run that never reaches it counts as more than the budget). Every strategy is
reported, those worse than random too. The curves are saved as a plot.

    .venv/bin/python benchmarks/bench_learning.py --seeds 5 --budget 300 --n 200
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from common import OUT, record
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import labelnb as lnb  # noqa: E402

CONFIG = (
    """<View><Text name="name" value="$name"/>
<Choices name="digit" toName="name">"""
    + "".join(f'<Choice value="{d}"/>' for d in range(10))
    + """</Choices></View>"""
)

STRATEGIES = ("random", "least_confidence", "margin", "entropy", "diversity")


def run(
    strategy: str, seed: int, args: argparse.Namespace, data: tuple[np.ndarray, ...], root: Path
) -> pd.DataFrame:
    x_pool, x_test, y_pool, y_test = data
    project = lnb.Project.create(root / f"{strategy}-{seed}", CONFIG)
    project.import_tasks(
        [{"name": f"digit {i}", "x": x_pool[i].tolist(), "truth": str(y_pool[i])} for i in range(len(x_pool))]
    )
    curve = lnb.simulate(
        project,
        "truth",
        estimator=LogisticRegression(max_iter=300),
        features="x",
        strategy=strategy,
        budget=args.budget,
        retrain_every=args.every,
        holdout=(x_test, y_test.astype(str)),
        seed=seed,
    )
    project.close()
    return curve


def labels_to_reach(curve: pd.DataFrame, target: float, budget: int) -> float:
    """Labels at which the curve first reaches ``target``, linearly between two versions; budget + every if never."""
    labels, scores = curve["labels"].to_numpy(float), curve["accuracy"].to_numpy(float)
    for i, (n, score) in enumerate(zip(labels, scores, strict=True)):
        if score >= target:
            if i == 0:
                return float(n)
            n0, s0 = labels[i - 1], scores[i - 1]
            return float(n0 + (target - s0) / (score - s0) * (n - n0))
    return float("inf")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--budget", type=int, default=300)
    parser.add_argument("--every", type=int, default=10)
    parser.add_argument("--n", type=int, default=200, help="labels random gets to set the target")
    parser.add_argument("--strategies", default=",".join(STRATEGIES))
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    digits = load_digits()
    data = train_test_split(
        digits.data / 16.0, digits.target, test_size=0.25, random_state=0, stratify=digits.target
    )
    curves: dict[str, list[pd.DataFrame]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for strategy in args.strategies.split(","):
            curves[strategy] = [run(strategy, seed, args, data, Path(scratch)) for seed in range(args.seeds)]
    random_at_n = [float(np.interp(args.n, c["labels"], c["accuracy"])) for c in curves["random"]]
    target = statistics.fmean(random_at_n)
    figures: dict[str, object] = {
        "data_set": f"digits ({len(data[0])} to label, {len(data[1])} held out)",
        "seeds": args.seeds, "budget": args.budget, "retrain_every": args.every, "n": args.n,
        "target_accuracy": round(target, 4),
    }  # fmt: skip
    for strategy, runs in curves.items():
        needed = [labels_to_reach(c, target, args.budget) for c in runs]
        finite = [n for n in needed if np.isfinite(n)]
        figures[strategy] = {
            "labels_mean": round(statistics.fmean(finite), 1) if finite else None,
            "labels_sd": round(statistics.stdev(finite), 1) if len(finite) > 1 else 0.0,
            "reached": f"{len(finite)}/{len(needed)}",
            "fewer_than_random_pct": round(100 * (1 - statistics.fmean(finite) / args.n), 1) if finite else None,
            "accuracy_at_n_mean": round(statistics.fmean(float(np.interp(args.n, c["labels"], c["accuracy"])) for c in runs), 4),
        }  # fmt: skip
    record("learning", figures)
    plot(curves, target, args, OUT / "learning_curves.png")


def plot(curves: dict[str, list[pd.DataFrame]], target: float, args: argparse.Namespace, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.2))
    grid = np.arange(args.every, args.budget + 1, args.every)
    for strategy, runs in curves.items():
        ys = np.array([np.interp(grid, c["labels"], c["accuracy"]) for c in runs])
        mean, sd = ys.mean(axis=0), ys.std(axis=0)
        ax.plot(grid, mean, label=strategy)
        ax.fill_between(grid, mean - sd, mean + sd, alpha=0.15)
    ax.axhline(target, color="grey", linestyle=":", linewidth=1)
    ax.axvline(args.n, color="grey", linestyle=":", linewidth=1)
    ax.set_xlabel("labels")
    ax.set_ylabel("held-out accuracy")
    ax.set_title(f"digits, logistic regression: mean ± sd over {args.seeds} seeds")
    ax.legend(loc="lower right")
    ax.grid(alpha=0.3)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


if __name__ == "__main__":
    main()
