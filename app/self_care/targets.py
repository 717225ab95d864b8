"""Habit targets and the per-day completion value every statistic is built on.

Pure and typed so that grading, strength and the pages agree on one meaning of "done".
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Annotated, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from app.i18n import N_, format_date, format_number, gettext, ngettext

ALL_DAYS: frozenset[int] = frozenset(range(7))
A_MONDAY = date(2024, 1, 1)


class LifeArea(StrEnum):
    """The daily-living areas an OT grades; the order is the library's display order."""

    WASHING = "washing"
    GROOMING = "grooming"
    DRESSING = "dressing"
    EATING = "eating"
    SLEEP = "sleep"
    MEDICATION = "medication"
    DRINKING_WATER = "drinking_water"
    MOVING = "moving"
    GETTING_OUTSIDE = "getting_outside"
    SOCIAL_CONTACT = "social_contact"
    LEISURE = "leisure"
    HOUSEHOLD = "household"
    MONEY = "money"

    @property
    def english(self) -> str:
        """The label's catalog message (translate it where it is shown)."""
        return _AREA_LABELS[self]

    @property
    def label(self) -> str:
        """The label in the current language."""
        return gettext(_AREA_LABELS[self])


_AREA_LABELS = {
    LifeArea.WASHING: N_("Washing"),
    LifeArea.GROOMING: N_("Grooming"),
    LifeArea.DRESSING: N_("Dressing"),
    LifeArea.EATING: N_("Eating"),
    LifeArea.SLEEP: N_("Sleep"),
    LifeArea.MEDICATION: N_("Medication"),
    LifeArea.DRINKING_WATER: N_("Drinking water"),
    LifeArea.MOVING: N_("Moving"),
    LifeArea.GETTING_OUTSIDE: N_("Getting outside"),
    LifeArea.SOCIAL_CONTACT: N_("Social contact"),
    LifeArea.LEISURE: N_("Leisure"),
    LifeArea.HOUSEHOLD: N_("Household tasks"),
    LifeArea.MONEY: N_("Money"),
}


class TargetKind(StrEnum):
    """yes/no on chosen days, N times a week, or a measured amount each chosen day."""

    DAYS = "days"
    WEEKLY = "weekly"
    AMOUNT = "amount"


class Outcome(StrEnum):
    DONE = "done"
    PARTLY = "partly"
    NOT_TODAY = "not_today"


OUTCOME_VALUE: dict[Outcome, float] = {
    Outcome.DONE: 1.0,
    Outcome.PARTLY: 0.5,
    Outcome.NOT_TODAY: 0.0,
}


def no_nul(value: str) -> str:
    """PostgreSQL refuses NUL in text: refuse it at the edge instead of failing at the database."""
    if "\x00" in value:
        raise ValueError(gettext("Contains a character that is not allowed."))
    return value


Unit = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=30),
    AfterValidator(no_nul),
]


