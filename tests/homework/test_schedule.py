"""Homework due dates and recurrences until the next session."""

from datetime import date, datetime, time

import pytest
from dateutil.rrule import rrulestr

from app.homework.schedule import (
    Recurrence,
    ScheduleError,
    describe,
    is_due_on,
    is_overdue,
    occurrences,
    to_rrule,
    week_bounds,
)

MON = date(2026, 11, 16)


def test_once_occurs_on_its_due_day_only() -> None:
    rec = Recurrence("once", MON, date(2026, 11, 20))
    assert occurrences(rec, MON, date(2026, 11, 30)) == [date(2026, 11, 20)]
    assert to_rrule(rec) is None
    assert is_due_on(rec, date(2026, 11, 20))
    assert not is_due_on(rec, date(2026, 11, 19))


def test_daily_until_next_session() -> None:
    rec = Recurrence("daily", MON, date(2026, 11, 19))
    assert occurrences(rec, date(2026, 11, 1), date(2026, 11, 30)) == [
        date(2026, 11, d) for d in (16, 17, 18, 19)
    ]
    assert to_rrule(rec) == "FREQ=DAILY;UNTIL=20261119"


def test_weekly_on_chosen_days() -> None:
    rec = Recurrence("weekly", MON, date(2026, 11, 29), (0, 3))
    assert occurrences(rec, MON, date(2026, 11, 29)) == [
        date(2026, 11, d) for d in (16, 19, 23, 26)
    ]
    rule = to_rrule(rec)
    assert rule == "FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20261129"
    expanded = rrulestr(rule, dtstart=datetime.combine(MON, time()))  # as reminders expand it
    assert [d.date() for d in expanded] == [date(2026, 11, d) for d in (16, 19, 23, 26)]


def test_occurrences_window_is_clipped() -> None:
    rec = Recurrence("daily", MON, date(2026, 11, 22))
    assert occurrences(rec, date(2026, 11, 21), date(2026, 12, 5)) == [
        date(2026, 11, 21),
        date(2026, 11, 22),
    ]
    assert occurrences(rec, date(2026, 12, 1), date(2026, 12, 5)) == []
    assert occurrences(rec, date(2026, 11, 20), date(2026, 11, 19)) == []


@pytest.mark.parametrize(
    "rec",
    [
        Recurrence("once", MON, date(2026, 11, 15)),
        Recurrence("daily", MON, date(2027, 6, 1)),
        Recurrence("weekly", MON, date(2026, 11, 30)),
        Recurrence("weekly", MON, date(2026, 11, 30), (7,)),
    ],
)
def test_invalid_schedules_are_refused(rec: Recurrence) -> None:
    with pytest.raises(ScheduleError):
        rec.validate()


def test_only_open_one_off_homework_becomes_overdue() -> None:
    once = Recurrence("once", MON, date(2026, 11, 18))
    assert is_overdue(once, open_=True, today=date(2026, 11, 19))
    assert not is_overdue(once, open_=True, today=date(2026, 11, 18))
    assert not is_overdue(once, open_=False, today=date(2026, 11, 30))
    daily = Recurrence("daily", MON, date(2026, 11, 18))
    assert not is_overdue(daily, open_=True, today=date(2026, 11, 30))


def test_descriptions() -> None:
    assert describe(Recurrence("once", MON, date(2026, 11, 20))) == "By Fri 20 Nov"
    assert describe(Recurrence("daily", MON, date(2026, 11, 20))) == "Every day until Fri 20 Nov"
    assert (
        describe(Recurrence("weekly", MON, date(2026, 11, 27), (4, 0)))
        == "Every Mon, Fri until Fri 27 Nov"
    )


def test_week_bounds() -> None:
    assert week_bounds(date(2026, 11, 19)) == (MON, date(2026, 11, 22))


@pytest.mark.parametrize(
    "rec",
    [
        Recurrence("daily", MON, date(2026, 12, 20)),
        Recurrence("weekly", date(2026, 11, 18), date(2027, 1, 31), (1, 5, 6)),
        Recurrence("weekly", MON, date(2026, 11, 16), (0,)),
    ],
)
def test_occurrences_match_the_rrule_the_reminders_expand(rec: Recurrence) -> None:
    rule = to_rrule(rec)
    assert rule is not None
    expanded = [d.date() for d in rrulestr(rule, dtstart=datetime.combine(rec.start_on, time()))]
    assert occurrences(rec, date(2026, 1, 1), date(2027, 12, 31)) == expanded
