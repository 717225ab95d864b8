"""The one place the download writes CSV, so a shared safe writer can replace it in one edit.

Cells a spreadsheet would run as a formula are neutralised by progress's `neutralise` (OWASP CSV
injection guidance): a client's own notes must never execute when they open their file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime

from app.progress.csv_export import neutralise


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return neutralise(str(value))


def to_csv(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return out.getvalue()