class Target(BaseModel):
    """What one level asks for. Days are 0=Monday … 6=Sunday."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: TargetKind
    days: frozenset[Annotated[int, Field(ge=0, le=6)]] = ALL_DAYS
    times_per_week: Annotated[int, Field(ge=1, le=7)] | None = None
    amount: Annotated[float, Field(gt=0, le=100_000)] | None = None
    unit: Unit | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if not self.days:
            raise ValueError(gettext("Choose at least one day."))
        if self.kind is TargetKind.WEEKLY:
            if self.times_per_week is None:
                raise ValueError(gettext("Say how many times a week (1 to 7)."))
            if self.amount is not None:
                raise ValueError(gettext("A target of times a week has no amount."))
        elif self.times_per_week is not None:
            raise ValueError(gettext("Only a target of times a week has a number of times."))
        if self.kind is TargetKind.AMOUNT:
            if self.amount is None or self.unit is None:
                raise ValueError(
                    gettext("Say how much each day, and the unit (for example 6 glasses).")
                )
        elif self.amount is not None or self.unit is not None:
            raise ValueError(gettext("Only an amount target has an amount and a unit."))
        return self

    @property
    def per_week(self) -> int:
        """How many completions a full week asks for."""
        if self.kind is TargetKind.WEEKLY and self.times_per_week is not None:
            return self.times_per_week
        return len(self.days)

    def is_planned(self, day: date) -> bool:
        """Whether this day carries its own yes/no (weekly targets are judged over the week)."""
        return self.kind is not TargetKind.WEEKLY and day.weekday() in self.days

    def describe(self) -> str:
        """Plain wording in the current language, e.g. "6 glasses a day" or "3 times a week"."""
        if self.kind is TargetKind.WEEKLY:
            n = self.times_per_week or 0
            if n == 1:
                return gettext("once a week")
            return ngettext("%(num)s time a week", "%(num)s times a week", n)
        every = self.days == ALL_DAYS
        if self.kind is TargetKind.AMOUNT:
            if self.unit == "times" and self.amount in (1, 2):
                if every:
                    return gettext("once a day") if self.amount == 1 else gettext("twice a day")
                how_many = gettext("once") if self.amount == 1 else gettext("twice")
            else:
                how_many = gettext(
                    "%(amount)s %(unit)s",
                    amount=format_number(self.amount or 0),
                    unit=unit_words(self.unit),
                )
                if every:
                    return gettext("%(amount)s a day", amount=how_many)
            return gettext("%(amount)s %(days)s", amount=how_many, days=describe_days(self.days))
        return describe_days(self.days)


def unit_words(unit: str | None) -> str:
    """A built-in unit in the current language ("glasses" -> "vasos"); another unit as written."""
    from app.self_care.words import unit as translated  # late: words reads the ladders

    return translated(unit)


def weekday_short(day: int) -> str:
    """0=Monday … 6=Sunday, abbreviated in the current language ("Mon", "lun")."""
    return format_date(A_MONDAY + timedelta(days=day), "EEE")


def describe_days(days: frozenset[int]) -> str:
    if days == ALL_DAYS:
        return gettext("every day")
    if days == frozenset(range(5)):
        return gettext("on weekdays")
    return gettext("on %(days)s", days=", ".join(weekday_short(d) for d in sorted(days)))


@dataclass(frozen=True, slots=True)
class CheckIn:
    """One check-in as the pure modules see it; `on` is the local day it is about (back-fills too).

    A row folded in SQL (same day, outcome and amount) stands for `count` identical check-ins, so
    a day of 4,000 "+1 glass" taps is one value, not 4,000."""

    on: date
    outcome: Outcome
    confidence: int | None = None
    amount: float | None = None
    count: int = 1


def _times(amount: float, count: int) -> Iterator[float]:
    """amount × count as exact terms: amount × 2^k for each bit k of count (scaling a float by a
    power of two is exact), so no rounding happens before the final sum."""
    bit = 0
    while count:
        if count & 1:
            yield math.ldexp(amount, bit)
        count >>= 1
        bit += 1


def amount_total(parts: Iterable[tuple[float, int]]) -> float:
    """Σ amount × count, correctly rounded once (`math.fsum` of exact terms).

    The same float however the check-ins arrive: one by one in any order, or folded in SQL by
    amount with a count. A running `+=` would depend on the order of rows, which SQL leaves open,
    so the client's page, Today and the therapist's report could disagree in the last bit."""
    return math.fsum(term for amount, count in parts for term in _times(amount, count))


def day_values(target: Target, check_ins: Iterable[CheckIn]) -> dict[date, float]:
    """Completion of each day with a check-in, 0..1; partly counts half, amounts count pro rata.

    Several check-ins a day combine: amounts add up (a glass at a time), otherwise the best counts.
    """
    best: dict[date, float] = {}
    summed: dict[date, list[tuple[float, int]]] = {}
    for c in check_ins:
        if target.kind is TargetKind.AMOUNT and c.amount is not None and target.amount:
            summed.setdefault(c.on, []).append((max(0.0, c.amount), c.count))
        else:
            best[c.on] = max(best.get(c.on, 0.0), OUTCOME_VALUE[c.outcome])
    out = dict(best)
    for day, parts in summed.items():
        fraction = min(1.0, amount_total(parts) / (target.amount or 1.0))
        out[day] = max(out.get(day, 0.0), fraction)
    return out
