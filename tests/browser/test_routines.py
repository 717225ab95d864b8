"""Routines on a phone: build from a template, run the player, see progress on Today and history."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from app.demo import DEMO_PASSWORD
from tests.browser.fixtures import assert_accessible, login

pytestmark = pytest.mark.browser
SAM = "sam@demo.groundwork.local"
RUTH = "ruth@demo.groundwork.local"


def test_build_from_template_run_it_and_see_it_on_today_and_history(phone: Any) -> None:
    page = phone
    login(page, SAM, DEMO_PASSWORD)
    page.goto("/routines/templates")
    assert_accessible(page, "routines-templates")
    page.get_by_role("button", name=re.compile(r"^Use\W+Leaving the house")).click()
    page.wait_for_url(re.compile(r"/routines/[0-9a-f-]+/edit"))
    routine_url = page.url.split("?")[0].removesuffix("/edit")
    assert_accessible(page, "routines-builder")

    # Three steps: remove two, then put "Lock the door" first with the keyboard-friendly button.
    # Each button posts a form and reloads the builder: wait for the new page before the next tap.
    for step in ("Check the weather", "Medication"):
        remove = page.get_by_role("button", name=re.compile(rf"^Remove\W+{step}"))
        remove.click()
        expect(remove).to_have_count(0)
    page.get_by_role("button", name=re.compile(r"^Move up\W+Lock the door")).click()
    expect(page.locator(".rt-step__title")).to_have_text(
        [
            "Keys, phone and wallet or purse",
            "Lock the door behind you",
            "Check the cooker and taps are off",
        ]
    )
    # Every day, so it is due whatever day the test runs.
    page.get_by_label("Every day").check()
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(r"saved=details"))

    page.get_by_role("link", name="Start this routine").click()
    page.get_by_text("Step 1 of 3").wait_for()
    assert_accessible(page, "routines-player")
    page.emulate_media(color_scheme="dark")
    assert_accessible(page, "routines-player-dark")
    page.emulate_media(color_scheme="light")
    page.get_by_role("button", name="Done", exact=True).click()
    page.get_by_text("Step 2 of 3").wait_for()
    page.get_by_role("button", name="Needed help").click()
    page.get_by_text("Step 3 of 3").wait_for()  # let the answer land before reloading
    page.reload()  # resume where left off
    page.get_by_text("Step 3 of 3").wait_for()
    page.get_by_role("button", name="Done", exact=True).click()
    page.get_by_text("3 of 3 steps").wait_for()
    assert_accessible(page, "routines-player-finished")

    for _ in range(2):  # the same after reloading
        page.goto("/today")
        card = page.locator(".rt-today__item", has_text="Leaving the house")
        assert card.locator("[data-progress]").inner_text() == "3 of 3 steps"
        page.reload()
    assert_accessible(page, "routines-today")

    for _ in range(2):
        page.goto(routine_url + "/history")
        today_cell = page.locator(".rt-heat--today")
        assert today_cell.get_attribute("data-level") == "4"
        assert "3 of 3 steps" in today_cell.inner_text()
        page.reload()
    assert_accessible(page, "routines-history")


def test_client_pages_and_bad_day_switch_are_accessible(phone: Any) -> None:
    page = phone
    login(page, SAM, DEMO_PASSWORD)
    page.goto("/routines")
    assert_accessible(page, "routines-list")
    page.goto("/routines/new")
    page.get_by_label("Chosen days").check()
    assert page.get_by_role("checkbox", name="Monday").is_visible()
    assert_accessible(page, "routines-new")
    page.get_by_label("Name").fill("Walk")
    page.get_by_role("button", name="Save and add steps").click()
    expect(page.locator("#f-days-error")).to_be_visible()
    assert page.get_by_label("Name").input_value() == "Walk"
    page.goto("/routines/calendar")
    page.get_by_role("button", name="Make my calendar link").click()
    feed_url = page.locator("#feed-url").input_value()
    assert "/calendar/" in feed_url
    assert_accessible(page, "routines-calendar")
    response = page.request.get(feed_url)
    assert response.status == 200
    assert b"BEGIN:VEVENT" in response.body()
    page.goto("/routines")
    page.get_by_role("link", name="Getting up", exact=True).click()
    page.get_by_role("link", name=re.compile(r"^Edit\W+Turn off the alarm")).click()
    expect(page.get_by_label("What to do")).to_have_value("Turn off the alarm and sit up")
    assert_accessible(page, "routines-step")
    page.goto("/routines/today")
    assert_accessible(page, "routines-today-page")
    page.goto("/today")
    card = page.locator(".rt-today__item", has_text="Getting up")
    switch = card.get_by_role("switch")
    if switch.count():
        switch.click()
        card = page.locator(".rt-today__item", has_text="Getting up")
        assert card.get_by_role("switch").get_attribute("aria-checked") == "true"
        assert "bad-day version" in card.inner_text()


def test_therapist_routines_pages_are_accessible(phone: Any) -> None:
    page = phone
    login(page, RUTH, DEMO_PASSWORD)
    page.goto("/caseload")
    page.get_by_role("link", name=re.compile("Sam")).first.click()
    client_id = re.search(r"/caseload/([0-9a-f-]{36})", page.url)
    assert client_id
    base = f"/caseload/{client_id.group(1)}/routines"
    page.goto(base)
    assert_accessible(page, "routines-caseload")
    page.get_by_role("link", name=re.compile(r"^History\W+of")).first.click()
    expect(page.get_by_text("How each step went")).to_be_visible()
    assert_accessible(page, "routines-therapist-history")
    page.goto(base)
    page.locator("tbody th a").first.click()
    assert_accessible(page, "routines-therapist-builder")
    page.get_by_role("button", name="Save as clinic template").click()
    page.goto("/library/routines")
    assert page.locator(".rt-card").count() >= 1
    assert_accessible(page, "routines-library")
    page.goto(base + "/templates")
    assert_accessible(page, "routines-therapist-templates")
