"""Which task comes next: the label stream's stages, overlap, leases, skips."""

from labelnb.queue.leases import DEFAULT_LEASE_TTL_S, prune_expired_leases, release_lease, renew_lease
from labelnb.queue.next_task import (
    BREADTH_FIRST,
    GROUND_TRUTH,
    POSTPONED,
    SEQUENCE,
    SKIPPED,
    STORED_QUEUE,
    TASK_LOCK,
    Choice,
    next_task_choice,
    next_task_id,
    peek_task_ids,
)
from labelnb.queue.overlap import arrange_overlap
from labelnb.queue.settings import QueueSettings, SkipQueue, configure_queue, read_queue_settings

__all__ = [
    "BREADTH_FIRST",
    "DEFAULT_LEASE_TTL_S",
    "GROUND_TRUTH",
    "POSTPONED",
    "SEQUENCE",
    "SKIPPED",
    "STORED_QUEUE",
    "TASK_LOCK",
    "Choice",
    "QueueSettings",
    "SkipQueue",
    "arrange_overlap",
    "configure_queue",
    "next_task_choice",
    "next_task_id",
    "peek_task_ids",
    "prune_expired_leases",
    "read_queue_settings",
    "release_lease",
    "renew_lease",
]
