"""On a phone: fill in the sensory profile, see the summary, plan a diet item, check it off on Today;
then the therapist sees the plan. axe finds 0 violations on each page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from app.demo import DEMO_PASSWORD
from tests.browser.fixtures import assert_accessible, login

pytestmark = pytest.mark.browser


def _pick(page: Any, name: str, value: str) -> None:
    """Tap the whole answer tile, as a person would (not the small radio inside it)."""
    page.locator("label.choice", has=page.locator(f'input[name="{name}"][value="{value}"]')).click()


def test_sensory_profile_diet_and_today_on_a_phone(phone: Any, new_phone: Any) -> None:
    page = phone
    login(page, "sam@demo.groundwork.local", DEMO_PASSWORD)
    page.goto("/sensory/profile")
    assert_accessible(page, "sensory-profile")
    _pick(page, "r_vestibular", "seek")
    _pick(page, "r_proprioceptive", "seek")
    _pick(page, "r_auditory", "avoid")
    _pick(page, "r_visual", "overwhelmed")
    _pick(page, "triggers", "loud_sudden_noise")
    page.get_by_role("button", name="Save my answers").click()
    page.wait_for_url("**/sensory?saved=profile")
    summary = page.locator("#h-summary").locator("..")
    assert "You tend to seek deep pressure and movement." in summary.inner_text()
    assert "Bright or busy sights can get too much for you." in summary.inner_text()
    assert_accessible(page, "sensory-summary")

    page.goto("/sensory/kit")
    assert_accessible(page, "sensory-kit")

    page.goto("/sensory/diet")
    page.get_by_label("Activity", exact=True).select_option("chewing_gum")
    page.get_by_label("Time", exact=True).fill("11:15")
    page.get_by_role("button", name="Add to the plan").click()
    page.wait_for_url("**/sensory/diet?added=1")
    assert page.get_by_text("Added to the plan").is_visible()
    assert_accessible(page, "sensory-diet")

    page.goto("/today")
    row = page.locator("#h-sensory").locator("..").locator("li", has_text="Chew gum")
    row.get_by_text("Add how I felt before").click()
    row.locator("label.choice", has_text="Before: too high").click()
    row.get_by_role("button", name="Just right").click()
    page.wait_for_url("**/today#h-sensory")
    done = page.locator("#h-sensory").locator("..").locator("li", has_text="Chew gum")
    assert "Done · felt just right" in done.inner_text()
    assert_accessible(page, "sensory-today")

    # Offline: the check-off waits on the phone and is sent when the network is back.
    page.context.set_offline(True)
    rocking = page.locator("#h-sensory").locator("..").locator("li", has_text="Rocking chair")
    rocking.get_by_role("button", name="Too high").click()
    expect(rocking.get_by_text("Saved on this phone")).to_be_visible()
    with page.expect_navigation():
        page.context.set_offline(False)
    rocking = page.locator("#h-sensory").locator("..").locator("li", has_text="Rocking chair")
    expect(rocking).to_contain_text("Done · felt too high")

    ot = new_phone()
    login(ot, "ruth@demo.groundwork.local", DEMO_PASSWORD)
    ot.goto("/caseload")
    ot.get_by_role("link", name="Sam", exact=True).first.click()
    ot.wait_for_url(re.compile(r"/caseload/[0-9a-f-]{36}$"))
    client_id = ot.url.rsplit("/", 1)[-1]
    ot.locator(f'a[href="/caseload/{client_id}/sensory"]').click()
    ot.wait_for_url(f"**/caseload/{client_id}/sensory")
    text = ot.locator("main").inner_text()
    assert "Sam tends to seek deep pressure and movement." in text
    assert "Chew gum" in text
    assert_accessible(ot, "sensory-therapist")
    ot.get_by_role("link", name="Plan activities").click()
    ot.wait_for_url("**/sensory/diet")
    assert_accessible(ot, "sensory-therapist-diet")
    ot.get_by_role("link", name="Change Chew gum").click()
    ot.get_by_label("Time", exact=True).fill("11:45")
    ot.get_by_role("button", name="Save changes").click()
    ot.wait_for_url("**/sensory/diet?added=0")
    assert "11:45" in ot.locator("main").inner_text()
    ot.get_by_role("link", name="Change Chew gum").click()
    assert_accessible(ot, "sensory-diet-edit")
    ot.goto("/library")
    ot.get_by_role("link", name="Sensory diet activities").click()
    expect(ot.get_by_text("Only as taught").first).to_be_visible()
    assert_accessible(ot, "sensory-library")
