"""The names this module used to hold, kept for code that imports them from here.

The label stream now lives in :mod:`labelnb.queue.next_task` (stages, overlap, skip modes) and leases in
:mod:`labelnb.queue.leases`.
"""

from labelnb.queue.leases import DEFAULT_LEASE_TTL_S, prune_expired_leases, release_lease, renew_lease
from labelnb.queue.next_task import next_task_id, peek_task_ids

__all__ = [
    "DEFAULT_LEASE_TTL_S",
    "next_task_id",
    "peek_task_ids",
    "prune_expired_leases",
    "release_lease",
    "renew_lease",
]
