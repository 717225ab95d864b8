"""What a sensory-diet item save compares when it was made from an older version
(app/versioning.py): the fields of the item form, as a person reads them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from app import versioning
from app.i18n import N_
from app.sensory.models import SensoryDietItem

FIELDS: Final = (
    versioning.Field("title", N_("Activity")),
    versioning.Field("local_time", N_("Time"), editable=False),
    versioning.Field("days", N_("Days"), editable=False),
    versioning.Field("minutes", N_("Minutes"), editable=False),
    versioning.Field("effect", N_("Calming or alerting"), editable=False),
    versioning.Field("course", N_("Main course or snack"), editable=False),
    versioning.Field("notes", N_("Notes"), lines=True),
    versioning.Field("remind", N_("Reminder"), editable=False),
)
_DAYS: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _days(mask: int) -> str:
    return ", ".join(name for d, name in enumerate(_DAYS) if mask & (1 << d))


def readable(values: Mapping[str, Any]) -> dict[str, str]:
    """An item's stored columns (or the service's resolved input, which has the same keys)."""
    return {
        "title": str(values["title"]),
        "local_time": values["local_time"].strftime("%H:%M"),
        "days": _days(int(values["days_mask"])),
        "minutes": str(values["minutes"]),
        "effect": str(values["effect"]).capitalize(),
        "course": str(values["course"]).replace("_", " ").capitalize(),
        "notes": str(values["notes"]),
        "remind": "yes" if values["remind"] else "no",
    }


def snapshot(item: SensoryDietItem) -> dict[str, str]:
    return readable({key: getattr(item, key) for key in _COLUMNS})


_COLUMNS: Final = (
    "title",
    "local_time",
    "days_mask",
    "minutes",
    "effect",
    "course",
    "notes",
    "remind",
)


def form_values(item: SensoryDietItem) -> dict[str, Any]:
    """The item form's values for what is stored now."""
    return {
        "activity_id": item.activity_id or "",
        "title": item.title,
        "local_time": item.local_time.strftime("%H:%M"),
        "days": [str(d) for d in range(7) if item.days_mask & (1 << d)],
        "minutes": str(item.minutes),
        "effect": item.effect,
        "course": item.course,
        "notes": item.notes,
        "remind": "on" if item.remind else "",
    }
