"""The store's tables (SQLAlchemy Core).

JSON payloads (task data, results) are kept as text written by orjson: the store never needs to look
inside them, and text round-trips every value a user brings exactly. Timestamps are ISO 8601 strings in
UTC (``2026-11-23T12:00:00.000000Z``), the form Label Studio exports, so imported ones are kept verbatim.

Annotations are never edited in place without a trace: every write appends a row to
``annotation_versions``; the ``annotations`` row is the head that points at the newest version and
carries a copy of its result for fast reads and exports.

Alembic migrations in ``migrations/versions`` create these tables; a test checks that a migrated store
matches this module exactly.
"""

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

metadata = MetaData()

projects = Table(
    "projects",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String, nullable=False),
    Column("label_config", Text, nullable=False),
    Column("settings", Text, nullable=False, server_default="{}"),
    # counters kept in step with tasks inside the same transactions, so progress never counts a million rows
    Column("task_count", Integer, nullable=False, server_default="0"),
    Column("labeled_count", Integer, nullable=False, server_default="0"),
    Column("created_at", String, nullable=False),
    Column("updated_at", String, nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String, nullable=False, unique=True),
    Column("created_at", String, nullable=False),
)

tasks = Table(
    "tasks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("project_id", Integer, ForeignKey("projects.id"), nullable=False),
    Column("data", Text, nullable=False),
    Column("meta", Text),
    # top-level task fields labelnb does not model, kept so an export gives back what an import brought
    Column("extra", Text),
    Column("overlap", Integer, nullable=False, server_default="1"),
    Column("is_labeled", Boolean, nullable=False, server_default="0"),
    Column("total_annotations", Integer, nullable=False, server_default="0"),
    Column("cancelled_annotations", Integer, nullable=False, server_default="0"),
    Column("total_predictions", Integer, nullable=False, server_default="0"),
    Column("created_at", String, nullable=False),
    Column("updated_at", String, nullable=False),
    Index("ix_tasks_queue", "project_id", "is_labeled", "id"),
    # tasks someone has answered: breadth first (labelnb.queue) finds the most answered open ones here
    # without walking the untouched majority, which this partial index leaves out
    Index(
        "ix_tasks_in_progress",
        "project_id",
        "is_labeled",
        "total_annotations",
        "id",
        sqlite_where=text("total_annotations != 0"),
        postgresql_where=text("total_annotations != 0"),
    ),
)

annotations = Table(
    "annotations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("task_id", Integer, ForeignKey("tasks.id"), nullable=False),
    Column("project_id", Integer, ForeignKey("projects.id"), nullable=False),
    Column("completed_by", Integer, ForeignKey("users.id")),
    Column("result", Text, nullable=False),
    Column("was_cancelled", Boolean, nullable=False, server_default="0"),
    Column("ground_truth", Boolean, nullable=False, server_default="0"),
    Column("lead_time", Float),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("last_action", String),
    Column("import_id", Integer),
    Column("extra", Text),
    Column("created_at", String, nullable=False),
    Column("updated_at", String, nullable=False),
    Index("ix_annotations_task", "task_id"),
    Index("ix_annotations_user_task", "completed_by", "task_id"),
    # ground-truth annotations, for "ground truth first" (labelnb.queue)
    Index(
        "ix_annotations_ground_truth",
        "project_id",
        "task_id",
        sqlite_where=text("ground_truth = 1"),
        postgresql_where=text("ground_truth"),
    ),
    # annotations a reviewer sent back, for the "Rejected queue" stage (labelnb.queue.next_task)
    Index(
        "ix_annotations_rejected",
        "completed_by",
        "task_id",
        sqlite_where=text("last_action = 'rejected'"),
        postgresql_where=text("last_action = 'rejected'"),
    ),
)

annotation_versions = Table(
    "annotation_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("annotation_id", Integer, ForeignKey("annotations.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("result", Text, nullable=False),
    Column("was_cancelled", Boolean, nullable=False),
    Column("lead_time", Float),
    Column("action", String, nullable=False),
    Column("user_id", Integer, ForeignKey("users.id")),
    Column("created_at", String, nullable=False),
    UniqueConstraint("annotation_id", "version", name="uq_annotation_versions"),
)

drafts = Table(
    "drafts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("task_id", Integer, ForeignKey("tasks.id"), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("annotation_id", Integer, ForeignKey("annotations.id")),
    Column("result", Text, nullable=False),
    Column("lead_time", Float),
    Column("was_postponed", Boolean, nullable=False, server_default="0"),
    Column("created_at", String, nullable=False),
    Column("updated_at", String, nullable=False),
    UniqueConstraint("task_id", "user_id", name="uq_drafts_task_user"),
    # a user's drafts, oldest first: their postponed tasks come back in this order (labelnb.queue)
    Index("ix_drafts_user", "user_id", "updated_at"),
)

predictions = Table(
    "predictions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("task_id", Integer, ForeignKey("tasks.id"), nullable=False),
    Column("project_id", Integer, ForeignKey("projects.id"), nullable=False),
    Column("result", Text, nullable=False),
    Column("score", Float),
    Column("model_version", String, nullable=False, server_default="undefined"),
    Column("cluster", Integer),
    Column("extra", Text),
    Column("created_at", String, nullable=False),
    Column("updated_at", String, nullable=False),
    Index("ix_predictions_task", "task_id"),
)

