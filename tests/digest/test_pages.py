"""Digest pages: the therapist's settings form (errors beside the field, CSRF) and the one-click
unsubscribe that works logged out."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from app.accounts.models import User
from app.audit.models import AuditEvent
from app.config import get_settings
from app.digest import tokens
from app.digest.models import DigestPreference


def token_for(user: User) -> str:
    return tokens.unsubscribe_token(get_settings().secret_key.encode(), user.id)


def test_settings_page_shows_the_default_and_the_profile_time_zone(
    http: Any, therapist: User
) -> None:
    page = http.as_(therapist).get("/settings/digest")
    assert page.status_code == 200
    assert 'name="enabled"' in page.text
    assert 'name="enabled" checked' not in page.text, "off until the therapist opts in"
    assert '<option value="8" selected>08:00</option>' in page.text
    assert f"Your time zone: {therapist.time_zone}" in page.text
    assert 'name="csrf_token"' in page.text


def test_opting_in_saves_and_is_audited(http: Any, session: Session, therapist: User) -> None:
    saved = http.as_(therapist).post(
        "/settings/digest", data={"enabled": "on", "send_hour": "7", "csrf_token": http.csrf}
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == "/settings/digest?saved=1"
    pref = session.get(DigestPreference, therapist.id)
    assert pref is not None
    assert (pref.enabled, pref.send_hour, pref.excerpts) == (True, 7, False)
    event = session.exec(
        select(AuditEvent).where(
            AuditEvent.actor_id == therapist.id, AuditEvent.action == "digest.settings"
        )
    ).one()
    assert "enabled=True hour=7" in event.detail
    page = http.get("/settings/digest?saved=1")
    assert "Your digest settings are saved." in page.text
    assert 'name="enabled" checked' in page.text
    assert '<option value="7" selected>07:00</option>' in page.text
    # Unticking a checkbox sends nothing for it: that means off.
    http.post("/settings/digest", data={"send_hour": "7", "csrf_token": http.csrf})
    session.refresh(pref)
    assert pref.enabled is False


def test_a_bad_hour_is_reported_beside_the_field_and_keeps_the_ticks(
    http: Any, session: Session, therapist: User
) -> None:
    for bad in ("25", "seven", ""):
        page = http.as_(therapist).post(
            "/settings/digest",
            data={"enabled": "on", "excerpts": "on", "send_hour": bad, "csrf_token": http.csrf},
        )
        assert page.status_code == 422, bad
        assert 'id="f-send_hour-error"' in page.text
        assert "Choose an hour from the list (00:00 to 23:00)." in page.text
        assert 'aria-invalid="true"' in page.text
        assert 'name="enabled" checked' in page.text
        assert 'name="excerpts" aria-describedby="f-excerpts-hint" checked' in page.text
    assert session.get(DigestPreference, therapist.id) is None


def test_saving_needs_the_csrf_token(http: Any, session: Session, therapist: User) -> None:
    http.as_(therapist)
    refused = http.post(
        "/settings/digest",
        data={"enabled": "on", "send_hour": "7"},
        headers={"X-CSRF-Token": "wrong"},
    )
    assert refused.status_code == 403
    assert session.get(DigestPreference, therapist.id) is None


def test_clients_have_no_digest_and_therapists_see_the_card(
    http: Any, therapist: User, client_user: User
) -> None:
    assert http.as_(client_user).get("/settings/digest").status_code == 403
    assert 'href="/settings/digest"' not in http.get("/settings").text
    assert 'href="/settings/digest"' in http.as_(therapist).get("/settings").text


def test_one_click_unsubscribe_works_logged_out(
    http: Any, session: Session, therapist: User
) -> None:
    session.add(DigestPreference(therapist_id=therapist.id, enabled=True, send_hour=8))
    session.flush()
    token = token_for(therapist)
    http.as_(None).client.cookies.clear()  # no session, no CSRF cookie: as a mail provider posts
    page = http.client.get(f"/digest/unsubscribe/{token}")
    assert page.status_code == 200
    assert "Stop the daily digest?" in page.text
    done = http.client.post(f"/digest/unsubscribe/{token}")
    assert done.status_code == 200
    assert "You won't get the daily digest any more" in done.text
    pref = session.get(DigestPreference, therapist.id)
    assert pref is not None
    assert pref.enabled is False
    assert http.client.post(f"/digest/unsubscribe/{token}").status_code == 200, "repeatable"


def test_forged_or_junk_unsubscribe_links_are_404(http: Any, therapist: User) -> None:
    genuine = token_for(therapist)
    forged = genuine[:-2] + ("AA" if not genuine.endswith("AA") else "BB")
    for token in (forged, "junk", "x" * 150, f"{therapist.id.hex}."):
        assert http.as_(None).client.post(f"/digest/unsubscribe/{token}").status_code == 404
        assert http.client.get(f"/digest/unsubscribe/{token}").status_code == 404
