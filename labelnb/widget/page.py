"""The team page (``notebooks/team.ipynb``): what whoever opens it may do, and nothing else.

In a personal project that is labelling. In a team project it follows the visitor's role: owners and
managers get the dashboard, the review stream and labelling, reviewers the same, annotators labelling
alone; several of them show as tabs. No identity, or no membership, gets a :class:`Notice` saying so.
"""

from __future__ import annotations

from typing import Any

import ipywidgets

from labelnb.team.identity import NoIdentity
from labelnb.team.roles import ALLOWED, Action
from labelnb.widget.notice import Notice


def team_page(project: Any) -> Any:
    """The widget for :attr:`project.user <labelnb.Project.user>` (see the module's docstring)."""
    from labelnb.widget.dashboard import dashboard

    try:
        user = project.user
    except NoIdentity as refused:
        return Notice(str(refused))
    if not project.team.is_team():
        return project.annotate()
    role = project.team.role_of(user)
    if role is None:
        return Notice(f"{user} is not a member of project {project.title!r}: ask its owner to add you.")
    allowed = ALLOWED[role]
    parts: list[tuple[str, Any]] = []
    if Action.SEE_TASKS in allowed:
        parts.append(("Progress", dashboard(project)))
    if Action.REVIEW in allowed:
        parts.append(("Review", project.review()))
    if Action.SUBMIT in allowed:
        parts.append(("Label", project.annotate()))
    if len(parts) == 1:
        return parts[0][1]
    tabs = ipywidgets.Tab(children=[widget for _, widget in parts])
    tabs.titles = tuple(title for title, _ in parts)
    return tabs
