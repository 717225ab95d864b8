"""The phone app with no signal (issue 20), on a real server and Chromium: Today opens offline from
the phone's copy, marked with when it was fetched, with the tab bar; habit check-ins tapped offline
show at once, can be undone while they wait, are still shown as waiting after the app is reopened,
and each arrives once, on the day it was tapped, when the phone is back online (a tap at 23:50 sent
at 00:20). With nothing kept, opening the app offline offers calm, the safety plan and the crisis
lines. Text answers arrive gzipped over the wire."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from app.demo import DEMO_PASSWORD
from tests.browser.fixtures import (
    PHONE,
    ShiftedServer,
    assert_accessible,
    login,
    shifted_clock_server,
)

pytestmark = pytest.mark.browser
JORDAN = "jordan@demo.groundwork.local"  # America/New_York; no washing or teeth habit in the demo
NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture(scope="module")
def server() -> Iterator[ShiftedServer]:
    with shifted_clock_server("gw-offline-app-") as running:
        yield running


def _check_ins(server: ShiftedServer, habit_id: str) -> list[tuple[date, str]]:
    with sqlite3.connect(server.data_dir / "groundwork.db") as db:
        rows = db.execute(
            "SELECT done_on, outcome FROM habit_check_in WHERE habit_id = ?",
            (habit_id.replace("-", ""),),
        ).fetchall()
    return [(date.fromisoformat(r[0]), r[1]) for r in rows]


def _phone(browser: Any, server: ShiftedServer) -> Any:
    context = browser.new_context(
        viewport=PHONE,
        base_url=server.url,
        device_scale_factor=1,
        is_mobile=True,
        has_touch=True,
        timezone_id="America/New_York",
    )
    context.set_default_timeout(15_000)
    return context


def _start_habit(page: Page, ladder: str) -> str:
    token = page.locator('meta[name="csrf-token"]').get_attribute("content") or ""
    started = page.request.post(
        "/api/v1/habits", data={"ladder": ladder, "level": 1}, headers={"X-CSRF-Token": token}
    )
    assert started.status == 201, started.text()
    return str(started.json()["id"])


def _controlled(page: Page) -> None:
    """Wait for the service worker, then load Today through it so the phone keeps a copy."""
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.goto("/today")
    page.wait_for_load_state("networkidle")


def test_today_works_offline_and_each_tap_arrives_once_on_the_day_tapped(
    browser: Any, server: ShiftedServer
) -> None:
    tap_day = datetime.now(UTC).astimezone(NEW_YORK).date() + timedelta(days=1)
    before_midnight = datetime.combine(tap_day, time(23, 50), tzinfo=NEW_YORK)
    server.set_now(before_midnight - timedelta(minutes=5))
    context = _phone(browser, server)
    page = context.new_page()
    page.clock.install(time=before_midnight - timedelta(minutes=5))
    try:
        login(page, JORDAN, DEMO_PASSWORD)
        washing, teeth = _start_habit(page, "washing"), _start_habit(page, "teeth")
        page.goto("/today")
        _controlled(page)

        # 23:50, no signal: two check-ins, and a "Partly" changed to "Done" with undo.
        page.clock.pause_at(before_midnight)
        context.set_offline(True)
        first, second = page.locator(f"#habit-{washing}"), page.locator(f"#habit-{teeth}")
        first.get_by_role("button", name="Done: Washing").click()
        expect(first).to_contain_text("Done. Saved on this phone, waiting to be sent.")
        # The page updates at once: no second tap is invited.
        expect(first.get_by_role("button", name="Done: Washing")).to_be_hidden()
        second.get_by_role("button", name="Partly: Brushing teeth").click()
        expect(second).to_contain_text("Partly done. Saved on this phone")
        second.get_by_role("button", name="Undo Partly done").click()
        expect(second).to_contain_text("Undone. Nothing was sent.")
        second.get_by_role("button", name="Done: Brushing teeth").click()
        expect(second).to_contain_text("Done. Saved on this phone")

        # The app is closed and opened again from the home screen, still offline.
        page.close()
        page = context.new_page()
        page.goto("/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Jordan")
        expect(page.locator("[data-fetched-note]")).to_be_visible()
        expect(page.locator("[data-fetched-note]")).to_contain_text("Shown from this phone")
        expect(page.get_by_role("navigation", name="Main")).to_contain_text("Calm")
        for habit in (washing, teeth):
            expect(page.locator(f"#habit-{habit}")).to_contain_text("waiting to be sent")
        page.clock.resume()  # axe waits on timers
        assert_accessible(page, "today-offline")
        assert _check_ins(server, washing) == []
        assert _check_ins(server, teeth) == []

        # 00:20, back online: both are sent once, filed under the day of the tap.
        after_midnight = before_midnight + timedelta(minutes=30)
        server.set_now(after_midnight)
        page.clock.pause_at(after_midnight)
        sent: list[str] = []
        page.on(
            "response",
            lambda r: sent.append(r.url) if r.url.endswith("/check-ins") else None,
        )
        with page.expect_event("load"):
            context.set_offline(False)
        page.wait_for_load_state("networkidle")
        assert sorted(sent) == sorted(
            f"{server.url}/api/v1/habits/{h}/check-ins" for h in (washing, teeth)
        )
        assert _check_ins(server, washing) == [(tap_day, "done")]
        assert _check_ins(server, teeth) == [(tap_day, "done")]  # the undone "Partly" never left
        # Opening the app again sends nothing more.
        page.goto("/today")
        page.wait_for_load_state("networkidle")
        assert len(sent) == 2
        expect(page.locator("[data-fetched-note]")).to_be_hidden()
    finally:
        context.close()


def test_opening_the_app_offline_with_nothing_kept_offers_calm_safety_plan_and_crisis_lines(
    browser: Any, server: ShiftedServer
) -> None:
    context = _phone(browser, server)
    page = context.new_page()
    try:
        page.goto("/login")
        page.evaluate("async () => { await navigator.serviceWorker.ready; }")
        context.set_offline(True)
        page.goto("/")
        expect(page.get_by_role("heading", name="You're offline")).to_be_visible()
        for name in ("Calm now", "My safety plan", "Crisis lines"):
            expect(page.get_by_role("link", name=name)).to_be_visible()
        assert_accessible(page, "offline-start")
        page.get_by_role("link", name="Calm now").click()
        expect(
            page.get_by_role("heading", name="How strong is the distress right now?")
        ).to_be_visible()
    finally:
        context.close()


def test_text_answers_are_gzipped_over_the_wire(browser: Any, server: ShiftedServer) -> None:
    context = _phone(browser, server)
    page = context.new_page()
    try:
        answers: dict[str, Any] = {}
        page.on("response", lambda r: answers.setdefault(r.url.split("?")[0], r))
        page.goto("/calm-now")
        page.wait_for_load_state("networkidle")
        manifest = page.request.get("/manifest.webmanifest")
        assert manifest.headers["content-encoding"] == "gzip"
        for path, kind in [
            ("/calm-now", "text/html"),
            ("/static/css/app.css", "text/css"),
            ("/static/coping/flow.js", "text/javascript"),
        ]:
            response = answers[server.url + path]
            headers = response.all_headers()
            assert headers["content-encoding"] == "gzip", path
            assert headers["content-type"].startswith(kind)
            sizes = response.request.sizes()
            # What crossed the wire is the compressed body, well under the page itself.
            assert sizes["responseBodySize"] * 2 < len(response.body()), (path, sizes)
    finally:
        context.close()


IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def test_the_install_suggestion_comes_on_the_second_visit_and_goes_for_good(
    browser: Any, server: ShiftedServer
) -> None:
    context = browser.new_context(
        viewport=PHONE, base_url=server.url, is_mobile=True, has_touch=True, user_agent=IPHONE
    )
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        login(page, "priya@demo.groundwork.local", DEMO_PASSWORD)
        page.goto("/today")
        hint = page.get_by_role("complementary", name="Add to home screen")
        expect(hint).to_be_hidden()  # the first visit asks nothing
        page.close()

        page = context.new_page()  # opening the app again: the second visit
        page.goto("/today")
        hint = page.get_by_role("complementary", name="Add to home screen")
        expect(hint).to_be_visible()
        expect(hint).to_contain_text('tap the Share button, then "Add to Home Screen"')
        hint.scroll_into_view_if_needed()
        assert_accessible(page, "install-suggestion")
        hint.get_by_role("button", name="No thanks").click()
        expect(hint).to_be_hidden()
        page.close()

        page = context.new_page()  # and never again
        page.goto("/today")
        expect(page.get_by_role("complementary", name="Add to home screen")).to_be_hidden()
    finally:
        context.close()


def test_chromium_gets_an_add_button_that_opens_its_install_dialog(
    browser: Any, server: ShiftedServer
) -> None:
    context = _phone(browser, server)
    try:
        page = context.new_page()
        login(page, "priya@demo.groundwork.local", DEMO_PASSWORD)
        page.close()
        page = context.new_page()
        page.goto("/today")
        # Headless Chromium does not judge the app installable by itself: the event it would
        # send is sent here, with the prompt() the page must call.
        page.evaluate(
            """() => {
                const event = new Event("beforeinstallprompt");
                event.prompt = () => { window.promptShown = true; };
                event.userChoice = Promise.resolve({ outcome: "accepted" });
                dispatchEvent(event);
            }"""
        )
        hint = page.get_by_role("complementary", name="Add to home screen")
        expect(hint.get_by_role("button", name="Add to home screen")).to_be_visible()
        expect(hint.get_by_text("On iPhone")).to_be_hidden()
        hint.get_by_role("button", name="Add to home screen").click()
        expect(hint).to_be_hidden()
        assert page.evaluate("() => window.promptShown") is True
    finally:
        context.close()


def _two_taps_to_a_guided_step(page: Page) -> None:
    page.get_by_role("link", name="Need help now").click()  # tap 1
    start = page.get_by_role("button", name="Start ")
    expect(start).to_be_visible()
    expect(page.get_by_role("heading", name="You don't have to do this alone")).to_be_visible()
    start.click()  # tap 2
    expect(page.locator(".calm-player")).to_be_visible()


def test_from_today_a_guided_calm_step_is_two_taps_away_online_and_offline(
    browser: Any, server: ShiftedServer
) -> None:
    context = _phone(browser, server)
    page = context.new_page()
    try:
        login(page, "sam@demo.groundwork.local", DEMO_PASSWORD)
        page.goto("/calm")  # the calm flow syncs this person's ranking to the phone
        page.evaluate("async () => { await navigator.serviceWorker.ready; }")
        _controlled(page)
        page.get_by_role("link", name="Need help now").click()
        card = page.locator(".calm-now-card")
        title = card.get_by_role("heading", level=2).inner_text()
        # The first-ranked strategy's cautions, all of them, are on this screen before Start.
        cautions = page.evaluate(
            """(title) => JSON.parse(document.getElementById("calm-library").textContent)
                .strategies.filter((s) => s.title === title).flatMap((s) => s.cautions)""",
            title,
        )
        assert card.locator(".calm-cautions li").all_inner_texts() == cautions
        assert_accessible(page, "need-help-now")
        page.goto("/today")
        _two_taps_to_a_guided_step(page)

        context.set_offline(True)
        page.goto("/today")
        expect(page.locator("[data-fetched-note]")).to_be_visible()
        _two_taps_to_a_guided_step(page)
    finally:
        context.close()
