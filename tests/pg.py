"""A throwaway PostgreSQL server for tests and benchmarks.

``PostgresServer`` runs ``initdb`` and ``postgres`` from Debian's packages (found by a glob over
``/usr/lib/postgresql/*/bin``, since they are not on ``PATH``) in a temporary folder: the data directory and
the unix socket both live there, and the server listens on a free loopback port. PostgreSQL refuses to run
as root, so when this process is root the cluster belongs to the ``postgres`` system user the Debian
package creates and both programs run as that user.

``new_database()`` hands out a fresh database per test, copied from a template the store's migrations
already ran on (a migration run costs far more than a copy); ``new_database(migrated=False)`` gives an empty
one. Usable without pytest::

    with PostgresServer() as server:
        url = server.new_database()
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import psycopg

#: how long the server may take to accept connections, and to shut down
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 30.0
SUPERUSER = "labelnb"
TEMPLATE = "labelnb_migrated"
#: migrated databases kept ready for the next tests
SPARES = 2
#: durability is worthless for a cluster that is deleted at the end: these make it much faster
FAST_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "300",
    "shared_buffers": "64MB",
}


class PostgresUnavailable(RuntimeError):
    """PostgreSQL's server programs are not installed."""


def postgres_bin_dir() -> Path:
    """The newest installed ``/usr/lib/postgresql/<version>/bin`` holding ``initdb`` and ``postgres``."""
    found = [
        Path(path).parent
        for path in glob.glob("/usr/lib/postgresql/*/bin/postgres")
        if Path(path).with_name("initdb").exists()
    ]
    if not found:
        on_path = shutil.which("postgres")
        if on_path and shutil.which("initdb"):
            return Path(on_path).parent
        raise PostgresUnavailable(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/postgres): apt-get install postgresql"
        )
    return max(found, key=lambda path: _version_key(path.parent.name))


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit())


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresServer:
    """One PostgreSQL cluster in a temporary folder, started by :meth:`start` and removed by :meth:`stop`."""

    def __init__(self) -> None:
        self.bin = postgres_bin_dir()
        # in memory where there is a tmpfs: the cluster is thrown away, and a database per test is many copies
        shm = Path("/dev/shm")
        where = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
        self.root = Path(tempfile.mkdtemp(prefix="labelnb-pg-", dir=where))
        self.data = self.root / "data"
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self._counter = itertools.count(1)
        self._template_ready = False
        # the helper thread's work, guarded by _changed: databases to drop, migrated ones ready to hand out
        self._changed = threading.Condition()
        self._doomed: list[str] = []
        self._spares: list[str] = []
        self._wanted = 0
        self._stopping = False
        self._failure: Exception | None = None
        self._helper: threading.Thread | None = None
        # PostgreSQL will not run as root: the cluster then belongs to Debian's postgres user
        self._as_user = "postgres" if os.geteuid() == 0 else None
        if self._as_user is not None:
            try:
                pwd.getpwnam(self._as_user)
            except KeyError:
                raise PostgresUnavailable(
                    "running as root, and there is no postgres user to run PostgreSQL as "
                    "(Debian's postgresql package makes one)"
                ) from None

    # -- running ------------------------------------------------------------------------------------

    def _run_as(self) -> dict[str, Any]:
        """Popen arguments that run a server program as the cluster's owner, from a folder it can read."""
        options: dict[str, Any] = {"cwd": self.root}
        if self._as_user is not None:
            options.update(user=self._as_user, group=self._as_user, extra_groups=[])
        return options

    def start(self) -> PostgresServer:
        """initdb, start the server, and wait until it accepts connections."""
        if self._as_user is not None:
            shutil.chown(self.root, self._as_user, self._as_user)
        subprocess.run(
            [str(self.bin / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8",
             "--no-sync", "--locale=C"],
            check=True, capture_output=True, **self._run_as(),
        )  # fmt: skip
        for _attempt in range(5):  # another process may take the free port between the probe and the bind
            self.port = _free_port()
            settings = [arg for key, value in FAST_SETTINGS.items() for arg in ("-c", f"{key}={value}")]
            log = open(self.root / "server.log", "ab")  # noqa: SIM115 - the server writes it until stop()
            self.process = subprocess.Popen(
                [str(self.bin / "postgres"), "-D", str(self.data), "-k", str(self.root), "-h", "127.0.0.1",
                 "-p", str(self.port), *settings],
                stdout=log, stderr=subprocess.STDOUT, **self._run_as(),
            )  # fmt: skip
            log.close()
            if self._wait_until_ready():
                return self
        raise RuntimeError(f"PostgreSQL did not start; its log:\n{self.log()}")

    def _wait_until_ready(self) -> bool:
        """Poll until the server accepts a connection (True) or its process has ended (False)."""
        assert self.process is not None
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                with psycopg.connect(self.dsn("postgres"), connect_timeout=2):
                    return True
            except psycopg.OperationalError:
                time.sleep(0.02)
        self._kill()
        raise RuntimeError(f"PostgreSQL did not accept connections in {START_TIMEOUT_S} s:\n{self.log()}")

    def log(self) -> str:
        path = self.root / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        """Shut the server down (fast shutdown: open connections are ended) and delete its folder."""
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        if self._helper is not None:
            self._helper.join(STOP_TIMEOUT_S)
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self._kill()
        self.process = None
        shutil.rmtree(self.root, ignore_errors=True)

    def _kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # immediate shutdown
            try:
                self.process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    # -- databases ----------------------------------------------------------------------------------

    def dsn(self, database: str) -> str:
        """A libpq connection string for ``database``."""
        return f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname={database}"

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of ``database`` (what labelnb's stores take)."""
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _admin(self, sql: str) -> None:
        with psycopg.connect(self.dsn("postgres"), autocommit=True) as conn:
            conn.execute(sql)

    def new_database(self, *, migrated: bool = True) -> str:
        """The URL of a new, empty database; with ``migrated`` it has the store's newest schema already.

        Migrated databases are copied from the template ahead of time by a helper thread (see
        :meth:`_work`), so a test seldom waits for one.
        """
        if not migrated:
            name = self._name()
            self._admin(f'CREATE DATABASE "{name}" TEMPLATE template0')
            return self.url(name)
        self._ensure_template()
        with self._changed:
            self._wanted += 1
            self._changed.notify_all()
            while not self._spares:
                if self._failure is not None:
                    raise RuntimeError("the helper thread could not make a database") from self._failure
                self._changed.wait()
            self._wanted -= 1
            name = self._spares.pop(0)
            self._changed.notify_all()
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop a database :meth:`new_database` made, ending whatever connections still use it (by the
        helper thread, while the next test runs)."""
        with self._changed:
            self._doomed.append(url.rsplit("/", 1)[1])
            self._changed.notify_all()

    def _name(self) -> str:
        return f"test_{os.getpid()}_{next(self._counter)}"

    def _work(self) -> None:
        """The helper thread: drop the databases tests are done with, keep SPARES migrated ones ready."""
        while True:
            with self._changed:
                while not (self._stopping or self._doomed or len(self._spares) < SPARES + self._wanted):
                    self._changed.wait()
                if self._stopping:
                    return
                doomed = self._doomed.pop(0) if self._doomed else None
            try:
                if doomed is not None:
                    self._admin(f'DROP DATABASE IF EXISTS "{doomed}" WITH (FORCE)')
                    continue
                name = self._name()
                self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}" STRATEGY FILE_COPY')
            except Exception as exc:  # handed to the test waiting for a database
                with self._changed:
                    self._failure = exc
                    self._changed.notify_all()
                return
            with self._changed:
                self._spares.append(name)
                self._changed.notify_all()

    def _ensure_template(self) -> None:
        if self._template_ready:
            return
        from labelnb.store.engine import create_store_engine, upgrade

        self._admin(f'CREATE DATABASE "{TEMPLATE}" TEMPLATE template0')
        engine = create_store_engine(self.url(TEMPLATE))
        try:
            upgrade(engine)
        finally:
            engine.dispose()  # a template cannot be copied while someone is connected to it
        self._template_ready = True
        self._helper = threading.Thread(target=self._work, name="postgres-databases", daemon=True)
        self._helper.start()
