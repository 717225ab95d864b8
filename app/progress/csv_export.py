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

__all__ = ["HEADERS", "CsvRow", "neutralise", "to_csv"]

HEADERS = ("section", "date", "item", "value", "detail")


@dataclass(frozen=True, slots=True)
class CsvRow:
    section: str
    on: date | datetime
    item: str
    value: str | int | float | None = None
    detail: str | None = None


def to_csv(rows: Iterable[CsvRow]) -> str:
    return csv_safe.write(HEADERS, ((r.section, r.on, r.item, r.value, r.detail) for r in rows))
