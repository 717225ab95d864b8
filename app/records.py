"""What each domain contributes to a client's record for a date range: the therapist's progress
page, the report and PDF, the CSV and the FHIR export.

A domain answers for its own numbers. Its `record.py` plug-in (found like Today sections, see
`app/domains.py`) defines `record_part(*, session, client, start, end) -> RecordPart | None` and
builds it from the same rule module that serves the client's own pages, so the therapist and the
client never read two meanings of "done". Progress only assembles the parts and draws them; it
does not read other domains' tables.

Everything here is plain data: a domain needs no progress import to describe its figures.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

ActivityKind = Literal["routine", "habit", "sensory_diet"]  # the FHIR export's activity kinds
# The FHIR export's Observation kinds (app/progress/fhir.py names and codes each).
ObservationKind = Literal[
    "distress", "mood", "energy", "confidence", "daily_mood", "daily_energy", "sleep", "habit"
]


@dataclass(frozen=True, slots=True)
class DayRow:
    """One routine, habit or activity: day -> (planned, done) in the domain's own units (steps,
    a habit's share of its target, times). A partly done habit day is 0.5, not 0 or 1."""

    id: uuid.UUID
    label: str
    cells: Mapping[date, tuple[float, float]]


@dataclass(frozen=True, slots=True)
class HeatFigure:
    """A heat map: one row per item, one cell per day; `unit` names what is planned."""

    key: str
    title: str
    unit: str
    rows: Sequence[DayRow]


@dataclass(frozen=True, slots=True)
class LineFigure:
    key: str
    title: str
    y_min: float
    y_max: float
    series: Sequence[tuple[str, Sequence[tuple[date, float]]]]
    empty: str = "Nothing recorded in this period."
    step: bool = False
    noun: str = "point"
    keep_empty: bool = True  # drawn with an empty message; False: left out when there is no point


@dataclass(frozen=True, slots=True)
class BarFigure:
    """Before and after per item (e.g. distress per strategy): (label, before, after, count)."""

    key: str
    title: str
    items: Sequence[tuple[str, float, float, int]]


Figure = HeatFigure | LineFigure | BarFigure


@dataclass(frozen=True, slots=True)
class Fact:
    """One row of the CSV export: section, date, item, value, detail."""

    section: str
    on: date | datetime
    item: str
    value: str | int | float | None = None
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class Activity:
    """A planned activity for the FHIR CarePlan (a routine, a sensory-diet item)."""

    id: uuid.UUID
    kind: ActivityKind
    title: str
    schedule: str


@dataclass(frozen=True, slots=True)
class ObservationData:
    """One FHIR Observation: a logged day or rating (a domain's `observations()` in `record.py`),
    or a rating given with homework."""

    id: uuid.UUID
    kind: ObservationKind
    value: int | float
    effective_at: datetime
    components: Sequence[tuple[str, int]] = ()
    note: str | None = None
    unit: Literal["score", "h"] = "score"
    # A check-in's outcome ("done", "partly", …) is a word, not a number: valueString instead.
    text_value: str | None = None


@dataclass
class RecordPart:
    domain: str
    figures: list[Figure] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)
