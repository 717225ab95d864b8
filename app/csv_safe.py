"""The one CSV writer: every CSV the app serves is written here, so no cell can run as a formula.

People type the text that ends up in these files (habit names, reflections, a clinic strategy's
title reaching the audit log), and spreadsheets run a cell that starts with `= + - @`, a tab or a
carriage return as a formula (OWASP "CSV injection"). Such cells get a leading apostrophe; plain
numbers we wrote ourselves ("-3", "+2.5") stay numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from fastapi.responses import Response

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")
MEDIA_TYPE = "text/csv; charset=utf-8"


def neutralise(cell: str) -> str:
    """Prefix a would-be formula with an apostrophe; a plain signed number is left alone."""
    if cell.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def cell(value: object) -> str:
    """A value as its CSV text: nothing for None, ISO 8601 for dates, the rest neutralised."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return neutralise(str(value))


def write(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A whole CSV document (RFC 4180 line endings), header first; headers are neutralised too."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([cell(h) for h in header])
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return out.getvalue()


def download(body: str, filename: str) -> Response:
    """A CSV as an attachment that no cache keeps (these files hold clinical or audit data)."""
    return Response(
        body,
        media_type=MEDIA_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
