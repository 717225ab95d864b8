"""The rating scores and the meaningful-change rule (pure: no database)."""

from __future__ import annotations

import pytest

from app.occupation import scores
from app.occupation.scores import Change, Rating


def test_round_score_is_the_mean_of_each_scale_to_one_decimal() -> None:
    got = scores.round_score([Rating(8, 3, 2), Rating(10, 4, 3), Rating(6, 6, 6)])
    assert got == scores.RoundScore(performance=4.3, satisfaction=3.7, activities=3)


def test_no_ratings_have_no_score() -> None:
    assert scores.round_score([]) is None


@pytest.mark.parametrize(
    ("before", "after", "meaningful"),
    [
        (3.0, 5.0, True),
        (5.0, 3.0, True),
        (3.0, 4.9, False),
        (4.3, 6.3, True),
        (4.4, 6.3, False),
        (5.9, 3.9, True),
        (6.0, 6.0, False),
        (1.0, 10.0, True),
    ],
)
def test_a_change_of_two_or_more_either_way_is_meaningful(
    before: float, after: float, meaningful: bool
) -> None:
    assert scores.is_meaningful(before, after) is meaningful
    assert Change(before, after).meaningful is meaningful


def test_change_words_are_plain_and_neutral() -> None:
    assert Change(3.0, 5.5).words == "up 2.5"
    assert Change(6.0, 3.0).words == "down 3"
    assert Change(4.0, 5.0).words == "up 1"
    assert Change(4.0, 4.0).words == "no change"


def test_compare_gives_performance_and_satisfaction_changes() -> None:
    first = scores.RoundScore(3.0, 2.5, 3)
    later = scores.RoundScore(5.4, 3.5, 3)
    perf, sat = scores.compare(first, later)
    assert (perf.delta, perf.meaningful, sat.delta, sat.meaningful) == (2.4, True, 1.0, False)
