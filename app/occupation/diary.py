"""The activity diary's vocabulary and its week totals: occupational balance (blocks per kind of
activity) and which activities lift mood (mean pleasure, with mastery beside it).

Pure functions over plain entries, so totals are tested without a database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, Protocol

from app.i18n import N_

Block = Literal["morning", "afternoon", "evening", "night"]
Category = Literal["self_care", "productive", "leisure", "rest"]

BLOCKS: tuple[tuple[Block, str], ...] = (
    ("morning", N_("Morning")),
    ("afternoon", N_("Afternoon")),
    ("evening", N_("Evening")),
    ("night", N_("Night")),
)
CATEGORIES: tuple[tuple[Category, str, str], ...] = (
    ("self_care", N_("Looking after myself"), N_("washing, eating, getting ready")),
    ("productive", N_("Getting things done"), N_("work, study, chores, caring for others")),
    ("leisure", N_("Fun and interests"), N_("hobbies, seeing people, going out")),
    ("rest", N_("Rest"), N_("resting, sleeping, winding down")),
)
# One word for the week grid on a phone. Labels are catalog messages, translated where shown.
SHORT_LABELS: dict[str, str] = {
    "self_care": N_("Self-care"),
    "productive": N_("Doing"),
    "leisure": N_("Fun"),
    "rest": N_("Rest"),
}
BLOCK_LABELS: dict[str, str] = dict(BLOCKS)
CATEGORY_LABELS: dict[str, str] = {key: label for key, label, _ in CATEGORIES}
DAYS_IN_WEEK = 7


class EntryLike(Protocol):
    done_on: date
    block: str
    category: str
    activity: str
    pleasure: int | None
    mastery: int | None


@dataclass(frozen=True, slots=True)
class BalanceRow:
    category: str
    label: str
    blocks: int
    share: float  # of the blocks filled in, 0..1


@dataclass(frozen=True, slots=True)
class LiftRow:
    activity: str
    times: int
    pleasure: float
    mastery: float | None


def block_of_hour(hour: int) -> Block:
    """The part of the day a local hour falls in (Today opens on the current one)."""
    if 5 <= hour < 12:
        return "morning"
    if 12 <= hour < 17:
        return "afternoon"
    if 17 <= hour < 22:
        return "evening"
    return "night"


def week_days(start: date) -> list[date]:
    return [start + timedelta(days=i) for i in range(DAYS_IN_WEEK)]


def balance(entries: Iterable[EntryLike]) -> list[BalanceRow]:
    """Blocks per kind of activity, in the fixed order, with their share of the filled blocks."""
    counts: dict[str, int] = defaultdict(int)
    for e in entries:
        counts[e.category] += 1
    filled = sum(counts[key] for key, _, _ in CATEGORIES)
    return [
        BalanceRow(key, label, counts[key], counts[key] / filled if filled else 0.0)
        for key, label, _ in CATEGORIES
    ]


def _name(entry: EntryLike) -> str:
    return entry.activity.strip() or CATEGORY_LABELS.get(entry.category, entry.category)


def mood_lift(entries: Iterable[EntryLike], *, limit: int = 8) -> list[LiftRow]:
    """Activities by mean pleasure, highest first (only blocks with a pleasure rating count).

    Names are compared without case, shown as first written."""
    shown: dict[str, str] = {}
    pleasure: dict[str, list[int]] = defaultdict(list)
    mastery: dict[str, list[int]] = defaultdict(list)
    for e in entries:
        if e.pleasure is None:
            continue
        key = _name(e).casefold()
        shown.setdefault(key, _name(e))
        pleasure[key].append(e.pleasure)
        if e.mastery is not None:
            mastery[key].append(e.mastery)
    rows = [
        LiftRow(
            activity=shown[key],
            times=len(values),
            pleasure=round(sum(values) / len(values), 1),
            mastery=round(sum(mastery[key]) / len(mastery[key]), 1) if mastery[key] else None,
        )
        for key, values in pleasure.items()
    ]
    rows.sort(key=lambda r: (-r.pleasure, -r.times, r.activity.casefold()))
    return rows[:limit]
