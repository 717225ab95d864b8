"""The therapist's FHIR export carries the same day-to-day Observations as the client's download
(mood log, energy, sleep, distress ratings, habit check-ins), and still validates as R4B."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from fhir.resources.R4B.bundle import Bundle
from sqlmodel import Session, select

from app import clock, demo
from app.accounts.models import User
from app.self_care.models import MoodLog
from tests.conftest import Http

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)


def test_therapist_fhir_export_gains_logged_observations(http: Http, session: Session) -> None:
    with clock.frozen_at(NOW):
        demo.seed(session)
        sam = session.exec(select(User).where(User.email == "sam@demo.groundwork.local")).one()
        ruth = session.exec(select(User).where(User.email == "ruth@demo.groundwork.local")).one()
        got = http.as_(ruth).get(
            f"/caseload/{sam.id}/progress/export.fhir.json?start=2026-11-01&end=2026-11-18"
        )
    assert got.status_code == 200
    bundle = json.loads(got.text)
    Bundle.model_validate(bundle)
    observations = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"
    ]
    codes = {o["code"]["coding"][0]["code"] for o in observations}
    assert {"daily_mood", "daily_energy", "sleep", "distress", "habit"} <= codes
    moods = session.exec(select(MoodLog).where(MoodLog.client_id == sam.id)).all()
    in_range = [m for m in moods if m.logged_on.isoformat() >= "2026-11-01"]
    assert sum(1 for o in observations if o["code"]["coding"][0]["code"] == "daily_mood") == len(
        in_range
    )
    sleep = next(o for o in observations if o["code"]["coding"][0]["code"] == "sleep")
    assert sleep["valueQuantity"]["code"] == "h"
    habit = next(o for o in observations if o["code"]["coding"][0]["code"] == "habit")
    assert habit["valueString"] in {"done", "partly", "not_today"}
