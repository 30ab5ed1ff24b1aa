"""Who is labelling. Identity always comes from the kernel's side, never from widget state."""

from __future__ import annotations

import getpass
import os


def resolve_user(user: str | None = None) -> str:
    """The user to record: an explicit argument, else ``JUPYTERHUB_USER``, else the operating system user."""
    if user is not None:
        name = str(user).strip()
        if not name:
            raise ValueError("user must be a non-empty name or e-mail")
        return name
    hub_user = os.environ.get("JUPYTERHUB_USER", "").strip()
    if hub_user:
        return hub_user
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, e.g. in a bare container
        return "anonymous"
