"""Executors for background work that must not slow the person labelling."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

#: how much lower than the kernel a background worker process runs (Unix niceness)
BACKGROUND_NICENESS = 19


def _lower_priority() -> None:
    if hasattr(os, "nice"):
        os.nice(BACKGROUND_NICENESS)


def background_process_pool(workers: int = 1) -> ProcessPoolExecutor:
    """A pool of spawned worker processes at a lower CPU priority than the kernel.

    CPU-heavy jobs (retraining a model) run there rather than in a kernel thread: they do not hold the
    kernel's GIL while the widget's messages wait, and the operating system gives the kernel (and the
    browser) the CPU first when both want it.
    """
    return ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("spawn"), initializer=_lower_priority
    )
