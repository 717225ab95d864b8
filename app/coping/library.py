"""The built-in strategy library: versioned YAML validated by pydantic and loaded once.

Why pydantic rather than trusting the YAML: the library drives what a distressed person is shown,
so a typo (an unknown sense, a missing caution, a thinking skill marked for high distress) must fail
loudly at load and in tests, never reach a client.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints, model_validator

from app.coping.vocabulary import (
    HIGH_DISTRESS,
    KIT_ITEMS,
    PLACES,
    SYSTEMS,
    THINKING_MAX,
    Effect,
    Kind,
)

LIBRARY_PATH = Path(__file__).parent / "content" / "strategies.yaml"

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]
Step = Annotated[str, StringConstraints(min_length=3, max_length=160, strip_whitespace=True)]
Level = Annotated[int, Field(ge=0, le=10, strict=True)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DistressRange(_Frozen):
    min: Level
    max: Level

    @model_validator(mode="after")
    def _ordered(self) -> DistressRange:
        if self.min > self.max:
            raise ValueError("distress.min must not exceed distress.max")
        return self

    def suits(self, level: int) -> bool:
        return self.min <= level <= self.max


class BreathPattern(_Frozen):
    """Seconds for each phase of one breath; holds may be 0."""

    breathe_in: Annotated[int, Field(ge=1, le=10, strict=True)]
    hold_in: Annotated[int, Field(ge=0, le=10, strict=True)]
    breathe_out: Annotated[int, Field(ge=1, le=12, strict=True)]
    hold_out: Annotated[int, Field(ge=0, le=10, strict=True)]

    @property
    def seconds(self) -> int:
        return self.breathe_in + self.hold_in + self.breathe_out + self.hold_out


class BreathingGuide(_Frozen):
    type: Literal["breathing"]
    pattern: BreathPattern
    rounds: Annotated[int, Field(ge=1, le=30, strict=True)]


class TimerGuide(_Frozen):
    type: Literal["timer"]
    seconds: Annotated[int, Field(ge=10, le=1800, strict=True)]


class StepsGuide(_Frozen):
    type: Literal["steps"]


class CounterGuide(_Frozen):
    """The 5-4-3-2-1 counter: see, feel, hear, smell, taste."""

    type: Literal["counter_54321"]


Guide = Annotated[
    BreathingGuide | TimerGuide | StepsGuide | CounterGuide, Field(discriminator="type")
]
System = Literal[SYSTEMS]  # type: ignore[valid-type]  # built from the vocabulary tuple: pydantic reads it, mypy cannot
Place = Literal[PLACES]  # type: ignore[valid-type]  # built from the vocabulary tuple: pydantic reads it, mypy cannot
KitItem = Literal[KIT_ITEMS]  # type: ignore[valid-type]  # built from the vocabulary tuple: pydantic reads it, mypy cannot


class Strategy(_Frozen):
    id: Slug
    title: Annotated[str, StringConstraints(min_length=3, max_length=60)]
    kind: Kind
    minutes: Annotated[int, Field(ge=1, le=30, strict=True)]
    systems: tuple[System, ...]
    effect: Effect
    distress: DistressRange
    places: Annotated[tuple[Place, ...], Field(min_length=1)]
    needs: tuple[KitItem, ...]
    cautions: tuple[str, ...]
    steps: Annotated[tuple[Step, ...], Field(min_length=3, max_length=8)]
    guide: Guide

    @model_validator(mode="after")
    def _clinical_rules(self) -> Strategy:
        # Thinking skills need a clear head: never offer them at high distress.
        if self.kind == "thinking" and self.distress.max > THINKING_MAX:
            raise ValueError(f"{self.id}: thinking strategies suit at most level {THINKING_MAX}")
        # What reaches high distress must work through the body or the senses.
        if self.distress.max >= HIGH_DISTRESS and not self.systems:
            raise ValueError(f"{self.id}: high-distress strategies must involve a sense")
        for name, values in (
            ("systems", self.systems),
            ("places", self.places),
            ("needs", self.needs),
            ("cautions", self.cautions),
        ):
            if len(set(values)) != len(values):
                raise ValueError(f"{self.id}: duplicate {name}")
        return self

    @property
    def thinking_only(self) -> bool:
        return self.kind == "thinking"


class Library(_Frozen):
    version: Annotated[int, Field(ge=1, strict=True)]
    cautions: dict[Annotated[str, StringConstraints(pattern=r"^[a-z_]+$")], str]
    strategies: Annotated[tuple[Strategy, ...], Field(min_length=40)]
    _by_id: dict[str, Strategy] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> Library:
        ids = [s.id for s in self.strategies]
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate strategy ids")
        for s in self.strategies:
            unknown = set(s.cautions) - self.cautions.keys()
            if unknown:
                raise ValueError(f"{s.id}: unknown cautions {sorted(unknown)}")
        self._by_id = {s.id: s for s in self.strategies}
        return self

    def get(self, strategy_id: str) -> Strategy | None:
        return self._by_id.get(strategy_id)

    def caution_texts(self, strategy: Strategy) -> list[str]:
        return [self.cautions[c] for c in strategy.cautions]


def parse_library(text: str) -> Library:
    """Validate library YAML text (used by tests with variants, and by load_library)."""
    return Library.model_validate(yaml.safe_load(text))


@cache
def load_library() -> Library:
    """The shipped library, parsed once per process."""
    return parse_library(LIBRARY_PATH.read_text(encoding="utf-8"))


def _link() -> object:
    """The therapist's Library page lists the Calm strategies (see app/sections.py)."""
    from app.i18n import N_
    from app.sections import LibraryLink

    return LibraryLink(
        title=N_("Calm strategies"),
        description=N_("The grounding and calming library, and your clinic's own strategies."),
        href="/library/calm",
        order=40,
    )


LINK = _link()
