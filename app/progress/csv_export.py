"""CSV export of a client's record: one long table, one row per recorded fact.

A single "section, date, item, value, detail" layout keeps every domain's data in one file a
spreadsheet opens. It is written by the app's one CSV writer (`app.csv_safe`), which neutralises
cells a spreadsheet would run as a formula: client text must never execute.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from app import csv_safe
from app.csv_safe import neutralise
from app.i18n import N_, gettext

__all__ = ["HEADERS", "CsvRow", "headers", "neutralise", "to_csv"]

# The header row a person reads in their spreadsheet: English by default, the therapist's language
# for the download (`headers()`). The cells under "section" stay machine keys ("goal_rating").
HEADERS = (N_("section"), N_("date"), N_("item"), N_("value"), N_("detail"))


def headers() -> tuple[str, ...]:
    """The header row in the current language (`use_language`)."""
    return tuple(gettext(h) for h in HEADERS)


@dataclass(frozen=True, slots=True)
class CsvRow:
    section: str
    on: date | datetime
    item: str
    value: str | int | float | None = None
    detail: str | None = None


def to_csv(rows: Iterable[CsvRow], header: tuple[str, ...] = HEADERS) -> str:
    return csv_safe.write(header, ((r.section, r.on, r.item, r.value, r.detail) for r in rows))
