"""Real servers for browser tests: JupyterLab and standalone Voilà on loopback, on free ports."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ARTIFACTS = REPO / "test-artifacts" / "e2e"


# Called just before jupyter_lab() or voila() stops its server. A page still open on a server that goes
# away logs connection errors of its own; the page fixture stops counting console errors from then on.
BEFORE_STOP: list[Callable[[], None]] = []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    url: str  # base URL, no trailing slash
    token: str
    root: Path  # the folder the server serves (a copy of notebooks/)
    log: Path


def copy_notebooks(dest: Path) -> Path:
    """A private copy of notebooks/ so that tests never write into the repository."""
    root = dest / "notebooks"
    shutil.copytree(
        REPO / "notebooks", root, ignore=shutil.ignore_patterns("*-projects", ".ipynb_checkpoints")
    )
    return root


def _quiet_lab_settings(settings_dir: Path) -> None:
    """No news or update checks: they would reach for the network and cover the page."""
    target = settings_dir / "@jupyterlab" / "apputils-extension"
    target.mkdir(parents=True, exist_ok=True)
    (target / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )


def wait_ready(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError as exc:  # any answer means the server is up
            if exc.code < 500:
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"server at {url} did not answer within {timeout}s:\n{log.read_text()[-3000:]}")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)


def server_env(workdir: Path, user: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER_", "JPY_"))}
    env.update(
        LABELNB_WORKDIR=str(workdir),
        JUPYTERHUB_USER=user,  # the identity labelnb records for annotations made in these kernels
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        PYTHONUNBUFFERED="1",
    )
    return env


@contextmanager
def jupyter_lab(
    tmp: Path, workdir: Path, user: str, server_config: dict[str, Any] | None = None
) -> Iterator[Server]:
    """``jupyter lab`` on a free loopback port; ``server_config`` is written as the user's server config."""
    root = copy_notebooks(tmp)
    port, token = free_port(), secrets.token_hex(16)
    settings = tmp / "lab-settings"
    _quiet_lab_settings(settings)
    env = server_env(workdir, user)
    env.update(JUPYTERLAB_SETTINGS_DIR=str(settings), JUPYTERLAB_WORKSPACES_DIR=str(tmp / "lab-workspaces"))
    if server_config is not None:
        config_dir = tmp / "jupyter-config"
        config_dir.mkdir(parents=True, exist_ok=True)
        (config_dir / "jupyter_server_config.json").write_text(json.dumps(server_config))
        env["JUPYTER_CONFIG_DIR"] = str(config_dir)
    log = tmp / "jupyter-lab.log"
    cmd = [
        str(BIN / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        f"--ServerApp.token={token}", f"--ServerApp.root_dir={root}", "--ServerApp.disable_check_xsrf=True",
        "--LabApp.expose_app_in_browser=True", "--ServerApp.open_browser=False",
        "--LabServerApp.notebook_starts_kernel=True", "--allow-root",
    ]  # fmt: skip
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_ready(f"{base}/api/status?token={token}", proc, log)
        yield Server(base, token, root, log)
    finally:
        for hook in BEFORE_STOP:
            hook()
        stop_server(proc)


@contextmanager
def voila(
    tmp: Path,
    workdir: Path,
    user: str,
    notebook: str,
    *,
    env: dict[str, str] | None = None,
    extra_args: Sequence[str] = (),
) -> Iterator[Server]:
    """Standalone Voilà on ``notebook`` (of a copy of notebooks/), with ``env`` in place of
    :func:`server_env`'s and ``extra_args`` on its command line."""
    root = copy_notebooks(tmp)
    port = free_port()
    log = tmp / "voila.log"
    cmd = [
        str(BIN / "voila"), notebook, "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
        "--show_tracebacks=True", "--template=labelnb",  # the README's command: no stylesheets from a CDN
        *extra_args,
    ]  # fmt: skip
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd,
            cwd=root,
            env=server_env(workdir, user) if env is None else env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_ready(f"{base}/api/status", proc, log)
        yield Server(base, "", root, log)
    finally:
        for hook in BEFORE_STOP:
            hook()
        stop_server(proc)
