"""PHQ-9 and GAD-7 in other languages: the published translations, kept beside the English.

A validated questionnaire is only valid in its published wording, so its items, prompt and answers
are not catalog messages a volunteer may reword: they live in content/measures.<lang>.yaml,
copied from the published version. Scoring, item numbers and bands stay in measures.py, so a
translation can never change a score. A language without the file, or with an entry missing,
shows the English (tests/progress/test_measure_words.py fails on any gap, so none ships).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from app.i18n import words_beside
from app.progress.measures import ANSWER_OPTIONS, Measure

CONTENT_DIR = Path(__file__).resolve().parent / "content"

Text = Annotated[str, StringConstraints(min_length=3, max_length=400, strip_whitespace=True)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MeasureText(_Frozen):
    prompt: Text
    items: dict[int, Text]


class MeasureWords(_Frozen):
    language: str
    answers: dict[int, Text]
    measures: dict[str, MeasureText]


@cache
def load_words(language: str) -> MeasureWords | None:
    """A language's published wording, or None for English and for a language without one."""
    return words_beside(CONTENT_DIR / "measures.yaml", language, MeasureWords)


@dataclass(frozen=True, slots=True)
class ShownItem:
    number: int
    text: str


@dataclass(frozen=True, slots=True)
class ShownMeasure:
    """What the client reads: the prompt, the items in order and the four answers."""

    prompt: str
    items: tuple[ShownItem, ...]
    options: tuple[tuple[int, str], ...]


def shown(measure: Measure, language: str) -> ShownMeasure:
    words = load_words(language)
    text = words.measures.get(measure.code) if words else None
    answers = words.answers if words else {}
    items = tuple(
        ShownItem(item.number, (text.items.get(item.number) if text else None) or item.text)
        for item in measure.items
    )
    return ShownMeasure(
        prompt=text.prompt if text else measure.prompt,
        items=items,
        options=tuple((value, answers.get(value) or label) for value, label in ANSWER_OPTIONS),
    )
