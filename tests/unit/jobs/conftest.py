from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from labelnb.jobs import JobRunner
from labelnb.store import Store, store_url
from tests.jobs_work import record_status_changes

CONFIG = '<View><Text name="t" value="$text"/></View>'


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    made = Store.create(store_url(tmp_path), "jobs", CONFIG)
    record_status_changes(made.engine)
    yield made
    made.close()


@pytest.fixture
def runner(store: Store) -> Iterator[JobRunner]:
    made = JobRunner(store)
    yield made
    made.shutdown()
