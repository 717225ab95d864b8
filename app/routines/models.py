"""Routines tables: routines and their ordered steps, pauses, reminder times, daily runs with
step outcomes, photos, clinic templates and calendar-feed tokens.

Counts Today needs (steps in full and in the bad-day version, steps done in a run) are kept on the
rows themselves by the service, so Today is one narrow query instead of a walk over steps.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from app import clock, data_version, versioning
from app.db import new_id, utc_field

_routine_version = versioning.version_column()
_step_version = versioning.version_column()


class Routine(SQLModel, table=True):
    """`version` rises when a person changes the routine's own fields (app/versioning.py); the
    counts kept for Today do not raise it."""

    __tablename__ = "routine"
    __table_args__ = data_version.watched(
        Index("ix_routine_client_active", "client_id", "archived_at")
    )
    __mapper_args__ = versioning.mapper_args(_routine_version)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id")
    created_by_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    title: str = Field(max_length=120)
    icon: str = Field(default="⭐", max_length=16)
    part_of_day: str = Field(default="anytime", max_length=16)
    at_time: time | None = Field(default=None)
    rrule: str = Field(default="FREQ=DAILY", max_length=300)
    starts_on: date
    step_count: int = Field(default=0)
    bad_day_count: int = Field(default=0)
    total_minutes: int = Field(default=0)
    template_key: str | None = Field(default=None, max_length=60)
    version: int = Field(default=1, sa_column=_routine_version)
    created_at: datetime = utc_field(default=clock.now)
    updated_at: datetime = utc_field(default=clock.now)
    archived_at: datetime | None = utc_field(nullable=True)


class RoutinePhoto(SQLModel, table=True):
    """A step photo, already stripped of metadata and resized; served only through the policy."""

    __tablename__ = "routine_photo"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    content_type: str = Field(max_length=32)
    width: int
    height: int
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = utc_field(default=clock.now)


class RoutineStep(SQLModel, table=True):
    """Removed steps keep their row (removed_at) so history still names them. `version` rises
    when a person changes or removes the step (its place in the order does not count)."""

    __tablename__ = "routine_step"
    __table_args__ = (Index("ix_routine_step_routine_position", "routine_id", "position"),)
    __mapper_args__ = versioning.mapper_args(_step_version)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    routine_id: uuid.UUID = Field(foreign_key="routine.id")
    position: int = Field(default=0)
    title: str = Field(max_length=120)
    detail: str = Field(default="", max_length=500)
    duration_minutes: int | None = Field(default=None)
    bad_day: bool = Field(default=False)
    photo_id: uuid.UUID | None = Field(default=None, foreign_key="routine_photo.id")
    version: int = Field(default=1, sa_column=_step_version)
    removed_at: datetime | None = utc_field(nullable=True)


class RoutinePause(SQLModel, table=True):
    __tablename__ = "routine_pause"
    __table_args__ = data_version.watched()

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    routine_id: uuid.UUID = Field(foreign_key="routine.id", index=True)
    starts_on: date
    ends_on: date | None = Field(default=None)
    created_at: datetime = utc_field(default=clock.now)


class RoutineReminderTime(SQLModel, table=True):
    __tablename__ = "routine_reminder_time"
    __table_args__ = (UniqueConstraint("routine_id", "at_time"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    routine_id: uuid.UUID = Field(foreign_key="routine.id", index=True)
    at_time: time
    only_if_not_done: bool = Field(default=True)


class RoutineRun(SQLModel, table=True):
    """One routine on one local day. Partial runs are simply partial: nothing marks them failed."""

    __tablename__ = "routine_run"
    __table_args__ = data_version.watched(
        UniqueConstraint("routine_id", "local_day"),
        Index("ix_routine_run_client_day", "client_id", "local_day"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    routine_id: uuid.UUID = Field(foreign_key="routine.id")
    client_id: uuid.UUID = Field(foreign_key="user_account.id")
    local_day: date
    bad_day: bool = Field(default=False)
    planned_count: int = Field(default=0)
    done_count: int = Field(default=0)
    answered_count: int = Field(default=0)
    started_at: datetime = utc_field(default=clock.now)
    updated_at: datetime = utc_field(default=clock.now)
    completed_at: datetime | None = utc_field(nullable=True)


class StepOutcome(SQLModel, table=True):
    """Done, skipped or needed help. The id is made by the phone, so a replay is applied once."""

    __tablename__ = "step_outcome"
    __table_args__ = (UniqueConstraint("run_id", "step_id"),)

    id: uuid.UUID = Field(primary_key=True)
    run_id: uuid.UUID = Field(foreign_key="routine_run.id")
    step_id: uuid.UUID = Field(foreign_key="routine_step.id", index=True)
    status: str = Field(max_length=16)
    at: datetime = utc_field()
    recorded_at: datetime = utc_field(default=clock.now)


class RoutineTemplateRow(SQLModel, table=True):
    """A clinic's own template, saved by a therapist from a client's routine; steps are copied."""

    __tablename__ = "routine_template"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)
    created_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    title: str = Field(max_length=120)
    icon: str = Field(default="⭐", max_length=16)
    summary: str = Field(default="", max_length=200)
    part_of_day: str = Field(default="anytime", max_length=16)
    at_time: time | None = Field(default=None)
    rrule: str = Field(default="FREQ=DAILY", max_length=300)
    steps: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    created_at: datetime = utc_field(default=clock.now)
    archived_at: datetime | None = utc_field(nullable=True)


class CalendarFeed(SQLModel, table=True):
    """A private feed URL; only the token's hash is stored, and revoking ends it at once."""

    __tablename__ = "routine_calendar_feed"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = utc_field(default=clock.now)
    revoked_at: datetime | None = utc_field(nullable=True)
