"""Two-step login: codes work once, turning it off asks for both factors again, recovery codes,
an enrolment a phone can complete on its own screen, and secrets sealed at rest."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pyotp
import pytest
from sqlalchemy import create_engine, text
from sqlmodel import Session, select

from app import clock
from app.accounts import two_factor
from app.accounts.models import RecoveryCode, User
from app.config import get_settings
from app.migrate import alembic_config
from tests import factories
from tests.databases import sqlite_url, throwaway_postgres
from tests.reminders.smtp_server import Inbox

MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
STEP = timedelta(seconds=30)


def group(found: re.Match[str] | None, n: int = 1) -> str:
    """The match's group, failing the test (not crashing) when the page lacks it."""
    assert found is not None
    return found.group(n)


def _login(http: Any, person: User) -> Any:
    http.as_(None)
    response = http.post(
        "/login",
        data={"email": person.email, "password": factories.PASSWORD, "csrf_token": http.csrf},
    )
    assert response.headers["location"] == "/login/verify"
    return response


def _verify(http: Any, code: str) -> Any:
    return http.post("/login/verify", data={"code": code, "csrf_token": http.csrf})


def _enrol(http: Any, session: Session, person: User) -> tuple[pyotp.TOTP, list[str], Any]:
    """Turn two-step login on through the pages; returns the app's TOTP, the recovery codes and
    the recovery-codes page."""
    http.as_(person)
    started = http.post("/settings/two-factor/start")
    assert started.status_code == 200
    session.refresh(person)
    secret = two_factor.unseal(person.totp_secret)
    assert secret is not None
    totp = pyotp.TOTP(secret)
    page = http.post(
        "/settings/two-factor/confirm", data={"code": totp.at(clock.now()), "csrf_token": http.csrf}
    )
    assert page.status_code == 200
    codes = re.findall(r"<li><code>([A-Z0-9-]+)</code></li>", page.text)
    return totp, codes, page


@pytest.fixture
def enrolled(
    http: Any, session: Session, therapist: User
) -> Iterator[tuple[pyotp.TOTP, list[str]]]:
    with clock.frozen_at(MONDAY):
        totp, codes, _ = _enrol(http, session, therapist)
        clock.advance(STEP)
        yield totp, codes


def test_a_code_is_accepted_once_in_its_time_step(
    http: Any, therapist: User, enrolled: tuple[pyotp.TOTP, list[str]]
) -> None:
    totp, _ = enrolled
    code = totp.at(clock.now())
    _login(http, therapist)
    assert _verify(http, code).status_code == 303
    # A second login with the very same code (the audit's finding) is refused…
    _login(http, therapist)
    replay = _verify(http, code)
    assert replay.status_code == 400
    assert "already used" in replay.text
    # …and so is the previous step's code; the next step's code works.
    assert _verify(http, totp.at(clock.now() - STEP)).status_code == 400
    clock.advance(STEP)
    assert _verify(http, totp.at(clock.now())).status_code == 303


def test_the_enrolment_code_cannot_then_log_in(
    http: Any, session: Session, therapist: User
) -> None:
    with clock.frozen_at(MONDAY):
        totp, _, _ = _enrol(http, session, therapist)
        _login(http, therapist)
        assert _verify(http, totp.at(clock.now())).status_code == 400


def test_turning_it_off_needs_the_password_and_a_current_code(
    http: Any,
    session: Session,
    therapist: User,
    enrolled: tuple[pyotp.TOTP, list[str]],
    inbox: Inbox,
) -> None:
    totp, _ = enrolled
    http.as_(therapist)
    # The session alone is no longer enough.
    bare = http.post("/settings/two-factor/disable")
    assert bare.status_code == 422
    assert 'id="f-current_password-error"' in bare.text
    wrong_password = http.post(
        "/settings/two-factor/disable",
        data={"current_password": "not it", "code": totp.at(clock.now())},
    )
    assert wrong_password.status_code == 422
    assert "not your current password" in wrong_password.text
    wrong_code = http.post(
        "/settings/two-factor/disable",
        data={"current_password": factories.PASSWORD, "code": "123456"},
    )
    assert wrong_code.status_code == 422
    assert 'id="f-code-error"' in wrong_code.text
    session.refresh(therapist)
    assert therapist.totp_enabled
    done = http.post(
        "/settings/two-factor/disable",
        data={"current_password": factories.PASSWORD, "code": totp.at(clock.now())},
    )
    assert done.status_code == 303
    session.refresh(therapist)
    assert not therapist.totp_enabled
    assert therapist.totp_secret is None
    assert (
        session.exec(select(RecoveryCode).where(RecoveryCode.user_id == therapist.id)).all() == []
    )
    [notice] = inbox.messages
    assert notice["To"] == therapist.email
    assert notice["Subject"] == "Two-step login was turned off"


def test_starting_again_cannot_switch_it_off_without_the_code(
    http: Any, session: Session, therapist: User, enrolled: tuple[pyotp.TOTP, list[str]]
) -> None:
    session.refresh(therapist)
    sealed = therapist.totp_secret
    http.as_(therapist)
    again = http.post("/settings/two-factor/start")
    assert again.status_code == 409
    assert "already on" in again.text
    totp, _ = enrolled
    confirm = http.post("/settings/two-factor/confirm", data={"code": totp.at(clock.now())})
    assert confirm.status_code == 409
    session.refresh(therapist)
    assert therapist.totp_enabled
    assert therapist.totp_secret == sealed


