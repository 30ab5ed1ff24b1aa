"""Pytest fixtures that run a test on SQLite and on PostgreSQL (registered in tests/conftest.py).

One PostgreSQL server (:class:`tests.pg.PostgresServer`) serves the whole session, started the first time a
test asks for it; each test gets a database of its own, dropped afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.pg import PostgresServer

#: the store back ends a parametrized test runs on, as they appear in its id
BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The session's PostgreSQL server."""
    server = PostgresServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def new_database(request: pytest.FixtureRequest) -> Iterator[Callable[..., str]]:
    """A function giving the URL of a fresh PostgreSQL database (migrated unless ``migrated=False``);
    every database it made is dropped after the test."""
    server: PostgresServer = request.getfixturevalue("postgres_server")
    made: list[str] = []

    def make(*, migrated: bool = True) -> str:
        made.append(server.new_database(migrated=migrated))
        return made[-1]

    yield make
    for url in made:
        server.drop_database(url)


@pytest.fixture(params=BACKENDS)
def store_backend(request: pytest.FixtureRequest) -> str:
    """The store's back end: ``"sqlite"`` or ``"postgresql"`` (test ids ``[sqlite]``, ``[postgresql]``)."""
    return str(request.param)


@pytest.fixture
def store_location(store_backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """Where a test's store lives: an empty project folder (SQLite) or a fresh database's URL (PostgreSQL)."""
    return new_store_location(store_backend, tmp_path / "project", request)


def new_store_location(store_backend: str, folder: Path, request: pytest.FixtureRequest) -> str:
    """A further store location on ``store_backend``: ``folder`` (made, empty) for SQLite, a new
    database for PostgreSQL."""
    if store_backend == "sqlite":
        folder.mkdir(parents=True, exist_ok=True)
        return str(folder)
    make: Callable[..., str] = request.getfixturevalue("new_database")
    return make()


@pytest.fixture
def another_store_location(
    store_backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Callable[[str], str]:
    """A function giving more store locations on the test's back end (``name`` picks the SQLite folder)."""
    return lambda name: new_store_location(store_backend, tmp_path / name, request)
