"""progress: client_data_version, the per-client token the dashboard's row cache is validated by

Revision ID: progress_0002
Revises: progress_0001
Create Date: 2026-11-23 17:10:00

No rows are written: a client without a row has not changed since this table was made, which is a
version like any other (see app/data_version.py).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "progress_0002"
down_revision: str | Sequence[str] | None = "progress_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "client_data_version",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("client_id"),
    )


def downgrade() -> None:
    op.drop_table("client_data_version")
