"""Teams: project members with their roles, review verdicts, and an index for rejected annotations.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "members",
        sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id"), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("role", sa.String, nullable=False),
        sa.Column("created_at", sa.String, nullable=False),
    )
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("annotation_id", sa.Integer, sa.ForeignKey("annotations.id"), nullable=False),
        sa.Column("task_id", sa.Integer, sa.ForeignKey("tasks.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("reviewer_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("verdict", sa.String, nullable=False),
        sa.Column("comment", sa.Text),
        sa.Column("created_at", sa.String, nullable=False),
    )
    op.create_index("ix_reviews_annotation", "reviews", ["annotation_id"])
    op.create_index(
        "ix_annotations_rejected",
        "annotations",
        ["completed_by", "task_id"],
        sqlite_where=sa.text("last_action = 'rejected'"),
        postgresql_where=sa.text("last_action = 'rejected'"),
    )


def downgrade() -> None:
    op.drop_index("ix_annotations_rejected", table_name="annotations")
    op.drop_index("ix_reviews_annotation", table_name="reviews")
    op.drop_table("reviews")
    op.drop_table("members")
