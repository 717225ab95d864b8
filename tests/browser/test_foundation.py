"""The foundation in a real browser on a phone viewport: invites, logging in and out, resetting a
password by email, the crisis page offline, and axe on every page of the shell."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from tests.browser.fixtures import LiveServer, assert_accessible, login

pytestmark = pytest.mark.browser
DEMO_PASSWORD = "groundwork-demo"
THERAPIST = "ruth@demo.groundwork.local"


def _unique(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:6]}@example.test"


def _add_client(therapist: Any, name: str) -> tuple[str, str]:
    therapist.goto("/caseload")
    therapist.get_by_role("link", name="Add a client").click()
    therapist.get_by_label("Name they like to be called").fill(name)
    therapist.get_by_role("button", name="Add and make invite").click()
    therapist.get_by_role("heading", name=f"Invite for {name}").wait_for()
    link = therapist.locator("[data-invite-link]").inner_text().strip()
    code = therapist.locator("[data-invite-code]").inner_text().strip()
    return link, code


def _set_password(client: Any, email: str, password: str) -> None:
    client.get_by_label("Email").fill(email)
    client.get_by_label("Password", exact=True).fill(password)
    client.get_by_label("Password again").fill(password)
    client.get_by_role("button", name="Set my password").click()


def test_invite_journey_from_therapist_to_client_phone(new_phone: Any) -> None:
    therapist = new_phone()
    login(therapist, THERAPIST, DEMO_PASSWORD)
    assert_accessible(therapist, "caseload")
    link, code = _add_client(therapist, "Robin")
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    assert_accessible(therapist, "invite-issued")

    client = new_phone()
    client.goto(link)
    assert_accessible(client, "invite-accept")
    email = _unique("robin")
    _set_password(client, email, "slow mornings are fine")
    client.get_by_role("heading", name=re.compile("Robin")).wait_for()
    assert "/today" in client.url
    assert_accessible(client, "today")

    # The therapist sees Robin's account is set up; the link cannot be used twice.
    therapist.goto("/caseload")
    assert therapist.get_by_role("link", name="Robin").first.is_visible()
    reuse = new_phone()
    reuse.goto(link)
    assert reuse.get_by_role("heading", name="This link no longer works").is_visible()


def test_the_code_read_over_the_phone_also_works(new_phone: Any) -> None:
    therapist = new_phone()
    login(therapist, THERAPIST, DEMO_PASSWORD)
    _, code = _add_client(therapist, "Quinn")
    client = new_phone()
    client.goto("/join")
    assert_accessible(client, "join")
    client.get_by_label("Code").fill(code.lower().replace("-", " "))
    client.get_by_role("button", name="Continue").click()
    _set_password(client, _unique("quinn"), "one step at a time")
    client.wait_for_url(re.compile(r"/today"))


def test_login_errors_are_shown_and_logout_ends_the_session(phone: Any) -> None:
    phone.goto("/login")
    assert_accessible(phone, "login")
    phone.get_by_label("Email").fill("sam@demo.groundwork.local")
    phone.get_by_label("Password").fill("not my password")
    phone.get_by_role("button", name="Log in").click()
    alert = phone.get_by_role("alert")
    assert "do not match" in alert.inner_text()
    assert phone.get_by_label("Email").input_value() == "sam@demo.groundwork.local"
    assert_accessible(phone, "login-error")

    login(phone, "sam@demo.groundwork.local", DEMO_PASSWORD)
    assert "/today" in phone.url
    phone.goto("/more")
    assert_accessible(phone, "more")
    phone.get_by_role("button", name="Log out").click()
    phone.wait_for_url(re.compile(r"/login"))
    assert phone.get_by_text("You're logged out").is_visible()
    phone.goto("/today")
    assert "/login" in phone.url


def test_forgotten_password_is_reset_by_email(
    phone: Any, new_phone: Any, live_server: LiveServer
) -> None:
    therapist = new_phone()
    login(therapist, THERAPIST, DEMO_PASSWORD)
    link, _ = _add_client(therapist, "Ari")
    email = _unique("ari")
    phone.goto(link)
    _set_password(phone, email, "first password here")
    phone.wait_for_url(re.compile(r"/today"))
    phone.context.clear_cookies()

    phone.goto("/forgot")
    assert_accessible(phone, "forgot")
    phone.get_by_label("Email").fill(email)
    phone.get_by_role("button", name="Send the link").click()
    phone.get_by_text("we've sent a link").wait_for()
    body = live_server.mailbox.body_of(live_server.mailbox.last_to(email))
    reset_link = re.search(r"http://\S+/reset/\S+", body).group(0)
    phone.goto(reset_link)
    assert_accessible(phone, "reset")
    phone.get_by_label("New password", exact=True).fill("second password here")
    phone.get_by_label("New password again").fill("second password here")
    phone.get_by_role("button", name="Save and log in").click()
    phone.wait_for_url(re.compile(r"/today"))


def test_crisis_page_works_logged_out_and_offline(phone: Any) -> None:
    phone.goto("/crisis")
    assert_accessible(phone, "crisis")
    phone.get_by_label("Country", exact=True).select_option("US")
    phone.get_by_role("button", name="Show").click()
    assert phone.get_by_role("link", name="Call 988").first.get_attribute("href") == "tel:988"
    # Let the service worker install and pre-cache the shell, then lose the network.
    phone.evaluate("navigator.serviceWorker.ready.then(() => true)")
    phone.wait_for_function("caches.keys().then(k => k.length > 0)")
    phone.reload()  # now through the worker, which keeps this country's page under its own URL
    phone.wait_for_function(
        "caches.keys().then(ks => Promise.all(ks.map(k => caches.open(k).then(c => c.match('/crisis?country=US')))))"
        ".then(rs => rs.some(Boolean))"
    )
    phone.context.set_offline(True)
    try:
        phone.goto("/crisis?country=US")
        assert phone.get_by_role("heading", name=re.compile("Talk to someone now")).is_visible()
        assert phone.locator("a[href='tel:988']").count() > 0
        # Logged out, the plain page asks for a country rather than showing another's numbers.
        phone.goto("/crisis")
        assert phone.get_by_role("heading", name="Choose your country").is_visible()
        assert phone.locator("a[href^='tel:']").count() == 0
        assert phone.get_by_role("link", name="findahelpline.com").is_hidden()  # needs the internet
    finally:
        phone.context.set_offline(False)


@pytest.mark.parametrize(
    ("email", "pages"),
    [
        (None, ["/signup", "/signup?kind=therapist", "/offline"]),
        ("sam@demo.groundwork.local", ["/settings", "/settings/two-factor", "/crisis"]),
        (THERAPIST, ["/caseload/new", "/library", "/settings", "/admin", "/admin/audit"]),
        ("admin@demo.groundwork.local", ["/admin", "/admin/audit"]),
    ],
    ids=["anonymous", "client", "therapist", "admin"],
)
def test_shell_pages_have_no_accessibility_violations(
    phone: Any, email: str | None, pages: list[str]
) -> None:
    if email:
        login(phone, email, DEMO_PASSWORD)
    for path in pages:
        phone.goto(path)
        assert_accessible(
            phone, "shell" + path.replace("/", "-").replace("?", "-").replace("=", "-")
        )


def test_therapist_client_page_is_accessible(phone: Any) -> None:
    login(phone, THERAPIST, DEMO_PASSWORD)
    phone.goto("/caseload")
    phone.get_by_role("link", name="Sam").first.click()
    phone.get_by_role("heading", name="Sam").wait_for()
    assert_accessible(phone, "caseload-client")


def test_nothing_scrolls_sideways_on_the_narrowest_phone(new_phone: Any) -> None:
    """WCAG 1.4.10 reflow: at 320 CSS px the shell and the client's main pages fit the width."""
    page = new_phone(viewport={"width": 320, "height": 640})
    login(page, "sam@demo.groundwork.local", DEMO_PASSWORD)
    for path in ["/today", "/calm", "/self-care"]:
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"
    assert_accessible(page, "shell-320-self-care")


def test_staff_menu_wraps_on_a_narrow_phone(new_phone: Any) -> None:
    """Every item of the therapist's menu is on screen at 320 px (it wraps, not scrolls), and the
    caseload pages do not scroll sideways (wide tables scroll inside their own box)."""
    page = new_phone(viewport={"width": 320, "height": 640})
    login(page, THERAPIST, DEMO_PASSWORD)
    for path in ["/dashboard", "/caseload"]:
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"
        links = page.get_by_role("navigation", name="Main").get_by_role("link")
        assert links.count() >= 3
        for i in range(links.count()):
            box = links.nth(i).bounding_box()
            assert box is not None
            where = f"{links.nth(i).inner_text()} on {path}"
            assert box["x"] >= 0, f"{where} starts off screen"
            assert box["x"] + box["width"] <= 320, f"{where} ends off screen"
    assert_accessible(page, "staff-320-caseload")
