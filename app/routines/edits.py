"""What a routine or step save compares when it was made from an older version
(app/versioning.py): the fields the builder's forms edit, as a person reads them."""

from __future__ import annotations

from typing import Any, Final

from app import versioning
from app.i18n import N_
from app.routines import forms, recurrence
from app.routines.models import Routine, RoutineStep
from app.routines.schemas import RoutineFields, StepIn

PART_LABELS: Final = {
    "morning": N_("Morning"),
    "afternoon": N_("Afternoon"),
    "evening": N_("Evening"),
    "anytime": N_("Any time"),
}
ROUTINE_FIELDS: Final = (
    versioning.Field("title", N_("Name")),
    versioning.Field("icon", N_("Icon")),
    versioning.Field("part_of_day", N_("Part of the day"), editable=False),
    versioning.Field("at_time", N_("Time"), editable=False),
    versioning.Field(
        "schedule",
        N_("When it repeats"),
        editable=False,
        form_names=("schedule_kind", "days", "interval", "rrule"),
    ),
    versioning.Field("starts_on", N_("Starts on"), editable=False),
)
STEP_FIELDS: Final = (
    versioning.Field("title", N_("What to do")),
    versioning.Field("detail", N_("More detail")),
    versioning.Field("duration_minutes", N_("Minutes"), editable=False),
    versioning.Field("bad_day", N_("Part of the bad-day version"), editable=False),
)


def routine_snapshot(routine: Routine) -> dict[str, str]:
    return {
        "title": routine.title,
        "icon": routine.icon,
        "part_of_day": PART_LABELS.get(routine.part_of_day, routine.part_of_day),
        "at_time": routine.at_time.strftime("%H:%M") if routine.at_time else "",
        "schedule": recurrence.describe(routine.rrule),
        "starts_on": routine.starts_on.isoformat(),
    }


def routine_proposed(data: RoutineFields, routine: Routine) -> dict[str, str]:
    return {
        "title": data.title,
        "icon": data.icon,
        "part_of_day": PART_LABELS.get(data.part_of_day, data.part_of_day),
        "at_time": data.at_time.strftime("%H:%M") if data.at_time else "",
        "schedule": recurrence.describe(data.schedule.to_rrule()),
        "starts_on": (data.starts_on or routine.starts_on).isoformat(),
    }


def routine_form_values(routine: Routine) -> dict[str, Any]:
    return forms.routine_values(routine)


def step_form_values(step: RoutineStep) -> dict[str, str]:
    """The step form's values for what is stored now."""
    return {
        "title": step.title,
        "detail": step.detail,
        "duration_minutes": str(step.duration_minutes or ""),
        "bad_day": "on" if step.bad_day else "",
    }


def step_snapshot(step: RoutineStep) -> dict[str, str]:
    return {
        "title": step.title,
        "detail": step.detail,
        "duration_minutes": str(step.duration_minutes or ""),
        "bad_day": "yes" if step.bad_day else "no",
    }


def step_proposed(data: StepIn) -> dict[str, str]:
    return {
        "title": data.title,
        "detail": data.detail,
        "duration_minutes": str(data.duration_minutes or ""),
        "bad_day": "yes" if data.bad_day else "no",
    }
