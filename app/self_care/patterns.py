"""Careful "on days you did X" observations from the mood log.

Correlation in a few weeks of self-report is weak evidence, so: nothing until there are at least
14 logged days with enough of both kinds of day, nothing when the difference is small, and the
wording always says that this is a pattern, not a cause.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from statistics import fmean
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.i18n import N_, gettext


class PatternSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    min_logged_days: Annotated[int, Field(ge=14, le=365)] = 14
    min_days_each: Annotated[int, Field(ge=3, le=100)] = 4
    min_difference: Annotated[float, Field(ge=0, le=4)] = 0.5


@dataclass(frozen=True, slots=True)
class Observation:
    activity: str
    mean_with: float
    mean_without: float
    days_with: int
    days_without: int
    metric: str

    @property
    def text(self) -> str:
        """In the current language (read while the page renders)."""
        values = {
            "activity": self.activity,
            "mean_with": _one_decimal(self.mean_with),
            "mean_without": _one_decimal(self.mean_without),
            "days_with": self.days_with,
            "days_without": self.days_without,
        }
        higher = self.mean_with > self.mean_without
        if self.metric == "energy":
            found = gettext(_ENERGY_HIGHER if higher else _ENERGY_LOWER, **values)
        else:
            found = gettext(_MOOD_HIGHER if higher else _MOOD_LOWER, **values)
        caution = gettext(
            "This is a pattern in your own log, not proof that one causes the other: "
            "many things can shape a day."
        )
        return f"{found} {caution}"


# Whole sentences per metric and direction (word order differs between languages).
_MOOD_HIGHER = N_(
    "On days you did “%(activity)s”, your mood averaged %(mean_with)s out of 5, compared with "
    "%(mean_without)s on other days (%(days_with)s and %(days_without)s days). "
    "It was higher on those days."
)
_MOOD_LOWER = N_(
    "On days you did “%(activity)s”, your mood averaged %(mean_with)s out of 5, compared with "
    "%(mean_without)s on other days (%(days_with)s and %(days_without)s days). "
    "It was lower on those days."
)
_ENERGY_HIGHER = N_(
    "On days you did “%(activity)s”, your energy averaged %(mean_with)s out of 5, compared "
    "with %(mean_without)s on other days (%(days_with)s and %(days_without)s days). "
    "It was higher on those days."
)
_ENERGY_LOWER = N_(
    "On days you did “%(activity)s”, your energy averaged %(mean_with)s out of 5, compared "
    "with %(mean_without)s on other days (%(days_with)s and %(days_without)s days). "
    "It was lower on those days."
)


def _one_decimal(value: float) -> str:
    """ "3.5": Latin American Spanish writes decimals with a point too (es_419)."""
    return f"{value:.1f}"


def observe(
    *,
    activity: str,
    ratings: Mapping[date, int],
    did: Collection[date],
    eligible: Collection[date] | None = None,
    metric: str = "mood",
    settings: PatternSettings | None = None,
) -> Observation | None:
    """Compare the rating on days the activity was done with other days.

    `ratings`: one rating (1–5) per logged local day. `did`: days with the activity done or partly
    done. `eligible`: days the habit existed and was not paused (others are left out entirely).
    """
    settings = settings or PatternSettings()
    days = [d for d in ratings if eligible is None or d in eligible]
    if len(days) < settings.min_logged_days:
        return None
    with_ = [ratings[d] for d in days if d in did]
    without = [ratings[d] for d in days if d not in did]
    if len(with_) < settings.min_days_each or len(without) < settings.min_days_each:
        return None
    mean_with, mean_without = fmean(with_), fmean(without)
    if abs(mean_with - mean_without) < settings.min_difference:
        return None
    return Observation(activity, mean_with, mean_without, len(with_), len(without), metric)


def strongest(observations: Collection[Observation | None]) -> Observation | None:
    """Show one observation at most: the clearest difference, so the page stays calm."""
    found = [o for o in observations if o is not None]
    return max(found, key=lambda o: abs(o.mean_with - o.mean_without), default=None)
