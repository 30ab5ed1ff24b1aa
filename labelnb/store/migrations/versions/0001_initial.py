"""The first schema: projects, users, tasks, annotations with versions, drafts, predictions, leases, events.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "projects",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.String, nullable=False),
        sa.Column("label_config", sa.Text, nullable=False),
        sa.Column("settings", sa.Text, nullable=False, server_default="{}"),
        sa.Column("task_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("labeled_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String, nullable=False, unique=True),
        sa.Column("created_at", sa.String, nullable=False),
    )
    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("meta", sa.Text),
        sa.Column("extra", sa.Text),
        sa.Column("overlap", sa.Integer, nullable=False, server_default="1"),
        sa.Column("is_labeled", sa.Boolean, nullable=False, server_default="0"),
        sa.Column("total_annotations", sa.Integer, nullable=False, server_default="0"),
        sa.Column("cancelled_annotations", sa.Integer, nullable=False, server_default="0"),
        sa.Column("total_predictions", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
    )
    op.create_index("ix_tasks_queue", "tasks", ["project_id", "is_labeled", "id"])
    op.create_table(
        "annotations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("task_id", sa.Integer, sa.ForeignKey("tasks.id"), nullable=False),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("completed_by", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("result", sa.Text, nullable=False),
        sa.Column("was_cancelled", sa.Boolean, nullable=False, server_default="0"),
        sa.Column("ground_truth", sa.Boolean, nullable=False, server_default="0"),
        sa.Column("lead_time", sa.Float),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("last_action", sa.String),
        sa.Column("import_id", sa.Integer),
        sa.Column("extra", sa.Text),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
    )
    op.create_index("ix_annotations_task", "annotations", ["task_id"])
    op.create_index("ix_annotations_user_task", "annotations", ["completed_by", "task_id"])
    op.create_table(
        "annotation_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("annotation_id", sa.Integer, sa.ForeignKey("annotations.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("result", sa.Text, nullable=False),
        sa.Column("was_cancelled", sa.Boolean, nullable=False),
        sa.Column("lead_time", sa.Float),
        sa.Column("action", sa.String, nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("created_at", sa.String, nullable=False),
        sa.UniqueConstraint("annotation_id", "version", name="uq_annotation_versions"),
    )
    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("task_id", sa.Integer, sa.ForeignKey("tasks.id"), nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("annotation_id", sa.Integer, sa.ForeignKey("annotations.id")),
        sa.Column("result", sa.Text, nullable=False),
        sa.Column("lead_time", sa.Float),
        sa.Column("was_postponed", sa.Boolean, nullable=False, server_default="0"),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
        sa.UniqueConstraint("task_id", "user_id", name="uq_drafts_task_user"),
    )
    op.create_table(
        "predictions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("task_id", sa.Integer, sa.ForeignKey("tasks.id"), nullable=False),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("result", sa.Text, nullable=False),
        sa.Column("score", sa.Float),
        sa.Column("model_version", sa.String, nullable=False, server_default="undefined"),
        sa.Column("cluster", sa.Integer),
        sa.Column("extra", sa.Text),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
    )
    op.create_index("ix_predictions_task", "predictions", ["task_id"])
    op.create_table(
        "leases",
        sa.Column("task_id", sa.Integer, sa.ForeignKey("tasks.id"), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("expires_at", sa.Float, nullable=False),
    )
    op.create_index("ix_leases_user", "leases", ["user_id", "expires_at"])
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("task_id", sa.Integer),
        sa.Column("annotation_id", sa.Integer),
        sa.Column("payload", sa.Text),
        sa.Column("created_at", sa.String, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "events",
        "leases",
        "predictions",
        "drafts",
        "annotation_versions",
        "annotations",
        "tasks",
        "users",
        "projects",
    ):
        op.drop_table(table)
