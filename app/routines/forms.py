"""The builder's HTML forms: flat fields in, the API's schemas out, errors keyed by field name."""

from __future__ import annotations

from typing import Any

from app.forms import FormResult, validate
from app.routines import recurrence
from app.routines.schemas import RoutineFields, StepIn

SCHEDULE_FIELD = {"days": "days", "every_n": "interval", "rrule": "rrule"}


def _as_list(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    return value if isinstance(value, list) else [value]


def routine_form(values: dict[str, Any]) -> FormResult[RoutineFields]:
    """Validate the routine form; a schedule problem is shown next to the field that caused it."""
    kind = values.get("schedule_kind") or "daily"
    days = _as_list(values.get("days"))
    values = {**values, "days": days}
    payload: dict[str, Any] = {
        "title": values.get("title", ""),
        "icon": values.get("icon") or "⭐",
        "part_of_day": values.get("part_of_day") or "anytime",
        "at_time": values.get("at_time") or None,
        "starts_on": values.get("starts_on") or None,
        "schedule": {
            "kind": kind,
            "days": days,
            "interval": values.get("interval") or 1,
            "rrule": values.get("rrule") or "",
        },
    }
    result = validate(RoutineFields, payload)
    result.values = values
    if result.errors:
        fixed: dict[str, str] = {}
        for name, problem in result.errors.items():
            if name.startswith("schedule.") and name != "schedule.kind":
                fixed[name.removeprefix("schedule.")] = problem
            elif name in ("schedule", "request", "schedule.kind"):
                fixed[SCHEDULE_FIELD.get(str(kind), "schedule_kind")] = problem
            else:
                fixed[name] = problem
        result.errors = fixed
    return result


def step_form(values: dict[str, Any]) -> FormResult[StepIn]:
    payload = {
        "title": values.get("title", ""),
        "duration_minutes": values.get("duration_minutes") or None,
        "bad_day": values.get("bad_day") in ("on", "true", "1"),
    }
    if values.get("detail"):
        payload["detail"] = values["detail"]
    result = validate(StepIn, payload)
    result.values = values
    return result


def routine_values(routine: Any) -> dict[str, Any]:
    """The form's values for an existing routine, so editing starts from what is stored."""
    schedule = recurrence.from_rrule(routine.rrule)
    return {
        "title": routine.title,
        "icon": routine.icon,
        "part_of_day": routine.part_of_day,
        "at_time": routine.at_time.strftime("%H:%M") if routine.at_time else "",
        "starts_on": routine.starts_on.isoformat(),
        "schedule_kind": schedule.kind,
        "days": list(schedule.days),
        "interval": str(schedule.interval),
        "rrule": schedule.rrule,
    }
