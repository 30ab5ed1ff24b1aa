"""Values the queue binds as SQL INTEGER parameters fit PostgreSQL's 32-bit integer (SQLite's are 64-bit,
so only PostgreSQL refuses one that does not: "integer out of range")."""

from __future__ import annotations

from labelnb.queue import next_task

INT32_MAX = 2**31 - 1


def test_the_level_bound_fits_a_postgresql_integer() -> None:
    assert next_task._NO_LEVEL_ABOVE <= INT32_MAX
    # and it is still above every answer count a task can hold (the column is an INTEGER too)
    assert next_task._NO_LEVEL_ABOVE >= INT32_MAX
