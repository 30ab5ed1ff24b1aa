"""Fixtures of the integration tests: real storage emulators, started once per session (see cloud.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.cloud import Bucket, Emulator, azurite, gcs_emulator, moto_s3, new_bucket

EMULATORS = {"s3": moto_s3, "gs": gcs_emulator, "az": azurite}


@pytest.fixture(scope="session")
def emulators() -> Iterator[dict[str, Emulator]]:
    """Each emulator, started the first time a test asks for its kind and stopped at the session's end."""
    with _Lazy() as started:
        yield started


class _Lazy(dict):  # type: ignore[type-arg]
    def __init__(self) -> None:
        super().__init__()
        from contextlib import ExitStack

        self._stack = ExitStack()

    def __missing__(self, kind: str) -> Emulator:
        emulator = self._stack.enter_context(EMULATORS[kind]())
        self[kind] = emulator
        return emulator

    def __enter__(self) -> _Lazy:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()


@pytest.fixture(params=["local", "s3", "gs", "az"])
def bucket(request: pytest.FixtureRequest, emulators: dict[str, Emulator], tmp_path: Path) -> Bucket:
    """A fresh, empty bucket of each kind: a test using it runs on a local folder, S3, GCS and Azure."""
    kind = request.param
    return new_bucket(kind, None if kind == "local" else emulators[kind], tmp_path)
