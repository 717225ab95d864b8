"""What my therapist sees: a kind of record the client keeps private reaches no therapist view
(dashboard flags, the cached row, overview, record pages, exports), and sharing it again brings it
back on the very next request. The routes themselves are in tests/test_authorization_matrix.py."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from app import clock, demo
from app.accounts import policy, sessions
from app.accounts.models import RecordKind, User
from app.coping import service as coping
from app.progress import dashboard
from app.self_care.models import MoodLog
from tests import factories
from tests.conftest import Http

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
RANGE = "start=2026-11-01&end=2026-11-18"


def _demo(session: Session) -> tuple[User, User]:
    demo.seed(session)
    sam = session.exec(select(User).where(User.email == "sam@demo.groundwork.local")).one()
    ruth = session.exec(select(User).where(User.email == "ruth@demo.groundwork.local")).one()
    return sam, ruth


def _codes(http: Http, ruth: User, sam: User) -> set[str]:
    got = http.as_(ruth).get(f"/caseload/{sam.id}/progress/export.fhir.json?{RANGE}")
    assert got.status_code == 200
    entries = json.loads(got.text)["entry"]
    return {
        e["resource"]["code"]["coding"][0]["code"]
        for e in entries
        if e["resource"]["resourceType"] == "Observation"
    }


def test_the_settings_page_says_plainly_what_is_shared(http: Http, session: Session) -> None:
    client = factories.client(
        session, therapist=factories.therapist(session, factories.clinic(session))
    )
    page = http.as_(client).get("/settings/sharing")
    assert page.status_code == 200
    assert "Mood log and its notes" in page.text
    assert "whatever you choose here" in page.text  # the safety exception, stated plainly
    saved = http.post("/settings/sharing", data={"mood": "private", "calm": "nonsense"})
    assert saved.status_code == 303
    assert policy.private_kinds(session, client.id) == {RecordKind.mood}
    http.post("/settings/sharing", data={})  # nothing chosen: everything shared again
    assert policy.private_kinds(session, client.id) == frozenset()


def test_private_kinds_leave_the_therapists_exports_and_pages(http: Http, session: Session) -> None:
    with clock.frozen_at(NOW):
        sam, ruth = _demo(session)
        assert {"daily_mood", "sleep", "distress", "habit"} <= _codes(http, ruth, sam)
        http.as_(sam).post(
            "/settings/sharing", data={"mood": "private", "calm": "private", "sensory": "private"}
        )
        codes = _codes(http, ruth, sam)
        assert not codes & {"daily_mood", "daily_energy", "sleep", "distress"}
        assert "habit" in codes  # habits are not a private kind
        note = session.exec(
            select(MoodLog.note).where(MoodLog.client_id == sam.id, MoodLog.note != "")
        ).first()
        ruth_http = http.as_(ruth)
        for path in (
            f"/caseload/{sam.id}",
            f"/caseload/{sam.id}/self-care",
            f"/caseload/{sam.id}/calm",
            f"/caseload/{sam.id}/progress/report?{RANGE}",
            f"/caseload/{sam.id}/progress/export.csv?{RANGE}",
        ):
            page = ruth_http.get(path)
            assert page.status_code in (200, 404), path
            if note:
                assert note not in page.text, path
        assert ruth_http.get(f"/caseload/{sam.id}/sensory/profile").status_code == 404
        assert ruth_http.get(f"/api/v1/clients/{sam.id}/mood-logs").status_code == 404
        # Sam still sees everything of their own.
        assert http.as_(sam).get("/api/v1/mood-logs").json()


def test_the_dashboard_forgets_a_private_kind_at_once(session: Session) -> None:
    """The cached row is keyed on the client's data version, which the setting changes."""
    therapist = factories.therapist(session, factories.clinic(session))
    client = factories.client(session, therapist=therapist)
    with clock.frozen_at(NOW):
        for days in range(4):
            session.add(
                MoodLog(
                    id=uuid.uuid4(),
                    client_id=client.id,
                    mood=1,
                    logged_on=NOW.date() - timedelta(days=days),
                )
            )
        coping.record_episode(
            session=session,
            client=client,
            data=coping.EpisodeInput(
                id=uuid.uuid4(),
                strategy_key="box-breathing",
                before=9,
                after=9,
                seconds=60,
                started_at=NOW - timedelta(minutes=5),
            ),
        )
        session.commit()

        def codes() -> set[str]:
            rows = dashboard.rows(session, therapist_id=therapist.id, now=clock.now())
            return {f.code for r in rows for f in r.flags}

        shared = codes()
        assert {"self_care.low_mood", "high_distress"} <= shared
        issued = sessions.create(session, user=client, user_agent="test", ip_address="127.0.0.1")
        owner = policy.Principal(user=client, session=issued.record)
        policy.set_private_kinds(session, owner, frozenset({RecordKind.mood, RecordKind.calm}))
        session.commit()
        hidden = codes()
        assert not hidden & {"self_care.low_mood", "high_distress"}
        policy.set_private_kinds(session, owner, frozenset())
        session.commit()
        assert codes() == shared
