"""Issue 16, point 6: every strategy carries the cautions the clinical reference gives it; a
ranking reason names only a sense the strategy really uses; and a strategy that has helped a
client does not drop out of their list because they never filled in their kit."""

from __future__ import annotations

import re

import pytest

from app.coping import catalog
from app.coping.library import load_library
from app.coping.ranking import SENSE_WORDS, Candidate, Fit, Situation, Usage, rank

LIB = load_library()
CANDS = [Candidate.from_strategy(s) for s in LIB.strategies]

# shared/content/clinical-reference.md, "TIPP": ask a doctor first with heart problems, low heart
# rate, pregnancy, eating disorders, cold allergy, breathing problems; the effect is short.
TIPP_BODY = {
    "heart_problems",
    "low_heart_rate",
    "pregnancy",
    "eating_disorder",
    "breathing_problems",
    "short_effect",
}
REQUIRED: dict[str, set[str]] = {
    "tipp-cold-water": TIPP_BODY | {"cold_allergy"},
    "cold-pack-on-face": TIPP_BODY | {"cold_allergy"},
    "tipp-intense-exercise": TIPP_BODY | {"not_for_panic"},
    "paired-muscle-relaxation": {"muscle_injury", "high_blood_pressure", "never_to_pain"},
    "progressive-muscle-relaxation": {"muscle_injury", "high_blood_pressure", "never_to_pain"},
    "five-four-three-two-one": {"not_while_driving"},
    "weighted-blanket": {"weighted_removable"},
    "weighted-lap-pad": {"weighted_removable"},
}

# Words in a strategy's own title and steps that show it uses a sense. A sense listed without
# any of them (a pet "using pressure and muscle work") fails.
EVIDENCE = {
    "visual": r"look|see|colou?r|light|eyes?|shapes?|watch|read|write|message|doodle|patience|"
    r"cards|space|room|dim",
    "auditory": r"hear|sound|listen|music|song|out loud|whisper|call|talk|crunch|noise|"
    r"headphones|people",
    "tactile": r"touch|feel|fur|skin|hands?|cream|fingers?|blanket|soft|warm|cold|ice|water|tap|"
    r"hold|wipe|wash|fidget|putty|ball|cards|pencil|cook|make",
    "proprioceptive": r"press|push|squeeze|hug|heavy|weigh|tense|chew|crunch|stretch|carry|wrap|"
    r"firm|band|shake|feet|jump|march|bounce|dance|walk|muscle",
    "vestibular": r"rock|sway|move|walk|bounce|dance|shake|jump|march|stretch|run|swing",
    "olfactory": r"smell|scent|cream|soap|cook|make|drink",
    "gustatory": r"taste|sour|sweet|chew|gum|snack|drink|sip|eat|cook|make",
    "interoceptive": r"breath|breathe|heart|body|belly|sigh|face|cold|tense|relax",
}


def _text(strategy_id: str) -> str:
    s = LIB.get(strategy_id)
    assert s is not None
    return " ".join([s.title, *s.steps]).lower()


@pytest.mark.parametrize("strategy_id", sorted(REQUIRED))
def test_strategies_carry_the_cautions_the_reference_gives_them(strategy_id: str) -> None:
    s = LIB.get(strategy_id)
    assert s is not None
    assert set(s.cautions) >= REQUIRED[strategy_id]


def test_intense_exercise_shows_the_eating_disorder_and_heart_cautions_like_cold_water() -> None:
    views = {v["id"]: v for v in catalog.builtin_views()}
    exercise, cold = (
        views["tipp-intense-exercise"]["cautions"],
        views["tipp-cold-water"]["cautions"],
    )
    for caution in ("eating_disorder", "heart_problems", "low_heart_rate"):
        assert LIB.cautions[caution] in exercise
        assert LIB.cautions[caution] in cold


def test_every_sense_a_strategy_lists_is_one_its_own_steps_use() -> None:
    unsupported = [
        (s.id, sense)
        for s in LIB.strategies
        for sense in s.systems
        if not re.search(EVIDENCE[sense], _text(s.id))
    ]
    assert unsupported == []


@pytest.mark.parametrize("sense", sorted(SENSE_WORDS))
def test_a_reason_names_only_a_sense_the_strategy_uses(sense: str) -> None:
    fit = Fit(seeks=frozenset({sense}))
    for level in range(11):
        for r in rank(CANDS, Situation(level), fit=fit, seed="day", limit=len(CANDS)):
            named = [
                w for key, w in SENSE_WORDS.items() if f"Uses {w}, which suits you" in r.reasons
            ]
            if named:
                strategy = LIB.get(r.id)
                assert strategy is not None
                assert named == [SENSE_WORDS[sense]]
                assert sense in strategy.systems, (r.id, sense)
                assert re.search(EVIDENCE[sense], _text(r.id)), (r.id, sense)


def test_time_with_a_pet_is_never_said_to_use_pressure_and_muscle_work() -> None:
    fit = Fit(seeks=frozenset({"proprioceptive"}))
    result = rank(CANDS, Situation(5), fit=fit, seed="s", limit=len(CANDS))
    (pet,) = [r for r in result if r.id == "stroke-a-pet"]
    assert not any("pressure and muscle work" in reason for reason in pet.reasons)
    tactile = rank(CANDS, Situation(5), fit=Fit(seeks=frozenset({"tactile"})), limit=len(CANDS))
    assert (
        "Uses touch, which suits you" in next(r for r in tactile if r.id == "stroke-a-pet").reasons
    )


def test_the_main_channel_is_named_first_when_several_are_sought() -> None:
    fit = Fit(seeks=frozenset({"tactile", "proprioceptive"}))
    result = {r.id: r for r in rank(CANDS, Situation(6), fit=fit, limit=len(CANDS))}
    assert result["wall-push"].reason.startswith("Uses pressure and muscle work")
    assert "Uses touch, which suits you" in result["object-in-hand"].reasons


HELPED_FOUR_TIMES = {"squeeze-a-ball": Usage(uses=4, mean_drop=5.0, helped=4)}  # 8 -> 3, four times
ELSEWHERE = frozenset({"vestibular", "auditory"})  # a profile that favours other strategies


@pytest.mark.parametrize("day", range(30))
def test_a_strategy_that_helped_four_times_stays_in_the_top_ten_without_a_kit(day: int) -> None:
    for fit in (Fit(seeks=ELSEWHERE), Fit(seeks=ELSEWHERE, kit=frozenset({"phone"}))):
        top = rank(CANDS, Situation(8), usage=HELPED_FOUR_TIMES, fit=fit, seed=f"c:{day}", limit=10)
        assert "squeeze-a-ball" in [r.id for r in top], fit
        (squeeze,) = [r for r in top if r.id == "squeeze-a-ball"]
        assert squeeze.reason == "Helped you 4 times, about 5 points on average"


def test_a_missing_kit_still_counts_against_an_untried_strategy_once_the_kit_is_filled_in() -> None:
    situation = Situation(level=7, place="home")
    never_filled = rank(CANDS, situation, seed="s", fit=Fit(), limit=len(CANDS))
    lacks_it = rank(CANDS, situation, seed="s", fit=Fit(kit=frozenset({"phone"})), limit=len(CANDS))
    scores = {r.id: r.score for r in never_filled}
    assert {r.id: r.score for r in lacks_it}["weighted-blanket"] < scores["weighted-blanket"]
    assert scores["weighted-blanket"] == pytest.approx(
        next(
            r.score
            for r in rank(CANDS, situation, seed="s", fit=None, limit=len(CANDS))
            if r.id == "weighted-blanket"
        )
    )
