"""routines: a version on each routine and step, for optimistic concurrency (app/versioning.py)

Revision ID: routines_0002
Revises: routines_0001
Create Date: 2026-12-06 07:40:00

Existing routines and steps start at version 1, as new ones do.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "routines_0002"
down_revision: str | Sequence[str] | None = "routines_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("routine", "routine_step"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    for table in ("routine", "routine_step"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
