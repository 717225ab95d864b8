"""A client's whole daily round with no signal (issue 20), on a real server and Chromium: a routine
finished in the player with one step skipped (and one answer undone and given again), two habit
check-ins and a mood log, all tapped offline at 23:50; the app closed and opened again offline
(Today from the phone, every waiting write shown); back online at 00:20, each write arrives once,
filed under the day of the tap. Online, the last check-in of a habit and the last step answer
can be undone, and the page says so kindly."""

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
PRIYA = "priya@demo.groundwork.local"
NEW_YORK = ZoneInfo("America/New_York")
STEPS = ["Put the kettle on", "Stretch for a minute", "Lay out tomorrow's clothes"]
WRITES = ("/outcomes", "/check-ins", "/mood-logs")


@pytest.fixture(scope="module")
def server() -> Iterator[ShiftedServer]:
    with shifted_clock_server("gw-offline-daily-") as running:
        yield running


def _rows(server: ShiftedServer, sql: str, *args: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(server.data_dir / "groundwork.db") as db:
        return db.execute(sql, args).fetchall()


def _hex(value: str) -> str:
    return value.replace("-", "")


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


def _post(page: Page, path: str, data: dict[str, Any]) -> dict[str, Any]:
    token = page.locator('meta[name="csrf-token"]').get_attribute("content") or ""
    answer = page.request.post(path, data=data, headers={"X-CSRF-Token": token})
    assert answer.status == 201, answer.text()
    body: dict[str, Any] = answer.json()
    return body


def _routine(page: Page, title: str) -> tuple[str, list[str]]:
    made = _post(page, "/api/v1/routines", {"title": title, "steps": [{"title": s} for s in STEPS]})
    detail = page.request.get(f"/api/v1/routines/{made['id']}").json()
    return str(made["id"]), [str(s["id"]) for s in detail["steps"]]


def _controlled(page: Page, *paths: str) -> None:
    """Wait for the service worker, then load each page through it so the phone keeps a copy."""
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    for path in paths:
        page.goto(path)
        page.wait_for_load_state("networkidle")


def _player(page: Page, path: str) -> None:
    """Open the player and wait until its script has read what waits on the phone."""
    page.goto(path)
    expect(page.locator("[data-player]")).to_have_attribute("data-ready", "1")


def _answer(page: Page, button: str, next_heading: str) -> None:
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.locator("[data-player-view] h2")).to_have_text(next_heading)


