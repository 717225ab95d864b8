"""Goal Attainment Scaling: the standard T-score (Kiresuk & Sherman) with rho = 0.3.

T = 50 + 10 * sum(w_i * x_i) / sqrt((1 - rho) * sum(w_i^2) + rho * (sum w_i)^2)

Pure functions so the formula can be checked against the clinical reference's worked values.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

RHO = 0.3
MIN_GOALS = 2
MAX_GOALS = 4
LEVELS: tuple[int, ...] = (-2, -1, 0, 1, 2)

# Plain-language names of the five levels, as written with the client.
LEVEL_LABELS: dict[int, str] = {
    -2: "Much less than expected",
    -1: "Less than expected",
    0: "Expected level",
    1: "More than expected",
    2: "Much more than expected",
}


class GASError(ValueError):
    """Raised when ratings cannot be scored (wrong goal count, level or weight)."""


@dataclass(frozen=True, slots=True)
class GoalRating:
    """One goal's attained level (-2..+2) and its optional weight (importance x difficulty)."""

    level: int
    weight: float = 1.0


def validate(ratings: Sequence[GoalRating]) -> None:
    """Refuse ratings the formula is not meant for: 2-4 goals, integer levels -2..+2, weights > 0."""
    if not MIN_GOALS <= len(ratings) <= MAX_GOALS:
        raise GASError(f"GAS needs {MIN_GOALS} to {MAX_GOALS} goals, got {len(ratings)}")
    for rating in ratings:
        if isinstance(rating.level, bool) or not isinstance(rating.level, int):
            raise GASError("each level must be a whole number from -2 to +2")
        if rating.level not in LEVELS:
            raise GASError(f"level {rating.level} is outside -2..+2")
        weight = rating.weight
        if isinstance(weight, bool) or not isinstance(weight, int | float):
            raise GASError("each weight must be a number")
        if not math.isfinite(weight) or weight <= 0:
            raise GASError("each weight must be a positive number")


def t_score(ratings: Sequence[GoalRating], *, rho: float = RHO) -> float:
    """The unrounded GAS T-score; 50 means every goal reached its expected level."""
    validate(ratings)
    weighted_sum = sum(r.weight * r.level for r in ratings)
    sum_sq = sum(r.weight**2 for r in ratings)
    total = sum(r.weight for r in ratings)
    denominator = math.sqrt((1 - rho) * sum_sq + rho * total**2)
    return 50 + 10 * weighted_sum / denominator


def t_score_rounded(ratings: Sequence[GoalRating], *, rho: float = RHO) -> float:
    """T to one decimal, as reported (59.1, 36.3 ...)."""
    return round(t_score(ratings, rho=rho), 1)


def unweighted(levels: Sequence[int]) -> list[GoalRating]:
    """Convenience: equal weights for a list of levels."""
    return [GoalRating(level=level) for level in levels]
