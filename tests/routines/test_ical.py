"""The iCalendar feed parses, uses the client's zone, and keeps local times across DST."""

from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID

from dateutil.rrule import rrulestr
from icalendar import Calendar, Component

from app.routines import ical, recurrence
from app.routines.recurrence import Pause

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
RID = UUID("12345678-1234-5678-1234-567812345678")


def _feed(*routines: ical.FeedRoutine, tz: str = "Europe/London") -> Calendar:
    data = ical.build_feed(routines=routines, tz=tz, now=NOW)
    assert data.startswith(b"BEGIN:VCALENDAR")
    return Calendar.from_ical(data)


def test_feed_parses_with_a_recurring_event_in_the_clients_zone() -> None:
    routine = ical.FeedRoutine(
        id=RID,
        title="Getting up",
        icon="☀️",
        rrule="FREQ=DAILY",
        starts_on=date(2026, 3, 20),
        part_of_day="morning",
        at=time(8, 0),
        minutes=25,
        url="https://example.test/routines/x/play",
    )
    cal = _feed(routine)
    (event,) = cal.walk("VEVENT")
    assert str(event["summary"]) == "☀️ Getting up"
    assert str(event["uid"]) == f"routine-{RID}@groundwork"
    start = event.decoded("dtstart")
    assert start == datetime(2026, 3, 20, 8, 0, tzinfo=start.tzinfo)
    assert event["dtstart"].params["TZID"] == "Europe/London"
    assert event.decoded("duration") == timedelta(minutes=25)
    assert event["rrule"].to_ical() == b"FREQ=DAILY"
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    assert str(cal["x-wr-timezone"]) == "Europe/London"
    # Expand across the 29 March change: every occurrence is 08:00 local, UTC hour moves 8 -> 7.
    rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=start)
    occurrences = rule.between(start, start + timedelta(days=15), inc=True)
    assert {o.time() for o in occurrences} == {time(8, 0)}
    utc_hours = {o.date(): o.astimezone(UTC).hour for o in occurrences}
    assert utc_hours[date(2026, 3, 28)] == 8
    assert utc_hours[date(2026, 3, 29)] == 7


def test_part_of_day_without_time_gets_a_representative_time_and_anytime_is_all_day() -> None:
    evening = ical.FeedRoutine(
        id=RID,
        title="Wind down",
        icon="🌙",
        rrule="FREQ=DAILY",
        starts_on=date(2026, 3, 1),
        part_of_day="evening",
    )
    anytime = ical.FeedRoutine(
        id=UUID(int=2),
        title="Laundry",
        icon="🧺",
        rrule="FREQ=WEEKLY;BYDAY=SA",
        starts_on=date(2026, 3, 7),
        part_of_day="anytime",
    )
    cal = _feed(evening, anytime, tz="America/New_York")
    first, second = cal.walk("VEVENT")
    start = first.decoded("dtstart")
    assert (start.hour, start.minute) == (19, 0)
    assert first["dtstart"].params["TZID"] == "America/New_York"
    assert first.decoded("duration") == timedelta(minutes=ical.DEFAULT_MINUTES)
    assert second.decoded("dtstart") == date(2026, 3, 7)
    assert second.decoded("dtend") == date(2026, 3, 8)
    assert second["rrule"].to_ical() == b"FREQ=WEEKLY;BYDAY=SA"


def test_pauses_become_excluded_dates() -> None:
    routine = ical.FeedRoutine(
        id=RID,
        title="Walk",
        icon="🚶",
        rrule="FREQ=DAILY;INTERVAL=2",
        starts_on=date(2026, 3, 1),
        part_of_day="anytime",
        at=time(14, 0),
        pauses=(Pause(date(2026, 3, 4), date(2026, 3, 8)),),
    )
    (event,) = _feed(routine).walk("VEVENT")
    excluded = [d.dt for d in event["exdate"].dts]
    assert [(d.date(), d.hour) for d in excluded] == [
        (date(2026, 3, 5), 14),
        (date(2026, 3, 7), 14),
    ]


def test_empty_feed_is_still_a_valid_calendar() -> None:
    cal = _feed()
    assert cal.walk("VEVENT") == []
    assert str(cal["version"]) == "2.0"


def _expand(event: Component, days: int) -> list[date]:
    """What a calendar app shows: DTSTART is always an occurrence (RFC 5545), then the rule."""
    start = event.decoded("dtstart")
    begin = start if isinstance(start, datetime) else datetime.combine(start, time())
    rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=begin)
    shown = {begin, *rule.between(begin, begin + timedelta(days=days), inc=True)}
    return sorted(d.date() for d in shown)


def test_first_event_is_the_rules_first_occurrence_not_the_creation_day() -> None:
    sunday = date(2026, 12, 6)
    assert sunday.weekday() == 6
    routine = ical.FeedRoutine(
        id=RID,
        title="Swim",
        icon="🏊",
        rrule="FREQ=WEEKLY;BYDAY=TU",
        starts_on=sunday,
        part_of_day="morning",
        at=time(9, 0),
    )
    (event,) = _feed(routine).walk("VEVENT")
    assert event.decoded("dtstart").date() == date(2026, 12, 8)
    shown = _expand(event, 28)
    assert shown == recurrence.occurrences_between(routine.rrule, sunday, sunday, shown[-1])
    assert all(d.weekday() == 1 for d in shown)


def test_first_all_day_event_of_a_monthly_rule_falls_on_its_first_occurrence() -> None:
    routine = ical.FeedRoutine(
        id=RID,
        title="Pay bills",
        icon="💷",
        rrule="FREQ=MONTHLY;BYDAY=1MO",
        starts_on=date(2026, 12, 8),  # the day after December's first Monday
        part_of_day="anytime",
    )
    (event,) = _feed(routine).walk("VEVENT")
    assert event.decoded("dtstart") == date(2027, 1, 4)
    assert event.decoded("dtend") == date(2027, 1, 5)
    assert _expand(event, 70) == [date(2027, 1, 4), date(2027, 2, 1), date(2027, 3, 1)]


def test_a_rule_that_never_falls_after_its_start_has_no_event() -> None:
    routine = ical.FeedRoutine(
        id=RID,
        title="Old",
        icon="",
        rrule="FREQ=DAILY;UNTIL=20261201T000000",
        starts_on=date(2026, 12, 6),
        part_of_day="anytime",
    )
    assert recurrence.first_occurrence(routine.rrule, routine.starts_on) is None
    assert _feed(routine).walk("VEVENT") == []


def test_daily_and_weekday_rules_start_on_their_first_matching_day() -> None:
    sunday = date(2026, 12, 6)
    assert recurrence.first_occurrence("FREQ=DAILY;INTERVAL=3", sunday) == sunday
    assert recurrence.first_occurrence("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", sunday) == date(
        2026, 12, 7
    )
    assert recurrence.first_occurrence("FREQ=WEEKLY;BYDAY=SU", sunday) == sunday