def test_a_day_done_offline_arrives_once_on_the_day_tapped(
    browser: Any, server: ShiftedServer
) -> None:
    tap_day = datetime.now(UTC).astimezone(NEW_YORK).date() + timedelta(days=1)
    before_midnight = datetime.combine(tap_day, time(23, 50), tzinfo=NEW_YORK)
    server.set_now(before_midnight - timedelta(minutes=10))
    context = _phone(browser, server)
    page = context.new_page()
    page.clock.install(time=before_midnight - timedelta(minutes=10))
    try:
        login(page, JORDAN, DEMO_PASSWORD)
        washing = str(_post(page, "/api/v1/habits", {"ladder": "washing", "level": 1})["id"])
        teeth = str(_post(page, "/api/v1/habits", {"ladder": "teeth", "level": 1})["id"])
        routine, steps = _routine(page, "Wind down")
        player = f"/routines/{routine}/play"
        _controlled(page, "/today", player, "/self-care/mood", "/today")

        # 23:50, no signal. The player goes on at once; one step is skipped, one answer undone.
        page.clock.pause_at(before_midnight)
        context.set_offline(True)
        _player(page, player)
        expect(page.locator("[data-player-view] h2")).to_have_text(STEPS[0])
        _answer(page, "Done", STEPS[1])
        expect(page.locator("[data-player-waiting]")).to_have_text(
            "1 change saved on this phone, waiting to be sent."
        )
        _answer(page, "Skip", STEPS[2])
        _answer(page, "Needed help", "That's all the steps for today")
        page.get_by_role("button", name=f"Undo your answer to {STEPS[2]}").click()
        expect(page.locator("[data-player-undone]")).to_have_text("Undone. Nothing was sent.")
        expect(page.locator("[data-player-view] h2")).to_have_text(STEPS[2])
        _answer(page, "Done", "That's all the steps for today")
        expect(page.get_by_text("2 of 3 steps")).to_be_visible()
        expect(page.locator("[data-player-waiting]")).to_contain_text("3 changes saved")
        page.clock.resume()  # axe waits on timers
        assert_accessible(page, "player-offline")
        page.clock.pause_at(before_midnight + timedelta(minutes=1))

        # Today from the phone: two check-ins; then the mood log.
        page.goto("/today")
        expect(page.locator("[data-fetched-note]")).to_contain_text("Shown from this phone")
        expect(page.locator(f'[data-routine-id="{routine}"]')).to_contain_text(
            "3 step answers saved on this phone"
        )
        for habit, name in ((washing, "Washing"), (teeth, "Brushing teeth")):
            item = page.locator(f"#habit-{habit}")
            item.get_by_role("button", name=f"Done: {name}").click()
            expect(item).to_contain_text("Done. Saved on this phone, waiting to be sent.")
        page.goto("/self-care/mood")
        page.get_by_role("group", name="Mood").get_by_text("Good", exact=True).click()
        page.get_by_role("button", name="Save").click()
        expect(page.locator("[data-mood-status]")).to_contain_text(
            "Saved on this phone, waiting to be sent."
        )

        # The app is closed and opened again from the home screen, still offline.
        page.close()
        page = context.new_page()
        page.goto("/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Jordan")
        expect(page.locator("[data-fetched-note]")).to_contain_text("Shown from this phone")
        expect(page.get_by_role("navigation", name="Main")).to_contain_text("Calm")
        for habit in (washing, teeth):
            expect(page.locator(f"#habit-{habit}")).to_contain_text("waiting to be sent")
        expect(page.locator(".sc-mood-prompt")).to_contain_text("Mood saved on this phone")
        expect(page.locator(f'[data-routine-id="{routine}"]')).to_contain_text("3 step answers")
        assert _rows(server, "SELECT id FROM routine_run WHERE routine_id = ?", _hex(routine)) == []

        # 00:20, back online: every write is sent once and filed under the day of the tap.
        after_midnight = before_midnight + timedelta(minutes=30)
        server.set_now(after_midnight)
        page.clock.pause_at(after_midnight)
        sent: list[str] = []
        page.on(
            "response",
            lambda r: sent.append(r.url) if r.url.endswith(WRITES) and r.ok else None,
        )
        with page.expect_event("load"):
            context.set_offline(False)
        page.wait_for_load_state("networkidle")
        page.goto("/today")  # opening the app again sends nothing more
        page.wait_for_load_state("networkidle")
        assert sorted(u.rsplit("/", 1)[-1] for u in sent) == sorted(
            ["outcomes"] * 3 + ["check-ins"] * 2 + ["mood-logs"]
        )
        runs = _rows(
            server, "SELECT id, local_day FROM routine_run WHERE routine_id = ?", _hex(routine)
        )
        assert [date.fromisoformat(day) for _, day in runs] == [tap_day]
        answers = dict(
            _rows(server, "SELECT step_id, status FROM step_outcome WHERE run_id = ?", runs[0][0])
        )
        assert answers == {
            _hex(steps[0]): "done",
            _hex(steps[1]): "skipped",
            _hex(steps[2]): "done",  # the undone "needed help" never left the phone
        }
        for habit in (washing, teeth):
            done = _rows(
                server, "SELECT done_on FROM habit_check_in WHERE habit_id = ?", _hex(habit)
            )
            assert [date.fromisoformat(d) for (d,) in done] == [tap_day]
        moods = _rows(
            server,
            "SELECT logged_on, mood FROM mood_log WHERE logged_on >= ? AND client_id = "
            "(SELECT id FROM user_account WHERE email = ?)",
            tap_day.isoformat(),  # a day later would be the day it arrived
            JORDAN,
        )
        assert [(date.fromisoformat(d), m) for d, m in moods] == [(tap_day, 4)]
        expect(page.locator("[data-fetched-note]")).to_be_hidden()
    finally:
        context.close()


