"""Sensory tables: profile versions, the home kit and calm corner, diet items and their check-offs."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import JSON, Column, Time, UniqueConstraint
from sqlmodel import Field, SQLModel

from app import clock, data_version, versioning
from app.db import new_id, utc_field


class SensoryProfileVersion(SQLModel, table=True):
    """One saved version of the preference checklist. Rows are never edited: a change is a new
    version, so client and therapist can see how the picture has changed and who changed it."""

    __tablename__ = "sensory_profile_version"
    # The calm list ranks by the fit derived from it (kept: app/coping/kept_lists.py).
    __table_args__ = data_version.watched(UniqueConstraint("client_id", "version"))

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    version: int
    checklist_version: int = 1
    responses: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    triggers: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    calming: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    alerting: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    notes: str = Field(default="", max_length=2000)
    created_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    created_at: datetime = utc_field(default=clock.now)


class SensoryKit(SQLModel, table=True):
    """What the client has at home or carries, and their calm corner (one row per client)."""

    __tablename__ = "sensory_kit"
    __table_args__ = data_version.watched()  # the calm list ranks by it (kept lists)

    client_id: uuid.UUID = Field(foreign_key="user_account.id", primary_key=True)
    items: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    corner_items: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    corner_location: str = Field(default="", max_length=200)
    corner_notes: str = Field(default="", max_length=1000)
    updated_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    updated_at: datetime = utc_field(default=clock.now)


_diet_item_version = versioning.version_column()


class SensoryDietItem(SQLModel, table=True):
    """A planned sensory activity at a local wall-clock time on chosen weekdays.

    `days_mask` has bit d set for weekday d (0 = Monday). `ends_on` is set when the item is taken out
    of the plan: past days still count for adherence, later days do not."""

    __tablename__ = "sensory_diet_item"
    __table_args__ = data_version.watched()
    # `version` rises on every change a person makes (app/versioning.py).
    __mapper_args__ = versioning.mapper_args(_diet_item_version)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    activity_id: str | None = Field(default=None, max_length=64)
    title: str = Field(max_length=200)
    local_time: time = Field(sa_column=Column(Time, nullable=False))
    days_mask: int = 127
    minutes: int = 5
    effect: str = Field(max_length=16)
    course: str = Field(max_length=16)
    notes: str = Field(default="", max_length=500)
    remind: bool = False
    starts_on: date
    ends_on: date | None = None
    version: int = Field(default=1, sa_column=_diet_item_version)
    created_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    created_at: datetime = utc_field(default=clock.now)
    updated_at: datetime = utc_field(default=clock.now)


class SensoryDietCheckoff(SQLModel, table=True):
    """A diet item done on a local day, with "how do I feel now" (and, if given, before).

    The id may come from the phone so a replayed offline check-off is stored once; one row per item
    and day keeps adherence honest however often the button is pressed."""

    __tablename__ = "sensory_diet_checkoff"
    __table_args__ = data_version.watched(UniqueConstraint("item_id", "done_on"))

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    item_id: uuid.UUID = Field(foreign_key="sensory_diet_item.id", index=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    done_on: date = Field(index=True)
    felt_after: str = Field(max_length=16)
    felt_before: str | None = Field(default=None, max_length=16)
    created_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    created_at: datetime = utc_field(default=clock.now)


class SensoryFitCache(SQLModel, table=True):
    """The client's sensory fit (seam 6) as the calm ranking reads it, refreshed by the sensory
    service in the same transaction as a profile or kit save (sensory owns it; the table keeps
    the name it was created with, `coping_sensory_fit`), so the ranked list (on the distress
    path) reads it with its other inputs in one round trip instead of re-deriving it per request.

    Ids are space-separated (vocabulary ids hold no spaces); `checklist_version` is the sensory
    checklist it was derived from, so a content change makes the row stale rather than wrong."""

    __tablename__ = "coping_sensory_fit"
    __table_args__ = data_version.watched()  # the calm list ranks by it (kept lists)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", primary_key=True)
    seeks: str = Field(default="", max_length=400)
    avoids: str = Field(default="", max_length=400)
    overwhelmed: str = Field(default="", max_length=400)
    kit: str = Field(default="", max_length=1000)
    checklist_version: int = Field(default=0)
    updated_at: datetime = utc_field(default=clock.now)
