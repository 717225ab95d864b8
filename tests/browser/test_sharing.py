"""On a phone: the client keeps their sensory profile private in Settings → What my therapist
sees; their therapist's sensory page no longer shows it, and the profile's own page answers 404.
axe finds 0 violations on the settings page and the therapist's page."""

from __future__ import annotations

import re
from typing import Any

import pytest

from app.demo import DEMO_PASSWORD
from tests.browser.fixtures import assert_accessible, login

pytestmark = pytest.mark.browser


def _sensory_page(ot: Any) -> tuple[str, str]:
    ot.goto("/caseload")
    ot.get_by_role("link", name="Sam", exact=True).first.click()
    ot.wait_for_url(re.compile(r"/caseload/[0-9a-f-]{36}$"))
    client_id = ot.url.rsplit("/", 1)[-1]
    ot.goto(f"/caseload/{client_id}/sensory")
    return client_id, ot.locator("#h-summary").locator("..").inner_text()


def test_client_keeps_their_sensory_profile_private(phone: Any, new_phone: Any) -> None:
    page = phone
    login(page, "sam@demo.groundwork.local", DEMO_PASSWORD)
    page.goto("/sensory/profile")
    page.locator(
        "label.choice", has=page.locator('input[name="r_vestibular"][value="seek"]')
    ).click()
    page.get_by_role("button", name="Save my answers").click()
    page.wait_for_url("**/sensory?saved=profile")

    ot = new_phone()
    login(ot, "ruth@demo.groundwork.local", DEMO_PASSWORD)
    _client_id, shared = _sensory_page(ot)
    assert "Sam tends to seek" in shared

    page.goto("/settings")
    page.get_by_role("link", name="Choose what I share").click()
    page.wait_for_url("**/settings/sharing")
    assert page.get_by_text("whatever you choose here").is_visible()
    assert_accessible(page, "sharing-settings")
    sensory = page.locator("fieldset", has=page.locator("#h-sensory"))
    sensory.locator("label.share-choice", has_text="Private").click()
    page.get_by_role("button", name="Save my choices").click()
    page.wait_for_url("**/settings/sharing?saved=1")
    assert page.get_by_role("status").is_visible()
    assert page.locator('input[name="sensory"][value="private"]').is_checked()
    assert_accessible(page, "sharing-settings-saved")

    client_id, private = _sensory_page(ot)
    assert "Sam tends to seek" not in private
    assert ot.get_by_role("link", name="Edit the profile").count() == 0
    assert_accessible(ot, "sharing-therapist-sensory")
    gone = ot.goto(f"/caseload/{client_id}/sensory/profile")
    assert gone is not None
    assert gone.status == 404
