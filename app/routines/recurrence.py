"""When a routine happens: schedules as RFC 5545 RRULEs, local days, set times and pauses.

Occurrences are computed on *local calendar dates* (naive), never on UTC instants: a routine is
"due on Monday" in the client's own zone, so daylight-saving changes cannot move it to another day,
and a set time (08:00) is attached to the local date afterwards, so 08:00 stays 08:00 local.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.lists import format_list
from dateutil.rrule import rrule, rrulestr

from app.i18n import FORMAT_LOCALES, N_, current_language
from app.i18n import gettext as _

Weekday = Literal["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
WEEKDAYS: tuple[Weekday, ...] = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_NAMES: dict[str, str] = {
    "MO": N_("Monday"),
    "TU": N_("Tuesday"),
    "WE": N_("Wednesday"),
    "TH": N_("Thursday"),
    "FR": N_("Friday"),
    "SA": N_("Saturday"),
    "SU": N_("Sunday"),
}
ScheduleKind = Literal["daily", "weekdays", "days", "every_n", "rrule"]
SCHEDULE_KINDS: tuple[ScheduleKind, ...] = ("daily", "weekdays", "days", "every_n", "rrule")
MAX_RULE_LENGTH = 300
MAX_INTERVAL = 365
# Times of day belong to the routine, not to the rule: sub-daily rules would make one routine
# due many times a day, which the player and Today do not model.
_ALLOWED_FREQS = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
_TIME_PARTS = {"BYHOUR", "BYMINUTE", "BYSECOND", "DTSTART"}


class ScheduleError(ValueError):
    """A schedule a person typed cannot be used; the message is shown next to the field."""


@dataclass(frozen=True, slots=True)
class Schedule:
    """How often a routine happens, in the words the builder offers."""

    kind: ScheduleKind
    days: tuple[Weekday, ...] = ()
    interval: int = 1
    rrule: str = ""


def to_rrule(schedule: Schedule) -> str:
    """The RRULE (without the ``RRULE:`` prefix) stored for a schedule, validated."""
    if schedule.kind == "daily":
        return "FREQ=DAILY"
    if schedule.kind == "weekdays":
        return "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    if schedule.kind == "days":
        chosen = [d for d in WEEKDAYS if d in set(schedule.days)]
        unknown = [d for d in schedule.days if d not in WEEKDAYS]
        if unknown or not chosen:
            raise ScheduleError(_("Choose at least one day of the week."))
        return "FREQ=WEEKLY;BYDAY=" + ",".join(chosen)
    if schedule.kind == "every_n":
        if not 1 <= schedule.interval <= MAX_INTERVAL:
            raise ScheduleError(
                _("Choose a number of days between 1 and %(max)s.", max=MAX_INTERVAL)
            )
        return (
            "FREQ=DAILY" if schedule.interval == 1 else f"FREQ=DAILY;INTERVAL={schedule.interval}"
        )
    if schedule.kind == "rrule":
        return normalise_rrule(schedule.rrule)
    raise ScheduleError(_("Choose how often this routine happens."))


def from_rrule(rule: str) -> Schedule:
    """The builder's view of a stored rule, so editing shows the choice that was made."""
    parts = _parts(rule)
    freq, interval, byday = parts.get("FREQ"), parts.get("INTERVAL", "1"), parts.get("BYDAY")
    rest = set(parts) - {"FREQ", "INTERVAL", "BYDAY", "WKST"}
    if not rest and freq == "DAILY" and byday is None and interval.isdigit():
        n = int(interval)
        return Schedule(kind="daily") if n == 1 else Schedule(kind="every_n", interval=n)
    if not rest and freq == "WEEKLY" and interval == "1" and byday:
        days = tuple(d for d in WEEKDAYS if d in byday.split(","))
        if len(days) == len(byday.split(",")):
            if days == WEEKDAYS[:5]:
                return Schedule(kind="weekdays")
            return Schedule(kind="days", days=days)
    return Schedule(kind="rrule", rrule=rule)


