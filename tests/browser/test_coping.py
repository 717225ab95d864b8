"""Calm in a phone browser: the distress flow online and offline, and its pages' accessibility."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.fixtures import assert_accessible, login

pytestmark = pytest.mark.browser
SAM = "sam@demo.groundwork.local"
PASSWORD = "groundwork-demo"


def _episodes(page: Any) -> list[dict[str, Any]]:
    return page.evaluate(
        "async () => (await fetch('/api/v1/calm/episodes', {credentials: 'same-origin'})).json()"
    )


def _run_flow(page: Any, *, name: str) -> str:
    """Rate 8, take the first strategy (Sam's therapist pinned a one-minute breathing pacer), let
    the pacer run, rate 4. Returns the first strategy's title."""
    page.get_by_role("button", name="8", exact=True).click()
    first = page.locator(".calm-list li button").first
    title = first.locator(".calm-title").inner_text()
    assert "therapist" in first.inner_text()
    first.click()
    if page.get_by_role("button", name="Start").count():
        page.get_by_role("button", name="Start").click()
    page.get_by_text("Breathe in").wait_for()
    page.clock.run_for(5 * 12 * 1000 + 1000)  # five rounds of in 4, out 8
    page.get_by_role("heading", name="How strong is it now?").wait_for()
    if name:
        assert_accessible(page, name)
    page.get_by_role("button", name="4", exact=True).click()
    page.get_by_role("heading", name="Down 4 points, from 8 to 4.").wait_for()
    return title


def test_need_help_now_to_a_calmer_four_and_the_episode_is_kept(phone: Any) -> None:
    page = phone
    page.clock.install()
    login(page, SAM, PASSWORD)
    page.goto("/crisis")  # the crisis page's own way into the rated calm flow
    page.get_by_role("link", name="Try something calming first").click()
    page.locator(".calm-chips").first.wait_for()  # the script has taken over the page
    assert_accessible(page, "coping-rate")
    before = len(_episodes(page))
    page.get_by_role("button", name="8", exact=True).click()
    page.locator(".calm-list li").first.wait_for()
    assert 3 <= page.locator(".calm-list li").count() <= 5
    assert_accessible(page, "coping-list")
    page.get_by_role("button", name="Change").click()
    title = _run_flow(page, name="coping-rate-again")
    page.locator(".calm-status").filter(has_text="Saved.").wait_for()
    assert_accessible(page, "coping-result")
    episodes = _episodes(page)
    assert len(episodes) == before + 1
    assert (episodes[0]["before"], episodes[0]["after"], episodes[0]["strategy_title"]) == (
        8,
        4,
        title,
    )
    page.get_by_role("link", name="My calm history").click()
    expect(page.locator("#episodes li").first).to_contain_text(title)
    assert_accessible(page, "coping-history")


def test_offline_episode_waits_on_the_phone_and_is_stored_exactly_once(phone: Any) -> None:
    page = phone
    page.clock.install()
    login(page, SAM, PASSWORD)
    page.goto("/calm")
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.reload()  # now controlled by the service worker, which has cached the flow
    page.get_by_role("heading", name="How strong is the distress right now?").wait_for()
    page.goto("/calm/safety-plan")  # read once online: kept for reading offline
    page.goto("/calm")
    page.get_by_role("heading", name="How strong is the distress right now?").wait_for()
    before = len(_episodes(page))
    page.context.set_offline(True)
    page.goto("/calm/safety-plan")
    assert page.get_by_text("My niece Lily").is_visible()
    page.goto("/calm")
    page.get_by_role("heading", name="How strong is the distress right now?").wait_for()
    _run_flow(page, name="")
    page.locator(".calm-status").filter(has_text="when you're back online").wait_for()
    waiting = page.evaluate(
        """() => new Promise((resolve) => {
            const req = indexedDB.open('groundwork-calm');
            req.onsuccess = () => {
              const all = req.result.transaction('outbox').objectStore('outbox').getAll();
              all.onsuccess = () => resolve(all.result.map((e) => e.id));
            };
        })"""
    )
    assert len(waiting) == 1
    page.context.set_offline(False)  # Chromium fires "online": the outbox drains
    page.wait_for_function(
        """() => new Promise((resolve) => {
            const req = indexedDB.open('groundwork-calm');
            req.onsuccess = () => {
              const n = req.result.transaction('outbox').objectStore('outbox').count();
              n.onsuccess = () => resolve(n.result === 0);
            };
        })"""
    )
    page.reload()  # a second page load flushes again: still only one stored
    page.get_by_role("heading", name="How strong is the distress right now?").wait_for()
    episodes = _episodes(page)
    assert len(episodes) == before + 1
    assert [e["id"] for e in episodes].count(waiting[0]) == 1


def test_calm_now_works_logged_out_and_stores_nothing(phone: Any) -> None:
    page = phone
    page.clock.install()
    page.goto("/calm-now")
    page.get_by_role("button", name="9", exact=True).click()
    items = page.locator(".calm-list li")
    assert items.count() == 5
    page.locator(".calm-list li button").first.click()
    if page.get_by_role("button", name="Start").count():
        page.get_by_role("button", name="Start").click()
    page.get_by_role("button", name="I'm done").click()
    page.get_by_role("button", name="9", exact=True).click()
    page.get_by_text("Nothing is saved").wait_for()
    # Still 9: the safety net shows crisis lines and another strategy.
    page.get_by_role("heading", name="You don't have to do this alone").wait_for()
    assert page.get_by_role("button", name="Try another strategy").is_visible()
    assert_accessible(page, "coping-calm-now-help")
    # A number tapped before the script loaded is a plain link: it still leads to the list.
    page.goto("/calm-now?level=7")
    assert page.locator(".calm-list li").count() == 5
    assert page.get_by_text("Distress now: 7 out of 10.").is_visible()


def test_toolbox_and_plans_are_accessible(phone: Any) -> None:
    page = phone
    login(page, SAM, PASSWORD)
    for path, name in (
        ("/calm/toolbox", "coping-toolbox"),
        ("/calm/safety-plan", "coping-safety-plan"),
        ("/calm/safety-plan?edit=1", "coping-safety-plan-edit"),
        ("/calm/wellness-plan", "coping-wellness-plan"),
        ("/calm/wellness-plan?print=1", "coping-wellness-plan-print"),
        ("/calm/my-strategies", "coping-my-strategies"),
        ("/calm/history", "coping-history-page"),
    ):
        page.goto(path)
        assert_accessible(page, name)


def test_therapist_sees_chart_table_and_plan_versions_and_suggests_a_strategy(phone: Any) -> None:
    page = phone
    login(page, "ruth@demo.groundwork.local", PASSWORD)
    page.goto("/caseload")
    page.get_by_role("link", name="Sam").first.click()
    page.get_by_role("link", name="Calm: episodes, what helps, safety plan").click()
    page.get_by_role("heading", name="Sam: Calm").wait_for()
    assert page.locator("svg[role=img] circle").count() >= 2
    assert page.get_by_role("heading", name="What helps: each strategy").is_visible()
    assert_accessible(page, "coping-therapist")
    page.get_by_label("Strategy", exact=True).select_option(label="Butterfly hug")
    page.get_by_label("Your note for Sam").fill("Try it in the waiting room.")
    page.get_by_role("button", name="Suggest this strategy").click()
    page.get_by_text("“Try it in the waiting room.”").wait_for()
    page.get_by_role("link", name="Safety plan").click()
    page.get_by_text("Earlier versions (1)").click()
    assert_accessible(page, "coping-therapist-safety-plan")
    page.get_by_role("link", name="Change it").click()
    page.get_by_label("5. Professionals and services").fill("Ruth (OT). Samaritans 116 123.")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved. Your earlier versions are kept.").wait_for()
    assert page.get_by_text("Earlier versions (2)").is_visible()
    page.goto("/library")
    page.get_by_role("link", name="Calm strategies").click()
    page.get_by_label("Name").fill("Sensory room, ward 3")
    page.get_by_label("Steps, one per line").fill("Ask a nurse for the key\nSit in the bean bag")
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_role("button", name="Remove Sensory room, ward 3")).to_be_visible()
    assert_accessible(page, "coping-clinic-library")


def test_clinic_admin_adds_a_crisis_line_clients_then_see(phone: Any, new_phone: Any) -> None:
    page = phone
    login(page, "admin@demo.groundwork.local", PASSWORD)
    page.goto("/admin/calm/crisis-lines")
    page.get_by_label("Name").fill("Riverside night line")
    page.get_by_label("Phone number").fill("01632 960 999")
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_role("button", name="Remove Riverside night line")).to_be_visible()
    assert_accessible(page, "coping-admin-lines")
    client = new_phone()
    login(client, "alex@demo.groundwork.local", PASSWORD)
    client.goto("/calm/safety-plan")
    assert client.get_by_text("Riverside night line").is_visible()
