"""Plain words for a person in distress, in both languages: the calm flow, crisis and safety-plan
text (the catalog's messages and the calm library's steps and cautions) must read easily.

English: Flesch-Kincaid grade level. Spanish: Fernández-Huerta's reading ease (the Spanish
adaptation of Flesch: 206.84 − 0.60·syllables per 100 words − 1.02·sentences per 100 words;
80+ is "easy", 70-80 "fairly easy", about a 6th-7th grade reader). Both are measured over the
whole text, as a person reads it, not per two-word button label.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from babel.messages.pofile import read_po

from app import i18n
from app.coping import library_words
from app.coping.library import load_library

# The slice a person in distress goes through (docs/i18n.md); grows as pages are translated.
CLIENT_FACING = (
    "web/templates/base.html",
    "web/templates/accounts/login.html",
    "web/templates/coping/",
    "web/templates/crisis/",
    "web/templates/pwa/",
    "web/templates/error.html",
    "web/static/coping/",
    "app/coping/plans.py",
)
ENGLISH_MAX_GRADE = 4.0
SPANISH_MIN_EASE = 75.0

_SPANISH_VOWELS = "aeiouáéíóúü"
_STRONG = set("aeoáéó") | set("íú")  # an accented í/ú breaks a diphthong (hiatus: "día")


@dataclass(frozen=True)
class Counts:
    words: int
    sentences: int
    syllables: int


def spanish_syllables(word: str) -> int:
    """Vowel nuclei: a run of vowels is one syllable unless two strong vowels meet (hiatus)."""
    word = word.lower()
    count, previous = 0, ""
    for ch in word:
        if ch in _SPANISH_VOWELS:
            if not previous or (ch in _STRONG and previous in _STRONG):
                count += 1
            previous = ch
        else:
            previous = ""
    return max(1, count)


def english_syllables(word: str) -> int:
    word = word.lower().strip("'")
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(1, count)


def _clean(text: str) -> str:
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"%\(\w+\)s", "tres", text)  # a placeholder reads as a short word


def count(texts: list[str], syllables: Callable[[str], int]) -> Counts:
    words = sentences = total = 0
    for text in texts:
        found = re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", _clean(text))
        words += len(found)
        total += sum(syllables(w) for w in found)
        sentences += max(1, len(re.findall(r"[.!?…](?:\s|$)", text)))
    return Counts(words, sentences, total)


def fernandez_huerta(c: Counts) -> float:
    return 206.84 - 0.60 * (100 * c.syllables / c.words) - 1.02 * (100 * c.sentences / c.words)


def flesch_kincaid_grade(c: Counts) -> float:
    return 0.39 * (c.words / c.sentences) + 11.8 * (c.syllables / c.words) - 15.59


def _slice_messages() -> list[tuple[str, str]]:
    """(English, Spanish) of every catalog message shown on a client-facing slice page."""
    with (i18n.LOCALE_DIR / "es" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po, locale="es")
    pairs = []
    for m in catalog:
        if not m.id or not any(path.startswith(CLIENT_FACING) for path, _ in m.locations):
            continue
        english = m.id if isinstance(m.id, str) else m.id[-1]
        spanish = m.string if isinstance(m.string, str) else (m.string or ("",))[-1]
        pairs.append((english, spanish))
    return pairs


def _library() -> tuple[list[str], list[str]]:
    library = load_library()
    english = [step for s in library.strategies for step in s.steps]
    english += list(library.cautions.values())
    spanish = [step for s in library.strategies for step in library_words.steps(s, "es")]
    words = library_words.load_words("es")
    assert words is not None
    spanish += list(words.cautions.values())
    return english, spanish


def test_syllable_counts_follow_each_languages_rules() -> None:
    assert [spanish_syllables(w) for w in ("calma", "respira", "día", "ahora", "hoy")] == [
        2,
        3,
        2,
        3,
        1,
    ]
    assert [spanish_syllables(w) for w in ("puedes", "cuidado", "ansiedad")] == [2, 3, 3]
    assert [english_syllables(w) for w in ("breathe", "calm", "minute", "strategy")] == [
        1,
        1,
        2,
        3,
    ]


def test_the_scores_tell_hard_text_from_easy_text() -> None:
    easy = count(["Pon los dos pies en el piso y nota cómo te sostiene."], spanish_syllables)
    hard = count(
        ["La implementación de intervenciones psicoterapéuticas interdisciplinarias."],
        spanish_syllables,
    )
    assert fernandez_huerta(easy) > 80 > fernandez_huerta(hard)
    simple = count(["Put both feet on the floor and feel it hold you up."], english_syllables)
    dense = count(
        ["The implementation of interdisciplinary psychotherapeutic interventions."],
        english_syllables,
    )
    assert flesch_kincaid_grade(simple) < ENGLISH_MAX_GRADE < flesch_kincaid_grade(dense)


def test_english_calm_and_crisis_text_reads_at_a_low_grade() -> None:
    english_library, _ = _library()
    texts = [en for en, _es in _slice_messages()] + english_library
    grade = flesch_kincaid_grade(count(texts, english_syllables))
    assert grade <= ENGLISH_MAX_GRADE, grade


def test_spanish_calm_and_crisis_text_reads_easily() -> None:
    _, spanish_library = _library()
    texts = [es for _en, es in _slice_messages()] + spanish_library
    ease = fernandez_huerta(count(texts, spanish_syllables))
    assert ease >= SPANISH_MIN_EASE, ease
