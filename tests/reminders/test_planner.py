"""Planner: local wall time kept across DST, gaps, folds, quiet hours, grace, backoff."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.reminders import planner
from app.reminders.planner import QuietDecision, QuietHours

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def daily(
    zone: ZoneInfo, times: list[time], start: datetime, end: datetime, rule: str | None = None
):
    return planner.expand(
        local_times=times,
        rule_text=rule,
        zone=zone,
        start_on=date(2026, 1, 1),
        window_start=start,
        window_end=end,
    )


def test_eight_oclock_stays_eight_oclock_across_london_spring_forward() -> None:
    occ = daily(LONDON, [time(8)], utc(2026, 3, 28), utc(2026, 3, 31))
    assert [o.due_at for o in occ] == [
        utc(2026, 3, 28, 8),
        utc(2026, 3, 29, 7),
        utc(2026, 3, 30, 7),
    ]
    assert all(o.due_at.astimezone(LONDON).time() == time(8) for o in occ)


def test_eight_oclock_stays_eight_oclock_across_new_york_fall_back() -> None:
    occ = daily(NEW_YORK, [time(8)], utc(2026, 10, 31), utc(2026, 11, 3))
    assert [o.due_at for o in occ] == [
        utc(2026, 10, 31, 12),
        utc(2026, 11, 1, 13),
        utc(2026, 11, 2, 13),
    ]


def test_nonexistent_london_time_fires_at_next_valid_minute() -> None:
    # 29 March 2026: clocks go from 01:00 GMT to 02:00 BST; 01:30 does not exist.
    occ = daily(LONDON, [time(1, 30)], utc(2026, 3, 29), utc(2026, 3, 29, 12))
    assert len(occ) == 1
    assert occ[0].due_at == utc(2026, 3, 29, 1)  # 02:00 BST
    assert occ[0].due_at.astimezone(LONDON).time() == time(2, 0)
    assert occ[0].key == "2026-03-29T01:30"


def test_nonexistent_new_york_time_fires_at_next_valid_minute() -> None:
    # 8 March 2026: 02:00 EST -> 03:00 EDT; 02:15 does not exist.
    assert planner.local_to_utc(date(2026, 3, 8), time(2, 15), NEW_YORK) == utc(2026, 3, 8, 7)


def test_repeated_london_time_fires_once_at_first_instant() -> None:
    # 25 October 2026: 01:30 happens at 00:30 UTC (BST) and again at 01:30 UTC (GMT).
    occ = daily(LONDON, [time(1, 30)], utc(2026, 10, 24, 12), utc(2026, 10, 26))
    assert [o.due_at for o in occ] == [utc(2026, 10, 25, 0, 30)]


def test_repeated_new_york_time_fires_once() -> None:
    occ = daily(NEW_YORK, [time(1, 30)], utc(2026, 11, 1), utc(2026, 11, 2))
    assert [o.due_at for o in occ] == [utc(2026, 11, 1, 5, 30)]


def test_several_times_per_day_and_rrule_selects_days() -> None:
    # 2 March 2026 is a Monday.
    occ = daily(
        LONDON,
        [time(18), time(8)],
        utc(2026, 3, 2),
        utc(2026, 3, 9),
        rule="RRULE:FREQ=WEEKLY;BYDAY=MO,WE",
    )
    assert [o.key for o in occ] == [
        "2026-03-02T08:00",
        "2026-03-02T18:00",
        "2026-03-04T08:00",
        "2026-03-04T18:00",
    ]


def test_rrule_count_and_start_day_are_respected() -> None:
    occ = planner.expand(
        local_times=[time(9)],
        rule_text="FREQ=DAILY;COUNT=2",
        zone=LONDON,
        start_on=date(2026, 5, 10),
        window_start=utc(2026, 5, 1),
        window_end=utc(2026, 6, 1),
    )
    assert [o.local_day for o in occ] == [date(2026, 5, 10), date(2026, 5, 11)]


def test_window_edge_keeps_occurrences_whose_local_day_differs_from_utc_day() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    occ = daily(tokyo, [time(7)], utc(2026, 6, 1, 21), utc(2026, 6, 1, 23))
    assert [o.key for o in occ] == ["2026-06-02T07:00"]


def test_until_day_stops_the_schedule() -> None:
    occ = planner.expand(
        local_times=[time(9)],
        rule_text=None,
        zone=LONDON,
        start_on=date(2026, 5, 1),
        until_on=date(2026, 5, 2),
        window_start=utc(2026, 5, 1),
        window_end=utc(2026, 5, 5),
    )
    assert len(occ) == 2


def test_invalid_rrule_is_rejected() -> None:
    with pytest.raises(ValueError, match=r".*"):
        planner.parse_rrule("FREQ=SOMETIMES", date(2026, 1, 1))
    with pytest.raises(ValueError, match="DTSTART"):
        planner.parse_rrule("DTSTART:20260101T000000\nRRULE:FREQ=DAILY", date(2026, 1, 1))


def test_quiet_hours_defer_a_morning_reminder_to_their_end() -> None:
    quiet = QuietHours(start=time(22), end=time(7, 30))
    due = planner.local_to_utc(date(2026, 7, 1), time(6, 30), LONDON)
    assert planner.quiet_decision(due, LONDON, quiet) is QuietDecision.DEFER
    assert planner.quiet_end_utc(due, LONDON, quiet) == utc(2026, 7, 1, 6, 30)


def test_quiet_hours_hold_a_late_evening_reminder_for_the_inbox() -> None:
    quiet = QuietHours(start=time(22), end=time(7, 30))
    due = planner.local_to_utc(date(2026, 7, 1), time(23), LONDON)
    assert planner.quiet_decision(due, LONDON, quiet) is QuietDecision.HOLD


def test_outside_quiet_hours_sends_and_boundaries_are_half_open() -> None:
    quiet = QuietHours(start=time(22), end=time(7, 30))
    for wall, expected in [
        (time(7, 30), QuietDecision.SEND),
        (time(21, 59), QuietDecision.SEND),
        (time(22), QuietDecision.HOLD),
        (time(7, 29), QuietDecision.DEFER),
    ]:
        due = planner.local_to_utc(date(2026, 1, 5), wall, NEW_YORK)
        assert planner.quiet_decision(due, NEW_YORK, quiet) is expected, wall
    assert planner.quiet_decision(utc(2026, 1, 5, 3), NEW_YORK, None) is QuietDecision.SEND


def test_daytime_quiet_window_defers_within_the_day() -> None:
    quiet = QuietHours(start=time(13), end=time(15))
    due = planner.local_to_utc(date(2026, 1, 5), time(14), LONDON)
    assert planner.quiet_decision(due, LONDON, quiet) is QuietDecision.DEFER
    assert QuietHours(start=time(9), end=time(9)).contains(time(9)) is False


def test_quiet_hours_ending_in_a_dst_gap_end_at_the_next_valid_minute() -> None:
    quiet = QuietHours(start=time(0), end=time(1, 30))
    due = utc(2026, 3, 29, 0, 15)  # 00:15 GMT on the spring-forward day
    assert planner.quiet_decision(due, LONDON, quiet) is QuietDecision.DEFER
    assert planner.quiet_end_utc(due, LONDON, quiet) == utc(2026, 3, 29, 1)


def test_grace_marks_late_occurrences_missed() -> None:
    due = utc(2026, 1, 5, 8)
    assert not planner.is_missed(due, due + timedelta(minutes=30))
    assert planner.is_missed(due, due + timedelta(minutes=30, seconds=1))
    assert planner.is_missed(due, due + timedelta(minutes=6), grace=timedelta(minutes=5))


def test_retry_backoff_grows_then_stops() -> None:
    failed = utc(2026, 1, 5, 8)
    delays = [planner.retry_at(n, failed) for n in range(1, 5)]
    assert delays[:3] == [
        failed + timedelta(seconds=30),
        failed + timedelta(minutes=2),
        failed + timedelta(minutes=8),
    ]
    assert delays[3] is None
    assert planner.retry_at(0, failed) is None


def test_snooze_choices() -> None:
    now = utc(2026, 1, 5, 8)
    assert planner.snooze_until("10m", now) == now + timedelta(minutes=10)
    assert planner.snooze_until("1h", now) == now + timedelta(hours=1)
    with pytest.raises(ValueError, match="unknown"):
        planner.snooze_until("1y", now)


def test_local_day_of_uses_the_client_zone() -> None:
    assert planner.local_day_of(utc(2026, 1, 5, 3), NEW_YORK) == date(2026, 1, 4)
