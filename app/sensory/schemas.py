"""What crosses HTTP for the sensory domain: strict, bounded, never the table models."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, Field, StringConstraints

from app.schema_types import ApiModel, Bool, LocalTime, PublicModel, ShortText, Title

SystemId = Literal[
    "visual",
    "auditory",
    "tactile",
    "proprioceptive",
    "vestibular",
    "olfactory",
    "gustatory",
    "interoceptive",
]
ResponseId = Literal["seek", "neutral", "avoid", "overwhelmed"]
FeltId = Literal["too_low", "just_right", "too_high"]
EffectId = Literal["calming", "alerting"]
CourseId = Literal["main_course", "snack"]


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Contains a character that is not allowed.")
    return value


ChoiceId = Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,40}$")]
Notes = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=2000), AfterValidator(_no_nul)
]
Weekday = Annotated[int, Field(ge=0, le=6, strict=True)]
Minutes = Annotated[int, Field(ge=1, le=120, strict=True)]


class ProfileIn(ApiModel):
    responses: dict[SystemId, ResponseId] = Field(default_factory=dict)
    triggers: list[ChoiceId] = Field(default_factory=list, max_length=40)
    calming: list[ChoiceId] = Field(default_factory=list, max_length=40)
    alerting: list[ChoiceId] = Field(default_factory=list, max_length=40)
    notes: Notes = ""


class ProfilePublic(PublicModel):
    version: int
    responses: dict[str, str]
    triggers: list[str]
    calming: list[str]
    alerting: list[str]
    notes: str
    created_at: datetime


class ProfileView(PublicModel):
    """The latest version (null before the first save) and its plain-language summary."""

    profile: ProfilePublic | None
    summary: list[str]


class KitIn(ApiModel):
    items: list[ChoiceId] = Field(default_factory=list, max_length=60)
    corner_items: list[ChoiceId] = Field(default_factory=list, max_length=60)
    corner_location: ShortText = ""
    corner_notes: ShortText = ""


class KitPublic(PublicModel):
    items: list[str]
    corner_items: list[str]
    corner_location: str
    corner_notes: str


class DietItemIn(ApiModel):
    """A planned activity: name a library `activity_id` and the rest defaults from it, or write
    your own (title, effect and course then required)."""

    id: uuid.UUID | None = None
    activity_id: ChoiceId | None = None
    title: Title | None = None
    local_time: LocalTime
    days: list[Weekday] = Field(min_length=1, max_length=7)
    minutes: Minutes | None = None
    effect: EffectId | None = None
    course: CourseId | None = None
    notes: ShortText = ""
    remind: Bool = False


class DietItemPublic(PublicModel):
    id: uuid.UUID
    activity_id: str | None
    title: str
    local_time: LocalTime
    days: list[int]
    minutes: int
    effect: str
    course: str
    notes: str
    remind: bool
    starts_on: date
    ends_on: date | None
    cautions: list[str]
    version: int = Field(description="Send it back as If-Match to change or end the item.")


class CheckoffIn(ApiModel):
    """`tapped_at`: stamped by the phone on a check-off it queued offline; the day defaults to
    the client's local day at that moment, not the day it arrives (app/taps.py)."""

    id: uuid.UUID | None = None
    felt_after: FeltId
    felt_before: FeltId | None = None
    on: date | None = None
    tapped_at: AwareDatetime | None = None


class CheckoffPublic(PublicModel):
    id: uuid.UUID
    item_id: uuid.UUID
    done_on: date
    felt_after: str
    felt_before: str | None


class DueItemPublic(PublicModel):
    item: DietItemPublic
    checkoff: CheckoffPublic | None


class AdherencePublic(PublicModel):
    planned: int
    done: int
    extra: int


class PatternPublic(PublicModel):
    count: int
    after: dict[str, int]
    before: dict[str, int]
    toward: int
    steady: int
    away: int


class ItemReportPublic(PublicModel):
    item: DietItemPublic
    adherence: AdherencePublic
    pattern: PatternPublic
    description: str


class ReportPublic(PublicModel):
    start: date
    end: date
    total: AdherencePublic
    items: list[ItemReportPublic]


class ActivityPublic(PublicModel):
    id: str
    title: str
    how: str
    systems: list[str]
    effect: str
    course: str
    minutes: int
    needs: list[str]
    cautions: list[str]
    therapist_taught_only: bool


FormDays = list[Annotated[int, Field(ge=0, le=6)]]


class DietItemForm(ApiModel):
    """The planner form: the same fields, lax types (HTML sends strings)."""

    activity_id: str | None = None
    title: (
        Annotated[
            str, StringConstraints(strip_whitespace=True, max_length=200), AfterValidator(_no_nul)
        ]
        | None
    ) = None
    local_time: time
    days: FormDays = Field(min_length=1, max_length=7)
    minutes: Annotated[int, Field(ge=1, le=120)] | None = None
    effect: EffectId | None = None
    course: CourseId | None = None
    notes: ShortText | None = None
    remind: bool = False


class CheckoffForm(ApiModel):
    id: uuid.UUID | None = None
    felt_after: FeltId
    felt_before: FeltId | None = None
