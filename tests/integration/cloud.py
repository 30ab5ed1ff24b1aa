"""Real storage emulators on loopback, for tests that run one suite on every kind of bucket.

- S3: moto's server (``ThreadedMotoServer``) in this process.
- Google Cloud Storage: ``gcp-storage-emulator``, in memory, in this process.
- Azure Blob: Azurite from npm (``node_modules/.bin/azurite-blob``), a process of its own.

Each starts once per test session on a free port and stops at its end. :class:`Bucket` is a fresh, empty
bucket (or container, or local folder) per test, with the fsspec options that reach it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# gcsfs probes every new bucket for hierarchical namespaces for a minute unless told not to
os.environ.setdefault("GCSFS_EXPERIMENTAL_ZB_HNS_SUPPORT", "false")

import fsspec

ROOT = Path(__file__).resolve().parents[2]
AZURITE = ROOT / "node_modules" / ".bin" / "azurite-blob"
#: Azurite's well-known development account (public, the same in every Azurite)
AZURITE_ACCOUNT = "devstoreaccount1"
AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
#: the aliases fsspec knows each store by
ALIASES = {"s3": ("s3", "s3a"), "gs": ("gs", "gcs"), "az": ("az", "abfs", "abfss")}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes] | None = None, timeout: float = 60) -> None:
    """Return once something accepts connections on ``port`` (or fail, with the process's output)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the emulator exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing answered on port {port} within {timeout} s")


@dataclass(frozen=True)
class Emulator:
    """A running emulator: its kind and the fsspec options that reach it."""

    kind: str
    options: Mapping[str, Any]


@contextlib.contextmanager
def moto_s3() -> Iterator[Emulator]:
    from moto.server import ThreadedMotoServer

    # moto takes any credentials; boto3 wants some, and a region from the environment (a region in
    # client_kwargs breaks bucket creation)
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    wait_for_port(port)
    try:
        yield Emulator(
            "s3", {"endpoint_url": f"http://127.0.0.1:{port}", "key": "testing", "secret": "testing"}
        )
    finally:
        server.stop()


@contextlib.contextmanager
def gcs_emulator() -> Iterator[Emulator]:
    from gcp_storage_emulator.server import create_server

    port = free_port()
    server = create_server("127.0.0.1", port, in_memory=True)
    server.start()
    wait_for_port(port)
    try:
        yield Emulator("gs", {"endpoint_url": f"http://127.0.0.1:{port}", "token": "anon"})
    finally:
        server.stop()


@contextlib.contextmanager
def azurite() -> Iterator[Emulator]:
    if not AZURITE.exists():
        raise RuntimeError(f"{AZURITE} is missing: run `npm ci` (make install does)")
    port = free_port()
    data = tempfile.mkdtemp(prefix="azurite-")
    process = subprocess.Popen(
        [str(AZURITE), "--silent", "--blobHost", "127.0.0.1", "--blobPort", str(port), "--location", data,
         "--skipApiVersionCheck", "--loose", "--disableTelemetry"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        wait_for_port(port, process)
        connection = (
            f"DefaultEndpointsProtocol=http;AccountName={AZURITE_ACCOUNT};AccountKey={AZURITE_KEY};"
            f"BlobEndpoint=http://127.0.0.1:{port}/{AZURITE_ACCOUNT};"
        )
        yield Emulator("az", {"connection_string": connection})
    finally:
        # Azurite may ignore SIGTERM for a while: ask, wait, then kill its whole process group
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
        shutil.rmtree(data, ignore_errors=True)


@dataclass(frozen=True)
class Bucket:
    """A fresh, empty bucket (container, local folder) for one test.

    Attributes:
        kind: ``"local"``, ``"s3"``, ``"gs"`` or ``"az"``.
        root: its URL with a trailing slash (``s3://lnb-3f2a/``; a local folder as a plain path + ``/``).
        options: the fsspec storage options that reach it (endpoint and credentials).
    """

    kind: str
    root: str
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def protocol(self) -> str:
        return "file" if self.kind == "local" else self.kind

    def fs(self) -> Any:
        """A filesystem of its own (no cached instance: listings are never stale)."""
        return fsspec.filesystem(self.protocol, skip_instance_cache=True, **self.options)

    def path(self, key: str) -> str:
        return self.url(key).split("://", 1)[1] if self.kind != "local" else self.url(key)

    def url(self, key: str = "") -> str:
        return self.root + key

    def put(self, key: str, data: bytes | str) -> None:
        fs = self.fs()
        if self.kind == "local":
            fs.makedirs(os.path.dirname(self.path(key)), exist_ok=True)
        fs.pipe_file(self.path(key), data.encode() if isinstance(data, str) else data)

    def remove(self, key: str) -> None:
        self.fs().rm_file(self.path(key))

    def read(self, key: str) -> bytes:
        return bytes(self.fs().cat_file(self.path(key)))

    def listing(self) -> list[str]:
        """Every object under the root, as keys."""
        fs = self.fs()
        base = self.path("")
        return sorted(p[len(base.rstrip("/")) + 1 :] for p in fs.find(base) if not p.endswith("/"))


def new_bucket(kind: str, emulator: Emulator | None, tmp: Path) -> Bucket:
    """Make an empty bucket on the emulator (or a folder for ``local``)."""
    if emulator is None:
        folder = tmp / f"bucket-{uuid.uuid4().hex[:8]}"
        folder.mkdir()
        return Bucket("local", f"{folder}/")
    name = f"lnb-{uuid.uuid4().hex[:10]}"
    bucket = Bucket(kind, f"{kind}://{name}/", dict(emulator.options))
    bucket.fs().mkdir(name)
    return bucket


@contextlib.contextmanager
def fsspec_configured(bucket: Bucket) -> Iterator[None]:
    """Put the bucket's options into fsspec's own configuration (as a user's ``~/.config/fsspec`` or
    ``FSSPEC_*`` variables would), so plain ``fsspec.open(url)`` reaches the emulator; undone after."""
    names = ALIASES.get(bucket.kind, ())
    saved = {name: fsspec.config.conf.get(name) for name in names}
    try:
        for name in names:
            fsspec.config.conf[name] = dict(bucket.options)
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                fsspec.config.conf.pop(name, None)
            else:
                fsspec.config.conf[name] = value
