"""reminders: per-channel sent state on the outbox row (push answered before email is tried)

Revision ID: reminders_0003
Revises: reminders_0002
Create Date: 2026-12-06 07:20:00

Why: a batch now records its push answers as soon as the pushes are done, before the (slower)
emails go out. A process that takes over a crashed claim sees the push was already sent and only
emails, so a crash repeats at most what was in flight, never a push that went out.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "reminders_0003"
down_revision: str | Sequence[str] | None = "reminders_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reminder_item") as batch:
        batch.add_column(sa.Column("push_result", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("push_delivered", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reminder_item") as batch:
        batch.drop_column("push_delivered")
        batch.drop_column("push_result")
