"""Every CSV the app serves goes through the one writer: text people typed never runs as a formula.

The test enumerates the app's CSV routes; a new one fails here until a case below plants a formula
where that file shows people's text and proves it arrives neutralised.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI

from app.accounts.models import User
from app.csv_safe import FORMULA_START, neutralise, write
from app.routes import route_table
from tests import factories

FORMULA = '=HYPERLINK("http://evil.test")'


def _audit_csv(http: Any, therapist: User, _client: User) -> str:
    # The audit's own finding: a clinic strategy's title reaches the manager's audit export.
    http.as_(therapist)
    added = http.post(
        "/library/calm",
        data={"title": FORMULA, "steps": "Breathe out slowly", "csrf_token": http.csrf},
    )
    assert added.status_code in (200, 303), added.text
    return "/admin/audit.csv"


def _progress_csv(http: Any, therapist: User, client: User) -> str:
    http.as_(therapist)
    levels = {f"level_{k}": "x" for k in ("m2", "m1", "0", "p1", "p2")}
    made = http.post(f"/api/v1/clients/{client.id}/goals", json={"title": FORMULA, **levels})
    assert made.status_code == 201, made.text
    return f"/caseload/{client.id}/progress/export.csv"


CASES: dict[str, Callable[[Any, User, User], str]] = {
    "/admin/audit.csv": _audit_csv,
    "/caseload/{client_id}/progress/export.csv": _progress_csv,
}


def test_every_csv_route_has_a_case(app: FastAPI) -> None:
    served = {path for method, path in route_table(app) if method == "GET" and ".csv" in path}
    assert served == set(CASES)


@pytest.mark.parametrize("route", sorted(CASES))
def test_typed_text_arrives_neutralised(http: Any, session: Any, route: str) -> None:
    clinic = factories.clinic(session)
    therapist = factories.therapist(session, clinic, is_clinic_admin=True)
    client = factories.client(session, therapist=therapist)
    path = CASES[route](http, therapist, client)
    http.as_(therapist)
    response = http.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["cache-control"] == "no-store"
    cells = [c for row in csv.reader(io.StringIO(response.text)) for c in row]
    assert "'" + FORMULA in cells
    assert not [c for c in cells if c.startswith(FORMULA_START) and c != neutralise(c)]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1+2", "'+1+2"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-3", "-3"),
        ("+2.5", "+2.5"),
        ("-1e-05", "-1e-05"),
        ("-inf", "'-inf"),
        ("plain", "plain"),
    ],
)
def test_the_writer_neutralises_formula_starts(cell: str, expected: str) -> None:
    assert list(csv.reader(io.StringIO(write(["h"], [[cell]]))))[1] == [expected]
