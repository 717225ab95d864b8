"""What crosses HTTP for progress: goals and ratings, measures, session notes, report ranges."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from app.i18n import N_
from app.schema_types import ApiModel, PublicModel, Title
from app.schema_types import _no_nul as no_nul

LevelText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
    AfterValidator(no_nul),
]
NoteText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=20000),
    AfterValidator(no_nul),
]
Note = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=500), AfterValidator(no_nul)
]
Level = Annotated[int, Field(ge=-2, le=2, strict=True)]
Answer = Annotated[int, Field(ge=0, le=3, strict=True)]
MeasureCode = Literal["phq9", "gad7"]


class GoalCreate(ApiModel):
    title: Title
    level_m2: LevelText
    level_m1: LevelText
    level_0: LevelText
    level_p1: LevelText
    level_p2: LevelText
    weight: Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)] = 1.0


class GoalPublic(PublicModel):
    id: uuid.UUID
    client_id: uuid.UUID
    title: str
    level_m2: str
    level_m1: str
    level_0: str
    level_p1: str
    level_p2: str
    weight: float
    version: int = Field(description="Send it back as If-Match to change the goal.")
    created_at: datetime
    archived_at: datetime | None


class RatingsCreate(ApiModel):
    """One rating session: a level for each active goal, on one day."""

    rated_on: date
    levels: dict[uuid.UUID, Level] = Field(min_length=1, max_length=4)
    note: Note = ""


class TPoint(PublicModel):
    on: date
    t_score: float
    goals_rated: int


class ScheduleCreate(ApiModel):
    code: MeasureCode
    every_days: Annotated[int, Field(ge=7, le=90, strict=True)] = 14
    first_on: date | None = None


class SchedulePublic(PublicModel):
    id: uuid.UUID
    client_id: uuid.UUID
    code: str
    every_days: int
    next_due_on: date
    active: bool


class ResponseCreate(ApiModel):
    id: uuid.UUID | None = None
    answers: list[Answer] = Field(min_length=7, max_length=9)


class ResponsePublic(PublicModel):
    id: uuid.UUID
    code: str
    total: int
    band: str
    band_label: str
    urgent: bool
    answered_at: datetime


class NoteCreate(ApiModel):
    session_on: date
    body: NoteText


class NoteUpdate(ApiModel):
    body: NoteText
    expected_version: Annotated[int, Field(ge=1, strict=True)]


class NotePublic(PublicModel):
    id: uuid.UUID
    client_id: uuid.UUID
    session_on: date
    version: int
    body: str
    author_id: uuid.UUID
    updated_at: datetime


class ReportRange(ApiModel):
    start: date
    end: date

    @model_validator(mode="after")
    def _order(self) -> ReportRange:
        if self.end < self.start:
            raise ValueError(N_("The end date must be on or after the start date."))
        if (self.end - self.start).days > 366:
            raise ValueError(N_("Choose a range of at most a year."))
        return self


class FlagPublic(PublicModel):
    code: str
    label: str
    reason: str
    severity: str


class DashboardRow(PublicModel):
    client_id: uuid.UUID
    name: str
    last_activity_at: datetime | None
    adherence: float | None
    adherence_prev: float | None
    episodes: int | None
    episodes_prev: int | None
    distress_trend: str | None
    flags: list[FlagPublic]


class GoalsPublic(PublicModel):
    goals: list[GoalPublic]
    t_scores: list[TPoint]


class DueMeasure(PublicModel):
    code: str
    name: str
    prompt: str
    items: list[str]
    next_due_on: date
