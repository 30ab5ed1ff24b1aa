"""A progress bar in the notebook for long work done in the foreground (exports, syncs).

Outside a Jupyter kernel (a script, the CLI, a test) nothing is shown and the callback costs a counter.
Background jobs have their own live display (``labelnb.widget.jobs``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

#: the bar is redrawn at most this often (seconds): a million tasks must not mean a million comm messages
REDRAW_S = 0.2


def in_kernel() -> bool:
    """True when running in a Jupyter kernel that can show widgets."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


class _Bar:
    def __init__(self, total: int | None, description: str) -> None:
        import ipywidgets
        from IPython.display import display

        self.total = total
        self.done = 0
        self._drawn_at = 0.0
        self.bar = ipywidgets.FloatProgress(value=0.0, min=0.0, max=1.0, description=description)
        self.label = ipywidgets.Label()
        self.widget = ipywidgets.HBox([self.bar, self.label])
        display(self.widget)  # type: ignore[no-untyped-call]
        self.draw()

    def draw(self) -> None:
        self._drawn_at = time.monotonic()
        if self.total:
            self.bar.value = min(1.0, self.done / self.total)
            self.label.value = f"{self.done:,} of {self.total:,}"
        else:
            self.label.value = f"{self.done:,}"

    def advance(self, done: int) -> None:
        self.done += done
        if time.monotonic() - self._drawn_at >= REDRAW_S:
            self.draw()

    def finish(self, failed: bool) -> None:
        if self.total and not failed:
            self.done = max(self.done, self.total)
        self.draw()
        self.bar.bar_style = "danger" if failed else "success"


@contextmanager
def notebook_progress(
    total: int | None, description: str, *, show: bool | None = None
) -> Iterator[Callable[[int], Any]]:
    """A callback taking how many more units are done; a bar shows them in the notebook.

    Args:
        total: the number of units when known (a bar that fills), else None (a count).
        description: the bar's label (``"export"``).
        show: force the bar on or off; by default it shows in a Jupyter kernel only.
    """
    if not (in_kernel() if show is None else show):
        yield lambda done: None
        return
    bar = _Bar(total, description)
    try:
        yield bar.advance
    except BaseException:
        bar.finish(failed=True)
        raise
    bar.finish(failed=False)
