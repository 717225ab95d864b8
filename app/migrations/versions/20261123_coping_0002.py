"""coping: cached sensory fit per client (coping_sensory_fit), backfilled from sensory data

Revision ID: coping_0002
Revises: coping_0001

The backfill reads the sensory tables when they exist. No `depends_on`: that would hide
sensory_0001 from the applied heads. Should this branch run before sensory_0001, there is no
sensory data yet, so there is nothing to backfill.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.db

revision: str = "coping_0002"
down_revision: str | Sequence[str] | None = "coping_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHUNK = 1000


def upgrade() -> None:
    op.create_table(
        "coping_sensory_fit",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("seeks", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
        sa.Column("avoids", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
        sa.Column("overwhelmed", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
        sa.Column("kit", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("checklist_version", sa.Integer(), nullable=False),
        sa.Column("updated_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("client_id"),
    )
    backfill(op.get_bind())


def backfill(bind: sa.Connection) -> None:
    """Derive every existing client's fit with the same code the sensory service's hook uses."""
    from app.sensory.fit_cache import current_version, encode
    from app.sensory.profile import fit_from_profile
    from app.sensory.service import answers_of

    if not {"sensory_profile_version", "sensory_kit"} <= set(sa.inspect(bind).get_table_names()):
        return
    profile = sa.table(
        "sensory_profile_version",
        sa.column("client_id", sa.Uuid()),
        sa.column("version", sa.Integer()),
        sa.column("responses", sa.JSON()),
        sa.column("triggers", sa.JSON()),
        sa.column("calming", sa.JSON()),
        sa.column("alerting", sa.JSON()),
        sa.column("notes", sa.String()),
    )
    kit = sa.table("sensory_kit", sa.column("client_id", sa.Uuid()), sa.column("items", sa.JSON()))
    fit_table = sa.table(
        "coping_sensory_fit",
        sa.column("client_id", sa.Uuid()),
        sa.column("seeks", sa.String()),
        sa.column("avoids", sa.String()),
        sa.column("overwhelmed", sa.String()),
        sa.column("kit", sa.String()),
        sa.column("checklist_version", sa.Integer()),
        sa.column("updated_at", app.db.UTCDateTime(timezone=True)),
    )
    latest: dict[uuid.UUID, Any] = {}
    for row in bind.execute(sa.select(profile).order_by(profile.c.client_id, profile.c.version)):
        latest[row.client_id] = SimpleNamespace(**row._mapping)
    kits = {cid: items for cid, items in bind.execute(sa.select(kit.c.client_id, kit.c["items"]))}
    now, version = datetime.now(UTC), current_version()
    rows = []
    for cid in sorted(set(latest) | set(kits)):
        fit = fit_from_profile(answers_of(latest.get(cid)), kits.get(cid) or [])  # type: ignore[arg-type]
        rows.append(
            {
                "client_id": cid,
                "seeks": encode(fit.seeks),
                "avoids": encode(fit.avoids),
                "overwhelmed": encode(fit.overwhelmed),
                "kit": encode(fit.kit),
                "checklist_version": version,
                "updated_at": now,
            }
        )
    for i in range(0, len(rows), CHUNK):
        bind.execute(fit_table.insert(), rows[i : i + CHUNK])


def downgrade() -> None:
    op.drop_table("coping_sensory_fit")
