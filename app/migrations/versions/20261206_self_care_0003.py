"""self_care: indexes covering the per-day fold of check-ins in SQL (issue 15.6)

The reads group a habit's (or a client's) check-ins by day, outcome and amount; covering indexes
let that count happen in the index, and the ten latest check-ins come from the index end. The two
old (habit/client, day) indexes are prefixes of the new ones, so they go.

Revision ID: self_care_0003
Revises: self_care_0002
Create Date: 2026-12-06 07:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "self_care_0003"
down_revision: str | Sequence[str] | None = "self_care_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FOLD = ["habit_id", "done_on", "outcome", "amount"]
CLIENT_FOLD = ["client_id", "done_on", "habit_id", "outcome", "amount"]


def upgrade() -> None:
    with op.batch_alter_table("habit_check_in", schema=None) as batch_op:
        batch_op.create_index("ix_habit_check_in_fold", FOLD, unique=False)
        batch_op.create_index("ix_habit_check_in_client_fold", CLIENT_FOLD, unique=False)
        batch_op.create_index("ix_habit_check_in_recent", ["habit_id", "created_at"], unique=False)
        batch_op.drop_index("ix_habit_check_in_habit_day")
        batch_op.drop_index("ix_habit_check_in_client_day")


def downgrade() -> None:
    with op.batch_alter_table("habit_check_in", schema=None) as batch_op:
        batch_op.create_index(
            "ix_habit_check_in_client_day", ["client_id", "done_on"], unique=False
        )
        batch_op.create_index("ix_habit_check_in_habit_day", ["habit_id", "done_on"], unique=False)
        batch_op.drop_index("ix_habit_check_in_recent")
        batch_op.drop_index("ix_habit_check_in_client_fold")
        batch_op.drop_index("ix_habit_check_in_fold")
