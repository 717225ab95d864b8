"""The built-in ladder library: a shipped YAML file, validated once at import of the loader."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Self

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    model_validator,
)

from app.self_care.targets import LifeArea, Target, no_nul

CONTENT = Path(__file__).parent / "content" / "ladders.yaml"
MIN_LEVELS, MAX_LEVELS = 3, 5

Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(no_nul),
]


class LevelSpec(BaseModel):
    """One rung: what to do, and how often."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    description: Text
    target: Target


class LadderSpec(BaseModel):
    """A graded habit; level 1 (the first) is the easiest."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,40}$")]
    life_area: LifeArea
    title: Text
    summary: Text
    levels: Annotated[tuple[LevelSpec, ...], Field(min_length=MIN_LEVELS, max_length=MAX_LEVELS)]

    @model_validator(mode="after")
    def _distinct_levels(self) -> Self:
        seen = {(lv.description, lv.target) for lv in self.levels}
        if len(seen) != len(self.levels):
            raise ValueError(f"ladder {self.id}: two levels are identical")
        return self


_Library = TypeAdapter(tuple[LadderSpec, ...])


def parse_library(text: str) -> tuple[LadderSpec, ...]:
    """Validate a YAML library; ids must be unique so a habit can name its source ladder."""
    ladders = _Library.validate_python(yaml.safe_load(text))
    ids = [ladder.id for ladder in ladders]
    if len(set(ids)) != len(ids):
        raise ValueError("ladder ids must be unique")
    return ladders


@cache
def builtin_ladders() -> tuple[LadderSpec, ...]:
    return parse_library(CONTENT.read_text(encoding="utf-8"))


def builtin_ladder(ladder_id: str) -> LadderSpec | None:
    return next((ladder for ladder in builtin_ladders() if ladder.id == ladder_id), None)
