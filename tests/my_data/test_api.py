"""Asking for a download, following it, fetching it: the client's own only, audited, no-store."""

from __future__ import annotations

import io
import uuid
import zipfile
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from app import clock
from app.accounts.models import User
from app.audit.models import AuditEvent
from app.my_data import build
from app.my_data.models import DataExport, ExportStatus
from tests import factories
from tests.conftest import Http

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)


def _make_ready(session: Session, export_id: str, client: User) -> DataExport:
    """What the worker does, on the test's session (the worker itself is tested on its own DB)."""
    row = session.get(DataExport, uuid.UUID(export_id))
    assert row is not None
    body = build.build(session, client, now=NOW, report=lambda _p, _s: None, requested_by=client)
    row.status, row.content, row.size = ExportStatus.ready, body, len(body)
    row.expires_at = NOW + timedelta(days=7)
    session.add(row)
    session.flush()
    return row


def test_client_asks_follows_and_downloads_their_data(
    http: Http, session: Session, client_user: User
) -> None:
    with clock.frozen_at(NOW):
        made = http.as_(client_user).post("/api/v1/my-data/exports")
        assert made.status_code == 202
        body = made.json()
        assert body["status"] == "queued"
        assert body["download_url"] is None
        again = http.post("/api/v1/my-data/exports").json()
        assert again["id"] == body["id"]
        status = http.get(f"/api/v1/my-data/exports/{body['id']}")
        assert status.headers["cache-control"] == "no-store"
        assert http.get(f"/my-data/exports/{body['id']}/download").status_code == 404
        _make_ready(session, body["id"], client_user)
        ready = http.get(f"/api/v1/my-data/exports/{body['id']}").json()
        assert ready["download_url"] == f"/my-data/exports/{body['id']}/download"
        got = http.get(ready["download_url"])
    assert got.status_code == 200
    assert got.headers["content-type"] == "application/zip"
    assert got.headers["cache-control"] == "no-store"
    assert "attachment" in got.headers["content-disposition"]
    assert "summary.pdf" in zipfile.ZipFile(io.BytesIO(got.content)).namelist()
    actions = session.exec(
        select(AuditEvent.action).where(AuditEvent.client_id == client_user.id)
    ).all()
    assert "my_data.export.request" in actions
    assert "my_data.export.download" in actions


def test_an_expired_link_says_so_and_offers_a_new_one(
    http: Http, session: Session, client_user: User
) -> None:
    with clock.frozen_at(NOW):
        export_id = http.as_(client_user).post("/api/v1/my-data/exports").json()["id"]
        _make_ready(session, export_id, client_user)
    with clock.frozen_at(NOW + timedelta(days=8)):
        gone = http.get(f"/my-data/exports/{export_id}/download")
        assert gone.status_code == 404
        assert "expired" in gone.text
        page = http.get("/my-data")
    assert page.status_code == 200
    assert "Make a new download" in page.text


def test_another_client_and_the_therapist_cannot_follow_or_fetch_it(
    http: Http, session: Session, client_user: User, therapist: User
) -> None:
    with clock.frozen_at(NOW):
        export_id = http.as_(client_user).post("/api/v1/my-data/exports").json()["id"]
        _make_ready(session, export_id, client_user)
        other = factories.client(session, therapist=therapist)
        for person, expected in ((other, 404), (therapist, 403)):
            http.as_(person)
            assert http.get(f"/api/v1/my-data/exports/{export_id}").status_code == expected
            assert http.get(f"/my-data/exports/{export_id}/download").status_code == expected
        assert http.as_(None).get(f"/api/v1/my-data/exports/{export_id}").status_code == 401


def test_page_shows_progress_while_building(
    http: Http, session: Session, client_user: User
) -> None:
    with clock.frozen_at(NOW):
        http.as_(client_user)
        first = http.get("/my-data")
        assert "Prepare my download" in first.text
        posted = http.post("/my-data/exports", data={"csrf_token": http.csrf})
        assert posted.status_code == 303
        row = session.exec(select(DataExport).where(DataExport.client_id == client_user.id)).one()
        row.status, row.percent, row.step = ExportStatus.building, 40, "Copied habit check-ins"
        session.add(row)
        session.flush()
        page = http.get("/my-data")
    assert '<progress id="export-progress" max="100" value="40"' in page.text
    assert "Copied habit check-ins" in page.text
    assert "Prepare my download" not in page.text


def test_settings_links_clients_to_my_data(http: Http, client_user: User, therapist: User) -> None:
    assert 'href="/my-data"' in http.as_(client_user).get("/settings").text
    assert 'href="/my-data"' not in http.as_(therapist).get("/settings").text
