"""When homework is due: a single due date, or a recurrence until the next session.

Recurrence is an RFC 5545 RRULE (expanded with dateutil) so the reminders domain can use the same
rule. A missed day of recurring practice is never "overdue" (no shaming a missed day): only one-off
homework past its due date and still open is overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from app.i18n import N_, format_date, gettext, weekday_name

Frequency = Literal["once", "daily", "weekly"]
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MAX_SPAN_DAYS = 120  # homework runs until the next session: months, never years


class ScheduleError(ValueError):
    """A schedule that cannot be used (dates in the wrong order, no weekdays ...)."""


@dataclass(frozen=True, slots=True)
class Recurrence:
    frequency: Frequency
    start_on: date
    due_on: date  # the due date (once) or the last day of practice (until the next session)
    weekdays: tuple[int, ...] = ()  # 0 = Monday, for weekly

    def validate(self) -> None:
        if self.due_on < self.start_on:
            raise ScheduleError(N_("the due date must be on or after the start date"))
        if (self.due_on - self.start_on).days > MAX_SPAN_DAYS:
            raise ScheduleError(f"homework can run for at most {MAX_SPAN_DAYS} days")
        if self.frequency == "weekly":
            if not self.weekdays:
                raise ScheduleError(N_("choose at least one day of the week"))
            if any(d not in range(7) for d in self.weekdays):
                raise ScheduleError("weekdays are 0 (Monday) to 6 (Sunday)")

    @property
    def recurring(self) -> bool:
        return self.frequency != "once"


def to_rrule(rec: Recurrence) -> str | None:
    """The RRULE for reminders (None for one-off homework, reminded on its due day)."""
    until = rec.due_on.strftime("%Y%m%d")
    if rec.frequency == "daily":
        return f"FREQ=DAILY;UNTIL={until}"
    if rec.frequency == "weekly":
        days = ",".join(WEEKDAY_CODES[d] for d in sorted(set(rec.weekdays)))
        return f"FREQ=WEEKLY;BYDAY={days};UNTIL={until}"
    return None


def occurrences(rec: Recurrence, start: date, end: date) -> list[date]:
    """Days in [start, end] on which this homework is planned.

    Plain date arithmetic, equal to expanding `to_rrule(rec)` (a test checks they agree): the
    dashboard calls this for every open assignment of a caseload, and dateutil is far slower.
    """
    if end < start:
        return []
    if rec.frequency == "once":
        return [rec.due_on] if start <= rec.due_on <= end else []
    lo, hi = max(start, rec.start_on), min(end, rec.due_on)
    if hi < lo:
        return []
    days = [lo + timedelta(days=i) for i in range((hi - lo).days + 1)]
    if rec.frequency == "weekly":
        wanted = set(rec.weekdays)
        return [d for d in days if d.weekday() in wanted]
    return days


def is_due_on(rec: Recurrence, day: date) -> bool:
    return bool(occurrences(rec, day, day))


def is_overdue(rec: Recurrence, *, open_: bool, today: date) -> bool:
    """One-off homework still open after its due day."""
    return open_ and rec.frequency == "once" and today > rec.due_on


def describe(rec: Recurrence) -> str:
    """Plain words for the schedule, shown to the client and therapist."""
    day = format_date(rec.due_on, "EEE dd MMM")
    if rec.frequency == "once":
        return gettext("By %(day)s", day=day)
    if rec.frequency == "daily":
        return gettext("Every day until %(day)s", day=day)
    names = ", ".join(
        weekday_name(date(2024, 1, 1 + d), "abbreviated") for d in sorted(set(rec.weekdays))
    )
    return gettext("Every %(days)s until %(day)s", days=names, day=day)


def week_bounds(day: date) -> tuple[date, date]:
    """Monday..Sunday of the local week holding `day`."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)
