"""Calm tables: personal and clinic strategies, toolbox, distress episodes, per-strategy summaries,
safety and wellness plans (with versions) and a clinic's own crisis lines.

Strategies are referred to by a string key everywhere: a built-in library slug ("box-breathing") or
the UUID of a custom strategy, so episodes and toolbox entries work the same for both.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app import clock, data_version, versioning
from app.db import new_id, utc_field


def _json(default: Any = None) -> Any:
    return Field(
        default_factory=lambda: [] if default is None else default,
        sa_column=Column(JSON, nullable=False),
    )


class CustomStrategy(SQLModel, table=True):
    """A clinic's own strategy (client_id empty) or a client's "my strategy" (client_id set)."""

    __tablename__ = "coping_strategy"
    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    organisation_id: uuid.UUID | None = Field(
        default=None, foreign_key="organisation.id", index=True
    )
    client_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id", index=True)
    created_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    title: str = Field(max_length=80)
    kind: str = Field(max_length=16)
    minutes: int = Field(default=5)
    level_min: int = Field(default=0)
    level_max: int = Field(default=10)
    systems: list[str] = _json()
    places: list[str] = _json()
    steps: list[str] = _json()
    cautions: list[str] = _json()
    timer_seconds: int | None = Field(default=None)
    created_at: datetime = utc_field(default=clock.now)
    archived_at: datetime | None = utc_field(nullable=True)


class ToolboxEntry(SQLModel, table=True):
    """A client's relation to one strategy: favourite, hidden ("doesn't help me"), recommended."""

    __tablename__ = "coping_toolbox_entry"
    # The kept calm lists rank by it (app/coping/kept_lists.py).
    __table_args__ = data_version.watched(UniqueConstraint("client_id", "strategy_key"))
    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    strategy_key: str = Field(max_length=64)
    favourite: bool = Field(default=False)
    hidden: bool = Field(default=False)
    recommended: bool = Field(default=False)
    note: str = Field(default="", max_length=500)
    recommended_by_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    updated_at: datetime = utc_field(default=clock.now)


class DistressEpisode(SQLModel, table=True):
    """One use of the distress flow. The id is made on the phone so an offline replay is idempotent."""

    __tablename__ = "coping_episode"
    # One client's recent window is how every reader asks (overview, charts, caseload signals).
    __table_args__ = data_version.watched(
        Index("ix_coping_episode_client_started", "client_id", "started_at")
    )

    id: uuid.UUID = Field(primary_key=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    strategy_key: str = Field(max_length=64)
    strategy_title: str = Field(max_length=80)
    before: int
    after: int
    seconds: int = Field(default=0)
    place: str | None = Field(default=None, max_length=16)
    minutes_available: int | None = Field(default=None)
    started_at: datetime = utc_field(index=True)
    created_at: datetime = utc_field(default=clock.now)


class StrategyStats(SQLModel, table=True):
    """Per client and strategy, kept current on every episode write so ranking never aggregates
    thousands of rows per request."""

    __tablename__ = "coping_strategy_stats"
    __table_args__ = data_version.watched()  # the kept calm lists rank by it
    client_id: uuid.UUID = Field(foreign_key="user_account.id", primary_key=True)
    strategy_key: str = Field(max_length=64, primary_key=True)
    uses: int = Field(default=0)
    helped: int = Field(default=0)
    sum_before: int = Field(default=0)
    sum_after: int = Field(default=0)
    last_used_at: datetime | None = utc_field(nullable=True)


_plan_version = versioning.version_column()


class Plan(SQLModel, table=True):
    """The client's current safety plan or wellness and recovery plan, in their own words.
    `version` is its optimistic-concurrency version too (app/versioning.py)."""

    __tablename__ = "coping_plan"
    __table_args__ = (UniqueConstraint("client_id", "kind"),)
    __mapper_args__ = versioning.mapper_args(_plan_version)
    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    kind: str = Field(max_length=16)
    sections: dict[str, str] = _json({})
    version: int = Field(default=1, sa_column=_plan_version)
    updated_at: datetime = utc_field(default=clock.now)
    updated_by_id: uuid.UUID = Field(foreign_key="user_account.id")


class PlanVersion(SQLModel, table=True):
    """Every saved state of a plan, kept so client and therapist can see how it changed."""

    __tablename__ = "coping_plan_version"
    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    plan_id: uuid.UUID = Field(foreign_key="coping_plan.id", index=True)
    version: int
    sections: dict[str, str] = _json({})
    created_at: datetime = utc_field(default=clock.now)
    created_by_id: uuid.UUID = Field(foreign_key="user_account.id")


class ClinicCrisisLine(SQLModel, table=True):
    """A line a clinic admin adds for their clients (a local service), shown with the national ones."""

    __tablename__ = "coping_clinic_crisis_line"
    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)
    name: str = Field(max_length=120)
    description: str = Field(default="", max_length=300)
    phone: str | None = Field(default=None, max_length=32)
    sms: str | None = Field(default=None, max_length=32)
    created_at: datetime = utc_field(default=clock.now)
    created_by_id: uuid.UUID = Field(foreign_key="user_account.id")
