"""Many small local files, written by a second process while the export goes on computing the next ones.

A YOLO export writes one label file per image. Creating a file is kernel work (an open, a write, a close)
that costs as much as computing its lines, and a thread cannot overlap it: after each system call the
thread waits for the GIL, which the export's own thread gives up only every few milliseconds. A child
interpreter has no such lock, so on a machine with two cores the files are written while the next ones
are computed.

:class:`FileWriter` writes the first :attr:`FileWriter.START_AFTER` files itself (a small export never pays
for a process), then starts ``python -I -c <child>`` and sends it ``(path, body)`` frames through a pipe,
in order, so a later write of the same path wins as it would in-process. The child stops at its first
failed write and reports it; the parent raises it as the ``OSError`` it was (``IsADirectoryError``...) at
the next :meth:`FileWriter.sync` or :meth:`FileWriter.close`. When the parent dies, the child reads the
end of its input and exits.
"""

from __future__ import annotations

import contextlib
import os
import struct
import subprocess
import sys
from typing import IO

#: open flags for a new file, replacing an older one of the same name
CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)

_FRAME = struct.Struct("<II")  # the path's length and the body's; a path length of 0 asks for an ack

# The child's whole program (run with -I: no user site, no current folder, nothing of labelnb imported).
# It answers each sync frame with one byte: 0 when every write so far succeeded, else 1 and the error as
# "errno\0message\0path"; after an error it reads and drops the rest.
_CHILD = r"""
import os, struct, sys
frame, source, answer = struct.Struct("<II"), sys.stdin.buffer, sys.stdout.buffer
error = None

def read(n):
    data = source.read(n)
    if len(data) < n:
        raise SystemExit(0)
    return data

while True:
    length, size = frame.unpack(read(frame.size))
    if length == 0:
        answer.write(b"\0" if error is None else b"\1" + error + b"\n")
        answer.flush()
        continue
    path, body = read(length), read(size)
    if error is not None:
        continue
    try:
        fd = os.open(path, FLAGS, 0o666)
        try:
            view = memoryview(body)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
    except OSError as exc:
        error = b"\0".join([str(exc.errno or 0).encode(), (exc.strerror or str(exc)).encode(), path])
"""


def write_file(path: str, body: bytes) -> None:
    """``body`` as the whole file ``path`` (os.open/os.write: a Python file object costs more than the file)."""
    fd = os.open(path, CREATE, 0o666)
    try:
        written = os.write(fd, body)
        if written < len(body):  # rare: a short write goes on from where it stopped
            view = memoryview(body)[written:]
            while view:
                view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


class FileWriter:
    """Writes whole local files in the order given, through a child process once there are many."""

    #: files written in-process before the child starts
    START_AFTER = 2000
    #: frames gathered before one write to the pipe
    BATCH = 256

    def __init__(self) -> None:
        self._count = 0
        self._child: subprocess.Popen[bytes] | None = None
        self._frames: list[bytes] = []
        self._returncode: int | None = None

    def write(self, path: str, body: bytes) -> None:
        """Write ``body`` as the file ``path`` (now, or soon by the child)."""
        self._count += 1
        if self._child is None:
            if self._count <= self.START_AFTER:
                write_file(path, body)
                return
            self._child = _start()
        encoded = os.fsencode(path)
        self._frames += (_FRAME.pack(len(encoded), len(body)), encoded, body)
        if len(self._frames) >= 3 * self.BATCH:
            self._send()

    def sync(self) -> None:
        """Wait until every file given so far is written; raise the first write that failed."""
        if self._child is None:
            return
        self._frames.append(_FRAME.pack(0, 0))
        self._send()
        stdout = self._child.stdout
        assert stdout is not None
        status = stdout.read(1)
        if status == b"\0":
            return
        report = stdout.readline().rstrip(b"\n") if status == b"\1" else b""
        self.abort()
        if not report:
            raise OSError(f"the export's file writer stopped (exit code {self._returncode})")
        number, message, path = report.split(b"\0", 2)
        raise OSError(int(number), message.decode(errors="replace"), os.fsdecode(path))

    def close(self) -> None:
        """Write what is left and stop the child; raises a failed write."""
        if self._child is None:
            return
        self.sync()
        child, self._child = self._child, None
        _pipe(child.stdin).close()
        child.wait()
        _pipe(child.stdout).close()

    def abort(self) -> None:
        """Stop the child at once, dropping what it has not written (the export failed)."""
        child, self._child = self._child, None
        self._frames.clear()
        if child is None:
            return
        child.kill()
        self._returncode = child.wait()
        for pipe in (child.stdin, child.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):  # a broken pipe's buffered frames are dropped
                    pipe.close()

    def _send(self) -> None:
        assert self._child is not None
        frames, self._frames = self._frames, []
        stdin = _pipe(self._child.stdin)
        try:
            stdin.write(b"".join(frames))
            stdin.flush()
        except BrokenPipeError:  # the child is gone: sync() says why
            pass


def _pipe(pipe: IO[bytes] | None) -> IO[bytes]:
    assert pipe is not None
    return pipe


def _start() -> subprocess.Popen[bytes]:
    program = _CHILD.replace("FLAGS", str(CREATE))
    return subprocess.Popen(
        [sys.executable, "-I", "-c", program],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        close_fds=True,
    )
