"""accounts: the kinds of record a client keeps private from their therapist

Revision ID: accounts_0003
Revises: accounts_0002
Create Date: 2026-12-06 08:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "accounts_0003"
down_revision: str | Sequence[str] | None = "accounts_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "private_record_kind",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.Enum("mood", "calm", "sensory", name="recordkind"), nullable=False),
        sa.Column("changed_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("client_id", "kind"),
    )


def downgrade() -> None:
    op.drop_table("private_record_kind")
    sa.Enum(name="recordkind").drop(op.get_bind(), checkfirst=True)
