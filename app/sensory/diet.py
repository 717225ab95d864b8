"""Sensory-diet planning in the client's local time: what is due on a day, adherence, arousal pattern.

A diet item is planned at a wall-clock time on chosen weekdays in the client's IANA zone. Instants are
computed per local day, so 08:00 stays 08:00 across daylight-saving changes. Pure functions only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from uuid import UUID
from zoneinfo import ZoneInfo

from babel.dates import get_day_names

from app.i18n import FORMAT_LOCALES, N_, current_language, ngettext
from app.i18n import gettext as _
from app.sensory.catalog import Course, Effect

Felt = Literal["too_low", "just_right", "too_high"]
FELT: tuple[Felt, ...] = ("too_low", "just_right", "too_high")
# Message ids, translated where shown (`felt_labels()` gives them in the current language).
FELT_LABELS: dict[str, str] = {
    "too_low": N_("Too low"),
    "just_right": N_("Just right"),
    "too_high": N_("Too high"),
}
# Distance from "just right": the aim of a sensory diet is to bring arousal back to the middle.
_LEVEL: dict[str, int] = {"too_low": -1, "just_right": 0, "too_high": 1}
WEEKDAY_CODES: tuple[str, ...] = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_NAMES: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
EVERY_DAY: frozenset[int] = frozenset(range(7))


def felt_labels() -> dict[str, str]:
    """The "how do I feel" answers in the current language, in order."""
    return {key: _(label) for key, label in FELT_LABELS.items()}


def weekday_names() -> tuple[str, ...]:
    """Short weekday names, Monday first, in the current language ("Mon" / "lun")."""
    language = current_language()
    names = get_day_names("abbreviated", locale=FORMAT_LOCALES.get(language, language))
    return tuple(str(names[d]) for d in range(7))


@dataclass(frozen=True)
class PlannedItem:
    """One diet item as planned: `days` are weekdays (0 = Monday) in the client's local calendar."""

    id: UUID
    title: str
    at: time
    days: frozenset[int]
    minutes: int
    effect: Effect
    course: Course
    starts_on: date
    ends_on: date | None = None


@dataclass(frozen=True)
class CheckOff:
    """A done diet item on a local day, with how the client felt (before is optional)."""

    item_id: UUID
    on: date
    felt_after: Felt
    felt_before: Felt | None = None


def local_instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of a local wall-clock time on a local day.

    A time that does not exist (spring forward) lands just after the gap, the same instant as the
    shifted wall-clock time; a time that happens twice (fall back) means the first one (fold=0).
    """
    return datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=tz).astimezone(UTC)


def local_day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) of a local day in UTC: 23 or 25 hours long on daylight-saving days."""
    return local_instant(day, time(0), tz), local_instant(day + timedelta(days=1), time(0), tz)


def local_day_of(instant: datetime, tz: ZoneInfo) -> date:
    """The client's local calendar day of an aware instant."""
    return instant.astimezone(tz).date()


def days_in(start: date, end: date) -> Iterator[date]:
    """Every day from start to end, both included."""
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def week_start(day: date) -> date:
    """The Monday of the local week holding `day`."""
    return day - timedelta(days=day.weekday())


def is_due_on(item: PlannedItem, day: date) -> bool:
    """Due when the weekday is chosen and the day falls within the item's life."""
    if day < item.starts_on or (item.ends_on is not None and day > item.ends_on):
        return False
    return day.weekday() in item.days


def due_on(items: Iterable[PlannedItem], day: date) -> list[PlannedItem]:
    """Items due on a local day, in time order (title breaks ties so the order is stable)."""
    return sorted((i for i in items if is_due_on(i, day)), key=lambda i: (i.at, i.title, i.id))


def weekly_rrule(days: Iterable[int]) -> str:
    """RFC 5545 rule for the reminders seam: FREQ=DAILY for every day, else weekly by day."""
    chosen = sorted(set(days))
    if not chosen or chosen[0] < 0 or chosen[-1] > 6:
        raise ValueError("days must be weekday numbers 0 (Monday) to 6 (Sunday)")
    if len(chosen) == 7:
        return "FREQ=DAILY"
    return "FREQ=WEEKLY;BYDAY=" + ",".join(WEEKDAY_CODES[d] for d in chosen)