def test_ten_recovery_codes_shown_once_downloadable_hashed_and_each_usable_once(
    http: Any, session: Session, therapist: User, inbox: Inbox
) -> None:
    with clock.frozen_at(MONDAY):
        _, codes, page = _enrol(http, session, therapist)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    download = re.search(
        r'href="(data:text/plain;charset=utf-8,[^"]+)" download="([^"]+)"', page.text
    )
    assert group(download, 2).endswith(".txt")
    text_file = unquote(group(download).split(",", 1)[1])
    assert all(code in text_file for code in codes)
    stored = session.exec(
        select(RecoveryCode.code_hash).where(RecoveryCode.user_id == therapist.id)
    ).all()
    assert len(stored) == 10
    assert not {c.replace("-", "") for c in codes} & {h.upper() for h in stored}
    # Shown once: the two-step page afterwards shows how many are left, never the codes.
    http.as_(therapist)
    later = http.get("/settings/two-factor")
    assert "10 recovery codes left" in later.text
    assert codes[0] not in later.text
    with clock.frozen_at(MONDAY + STEP):
        _login(http, therapist)
        typed = codes[3].lower().replace("-", " ")
        assert _verify(http, typed).status_code == 303
        _login(http, therapist)
        assert _verify(http, codes[3]).status_code == 400
        assert _verify(http, codes[4]).status_code == 303
    http.as_(therapist)
    assert "8 recovery codes left" in http.get("/settings/two-factor").text
    # Each use is told to the person by email, with how many are left.
    notices = [m for m in inbox.messages if m["Subject"] == "A recovery code was used to log in"]
    assert len(notices) == 2
    assert "You have 8 left" in notices[-1].get_content()


def test_new_recovery_codes_replace_the_old_ones(
    http: Any, therapist: User, enrolled: tuple[pyotp.TOTP, list[str]]
) -> None:
    totp, old = enrolled
    http.as_(therapist)
    page = http.post(
        "/settings/two-factor/recovery-codes",
        data={"current_password": factories.PASSWORD, "code": totp.at(clock.now())},
    )
    assert page.status_code == 200
    new = re.findall(r"<li><code>([A-Z0-9-]+)</code></li>", page.text)
    assert len(new) == 10
    assert not set(new) & set(old)
    clock.advance(STEP)
    _login(http, therapist)
    assert _verify(http, old[0]).status_code == 400
    assert _verify(http, new[0]).status_code == 303


def test_a_lost_phone_can_turn_it_off_with_a_recovery_code(
    http: Any, session: Session, therapist: User, enrolled: tuple[pyotp.TOTP, list[str]]
) -> None:
    _, codes = enrolled
    http.as_(therapist)
    done = http.post(
        "/settings/two-factor/disable",
        data={"current_password": factories.PASSWORD, "code": codes[0]},
    )
    assert done.status_code == 303
    session.refresh(therapist)
    assert not therapist.totp_enabled


def test_enrolment_offers_a_link_for_this_phone_and_a_key_to_type(
    http: Any, session: Session, therapist: User
) -> None:
    http.as_(therapist)
    page = http.post("/settings/two-factor/start")
    link = group(re.search(r'href="(otpauth://totp/[^"]+)"', page.text)).replace("&amp;", "&")
    query = parse_qs(urlsplit(link).query)
    assert query["issuer"] == ["Groundwork"]
    grouped = group(re.search(r"data-secret>([A-Z2-7 ]+)<", page.text))
    assert all(len(group) == 4 for group in grouped.split(" ")[:-1])
    assert grouped.replace(" ", "") == query["secret"][0]
    assert "<svg" in page.text
    session.refresh(therapist)
    # Stored sealed: the database alone does not give the key away.
    assert query["secret"][0] not in (therapist.totp_secret or "")
    assert two_factor.unseal(therapist.totp_secret) == query["secret"][0]


def test_sealed_secrets_survive_a_key_rotation(monkeypatch: Any, session: Session) -> None:
    settings = get_settings()
    old_key = settings.secret_key
    person = factories.client(session)
    secret, person.totp_secret = two_factor.new_secret()
    session.add(person)
    session.flush()
    monkeypatch.setattr(settings, "secret_key", "a brand new secret key for this test only")
    assert two_factor.unseal(person.totp_secret) is None  # the new key alone cannot open it
    monkeypatch.setattr(settings, "previous_secret_keys", [old_key])
    assert two_factor.unseal(person.totp_secret) == secret
    assert two_factor.reseal_all(session) == (1, 0)
    monkeypatch.setattr(settings, "previous_secret_keys", [])
    session.refresh(person)
    assert two_factor.unseal(person.totp_secret) == secret


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_the_migration_seals_existing_secrets_and_the_downgrade_opens_them(backend: str) -> None:
    from alembic import command

    def run(url: str) -> None:
        config = alembic_config(url)
        command.upgrade(config, "accounts_0001")
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO user_account (id, email, role, preferred_name, time_zone, country,"
                    " language, is_clinic_admin, totp_secret, totp_enabled, is_active, created_at)"
                    " VALUES (:id, 'x@example.test', 'therapist', 'X', 'UTC', 'GB', 'en', false,"
                    " :secret, true, true, :at)"
                ),
                {"id": "5f0c6a1e8a434d3c9d4e0e1f2a3b4c5d", "secret": PLAIN, "at": MONDAY},
            )
        command.upgrade(config, "accounts_0002")
        with engine.connect() as conn:
            sealed = conn.execute(text("SELECT totp_secret FROM user_account")).scalar_one()
        assert sealed != PLAIN
        assert two_factor.unseal(sealed) == PLAIN
        command.downgrade(config, "accounts_0001")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT totp_secret FROM user_account")).scalar_one() == PLAIN
        engine.dispose()

    if backend == "sqlite":
        run(sqlite_url("totp-migration"))
    else:
        with throwaway_postgres() as url:
            run(url)


PLAIN = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
