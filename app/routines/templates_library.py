"""The built-in routine templates (content/templates.yaml), validated with pydantic on load."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.i18n import words_beside
from app.routines import recurrence

TEMPLATES_PATH = Path(__file__).parent / "content" / "templates.yaml"
MAX_STEPS = 40
MAX_STEP_MINUTES = 180
PartOfDay = Literal["morning", "afternoon", "evening", "anytime"]
PARTS_OF_DAY: tuple[PartOfDay, ...] = ("morning", "afternoon", "evening", "anytime")
Title = Annotated[str, Field(min_length=1, max_length=120)]


class TemplateStep(BaseModel):
    """One small step of a template."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    title: Title
    detail: Annotated[str, Field(max_length=500)] = ""
    minutes: Annotated[int, Field(ge=1, le=MAX_STEP_MINUTES)] | None = None
    bad_day: bool = False


class TemplateSchedule(BaseModel):
    """How often, in the builder's terms; turned into an RRULE by recurrence.to_rrule."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: recurrence.ScheduleKind
    days: tuple[recurrence.Weekday, ...] = ()
    interval: Annotated[int, Field(ge=1, le=recurrence.MAX_INTERVAL)] = 1
    rrule: str = ""

    def to_rrule(self) -> str:
        return recurrence.to_rrule(
            recurrence.Schedule(self.kind, self.days, self.interval, self.rrule)
        )


class RoutineTemplate(BaseModel):
    """A built-in template; copied into a client's own routine when applied."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    key: Annotated[str, Field(pattern=r"^[a-z0-9-]{2,40}$")]
    title: Title
    icon: Annotated[str, Field(min_length=1, max_length=8)]
    summary: Annotated[str, Field(min_length=1, max_length=200)]
    part_of_day: PartOfDay
    time: dt.time | None = None
    schedule: TemplateSchedule
    steps: Annotated[tuple[TemplateStep, ...], Field(min_length=1, max_length=MAX_STEPS)]

    @field_validator("icon")
    @classmethod
    def _icon_is_emoji(cls, value: str) -> str:
        if re.search(r"[A-Za-z0-9\s]", value):
            raise ValueError("icon must be an emoji")
        return value

    @model_validator(mode="after")
    def _checks(self) -> RoutineTemplate:
        self.schedule.to_rrule()  # raises ScheduleError (a ValueError) for a bad schedule
        if not any(step.bad_day for step in self.steps):
            raise ValueError(f"{self.key}: mark at least one step for the bad-day version")
        return self

    @property
    def rrule(self) -> str:
        return self.schedule.to_rrule()

    @property
    def bad_day_count(self) -> int:
        return sum(step.bad_day for step in self.steps)


def parse_templates(text: str) -> tuple[RoutineTemplate, ...]:
    """Validate a YAML document of templates; keys must be unique."""
    raw = yaml.safe_load(text)
    if not isinstance(raw, list):
        raise ValueError("the templates file must be a list")
    templates = tuple(RoutineTemplate.model_validate(item) for item in raw)
    keys = [t.key for t in templates]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise ValueError(f"duplicate template keys: {', '.join(duplicates)}")
    return templates


@lru_cache(maxsize=1)
def builtin_templates() -> tuple[RoutineTemplate, ...]:
    """All built-in templates, loaded once per process."""
    return parse_templates(TEMPLATES_PATH.read_text(encoding="utf-8"))


def builtin_template(key: str) -> RoutineTemplate | None:
    return next((t for t in builtin_templates() if t.key == key), None)


# --- the templates' words in other languages (templates.<lang>.yaml, beside the English) ---------
# Only titles, summaries, step titles and details are translated; icons, times, schedules and the
# bad-day marks stay in the one English file, so a translation can never change what a routine does.


class StepWords(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    title: Title
    detail: Annotated[str, Field(max_length=500)] = ""


class TemplateWords(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    title: Title
    summary: Annotated[str, Field(min_length=1, max_length=200)]
    steps: Annotated[tuple[StepWords, ...], Field(min_length=1, max_length=MAX_STEPS)]


class TemplatesWords(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    language: str
    templates: dict[str, TemplateWords]


@lru_cache(maxsize=8)
def load_words(language: str) -> TemplatesWords | None:
    """A language's words, or None for English and for a language not translated yet."""
    return words_beside(TEMPLATES_PATH, language, TemplatesWords)


def localized(template: RoutineTemplate, language: str) -> RoutineTemplate:
    """The template in `language`; English (as written) where that language has no entry or its
    steps do not line up (tests/routines/test_templates_words.py fails on either, so none ships)."""
    words = load_words(language)
    entry = words.templates.get(template.key) if words else None
    if entry is None or len(entry.steps) != len(template.steps):
        return template
    steps = tuple(
        step.model_copy(update={"title": w.title, "detail": w.detail})
        for step, w in zip(template.steps, entry.steps, strict=True)
    )
    return template.model_copy(
        update={"title": entry.title, "summary": entry.summary, "steps": steps}
    )


@lru_cache(maxsize=8)
def templates_in(language: str) -> tuple[RoutineTemplate, ...]:
    """All built-in templates in `language`, made once per language and process."""
    return tuple(localized(t, language) for t in builtin_templates())


def template_in(key: str, language: str) -> RoutineTemplate | None:
    return next((t for t in templates_in(language) if t.key == key), None)
