"""The built-in library's words in other languages, kept beside the English (strategies.<lang>.yaml).

Only titles, steps and cautions are translated; timings, senses and clinical rules stay in the one
English file, so a translation can never change what is offered to whom. A missing entry falls back
to English (tests/coping/test_library_words.py fails on any, so none ships).
"""

from __future__ import annotations

from functools import cache
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.coping.library import LIBRARY_PATH, Strategy, load_library
from app.i18n import words_beside

Step = Annotated[str, StringConstraints(min_length=3, max_length=200, strip_whitespace=True)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StrategyWords(_Frozen):
    title: Annotated[str, StringConstraints(min_length=3, max_length=80)]
    steps: Annotated[tuple[Step, ...], Field(min_length=1, max_length=8)]


class LibraryWords(_Frozen):
    language: str
    cautions: dict[str, str]
    strategies: dict[str, StrategyWords]


@cache
def load_words(language: str) -> LibraryWords | None:
    """A language's words, or None for English and for a language not translated yet."""
    return words_beside(LIBRARY_PATH, language, LibraryWords)


def title(strategy: Strategy, language: str) -> str:
    words = load_words(language)
    entry = words.strategies.get(strategy.id) if words else None
    return entry.title if entry else strategy.title


def steps(strategy: Strategy, language: str) -> list[str]:
    words = load_words(language)
    entry = words.strategies.get(strategy.id) if words else None
    if entry is None or len(entry.steps) != len(strategy.steps):
        return list(strategy.steps)
    return list(entry.steps)


def cautions(strategy: Strategy, language: str) -> list[str]:
    words = load_words(language)
    english = load_library().cautions
    texts = words.cautions if words else {}
    return [texts.get(c) or english[c] for c in strategy.cautions]
