"""The checkout stays clean: `make test` rebuilds nothing twice, writes nothing git would see, `make lab`
starts JupyterLab without an error, and running the example notebook leaves `git status` as it was.

These run inside `make test`, after it installed everything, in the repository they belong to.
"""

from __future__ import annotations

import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.servers import free_port, stop_server, wait_ready

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
VENV_SHARE = Path(sys.prefix) / "share" / "jupyter"

# what a JupyterLab start prints when something broke: a Python traceback, a JavaScript or Python
# exception name ("Error: Dynamic require ...", "TypeError"), or a line logged at error or critical level
ERROR_MARKERS = re.compile(r"Traceback|\b[A-Za-z]*Error\b|^\[[EC] ", re.MULTILINE)


def git(*args: str) -> str:
    if shutil.which("git") is None:
        pytest.fail("git is not installed: these tests check the git checkout that `make test` runs in")
    run = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, timeout=60)
    if run.returncode != 0:
        pytest.fail(
            f"`git {' '.join(args)}` failed in {REPO}: {run.stderr.strip()}\n"
            "These tests check that `make test` leaves its git checkout clean: run them in a git clone."
        )
    return run.stdout


def git_status(*paths: str) -> list[str]:
    top = Path(git("rev-parse", "--show-toplevel").strip()).resolve()
    if top != REPO:
        pytest.fail(f"{REPO} is not the top of a git checkout (git says {top}): run the tests in a clone")
    return git("status", "--porcelain", "--untracked-files=all", "--", *paths).splitlines()


def test_make_install_has_nothing_left_to_do() -> None:
    """Every stamp is newer than what it depends on: a second `make test` installs and builds nothing."""
    question = subprocess.run(["make", "--question", "install"], cwd=REPO, capture_output=True, text=True)
    if question.returncode != 0:
        dry = subprocess.run(["make", "--dry-run", "install"], cwd=REPO, capture_output=True, text=True)
        pytest.fail(f"`make install` would run again after `make test` installed everything:\n{dry.stdout}")


def test_the_checkout_is_clean() -> None:
    """Nothing `make test` did (npm, the build, pip, the tests so far) shows in `git status`."""
    status = git_status()
    assert status == [], (
        "git status is not empty; `make test` in a fresh clone must leave it so. Ignore what the build or "
        "the tests write in .gitignore, or stop writing it; if these are your own edits, commit them:\n"
        + "\n".join(status)
    )


def test_the_installed_voila_template_is_the_one_in_the_source() -> None:
    """pip copies labelnb's Voila template into share/jupyter at install; `make` reinstalls when it changes."""
    source = REPO / "labelnb" / "voila_templates" / "labelnb"
    installed = VENV_SHARE / "voila" / "templates" / "labelnb"
    assert source.is_dir(), f"{source} is missing"
    names = sorted(path.name for path in source.iterdir())
    assert names == ["conf.json", "index.html.j2"]
    for name in names:
        assert (installed / name).read_bytes() == (source / name).read_bytes(), f"{installed / name} is stale"


def make_lab_command() -> list[str]:
    """The command `make lab` runs, read from the Makefile (make --dry-run prints it without running it)."""
    dry = subprocess.run(
        ["make", "--no-print-directory", "--dry-run", "lab"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    commands = [shlex.split(line) for line in dry.stdout.splitlines() if " lab" in line]
    commands = [cmd for cmd in commands if cmd[:2] and Path(cmd[0]).name == "jupyter" and cmd[1] == "lab"]
    assert len(commands) == 1, f"no single `jupyter lab` command in `make --dry-run lab`:\n{dry.stdout}"
    return commands[0]


def test_make_lab_starts_jupyterlab_without_an_error(tmp_path: Path) -> None:
    port, token = free_port(), secrets.token_hex(16)
    cmd = [*make_lab_command(), "--no-browser", f"--port={port}", f"--IdentityProvider.token={token}"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER_", "JPY_"))}
    env.update(PYTHONUNBUFFERED="1", JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    log = tmp_path / "jupyter-lab.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_ready(f"http://127.0.0.1:{port}/api/status?token={token}", proc, log)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token={token}", timeout=30) as page:
            assert page.status == 200
        started = wait_for_log(
            log, ["Jupyter Server", "is running at", "jupyterlab | extension was successfully loaded"]
        )
    finally:
        stop_server(proc)
    assert "Serving notebooks from local directory: " + str(NOTEBOOKS) in started
    errors = [line for line in started.splitlines() if ERROR_MARKERS.search(line)]
    assert errors == [], f"`make lab` printed errors at start ({' '.join(cmd)}):\n{started}"
    assert "Traceback" not in log.read_text(errors="replace"), log.read_text(errors="replace")


def wait_for_log(log: Path, needles: list[str], timeout: float = 60.0, quiet: float = 2.0) -> str:
    """The log once it holds every needle and has then been quiet for ``quiet`` seconds."""
    deadline = time.monotonic() + timeout
    text, last_change = "", time.monotonic()
    while time.monotonic() < deadline:
        now = log.read_text(errors="replace")
        if now != text:
            text, last_change = now, time.monotonic()
        elif all(needle in text for needle in needles) and time.monotonic() - last_change >= quiet:
            return text
        time.sleep(0.2)
    raise AssertionError(f"the server log never showed {needles} within {timeout}s:\n{text}")


def test_running_the_quickstart_notebook_adds_nothing_to_git_status(tmp_path: Path) -> None:
    """Executed where a user runs it (in notebooks/, projects in the default folder), the notebook writes
    only what .gitignore ignores. What it made is removed afterwards; projects that were there before
    (a developer's own labels) are left in place, and the notebook carries on in them."""
    projects = NOTEBOOKS / "quickstart-projects"
    existed = projects.exists()
    projects_before = set(projects.iterdir()) if existed else set()
    before = set(git_status("notebooks"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER_", "JPY_", "LABELNB_"))}
    env.update(JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    jupyter = str(Path(sys.executable).parent / "jupyter")
    try:
        run = subprocess.run(
            [jupyter, "nbconvert", "--to", "notebook", "--execute", f"--output-dir={tmp_path}",
             "--output=quickstart-executed", "quickstart.ipynb"],
            cwd=NOTEBOOKS, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert run.returncode == 0, run.stdout + run.stderr
        assert (tmp_path / "quickstart-executed.ipynb").exists()
        assert (projects / "reviews" / "project.db").exists()
        after = git_status("notebooks")
        new = sorted(set(after) - before)
        assert new == [], "running notebooks/quickstart.ipynb wrote files git does not ignore"
        # and its projects are ignored even when they were there before the test
        assert [line for line in after if "notebooks/quickstart-projects/" in line] == []
    finally:  # remove what the run made, and only that
        if not existed:
            shutil.rmtree(projects, ignore_errors=True)
        elif projects.exists():
            for made in set(projects.iterdir()) - projects_before:
                shutil.rmtree(made, ignore_errors=True)
