"""Profile scoring, the readable summary and the calm-ranking fit."""

from __future__ import annotations

import pytest

from app.sensory.profile import (
    ProfileAnswers,
    ProfileError,
    fit_from_profile,
    score_profile,
    summarize,
    validate_answers,
)
from app.sensory.vocabulary import SYSTEMS


def _answers(**responses: str) -> ProfileAnswers:
    return validate_answers(responses=responses)


def test_validate_drops_blank_answers_and_keeps_vocabulary_order() -> None:
    a = validate_answers(responses={"vestibular": "seek", "visual": "avoid", "tactile": ""})
    assert list(a.responses) == ["visual", "vestibular"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"responses": {"smelly": "seek"}}, "responses"),
        ({"responses": {"visual": "love"}}, "responses.visual"),
        ({"responses": {}, "triggers": ["spiders"]}, "triggers"),
        ({"responses": {}, "calming": ["nope"]}, "calming"),
        ({"responses": {}, "alerting": ["nope"]}, "alerting"),
        ({"responses": {}, "notes": "x" * 2001}, "notes"),
        ({"responses": {}, "notes": "a\x00b"}, "notes"),
    ],
)
def test_validate_rejects_unknown_ids_naming_the_field(kwargs: dict, field: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ProfileError) as err:
        validate_answers(**kwargs)
    assert err.value.field == field


def test_score_groups_systems_and_counts_trigger_senses() -> None:
    a = validate_answers(
        responses={"vestibular": "seek", "proprioceptive": "seek", "auditory": "avoid"},
        triggers=["crowds", "loud_sudden_noise"],
        calming=["rocking"],
    )
    s = score_profile(a)
    assert s.by_response["seek"] == ("proprioceptive", "vestibular")
    assert s.by_response["avoid"] == ("auditory",)
    assert s.trigger_counts == {"auditory": 2, "visual": 1, "tactile": 1}
    assert s.calming_systems == {"vestibular"}
    assert s.answered == 3
    assert not s.complete


def test_summary_reads_plainly_for_the_client() -> None:
    a = validate_answers(
        responses={
            "vestibular": "seek",
            "proprioceptive": "seek",
            "auditory": "avoid",
            "visual": "overwhelmed",
            "tactile": "neutral",
        },
        triggers=["crowds"],
        calming=["rocking"],
        alerting=["sour_taste"],
    )
    lines = summarize(a).lines
    assert lines[0] == "You tend to seek deep pressure and movement."
    assert lines[1] == "You tend to avoid sound."
    assert lines[2] == "Bright or busy sights can get too much for you."
    assert lines[3] == "You feel fine either way about touch."
    assert "Known triggers: crowds and busy places." in lines
    assert "What helps you calm down: slow rocking or swaying." in lines
    assert "What wakes you up: sour or strong tastes." in lines
    assert lines[-1] == "Not answered yet: smell; taste and mouth; inner body signals."


def test_summary_uses_the_name_for_the_therapist() -> None:
    a = _answers(vestibular="seek", auditory="overwhelmed", olfactory="overwhelmed")
    lines = summarize(a, name="Sam").lines
    assert lines[0] == "Sam tends to seek movement."
    assert lines[1] == "Sound and smells can get too much for Sam."


def test_summary_of_nothing_says_so() -> None:
    assert summarize(None).lines == ("Nothing filled in yet.",)
    assert summarize(ProfileAnswers()).lines == ("Nothing filled in yet.",)


def test_complete_profile_has_no_not_answered_line() -> None:
    a = _answers(**dict.fromkeys(SYSTEMS, "neutral"))
    assert not any(line.startswith("Not answered") for line in summarize(a).lines)


def test_fit_takes_explicit_answers() -> None:
    a = _answers(vestibular="seek", auditory="avoid", visual="overwhelmed", tactile="neutral")
    fit = fit_from_profile(a, ["weighted_blanket", "fidget"])
    assert fit.seeks == {"vestibular"}
    assert fit.avoids == {"auditory"}
    assert fit.overwhelmed == {"visual"}
    assert fit.kit == {"weighted_blanket", "fidget"}


def test_fit_fills_unanswered_systems_from_ticked_lists() -> None:
    a = validate_answers(
        responses={"proprioceptive": "neutral"},
        triggers=["strong_smells", "bright_light"],
        calming=["deep_pressure", "dim_light"],
    )
    fit = fit_from_profile(a, [])
    # Deep pressure calms them: touch and body position count as sought; dim light calms them,
    # so a bright-light trigger does not make seeing "avoided" for the calm ranking.
    assert fit.seeks == {"proprioceptive", "tactile", "visual"}
    assert fit.avoids == {"olfactory"}


def test_explicit_avoid_beats_a_ticked_calming_choice() -> None:
    a = validate_answers(responses={"auditory": "avoid"}, calming=["soft_music"])
    fit = fit_from_profile(a, [])
    assert "auditory" in fit.avoids
    assert "auditory" not in fit.seeks


def test_fit_ignores_unknown_kit_and_works_without_a_profile() -> None:
    fit = fit_from_profile(None, ["cold_pack", "jetpack"])
    assert fit.kit == {"cold_pack"}
    assert not fit.seeks
    assert not fit.avoids
    assert not fit.overwhelmed
