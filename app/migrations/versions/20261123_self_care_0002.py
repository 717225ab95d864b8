"""self_care: habit_summary (strength kept current on write), backfilled for existing habits

Revision ID: self_care_0002
Revises: self_care_0001
Create Date: 2026-11-23 14:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel import Session

import app.db

revision: str = "self_care_0002"
down_revision: str | Sequence[str] | None = "self_care_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "habit_summary",
        sa.Column("habit_id", sa.Uuid(), nullable=False),
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("settled_on", sa.Date(), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("recent", sa.JSON(), nullable=False),
        sa.Column("tail", sa.JSON(), nullable=False),
        sa.Column("updated_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["habit_id"], ["habit.id"]),
        sa.PrimaryKeyConstraint("habit_id"),
    )
    op.create_index(
        op.f("ix_habit_summary_client_id"), "habit_summary", ["client_id"], unique=False
    )
    backfill(op.get_bind())


def backfill(bind: sa.Connection) -> None:
    """A summary for every existing habit, computed by the same code the writes use."""
    from app.self_care import summary

    # A savepoint inside the migration's transaction: committing it keeps the rows in that
    # transaction (alembic commits it), whatever transaction the connection is already in.
    with Session(bind=bind, join_transaction_mode="create_savepoint") as session:
        summary.rebuild_all(session)
        session.commit()


def downgrade() -> None:
    op.drop_index(op.f("ix_habit_summary_client_id"), table_name="habit_summary")
    op.drop_table("habit_summary")
