"""Self-care tables: graded habits and their levels, check-ins, pauses, suggestions, mood log,
and the ladders a clinic writes for itself."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app import clock, data_version
from app.db import new_id, utc_field


class ClinicLadder(SQLModel, table=True):
    """A ladder a therapist wrote for their clinic; levels as validated LevelSpec dicts."""

    __tablename__ = "clinic_ladder"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)
    created_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    life_area: str = Field(max_length=32)
    title: str = Field(max_length=200)
    summary: str = Field(default="", max_length=500)
    levels: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = utc_field(default=clock.now)
    archived_at: datetime | None = utc_field(nullable=True)


class Habit(SQLModel, table=True):
    """One client's graded habit. Levels are copied from the ladder so later edits of a
    ladder never change a client's history."""

    __tablename__ = "habit"
    __table_args__ = data_version.watched()

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    created_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    life_area: str = Field(max_length=32)
    title: str = Field(max_length=200)
    source: str = Field(max_length=80)  # "builtin:<id>", "clinic:<uuid>" or "personal"
    level: int = Field(default=1)
    lowest_level: int = Field(default=1)
    highest_level: int = Field(default=1)
    level_started_on: date
    started_on: date
    reminder_time: time | None = Field(default=None)
    # Per-habit grading thresholds (GradingSettings fields); empty means the defaults.
    grading: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # When the weekly job next judges this habit (start of the client's next local week), so a
    # silent week still gets a look.
    next_grade_at: datetime | None = utc_field(nullable=True, index=True)
    created_at: datetime = utc_field(default=clock.now)
    archived_at: datetime | None = utc_field(nullable=True)


class HabitLevel(SQLModel, table=True):
    __tablename__ = "habit_level"
    __table_args__ = data_version.watched(UniqueConstraint("habit_id", "number"))

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    habit_id: uuid.UUID = Field(foreign_key="habit.id", index=True)
    number: int  # 1 is the easiest
    description: str = Field(max_length=200)
    target_kind: str = Field(max_length=16)
    days: str = Field(default="0123456", max_length=7)  # weekday digits, 0 = Monday
    times_per_week: int | None = Field(default=None)
    amount: float | None = Field(default=None)
    unit: str | None = Field(default=None, max_length=30)


class HabitLevelChange(SQLModel, table=True):
    """The level history a therapist reviews: who moved the level, when and why."""

    __tablename__ = "habit_level_change"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    habit_id: uuid.UUID = Field(foreign_key="habit.id", index=True)
    from_level: int | None = Field(default=None)
    to_level: int
    reason: str = Field(max_length=32)  # started, accepted, approved, set_by_therapist, chosen
    changed_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    changed_on: date
    changed_at: datetime = utc_field(default=clock.now)


class HabitCheckIn(SQLModel, table=True):
    """The id is made by the phone, so replaying an offline check-in never doubles it."""

    __tablename__ = "habit_check_in"
    __table_args__ = data_version.watched(
        # The reads fold check-ins per day in SQL (history.CHECK_IN_FOLD); these indexes cover
        # the fold (per habit: the habit page; per client: Today and the dashboard), so a day's
        # taps are counted in the index without visiting each row.
        Index("ix_habit_check_in_fold", "habit_id", "done_on", "outcome", "amount"),
        Index(
            "ix_habit_check_in_client_fold", "client_id", "done_on", "habit_id", "outcome", "amount"
        ),
        # The habit page's ten latest check-ins: read from the index end, not by sorting the day.
        Index("ix_habit_check_in_recent", "habit_id", "created_at"),
    )

    id: uuid.UUID = Field(primary_key=True)
    habit_id: uuid.UUID = Field(foreign_key="habit.id")
    client_id: uuid.UUID = Field(foreign_key="user_account.id")
    done_on: date  # the local day it is about (yesterday for a back-fill)
    outcome: str = Field(max_length=16)
    reason: str | None = Field(default=None, max_length=16)
    level: int
    confidence: int | None = Field(default=None)
    pleasure: int | None = Field(default=None)
    mastery: int | None = Field(default=None)
    amount: float | None = Field(default=None)
    note: str | None = Field(default=None, max_length=1000)
    created_at: datetime = utc_field(default=clock.now)


class HabitPause(SQLModel, table=True):
    """A pause for one habit, or all habits when habit_id is empty; open-ended until resumed."""

    __tablename__ = "habit_pause"
    __table_args__ = data_version.watched()

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    habit_id: uuid.UUID | None = Field(default=None, foreign_key="habit.id", index=True)
    starts_on: date
    ends_on: date | None = Field(default=None)  # inclusive
    reason: str | None = Field(default=None, max_length=200)
    created_at: datetime = utc_field(default=clock.now)


class HabitSuggestion(SQLModel, table=True):
    __tablename__ = "habit_suggestion"
    __table_args__ = data_version.watched()

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    habit_id: uuid.UUID = Field(foreign_key="habit.id", index=True)
    direction: str = Field(max_length=8)
    from_level: int
    to_level: int
    message: str = Field(max_length=600)
    # pending, accepted, declined, approved, overridden, superseded
    state: str = Field(default="pending", max_length=16, index=True)
    created_on: date
    created_at: datetime = utc_field(default=clock.now)
    decided_at: datetime | None = utc_field(nullable=True)
    decided_on: date | None = Field(default=None)
    decided_by_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")


class MoodLog(SQLModel, table=True):
    """One entry per local day; logging again that day updates it."""

    __tablename__ = "mood_log"
    __table_args__ = data_version.watched(UniqueConstraint("client_id", "logged_on"))

    id: uuid.UUID = Field(primary_key=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id")
    logged_on: date
    mood: int  # 1..5
    energy: int | None = Field(default=None)  # 1..5
    hours_slept: float | None = Field(default=None)
    note: str | None = Field(default=None, max_length=1000)
    created_at: datetime = utc_field(default=clock.now)
    updated_at: datetime = utc_field(default=clock.now)


class MoodReminder(SQLModel, table=True):
    """A client's daily nudge to log mood; registered with reminders as kind "mood_log"."""

    __tablename__ = "mood_reminder"

    client_id: uuid.UUID = Field(foreign_key="user_account.id", primary_key=True)
    local_time: time
    updated_at: datetime = utc_field(default=clock.now)


class HabitSummary(SQLModel, table=True):
    """A habit's strength, kept current on write (check-in, level change, pause) in the same
    transaction, so a read steps over at most the few days since the last write instead of a year.

    `settled_on` is the last day folded into `score`/`recent`; days after it can still get
    check-ins (today and yesterday), so they are always read live. `tail` holds the daily scores
    of the last two weeks up to `settled_on` (and the one before), for "up N this week".
    """

    __tablename__ = "habit_summary"

    habit_id: uuid.UUID = Field(foreign_key="habit.id", primary_key=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    settled_on: date | None = Field(default=None)
    score: float = Field(default=0.0)
    recent: list[float] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    tail: list[list[Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = utc_field(default=clock.now)
