"""The local send hour across time zones and daylight-saving changes (zoneinfo)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.digest.timing import due_day, send_window


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "hour", "tz", "expected"),
    [
        (utc(2026, 3, 2, 8, 0), 8, "Europe/London", date(2026, 3, 2)),  # GMT
        (utc(2026, 3, 2, 8, 59), 8, "Europe/London", date(2026, 3, 2)),
        (utc(2026, 3, 2, 9, 0), 8, "Europe/London", None),
        (utc(2026, 3, 2, 7, 59), 8, "Europe/London", None),
        (utc(2026, 6, 1, 7, 0), 8, "Europe/London", date(2026, 6, 1)),  # BST: 08:00 is 07:00 UTC
        (utc(2026, 6, 1, 8, 0), 8, "Europe/London", None),
        # 06:00 in Auckland on 2 March (NZDT, UTC+13) is 17:00 UTC on 1 March.
        (utc(2026, 3, 1, 17, 30), 6, "Pacific/Auckland", date(2026, 3, 2)),
        (utc(2026, 3, 2, 12, 0), 7, "America/New_York", date(2026, 3, 2)),
        (utc(2026, 3, 2, 12, 0), 7, "Not/A_Zone", None),  # a bad zone falls back to UTC
        (utc(2026, 3, 2, 7, 0), 7, "Not/A_Zone", date(2026, 3, 2)),
    ],
)
def test_due_day(now: datetime, hour: int, tz: str, expected: date | None) -> None:
    assert due_day(now, hour, tz) == expected


def test_spring_forward_hour_that_does_not_exist_still_happens_once() -> None:
    # London, 29 March 2026: 01:00 GMT jumps to 02:00 BST, so local 01:xx does not exist.
    start, end = send_window(date(2026, 3, 29), 1, "Europe/London")
    assert (start, end) == (utc(2026, 3, 29, 1), utc(2026, 3, 29, 2))
    minutes = [utc(2026, 3, 28, 23) + timedelta(minutes=m) for m in range(300)]
    due = [m for m in minutes if due_day(m, 1, "Europe/London") == date(2026, 3, 29)]
    assert due[0] == utc(2026, 3, 29, 1)
    assert len(due) == 60, "exactly one hour-long window that day"


def test_fall_back_hour_that_happens_twice_has_one_window() -> None:
    # London, 25 October 2026: 02:00 BST goes back to 01:00 GMT, so local 01:xx happens twice.
    minutes = [utc(2026, 10, 24, 22) + timedelta(minutes=m) for m in range(360)]
    due = [m for m in minutes if due_day(m, 1, "Europe/London") == date(2026, 10, 25)]
    assert due[0] == utc(2026, 10, 25, 0)  # the first 01:00 (BST)
    assert len(due) == 60


def test_every_local_day_has_exactly_one_window_all_year() -> None:
    """Walk 2026 in 30-minute steps for zones with and without DST: one window per local day."""
    for tz in ("Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"):
        for hour in (1, 23):
            days: dict[date, int] = {}
            moment = utc(2026, 1, 1)
            while moment < utc(2027, 1, 1):
                day = due_day(moment, hour, tz)
                if day is not None:
                    days[day] = days.get(day, 0) + 1
                moment += timedelta(minutes=30)
            assert all(n == 2 for n in days.values()), (tz, hour)
            assert len(days) >= 364, (tz, hour)
