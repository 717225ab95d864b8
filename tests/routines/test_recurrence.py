"""Recurrence: schedules to RRULEs, local days, set times across DST, pauses, the date line."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from app.routines import recurrence as r


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        (r.Schedule(kind="daily"), "FREQ=DAILY"),
        (r.Schedule(kind="weekdays"), "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        (r.Schedule(kind="days", days=("TH", "MO")), "FREQ=WEEKLY;BYDAY=MO,TH"),
        (r.Schedule(kind="every_n", interval=3), "FREQ=DAILY;INTERVAL=3"),
        (r.Schedule(kind="every_n", interval=1), "FREQ=DAILY"),
        (
            r.Schedule(kind="rrule", rrule="rrule:freq=monthly;bymonthday=1"),
            "FREQ=MONTHLY;BYMONTHDAY=1",
        ),
    ],
)
def test_schedule_becomes_rrule_and_back(schedule: r.Schedule, expected: str) -> None:
    rule = r.to_rrule(schedule)
    assert rule == expected
    back = r.from_rrule(rule)
    assert r.to_rrule(back) == rule


def test_from_rrule_recognises_builder_choices() -> None:
    assert r.from_rrule("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR").kind == "weekdays"
    assert r.from_rrule("FREQ=WEEKLY;BYDAY=SA,SU") == r.Schedule(kind="days", days=("SA", "SU"))
    assert r.from_rrule("FREQ=DAILY;INTERVAL=2") == r.Schedule(kind="every_n", interval=2)
    assert r.from_rrule("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO").kind == "rrule"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write a repeat rule"),
        ("FREQ=SOMETIMES", "FREQ=DAILY, WEEKLY"),
        ("FREQ=HOURLY", "FREQ=DAILY, WEEKLY"),
        ("FREQ=DAILY;BYHOUR=8", "time field"),
        ("FREQ=WEEKLY;BYDAY=XX", "could not be read"),
        ("FREQ=DAILY;INTERVAL=abc", "could not be read"),
        ("FREQ=DAILY;;", "could not be read"),
        ("FREQ=DAILY;FREQ=WEEKLY", "could not be read"),
        ("not a rule at all", "could not be read"),
        ("FREQ=DAILY;" + "BYMONTH=1;" * 40, "too long"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "never happens"),
    ],
)
def test_bad_rrule_gets_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(r.ScheduleError, match=message):
        r.normalise_rrule(text)


def test_chosen_days_need_a_day_and_every_n_a_sane_number() -> None:
    with pytest.raises(r.ScheduleError, match="at least one day"):
        r.to_rrule(r.Schedule(kind="days", days=()))
    with pytest.raises(r.ScheduleError, match="between 1 and 365"):
        r.to_rrule(r.Schedule(kind="every_n", interval=0))
    with pytest.raises(r.ScheduleError, match="between 1 and 365"):
        r.to_rrule(r.Schedule(kind="every_n", interval=1000))


def test_occurs_on_respects_start_weekdays_and_intervals() -> None:
    start = date(2026, 11, 2)  # a Monday
    assert not r.occurs_on("FREQ=DAILY", start, date(2026, 11, 1))
    assert r.occurs_on("FREQ=DAILY", start, start)
    weekdays = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    assert r.occurs_on(weekdays, start, date(2026, 11, 6))
    assert not r.occurs_on(weekdays, start, date(2026, 11, 7))
    every3 = "FREQ=DAILY;INTERVAL=3"
    assert [d.day for d in r.occurrences_between(every3, start, start, date(2026, 11, 12))] == [
        2,
        5,
        8,
        11,
    ]
    assert r.occurs_on(every3, start, date(2027, 11, 2)) == (
        (date(2027, 11, 2) - start).days % 3 == 0
    )
    fortnightly = "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    assert r.occurs_on(fortnightly, start, date(2026, 11, 3))
    assert not r.occurs_on(fortnightly, start, date(2026, 11, 10))
    assert r.occurs_on(fortnightly, start, date(2026, 11, 17))


def test_fast_path_agrees_with_dateutil() -> None:
    start = date(2025, 1, 30)
    first, last = date(2025, 1, 1), date(2026, 3, 1)
    for n in (1, 2, 5, 7):
        rule = "FREQ=DAILY" if n == 1 else f"FREQ=DAILY;INTERVAL={n}"
        slow = r._compiled(rule + ";WKST=MO", start).between(
            datetime(2025, 1, 1), datetime(2026, 3, 1), inc=True
        )
        assert r.occurrences_between(rule, start, first, last) == [d.date() for d in slow]


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        "FREQ=WEEKLY;BYDAY=MO,TH",
        "FREQ=WEEKLY;BYDAY=SU",
        "FREQ=WEEKLY;BYDAY=SA,SU,MO",
    ],
)
def test_weekly_fast_path_agrees_with_dateutil(rule: str) -> None:
    assert r._fast_weekly(rule) is not None
    for start in (date(2025, 1, 27), date(2025, 1, 30), date(2025, 2, 2)):  # Mon, Thu, Sun
        slow = {
            d.date()
            for d in r._compiled(rule, start).between(
                datetime(2025, 1, 1), datetime(2025, 4, 1), inc=True
            )
        }
        day = date(2025, 1, 1)
        while day <= date(2025, 4, 1):
            assert r.occurs_on(rule, start, day) == (day in slow), (rule, start, day)
            day += timedelta(days=1)
        for first, last in (
            (date(2025, 1, 1), date(2025, 4, 1)),
            (date(2025, 2, 3), date(2025, 2, 9)),
            (date(2025, 3, 5), date(2025, 3, 5)),
            (date(2025, 2, 10), date(2025, 2, 1)),
        ):
            assert r.occurrences_between(rule, start, first, last) == sorted(
                d for d in slow if first <= d <= last
            ), (rule, start, first, last)


@pytest.mark.parametrize(
    "rule",
    ["FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "FREQ=WEEKLY;BYDAY=1MO", "FREQ=WEEKLY;BYDAY=MO;COUNT=3"],
)
def test_weekly_fast_path_leaves_other_rules_to_dateutil(rule: str) -> None:
    assert r._fast_weekly(rule) is None


def test_rule_with_count_ends() -> None:
    rule = r.normalise_rrule("FREQ=DAILY;COUNT=3")
    start = date(2026, 1, 1)
    assert r.occurrences_between(rule, start, start, date(2026, 1, 31)) == [
        date(2026, 1, 1),
        date(2026, 1, 2),
        date(2026, 1, 3),
    ]
    assert not r.occurs_on(rule, start, date(2026, 1, 4))


@pytest.mark.parametrize(
    ("tz", "before", "after", "hours_before", "hours_after"),
    [
        # Europe/London: BST starts 29 March 2026, ends 25 October 2026.
        ("Europe/London", date(2026, 3, 28), date(2026, 3, 29), 8, 7),
        ("Europe/London", date(2026, 10, 24), date(2026, 10, 25), 7, 8),
        # America/New_York: EDT starts 8 March 2026, ends 1 November 2026.
        ("America/New_York", date(2026, 3, 7), date(2026, 3, 8), 13, 12),
        ("America/New_York", date(2026, 10, 31), date(2026, 11, 1), 12, 13),
    ],
)
def test_eight_oclock_stays_eight_oclock_local_across_dst(
    tz: str, before: date, after: date, hours_before: int, hours_after: int
) -> None:
    at = time(8, 0)
    first, second = r.local_start(before, at, tz), r.local_start(after, at, tz)
    assert (first.hour, second.hour) == (hours_before, hours_after)
    assert first.astimezone(r.zone(tz)).time() == at
    assert second.astimezone(r.zone(tz)).time() == at
    assert second - first != timedelta(days=1)  # the UTC gap is 23 or 25 hours
    assert r.occurs_on("FREQ=DAILY", before, after)


def test_time_skipped_by_spring_forward_moves_forward() -> None:
    start = r.local_start(date(2026, 3, 8), time(2, 30), "America/New_York")
    assert start == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    assert start.astimezone(r.zone("America/New_York")).time() == time(3, 30)


def test_weekly_rule_keeps_its_local_weekday_across_dst() -> None:
    rule = "FREQ=WEEKLY;BYDAY=SU"
    days = r.occurrences_between(rule, date(2026, 3, 1), date(2026, 3, 1), date(2026, 4, 5))
    assert all(d.weekday() == 6 for d in days)
    assert date(2026, 3, 29) in days  # London's change day is still a Sunday occurrence


def test_local_day_depends_on_the_clients_zone_and_the_date_line() -> None:
    now = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)
    assert r.local_day(now, "Pacific/Kiritimati") == date(2026, 11, 24)  # UTC+14
    assert r.local_day(now, "Pacific/Pago_Pago") == date(2026, 11, 23)  # UTC-11
    assert r.local_day(datetime(2026, 11, 23, 23, 30, tzinfo=UTC), "Europe/London") == date(
        2026, 11, 23
    )
    assert r.local_day(datetime(2026, 11, 23, 23, 30, tzinfo=UTC), "Europe/Paris") == date(
        2026, 11, 24
    )
    with pytest.raises(ValueError, match="aware"):
        r.local_day(datetime(2026, 11, 23), "Europe/London")


def test_client_crossing_the_date_line_sees_the_right_day() -> None:
    """Flying Apia (UTC+13) to Honolulu (UTC-10): the same instant is a day earlier on arrival."""
    monday_only = "FREQ=WEEKLY;BYDAY=MO"
    start = date(2026, 11, 1)
    instant = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
    in_samoa = r.local_day(instant, "Pacific/Apia")
    in_hawaii = r.local_day(instant, "Pacific/Honolulu")
    assert (in_samoa, in_hawaii) == (date(2026, 11, 24), date(2026, 11, 23))
    assert not r.is_due(monday_only, start, in_samoa)
    assert r.is_due(monday_only, start, in_hawaii)
    at = r.local_start(in_hawaii, time(8, 0), "Pacific/Honolulu")
    assert at == datetime(2026, 11, 23, 18, 0, tzinfo=UTC)


def test_pauses_cover_their_days_inclusively() -> None:
    pauses = [r.validate_pause(date(2026, 12, 20), date(2026, 12, 27)), r.Pause(date(2027, 2, 1))]
    assert r.is_due("FREQ=DAILY", date(2026, 12, 1), date(2026, 12, 19), pauses)
    assert not r.is_due("FREQ=DAILY", date(2026, 12, 1), date(2026, 12, 20), pauses)
    assert not r.is_due("FREQ=DAILY", date(2026, 12, 1), date(2026, 12, 27), pauses)
    assert r.is_due("FREQ=DAILY", date(2026, 12, 1), date(2026, 12, 28), pauses)
    assert not r.is_due("FREQ=DAILY", date(2026, 12, 1), date(2030, 1, 1), pauses)  # open-ended
    days = r.due_days(
        "FREQ=DAILY", date(2026, 12, 18), date(2026, 12, 1), date(2026, 12, 29), pauses
    )
    assert days == [date(2026, 12, 18), date(2026, 12, 19), date(2026, 12, 28), date(2026, 12, 29)]
    with pytest.raises(r.ScheduleError, match="cannot be before"):
        r.validate_pause(date(2026, 12, 20), date(2026, 12, 19))


def test_unknown_zone_is_a_clear_error() -> None:
    with pytest.raises(r.ScheduleError, match="Unknown time zone"):
        r.zone("Mars/Olympus")


def test_describe_is_plain_language() -> None:
    assert r.describe("FREQ=DAILY") == "Every day"
    assert r.describe("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR") == "Weekdays"
    assert r.describe("FREQ=WEEKLY;BYDAY=MO,TH") == "Every Monday and Thursday"
    assert r.describe("FREQ=WEEKLY;BYDAY=SA") == "Every Saturday"
    assert r.describe("FREQ=DAILY;INTERVAL=3") == "Every 3 days"
    assert r.describe("FREQ=MONTHLY;BYMONTHDAY=1") == "Custom repeat"
