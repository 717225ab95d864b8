"""What crosses HTTP for self-care: strict JSON, bounded strings, clear limits."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum
from typing import Annotated, Self

from pydantic import AwareDatetime, Field, StrictFloat, StrictInt, model_validator

from app.i18n import gettext as _
from app.schema_types import ApiModel, LocalTime, PublicModel, Rating5, Rating10, ShortText, Title
from app.self_care.ladders import LevelSpec
from app.self_care.targets import LifeArea, Outcome, TargetKind, Unit

Amount = Annotated[StrictFloat | StrictInt, Field(ge=0, le=10_000)]
Level = Annotated[StrictInt, Field(ge=1, le=5)]


class Reason(StrEnum):
    energy = "energy"
    mood = "mood"
    time = "time"
    pain = "pain"
    other = "other"


class CheckInCreate(ApiModel):
    """`id` is made by the phone; `on` defaults to today and may be yesterday (a back-fill).
    `tapped_at`: when the client tapped, stamped by the phone on a write it queued offline; "today"
    and "yesterday" are then the days of the tap, not of its arrival (app/taps.py)."""

    id: uuid.UUID
    outcome: Outcome
    on: date | None = None
    tapped_at: AwareDatetime | None = None
    reason: Reason | None = None
    confidence: Rating10 | None = None
    pleasure: Rating10 | None = None
    mastery: Rating10 | None = None
    amount: Amount | None = None
    note: ShortText | None = None

    @model_validator(mode="after")
    def _reason_fits(self) -> Self:
        if self.reason is not None and self.outcome is Outcome.DONE:
            raise ValueError(_("A reason only goes with 'partly' or 'not today'."))
        return self


class HabitFromLadder(ApiModel):
    """`ladder`: a built-in id, or "clinic:<uuid>" for one of the clinic's own ladders."""

    ladder: Annotated[str, Field(min_length=2, max_length=80, pattern=r"^[a-z0-9_:\-]+$")]
    level: Level = 1
    reminder_time: LocalTime | None = None


class PersonalHabitCreate(ApiModel):
    """A simple habit a client makes for themselves: one level, their own words."""

    title: Title
    life_area: LifeArea
    target_kind: TargetKind
    days: Annotated[list[Annotated[StrictInt, Field(ge=0, le=6)]], Field(max_length=7)] = Field(
        default_factory=lambda: list(range(7))
    )
    times_per_week: Annotated[StrictInt, Field(ge=1, le=7)] | None = None
    amount: Annotated[StrictFloat | StrictInt, Field(gt=0, le=10_000)] | None = None
    unit: Unit | None = None
    reminder_time: LocalTime | None = None


class ClinicLadderCreate(ApiModel):
    life_area: LifeArea
    title: Title
    summary: ShortText = ""
    levels: Annotated[list[LevelSpec], Field(min_length=2, max_length=5)]


class LevelSet(ApiModel):
    level: Level


class BoundsSet(ApiModel):
    lowest: Level
    highest: Level

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.lowest > self.highest:
            raise ValueError(_("The lowest step cannot be above the highest."))
        return self


class SuggestionOverride(ApiModel):
    """The therapist declines the suggestion, and may set another level instead."""

    level: Level | None = None


class GradingUpdate(ApiModel):
    """A therapist's thresholds for one habit's step-up / step-down suggestions."""

    window_weeks: Annotated[StrictInt, Field(ge=1, le=8)] = 3
    weeks_met_to_step_up: Annotated[StrictInt, Field(ge=1, le=8)] = 2
    min_confidence: Annotated[StrictFloat | StrictInt, Field(ge=0, le=10)] = 7
    weeks_missed_to_step_down: Annotated[StrictInt, Field(ge=1, le=8)] = 2
    hard_week_below: Annotated[StrictFloat | StrictInt, Field(ge=0, le=1)] = 0.5
    quiet_days_after_decline: Annotated[StrictInt, Field(ge=0, le=90)] = 14

    @model_validator(mode="after")
    def _fits_window(self) -> Self:
        if max(self.weeks_met_to_step_up, self.weeks_missed_to_step_down) > self.window_weeks:
            raise ValueError(_("The weeks needed cannot be more than the weeks looked at."))
        return self


class PauseCreate(ApiModel):
    starts_on: date | None = None
    ends_on: date | None = None
    reason: ShortText | None = None


class MoodCreate(ApiModel):
    """`tapped_at`: when the client saved it, stamped by the phone on an entry it queued offline;
    "today" is then the client's local day of the tap, not of its arrival (app/taps.py)."""

    id: uuid.UUID
    mood: Rating5
    energy: Rating5 | None = None
    hours_slept: Annotated[StrictFloat | StrictInt, Field(ge=0, le=24)] | None = None
    note: ShortText | None = None
    on: date | None = None
    tapped_at: AwareDatetime | None = None


class GradingPublic(PublicModel):
    window_weeks: int
    weeks_met_to_step_up: int
    min_confidence: float
    weeks_missed_to_step_down: int
    hard_week_below: float
    min_active_days: int
    min_confidence_ratings: int
    quiet_days_after_decline: int


class PauseResult(PublicModel):
    id: uuid.UUID
    starts_on: date
    ends_on: date | None


class ResumeResult(PublicModel):
    ended: int


class CheckInPublic(PublicModel):
    id: uuid.UUID
    habit_id: uuid.UUID
    done_on: date
    outcome: str
    reason: str | None
    level: int
    confidence: int | None
    pleasure: int | None
    mastery: int | None
    amount: float | None
    note: str | None


class LevelPublic(PublicModel):
    number: int
    description: str
    target: str


class SuggestionPublic(PublicModel):
    id: uuid.UUID
    habit_id: uuid.UUID
    direction: str
    from_level: int
    to_level: int
    message: str
    state: str


class WeekPublic(PublicModel):
    start: date
    planned: int
    done: float
    met: bool | None


class HabitPublic(PublicModel):
    id: uuid.UUID
    title: str
    life_area: str
    level: int
    lowest_level: int
    highest_level: int
    levels: list[LevelPublic]
    target: str
    strength: int
    this_week: WeekPublic
    paused_today: bool
    suggestion: SuggestionPublic | None


class MoodPublic(PublicModel):
    id: uuid.UUID
    logged_on: date
    mood: int
    energy: int | None
    hours_slept: float | None
    note: str | None


class LadderPublic(PublicModel):
    key: str
    life_area: str
    title: str
    summary: str
    levels: list[LevelPublic]
    clinic: bool
