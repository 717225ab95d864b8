"""PHQ-9 and GAD-7: public-domain items, scoring and severity bands.

Scores are screening information for a conversation with the therapist, never a diagnosis: bands are
named as score ranges ("in the moderate range"), and no label names a condition. PHQ-9 item 9
(thoughts of being better off dead or of self-harm) above 0 is urgent whatever the total.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from app.i18n import N_
from app.progress.lazy import lazy_gettext

MeasureCode = Literal["phq9", "gad7"]

# The standard four answers, scored 0-3, shared by both questionnaires. Other languages: the
# published translations in content/measures.<lang>.yaml (measure_words.py), not the catalog.
ANSWER_OPTIONS: tuple[tuple[int, str], ...] = (
    (0, "Not at all"),
    (1, "Several days"),
    (2, "More than half the days"),
    (3, "Nearly every day"),
)

NOT_A_DIAGNOSIS = N_(
    "This score is information to talk through with your therapist. It is not a diagnosis."
)


class MeasureError(ValueError):
    """Raised for an unknown measure or answers that cannot be scored."""


@dataclass(frozen=True, slots=True)
class Item:
    number: int
    text: str
    loinc: str


@dataclass(frozen=True, slots=True)
class Band:
    low: int
    high: int
    key: str
    label: str


@dataclass(frozen=True, slots=True)
class Measure:
    code: MeasureCode
    name: str
    prompt: str
    loinc: str
    total_loinc: str
    items: tuple[Item, ...]
    bands: tuple[Band, ...]

    @property
    def max_total(self) -> int:
        return 3 * len(self.items)


@dataclass(frozen=True, slots=True)
class MeasureScore:
    code: MeasureCode
    answers: tuple[int, ...]
    total: int
    band: Band
    urgent: bool

    @property
    def band_text(self) -> str:
        """How a band is shown: a score range, not a label for a person."""
        return f"{self.total} of {3 * len(self.answers)}: {self.band.label.lower()}"


_PROMPT = (
    "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
)

PHQ9 = Measure(
    code="phq9",
    name="PHQ-9",
    prompt=_PROMPT,
    loinc="44249-1",
    total_loinc="44261-6",
    items=(
        Item(1, "Little interest or pleasure in doing things", "44250-9"),
        Item(2, "Feeling down, depressed, or hopeless", "44255-8"),
        Item(3, "Trouble falling or staying asleep, or sleeping too much", "44259-0"),
        Item(4, "Feeling tired or having little energy", "44254-1"),
        Item(5, "Poor appetite or overeating", "44251-7"),
        Item(
            6,
            "Feeling bad about yourself, or that you are a failure or have let yourself "
            "or your family down",
            "44258-2",
        ),
        Item(
            7,
            "Trouble concentrating on things, such as reading the newspaper or watching television",
            "44252-5",
        ),
        Item(
            8,
            "Moving or speaking so slowly that other people could have noticed, or the opposite: "
            "being so fidgety or restless that you have been moving around a lot more than usual",
            "44253-3",
        ),
        Item(
            9,
            "Thoughts that you would be better off dead, or of hurting yourself in some way",
            "44260-8",
        ),
    ),
    bands=(
        Band(0, 4, "minimal", N_("Score in the minimal range")),
        Band(5, 9, "mild", N_("Score in the mild range")),
        Band(10, 14, "moderate", N_("Score in the moderate range")),
        Band(15, 19, "moderately_severe", N_("Score in the moderately severe range")),
        Band(20, 27, "severe", N_("Score in the severe range")),
    ),
)

GAD7 = Measure(
    code="gad7",
    name="GAD-7",
    prompt=_PROMPT,
    loinc="69737-5",
    total_loinc="70274-6",
    items=(
        Item(1, "Feeling nervous, anxious, or on edge", "69725-0"),
        Item(2, "Not being able to stop or control worrying", "68509-9"),
        Item(3, "Worrying too much about different things", "69733-4"),
        Item(4, "Trouble relaxing", "69734-2"),
        Item(5, "Being so restless that it is hard to sit still", "69735-9"),
        Item(6, "Becoming easily annoyed or irritable", "69689-8"),
        Item(7, "Feeling afraid, as if something awful might happen", "69736-7"),
    ),
    bands=(
        Band(0, 4, "minimal", N_("Score in the minimal range")),
        Band(5, 9, "mild", N_("Score in the mild range")),
        Band(10, 14, "moderate", N_("Score in the moderate range")),
        Band(15, 21, "severe", N_("Score in the severe range")),
    ),
)

MEASURES: dict[str, Measure] = {PHQ9.code: PHQ9, GAD7.code: GAD7}

# PHQ-9 item 9: any answer above "Not at all" must reach the therapist at once.
URGENT_ITEM = 9


def get(code: str) -> Measure:
    try:
        return MEASURES[code]
    except KeyError:
        raise MeasureError(f"unknown measure {code!r}") from None


def band_for(measure: Measure, total: int) -> Band:
    for band in measure.bands:
        if band.low <= total <= band.high:
            return band
    raise MeasureError(f"total {total} is outside 0..{measure.max_total}")


def is_urgent(code: str, answers: Sequence[int]) -> bool:
    """PHQ-9 item 9 above 0; GAD-7 has no item that is urgent on its own."""
    return code == "phq9" and len(answers) >= URGENT_ITEM and answers[URGENT_ITEM - 1] > 0


def score(code: str, answers: Sequence[int]) -> MeasureScore:
    """Score a complete set of answers (one 0-3 integer per item, in item order)."""
    measure = get(code)
    if len(answers) != len(measure.items):
        raise MeasureError(f"{measure.name} needs {len(measure.items)} answers, got {len(answers)}")
    for answer in answers:
        if isinstance(answer, bool) or not isinstance(answer, int) or not 0 <= answer <= 3:
            raise MeasureError("each answer must be a whole number from 0 to 3")
    total = sum(answers)
    return MeasureScore(
        code=measure.code,
        answers=tuple(answers),
        total=total,
        band=band_for(measure, total),
        urgent=is_urgent(measure.code, answers),
    )


# Measurement-based care: a total in the top band, or a rise this large since the previous
# answer to the same questionnaire, asks the therapist to review — whatever item 9 says.
SEVERE_FROM: dict[str, int] = {"phq9": 20, "gad7": 15}
RISE_POINTS = 5


@dataclass(frozen=True, slots=True)
class ScoreFlag:
    """Why a total needs the therapist's review, in plain words (never a diagnosis)."""

    kind: Literal["severe", "rise"]
    text: str


def score_flags(code: str, total: int, previous: int | None) -> list[ScoreFlag]:
    """Flags for a questionnaire's latest total, given the one before it (None: first answer)."""
    measure = get(code)
    flags = []
    severe = SEVERE_FROM.get(measure.code)
    if severe is not None and total >= severe:
        text = lazy_gettext(
            "%(name)s total %(total)s of %(max)s, in the highest range",
            name=measure.name,
            total=total,
            max=measure.max_total,
        )
        flags.append(ScoreFlag(kind="severe", text=text))
    if previous is not None and total - previous >= RISE_POINTS:
        rise = total - previous
        text = lazy_gettext(
            "%(name)s up %(rise)s points since the previous answer (%(previous)s to %(total)s)",
            name=measure.name,
            rise=rise,
            previous=previous,
            total=total,
        )
        flags.append(ScoreFlag(kind="rise", text=text))
    return flags


def answer_label(value: int) -> str:
    return dict(ANSWER_OPTIONS)[value]
