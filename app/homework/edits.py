"""What a homework revision compares when it was made from an older version (app/versioning.py):
the fields the therapist's form edits, as the form holds them."""

from __future__ import annotations

from typing import Any, Final

from app import versioning
from app.homework.models import HomeworkAssignment
from app.homework.schemas import AssignmentCreate

FIELDS: Final = (
    versioning.Field("kind", "Kind of homework", editable=False),
    versioning.Field("title", "Title"),
    versioning.Field("instructions", "Instructions", lines=True),
    versioning.Field("target", "Routine, habit, strategy or activity"),
    versioning.Field("level", "Habit level to keep", editable=False),
    versioning.Field("questions", "Reflection questions", lines=True),
    versioning.Field("frequency", "How often", editable=False),
    versioning.Field("weekdays", "Days of the week", editable=False),
    versioning.Field("due_on", "Due date", editable=False),
    versioning.Field("reminder_time", "Reminder time", editable=False),
)
_DAYS: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def form_values(a: HomeworkAssignment) -> dict[str, Any]:
    """The revise form's values for what is stored now."""
    questions = a.details.get("questions")
    return {
        "kind": a.kind,
        "title": a.title,
        "instructions": a.instructions,
        "target": str(a.details.get("target", "")),
        "level": str(a.details.get("level", "")),
        "questions": "\n".join(str(q) for q in questions) if isinstance(questions, list) else "",
        "frequency": a.frequency,
        "due_on": a.due_on.isoformat(),
        "weekdays": [d for d in a.weekdays.split(",") if d],
        "reminder_time": str(a.details.get("reminder_time", "")),
    }


def _days(numbers: list[str] | list[int]) -> str:
    return ", ".join(_DAYS[int(n)] for n in sorted({int(n) for n in numbers}))


def snapshot(a: HomeworkAssignment) -> dict[str, str]:
    values = form_values(a)
    return {k: _days(v) if k == "weekdays" else str(v) for k, v in values.items()}


def proposed(data: AssignmentCreate) -> dict[str, str]:
    return {
        "kind": data.kind,
        "title": data.title,
        "instructions": data.instructions,
        "target": data.target or "",
        "level": "" if data.level is None else str(data.level),
        "questions": "\n".join(data.questions),
        "frequency": data.frequency,
        "due_on": data.due_on.isoformat(),
        "weekdays": _days(list(data.weekdays)),
        "reminder_time": data.reminder_time or "",
    }
