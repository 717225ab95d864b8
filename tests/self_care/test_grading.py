"""Step-up / step-down rules, including pauses, back-fills, bounds and declines."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from app.self_care.grading import (
    Direction,
    GradingSettings,
    LevelBounds,
    judged_weeks,
    suggest,
)
from app.self_care.targets import CheckIn, Outcome, Target, TargetKind, day_values

MON = date(2026, 11, 2)  # level started on this Monday
DAILY = Target(kind=TargetKind.DAYS)
THREE = Target(kind=TargetKind.WEEKLY, times_per_week=3)
MID = LevelBounds(level=2, lowest=1, highest=4)


def week(
    n: int, outcome: Outcome = Outcome.DONE, confidence: int | None = 8, each: int = 7
) -> list[CheckIn]:
    """Check-ins on the first `each` days of week n after MON."""
    start = MON + timedelta(weeks=n)
    return [CheckIn(start + timedelta(days=i), outcome, confidence) for i in range(each)]


def today_after(weeks: int) -> date:
    return MON + timedelta(weeks=weeks)  # the Monday after `weeks` whole weeks


def run(check_ins: list[CheckIn], weeks: int = 3, **kw: object):  # type: ignore[no-untyped-def]
    args: dict[str, object] = {
        "target": DAILY,
        "check_ins": check_ins,
        "bounds": MID,
        "level_since": MON,
        "today": today_after(weeks),
    }
    args.update(kw)
    return suggest(**args)  # type: ignore[arg-type]


def test_met_in_most_recent_weeks_with_confidence_suggests_next_level() -> None:
    s = run(week(0) + week(1, each=3) + week(2))
    assert s is not None
    assert (s.direction, s.from_level, s.to_level) == (Direction.UP, 2, 3)
    assert (s.weeks_met, s.weeks_judged) == (2, 3)
    assert s.mean_confidence == pytest.approx(8.0)
    assert "next step" in s.message


def test_low_confidence_holds_back_the_step_up() -> None:
    assert run(week(0, confidence=6) + week(1, confidence=6) + week(2, confidence=6)) is None


def test_confidence_of_exactly_seven_is_enough() -> None:
    s = run(week(0, confidence=7) + week(1, confidence=7) + week(2, confidence=7))
    assert s is not None
    assert s.direction is Direction.UP


def test_no_step_up_without_confidence_ratings() -> None:
    assert (
        run(week(0, confidence=None) + week(1, confidence=None) + week(2, confidence=None)) is None
    )


def test_one_good_week_is_not_enough() -> None:
    assert run(week(0), weeks=1) is None
    assert run(week(0) + week(1, Outcome.NOT_TODAY, 8) + week(2, each=4)) is None


def test_no_step_up_at_the_therapists_highest_level() -> None:
    top = LevelBounds(level=3, lowest=1, highest=3)
    assert run(week(0) + week(1) + week(2), bounds=top) is None


def test_repeated_misses_suggest_an_easier_level_without_blame() -> None:
    s = run(week(0) + week(1, each=2) + week(2, each=1))
    assert s is not None
    assert (s.direction, s.to_level) == (Direction.DOWN, 1)
    lowered = s.message.lower()
    assert "okay" in lowered
    for blame in ("fail", "miss", "should", "didn't", "lazy"):
        assert blame not in lowered


def test_no_step_down_at_the_therapists_lowest_level() -> None:
    bottom = LevelBounds(level=2, lowest=2, highest=4)
    assert run(week(1, each=1) + week(2, each=1), bounds=bottom) is None


def test_one_hard_week_does_not_trigger_a_step_down() -> None:
    # ... and a hard most recent week is no moment to suggest a step up either.
    assert run(week(0) + week(1) + week(2, each=1)) is None


def test_half_done_weeks_are_not_hard_weeks() -> None:
    # Partly every day is half of the target: right at the threshold, so no step down.
    assert run(week(0) + week(1, Outcome.PARTLY) + week(2, Outcome.PARTLY)) is None


def test_the_running_week_is_not_judged() -> None:
    # Mid-week with nothing logged yet: only the complete weeks count.
    s = run(week(0) + week(1) + week(2), today=today_after(3) + timedelta(days=3))
    assert s is not None
    assert s.direction is Direction.UP


def test_weeks_before_the_current_level_are_ignored() -> None:
    # Great weeks at the old level say nothing about the new, harder one.
    since = today_after(2)
    assert run(week(0) + week(1) + week(2), level_since=since) is None


def test_a_partial_first_week_at_a_level_is_not_judged() -> None:
    since = MON + timedelta(days=4)  # level set on a Friday: only 3 days in that week
    weeks = judged_weeks(
        target=DAILY,
        values=day_values(DAILY, week(0) + week(1) + week(2)),
        today=today_after(3),
        level_since=since,
        paused=frozenset(),
        settings=GradingSettings(),
    )
    assert [w.start for w in weeks] == [MON + timedelta(weeks=2), MON + timedelta(weeks=1)]


def test_paused_week_is_skipped_and_earlier_weeks_count_instead() -> None:
    paused = {MON + timedelta(weeks=2, days=i) for i in range(7)}
    s = run(week(0) + week(1), weeks=3, paused=paused)
    assert s is not None
    assert s.direction is Direction.UP
    assert s.weeks_judged == 2


def test_paused_days_are_not_misses() -> None:
    # Ill for most of two weeks: without the pause this would read as two hard weeks.
    paused = {MON + timedelta(weeks=w, days=i) for w in (1, 2) for i in range(2, 7)}
    check_ins = week(0) + week(1, each=2) + week(2, each=2)
    assert run(check_ins) is not None  # without the pause: a step-down suggestion
    assert run(check_ins, paused=paused) is None  # those weeks have too few active days to judge


def test_check_ins_on_paused_days_are_ignored() -> None:
    paused = {MON + timedelta(weeks=w, days=i) for w in range(3) for i in range(7)}
    assert run(week(0) + week(1) + week(2), paused=paused) is None


def test_back_filled_check_in_counts_for_its_own_day() -> None:
    # Sunday was logged on Monday morning (back-fill): it completes the week that just ended.
    only_two = week(1) + week(2, each=6)
    assert run(only_two) is None
    sunday = MON + timedelta(weeks=2, days=6)
    assert run([*only_two, CheckIn(sunday, Outcome.DONE, 8)]) is not None


def test_declined_suggestion_stays_quiet_for_a_while_then_may_return() -> None:
    good = week(0) + week(1) + week(2)
    today = today_after(3)
    assert run(good, declined={Direction.UP: today - timedelta(days=3)}) is None
    assert run(good, declined={Direction.UP: today - timedelta(days=14)}) is not None
    assert run(good, declined={Direction.DOWN: today - timedelta(days=1)}) is not None


def test_thresholds_are_per_habit_settings() -> None:
    strict = GradingSettings(window_weeks=3, weeks_met_to_step_up=3, min_confidence=9)
    check_ins = week(0) + week(1) + week(2)
    assert run(check_ins) is not None
    assert run(check_ins, settings=strict) is None
    assert run(
        week(0, confidence=9) + week(1, confidence=9) + week(2, confidence=9), settings=strict
    )


def test_weekly_target_habits_are_graded_on_the_count() -> None:
    three_days = [c for n in range(3) for c in week(n, each=3)]
    s = run(three_days, target=THREE)
    assert s is not None
    assert s.direction is Direction.UP


@pytest.mark.parametrize(
    "fields",
    [
        {"window_weeks": 2, "weeks_met_to_step_up": 3},
        {"window_weeks": 2, "weeks_missed_to_step_down": 3},
        {"min_confidence": 11},
        {"hard_week_below": -0.1},
    ],
)
def test_impossible_settings_are_rejected(fields: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        GradingSettings.model_validate(fields)


def test_bounds_must_be_ordered() -> None:
    with pytest.raises(ValueError, match="lowest"):
        LevelBounds(level=1, lowest=3, highest=2)