def describe_days(days: Iterable[int]) -> str:
    """'Every day', 'Weekdays', 'Weekends' or 'Mon, Wed, Fri'."""
    chosen = frozenset(days)
    if chosen == EVERY_DAY:
        return _("Every day")
    if chosen == frozenset(range(5)):
        return _("Weekdays")
    if chosen == frozenset({5, 6}):
        return _("Weekends")
    names = weekday_names()
    return ", ".join(names[d] for d in sorted(chosen))


@dataclass(frozen=True)
class Adherence:
    """Planned and done occurrences; `extra` counts check-offs on days the item was not planned."""

    planned: int = 0
    done: int = 0
    extra: int = 0

    @property
    def rate(self) -> float | None:
        return self.done / self.planned if self.planned else None


def adherence(
    items: Iterable[PlannedItem], checkoffs: Iterable[CheckOff], start: date, end: date
) -> dict[UUID, Adherence]:
    """Per item, over local days start..end: how many planned occurrences were checked off.

    One check-off per item and day counts (a replayed or double tap never inflates it).
    """
    done_days: dict[UUID, set[date]] = {}
    for c in checkoffs:
        if start <= c.on <= end:
            done_days.setdefault(c.item_id, set()).add(c.on)
    out: dict[UUID, Adherence] = {}
    for item in items:
        due = {d for d in days_in(start, end) if is_due_on(item, d)}
        did = done_days.get(item.id, set())
        out[item.id] = Adherence(planned=len(due), done=len(due & did), extra=len(did - due))
    return out


def total_adherence(per_item: Iterable[Adherence]) -> Adherence:
    planned = done = extra = 0
    for a in per_item:
        planned, done, extra = planned + a.planned, done + a.done, extra + a.extra
    return Adherence(planned=planned, done=done, extra=extra)


@dataclass
class ArousalPattern:
    """How the client felt around one activity, from their check-offs."""

    count: int = 0
    after: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FELT, 0))
    before: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FELT, 0))
    toward: int = 0
    steady: int = 0
    away: int = 0

    @property
    def with_before(self) -> int:
        return self.toward + self.steady + self.away


def arousal_pattern(checkoffs: Iterable[CheckOff]) -> dict[UUID, ArousalPattern]:
    """Per item: the spread of "how do I feel now" answers and, where a before was given, whether
    arousal moved toward "just right", stayed, or moved away. Information for the OT, not a grade."""
    out: dict[UUID, ArousalPattern] = {}
    for c in checkoffs:
        p = out.setdefault(c.item_id, ArousalPattern())
        p.count += 1
        p.after[c.felt_after] += 1
        if c.felt_before is None:
            continue
        p.before[c.felt_before] += 1
        gap_before, gap_after = abs(_LEVEL[c.felt_before]), abs(_LEVEL[c.felt_after])
        if gap_after < gap_before:
            p.toward += 1
        elif gap_after > gap_before:
            p.away += 1
        else:
            p.steady += 1
    return out


def describe_pattern(p: ArousalPattern) -> str:
    """One plain sentence for the therapist view."""
    if p.count == 0:
        return _("No check-offs yet.")
    labels = felt_labels()
    spread = ", ".join(f"{labels[f].lower()} {p.after[f]}" for f in FELT if p.after[f])
    text = _("Afterwards: %(spread)s.", spread=spread)
    if p.with_before:
        text += " " + ngettext(
            "Of %(num)s with a before: %(toward)s moved toward just right,"
            " %(steady)s stayed the same, %(away)s moved away.",
            "Of %(num)s with a before: %(toward)s moved toward just right,"
            " %(steady)s stayed the same, %(away)s moved away.",
            p.with_before,
            toward=p.toward,
            steady=p.steady,
            away=p.away,
        )
    return text
