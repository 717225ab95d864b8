"""The ZIP holds every record kind the client created, a FHIR R4B Bundle that validates, and PDFs.

The demo clinic gives a realistic two weeks across every domain; the build runs on the test's
session, on both databases, with the clock fixed.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import func
from sqlalchemy import select as core_select
from sqlmodel import Session, select

from app import clock, demo
from app.accounts.models import User
from app.audit import service as audit
from app.my_data import build, inventory
from app.self_care.models import MoodLog

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
# Kinds the demo seed fills for Sam: the download must carry each of them, row for row.
DEMO_KINDS = {
    "user_account",
    "care_link",
    "mood_log",
    "habit",
    "habit_check_in",
    "habit_level",
    "routine",
    "routine_step",
    "routine_run",
    "coping_episode",
    "homework_assignment",
    "homework_completion",
    "progress_goal",
    "progress_goal_rating",
    "progress_measure_response",
    "sensory_profile_version",
}


@pytest.fixture
def sam(session: Session) -> Iterator[User]:
    with clock.frozen_at(NOW):
        demo.seed(session)
        yield session.exec(select(User).where(User.email == "sam@demo.groundwork.local")).one()


def _zip(session: Session, client: User) -> tuple[zipfile.ZipFile, list[tuple[int, str]]]:
    steps: list[tuple[int, str]] = []

    def report(percent: int, step: str) -> None:
        steps.append((percent, step))

    with clock.frozen_at(NOW):
        body = build.build(session, client, now=clock.now(), report=report, requested_by=client)
    return zipfile.ZipFile(io.BytesIO(body)), steps


def _rows(zf: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(zf.read(name).decode())))


def _count(session: Session, kind: inventory.Kind, client_id: uuid.UUID) -> int:
    t = inventory.table(kind)
    stmt = core_select(func.count()).select_from(t).where(inventory.owner_clause(kind, client_id))
    return int(session.connection().execute(stmt).scalar_one())


def test_every_kind_the_client_created_is_in_the_zip_row_for_row(
    session: Session, sam: User
) -> None:
    zf, steps = _zip(session, sam)
    names = set(zf.namelist())
    nonempty = set()
    for kind in inventory.KINDS:
        assert kind.file in names, kind.table
        in_db = _count(session, kind, sam.id)
        assert len(_rows(zf, kind.file)) == in_db, kind.table
        if in_db:
            nonempty.add(kind.table)
    assert nonempty >= DEMO_KINDS, DEMO_KINDS - nonempty
    assert {"README.txt", "summary.pdf", "progress-report.pdf", "groundwork.fhir.json"} <= names
    # Progress climbs from the first step to the last, never backwards.
    percents = [p for p, _ in steps]
    assert percents == sorted(percents)
    assert percents[0] <= 5
    assert percents[-1] >= 95


def test_no_other_persons_rows_are_in_the_zip(session: Session, sam: User) -> None:
    alex = session.exec(select(User).where(User.email == "alex@demo.groundwork.local")).one()
    zf, _ = _zip(session, sam)
    everything = b"".join(zf.read(n) for n in zf.namelist() if n.startswith("csv/"))
    assert str(alex.id).encode() not in everything
    assert str(sam.id).encode() in everything
    assert b"password_hash" not in everything
    assert b"token_hash" not in everything


def test_fhir_bundle_validates_as_r4b_with_logged_observations(session: Session, sam: User) -> None:
    zf, _ = _zip(session, sam)
    data = json.loads(zf.read("groundwork.fhir.json"))
    Bundle.model_validate(data)
    kinds = {e["resource"]["resourceType"] for e in data["entry"]}
    assert {"Patient", "CarePlan", "Goal", "Task", "Observation", "QuestionnaireResponse"} <= kinds
    codes = {
        e["resource"]["code"]["coding"][0]["code"]
        for e in data["entry"]
        if e["resource"]["resourceType"] == "Observation"
    }
    assert {"daily_mood", "daily_energy", "sleep", "distress", "habit"} <= codes
    moods = session.exec(select(MoodLog).where(MoodLog.client_id == sam.id)).all()
    assert sum(1 for e in data["entry"] if "daily_mood" in json.dumps(e)) == len(moods)


def test_pdfs_are_pdfs_and_the_summary_lists_who_opened_the_record(
    session: Session, sam: User
) -> None:
    ruth = session.exec(select(User).where(User.email == "ruth@demo.groundwork.local")).one()
    with clock.frozen_at(NOW):
        audit.add(session, actor=ruth, client_id=sam.id, action="GET /caseload/{client_id}")
        session.flush()
    zf, _ = _zip(session, sam)
    assert zf.read("summary.pdf").startswith(b"%PDF-")
    assert zf.read("progress-report.pdf").startswith(b"%PDF-")
    viewings = build._viewings(session, sam.id)
    assert [(v.who, v.action) for v in viewings][:1] == [
        ("Ruth Okafor", "GET /caseload/{client_id}")
    ]
    audit_rows = _rows(zf, "csv/audit_event.csv")
    assert any(r["action"] == "GET /caseload/{client_id}" for r in audit_rows)


def test_a_note_that_looks_like_a_formula_cannot_run_in_a_spreadsheet(
    session: Session, sam: User
) -> None:
    with clock.frozen_at(NOW):
        entry = session.exec(select(MoodLog).where(MoodLog.client_id == sam.id)).first()
        assert entry is not None
        entry.note = '=HYPERLINK("http://evil.example","x")'
        session.add(entry)
        session.flush()
    zf, _ = _zip(session, sam)
    notes = [r["note"] for r in _rows(zf, "csv/mood_log.csv") if r["id"] == str(entry.id)]
    assert notes == ['\'=HYPERLINK("http://evil.example","x")']
