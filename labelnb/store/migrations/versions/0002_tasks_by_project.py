"""Index tasks by (project_id, id), so paging through a project's tasks in id order needs no sort.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_tasks_project", "tasks", ["project_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_tasks_project", "tasks")
