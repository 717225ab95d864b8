"""CSV export: one table, formula injection neutralised, numbers left as numbers."""

import csv
import io
from datetime import UTC, date, datetime

import pytest

from app.progress.csv_export import HEADERS, CsvRow, neutralise, to_csv


def test_rows_round_trip() -> None:
    text = to_csv(
        [
            CsvRow("homework", date(2026, 11, 3), "Box breathing", "completed", "Helped, a lot"),
            CsvRow("distress", datetime(2026, 11, 4, 8, 30, tzinfo=UTC), "before", 7, None),
        ]
    )
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == HEADERS
    assert rows[1] == ["homework", "2026-11-03", "Box breathing", "completed", "Helped, a lot"]
    assert rows[2] == ["distress", "2026-11-04T08:30:00+00:00", "before", "7", ""]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1+2", "'+1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-3", "-3"),
        ("-2.5", "-2.5"),
        ("- felt low", "'- felt low"),
        ("plain", "plain"),
    ],
)
def test_formula_cells_are_neutralised(cell: str, expected: str) -> None:
    assert neutralise(cell) == expected


def test_client_text_cannot_inject_a_formula() -> None:
    text = to_csv([CsvRow("reflection", date(2026, 11, 3), "=cmd|' /C calc'!A0")])
    assert list(csv.reader(io.StringIO(text)))[1][2].startswith("'=")
