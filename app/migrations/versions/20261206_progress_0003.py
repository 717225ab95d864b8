"""progress: a version on each GAS goal, for optimistic concurrency (app/versioning.py)

Revision ID: progress_0003
Revises: progress_0002
Create Date: 2026-12-06 08:00:00

Existing goals start at version 1, as new ones do.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "progress_0003"
down_revision: str | Sequence[str] | None = "progress_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("progress_goal",):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    for table in ("progress_goal",):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
