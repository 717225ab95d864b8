"""Diet planning in local time, adherence and the arousal pattern."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest

from app.sensory import diet
from app.sensory.diet import CheckOff, PlannedItem

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
MONDAY = date(2026, 11, 16)


def _item(at: time = time(8), days: frozenset[int] = diet.EVERY_DAY, **kw: object) -> PlannedItem:
    base: dict[str, object] = {
        "id": uuid4(),
        "title": "Carry the laundry basket",
        "at": at,
        "days": days,
        "minutes": 5,
        "effect": "alerting",
        "course": "main_course",
        "starts_on": MONDAY - timedelta(days=60),
    }
    base.update(kw)
    return PlannedItem(**base)  # type: ignore[arg-type]


def test_local_time_keeps_its_wall_clock_across_daylight_saving() -> None:
    # 08:00 in London is 08:00 UTC in winter and 07:00 UTC in summer.
    assert diet.local_instant(date(2026, 1, 10), time(8), LONDON) == datetime(
        2026, 1, 10, 8, tzinfo=UTC
    )
    assert diet.local_instant(date(2026, 7, 10), time(8), LONDON) == datetime(
        2026, 7, 10, 7, tzinfo=UTC
    )


def test_a_time_in_the_spring_gap_lands_after_it() -> None:
    # 2026-03-29: London clocks go 01:00 -> 02:00; 01:30 does not exist, so it means 02:30 BST.
    got = diet.local_instant(date(2026, 3, 29), time(1, 30), LONDON)
    assert got == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert got.astimezone(LONDON).time() == time(2, 30)


def test_a_repeated_autumn_time_means_the_first_one() -> None:
    # 2026-11-01: New York clocks go 02:00 EDT -> 01:00 EST; 01:30 happens twice.
    got = diet.local_instant(date(2026, 11, 1), time(1, 30), NEW_YORK)
    assert got == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)


def test_local_day_bounds_are_23_or_25_hours_on_change_days() -> None:
    start, end = diet.local_day_bounds(date(2026, 3, 29), LONDON)
    assert end - start == timedelta(hours=23)
    start, end = diet.local_day_bounds(date(2026, 10, 25), LONDON)
    assert end - start == timedelta(hours=25)
    start, end = diet.local_day_bounds(date(2026, 11, 16), NEW_YORK)
    assert start == datetime(2026, 11, 16, 5, tzinfo=UTC)


def test_local_day_of_an_instant_uses_the_clients_zone() -> None:
    late = datetime(2026, 11, 17, 3, tzinfo=UTC)  # 22:00 on the 16th in New York
    assert diet.local_day_of(late, NEW_YORK) == date(2026, 11, 16)
    assert diet.local_day_of(late, LONDON) == date(2026, 11, 17)


def test_due_on_picks_chosen_weekdays_in_time_order() -> None:
    rocking = _item(time(15), frozenset({0, 2, 4}), title="Rocking chair")
    laundry = _item(time(8), frozenset({0, 1}))
    gum = _item(time(8), diet.EVERY_DAY, title="Chew gum")
    assert diet.due_on([rocking, laundry, gum], MONDAY) == [laundry, gum, rocking]
    assert diet.due_on([rocking, laundry, gum], MONDAY + timedelta(days=1)) == [laundry, gum]
    assert diet.due_on([rocking, laundry], MONDAY + timedelta(days=5)) == []


def test_items_are_not_due_before_they_start_or_after_they_end() -> None:
    item = _item(starts_on=MONDAY, ends_on=MONDAY + timedelta(days=2))
    assert not diet.is_due_on(item, MONDAY - timedelta(days=1))
    assert diet.is_due_on(item, MONDAY)
    assert diet.is_due_on(item, MONDAY + timedelta(days=2))
    assert not diet.is_due_on(item, MONDAY + timedelta(days=3))


def test_weekly_rrule_and_day_descriptions() -> None:
    assert diet.weekly_rrule(range(7)) == "FREQ=DAILY"
    assert diet.weekly_rrule([4, 0, 2]) == "FREQ=WEEKLY;BYDAY=MO,WE,FR"
    assert diet.describe_days(range(5)) == "Weekdays"
    assert diet.describe_days({5, 6}) == "Weekends"
    assert diet.describe_days({1, 3}) == "Tue, Thu"
    with pytest.raises(ValueError, match="weekday"):
        diet.weekly_rrule([7])
    with pytest.raises(ValueError, match="weekday"):
        diet.weekly_rrule([])


def test_adherence_counts_planned_days_once_and_extras_apart() -> None:
    item = _item(days=frozenset({0, 2, 4}))  # Mon, Wed, Fri
    wed, thu = MONDAY + timedelta(days=2), MONDAY + timedelta(days=3)
    checkoffs = [
        CheckOff(item.id, MONDAY, "just_right"),
        CheckOff(item.id, MONDAY, "too_high"),  # a second tap the same day
        CheckOff(item.id, wed, "just_right"),
        CheckOff(item.id, thu, "just_right"),  # not planned that day
        CheckOff(item.id, MONDAY - timedelta(days=7), "too_low"),  # outside the range
    ]
    got = diet.adherence([item], checkoffs, MONDAY, MONDAY + timedelta(days=6))[item.id]
    assert (got.planned, got.done, got.extra) == (3, 2, 1)
    assert got.rate == pytest.approx(2 / 3)


def test_adherence_of_a_new_item_counts_only_from_its_start() -> None:
    item = _item(starts_on=MONDAY + timedelta(days=4))
    got = diet.adherence([item], [], MONDAY, MONDAY + timedelta(days=6))[item.id]
    assert got.planned == 3
    assert diet.Adherence().rate is None


def test_total_adherence_sums_items() -> None:
    total = diet.total_adherence([diet.Adherence(3, 2, 1), diet.Adherence(7, 7, 0)])
    assert (total.planned, total.done, total.extra) == (10, 9, 1)


def test_arousal_pattern_tracks_movement_toward_just_right() -> None:
    a, b = uuid4(), uuid4()
    checkoffs = [
        CheckOff(a, MONDAY, "just_right", "too_high"),
        CheckOff(a, MONDAY, "just_right", "too_low"),
        CheckOff(a, MONDAY, "too_high", "just_right"),
        CheckOff(a, MONDAY, "too_high", "too_high"),
        CheckOff(a, MONDAY, "too_low", "too_high"),  # across the middle: same distance
        CheckOff(a, MONDAY, "just_right"),  # no before
        CheckOff(b, MONDAY, "too_low"),
    ]
    p = diet.arousal_pattern(checkoffs)
    assert p[a].count == 6
    assert p[a].after == {"too_low": 1, "just_right": 3, "too_high": 2}
    assert (p[a].toward, p[a].steady, p[a].away) == (2, 2, 1)
    assert p[a].with_before == 5
    assert p[b].after["too_low"] == 1
    assert p[b].with_before == 0
    assert diet.describe_pattern(p[a]) == (
        "Afterwards: too low 1, just right 3, too high 2. Of 5 with a before: 2 moved toward"
        " just right, 2 stayed the same, 1 moved away."
    )
    assert diet.describe_pattern(p[b]) == "Afterwards: too low 1."
    assert diet.describe_pattern(diet.ArousalPattern()) == "No check-offs yet."


def test_week_start_is_monday() -> None:
    assert diet.week_start(date(2026, 11, 22)) == MONDAY
    assert list(diet.days_in(MONDAY, MONDAY + timedelta(days=2)))[-1] == date(2026, 11, 18)
