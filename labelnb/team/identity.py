"""Who is labelling. Identity always comes from the kernel's side, never from widget state.

The sources, first that gives a name wins:

1. an explicit ``user`` argument (the notebook's own code: whoever wrote it is trusted);
2. ``JUPYTERHUB_USER``, which JupyterHub's spawner sets for the single-user server it starts;
3. a request header a trusted proxy sets, which Voilà copies into the kernel's environment
   (``VoilaConfiguration.http_header_envs``, as ``HTTP_<NAME>``), only when the project trusts that header
   (:class:`TrustedHeader`). A visitor can send any header they like to Voilà itself, so the proxy also sends
   a shared secret that only it and the server know (from the server's environment, which the kernel
   inherits); a request without the right secret gives no identity;
4. the operating-system user, but never in a kernel Voilà started for a page visit: there the kernel's user
   is the server's, not the visitor's, and the page gets "who are you" instead.

A query string (``QUERY_STRING``), widget traits and anything else the browser controls are never read.
"""

from __future__ import annotations

import getpass
import hmac
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

#: the header a trusted proxy (oauth2-proxy, Apache's mod_auth, nginx auth_request) sets by default
DEFAULT_USER_HEADER = "X-Forwarded-User"
#: the header that carries the proxy's shared secret
DEFAULT_SECRET_HEADER = "X-Labelnb-Proxy-Secret"
#: the server's environment variable holding that secret
DEFAULT_SECRET_ENV = "LABELNB_PROXY_SECRET"
#: longest user name accepted from any source
MAX_NAME_LENGTH = 256


class NoIdentity(PermissionError):
    """Nothing on the server's side says who this is: the page can show this and do nothing else."""

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"Who are you? labelnb cannot tell who is using this page ({reason}). Open it through your "
            "team's JupyterHub or sign-in proxy, or ask the project's owner."
        )
        self.reason = reason


def header_env_name(header: str) -> str:
    """The environment variable Voilà copies ``header`` into (RFC 3875 4.1.18): ``HTTP_X_FORWARDED_USER``."""
    return "HTTP_" + header.upper().replace("-", "_")


@dataclass(frozen=True)
class TrustedHeader:
    """A header a trusted proxy sets with the signed-in user's name, and the secret that proves the proxy
    sent it. The secret itself is never stored: only the name of the server's environment variable."""

    header: str = DEFAULT_USER_HEADER
    secret_header: str = DEFAULT_SECRET_HEADER
    secret_env: str = DEFAULT_SECRET_ENV

    def __post_init__(self) -> None:
        for field, value in (("header", self.header), ("secret_header", self.secret_header)):
            if not value or not all(c.isalnum() or c == "-" for c in value):
                raise ValueError(
                    f"trusted {field} must be an HTTP header name (letters, digits, '-'): {value!r}"
                )
        if not self.secret_env or not self.secret_env.replace("_", "").isalnum():
            raise ValueError(f"secret_env must be an environment variable name: {self.secret_env!r}")

    def to_settings(self) -> dict[str, str]:
        return {"header": self.header, "secret_header": self.secret_header, "secret_env": self.secret_env}

    @classmethod
    def from_settings(cls, kept: Mapping[str, Any] | None) -> TrustedHeader | None:
        """The trusted header kept in a project's settings, or None when the project trusts none."""
        if not kept:
            return None
        return cls(
            header=str(kept.get("header", DEFAULT_USER_HEADER)),
            secret_header=str(kept.get("secret_header", DEFAULT_SECRET_HEADER)),
            secret_env=str(kept.get("secret_env", DEFAULT_SECRET_ENV)),
        )

    def user_in(self, environ: Mapping[str, str]) -> str | None:
        """The user the proxy named, when the request carried the proxy's secret; else None."""
        expected = environ.get(self.secret_env, "")
        given = environ.get(header_env_name(self.secret_header), "")
        if not expected or not hmac.compare_digest(expected.encode(), given.encode()):
            return None
        name = environ.get(header_env_name(self.header), "").strip()
        return name or None


def served_by_voila(environ: Mapping[str, str]) -> bool:
    """Whether this kernel was started by Voilà for a page visit (it sets CGI-style variables)."""
    return environ.get("SERVER_SOFTWARE", "").startswith("voila/")


def _checked(name: str, source: str) -> str:
    name = name.strip()
    if not name:
        raise ValueError(f"{source} must be a non-empty name or e-mail")
    if len(name) > MAX_NAME_LENGTH or any(not c.isprintable() for c in name):
        raise ValueError(f"{source} must be a printable name of at most {MAX_NAME_LENGTH} characters")
    return name


def resolve_user(
    user: str | None = None,
    trusted: TrustedHeader | None = None,
    environ: Mapping[str, str] | None = None,
    *,
    allow_os_user: bool = True,
) -> str:
    """The user named by the first source that names one (see the module's docstring); without
    ``allow_os_user``, :class:`NoIdentity` instead of the operating-system user."""
    env = os.environ if environ is None else environ
    if user is not None:
        return _checked(str(user), "user")
    hub_user = env.get("JUPYTERHUB_USER", "").strip()
    if hub_user:
        return _checked(hub_user, "JUPYTERHUB_USER")
    if trusted is not None:
        named = trusted.user_in(env)
        if named is not None:
            return _checked(named, f"the {trusted.header} header")
    if not allow_os_user:
        reason = (
            f"no {trusted.header} header from the trusted proxy"
            if trusted is not None
            else "no JupyterHub user and no trusted sign-in header"
        )
        raise NoIdentity(reason)
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, e.g. in a bare container
        return "anonymous"


def identify(
    user: str | None,
    trusted: TrustedHeader | None,
    is_team: Callable[[], bool],
    environ: Mapping[str, str] | None = None,
) -> str:
    """Who acts on a project: :func:`resolve_user`, falling back to the operating-system user except in
    a kernel Voilà started for a page visit of a team project (``is_team()``) or of one that trusts a
    header, where the server's user is not the visitor and :class:`NoIdentity` is raised."""
    env = os.environ if environ is None else environ
    try:
        return resolve_user(user, trusted, env, allow_os_user=False)
    except NoIdentity:
        if served_by_voila(env) and (trusted is not None or is_team()):
            raise
    return resolve_user(None, None, {})
