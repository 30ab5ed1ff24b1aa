"""Identity comes only from the server's side: an explicit argument, JUPYTERHUB_USER, or a header a trusted
proxy set (with its shared secret), and never the OS user in a Voilà page of a team project."""

from __future__ import annotations

from pathlib import Path

import pytest

import labelnb as lnb
from labelnb.team.identity import NoIdentity, TrustedHeader, identify, resolve_user
from labelnb.widget.annotator import Annotator

CONFIG = '<View><Text name="t" value="$t"/><Choices name="c" toName="t"><Choice value="A"/></Choices></View>'
VOILA = {"SERVER_SOFTWARE": "voila/0.5.13", "SCRIPT_NAME": "/voila/render/team.ipynb"}
PROXIED = {
    "HTTP_X_FORWARDED_USER": "alice",
    "HTTP_X_LABELNB_PROXY_SECRET": "s3cret",
    "LABELNB_PROXY_SECRET": "s3cret",
}


def test_the_sources_in_order() -> None:
    trusted = TrustedHeader()
    env = {**PROXIED, "JUPYTERHUB_USER": "hubuser"}
    assert resolve_user("explicit", trusted, env) == "explicit"
    assert resolve_user(None, trusted, env) == "hubuser"
    assert resolve_user(None, trusted, PROXIED) == "alice"
    assert resolve_user(None, None, PROXIED) != "alice"  # a project that trusts no header ignores it


@pytest.mark.parametrize(
    "env",
    [
        {"HTTP_X_FORWARDED_USER": "mallory"},  # no secret: the request went around the proxy
        {**PROXIED, "HTTP_X_LABELNB_PROXY_SECRET": "guess"},  # a wrong secret
        {"HTTP_X_FORWARDED_USER": "mallory", "HTTP_X_LABELNB_PROXY_SECRET": ""},  # the server has no secret
        {"QUERY_STRING": "user=mallory", "HTTP_X_FORWARDED_USER": "mallory"},
    ],
)
def test_a_header_without_the_proxys_secret_names_nobody(env: dict[str, str]) -> None:
    with pytest.raises(NoIdentity, match="Who are you"):
        resolve_user(None, TrustedHeader(), {**VOILA, **env}, allow_os_user=False)
    with pytest.raises(NoIdentity):
        identify(None, TrustedHeader(), lambda: False, {**VOILA, **env})


def test_outside_voila_and_in_personal_projects_the_os_user_labels() -> None:
    assert identify(None, None, lambda: True, {}) == resolve_user(None, None, {})
    assert identify(None, None, lambda: False, VOILA) == resolve_user(None, None, {})
    with pytest.raises(NoIdentity):
        identify(None, None, lambda: True, VOILA)


def test_bad_names_and_header_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="non-empty"):
        resolve_user("  ")
    with pytest.raises(ValueError, match="printable"):
        resolve_user(None, TrustedHeader(), {**PROXIED, "HTTP_X_FORWARDED_USER": "a\x00b"})
    with pytest.raises(ValueError, match="header name"):
        TrustedHeader(header="X-User: injected")


def test_a_team_page_without_identity_says_who_are_you_and_does_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = lnb.Project.create(tmp_path, CONFIG, user="lead")
    project.import_tasks([{"t": "x"}])
    project.add_member("alice", "annotator")
    project.trust_header("X-Forwarded-User")
    for key, value in VOILA.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.setenv("LABELNB_PROXY_SECRET", "s3cret")
    monkeypatch.setenv("HTTP_X_FORWARDED_USER", "alice")  # but no secret header
    page = lnb.Project.open(tmp_path)
    notice = page.annotate()
    assert not isinstance(notice, Annotator)
    assert "Who are you" in notice.message  # type: ignore[union-attr]
    with pytest.raises(NoIdentity):
        page.next_task()
    assert project.annotations(1) == []
    assert project.tasks_frame()["status"].tolist() == ["unlabeled"]  # not even leased
    # the same page through the proxy labels as alice
    monkeypatch.setenv("HTTP_X_LABELNB_PROXY_SECRET", "s3cret")
    widget = lnb.Project.open(tmp_path).annotate()
    assert isinstance(widget, Annotator)
    assert widget.user == "alice"


def test_the_browser_cannot_change_who_labels(tmp_path: Path) -> None:
    project = lnb.Project.create(tmp_path, CONFIG, user="alice")
    project.import_tasks([{"t": "x"}])
    widget = project.annotate()
    assert isinstance(widget, Annotator)
    widget.set_state({"status": {**widget.status, "user": "mallory"}})  # what a browser can do to a trait
    widget._on_message(
        widget,
        {"kind": "submit", "request_id": "r", "task_id": 1, "result": [], "lead_time": 1.0},
        [],
    )
    assert [project.store.users()[a["completed_by"]] for a in project.annotations(1)] == ["alice"]
