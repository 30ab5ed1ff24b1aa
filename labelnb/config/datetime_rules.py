"""``DateTime`` values as Label Studio's editor writes them (``tags/control/DateTime.jsx``), for checking
what the widget sends (the front end's twin is ``js/src/schema/datetime.ts``).

The stored ``datetime`` is written with the control's ``format`` (strftime directives), by default
``%Y-%m-%dT%H:%M`` when a time is shown and ``%Y-%m-%d`` when not; ``only="time"`` stores ``HH:MM``.
``min`` and ``max`` bound the value's ISO date (or its year, for ``only="year"``).
"""

from __future__ import annotations

from datetime import datetime

from .model import ControlTag

FORMAT_FULL = "%Y-%m-%dT%H:%M"
FORMAT_DATE = "%Y-%m-%d"


def _only(control: ControlTag) -> str:
    return (control.node.attrs.get("only") or "").lower()


def value_format(control: ControlTag) -> str | None:
    """The format values of this control are written with; None for ``only="time"``."""
    only = _only(control)
    if only == "time":
        return None
    written = control.node.attrs.get("format")
    if written:
        return written
    return FORMAT_FULL if (not only or "time" in only) else FORMAT_DATE


def datetime_problem(control: ControlTag, value: str) -> str | None:
    """Why ``value`` breaks the control's ``min``/``max``, or None.

    A value that does not fit the format is let through, as Label Studio keeps it (its editor then shows
    the inputs empty): imports of older exports must not fail on it.
    """
    only = _only(control)
    fmt = value_format(control)
    if fmt is None:
        return None
    try:
        # strptime and d3 share the usual directives; %e and %L are d3's only
        moment = datetime.strptime(value, fmt.replace("%e", "%d").replace("%L", "%f"))
    except ValueError:
        return None
    year_only = "year" in only and "date" not in only and "month" not in only
    iso = f"{moment.year:04d}" if year_only else moment.strftime("%Y-%m-%d")
    for bound, word in ((control.min, "later"), (control.max, "earlier")):
        if not isinstance(bound, str) or not bound or bound == "current":
            continue
        edge = bound[: len(iso)]
        if (word == "later" and iso < edge) or (word == "earlier" and iso > edge):
            return f"must be {edge} or {word}"
    return None
