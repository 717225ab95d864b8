"""Two people in two browsers: the therapist assigns homework, the client (phone, 390x844) accepts
and completes it with a reflection, the therapist sees it, replies, rates a goal and downloads the
progress report PDF (checked for pages and the client's name). Every page is checked with axe."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from app import clock
from app.demo import DEMO_PASSWORD
from tests.browser.fixtures import assert_accessible, login
from tests.progress import pdf_facts

pytestmark = pytest.mark.browser


def test_homework_loop_goal_rating_and_pdf(browser: Any, live_server: Any, phone: Any) -> None:
    desk = browser.new_context(
        viewport={"width": 1200, "height": 900}, base_url=live_server.url, accept_downloads=True
    )
    desk.set_default_timeout(15_000)
    ot = desk.new_page()
    try:
        login(ot, "ruth@demo.groundwork.local", DEMO_PASSWORD)
        ot.goto("/dashboard")
        expect(ot.get_by_role("heading", name="Caseload dashboard")).to_be_visible()
        assert_accessible(ot, "progress-dashboard")
        ot.get_by_role("link", name="Sam", exact=True).click()
        ot.get_by_role("link", name="Homework: set, review, reply").click()
        assert_accessible(ot, "homework-therapist-list")
        ot.get_by_label("Kind of homework").select_option("task")
        ot.get_by_label("Title").fill("Write three things that went well")
        ot.get_by_label("Instructions").fill(
            "Each evening, before bed, in a notebook or on your phone."
        )
        due = (clock.local_today("Europe/London") + timedelta(days=5)).isoformat()
        ot.get_by_label("Due date (or the next session)").fill(due)
        ot.get_by_role("button", name="Set homework").click()
        expect(ot.get_by_text("Homework set.")).to_be_visible()
        homework_url = ot.url.split("?")[0]

        login(phone, "sam@demo.groundwork.local", DEMO_PASSWORD)
        phone.goto("/today")
        phone.get_by_role("link", name="Write three things that went well").click()
        assert_accessible(phone, "homework-client-new")
        phone.get_by_role("button", name="Yes, I'll do this").click()
        expect(phone.get_by_text("Accepted.")).to_be_visible()
        phone.locator("#f-difficulty").get_by_role("radio", name="2", exact=True).check()
        phone.locator("#f-helpfulness").get_by_role("radio", name="4", exact=True).check()
        phone.get_by_label("A few words about how it went").fill(
            "Found two easily, the third took a while."
        )
        phone.get_by_role("button", name="Save", exact=True).click()
        expect(phone.get_by_text("Saved. Thank you")).to_be_visible()
        assert_accessible(phone, "homework-client-done")
        phone.goto("/measures/phq9")
        assert_accessible(phone, "progress-client-phq9")

        ot.goto(homework_url)
        expect(ot.get_by_text("Found two easily, the third took a while.")).to_be_visible()
        ot.get_by_label("Reply to Sam").fill("Well done. Notice which one came first.")
        ot.get_by_role("button", name="Send reply").click()
        expect(ot.get_by_text("Reply sent.")).to_be_visible()
        assert_accessible(ot, "homework-therapist-item")

        client_url = homework_url.split("/homework/")[0]
        ot.goto(client_url + "/progress/goals")
        first_goal = ot.locator("fieldset.pg-goal").first
        first_goal.get_by_text("Three meals a week").click()
        ot.get_by_role("button", name="Save ratings").click()
        expect(ot.get_by_text("Ratings saved.")).to_be_visible()
        assert_accessible(ot, "progress-goals")
        ot.goto(client_url + "/progress")
        assert_accessible(ot, "progress-client-digest")
        ot.goto(client_url + "/progress/report")
        ot.get_by_role("button", name="Download PDF").click()
        # Made in the report worker: the page refreshes itself until the PDF is ready.
        expect(
            ot.get_by_role("heading", name="Preparing the report…").or_(
                ot.get_by_role("heading", name="The report is ready")
            )
        ).to_be_visible()
        assert_accessible(ot, "progress-report-job")
        ready = ot.get_by_role("link", name="Download the report (PDF)")
        expect(ready).to_be_visible(timeout=60_000)
        assert_accessible(ot, "progress-report-ready")
        with ot.expect_download() as info:
            ready.click()
        pdf = Path(info.value.path()).read_bytes()
        assert pdf.startswith(b"%PDF-")
        assert pdf_facts.page_count(pdf) >= 1
        assert "Progress report: Sam" in pdf_facts.strings(pdf)
        ot.goto(client_url + "/progress/report?view=print")
        expect(ot.get_by_role("heading", name="Progress report: Sam")).to_be_visible()
        assert_accessible(ot, "progress-report-print")
    finally:
        desk.close()


def test_therapist_pages_are_accessible_on_a_phone(phone: Any) -> None:
    login(phone, "daniel@demo.groundwork.local", DEMO_PASSWORD)
    phone.goto("/dashboard")
    assert_accessible(phone, "progress-dashboard-phone")
    phone.get_by_role("link", name="Jordan", exact=True).click()
    base = phone.url.split("?")[0]
    for suffix, name in (
        ("/progress/measures", "progress-measures"),
        ("/progress/notes", "progress-notes"),
        ("/progress/report", "progress-report-form"),
        ("/homework", "homework-list-phone"),
    ):
        phone.goto(base + suffix)
        assert_accessible(phone, name)
