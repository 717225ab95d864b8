"""Presentation helpers shared by self-care pages: labels, grouping, and chart geometry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from app.i18n import N_, lazy_gettext
from app.self_care.library import LibraryLadder
from app.self_care.mood import ChartPoint
from app.self_care.schemas import Reason
from app.self_care.targets import A_MONDAY, LifeArea

# Catalog messages: translated where they are shown (`{{ _(label) }}`).
REASON_LABELS = {
    Reason.energy: N_("Low energy"),
    Reason.mood: N_("Low mood"),
    Reason.time: N_("No time"),
    Reason.pain: N_("Pain"),
    Reason.other: N_("Something else"),
}
CHANGE_REASONS = {
    "started": N_("Started"),
    "accepted": N_("Accepted a suggestion"),
    "approved": N_("Therapist approved a suggestion"),
    "set_by_therapist": N_("Set by therapist"),
    "bounds": N_("Moved into the therapist's range"),
    "chosen": N_("Chosen"),
}


def next_page(values: dict[str, Any], default: str) -> str:
    """Where to go after a form: only our own pages, never an open redirect."""
    target = str(values.pop("next", "") or "")
    if target == "/today" or (target.startswith("/self-care") and "//" not in target):
        return target
    return default


def wall_clock(values: dict[str, Any]) -> time | None:
    """The form's "at" field as a wall-clock time; anything with a zone or unreadable is None."""
    raw = str(values.get("at") or "").strip()
    try:
        at = time.fromisoformat(raw) if raw else None
    except ValueError:
        return None
    return at if at is None or at.tzinfo is None else None


def area_groups(
    ladders: Sequence[LibraryLadder],
) -> list[tuple[LifeArea, list[LibraryLadder]]]:
    """Library sections in life-area order (the page shows `area.label`, in its language)."""
    groups: list[tuple[LifeArea, list[LibraryLadder]]] = []
    for area in LifeArea:
        found = [ladder for ladder in ladders if ladder.life_area is area]
        if found:
            groups.append((area, found))
    return groups


@dataclass(frozen=True)
class Chart:
    title: str
    points: list[ChartPoint]
    top: float
    unit: str
    width: int = 320
    height: int = 120

    @property
    def bars(self) -> list[tuple[float, float, float, ChartPoint]]:
        """(x, y, height, point) for each day with a value; days without one leave a gap."""
        step = self.width / max(len(self.points), 1)
        out = []
        for i, p in enumerate(self.points):
            if p.value is None:
                continue
            h = max(2.0, min(p.value, self.top) / self.top * (self.height - 4))
            out.append((round(i * step + 1, 1), round(self.height - h, 1), round(h, 1), p))
        return out

    @property
    def bar_width(self) -> float:
        return round(max(self.width / max(len(self.points), 1) - 2, 1), 1)

    @property
    def logged(self) -> int:
        return sum(1 for p in self.points if p.value is not None)


def chart(title: str, points: list[ChartPoint], top: float, unit: str) -> Chart:
    """`title` and `unit` are catalog messages, translated where the chart is shown."""
    return Chart(title, points, top, unit)


def area_choices() -> list[tuple[str, Any]]:
    """(value, label) for a life-area picker; each label translates itself when it is shown."""
    return [(a.value, lazy_gettext(a.english)) for a in LifeArea]


def week_days() -> list[date]:
    """Monday to Sunday (any week): a page names them in its language (`weekday_name`)."""
    return [A_MONDAY + timedelta(days=i) for i in range(7)]
