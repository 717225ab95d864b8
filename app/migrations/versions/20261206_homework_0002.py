"""homework: a version on each assignment, for optimistic concurrency (app/versioning.py)

Revision ID: homework_0002
Revises: homework_0001
Create Date: 2026-12-06 07:30:00

Existing assignments start at version 1, as a new one does.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "homework_0002"
down_revision: str | Sequence[str] | None = "homework_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("homework_assignment") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("homework_assignment") as batch:
        batch.drop_column("version")
