"""``Notice``: what a page shows instead of a widget its visitor may not use ("who are you", "not allowed").

The message is set as text (``textContent``), never as HTML: it can carry a name a proxy header gave.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import anywidget
import traitlets

from labelnb.team.identity import NoIdentity
from labelnb.team.roles import NotAllowed

W = TypeVar("W")
#: what says a visitor may not: nobody knows who they are, or their role does not allow it
REFUSALS = (NoIdentity, NotAllowed)

_ESM = """
export default {
  render({ model, el }) {
    const box = document.createElement("div");
    box.className = "labelnb-notice";
    box.setAttribute("role", "alert");
    const show = () => { box.textContent = model.get("message"); };
    show();
    model.on("change:message", show);
    el.appendChild(box);
  },
};
"""
_CSS = """
.labelnb-notice {
  padding: 12px 16px;
  border: 1px solid var(--jp-warn-color1, #f57c00);
  border-left-width: 4px;
  border-radius: 4px;
  background: var(--jp-layout-color1, #fff);
  color: var(--jp-ui-font-color1, #222);
  font-family: var(--jp-ui-font-family, sans-serif);
  font-size: var(--jp-ui-font-size1, 13px);
}
"""


class Notice(anywidget.AnyWidget):
    """A message in place of a widget; nothing the browser sends to it does anything."""

    _esm = _ESM
    _css = _CSS
    message = traitlets.Unicode("").tag(sync=True)

    def __init__(self, message: str) -> None:
        super().__init__(message=message)


def unless_refused(make: Callable[[], W]) -> W | Notice:
    """``make()``'s widget, or a :class:`Notice` saying why not when the visitor has no identity or their
    role does not allow it: the page then says so and can do nothing."""
    try:
        return make()
    except REFUSALS as refused:
        return Notice(str(refused))
