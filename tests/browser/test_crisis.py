"""Crisis help in a real browser: the offline copy of /crisis is the client's own country."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from tests.browser.fixtures import LiveServer, assert_accessible

pytestmark = pytest.mark.browser

CACHED_COUNTRY = (
    "caches.keys().then(ks => Promise.all(ks.map(k => caches.open(k).then(c => c.match('/crisis')))))"
    ".then(rs => rs.filter(Boolean).map(r => r.headers.get('X-Crisis-Country')))"
)


def _sign_up(page: Any, live_server: LiveServer, country: str | None) -> None:
    """Sign up as a client and open the emailed link; `country=None` keeps what the page
    suggested."""
    email = f"lucia-{uuid.uuid4().hex[:6]}@example.test"
    page.goto("/signup?kind=client")
    page.get_by_label("What should we call you?").fill("Lucía")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill("steady steps daily")
    page.get_by_label("Password again").fill("steady steps daily")
    if country is not None:
        page.get_by_label("Country", exact=True).select_option(country)
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    body = live_server.mailbox.body_of(live_server.mailbox.last_to(email))
    found = re.search(r"http://127\.0\.0\.1:\d+(/signup/confirm/\S+)", body)
    assert found is not None
    page.goto(found.group(1))
    page.get_by_role("button", name="Start using Groundwork").click()
    page.wait_for_url("**/today")


def test_offline_crisis_page_is_the_clients_own_country_after_signing_up(
    new_phone: Any, live_server: LiveServer
) -> None:
    # A phone in Madrid: sign-up suggests Spain from its time zone (nobody touches the picker).
    phone = new_phone(timezone_id="Europe/Madrid", is_mobile=True, has_touch=True)
    phone.goto("/crisis")  # the worker installs while logged out: its first copy has no country
    phone.evaluate("navigator.serviceWorker.ready.then(() => true)")
    phone.wait_for_function(f"{CACHED_COUNTRY}.then(cs => cs.includes(''))")
    phone.goto("/signup?kind=client")
    assert phone.get_by_label("Country", exact=True).input_value() == "ES"
    _sign_up(phone, live_server, None)
    phone.goto("/settings")  # any page tells the worker the person's country
    phone.wait_for_function(f"{CACHED_COUNTRY}.then(cs => cs.includes('ES'))")
    phone.goto("/crisis?country=MX")  # looking at another country must not replace it
    phone.context.set_offline(True)
    try:
        phone.goto("/crisis")
        assert phone.get_by_role("heading", name="Talk to someone now · Spain").is_visible()
        assert phone.locator("a[href='tel:024']").count() == 1
        assert phone.locator("a[href='tel:112']").count() >= 1
        assert phone.locator("a[href='tel:911']").count() == 0
        assert phone.get_by_text("checked 6 Dec 2026").is_visible()
    finally:
        phone.context.set_offline(False)
    phone.goto("/crisis?country=DE")
    assert phone.get_by_text(
        "We don't have a checked crisis line for Germany yet. In an emergency call 112."
    ).is_visible()
    assert phone.get_by_role("link", name="findahelpline.com").is_visible()
    assert_accessible(phone, "crisis-no-checked-line")
