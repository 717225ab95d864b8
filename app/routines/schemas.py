"""What crosses HTTP for routines: bounded, NUL-free strings, strict JSON numbers, checked schedules."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    field_validator,
    model_validator,
)

from app.i18n import gettext as _
from app.routines import history, recurrence
from app.routines.templates_library import MAX_STEP_MINUTES, MAX_STEPS, PartOfDay
from app.schema_types import ApiModel, Bool, Int, ShortText, Title

StepTitle = Annotated[Title, StringConstraints(max_length=120)]
Icon = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=8)]
Minutes = Annotated[Int, Field(ge=1, le=MAX_STEP_MINUTES)]
OutcomeStatus = Literal["done", "skipped", "helped"]
MAX_REMINDER_TIMES = 6


def _wall_clock(value: time) -> time:
    """A routine's time is local wall-clock time: any offset sent with it is dropped, to the minute."""
    return value.replace(tzinfo=None, second=0, microsecond=0)


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


# In: any ISO time; stored as naive local HH:MM. Out: "HH:MM" (a plain string in the schema, since
# JSON Schema's "time" format demands an offset that a local wall-clock time does not have).
LocalTime = Annotated[time, AfterValidator(_wall_clock)]
HourMinute = Annotated[time, PlainSerializer(_hhmm, return_type=str)]


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError(_("Contains a character that is not allowed."))
    return value


class StepIn(ApiModel):
    title: StepTitle
    detail: Annotated[ShortText, StringConstraints(max_length=500)] = ""
    duration_minutes: Minutes | None = None
    bad_day: Bool = False


class ScheduleIn(ApiModel):
    kind: recurrence.ScheduleKind = "daily"
    days: list[recurrence.Weekday] = Field(default_factory=list, max_length=7)
    interval: Annotated[Int, Field(ge=1, le=recurrence.MAX_INTERVAL)] = 1
    rrule: Annotated[str, StringConstraints(max_length=recurrence.MAX_RULE_LENGTH)] = ""

    @field_validator("rrule")
    @classmethod
    def _clean(cls, value: str) -> str:
        return _no_nul(value)

    def to_rrule(self) -> str:
        """Raises ScheduleError (a ValueError) with a message for the field."""
        return recurrence.to_rrule(
            recurrence.Schedule(self.kind, tuple(self.days), self.interval, self.rrule)
        )


class RoutineFields(ApiModel):
    """The routine itself, without steps: used by the builder form and the API."""

    title: StepTitle
    icon: Icon = "⭐"
    part_of_day: PartOfDay = "anytime"
    at_time: LocalTime | None = None
    schedule: ScheduleIn = Field(default_factory=ScheduleIn)
    starts_on: date | None = None

    @field_validator("icon")
    @classmethod
    def _icon(cls, value: str) -> str:
        return _no_nul(value)

    @model_validator(mode="after")
    def _rule_parses(self) -> RoutineFields:
        try:
            self.schedule.to_rrule()
        except recurrence.ScheduleError as exc:
            raise ValueError(str(exc)) from None
        return self


class RoutineCreate(RoutineFields):
    id: uuid.UUID | None = None  # a phone may make its own id, so an offline create replays once
    steps: list[StepIn] = Field(default_factory=list, max_length=MAX_STEPS)


class StepOrder(ApiModel):
    step_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_STEPS)


class OutcomeIn(ApiModel):
    """`id` is made by the phone. `tapped_at`: when the step was answered, stamped by the phone on
    an answer it queued offline; the run is the client's local day of that moment (app/taps.py).
    `at` is the older name for the same moment."""

    id: uuid.UUID
    step_id: uuid.UUID
    status: OutcomeStatus
    tapped_at: AwareDatetime | None = None
    at: datetime | None = None


class BadDayIn(ApiModel):
    bad_day: Bool


class PauseIn(ApiModel):
    starts_on: date
    ends_on: date | None = None

    @model_validator(mode="after")
    def _order(self) -> PauseIn:
        recurrence.validate_pause(self.starts_on, self.ends_on)
        return self


class ReminderTimesIn(ApiModel):
    times: list[LocalTime] = Field(default_factory=list, max_length=MAX_REMINDER_TIMES)
    only_if_not_done: Bool = True


class FromTemplateIn(ApiModel):
    template: Annotated[str, StringConstraints(min_length=1, max_length=60)]


class StepPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    position: int
    title: str
    detail: str
    duration_minutes: int | None
    bad_day: bool
    photo_id: uuid.UUID | None
    version: int = Field(description="Send it back as If-Match to change or remove the step.")


class RoutinePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    client_id: uuid.UUID
    title: str
    icon: str
    part_of_day: str
    at_time: HourMinute | None
    rrule: str
    starts_on: date
    step_count: int
    bad_day_count: int
    archived_at: datetime | None
    version: int = Field(description="Send it back as If-Match to change the routine.")


class RoutineDetail(RoutinePublic):
    steps: list[StepPublic]
    pauses: list[PausePublic]
    reminder_times: list[HourMinute]


class PausePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    starts_on: date
    ends_on: date | None


class RunPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    routine_id: uuid.UUID
    local_day: date
    bad_day: bool
    planned_count: int
    done_count: int
    answered_count: int
    completed_at: datetime | None


class OutcomePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    step_id: uuid.UUID
    status: str
    at: datetime


class OutcomeResult(BaseModel):
    outcome: OutcomePublic
    run: RunPublic


class TodayItem(BaseModel):
    id: uuid.UUID
    title: str
    icon: str
    part_of_day: str
    at_time: HourMinute | None
    bad_day: bool
    planned: int
    done: int


RoutineDetail.model_rebuild()


class HeatCellPublic(BaseModel):
    day: date
    planned: bool
    done: int
    total: int
    level: int
    label: str


class StepStatPublic(BaseModel):
    step_id: uuid.UUID
    title: str
    done: int
    helped: int
    skipped: int


class WeekPublic(BaseModel):
    starts_on: date
    days_planned: int
    days_started: int
    days_complete: int
    steps_done: int
    steps_planned: int
    text: str


class HistoryPublic(BaseModel):
    cells: list[HeatCellPublic]
    steps: list[StepStatPublic]
    most_skipped: StepStatPublic | None
    this_week: WeekPublic
    last_week: WeekPublic

    @classmethod
    def from_history(cls, data: Any) -> HistoryPublic:
        def week(w: history.WeekSummary) -> WeekPublic:
            return WeekPublic(
                starts_on=w.starts_on,
                days_planned=w.days_planned,
                days_started=w.days_started,
                days_complete=w.days_complete,
                steps_done=w.steps_done,
                steps_planned=w.steps_planned,
                text=w.text,
            )

        def stat(s: history.StepStat) -> StepStatPublic:
            return StepStatPublic(
                step_id=s.step_id, title=s.title, done=s.done, helped=s.helped, skipped=s.skipped
            )

        return cls(
            cells=[
                HeatCellPublic(
                    day=c.day,
                    planned=c.planned,
                    done=c.done,
                    total=c.total,
                    level=c.level,
                    label=c.label,
                )
                for c in data.cells
            ],
            steps=[stat(s) for s in data.stats],
            most_skipped=stat(data.most_skipped) if data.most_skipped else None,
            this_week=week(data.this_week),
            last_week=week(data.last_week),
        )
