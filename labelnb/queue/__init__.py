"""Which task comes next: strategies, leases, skips."""

from labelnb.queue.sequential import (
    DEFAULT_LEASE_TTL_S,
    next_task_id,
    peek_task_ids,
    prune_expired_leases,
    release_lease,
    renew_lease,
)

__all__ = [
    "DEFAULT_LEASE_TTL_S",
    "next_task_id",
    "peek_task_ids",
    "prune_expired_leases",
    "release_lease",
    "renew_lease",
]
