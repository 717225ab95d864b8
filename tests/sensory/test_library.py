"""The shipped content matches the vocabulary and carries its clinical cautions."""

from __future__ import annotations

from app.sensory import catalog as library
from app.sensory.vocabulary import KIT_ITEMS, RESPONSES, SYSTEMS


def test_checklist_asks_about_every_system_in_order() -> None:
    cl = library.checklist()
    assert tuple(s.id for s in cl.systems) == SYSTEMS
    assert tuple(r.id for r in cl.responses) == tuple(RESPONSES)
    for s in cl.systems:
        assert len(s.examples) >= 3, s.id
        assert s.question.endswith("?")


def test_checklist_has_triggers_calming_and_alerting_lists() -> None:
    cl = library.checklist()
    triggers = cl.choices("triggers")
    assert {"crowds", "bright_light", "textures", "loud_sudden_noise", "strong_smells"} <= set(
        triggers
    )
    assert len(cl.calming) >= 8
    assert len(cl.alerting) >= 6


def test_every_activity_uses_known_kit_and_systems() -> None:
    acts = library.activities()
    assert len(acts) >= 20
    for a in acts.values():
        assert set(a.needs) <= set(KIT_ITEMS), a.id
        assert set(a.systems) <= set(SYSTEMS), a.id
        assert a.effect in ("calming", "alerting")
        assert a.course in ("main_course", "snack")


def test_library_has_both_courses_and_both_effects() -> None:
    acts = library.activities().values()
    assert {a.course for a in acts} == {"main_course", "snack"}
    assert {a.effect for a in acts} == {"calming", "alerting"}


def test_protocols_are_flagged_therapist_taught_and_never_taught() -> None:
    acts = library.activities()
    for protocol in ("brushing_protocol", "joint_compressions"):
        a = acts[protocol]
        assert a.therapist_taught_only
        assert any("only as taught by your therapist" in c.lower() for c in a.cautions)
        # The app reminds of a protocol; it must not describe the technique.
        assert "therapist showed you" in a.how


def test_weighted_items_carry_the_size_and_removal_caution() -> None:
    weighted = [a for a in library.activities().values() if any("weighted" in n for n in a.needs)]
    assert weighted
    for a in weighted:
        text = " ".join(a.cautions).lower()
        assert "suit your size" in text
        assert "take them off on your own" in text


def test_demo_seed_uses_only_known_ids() -> None:
    from app.sensory.demo import PLANS

    cl = library.checklist()
    for plan in PLANS:
        assert set(plan["kit"]) | set(plan["corner"]) <= set(KIT_ITEMS)
        assert set(plan["responses"]) <= set(SYSTEMS)
        for kind in ("triggers", "calming", "alerting"):
            assert set(plan[kind]) <= set(cl.choices(kind))
        assert {d[0] for d in plan["diet"]} <= set(library.activities())
