"""The sensory content's words in other languages, kept beside the English (content/*.<lang>.yaml).

Only what people read is translated: checklist questions, answers and choices, and the diet
activities' titles, how-tos and cautions. Ids, versions, senses, kit, timings and clinical rules stay
in the one English file, so a translation can never change what is offered or how it is scored.
tests/sensory/test_words.py checks that every translation has exactly the English ids and shapes.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.i18n import current_language, words_beside
from app.sensory.catalog import (
    CONTENT_DIR,
    Activity,
    Checklist,
    Choice,
    activities,
    checklist,
    therapist_taught_caution,
    weighted_caution,
)

Text = Annotated[str, StringConstraints(min_length=1, max_length=400, strip_whitespace=True)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ResponseWords(_Frozen):
    label: Text
    hint: Text


class SystemWords(_Frozen):
    name: Text
    question: Text
    examples: tuple[Text, ...]
    summary: Text
    seek_hint: Text
    avoid_hint: Text


class ChecklistWords(_Frozen):
    language: str
    responses: dict[str, ResponseWords]
    systems: dict[str, SystemWords]
    triggers: dict[str, Text]
    calming: dict[str, Text]
    alerting: dict[str, Text]


class ActivityWords(_Frozen):
    title: Text
    how: Text
    cautions: tuple[Text, ...] = Field(max_length=6)


class DietWords(_Frozen):
    language: str
    shared_cautions: dict[str, Text]
    activities: dict[str, ActivityWords]


@cache
def checklist_words(language: str) -> ChecklistWords | None:
    """A language's checklist words, or None for English and a language not translated yet."""
    return words_beside(CONTENT_DIR / "checklist.yaml", language, ChecklistWords)


@cache
def diet_words(language: str) -> DietWords | None:
    return words_beside(CONTENT_DIR / "diet_activities.yaml", language, DietWords)


def _choices(english: tuple[Choice, ...], words: dict[str, str]) -> tuple[Choice, ...]:
    return tuple(replace(c, label=words.get(c.id, c.label)) for c in english)


@cache
def checklist_in(language: str) -> Checklist:
    """The checklist with its words in `language` (English where a word is missing)."""
    english = checklist()
    words = checklist_words(language)
    if words is None:
        return english
    responses = tuple(
        replace(r, label=rw.label, hint=rw.hint) if (rw := words.responses.get(r.id)) else r
        for r in english.responses
    )
    systems = tuple(
        replace(
            s,
            name=w.name,
            question=w.question,
            examples=w.examples,
            summary=w.summary,
            seek_hint=w.seek_hint,
            avoid_hint=w.avoid_hint,
        )
        if (w := words.systems.get(s.id))
        else s
        for s in english.systems
    )
    return replace(
        english,
        responses=responses,
        systems=systems,
        triggers=_choices(english.triggers, words.triggers),
        calming=_choices(english.calming, words.calming),
        alerting=_choices(english.alerting, words.alerting),
    )


def _activity(a: Activity, words: DietWords) -> Activity:
    w = words.activities.get(a.id)
    if w is None or len(w.cautions) != len(a.cautions):
        return a
    return replace(a, title=w.title, how=w.how, cautions=w.cautions)


@cache
def activities_in(language: str) -> dict[str, Activity]:
    """The diet activity library with its words in `language` (English where one is missing)."""
    words = diet_words(language)
    if words is None:
        return activities()
    return {key: _activity(a, words) for key, a in activities().items()}


def shared_caution(key: str, language: str) -> str:
    """A shared caution (`weighted`, `therapist_taught`) in `language`."""
    english = {"weighted": weighted_caution, "therapist_taught": therapist_taught_caution}[key]()
    words = diet_words(language)
    return words.shared_cautions.get(key, english) if words else english


def current_checklist() -> Checklist:
    return checklist_in(current_language())


def current_activities() -> dict[str, Activity]:
    return activities_in(current_language())


def activity_title(activity_id: str | None, title: str) -> str:
    """A diet item's title to show: a library activity's own name in the current language when the
    item still carries the English library name, else the title as someone wrote it."""
    english = activities().get(activity_id or "")
    if english is None or title != english.title:
        return title
    return current_activities()[english.id].title
