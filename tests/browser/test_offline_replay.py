"""The phone's offline queue on a real server and Chromium: a check-in tapped offline at 23:50 and
sent at 00:20 counts for the day it was tapped; a busy server's 503 + Retry-After is waited out,
then the write is sent once (issues 16.8 and 15.2)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Route, expect

from app.demo import DEMO_PASSWORD
from tests.browser.fixtures import PHONE, ShiftedServer, login, shifted_clock_server

pytestmark = pytest.mark.browser
JORDAN = "jordan@demo.groundwork.local"  # America/New_York, no washing habit in the demo
NEW_YORK = ZoneInfo("America/New_York")
RETRY_AFTER_S = 30


@pytest.fixture(scope="module")
def server() -> Iterator[ShiftedServer]:
    with shifted_clock_server("gw-offline-") as running:
        yield running


def _check_in_days(server: ShiftedServer, habit_id: str) -> list[date]:
    with sqlite3.connect(server.data_dir / "groundwork.db") as db:
        rows = db.execute(
            "SELECT done_on FROM habit_check_in WHERE habit_id = ?",
            (habit_id.replace("-", ""),),
        ).fetchall()
    return [date.fromisoformat(r[0]) for r in rows]


def test_a_tap_before_midnight_replayed_after_it_counts_for_the_day_tapped(
    browser: Any, server: ShiftedServer
) -> None:
    # Tomorrow night in Jordan's zone, ten minutes before midnight: on the server and the phone.
    tap_day = datetime.now(UTC).astimezone(NEW_YORK).date() + timedelta(days=1)
    before_midnight = datetime.combine(tap_day, time(23, 50), tzinfo=NEW_YORK)
    server.set_now(before_midnight - timedelta(minutes=5))
    context = browser.new_context(
        viewport=PHONE,
        base_url=server.url,
        is_mobile=True,
        has_touch=True,
        timezone_id="America/New_York",
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.clock.install(time=before_midnight - timedelta(minutes=5))
    try:
        login(page, JORDAN, DEMO_PASSWORD)
        token = page.locator('meta[name="csrf-token"]').get_attribute("content")
        started = page.request.post(
            "/api/v1/habits",
            data={"ladder": "washing", "level": 1},
            headers={"X-CSRF-Token": token},
        )
        assert started.status == 201, started.text()
        habit_id = started.json()["id"]
        page.goto("/today")
        item = page.locator(f"#habit-{habit_id}")

        # 23:50: the connection drops and Jordan taps "Done"; the phone keeps it.
        page.clock.pause_at(before_midnight)
        page.context.set_offline(True)
        item.get_by_role("button", name="Done: Washing").click()
        expect(item).to_contain_text("Saved on this phone")

        # 00:20: back online. The server is busy for the first send and asks to retry later.
        after_midnight = before_midnight + timedelta(minutes=30)
        server.set_now(after_midnight)
        page.clock.pause_at(after_midnight)
        answers: list[int] = []

        def busy_once(route: Route) -> None:
            if not answers:
                answers.append(503)
                route.fulfill(
                    status=503,
                    headers={"Retry-After": str(RETRY_AFTER_S)},
                    content_type="application/problem+json",
                    body='{"title": "Busy", "status": 503}',
                )
                return
            answers.append(0)  # sent on to the real server
            route.continue_()

        page.route("**/api/v1/habits/*/check-ins", busy_once)
        with page.expect_response(lambda r: r.url.endswith("/check-ins") and r.status == 503):
            page.context.set_offline(False)
        assert answers == [503]
        # Nothing is resent before Retry-After has passed...
        page.clock.run_for((RETRY_AFTER_S - 5) * 1000)
        assert answers == [503]
        # ...then the same write goes once, and Today reloads with what the server holds.
        sent = page.expect_response(lambda r: r.url.endswith("/check-ins") and r.status == 201)
        with sent, page.expect_event("load"):
            page.clock.run_for(10 * 1000)
        expect(page.locator(f"#habit-{habit_id}")).not_to_contain_text("Done today")
        assert answers == [503, 0]
        assert _check_in_days(server, habit_id) == [tap_day]  # not the replay day
        # A later page load finds nothing waiting: no second send.
        page.goto("/today")
        page.wait_for_load_state("networkidle")
        assert answers == [503, 0]
        assert _check_in_days(server, habit_id) == [tap_day]
    finally:
        context.close()
