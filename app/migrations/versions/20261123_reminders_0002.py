"""reminders: partial index on unread inbox entries (Today's capped "new reminders" count)

Revision ID: reminders_0002
Revises: reminders_0001
Create Date: 2026-11-23 16:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "reminders_0002"
down_revision: str | Sequence[str] | None = "reminders_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNREAD = "read_at IS NULL AND acknowledged_at IS NULL"


def upgrade() -> None:
    op.create_index(
        "ix_reminder_item_unread",
        "reminder_item",
        ["client_id"],
        unique=False,
        postgresql_where=sa.text(UNREAD),
        sqlite_where=sa.text(UNREAD),
    )


def downgrade() -> None:
    op.drop_index("ix_reminder_item_unread", table_name="reminder_item")