def test_the_last_check_in_and_the_last_step_answer_can_be_undone_online(
    browser: Any, server: ShiftedServer
) -> None:
    server.set_now(datetime.now(UTC))
    context = _phone(browser, server)
    page = context.new_page()
    try:
        login(page, PRIYA, DEMO_PASSWORD)
        habit = str(
            _post(
                page,
                "/api/v1/habits/personal",
                {"title": "Open the curtains", "life_area": "household", "target_kind": "days"},
            )["id"]
        )
        routine, steps = _routine(page, "Morning start")

        # A check-in made and sent, then taken back from Today.
        page.goto("/today")
        item = page.locator(f"#habit-{habit}")
        item.get_by_role("button", name="Done: Open the curtains").click()
        expect(item).to_contain_text("Done today")
        item.get_by_role("button", name="Undo Done: Open the curtains").click()
        expect(item).to_contain_text("Undone.")
        expect(item.get_by_role("button", name="Done: Open the curtains")).to_be_visible()
        assert _rows(server, "SELECT id FROM habit_check_in WHERE habit_id = ?", _hex(habit)) == []
        assert_accessible(page, "today-undone")

        # A step answer sent from the player, then taken back: the step waits again.
        _player(page, f"/routines/{routine}/play")
        with page.expect_response(lambda r: r.url.endswith("/outcomes") and r.ok):
            _answer(page, "Done", STEPS[1])
        page.get_by_role("button", name=f"Undo your answer to {STEPS[0]}").click()
        expect(page.locator("[data-player-undone]")).to_have_text(
            "Undone. That step is waiting for you again."
        )
        expect(page.locator("[data-player-view] h2")).to_have_text(STEPS[0])
        page.reload()  # the server agrees: nothing answered
        expect(page.locator("[data-player-view] h2")).to_have_text(STEPS[0])
        assert (
            _rows(
                server,
                "SELECT o.id FROM step_outcome o JOIN routine_run r ON o.run_id = r.id "
                "WHERE r.routine_id = ?",
                _hex(routine),
            )
            == []
        )
        assert steps
    finally:
        context.close()


def test_a_check_in_already_sent_can_be_undone_offline_and_the_undo_arrives_once(
    browser: Any, server: ShiftedServer
) -> None:
    server.set_now(datetime.now(UTC))
    context = _phone(browser, server)
    page = context.new_page()
    try:
        login(page, PRIYA, DEMO_PASSWORD)
        habit = str(
            _post(
                page,
                "/api/v1/habits/personal",
                {"title": "Water the plants", "life_area": "household", "target_kind": "days"},
            )["id"]
        )
        _controlled(page, "/today")
        item = page.locator(f"#habit-{habit}")
        item.get_by_role("button", name="Done: Water the plants").click()
        expect(item).to_contain_text("Done today")
        sent = "SELECT id FROM habit_check_in WHERE habit_id = ?"
        assert len(_rows(server, sent, _hex(habit))) == 1

        context.set_offline(True)
        undo_deletes: list[str] = []
        page.on(
            "request",
            lambda r: undo_deletes.append(r.url) if r.method == "DELETE" else None,
        )
        item.get_by_role("button", name="Undo Done: Water the plants").click()
        expect(item.locator("[data-offline-status]")).to_have_text(
            "Undone on this phone, waiting to be sent."
        )
        expect(item.get_by_text("Done today", exact=True)).to_be_hidden()
        expect(item.get_by_role("button", name="Undo Done: Water the plants")).to_be_hidden()
        assert len(_rows(server, sent, _hex(habit))) == 1  # nothing left the phone yet
        assert_accessible(page, "today-undo-waiting")

        # Chromium fires "online" itself when the context goes back online: the undo is sent, then
        # Today reloads. (A second, hand-dispatched event raced that navigation.)
        with page.expect_navigation():
            context.set_offline(False)
        expect(page.locator(f"#habit-{habit}").get_by_text("Done today", exact=True)).to_have_count(
            0
        )
        assert _rows(server, sent, _hex(habit)) == []
        assert len(undo_deletes) == 1
        page.reload()  # nothing is sent again after reopening
        expect(page.get_by_role("button", name="Done: Water the plants")).to_be_visible()
        assert len(undo_deletes) == 1
    finally:
        context.close()
