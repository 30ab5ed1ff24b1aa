"""The team page shows each visitor what their role may do."""

from __future__ import annotations

from pathlib import Path

import ipywidgets
import pytest

import labelnb as lnb
from labelnb.widget.annotator import Annotator
from labelnb.widget.dashboard import Dashboard
from labelnb.widget.notice import Notice

CONFIG = '<View><Text name="t" value="$t"/><Choices name="c" toName="t"><Choice value="A"/></Choices></View>'


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    project = lnb.Project.create(tmp_path / "p", CONFIG, user="lead")
    project.import_tasks([{"t": "x"}, {"t": "y"}])
    return tmp_path / "p"


def test_a_personal_project_page_labels(folder: Path) -> None:
    assert isinstance(lnb.Project.open(folder, user="anyone").page(), Annotator)


def test_each_role_gets_its_own_page(folder: Path) -> None:
    lead = lnb.Project.open(folder, user="lead")
    lead.add_member("rita", "reviewer")
    lead.add_member("ann", "annotator")
    page = lead.page()
    assert isinstance(page, ipywidgets.Tab)
    assert page.titles == ("Progress", "Review", "Label")
    kinds = (Dashboard, Annotator, Annotator)
    assert [isinstance(child, kind) for child, kind in zip(page.children, kinds, strict=True)] == [True] * 3
    assert lnb.Project.open(folder, user="rita").page().titles == ("Progress", "Review", "Label")
    assert isinstance(lnb.Project.open(folder, user="ann").page(), Annotator)
    stranger = lnb.Project.open(folder, user="eve").page()
    assert isinstance(stranger, Notice)
    assert "eve is not a member" in stranger.message


def test_a_voila_page_without_identity_asks_who_you_are(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lnb.Project.open(folder, user="lead").add_member("ann", "annotator")
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5.13")
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    page = lnb.Project.open(folder).page()
    assert isinstance(page, Notice)
    assert "Who are you" in page.message
