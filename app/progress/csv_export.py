"""CSV export of a client's record: one long table, one row per recorded fact.

A single "section, date, item, value, detail" layout keeps every domain's data in one file a
spreadsheet opens. Cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR) are prefixed
with an apostrophe (OWASP CSV injection guidance): client text must never execute.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

HEADERS = ("section", "date", "item", "value", "detail")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class CsvRow:
    section: str
    on: date | datetime
    item: str
    value: str | int | float | None = None
    detail: str | None = None


def neutralise(cell: str) -> str:
    """Prefix a would-be formula with an apostrophe; numbers written by us stay numbers."""
    if cell.startswith(_FORMULA_START):
        try:
            float(cell)
        except ValueError:
            return "'" + cell
    return cell


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return neutralise(str(value))


def to_csv(rows: Iterable[CsvRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([_cell(row.section), _cell(row.on), _cell(row.item), _cell(row.value),
                         _cell(row.detail)])  # fmt: skip
    return out.getvalue()
