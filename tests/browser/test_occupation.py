"""On a phone (390 px): the client's activity diary on Today (also offline) and their activity
ratings; on a desktop: the therapist's assessment, review and discharge. Light and dark, axe 0."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from app.demo import DEMO_PASSWORD
from tests.browser.fixtures import assert_accessible, login

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 900}


def test_client_diary_on_today_offline_and_the_diary_page(phone: Any, new_phone: Any) -> None:
    page = phone
    login(page, "sam@demo.groundwork.local", DEMO_PASSWORD)  # Sam's diary week is running
    page.goto("/today")
    section = page.locator("#h-occupation").locator("..")
    expect(section).to_contain_text("of 7")
    assert_accessible(page, "occupation-today")
    block = section.locator("[data-diary-block]").first
    label = block.locator("h3").inner_text()

    # Offline: the tap waits on the phone and is sent when the network is back.
    page.context.set_offline(True)
    block.get_by_role("button", name=f"{label}: Rest").click()
    expect(block.get_by_text("Saved on this phone")).to_be_visible()
    # Back online: the tap is sent (once) and Today reloads to show what the server holds.
    with (
        page.expect_response(
            lambda r: r.url.endswith("/api/v1/occupation/diary") and r.status == 201
        ),
        page.expect_navigation(),
    ):
        page.context.set_offline(False)
    block = page.locator("#h-occupation").locator("..").locator("[data-diary-block]").first
    expect(block).to_contain_text("✓ Rest")

    page.goto("/occupation/diary")
    main = page.locator("main")
    expect(main).to_contain_text("Balance of the week")
    expect(main).to_contain_text("What lifts mood")
    page.get_by_label("What I did").fill("Bath and a podcast")
    block_key = label.lower()
    page.locator(
        "label.choice", has=page.locator(f'input[name="block"][value="{block_key}"]')
    ).click()
    page.locator("label.choice", has=page.locator('input[name="category"][value="rest"]')).click()
    page.get_by_label("How much I enjoyed it").select_option("7")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(r"/occupation/diary\?start=.*saved=1"))
    week = page.locator("#h-week").locator("..")
    expect(week).to_contain_text("Bath and a podcast")
    expect(week.locator(".oc-cell--rest").first).to_be_visible()
    assert_accessible(page, "occupation-diary-phone")

    dark = new_phone(color_scheme="dark", is_mobile=True, has_touch=True)
    login(dark, "sam@demo.groundwork.local", DEMO_PASSWORD)
    dark.goto("/occupation/diary")
    assert_accessible(dark, "occupation-diary-phone-dark")
    dark.goto("/occupation")
    assert_accessible(dark, "occupation-overview-phone-dark")


def test_client_rates_activities_on_a_phone(phone: Any, new_phone: Any) -> None:
    page = phone
    login(page, "alex@demo.groundwork.local", DEMO_PASSWORD)
    page.goto("/more")
    page.get_by_role("link", name=re.compile("My everyday life")).click()
    page.wait_for_url("**/occupation")
    assert_accessible(page, "occupation-overview-phone")
    page.get_by_role("link", name="Rate them").click()
    page.get_by_label("Add an activity").fill("Getting up on time")
    page.get_by_role("button", name="Add", exact=True).click()
    page.wait_for_url("**/occupation/activities#h-rate")
    rate = page.locator("#h-rate").locator("..")
    fieldsets = rate.locator("fieldset.oc-rate")
    expect(fieldsets).to_have_count(4)
    last = fieldsets.nth(3)
    expect(last.locator("legend")).to_have_text("Getting up on time")
    last.get_by_label("How much it matters to me").select_option("9")
    last.get_by_label("How well I do it now").select_option("3")
    last.get_by_label("How happy I am with how it goes").select_option("2")
    page.get_by_role("button", name="Save today's ratings").click()
    page.wait_for_url(re.compile(r"/occupation/activities\?saved=1"))
    history = page.locator("#h-history").locator("..")
    expect(history.locator("tbody tr")).to_have_count(3)
    expect(history).to_contain_text("a meaningful change")
    assert_accessible(page, "occupation-ratings-phone")
    page.goto("/occupation/profile")
    assert_accessible(page, "occupation-profile-phone")
    page.goto("/occupation/interests")
    assert_accessible(page, "occupation-interests-phone")

    dark = new_phone(color_scheme="dark")
    login(dark, "alex@demo.groundwork.local", DEMO_PASSWORD)
    dark.goto("/occupation/activities")
    assert_accessible(dark, "occupation-ratings-phone-dark")


def _sam(ot: Any) -> str:
    ot.goto("/caseload")
    ot.get_by_role("link", name="Sam", exact=True).first.click()
    ot.wait_for_url(re.compile(r"/caseload/[0-9a-f-]{36}$"))
    return str(ot.url.rsplit("/", 1)[-1])


def test_therapist_plans_reviews_and_discharges_on_a_desktop(new_phone: Any) -> None:
    ot = new_phone(viewport=DESKTOP)
    login(ot, "ruth@demo.groundwork.local", DEMO_PASSWORD)
    client_id = _sam(ot)
    ot.get_by_role("link", name="Assessment, care plan, review and discharge").click()
    ot.wait_for_url(f"**/caseload/{client_id}/occupation")
    main = ot.locator("main")
    expect(main).to_contain_text("Occupational balance")
    assert_accessible(ot, "occupation-therapist")
    interests = ot.locator("#h-interests").locator("..")
    interests.get_by_role("button", name="Make a routine: Gardening").click()
    ot.wait_for_url(re.compile(r"saved=routine"))
    expect(ot.locator("#h-interests").locator("..")).to_contain_text("Routine made")

    ot.get_by_role("link", name="Review", exact=True).click()
    ot.wait_for_url(f"**/caseload/{client_id}/occupation/review")
    for heading in (
        "Goals (GAS)",
        "Self-rated activities",
        "PHQ-9 and GAD-7",
        "Keeping to the plan",
    ):
        expect(ot.get_by_role("heading", name=heading)).to_be_visible()
    expect(main).to_contain_text("a meaningful change")
    assert_accessible(ot, "occupation-review")
    ot.locator("label.choice", has_text="Part of the way").click()
    ot.get_by_label("Notes").fill("Cooking twice a week now; the bus is next.")
    ot.get_by_role("button", name="Save the review").click()
    ot.wait_for_url(re.compile(r"/review\?saved=1"))
    expect(ot.locator("#h-outcome").locator("..")).to_contain_text("Part of the way")

    ot.goto(f"/caseload/{client_id}/occupation/discharge")
    ot.get_by_label("What helped").fill("The Sunday cooking routine and the walks.")
    ot.get_by_label("In their own words").fill("I feel more like me again.")
    ot.get_by_label("The plan to keep going").fill(
        "Keep cooking on Sundays; call the team if it slips."
    )
    ot.get_by_role("button", name="Save the summary").click()
    ot.wait_for_url(re.compile(r"/discharge\?saved=1"))
    expect(ot.locator("#h-preview").locator("..")).to_contain_text("I feel more like me again.")
    assert_accessible(ot, "occupation-discharge")
    with ot.expect_download() as download:
        ot.get_by_role("link", name="Download PDF").click()
    assert download.value.suggested_filename == "discharge-Sam.pdf"

    dark = new_phone(viewport=DESKTOP, color_scheme="dark")
    login(dark, "ruth@demo.groundwork.local", DEMO_PASSWORD)
    dark.goto(f"/caseload/{client_id}/occupation/review")
    assert_accessible(dark, "occupation-review-dark")
    dark.goto(f"/caseload/{client_id}/occupation")
    assert_accessible(dark, "occupation-therapist-dark")

    sam = new_phone()
    login(sam, "sam@demo.groundwork.local", DEMO_PASSWORD)
    sam.goto("/occupation/discharge")
    expect(sam.locator("main")).to_contain_text("I feel more like me again.")
    assert_accessible(sam, "occupation-discharge-client")
