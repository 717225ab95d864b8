"""coping: index distress episodes by (client_id, started_at)

Revision ID: coping_0003
Revises: coping_0002
Create Date: 2026-11-23 17:20:00

Every read of episodes is one client's recent window (the client page's two-week summary, the
progress charts' date range, the caseload's weeks): with only single-column indexes, SQLite
walked all of a client's episodes (2,000 in a year for the bench client) and sorted them.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "coping_0003"
down_revision: str | Sequence[str] | None = "coping_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_coping_episode_client_started", "coping_episode", ["client_id", "started_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_coping_episode_client_started", table_name="coping_episode")
