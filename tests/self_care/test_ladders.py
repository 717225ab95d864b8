"""The built-in library and the target rules it rests on."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from app.self_care.ladders import builtin_ladder, builtin_ladders, parse_library
from app.self_care.targets import (
    CheckIn,
    LifeArea,
    Outcome,
    Target,
    TargetKind,
    day_values,
)

MON = date(2026, 11, 2)


def test_library_has_at_least_twelve_ladders_covering_every_life_area() -> None:
    ladders = builtin_ladders()
    assert len(ladders) >= 12
    assert {ladder.life_area for ladder in ladders} == set(LifeArea)


def test_every_ladder_has_three_to_five_levels_with_targets() -> None:
    for ladder in builtin_ladders():
        assert 3 <= len(ladder.levels) <= 5, ladder.id
        for level in ladder.levels:
            assert level.description[0].isupper(), ladder.id
            assert level.target.describe()


def test_library_uses_every_kind_of_target() -> None:
    kinds = {lv.target.kind for ladder in builtin_ladders() for lv in ladder.levels}
    assert kinds == set(TargetKind)


def test_library_wording_never_blames() -> None:
    words = ("fail", "lazy", "should", "must", "bad", "streak")
    for ladder in builtin_ladders():
        texts = [ladder.title, ladder.summary, *(lv.description for lv in ladder.levels)]
        for text in texts:
            assert not any(w in text.lower() for w in words), text


def test_washing_ladder_steps_from_sink_to_shower() -> None:
    washing = builtin_ladder("washing")
    assert washing is not None
    assert "sink" in washing.levels[0].description
    assert "wash hair" in washing.levels[-1].description.lower()
    assert builtin_ladder("no_such_ladder") is None


def test_parse_library_rejects_duplicate_ids() -> None:
    one = """
- id: a_b
  life_area: leisure
  title: T
  summary: S
  levels:
    - {description: One, target: {kind: days}}
    - {description: Two, target: {kind: days}}
    - {description: Three, target: {kind: days}}
"""
    assert len(parse_library(one)) == 1
    with pytest.raises(ValueError, match="unique"):
        parse_library(one + one)


def test_parse_library_rejects_too_few_levels_and_unknown_area() -> None:
    with pytest.raises(ValidationError):
        parse_library(
            "- {id: ab, life_area: leisure, title: T, summary: S,"
            " levels: [{description: One, target: {kind: days}}]}"
        )
    with pytest.raises(ValidationError):
        parse_library(
            "- {id: ab, life_area: juggling, title: T, summary: S, levels: ["
            "{description: A, target: {kind: days}}, {description: B, target: {kind: days}},"
            "{description: C, target: {kind: days}}]}"
        )


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "weekly"},
        {"kind": "weekly", "times_per_week": 8},
        {"kind": "amount", "amount": 6},
        {"kind": "amount", "amount": -1, "unit": "glasses"},
        {"kind": "days", "amount": 2, "unit": "x"},
        {"kind": "days", "days": []},
        {"kind": "days", "days": [7]},
        {"kind": "days", "times_per_week": 3},
    ],
)
def test_inconsistent_targets_are_rejected(fields: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Target.model_validate(fields)


def test_target_wording() -> None:
    assert Target(kind=TargetKind.DAYS).describe() == "every day"
    assert Target(kind=TargetKind.DAYS, days=frozenset({0, 2})).describe() == "on Mon, Wed"
    assert Target(kind=TargetKind.WEEKLY, times_per_week=1).describe() == "once a week"
    assert Target(kind=TargetKind.WEEKLY, times_per_week=3).describe() == "3 times a week"
    water = Target(kind=TargetKind.AMOUNT, amount=6, unit="glasses")
    assert water.describe() == "6 glasses a day"
    assert LifeArea.HOUSEHOLD.label == "Household tasks"
    assert LifeArea.DRINKING_WATER.label == "Drinking water"


def test_day_values_partly_counts_half_and_best_check_in_wins() -> None:
    target = Target(kind=TargetKind.DAYS)
    values = day_values(
        target,
        [
            CheckIn(MON, Outcome.PARTLY),
            CheckIn(MON, Outcome.NOT_TODAY),
            CheckIn(date(2026, 11, 3), Outcome.NOT_TODAY),
            CheckIn(date(2026, 11, 4), Outcome.PARTLY),
            CheckIn(date(2026, 11, 4), Outcome.DONE),
        ],
    )
    assert values == {MON: 0.5, date(2026, 11, 3): 0.0, date(2026, 11, 4): 1.0}


def test_day_values_add_up_amounts_and_cap_at_the_target() -> None:
    water = Target(kind=TargetKind.AMOUNT, amount=6, unit="glasses")
    glasses = [CheckIn(MON, Outcome.DONE, amount=1) for _ in range(3)]
    assert day_values(water, glasses) == {MON: 0.5}
    assert day_values(water, [*glasses, CheckIn(MON, Outcome.DONE, amount=5)]) == {MON: 1.0}
    # A done without an amount counts as the whole target; a negative amount never subtracts.
    assert day_values(water, [CheckIn(MON, Outcome.DONE)]) == {MON: 1.0}
    assert day_values(water, [CheckIn(MON, Outcome.DONE, amount=-3)]) == {MON: 0.0}
