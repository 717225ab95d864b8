"""Self-care on a phone: pick a ladder, check in on three days (the server's clock moves a day at a
time), watch the heat map and strength change, then accept a step-up suggestion."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from app.demo import DEMO_PASSWORD
from tests.browser.fixtures import (
    PHONE,
    ShiftedServer,
    assert_accessible,
    login,
    shifted_clock_server,
)

pytestmark = pytest.mark.browser
JORDAN = "jordan@demo.groundwork.local"  # America/New_York, no washing habit in the demo


@pytest.fixture(scope="module")
def shifted_server() -> Iterator[ShiftedServer]:
    with shifted_clock_server("gw-self-care-") as server:
        # Start on the coming Monday in Jordan's zone, so whole weeks line up with the grading
        # rules.
        local = datetime.now(UTC).astimezone(ZoneInfo("America/New_York"))
        offset = (7 - local.weekday()) % 7 or 7
        server.set_day(offset)
        server.start_offset = offset  # type: ignore[attr-defined]
        yield server


@pytest.fixture
def jordan(browser: Any, shifted_server: ShiftedServer) -> Iterator[Any]:
    context = browser.new_context(
        viewport=PHONE, base_url=shifted_server.url, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        login(page, JORDAN, DEMO_PASSWORD)
        yield page
    finally:
        context.close()


def _strength(page: Any) -> int:
    text = page.locator(".sc-strength__label strong").inner_text()
    return int(text.rstrip("%"))


def test_ladder_check_ins_heat_map_strength_and_step_up(
    jordan: Any, shifted_server: ShiftedServer
) -> None:
    page = jordan
    start: int = shifted_server.start_offset  # type: ignore[attr-defined]

    page.goto("/self-care/library")
    assert_accessible(page, "self_care_library")
    page.get_by_role("link", name=re.compile(r"^Washing")).first.click()
    page.get_by_label("Step 2:").check()
    assert_accessible(page, "self_care_ladder")
    page.get_by_role("button", name="Start this habit").click()
    page.wait_for_url("**/self-care/habits/*")
    habit_url = page.url.split("?")[0]
    habit_id = habit_url.rsplit("/", 1)[-1].split("?")[0]
    assert "Step 2 of 5" in page.inner_text("main")
    assert _strength(page) == 0

    strengths = []
    for day in range(3):
        shifted_server.set_day(start + day)
        page.goto("/today")
        item = page.locator(f"#habit-{habit_id}")
        if day == 1:
            # The connection drops: the tap is kept on the phone and sent when it is back. The
            # phone's clock agrees with the server's (moved on by whole days): the tap carries it.
            page.clock.set_fixed_time(datetime.now(UTC) + timedelta(days=start + day))
            page.context.set_offline(True)
            item.get_by_role("button", name="Done: Washing").click()
            # The tap is stored in IndexedDB asynchronously: wait for the note, don't race it.
            expect(item).to_contain_text("Saved on this phone")
            sent = page.expect_response(lambda r: r.url.endswith("/check-ins") and r.status == 201)
            with sent, page.expect_event("load"):  # once sent, Today reloads with the server's copy
                page.context.set_offline(False)
        else:
            item.get_by_role("button", name="Done: Washing").click()
            page.wait_for_load_state("networkidle")
        expect(page.locator(f"#habit-{habit_id}")).to_contain_text("Done today")
        if day == 0:
            assert_accessible(page, "self_care_today")
        page.goto(habit_url)
        strengths.append(_strength(page))
        done_cells = page.locator(".sc-heat__grid .sc-heat__cell--done")
        assert done_cells.count() == day + 1
    assert strengths[0] < strengths[1] < strengths[2]
    assert page.get_by_text("done", exact=False).first.is_visible()
    assert_accessible(page, "self_care_habit")

    # Two more weeks of check-ins with confidence, sent as the phone would (client-made ids).
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    for day in range(3, 15):
        shifted_server.set_day(start + day)
        r = page.request.post(
            f"/api/v1/habits/{habit_id}/check-ins",
            data={"id": str(uuid.uuid4()), "outcome": "done", "confidence": 8},
            headers={"X-CSRF-Token": token},
        )
        assert r.status == 201, r.text()
    page.goto(habit_url)
    assert page.get_by_role("heading", name="Ready for the next step?").is_visible()
    assert_accessible(page, "self_care_suggestion")
    page.get_by_role("button", name="Yes, try step 3").click()
    page.wait_for_load_state("networkidle")
    assert "Step 3 of 5: Quick shower" in page.inner_text("main")


def test_mood_log_in_ten_seconds_with_charts(jordan: Any) -> None:
    page = jordan
    page.goto("/self-care/mood")
    page.get_by_text("Good", exact=True).first.click()
    page.locator("#f-energy").get_by_text("Some").click()
    page.get_by_label("Hours slept last night").fill("7")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/self-care/mood?saved=1")
    assert "Saved" in page.inner_text("main")
    page.get_by_text("Show mood as a table").click()
    assert_accessible(page, "self_care_mood")
    page.goto("/self-care")
    assert_accessible(page, "self_care_index")


_SCALE_GEOMETRY = """(fieldset) => [...document.querySelectorAll(fieldset + ' .sc-face')].map(face => {
  const label = face.querySelector('.sc-face__label');
  const mark = face.querySelector('.sc-face__number, .sc-face__svg');
  const box = (el) => { const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  // A word split over two lines has two client rects: "Ver / y low" is what we must never see.
  const text = label.firstChild;
  const split = [];
  let at = 0;
  for (const word of text.textContent.split(' ')) {
    const range = document.createRange();
    range.setStart(text, at);
    range.setEnd(text, at + word.length);
    if (range.getClientRects().length > 1) split.push(word);
    at += word.length + 1;
  }
  return {face: box(face), label: box(label), mark: box(mark), split,
          overflow: label.scrollWidth > label.clientWidth + 1};
})"""


@pytest.mark.parametrize("width", [390, 320])
def test_mood_and_energy_labels_sit_under_their_numbers(jordan: Any, width: int) -> None:
    page = jordan
    page.set_viewport_size({"width": width, "height": 844})
    page.goto("/self-care/mood")
    expect(page.locator("#f-energy .sc-face__label").last).to_be_visible()
    for fieldset in ("#f-mood", "#f-energy"):
        items = page.evaluate(_SCALE_GEOMETRY, fieldset)
        assert len(items) == 5
        for item in items:
            face, label, mark = item["face"], item["label"], item["mark"]
            assert not item["split"], f"{fieldset} at {width}px splits {item['split']}"
            assert not item["overflow"]
            assert face["left"] - 0.5 <= label["left"], item
            assert label["right"] <= face["right"] + 0.5, item
            assert label["top"] >= mark["bottom"] - 0.5, (fieldset, item)  # under its mark
            centre = (label["left"] + label["right"]) / 2
            assert abs(centre - (mark["left"] + mark["right"]) / 2) < 2
        for left, right in zip(items, items[1:], strict=False):
            assert left["label"]["right"] <= right["label"]["left"], "labels overlap"
            assert left["face"]["right"] <= right["face"]["left"]
    assert_accessible(page, f"self_care_mood_{width}")
    page.set_viewport_size(PHONE)


def test_therapist_sees_levels_and_approves(browser: Any, shifted_server: ShiftedServer) -> None:
    context = browser.new_context(viewport=PHONE, base_url=shifted_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        login(page, "ruth@demo.groundwork.local", DEMO_PASSWORD)
        page.goto("/caseload")
        page.get_by_role("link", name="Sam").first.click()
        page.get_by_role("link", name="Self-care details").click()
        expect(page.locator("main")).to_contain_text("Washing")
        assert_accessible(page, "self_care_therapist")
        page.goto("/self-care/clinic-ladders/new")
        assert_accessible(page, "self_care_clinic_ladder")
    finally:
        context.close()
