"""The daily email digest in a real browser: a therapist opts in on a phone-sized page, and the
one-click unsubscribe link works in a browser that is not logged in."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlmodel import Session, select

from app.accounts.models import User
from app.db import make_engine
from app.digest import tokens
from app.digest.models import DigestPreference
from tests.browser.fixtures import LiveServer, assert_accessible, login

pytestmark = pytest.mark.browser
DANIEL = "daniel@demo.groundwork.local"
PASSWORD = "groundwork-demo"


def stored(live_server: LiveServer) -> tuple[uuid.UUID, DigestPreference | None]:
    engine = make_engine(f"sqlite:///{live_server.data_dir / 'groundwork.db'}")
    try:
        with Session(engine) as session:
            daniel = session.exec(select(User).where(User.email == DANIEL)).one()
            return daniel.id, session.get(DigestPreference, daniel.id)
    finally:
        engine.dispose()


def test_therapist_opts_in_on_a_phone_and_unsubscribes_with_one_click(
    phone: Any, new_phone: Any, live_server: LiveServer
) -> None:
    from playwright.sync_api import expect

    login(phone, DANIEL, PASSWORD)
    phone.goto("/settings")
    phone.get_by_role("link", name="Digest settings").click()
    expect(phone.get_by_role("heading", name="Daily email digest", level=1)).to_be_visible()
    # An hour that is not on the list (a stale or edited form) comes back beside the field.
    phone.get_by_label("Send me a daily digest").check()
    phone.eval_on_selector(
        "#f-send_hour", "s => { s.add(new Option('99', '99')); s.value = '99'; }"
    )
    phone.get_by_role("button", name="Save").click()
    expect(phone.locator("#f-send_hour-error")).to_contain_text("Choose an hour from the list")
    expect(phone.get_by_label("Send me a daily digest")).to_be_checked()
    assert_accessible(phone, "digest-settings-error-phone")
    phone.get_by_label("Send me a daily digest").check()
    phone.get_by_label("Send it at").select_option("7")
    phone.get_by_role("button", name="Save").click()
    expect(phone.get_by_role("status")).to_contain_text("Your digest settings are saved.")
    expect(phone.get_by_label("Send me a daily digest")).to_be_checked()
    expect(phone.get_by_label("Send it at")).to_have_value("7")
    assert_accessible(phone, "digest-settings-phone")
    therapist_id, pref = stored(live_server)
    assert pref is not None
    assert (pref.enabled, pref.send_hour, pref.excerpts) == (True, 7, False)

    # The email's link, opened where nobody is logged in.
    secret = (live_server.data_dir / "secret_key").read_text().strip().encode()
    stranger = new_phone()
    stranger.goto(f"/digest/unsubscribe/{tokens.unsubscribe_token(secret, therapist_id)}")
    expect(stranger.get_by_role("heading", name="Stop the daily digest?")).to_be_visible()
    stranger.get_by_role("button", name="Stop these emails").click()
    expect(stranger.get_by_role("heading", name="Done")).to_be_visible()
    assert_accessible(stranger, "digest-unsubscribed-phone")
    _, pref = stored(live_server)
    assert pref is not None
    assert pref.enabled is False
