"""The clinic side: a copy of a client's data (audited), an erasure request received by post, the
retention period, and a leaving therapist's caseload handed over with each client told."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from app import clock
from app.accounts.models import CareLink, Organisation, User
from app.audit.models import AuditEvent
from app.config import get_settings
from app.my_data import build, closure
from app.my_data.models import ClosureStatus, DataExport, ExportStatus
from tests import factories
from tests.conftest import Http
from tests.reminders.smtp_server import Inbox, smtp_server

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    settings = get_settings()
    old = settings.smtp_port
    with smtp_server() as (received, port):
        settings.smtp_port = port
        try:
            yield received
        finally:
            settings.smtp_port = old


@pytest.fixture
def admin(session: Session, clinic: Organisation) -> User:
    return factories.admin(session, clinic)


def _actions(session: Session, client_id: uuid.UUID) -> list[str]:
    return list(session.exec(select(AuditEvent.action).where(AuditEvent.client_id == client_id)))


def test_admin_makes_and_downloads_a_copy_and_both_are_audited(
    http: Http, session: Session, admin: User, client_user: User
) -> None:
    with clock.frozen_at(NOW):
        http.as_(admin)
        assert http.get(f"/admin/clients/{client_user.id}").status_code == 200
        made = http.post(f"/admin/clients/{client_user.id}/export", data={"csrf_token": http.csrf})
        assert made.status_code == 303
        row = session.exec(select(DataExport).where(DataExport.client_id == client_user.id)).one()
        assert row.requested_by_id == admin.id
        body = build.build(
            session, client_user, now=NOW, report=lambda _p, _s: None, requested_by=admin
        )
        row.status, row.content, row.expires_at = ExportStatus.ready, body, NOW + timedelta(days=7)
        session.add(row)
        session.flush()
        got = http.get(f"/admin/exports/{row.id}/download")
    assert got.status_code == 200
    assert got.content == body
    actions = _actions(session, client_user.id)
    assert "GET /admin/clients/{client_id}" in actions
    assert "my_data.export.request" in actions
    assert "my_data.export.download" in actions


def test_the_clients_own_download_is_not_the_clinics(
    http: Http, session: Session, admin: User, client_user: User
) -> None:
    own = DataExport(client_id=client_user.id, requested_by_id=client_user.id)
    own.status, own.content, own.expires_at = ExportStatus.ready, b"zip", NOW + timedelta(days=1)
    session.add(own)
    session.flush()
    with clock.frozen_at(NOW):
        assert http.as_(admin).get(f"/admin/exports/{own.id}/download").status_code == 404


def test_another_clinics_admin_cannot_open_the_client(
    http: Http, session: Session, client_user: User
) -> None:
    elsewhere = factories.admin(session, factories.clinic(session, name="Elsewhere"))
    assert http.as_(elsewhere).get(f"/admin/clients/{client_user.id}").status_code == 404
    posted = http.post(f"/admin/clients/{client_user.id}/export", data={"csrf_token": http.csrf})
    assert posted.status_code == 404
    assert not session.exec(select(DataExport).where(DataExport.client_id == client_user.id)).all()


def test_retention_is_set_by_the_clinic_with_errors_beside_the_field(
    http: Http, session: Session, admin: User, clinic: Organisation
) -> None:
    http.as_(admin)
    bad = http.post("/admin/retention", data={"csrf_token": http.csrf, "years": "0"})
    assert bad.status_code == 422
    assert "from 1 to 50" in bad.text
    assert 'aria-invalid="true"' in bad.text
    ok = http.post("/admin/retention", data={"csrf_token": http.csrf, "years": "12"})
    assert ok.status_code == 303
    assert closure.retention_years(session, clinic.id) == 12


def test_an_erasure_request_by_post_closes_the_account_and_tells_the_therapist(
    http: Http, session: Session, admin: User, client_user: User, therapist: User, inbox: Inbox
) -> None:
    path = f"/admin/clients/{client_user.id}/close"
    with clock.frozen_at(NOW):
        http.as_(admin)
        unconfirmed = http.post(path, data={"csrf_token": http.csrf, "received_on": "2026-11-16"})
        assert unconfirmed.status_code == 422
        assert "checked who sent the letter" in unconfirmed.text
        future = http.post(
            path, data={"csrf_token": http.csrf, "received_on": "2026-11-30", "confirm": "on"}
        )
        assert future.status_code == 422
        assert closure.current(session, client_user.id) is None
        done = http.post(
            path, data={"csrf_token": http.csrf, "received_on": "2026-11-16", "confirm": "on"}
        )
        assert done.status_code == 303
    row = closure.current(session, client_user.id)
    assert row is not None
    assert row.source == "post"
    assert str(row.received_on) == "2026-11-16"
    assert not client_user.is_active
    told = next(m for m in inbox.messages if m["To"] == therapist.email).get_content()
    assert "asked your clinic, by letter, to close their Groundwork account" in told
    assert any(m["To"] == client_user.email for m in inbox.messages)
    with clock.frozen_at(NOW + timedelta(hours=2)):  # staff sessions last 12 hours
        page = http.get(f"/admin/clients/{client_user.id}").text
        assert "received by post on 16 November 2026" in page
        restored = http.post(
            f"/admin/clients/{client_user.id}/restore", data={"csrf_token": http.csrf}
        )
        assert restored.status_code == 303
    session.refresh(row)
    assert row.status == ClosureStatus.restored
    assert client_user.is_active


def test_a_leaving_therapists_caseload_moves_and_each_client_is_told(
    http: Http,
    session: Session,
    admin: User,
    clinic: Organisation,
    therapist: User,
    client_user: User,
    inbox: Inbox,
) -> None:
    no_email = factories.client(session, therapist=therapist, name="Kit Nomail")
    no_email.email = None  # a client the therapist created without an address
    session.add(no_email)
    session.flush()
    colleague = factories.therapist(session, clinic, name="Dana Reyes")
    with clock.frozen_at(NOW):
        http.as_(admin)
        page = http.get(f"/admin/therapists/{therapist.id}/handover")
        assert "works with 2 clients" in page.text
        bad = http.post(
            f"/admin/therapists/{therapist.id}/handover",
            data={"csrf_token": http.csrf, "colleague_id": str(therapist.id)},
        )
        assert bad.status_code == 422
        assert "Choose a colleague from the list" in bad.text
        done = http.post(
            f"/admin/therapists/{therapist.id}/handover",
            data={"csrf_token": http.csrf, "colleague_id": str(colleague.id)},
        )
    assert done.status_code == 200
    assert "2 clients are now with Dana Reyes" in done.text
    assert "Please tell these clients another way" in done.text
    assert "Kit Nomail" in done.text
    active = session.exec(
        select(CareLink.therapist_id, CareLink.client_id).where(col(CareLink.ended_at).is_(None))
    ).all()
    assert (colleague.id, client_user.id) in active
    assert (colleague.id, no_email.id) in active
    assert not [row for row in active if row[0] == therapist.id]
    note = next(m for m in inbox.messages if m["To"] == client_user.email)
    assert note["Subject"] == "Your Groundwork therapist has changed"
    assert "Dana Reyes is your therapist in Groundwork" in note.get_content()
    assert "care_link.handover" in _actions(session, no_email.id)
