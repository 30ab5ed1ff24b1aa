"""Queues (stored task orders), background jobs and model versions.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "queues",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("fingerprint", sa.String, nullable=False),
        sa.Column("strategy", sa.Text),
        sa.Column("size", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
        sa.UniqueConstraint("project_id", "name", name="uq_queues_project_name"),
    )
    op.create_table(
        "queue_items",
        sa.Column("queue_id", sa.Integer, sa.ForeignKey("queues.id"), primary_key=True),
        sa.Column("task_id", sa.Integer, sa.ForeignKey("tasks.id"), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("score", sa.Float),
    )
    op.create_index("ix_queue_items_order", "queue_items", ["queue_id", "position"])
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("status", sa.String, nullable=False),
        sa.Column("function", sa.String),
        sa.Column("arguments", sa.Text),
        sa.Column("done", sa.Float, nullable=False, server_default="0"),
        sa.Column("total", sa.Float),
        sa.Column("message", sa.Text),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("max_retries", sa.Integer, nullable=False, server_default="0"),
        sa.Column("error", sa.Text),
        sa.Column("result", sa.Text),
        sa.Column("cancel_requested", sa.Boolean, nullable=False, server_default="0"),
        sa.Column("owner", sa.String),
        sa.Column("heartbeat_at", sa.Float),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("started_at", sa.String),
        sa.Column("finished_at", sa.String),
    )
    op.create_index("ix_jobs_project_status", "jobs", ["project_id", "status"])
    op.create_table(
        "model_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("model_version", sa.String, nullable=False),
        sa.Column("source", sa.String),
        sa.Column("labels", sa.Integer),
        sa.Column("metrics", sa.Text),
        sa.Column("created_at", sa.String, nullable=False),
        sa.UniqueConstraint("project_id", "model_version", name="uq_model_versions"),
    )


def downgrade() -> None:
    for table in ("model_versions", "jobs", "queue_items", "queues"):
        op.drop_table(table)
