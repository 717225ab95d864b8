"""The therapist's client progress page in a real browser: the five domain charts with their
tables open, in light and dark mode, with axe at 0 violations (screenshots in test-artifacts/)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from app.demo import DEMO_PASSWORD
from tests.browser.fixtures import assert_accessible, login

pytestmark = pytest.mark.browser

TITLES = (
    "Routines by day (steps done of steps planned)",
    "Self-care habits by day (days done of days planned)",
    "Distress before and after, per strategy (0 to 10)",
    "Mood and energy (1 to 5)",
    "Habit levels over time",
)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_progress_charts_with_tables_are_accessible(
    browser: Any, live_server: Any, scheme: str
) -> None:
    desk = browser.new_context(
        viewport={"width": 1100, "height": 900}, base_url=live_server.url, color_scheme=scheme
    )
    desk.set_default_timeout(15_000)
    page = desk.new_page()
    try:
        login(page, "ruth@demo.groundwork.local", DEMO_PASSWORD)
        page.goto("/dashboard")
        page.get_by_role("link", name="Sam", exact=True).click()
        expect(page.get_by_role("heading", name="Sam")).to_be_visible()
        assert_accessible(page, f"foundation-client-page-{scheme}")
        page.get_by_role("link", name="Since last session and charts").click()
        expect(page.get_by_role("heading", name="Charts")).to_be_visible()
        for title in TITLES:
            figure = page.locator("figure.pg-chart", has_text=title)
            expect(figure).to_have_count(1)
            summary = figure.locator("summary")
            if summary.count():  # a chart with data: open its table of numbers
                summary.click()
                expect(figure.locator("table")).to_be_visible()
                expect(figure.get_by_role("img", name=title)).to_be_visible()
        assert_accessible(page, f"progress-charts-{scheme}")
    finally:
        desk.close()
