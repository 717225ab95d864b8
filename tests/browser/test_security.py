"""Sign-up by emailed link and two-step login with recovery codes, in a real browser on a phone."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pyotp
import pytest

from tests.browser.fixtures import LiveServer, assert_accessible

pytestmark = pytest.mark.browser
PASSWORD = "a calm river flows"


def group(found: re.Match[str] | None, n: int = 1) -> str:
    """The match's group, failing the test (not crashing) when the page lacks it."""
    assert found is not None
    return found.group(n)


def _sign_up(phone: Any, live_server: LiveServer, email: str) -> None:
    phone.goto("/signup")
    phone.get_by_label("What should we call you?").fill("Ari")
    phone.get_by_label("Email").fill(email)
    phone.get_by_label("Password", exact=True).fill(PASSWORD)
    phone.get_by_label("Password again").fill(PASSWORD)
    phone.get_by_role("button", name="Create account").click()
    phone.get_by_role("heading", name="Check your email").wait_for()
    assert_accessible(phone, "signup-check-email")
    body = live_server.mailbox.body_of(live_server.mailbox.last_to(email))
    path = group(re.search(r"http://127\.0\.0\.1:\d+(/signup/confirm/\S+)", body))
    phone.goto(path)
    assert_accessible(phone, "signup-confirm")
    phone.get_by_role("button", name="Start using Groundwork").click()
    phone.wait_for_url("**/today")


def test_sign_up_then_two_step_login_with_a_recovery_code(
    phone: Any, live_server: LiveServer, tmp_path: Path
) -> None:
    email = f"ari-{uuid.uuid4().hex[:6]}@example.test"
    _sign_up(phone, live_server, email)

    phone.goto("/settings/two-factor")
    phone.get_by_role("button", name="Start").click()
    link = phone.get_by_role("link", name="Add to an authenticator app on this phone")
    assert link.get_attribute("href").startswith("otpauth://totp/Groundwork:")
    key = phone.locator("[data-secret]").inner_text()
    assert re.fullmatch(r"([A-Z2-7]{4} )+[A-Z2-7]{1,4}", key)
    assert_accessible(phone, "two-factor-enrol")
    phone.get_by_label("6-digit code").fill(pyotp.TOTP(key.replace(" ", "")).now())
    phone.get_by_role("button", name="Turn on").click()
    phone.get_by_role("heading", name="Your recovery codes").wait_for()
    codes = phone.locator("[data-recovery-codes] code").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(phone, "two-factor-recovery-codes")
    with phone.expect_download() as downloading:
        phone.get_by_role("link", name="Download as a text file").click()
    saved = tmp_path / downloading.value.suggested_filename
    downloading.value.save_as(saved)
    assert saved.name.endswith(".txt")
    assert all(code in saved.read_text() for code in codes)

    # Log out, and back in without the phone: a recovery code opens the two-step page, once.
    phone.goto("/settings")
    phone.get_by_role("button", name="Log out", exact=True).click()
    phone.goto("/login")
    phone.get_by_label("Email").fill(email)
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Log in").click()
    phone.wait_for_url("**/login/verify")
    assert_accessible(phone, "two-factor-verify")
    phone.get_by_label("6-digit code or recovery code").fill(codes[0])
    phone.get_by_role("button", name="Continue").click()
    phone.wait_for_url("**/today")

    phone.goto("/settings/two-factor")
    phone.get_by_text("9 recovery codes left").wait_for()
    assert_accessible(phone, "two-factor-manage")
    phone.get_by_label("Your password").fill(PASSWORD)
    phone.get_by_label("6-digit code, or a recovery code").fill(codes[1])
    phone.get_by_role("button", name="Turn off two-step login").click()
    phone.wait_for_url("**/settings?saved=two-factor-off")
