"""Storages (local folders and buckets that tasks come from or annotations go to) and the objects each
source has seen.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "storages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("role", sa.String, nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("settings", sa.Text, nullable=False, server_default="{}"),
        sa.Column("last_sync", sa.Text),
        sa.Column("last_sync_at", sa.String),
        sa.Column("created_at", sa.String, nullable=False),
        sa.UniqueConstraint("project_id", "name", name="uq_storages_project_name"),
    )
    op.create_table(
        "storage_objects",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("storage_id", sa.Integer, sa.ForeignKey("storages.id"), nullable=False),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("marker", sa.Text),
        sa.Column("task_ids", sa.Text, nullable=False, server_default="[]"),
        sa.Column("state", sa.String, nullable=False, server_default="present"),
        sa.Column("synced_at", sa.String, nullable=False),
        sa.UniqueConstraint("storage_id", "key", name="uq_storage_objects_key"),
    )


def downgrade() -> None:
    op.drop_table("storage_objects")
    op.drop_table("storages")
