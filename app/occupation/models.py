"""Occupation tables: the profile (versions), rated activities, the activity diary, interests,
the care plan (goal to supports), reviews and the discharge summary.

Goals are progress's (`progress_goal`); plan rows name a goal by id without a foreign key, so
neither domain's migrations or erasure depend on the other's table order.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app import clock, data_version
from app.db import new_id, utc_field


class OccupationProfile(SQLModel, table=True):
    """One saved version of the occupational profile. Rows are never edited: a change is a new
    version, so both people can see how the picture has changed and who changed it."""

    __tablename__ = "occupation_profile"
    __table_args__ = (UniqueConstraint("client_id", "version"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    version: int
    roles: str = Field(default="", max_length=2000)
    typical_day: str = Field(default="", max_length=2000)
    what_matters: str = Field(default="", max_length=2000)
    strengths: str = Field(default="", max_length=2000)
    supports: str = Field(default="", max_length=2000)
    environment: str = Field(default="", max_length=2000)
    hopes: str = Field(default="", max_length=2000)
    author_id: uuid.UUID = Field(foreign_key="user_account.id")
    created_at: datetime = utc_field(default=clock.now)


class RatedActivity(SQLModel, table=True):
    """An activity the client finds hard and that matters to them (at most five at a time)."""

    __tablename__ = "occupation_activity"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    title: str = Field(max_length=80)
    created_at: datetime = utc_field(default=clock.now)
    archived_at: datetime | None = utc_field(nullable=True)


class RatingRound(SQLModel, table=True):
    """The activities rated together on one day (at the start, then at each review).

    `version` rises with every save; a save based on an older version is refused (409)."""

    __tablename__ = "occupation_rating_round"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    rated_on: date
    version: int = Field(default=1)
    updated_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    created_at: datetime = utc_field(default=clock.now)
    updated_at: datetime = utc_field(default=clock.now)


class ActivityRating(SQLModel, table=True):
    __tablename__ = "occupation_rating"
    __table_args__ = (UniqueConstraint("round_id", "activity_id"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    round_id: uuid.UUID = Field(foreign_key="occupation_rating_round.id", index=True)
    activity_id: uuid.UUID = Field(foreign_key="occupation_activity.id", index=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    importance: int
    performance: int
    satisfaction: int


class DiaryWeek(SQLModel, table=True):
    """A week of keeping the activity diary: Today shows the diary while one is running."""

    __tablename__ = "occupation_diary_week"
    __table_args__ = data_version.watched()  # the client's Today shows the running week

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    starts_on: date
    created_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    created_at: datetime = utc_field(default=clock.now)


class DiaryEntry(SQLModel, table=True):
    """What the client did in one part of one day. One row per block: a new tap replaces it."""

    __tablename__ = "occupation_diary_entry"
    __table_args__ = data_version.watched(UniqueConstraint("client_id", "done_on", "block"))

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    done_on: date
    block: str = Field(max_length=16)
    category: str = Field(max_length=16)
    activity: str = Field(default="", max_length=80)
    pleasure: int | None = None
    mastery: int | None = None
    updated_at: datetime = utc_field(default=clock.now)


class Interest(SQLModel, table=True):
    """One ticked interest: done in the past, now, or wanted; maybe turned into a routine or homework."""

    __tablename__ = "occupation_interest"
    __table_args__ = (UniqueConstraint("client_id", "name"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    name: str = Field(max_length=80)
    past: bool = Field(default=False)
    present: bool = Field(default=False)
    want_to_try: bool = Field(default=False)
    routine_id: uuid.UUID | None = None
    homework_id: uuid.UUID | None = None
    updated_at: datetime = utc_field(default=clock.now)


class PlanGoal(SQLModel, table=True):
    """A progress goal in the care plan, with the date it will be reviewed."""

    __tablename__ = "occupation_plan_goal"
    __table_args__ = (UniqueConstraint("goal_id"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    goal_id: uuid.UUID
    review_on: date
    created_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    created_at: datetime = utc_field(default=clock.now)


class PlanSupport(SQLModel, table=True):
    """Something that supports a plan goal: a routine, habit, homework, sensory-diet item or calm
    strategy, named by kind and id (the title is kept for the record once the thing is gone)."""

    __tablename__ = "occupation_plan_support"
    __table_args__ = (UniqueConstraint("plan_goal_id", "kind", "ref"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    plan_goal_id: uuid.UUID = Field(foreign_key="occupation_plan_goal.id", index=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    kind: str = Field(max_length=16)
    ref: str = Field(max_length=64)
    title: str = Field(max_length=200)
    created_at: datetime = utc_field(default=clock.now)


class PlanReview(SQLModel, table=True):
    """The outcome recorded at a care-plan review."""

    __tablename__ = "occupation_review"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    reviewed_on: date
    outcome: str = Field(max_length=16)
    notes: str = Field(default="", max_length=5000)
    next_review_on: date | None = None
    created_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    created_at: datetime = utc_field(default=clock.now)


class Discharge(SQLModel, table=True):
    """The discharge summary's own words; the rest (start vs end, goals) is read when shown."""

    __tablename__ = "occupation_discharge"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    discharged_on: date
    what_helped: str = Field(default="", max_length=5000)
    client_words: str = Field(default="", max_length=5000)
    keep_going: str = Field(default="", max_length=5000)
    created_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    created_at: datetime = utc_field(default=clock.now)
