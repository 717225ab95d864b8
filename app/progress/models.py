"""Progress tables: GAS goals and ratings, measure schedules and responses, session notes."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from app import clock, data_version, versioning
from app.db import new_id, utc_field

_goal_version = versioning.version_column()


class Goal(SQLModel, table=True):
    """A GAS goal written with the client: five described levels, an optional weight.
    `version` rises on every change (app/versioning.py)."""

    __tablename__ = "progress_goal"
    __mapper_args__ = versioning.mapper_args(_goal_version)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    created_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    title: str = Field(max_length=200)
    level_m2: str = Field(max_length=300)
    level_m1: str = Field(max_length=300)
    level_0: str = Field(max_length=300)
    level_p1: str = Field(max_length=300)
    level_p2: str = Field(max_length=300)
    weight: float = Field(default=1.0)
    version: int = Field(default=1, sa_column=_goal_version)
    created_at: datetime = utc_field(default=clock.now)
    archived_at: datetime | None = utc_field(nullable=True)

    def levels(self) -> list[tuple[int, str]]:
        return [
            (-2, self.level_m2),
            (-1, self.level_m1),
            (0, self.level_0),
            (1, self.level_p1),
            (2, self.level_p2),
        ]


class GoalRating(SQLModel, table=True):
    __tablename__ = "progress_goal_rating"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    goal_id: uuid.UUID = Field(foreign_key="progress_goal.id", index=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    rated_on: date
    level: int
    rated_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    note: str = Field(default="", max_length=500)
    created_at: datetime = utc_field(default=clock.now)


class MeasureSchedule(SQLModel, table=True):
    """The therapist asks for PHQ-9 or GAD-7 every N days; the client answers on the phone."""

    __tablename__ = "progress_measure_schedule"
    __table_args__ = data_version.watched()  # the client's Today shows what is due

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    code: str = Field(max_length=8)
    every_days: int = Field(default=14)
    next_due_on: date
    active: bool = Field(default=True)
    created_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    created_at: datetime = utc_field(default=clock.now)


class MeasureResponse(SQLModel, table=True):
    __tablename__ = "progress_measure_response"
    __table_args__ = data_version.watched(
        Index("ix_progress_measure_response_client_at", "client_id", "answered_at")
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    code: str = Field(max_length=8)
    answers: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    total: int
    band: str = Field(max_length=24)
    urgent: bool = Field(default=False, index=True)
    answered_at: datetime = utc_field(default=clock.now)
    acknowledged_at: datetime | None = utc_field(nullable=True)


class SessionNote(SQLModel, table=True):
    """A therapist's note about one session; its text lives in versions (never overwritten)."""

    __tablename__ = "progress_session_note"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    session_on: date = Field(index=True)
    created_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    created_at: datetime = utc_field(default=clock.now)
    current_version: int = Field(default=1)


class SessionNoteVersion(SQLModel, table=True):
    __tablename__ = "progress_session_note_version"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    note_id: uuid.UUID = Field(foreign_key="progress_session_note.id", index=True)
    version: int
    body: str = Field(max_length=20000)
    author_id: uuid.UUID = Field(foreign_key="user_account.id")
    created_at: datetime = utc_field(default=clock.now)
