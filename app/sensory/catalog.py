"""The shipped sensory content: our own preference checklist and the sensory-diet activity library.

Loaded once from content/*.yaml and checked against the shared vocabulary, so a typo in a system or
kit id fails at start-up (and in tests), not in front of a client.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

from app.sensory.vocabulary import KIT_ITEMS, RESPONSES, SYSTEMS

CONTENT_DIR = Path(__file__).parent / "content"

Effect = Literal["alerting", "calming"]
Course = Literal["main_course", "snack"]
EFFECTS: tuple[Effect, ...] = ("calming", "alerting")
COURSES: tuple[Course, ...] = ("main_course", "snack")


@dataclass(frozen=True)
class ResponseOption:
    id: str
    label: str
    hint: str


@dataclass(frozen=True)
class SystemQuestion:
    id: str
    name: str
    question: str
    examples: tuple[str, ...]
    summary: str
    seek_hint: str
    avoid_hint: str


@dataclass(frozen=True)
class Choice:
    """A trigger, a calming or an alerting option: what the client ticks, and the senses it uses."""

    id: str
    label: str
    systems: tuple[str, ...]


@dataclass(frozen=True)
class Checklist:
    version: int
    responses: tuple[ResponseOption, ...]
    systems: tuple[SystemQuestion, ...]
    triggers: tuple[Choice, ...]
    calming: tuple[Choice, ...]
    alerting: tuple[Choice, ...]

    def system(self, system_id: str) -> SystemQuestion:
        return next(s for s in self.systems if s.id == system_id)

    def choices(self, kind: str) -> dict[str, Choice]:
        """Choices of one kind (triggers, calming, alerting) by id, in checklist order."""
        items: tuple[Choice, ...] = getattr(self, kind)
        return {c.id: c for c in items}


@dataclass(frozen=True)
class Activity:
    id: str
    title: str
    how: str
    systems: tuple[str, ...]
    effect: Effect
    course: Course
    minutes: int
    needs: tuple[str, ...]
    cautions: tuple[str, ...]
    therapist_taught_only: bool


class ContentError(ValueError):
    """The shipped content does not match the vocabulary."""


def _check_systems(where: str, systems: list[str]) -> tuple[str, ...]:
    unknown = [s for s in systems if s not in SYSTEMS]
    if unknown or not systems:
        raise ContentError(f"{where}: unknown or missing systems {unknown}")
    return tuple(systems)


def _choices(raw: list[dict[str, Any]], kind: str) -> tuple[Choice, ...]:
    out = tuple(
        Choice(
            id=c["id"],
            label=c["label"],
            systems=_check_systems(f"{kind}.{c['id']}", c["systems"]),
        )
        for c in raw
    )
    if len({c.id for c in out}) != len(out):
        raise ContentError(f"{kind}: duplicate ids")
    return out


@cache
def checklist() -> Checklist:
    """The preference checklist, one question per sensory system in the vocabulary's order."""
    raw = yaml.safe_load((CONTENT_DIR / "checklist.yaml").read_text(encoding="utf-8"))
    responses = tuple(ResponseOption(**r) for r in raw["responses"])
    if tuple(r.id for r in responses) != tuple(RESPONSES):
        raise ContentError("checklist responses must match the vocabulary")
    systems = tuple(
        SystemQuestion(
            id=s["id"],
            name=s["name"],
            question=s["question"],
            examples=tuple(s["examples"]),
            summary=s["summary"],
            seek_hint=s["seek_hint"],
            avoid_hint=s["avoid_hint"],
        )
        for s in raw["systems"]
    )
    if tuple(s.id for s in systems) != SYSTEMS:
        raise ContentError("checklist must ask about every system, in vocabulary order")
    return Checklist(
        version=int(raw["version"]),
        responses=responses,
        systems=systems,
        triggers=_choices(raw["triggers"], "triggers"),
        calming=_choices(raw["calming"], "calming"),
        alerting=_choices(raw["alerting"], "alerting"),
    )


def _activity(a: dict[str, Any]) -> Activity:
    where = f"activity {a['id']}"
    if a["effect"] not in EFFECTS or a["course"] not in COURSES:
        raise ContentError(f"{where}: bad effect or course")
    unknown_kit = [k for k in a["needs"] if k not in KIT_ITEMS]
    if unknown_kit:
        raise ContentError(f"{where}: unknown kit items {unknown_kit}")
    minutes = int(a["minutes"])
    if not 1 <= minutes <= 60:
        raise ContentError(f"{where}: minutes out of range")
    taught = bool(a.get("therapist_taught_only", False))
    cautions = tuple(a["cautions"])
    if taught and not cautions:
        raise ContentError(f"{where}: a therapist-taught protocol must carry its caution")
    return Activity(
        id=a["id"],
        title=a["title"],
        how=a["how"],
        systems=_check_systems(where, a["systems"]),
        effect=a["effect"],
        course=a["course"],
        minutes=minutes,
        needs=tuple(a["needs"]),
        cautions=cautions,
        therapist_taught_only=taught,
    )


@cache
def activities() -> dict[str, Activity]:
    """The sensory-diet library by id, in file order."""
    raw = yaml.safe_load((CONTENT_DIR / "diet_activities.yaml").read_text(encoding="utf-8"))
    out: dict[str, Activity] = {}
    for a in raw["activities"]:
        if a["id"] in out:
            raise ContentError(f"duplicate activity {a['id']}")
        out[a["id"]] = _activity(a)
    return out


@cache
def weighted_caution() -> str:
    """The weighted-items caution, also shown on custom diet items that use a weighted kit item."""
    raw = yaml.safe_load((CONTENT_DIR / "diet_activities.yaml").read_text(encoding="utf-8"))
    return str(raw["shared_cautions"]["weighted"])


@cache
def therapist_taught_caution() -> str:
    raw = yaml.safe_load((CONTENT_DIR / "diet_activities.yaml").read_text(encoding="utf-8"))
    return str(raw["shared_cautions"]["therapist_taught"])
