"""The access policy: who sees which client's data, and that therapists' access is audited."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from app.accounts.models import User
from app.audit.models import AuditEvent
from tests import factories


def test_therapist_sees_caseload_client_and_the_read_is_audited(
    http: Any, session: Session, therapist: User, client_user: User
) -> None:
    http.as_(therapist)
    assert http.get(f"/api/v1/clients/{client_user.id}").status_code == 200
    event = session.exec(
        select(AuditEvent).where(
            AuditEvent.actor_id == therapist.id, AuditEvent.client_id == client_user.id
        )
    ).one()
    assert event.action == "GET /api/v1/clients/{client_id}"
    assert event.actor_role == "therapist"
    assert event.request_id
    assert event.ip_address


def test_ending_care_ends_access_on_the_next_request(
    http: Any, therapist: User, client_user: User
) -> None:
    http.as_(therapist)
    assert http.get(f"/caseload/{client_user.id}").status_code == 200
    assert http.delete(f"/api/v1/clients/{client_user.id}/care-link").status_code == 204
    assert http.get(f"/caseload/{client_user.id}").status_code == 404
    assert http.get(f"/api/v1/clients/{client_user.id}").status_code == 404


def test_another_therapist_in_the_same_clinic_gets_404(
    http: Any, session: Session, clinic: Any, client_user: User
) -> None:
    colleague = factories.therapist(session, clinic)
    http.as_(colleague)
    response = http.get(f"/api/v1/clients/{client_user.id}")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_admin_manages_accounts_but_reads_no_clinical_data(
    http: Any, session: Session, clinic: Any, client_user: User
) -> None:
    admin = factories.admin(session, clinic)
    http.as_(admin)
    assert http.get("/admin").status_code == 200
    assert http.get(f"/api/v1/clients/{client_user.id}").status_code == 404


def test_audit_rows_cannot_be_changed_or_deleted(session: Session, client_user: User) -> None:
    session.add(AuditEvent(action="test.event", client_id=client_user.id))
    session.flush()
    for statement in ("UPDATE audit_event SET action = 'changed'", "DELETE FROM audit_event"):
        nested = session.begin_nested()
        with pytest.raises(DBAPIError, match="append-only"):
            session.execute(text(statement))
        nested.rollback()


def test_admin_exports_the_audit_log_as_csv(
    http: Any, session: Session, clinic: Any, therapist: User, client_user: User
) -> None:
    http.as_(therapist)
    http.get(f"/api/v1/clients/{client_user.id}")
    http.as_(factories.admin(session, clinic))
    csv = http.get("/admin/audit.csv")
    assert csv.status_code == 200
    assert csv.headers["content-type"].startswith("text/csv")
    assert "GET /api/v1/clients/{client_id}" in csv.text
    assert str(client_user.id) in csv.text
