"""Which process owns a job, and whether that process is still there.

An owner is written as ``host:pid:start``. ``start`` is when the process began (Linux: its start time in
clock ticks since boot, from ``/proc``), so a pid the system gave to a new process after the old one died
does not look like the owner come back. On the same host a job's owner is checked directly; a process on
another host cannot be seen, so there the job's heartbeat must be recent.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from functools import cache
from pathlib import Path


def _linux_start(pid: int) -> str | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name (field 2) is in parentheses and may itself hold spaces or ')'
    fields = text[text.rindex(")") + 2 :].split()
    return fields[19]  # field 22, starttime; the list starts at field 3


def _psutil_start(pid: int) -> str | None:
    try:
        import psutil
    except ImportError:
        return None
    try:
        return f"{psutil.Process(pid).create_time():.3f}"
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return None


def process_start(pid: int) -> str | None:
    """When process ``pid`` started, as an opaque text; None when there is no such process (or no way to
    tell, where neither ``/proc`` nor psutil is there: then ``""`` for a running process)."""
    if os.path.isdir("/proc/self"):
        return _linux_start(pid)
    found = _psutil_start(pid)
    if found is not None:
        return found
    return "" if _pid_exists(pid) else None


def _pid_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: it exists
    except OSError:
        return False
    return True


def hostname() -> str:
    return socket.gethostname().replace(":", "_")


@dataclass(frozen=True)
class Owner:
    host: str
    pid: int
    start: str

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}:{self.start}"

    @classmethod
    def parse(cls, text: str | None) -> Owner | None:
        """The owner written in a job row, or None when the text is not one (then nobody owns the job)."""
        if not text:
            return None
        host, _, rest = text.rpartition(":")
        host, _, pid = host.rpartition(":")
        if not host or not pid.isdigit():
            return None
        return cls(host, int(pid), rest)

    def is_alive_here(self) -> bool:
        """For an owner on this host: is its process still running (the same process, not a reused pid)?"""
        started = process_start(self.pid)
        return started is not None and (started == self.start or "" in (started, self.start))


@cache
def _this_process(pid: int) -> Owner:
    return Owner(hostname(), pid, process_start(pid) or "")


def this_process() -> Owner:
    """The owner text of the calling process (worked out again in a forked child)."""
    return _this_process(os.getpid())


def owner_gone(text: str | None, heartbeat_at: float | None, now: float, stale_after: float) -> bool:
    """True when the job's owner has certainly ended: on this host its process is gone, elsewhere (or with
    no readable owner) its heartbeat is older than ``stale_after`` seconds."""
    owner = Owner.parse(text)
    if owner is not None and owner.host == hostname():
        return not owner.is_alive_here()
    return heartbeat_at is None or now - heartbeat_at > stale_after
