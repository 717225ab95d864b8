"""A client's private iCalendar feed: each routine is one recurring event in the client's zone.

Events carry the RRULE and a TZID so the phone's calendar expands them itself and keeps 08:00 at
08:00 local across daylight-saving changes. Descriptions hold only a link back, not the steps:
the feed lives in a third-party calendar, so it says as little as it can.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vRecur

from app.i18n import gettext as _
from app.routines import recurrence

# Where a routine has a part of the day but no set time, the calendar still needs a time.
PART_OF_DAY_TIMES: dict[str, time] = {
    "morning": time(8, 0),
    "afternoon": time(13, 0),
    "evening": time(19, 0),
}
DEFAULT_MINUTES = 15
# Open-ended pauses are written as exceptions this far ahead; feeds are re-read daily.
OPEN_PAUSE_HORIZON = timedelta(days=400)


@dataclass(frozen=True, slots=True)
class FeedRoutine:
    """What the feed needs to know about one routine."""

    id: UUID
    title: str
    icon: str
    rrule: str
    starts_on: date
    part_of_day: str
    at: time | None = None
    minutes: int | None = None
    url: str = ""
    pauses: Sequence[recurrence.Pause] = field(default_factory=tuple)


def event_time(routine: FeedRoutine) -> time | None:
    """The local start time, or None for an all-day ("anytime") event."""
    return routine.at or PART_OF_DAY_TIMES.get(routine.part_of_day)


def build_feed(
    *, routines: Sequence[FeedRoutine], tz: str, now: datetime, name: str | None = None
) -> bytes:
    """The whole VCALENDAR as bytes (text/calendar), its words in the current language (the
    caller sets the client's: `feeds.build`)."""
    tzinfo = recurrence.zone(tz)
    cal = Calendar()
    cal.add("prodid", "-//Groundwork//Routines//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name or _("My routines"))
    cal.add("x-wr-timezone", tz)
    cal.add("refresh-interval", timedelta(hours=12), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT12H")
    for routine in routines:
        first = recurrence.first_occurrence(routine.rrule, routine.starts_on)
        if first is not None:  # a rule that never falls has no event to show
            cal.add_component(_event(routine, first=first, tzinfo=tzinfo, now=now))
    if any(event_time(r) is not None for r in routines):
        cal.add_missing_timezones()
    return bytes(cal.to_ical())


def _event(routine: FeedRoutine, *, first: date, tzinfo: ZoneInfo, now: datetime) -> Event:
    """One recurring event. DTSTART is the rule's first occurrence (``first``), never the start
    date itself: RFC 5545 makes DTSTART an occurrence even when the rule excludes that day."""
    event = Event()
    event.add("uid", f"routine-{routine.id}@groundwork")
    event.add("dtstamp", now)
    event.add("summary", f"{routine.icon} {routine.title}".strip())
    if routine.url:
        event.add("description", _("Open in Groundwork: %(url)s", url=routine.url))
        event.add("url", routine.url)
    at = event_time(routine)
    minutes = max(5, routine.minutes or DEFAULT_MINUTES)
    excluded = _paused_occurrences(routine)
    if at is None:
        event.add("dtstart", first)
        event.add("dtend", first + timedelta(days=1))
        if excluded:
            event.add("exdate", excluded)
    else:
        event.add("dtstart", datetime.combine(first, at, tzinfo=tzinfo))
        event.add("duration", timedelta(minutes=minutes))
        if excluded:
            event.add("exdate", [datetime.combine(d, at, tzinfo=tzinfo) for d in excluded])
    event.add("rrule", vRecur.from_ical(routine.rrule))
    event.add("transp", "TRANSPARENT")  # a routine should not make the person look busy
    return event


def _paused_occurrences(routine: FeedRoutine) -> list[date]:
    """Occurrences inside pauses, written as EXDATEs so the calendar leaves those days empty."""
    days: set[date] = set()
    for pause in routine.pauses:
        last = pause.ends_on or pause.starts_on + OPEN_PAUSE_HORIZON
        days.update(
            recurrence.occurrences_between(routine.rrule, routine.starts_on, pause.starts_on, last)
        )
    return sorted(days)
