"""Indexes for the queue modes: open tasks by how often they were answered (breadth first), and
ground-truth annotations (ground truth first), and a user's drafts by age (postponed drafts). The first
two are partial, so tasks nobody answered yet and ordinary annotations cost nothing to keep in them.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_tasks_in_progress",
        "tasks",
        ["project_id", "is_labeled", "total_annotations", "id"],
        sqlite_where=sa.text("total_annotations != 0"),
        postgresql_where=sa.text("total_annotations != 0"),
    )
    op.create_index(
        "ix_annotations_ground_truth",
        "annotations",
        ["project_id", "task_id"],
        sqlite_where=sa.text("ground_truth = 1"),
        postgresql_where=sa.text("ground_truth"),
    )
    op.create_index("ix_drafts_user", "drafts", ["user_id", "updated_at"])


def downgrade() -> None:
    op.drop_index("ix_drafts_user", "drafts")
    op.drop_index("ix_annotations_ground_truth", "annotations")
    op.drop_index("ix_tasks_in_progress", "tasks")
