"""Mood pattern observations: careful, and silent when the data is thin."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.self_care.patterns import Observation, PatternSettings, observe, strongest

START = date(2026, 11, 2)


def log(
    n: int, did_every: int = 2, high: int = 4, low: int = 2
) -> tuple[dict[date, int], set[date]]:
    days = [START + timedelta(days=i) for i in range(n)]
    did = {d for i, d in enumerate(days) if i % did_every == 0}
    return {d: high if d in did else low for d in days}, did


def test_observation_after_fourteen_days_with_both_kinds() -> None:
    ratings, did = log(14)
    o = observe(activity="Go for a walk", ratings=ratings, did=did)
    assert o is not None
    assert (o.mean_with, o.mean_without, o.days_with, o.days_without) == (4, 2, 7, 7)
    assert "On days you did “Go for a walk”, your mood averaged 4.0" in o.text
    assert "compared with 2.0 on other days" in o.text
    assert "pattern" in o.text
    assert "not proof" in o.text
    assert "causes" in o.text


def test_nothing_before_fourteen_logged_days() -> None:
    ratings, did = log(13)
    assert observe(activity="Walk", ratings=ratings, did=did) is None


def test_nothing_when_one_kind_of_day_is_missing_or_rare() -> None:
    ratings, _ = log(20)
    assert observe(activity="Walk", ratings=ratings, did=set(ratings)) is None
    assert observe(activity="Walk", ratings=ratings, did=set()) is None
    assert observe(activity="Walk", ratings=ratings, did=set(list(ratings)[:3])) is None


def test_nothing_when_the_difference_is_small() -> None:
    ratings, did = log(20, high=3, low=3)
    assert observe(activity="Walk", ratings=ratings, did=did) is None


def test_ineligible_days_are_left_out() -> None:
    # A paused week does not count toward the 14 days or either mean.
    ratings, did = log(20)
    eligible = set(list(ratings)[7:])
    assert observe(activity="Walk", ratings=ratings, did=did, eligible=eligible) is None
    assert observe(activity="Walk", ratings=ratings, did=did, eligible=set(ratings)) is not None


def test_lower_mood_on_activity_days_is_reported_honestly() -> None:
    ratings, did = log(16, high=2, low=4)
    o = observe(activity="Open your post", ratings=ratings, did=did, metric="energy")
    assert o is not None
    assert "lower" in o.text
    assert "your energy averaged 2.0" in o.text


def test_strongest_picks_the_clearest_difference() -> None:
    a = Observation("A", 3.5, 3.0, 7, 7, "mood")
    b = Observation("B", 4.0, 2.0, 7, 7, "mood")
    assert strongest([a, None, b]) is b
    assert strongest([None]) is None


def test_settings_cannot_go_below_fourteen_days() -> None:
    with pytest.raises(ValueError, match="14"):
        PatternSettings(min_logged_days=7)
