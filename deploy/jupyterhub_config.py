"""JupyterHub for a labelling team: every signed-in person gets a single-user server that opens the team page
(notebooks/team.ipynb) in Voilà, and labelnb records their hub name (``JUPYTERHUB_USER``) with what they label.

Run it with ``jupyterhub -f deploy/jupyterhub_config.py``. Everything a deployment changes comes from the
environment (the Dockerfile, compose.yaml and the tests set these):

``LABELNB_TEAM_PROJECT``
    the team's project: a store URL (``postgresql+psycopg://user:password@host/db``) or a folder every user's
    server can write. Each user's server gets it in its environment.
``LABELNB_HUB_NOTEBOOKS``
    the folder holding ``team.ipynb`` (default: the repository's ``notebooks/`` next to this folder).
``LABELNB_HUB_AUTHENTICATOR``
    how people sign in: an authenticator's entry-point name or class. The default, ``pam``, signs in the
    machine's users. For a team use your identity provider: ``github``, ``google``, ``azuread``,
    ``generic-oauth``... (``pip install oauthenticator``; it reads ``OAUTH_CLIENT_ID``,
    ``OAUTH_CLIENT_SECRET`` and ``OAUTH_CALLBACK_URL``, see https://oauthenticator.readthedocs.io) or
    ``ldapauthenticator.LDAPAuthenticator``.
    ``dummy`` lets anybody in under any name: it is for the tests only, and refused unless the hub
    listens on loopback.
``LABELNB_HUB_SPAWNER``
    ``localprocess`` (default): each person's server runs as their own system user (needs those users);
    ``simple``: every server runs as the hub's user, for tests and single-purpose containers whose users
    come from OAuth and have no system account.
``LABELNB_HUB_ALLOWED_USERS``, ``LABELNB_HUB_ADMINS``
    comma-separated names: who may sign in (OAuthenticator lets nobody in without a rule like this, or its
    own ``allowed_organizations``...), and the hub's admins (they can stop and start others' servers).
``LABELNB_HUB_HOMES``
    with the ``simple`` spawner, where each person's server starts (``{username}`` is replaced).

What a signed-in user's server can do: it is a Jupyter server of theirs, so beyond the Voilà page they can
run code as its system user, read ``LABELNB_TEAM_PROJECT`` and write to the store directly. The hub makes
honest labelling attributable, not forgery impossible: see deploy/README.md.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

c = get_config()  # type: ignore[name-defined]  # noqa: F821  (JupyterHub's config loader defines it)

here = Path(__file__).resolve().parent
notebooks = Path(os.environ.get("LABELNB_HUB_NOTEBOOKS", here.parent / "notebooks")).resolve()
if not (notebooks / "team.ipynb").is_file():
    raise SystemExit(f"no team.ipynb in {notebooks}: set LABELNB_HUB_NOTEBOOKS to the folder that has it")

# -- signing in ---------------------------------------------------------------------------------------------
authenticator = os.environ.get("LABELNB_HUB_AUTHENTICATOR", "pam")
c.JupyterHub.authenticator_class = authenticator
if authenticator == "dummy":
    from jupyterhub.auth import DummyAuthenticator

    class LoopbackDummyAuthenticator(DummyAuthenticator):  # type: ignore[misc]
        """Any name, any password: refuses to start unless the hub listens on loopback only."""

        def __init__(self, **kwargs: object) -> None:
            super().__init__(**kwargs)
            host = urlsplit(self.parent.bind_url).hostname
            if host not in ("127.0.0.1", "localhost", "::1"):
                raise SystemExit(
                    f"the dummy authenticator is for tests, not for a hub on {host or 'all addresses'}"
                )

    c.JupyterHub.authenticator_class = LoopbackDummyAuthenticator
    c.Authenticator.allow_all = True


def names(variable: str) -> set[str]:
    return {name.strip() for name in os.environ.get(variable, "").split(",") if name.strip()}


if names("LABELNB_HUB_ALLOWED_USERS"):
    c.Authenticator.allowed_users = names("LABELNB_HUB_ALLOWED_USERS")
if names("LABELNB_HUB_ADMINS"):
    c.Authenticator.admin_users = names("LABELNB_HUB_ADMINS")

# -- each person's server: Voilà on the team page -----------------------------------------------------------
spawner = os.environ.get("LABELNB_HUB_SPAWNER", "localprocess")
if spawner not in ("localprocess", "simple"):
    raise SystemExit(f"LABELNB_HUB_SPAWNER must be 'localprocess' or 'simple', not {spawner!r}")
c.JupyterHub.spawner_class = spawner
c.Spawner.notebook_dir = str(notebooks)
# Voilà's server extension (enabled by `pip install voila`) renders the page inside the user's server, which
# checks the hub's sign-in on every request. Nothing comes from a CDN: labelnb's template links no
# stylesheet from one, and without a MathJax URL and config in Jupyter Server's settings Voilà would load MathJax from
# cdnjs (standalone Voilà sets neither: no MathJax at all)
c.Spawner.default_url = "/voila/render/team.ipynb"
c.Spawner.args = [
    "--VoilaConfiguration.template=labelnb",
    '--ServerApp.tornado_settings={"mathjax_url": None, "mathjax_config": None}',
]
if spawner == "simple":
    c.SimpleLocalProcessSpawner.home_dir_template = os.environ.get(
        "LABELNB_HUB_HOMES", "/tmp/labelnb-hub-home/{username}"
    )
    if os.geteuid() == 0:  # Jupyter refuses root unless told; in a container the hub often is root
        c.Spawner.args.append("--allow-root")
store = os.environ.get("LABELNB_TEAM_PROJECT")
if store:
    c.Spawner.environment = {"LABELNB_TEAM_PROJECT": store}
# a Voilà page starts a kernel and runs the notebook before it answers: give a first visit time
c.Spawner.http_timeout = 60
c.Spawner.start_timeout = 120
