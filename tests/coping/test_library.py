"""The shipped strategy library: valid, clinically consistent, cautions where the reference says."""

import pytest
import yaml
from pydantic import ValidationError

from app.coping.library import LIBRARY_PATH, load_library, parse_library
from app.coping.vocabulary import HIGH_DISTRESS, KINDS, PLACES

TIPP_COLD = {
    "heart_problems",
    "low_heart_rate",
    "pregnancy",
    "eating_disorder",
    "cold_allergy",
    "breathing_problems",
    "short_effect",
}


def test_library_has_a_version_and_at_least_44_strategies() -> None:
    lib = load_library()
    assert lib.version >= 1
    assert len(lib.strategies) >= 44


def test_every_kind_is_represented() -> None:
    assert {s.kind for s in load_library().strategies} == set(KINDS)


def test_every_strategy_has_three_to_eight_short_steps() -> None:
    for s in load_library().strategies:
        assert 3 <= len(s.steps) <= 8, s.id
        assert all(len(step) <= 160 for step in s.steps), s.id


def test_high_distress_strategies_are_never_thinking_only_and_use_the_senses() -> None:
    for s in load_library().strategies:
        if s.distress.max >= HIGH_DISTRESS:
            assert s.kind != "thinking", s.id
            assert s.systems, s.id


def test_thinking_strategies_only_suit_low_to_moderate_distress() -> None:
    thinking = [s for s in load_library().strategies if s.kind == "thinking"]
    assert thinking
    assert all(s.distress.max <= 6 for s in thinking)


def test_cold_water_and_cold_pack_carry_every_tipp_caution() -> None:
    lib = load_library()
    for sid in ("tipp-cold-water", "cold-pack-on-face"):
        s = lib.get(sid)
        assert s is not None
        assert set(s.cautions) >= TIPP_COLD, sid


def test_intense_exercise_warns_it_is_not_for_panic_attacks() -> None:
    s = load_library().get("tipp-intense-exercise")
    assert s is not None
    assert "not_for_panic" in s.cautions
    assert "panic" in load_library().cautions["not_for_panic"].lower()


def test_muscle_relaxation_warns_about_injury_and_blood_pressure() -> None:
    lib = load_library()
    for sid in ("progressive-muscle-relaxation", "paired-muscle-relaxation"):
        s = lib.get(sid)
        assert s is not None
        assert {"muscle_injury", "high_blood_pressure"} <= set(s.cautions), sid


def test_five_four_three_two_one_is_not_for_driving_and_uses_the_counter() -> None:
    s = load_library().get("five-four-three-two-one")
    assert s is not None
    assert "not_while_driving" in s.cautions
    assert s.guide.type == "counter_54321"


def test_weighted_items_say_the_person_must_be_able_to_remove_them() -> None:
    for s in load_library().strategies:
        if {"weighted_blanket", "weighted_lap_pad"} & set(s.needs):
            assert "weighted_removable" in s.cautions, s.id
    assert "yourself" in load_library().cautions["weighted_removable"]


def test_anything_cold_warns_about_cold_allergy() -> None:
    for s in load_library().strategies:
        if {"cold_pack", "ice"} & set(s.needs) or s.id == "tipp-cold-water":
            assert "cold_allergy" in s.cautions, s.id


def test_box_breathing_follows_the_reference_pattern() -> None:
    s = load_library().get("box-breathing")
    assert s is not None
    assert s.guide.type == "breathing"
    p = s.guide.pattern
    assert (p.breathe_in, p.hold_in, p.breathe_out, p.hold_out) == (4, 4, 4, 4)
    assert 5 <= s.guide.rounds <= 10


def test_four_seven_eight_is_four_rounds() -> None:
    s = load_library().get("breathing-4-7-8")
    assert s is not None
    assert s.guide.type == "breathing"
    assert (s.guide.pattern.breathe_in, s.guide.pattern.hold_in, s.guide.pattern.breathe_out) == (
        4,
        7,
        8,
    )
    assert s.guide.rounds == 4


def test_every_place_and_level_has_at_least_three_strategies() -> None:
    lib = load_library()
    for place in PLACES:
        for level in range(11):
            n = sum(1 for s in lib.strategies if place in s.places and s.distress.suits(level))
            assert n >= 3, (place, level)


def _raw() -> dict:
    return yaml.safe_load(LIBRARY_PATH.read_text(encoding="utf-8"))


def _with(**changes: object) -> str:
    raw = _raw()
    raw["strategies"][0] = {**raw["strategies"][0], **changes}
    return yaml.safe_dump(raw)


def test_a_thinking_strategy_marked_for_high_distress_is_rejected() -> None:
    with pytest.raises(ValidationError, match="thinking"):
        parse_library(_with(kind="thinking", distress={"min": 3, "max": 9}))


def test_unknown_sense_place_kit_or_caution_is_rejected() -> None:
    for bad in (
        {"systems": ["telepathy"]},
        {"places": ["moon"]},
        {"needs": ["cold_water_bucket"]},
        {"cautions": ["made_up"]},
    ):
        with pytest.raises(ValidationError):
            parse_library(_with(**bad))


def test_too_few_or_too_many_steps_are_rejected() -> None:
    with pytest.raises(ValidationError):
        parse_library(_with(steps=["One.", "Two."]))
    with pytest.raises(ValidationError):
        parse_library(_with(steps=[f"Step {i}." for i in range(9)]))


def test_duplicate_ids_are_rejected() -> None:
    raw = _raw()
    raw["strategies"][1]["id"] = raw["strategies"][0]["id"]
    with pytest.raises(ValidationError, match="duplicate"):
        parse_library(yaml.safe_dump(raw))
