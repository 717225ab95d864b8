"""The built-in ladders' words in other languages, kept beside the English (ladders.<lang>.yaml).

Only titles, summaries, level descriptions and the built-in units are translated; ids, life areas
and targets stay in the one English file, so a translation can never change what a level asks.
A habit keeps the English words it was started with (what the ladder said); they are shown in the
reader's language as long as they are still the ladder's own words, so a client and their
therapist each read the same habit in their own language. Words a person wrote (a personal habit,
a clinic's ladder) are shown as written. tests/self_care/test_spanish.py checks every file.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from app.i18n import current_language, words_beside
from app.self_care.ladders import CONTENT, LadderSpec, builtin_ladder

Words = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LadderWords(_Frozen):
    title: Words
    summary: Words
    levels: tuple[Words, ...]


class LibraryWords(_Frozen):
    language: str
    units: dict[str, Words]
    ladders: dict[str, LadderWords]


@cache
def load_words(language: str) -> LibraryWords | None:
    """A language's words, or None for English and for a language not translated yet."""
    return words_beside(CONTENT, language, LibraryWords)


def _entry(ladder_id: str) -> LadderWords | None:
    words = load_words(current_language())
    return words.ladders.get(ladder_id) if words else None


def title(spec: LadderSpec) -> str:
    entry = _entry(spec.id)
    return entry.title if entry else spec.title


def summary(spec: LadderSpec) -> str:
    entry = _entry(spec.id)
    return entry.summary if entry else spec.summary


def level(spec: LadderSpec, number: int) -> str:
    """Level `number` (1 = the first) in the current language."""
    entry = _entry(spec.id)
    if entry is None or len(entry.levels) != len(spec.levels):
        return spec.levels[number - 1].description
    return entry.levels[number - 1]


def unit(name: str | None) -> str:
    """A built-in unit ("glasses") in the current language; any other unit as written."""
    if not name:
        return ""
    words = load_words(current_language())
    return words.units.get(name, name) if words else name


def _builtin(source: str | None) -> LadderSpec | None:
    if not source or not source.startswith("builtin:"):
        return None
    return builtin_ladder(source.removeprefix("builtin:"))


def is_builtin(source: str | None, habit_title: str) -> bool:
    """Whether a habit's title is still the built-in ladder's own (so it is ours to translate)."""
    spec = _builtin(source)
    return spec is not None and spec.title == habit_title


def habit_title(source: str | None, habit_title: str) -> str:
    """A habit's title as the reader should see it: a built-in ladder's title is translated."""
    spec = _builtin(source)
    return title(spec) if spec is not None and spec.title == habit_title else habit_title


def habit_level(source: str | None, number: int, description: str) -> str:
    """A habit level's description: translated while it is still the built-in ladder's words."""
    spec = _builtin(source)
    if spec is None or not 1 <= number <= len(spec.levels):
        return description
    if spec.levels[number - 1].description != description:
        return description
    return level(spec, number)
