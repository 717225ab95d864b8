"""GAS T-score against every worked value in the clinical reference."""

import math

import pytest

from app.progress.gas import GASError, GoalRating, t_score, t_score_rounded, unweighted


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ((1, 1, 0), 59.1),
        ((0, 0, 0), 50.0),
        ((-1, -1, -1), 36.3),
        ((-2, -2, -2), 22.6),
    ],
)
def test_unweighted_worked_values(levels: tuple[int, ...], expected: float) -> None:
    assert t_score_rounded(unweighted(levels)) == expected


def test_weighted_worked_value() -> None:
    ratings = [GoalRating(2, 3), GoalRating(1, 2), GoalRating(-1, 1)]
    assert t_score_rounded(ratings) == 65.4


def test_equal_weights_match_unweighted() -> None:
    weighted = [GoalRating(1, 2.5), GoalRating(-1, 2.5), GoalRating(2, 2.5)]
    assert math.isclose(t_score(weighted), t_score(unweighted([1, -1, 2])))


def test_all_at_expected_is_fifty_whatever_the_weights() -> None:
    assert t_score([GoalRating(0, 5), GoalRating(0, 1)]) == 50.0


def test_rho_changes_the_score() -> None:
    ratings = unweighted([1, 1, 0])
    assert t_score(ratings, rho=0.0) != t_score(ratings)


@pytest.mark.parametrize("count", [0, 1, 5])
def test_goal_count_outside_two_to_four_is_refused(count: int) -> None:
    with pytest.raises(GASError):
        t_score(unweighted([0] * count))


@pytest.mark.parametrize("level", [-3, 3, 10])
def test_level_outside_range_is_refused(level: int) -> None:
    with pytest.raises(GASError):
        t_score(unweighted([0, level]))


def test_non_integer_level_is_refused() -> None:
    with pytest.raises(GASError):
        t_score([GoalRating(0), GoalRating(1.5)])  # type: ignore[arg-type]
    with pytest.raises(GASError):
        t_score([GoalRating(0), GoalRating(True)])


@pytest.mark.parametrize("weight", [0, -1, math.inf, math.nan])
def test_bad_weight_is_refused(weight: float) -> None:
    with pytest.raises(GASError):
        t_score([GoalRating(0), GoalRating(1, weight)])


def test_four_goals_are_accepted() -> None:
    assert t_score_rounded(unweighted([2, 2, 2, 2])) > 70