def normalise_rrule(text: str) -> str:
    """Check a hand-written RRULE and return it upper-cased without the ``RRULE:`` prefix."""
    rule = text.strip().upper()
    if rule.startswith("RRULE:"):
        rule = rule[len("RRULE:") :]
    if not rule:
        raise ScheduleError(_("Write a repeat rule, for example FREQ=WEEKLY;BYDAY=MO,TH."))
    if len(rule) > MAX_RULE_LENGTH or "\n" in rule or "\x00" in rule:
        raise ScheduleError(_("That repeat rule is too long or has more than one line."))
    try:
        parts = _parts(rule)
    except ValueError:
        raise ScheduleError(
            _("That repeat rule could not be read. Parts look like FREQ=DAILY.")
        ) from None
    if parts.get("FREQ") not in _ALLOWED_FREQS:
        raise ScheduleError(_("The repeat rule needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY."))
    if _TIME_PARTS & parts.keys():
        raise ScheduleError(_("Set the time with the time field, not inside the repeat rule."))
    try:
        parsed = rrulestr("RRULE:" + rule, dtstart=datetime(2000, 1, 1))
    except (ValueError, TypeError, IndexError, KeyError) as exc:
        raise ScheduleError(
            _("That repeat rule could not be read: %(problem)s.", problem=exc)
        ) from None
    if not isinstance(parsed, rrule):
        raise ScheduleError(_("Write a single repeat rule."))
    if parsed.after(datetime(2000, 1, 1), inc=True) is None:
        raise ScheduleError(_("That repeat rule never happens."))
    return rule


def _parts(rule: str) -> dict[str, str]:
    """Split ``A=B;C=D`` into a dict, rejecting empty or repeated parts."""
    parts: dict[str, str] = {}
    for chunk in rule.split(";"):
        name, sep, value = chunk.partition("=")
        if not sep or not name or not value or name in parts:
            raise ValueError(chunk)
        parts[name] = value
    return parts


@lru_cache(maxsize=4096)
def _compiled(rule: str, start: date) -> rrule:
    """Parsed rules are cached (with dateutil's own occurrence cache) because Today asks often."""
    parsed = rrulestr("RRULE:" + rule, dtstart=datetime.combine(start, time()), cache=True)
    assert isinstance(parsed, rrule)
    return parsed


def _fast_daily(rule: str) -> int | None:
    """Interval of a plain ``FREQ=DAILY[;INTERVAL=n]`` rule, answered by arithmetic."""
    if rule == "FREQ=DAILY":
        return 1
    if rule.startswith("FREQ=DAILY;INTERVAL=") and rule[20:].isdigit():
        return int(rule[20:])
    return None


@lru_cache(maxsize=256)
def _fast_weekly(rule: str) -> frozenset[int] | None:
    """Weekdays (0 = Monday) of a plain ``FREQ=WEEKLY;BYDAY=MO,TH`` rule (what the builder's
    "weekdays" and "days" choices store), answered without walking dateutil's occurrence list,
    which Today otherwise did from the routine's start for every routine on every request."""
    prefix = "FREQ=WEEKLY;BYDAY="
    if not rule.startswith(prefix):
        return None
    codes = rule[len(prefix) :].split(",")
    if not all(code in WEEKDAYS for code in codes):
        return None
    return frozenset(WEEKDAYS.index(code) for code in codes)


def occurs_on(rule: str, start: date, local_day: date) -> bool:
    """Whether the routine falls on a local calendar date (the start date is the first one)."""
    if local_day < start:
        return False
    interval = _fast_daily(rule)
    if interval is not None:
        return (local_day - start).days % interval == 0
    weekdays = _fast_weekly(rule)
    if weekdays is not None:
        return local_day.weekday() in weekdays
    midnight = datetime.combine(local_day, time())
    return _compiled(rule, start).after(midnight, inc=True) == midnight


