"""Two people edit one safety plan in real browsers: the stale save shows both versions side by
side, the person keeps both, and nothing either of them wrote is lost."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.fixtures import assert_accessible, login

pytestmark = pytest.mark.browser
PASSWORD = "groundwork-demo"
ALEX = "alex@demo.groundwork.local"
RUTH = "ruth@demo.groundwork.local"
SECTION = "1. Warning signs that a crisis may be coming"


def test_a_stale_safety_plan_save_shows_both_versions_and_merging_keeps_every_line(
    phone: Any, new_phone: Any
) -> None:
    therapist = phone
    login(therapist, RUTH, PASSWORD)
    therapist.goto("/caseload")
    therapist.get_by_role("link", name="Alex").first.click()
    therapist.get_by_role("link", name="Calm: episodes, what helps, safety plan").click()
    therapist.get_by_role("link", name="Safety plan").click()
    therapist.get_by_role("link", name="Change it").click()
    theirs_box = therapist.get_by_label(SECTION)
    original = theirs_box.input_value()

    client = new_phone()
    login(client, ALEX, PASSWORD)
    client.goto("/calm/safety-plan?edit=1")
    client.get_by_label(SECTION).fill(original + "\nNot answering my phone")
    client.get_by_role("button", name="Save").click()
    client.get_by_text("Saved. Your earlier versions are kept.").wait_for()

    # The therapist's page still holds the version from before Alex's save.
    theirs_box.fill(original + "\nCancelling plans with friends")
    therapist.get_by_role("button", name="Save").click()
    therapist.get_by_role("heading", name="This was changed while you were editing").wait_for()
    assert therapist.get_by_text("Alex saved a newer version").is_visible()
    current = therapist.locator("#c-warning_signs-current")
    assert "Not answering my phone" in current.inner_text()
    assert (
        "Cancelling plans with friends"
        in therapist.get_by_label("Yours: Warning signs that a crisis may be coming").input_value()
    )
    assert therapist.get_by_label("Keep both (the saved lines, then yours)").is_checked()
    assert therapist.viewport_size["width"] == 390
    assert_accessible(therapist, "versions-safety-plan-conflict")

    therapist.get_by_role("button", name="Save my choices").click()
    therapist.get_by_text("Saved. Your earlier versions are kept.").wait_for()
    view = therapist.locator(".plan-view").first.inner_text()
    assert "Not answering my phone" in view
    assert "Cancelling plans with friends" in view

    client.goto("/calm/safety-plan")
    mine = client.locator(".plan-view").first.inner_text()
    for line in [*original.splitlines(), "Not answering my phone", "Cancelling plans with friends"]:
        assert line.strip() in mine
