"""Invite and link codes cannot be guessed: throttled per address and across the whole code space,
long enough that the allowed rate finds nothing in a year, and every wrong code is audited."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session, func, select

from app import clock
from app.accounts import service, throttle
from app.accounts.models import User
from app.accounts.security import CODE_ALPHABET, CODE_LENGTH, new_code, normalise_code
from app.accounts.sessions import create as create_session
from app.audit.models import AuditEvent
from app.errors import NotFound, TooManyRequests
from app.web_security import Principal

MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
WRONG = "ZZZZZ-ZZZZZ"


def group(found: re.Match[str] | None, n: int = 1) -> str:
    """The match's group, failing the test (not crashing) when the page lacks it."""
    assert found is not None
    return found.group(n)


def _join(http: Any, code: str) -> Any:
    return http.post("/join", data={"code": code, "csrf_token": http.csrf})


def _failed_codes(session: Session) -> int:
    return session.exec(select(func.count()).where(AuditEvent.action == "invite.code_failed")).one()


def _live_code(session: Session, therapist: User) -> str:
    record = create_session(session, user=therapist, user_agent="t", ip_address="")
    principal = Principal(user=therapist, session=record.record)
    _, issued = service.create_client(
        session, therapist=principal, name="Robin", email=None, time_zone="UTC", country="GB"
    )
    return issued.code


def test_codes_are_long_enough_for_a_year_of_guessing_at_the_allowed_rate() -> None:
    code = new_code()
    letters = code.replace("-", "")
    assert len(letters) == CODE_LENGTH
    assert set(letters) <= set(CODE_ALPHABET)
    guesses_a_year = throttle.CODE_SPACE_PER_HOUR * 24 * 365.25
    assert guesses_a_year / len(CODE_ALPHABET) ** CODE_LENGTH < 1e-6
    assert normalise_code(code.lower().replace("-", " ")) == code


def test_wrong_codes_from_one_address_wait_longer_and_longer(
    http: Any, session: Session, therapist: User
) -> None:
    with clock.frozen_at(MONDAY):
        code = _live_code(session, therapist)
        http.as_(None)
        free = throttle.CODE_ADDRESS.free
        for _ in range(free):
            assert _join(http, WRONG).status_code == 404
        refused = _join(http, WRONG)
        assert refused.status_code == 429
        first_wait = int(refused.headers["retry-after"])
        assert 0 < first_wait <= 30
        # Even the right code is refused while waiting: a throttled guess learns nothing.
        assert _join(http, code).status_code == 429
        clock.advance(timedelta(seconds=first_wait))
        assert _join(http, WRONG).status_code == 404
        second_wait = int(_join(http, WRONG).headers["retry-after"])
        assert second_wait > first_wait
        clock.advance(timedelta(seconds=second_wait))
        assert _join(http, code).status_code == 200
    assert _failed_codes(session) == free + 1


def test_every_wrong_code_is_audited_with_the_address(
    http: Any, session: Session, client_user: User
) -> None:
    with clock.frozen_at(MONDAY):
        http.as_(client_user)
        page = http.post("/settings/link-therapist", data={"code": WRONG})
        assert page.status_code == 422
        assert "expired or was already used" in page.text
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "invite.code_failed")).one()
    assert event.actor_id == client_user.id
    assert event.detail == "no such code"
    assert event.ip_address == "testclient"


def test_the_link_code_form_is_throttled_too(http: Any, client_user: User) -> None:
    with clock.frozen_at(MONDAY):
        http.as_(client_user)
        for _ in range(throttle.CODE_ADDRESS.free):
            http.post("/settings/link-therapist", data={"code": WRONG})
        refused = http.post("/settings/link-therapist", data={"code": WRONG})
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) > 0
        assert "Too many codes" in refused.text


def test_the_code_space_is_capped_whatever_the_address(session: Session) -> None:
    cap = throttle.CODE_SPACE_PER_HOUR
    with clock.frozen_at(MONDAY):
        for n in range(cap):
            clock.advance(timedelta(seconds=1))
            with pytest.raises(NotFound):
                service.find_invite_by_code(session, code=WRONG, ip=f"10.0.{n // 250}.{n % 250}")
        with pytest.raises(TooManyRequests) as refused:
            service.find_invite_by_code(session, code=WRONG, ip="192.0.2.1")
        # Room again once the oldest counted guess is an hour old, not before.
        retry = int(refused.value.headers["Retry-After"])
        assert timedelta(hours=1) - timedelta(seconds=cap) <= timedelta(seconds=retry)
        clock.advance(timedelta(seconds=retry))
        with pytest.raises(NotFound):
            service.find_invite_by_code(session, code=WRONG, ip="192.0.2.1")


def test_invite_pages_show_the_new_code_shape(http: Any, therapist: User) -> None:
    http.as_(therapist)
    page = http.post(
        "/caseload/new",
        data={
            "name": "Robin",
            "time_zone": "Europe/London",
            "country": "GB",
            "csrf_token": http.csrf,
        },
    )
    code = group(re.search(r"data-invite-code>([^<]+)<", page.text))
    assert re.fullmatch(r"[A-Z2-9]{5}-[A-Z2-9]{5}", code)