def first_occurrence(rule: str, start: date) -> date | None:
    """The routine's first local date on or after its start (None if the rule never falls).

    The start date is only a lower bound: ``FREQ=WEEKLY;BYDAY=TU`` started on a Sunday first
    happens on the Tuesday. RFC 5545 counts DTSTART as an occurrence whatever the rule says, so a
    calendar feed must start its event here, not on ``start``.
    """
    if _fast_daily(rule) is not None:
        return start
    weekdays = _fast_weekly(rule)
    if weekdays is not None:
        return next(
            start + timedelta(days=d)
            for d in range(7)
            if (start + timedelta(days=d)).weekday() in weekdays
        )
    hit = _compiled(rule, start).after(datetime.combine(start, time()), inc=True)
    return hit.date() if hit is not None else None


def occurrences_between(rule: str, start: date, first: date, last: date) -> list[date]:
    """Every local date from ``first`` to ``last`` (inclusive) on which the routine falls."""
    first = max(first, start)
    if last < first:
        return []
    interval = _fast_daily(rule)
    if interval is not None:
        offset = (-(first - start).days) % interval
        return [first + timedelta(days=d) for d in range(offset, (last - first).days + 1, interval)]
    weekdays = _fast_weekly(rule)
    if weekdays is not None:  # a week's range (the client page) need not walk from the start
        span = range((last - first).days + 1)
        return [day for d in span if (day := first + timedelta(days=d)).weekday() in weekdays]
    hits = _compiled(rule, start).between(
        datetime.combine(first, time()), datetime.combine(last, time()), inc=True
    )
    return [hit.date() for hit in hits]


@dataclass(frozen=True, slots=True)
class Pause:
    """A stretch of local days (holiday, illness) when a routine is not expected; ends inclusive."""

    starts_on: date
    ends_on: date | None = None

    def covers(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


def validate_pause(starts_on: date, ends_on: date | None) -> Pause:
    """A pause whose end is not before its start."""
    if ends_on is not None and ends_on < starts_on:
        raise ScheduleError(_("The last day of the pause cannot be before the first day."))
    return Pause(starts_on, ends_on)


def is_paused(pauses: Iterable[Pause], day: date) -> bool:
    return any(p.covers(day) for p in pauses)


def is_due(rule: str, start: date, local_day: date, pauses: Sequence[Pause] = ()) -> bool:
    """Due = falls on that local date and no pause covers it."""
    return occurs_on(rule, start, local_day) and not is_paused(pauses, local_day)


def due_days(
    rule: str, start: date, first: date, last: date, pauses: Sequence[Pause] = ()
) -> list[date]:
    """Planned local days in a range, without paused ones (history counts only these)."""
    return [d for d in occurrences_between(rule, start, first, last) if not is_paused(pauses, d)]


def zone(name: str) -> ZoneInfo:
    """A ZoneInfo for an IANA name, with a readable error for an unknown one."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(_("Unknown time zone: %(zone)s.", zone=name[:60])) from None


def local_day(now: datetime, tz: str) -> date:
    """The client's calendar date at an instant (``now`` must be aware)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(zone(tz)).date()


def local_start(day: date, at: time, tz: str) -> datetime:
    """The UTC instant of a local wall-clock time on a local date.

    A time skipped by a spring-forward change (02:30 on that night) moves forward by the gap, the
    way a phone's alarm does; a repeated autumn time takes its first occurrence.
    """
    tzinfo = zone(tz)
    local = datetime.combine(day, at.replace(tzinfo=None), tzinfo=tzinfo)
    utc = local.astimezone(ZoneInfo("UTC"))
    return utc


def describe(rule: str) -> str:
    """A short plain-language description of a stored rule for lists and the calendar, in the
    current language ("Every Monday, Tuesday and Friday"; the list joined by Babel's own rules)."""
    schedule = from_rrule(rule)
    if schedule.kind == "daily":
        return _("Every day")
    if schedule.kind == "weekdays":
        return _("Weekdays")
    if schedule.kind == "every_n":
        return _("Every %(num)s days", num=schedule.interval)
    if schedule.kind == "days":
        names = [_(WEEKDAY_NAMES[d]) for d in schedule.days]
        if len(names) == 7:
            return _("Every day")
        language = current_language()
        joined = format_list(names, locale=FORMAT_LOCALES.get(language, language))
        return _("Every %(days)s", days=joined)
    return _("Custom repeat")