leases = Table(
    "leases",
    metadata,
    Column("task_id", Integer, ForeignKey("tasks.id"), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    # seconds since the epoch: compared numerically on every next_task call
    Column("expires_at", Float, nullable=False),
    Index("ix_leases_user", "user_id", "expires_at"),
)

# A queue is a stored order of tasks: a strategy's ranking, or a selection to label (the Data Manager's
# "label these"). next_task walks queue_items by position; the default queue (all tasks by id) needs none.
queues = Table(
    "queues",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("project_id", Integer, ForeignKey("projects.id"), nullable=False),
    Column("name", String, nullable=False),
    # what the order was built from (strategy, model version, selection); when it changes the queue is rebuilt
    Column("fingerprint", String, nullable=False),
    Column("strategy", Text),
    Column("size", Integer, nullable=False, server_default="0"),
    Column("created_at", String, nullable=False),
    Column("updated_at", String, nullable=False),
    UniqueConstraint("project_id", "name", name="uq_queues_project_name"),
)

queue_items = Table(
    "queue_items",
    metadata,
    Column("queue_id", Integer, ForeignKey("queues.id"), primary_key=True),
    Column("task_id", Integer, ForeignKey("tasks.id"), primary_key=True),
    # 0 comes first
    Column("position", Integer, nullable=False),
    Column("score", Float),
    Index("ix_queue_items_order", "queue_id", "position"),
)

# Background work (labelnb.jobs): one row per job, written by whichever process runs it.
jobs = Table(
    "jobs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("project_id", Integer, ForeignKey("projects.id"), nullable=False),
    Column("kind", String, nullable=False),
    # queued, running, done, failed, cancelled, interrupted
    Column("status", String, nullable=False),
    # "module:qualname" of the function, so a job can be retried after the kernel restarted
    Column("function", String),
    Column("arguments", Text),
    Column("done", Float, nullable=False, server_default="0"),
    Column("total", Float),
    Column("message", Text),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("max_retries", Integer, nullable=False, server_default="0"),
    Column("error", Text),
    Column("result", Text),
    Column("cancel_requested", Boolean, nullable=False, server_default="0"),
    # the process that owns a queued or running job ("host:pid:start"), and when it last said so
    Column("owner", String),
    Column("heartbeat_at", Float),
    Column("created_at", String, nullable=False),
    Column("started_at", String),
    Column("finished_at", String),
    Index("ix_jobs_project_status", "project_id", "status"),
)

# One row per model version a learner trained or a backend announced: its learning-curve point.
model_versions = Table(
    "model_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("project_id", Integer, ForeignKey("projects.id"), nullable=False),
    Column("model_version", String, nullable=False),
    Column("source", String),
    Column("labels", Integer),
    Column("metrics", Text),
    Column("created_at", String, nullable=False),
    UniqueConstraint("project_id", "model_version", name="uq_model_versions"),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("project_id", Integer, ForeignKey("projects.id"), nullable=False),
    Column("kind", String, nullable=False),
    Column("user_id", Integer, ForeignKey("users.id")),
    Column("task_id", Integer),
    Column("annotation_id", Integer),
    Column("payload", Text),
    Column("created_at", String, nullable=False),
)

# Cloud and local storages (labelnb.storage): where tasks come from (source) or annotations go (target).
# Only the location and the scan settings are kept: never credentials, which come from fsspec's own
# configuration or are passed again when the project is opened.
storages = Table(
    "storages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("project_id", Integer, ForeignKey("projects.id"), nullable=False),
    Column("name", String, nullable=False),
    # "source" or "target"
    Column("role", String, nullable=False),
    Column("url", Text, nullable=False),
    Column("settings", Text, nullable=False, server_default="{}"),
    # the last sync's report (added, changed, vanished...) as JSON
    Column("last_sync", Text),
    Column("last_sync_at", String),
    Column("created_at", String, nullable=False),
    UniqueConstraint("project_id", "name", name="uq_storages_project_name"),
)

# One row per object a source storage has seen: its change marker at the last sync and the tasks made
# from it. The row is written in the same transaction as its tasks, so an interrupted sync never makes
# a task twice.
storage_objects = Table(
    "storage_objects",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("storage_id", Integer, ForeignKey("storages.id"), nullable=False),
    Column("key", Text, nullable=False),
    # ETag, md5, generation or size+mtime: what the back end says changes when the bytes change
    Column("marker", Text),
    Column("task_ids", Text, nullable=False, server_default="[]"),
    # "present", "changed" (its bytes differ from those the tasks were made from) or "vanished"
    Column("state", String, nullable=False, server_default="present"),
    Column("synced_at", String, nullable=False),
    UniqueConstraint("storage_id", "key", name="uq_storage_objects_key"),
)

# Project membership (labelnb.team.roles): who may do what. A project without members is a personal one,
# where whoever opens it may do everything; the first member added makes it a team project.
members = Table(
    "members",
    metadata,
    Column("project_id", Integer, ForeignKey("projects.id"), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    # "owner", "manager", "reviewer" or "annotator"
    Column("role", String, nullable=False),
    Column("created_at", String, nullable=False),
)

# One row per review verdict (labelnb.team.review): a reviewer accepted, rejected (with a comment; the task
# goes back to the annotator) or fixed (the fix is a new version of the annotation) one version of it.
reviews = Table(
    "reviews",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("project_id", Integer, ForeignKey("projects.id"), nullable=False),
    Column("annotation_id", Integer, ForeignKey("annotations.id"), nullable=False),
    Column("task_id", Integer, ForeignKey("tasks.id"), nullable=False),
    # the annotation's version the verdict is about
    Column("version", Integer, nullable=False),
    Column("reviewer_id", Integer, ForeignKey("users.id"), nullable=False),
    # "accepted", "rejected" or "fixed"
    Column("verdict", String, nullable=False),
    Column("comment", Text),
    Column("created_at", String, nullable=False),
    Index("ix_reviews_annotation", "annotation_id"),
)
