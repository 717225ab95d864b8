"""Homework tables: assignments, their attachment, completions, feedback messages, notices."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Column, Index, LargeBinary
from sqlmodel import Field, SQLModel

from app import clock, data_version, versioning
from app.db import new_id, utc_field

_assignment_version = versioning.version_column()


class HomeworkAssignment(SQLModel, table=True):
    """One piece of homework a therapist set a client; `state` follows homework.states (FHIR Task).
    `revision` counts the therapist's revisions (what the client accepts again); `version` counts
    every change by either person, for optimistic concurrency (app/versioning.py)."""

    __tablename__ = "homework_assignment"
    __mapper_args__ = versioning.mapper_args(_assignment_version)
    # The dashboard reads a caseload's recent homework: (client, due date) serves it directly.
    __table_args__ = data_version.watched(
        Index("ix_homework_assignment_client_due", "client_id", "due_on")
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    therapist_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    kind: str = Field(max_length=24)
    title: str = Field(max_length=200)
    instructions: str = Field(default="", max_length=5000)
    # Kind-specific settings (questions, the linked routine/habit/strategy, a habit level ...).
    details: dict[str, object] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    frequency: str = Field(default="once", max_length=8)
    weekdays: str = Field(default="", max_length=20)
    start_on: date
    due_on: date
    state: str = Field(default="requested", max_length=20, index=True)
    client_reason: str = Field(default="", max_length=500)
    revision: int = Field(default=1)
    version: int = Field(default=1, sa_column=_assignment_version)
    predicted_mood: int | None = Field(default=None)
    created_at: datetime = utc_field(default=clock.now)
    updated_at: datetime = utc_field(default=clock.now)
    completed_at: datetime | None = utc_field(nullable=True)


class HomeworkAttachment(SQLModel, table=True):
    """A checked image or PDF (see homework.attachments); served only to the client and their OT."""

    __tablename__ = "homework_attachment"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    assignment_id: uuid.UUID = Field(foreign_key="homework_assignment.id", index=True)
    media_type: str = Field(max_length=40)
    filename: str = Field(max_length=80)
    size: int
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = utc_field(default=clock.now)


class HomeworkCompletion(SQLModel, table=True):
    """One time the client did the homework, with how it went in their words."""

    __tablename__ = "homework_completion"
    __table_args__ = data_version.watched(
        Index("ix_homework_completion_client_done", "client_id", "done_on"),
        Index("ix_homework_completion_client_created", "client_id", "created_at"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    assignment_id: uuid.UUID = Field(foreign_key="homework_assignment.id", index=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    done_on: date
    created_at: datetime = utc_field(default=clock.now)
    difficulty: int | None = Field(default=None)
    helpfulness: int | None = Field(default=None)
    reflection: str = Field(default="", max_length=2000)
    stuck: str = Field(default="", max_length=1000)
    # Answers to reflection questions; behavioural activation's mood, pleasure and mastery.
    answers: dict[str, object] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    final: bool = Field(default=False)


class HomeworkMessage(SQLModel, table=True):
    """A short feedback thread on one assignment (not a crisis service: the pages say so)."""

    __tablename__ = "homework_message"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    assignment_id: uuid.UUID = Field(foreign_key="homework_assignment.id", index=True)
    author_id: uuid.UUID = Field(foreign_key="user_account.id")
    author_role: str = Field(max_length=16)
    body: str = Field(max_length=2000)
    created_at: datetime = utc_field(default=clock.now)


class HomeworkNotice(SQLModel, table=True):
    """An in-app notice to the therapist: homework done, a change asked, declined, a message."""

    __tablename__ = "homework_notice"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    therapist_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    assignment_id: uuid.UUID = Field(foreign_key="homework_assignment.id", index=True)
    kind: str = Field(max_length=20)
    text: str = Field(max_length=300)
    created_at: datetime = utc_field(default=clock.now)
    read_at: datetime | None = utc_field(nullable=True)
