"""Habit strength, weekly targets and the heat map."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.self_care.strength import (
    DayState,
    evaluate_week,
    heat_map,
    multiplier,
    strength_series,
    week_start,
)
from app.self_care.targets import Target, TargetKind

MON = date(2026, 11, 2)
DAILY = Target(kind=TargetKind.DAYS)
THREE_A_WEEK = Target(kind=TargetKind.WEEKLY, times_per_week=3)


def days(n: int, start: date = MON) -> list[date]:
    return [start + timedelta(days=i) for i in range(n)]


def series(
    values: dict[date, float], today: date, target: Target = DAILY, **kw: object
) -> list[float]:
    points = strength_series(
        target_on=lambda _d: target,
        values=values,
        start=MON,
        today=today,
        **kw,  # type: ignore[arg-type]
    )
    return [p.score for p in points]


def test_multiplier_halves_a_daily_habit_in_thirteen_days() -> None:
    assert multiplier(7) ** 13 == pytest.approx(0.5)
    assert multiplier(1) > multiplier(3) > multiplier(7)  # rarer habits decay more slowly


def test_each_completion_raises_strength() -> None:
    scores = series(dict.fromkeys(days(10), 1.0), today=MON + timedelta(days=9))
    assert all(b > a for a, b in zip(scores, scores[1:], strict=False))
    assert 0 < scores[-1] < 1


def test_a_missed_day_lowers_strength_only_a_little_never_to_zero() -> None:
    done = dict.fromkeys(days(30), 1.0)
    before = series(done, today=MON + timedelta(days=29))[-1]
    done[MON + timedelta(days=30)] = 0.0
    after = series(done, today=MON + timedelta(days=31))[-1]
    assert after < before
    assert after > before * 0.9


def test_partly_counts_partially() -> None:
    today = MON + timedelta(days=13)
    full = series(dict.fromkeys(days(14), 1.0), today)[-1]
    half = series(dict.fromkeys(days(14), 0.5), today)[-1]
    assert half == pytest.approx(full / 2)


def test_paused_days_leave_strength_unchanged() -> None:
    values = dict.fromkeys(days(10), 1.0)
    paused = set(days(7, MON + timedelta(days=10)))
    today = MON + timedelta(days=16)
    with_pause = strength_series(
        target_on=lambda _d: DAILY, values=values, start=MON, today=today, paused=paused
    )
    assert len(with_pause) == 10
    without_pause = series(values, today)
    assert with_pause[-1].score > without_pause[-1]


def test_today_without_a_check_in_is_not_counted_yet() -> None:
    values = dict.fromkeys(days(5), 1.0)
    today = MON + timedelta(days=5)
    points = strength_series(target_on=lambda _d: DAILY, values=values, start=MON, today=today)
    assert points[-1].on == today - timedelta(days=1)
    values[today] = 1.0
    points = strength_series(target_on=lambda _d: DAILY, values=values, start=MON, today=today)
    assert points[-1].on == today


def test_weekly_habit_on_any_weekday_reaches_high_strength() -> None:
    # Three times a week on shifting days for 12 weeks: the rolling window forgives the timing.
    values = {
        MON + timedelta(weeks=w, days=(w % 3) + 2 * i): 1.0 for w in range(12) for i in range(3)
    }
    scores = series(values, MON + timedelta(weeks=12), target=THREE_A_WEEK)
    assert scores[-1] > 0.75
    assert min(scores[-14:]) > 0.7  # no collapse between completions


def test_weekly_target_met_with_partly_counting_half() -> None:
    values = {
        MON: 1.0,
        MON + timedelta(days=2): 1.0,
        MON + timedelta(days=4): 0.5,
        MON + timedelta(days=5): 0.5,
    }
    week = evaluate_week(
        start=MON, target=THREE_A_WEEK, values=values, today=MON + timedelta(days=8)
    )
    assert (week.planned, week.done, week.met, week.complete) == (3, 3.0, True, True)


def test_week_not_met_stays_undecided_until_the_week_is_over() -> None:
    values = {MON: 1.0}
    running = evaluate_week(
        start=MON, target=THREE_A_WEEK, values=values, today=MON + timedelta(days=3)
    )
    assert running.met is None
    assert not running.complete
    over = evaluate_week(
        start=MON, target=THREE_A_WEEK, values=values, today=MON + timedelta(days=7)
    )
    assert over.met is False
    assert over.ratio == pytest.approx(1 / 3)


def test_paused_days_shrink_the_week_target() -> None:
    paused = set(days(4))
    values = {MON + timedelta(days=5): 1.0, MON + timedelta(days=6): 1.0}
    week = evaluate_week(
        start=MON, target=THREE_A_WEEK, values=values, today=MON + timedelta(days=7), paused=paused
    )
    assert (week.planned, week.active_days, week.met) == (2, 3, True)
    whole = evaluate_week(
        start=MON,
        target=THREE_A_WEEK,
        values={},
        today=MON + timedelta(days=7),
        paused=set(days(7)),
    )
    assert whole.met is None
    assert whole.planned == 0


def test_chosen_days_target_only_counts_chosen_days() -> None:
    mwf = Target(kind=TargetKind.DAYS, days=frozenset({0, 2, 4}))
    values = {MON: 1.0, MON + timedelta(days=1): 1.0, MON + timedelta(days=2): 1.0}
    week = evaluate_week(start=MON, target=mwf, values=values, today=MON + timedelta(days=7))
    assert (week.planned, week.done, week.met) == (3, 2.0, False)
    values[MON + timedelta(days=4)] = 1.0
    assert evaluate_week(start=MON, target=mwf, values=values, today=MON + timedelta(days=7)).met


def test_heat_map_has_monday_first_weeks_with_text_for_every_cell() -> None:
    mwf = Target(kind=TargetKind.DAYS, days=frozenset({0, 2, 4}))
    today = MON + timedelta(days=9)  # Wednesday of the second week
    values = {MON: 1.0, MON + timedelta(days=2): 0.5}
    rows = heat_map(
        target_on=lambda _d: mwf,
        values=values,
        start=MON,
        today=today,
        weeks=3,
        paused={MON + timedelta(days=7)},
    )
    assert len(rows) == 3
    assert all(len(r) == 7 for r in rows)
    assert all(cell.on.weekday() == i for r in rows for i, cell in enumerate(r))
    cells = {cell.on: cell for r in rows for cell in r}
    assert cells[MON - timedelta(days=1)].state is DayState.BEFORE_START
    assert cells[MON].state is DayState.DONE
    assert cells[MON + timedelta(days=1)].state is DayState.NOT_PLANNED
    assert cells[MON + timedelta(days=2)].state is DayState.PARTLY
    assert cells[MON + timedelta(days=4)].state is DayState.MISSED
    assert cells[MON + timedelta(days=7)].state is DayState.PAUSED
    assert cells[today].state is DayState.OPEN
    assert cells[today + timedelta(days=1)].state is DayState.FUTURE
    assert cells[MON].text == "Mon 2 Nov: done"
    assert cells[MON + timedelta(days=4)].text == "Fri 6 Nov: not done"


def test_week_start_is_monday() -> None:
    assert week_start(MON + timedelta(days=6)) == MON
    assert week_start(MON) == MON
