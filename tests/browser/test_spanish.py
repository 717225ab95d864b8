"""Spanish end to end on the path a person in distress takes, in a real browser with
`Accept-Language: es-MX`: no English sentence on any page of the slice, and axe finds nothing.

The slice (docs/i18n.md): login and logging out (from More), the calm flow (rate, ranked list, a guided strategy, rate again,
"Need help now"), the safety plan, crisis lines, the offline page and the navigation."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.fixtures import LiveServer
from tests.browser.spanish import check_spanish, english_in

pytestmark = pytest.mark.browser


def test_the_english_detector_finds_english_and_ignores_names() -> None:
    assert english_in("Try one of these") == ["Try", "of"]
    assert english_in("Llama al 988 · 988 Suicide & Crisis Lifeline · Groundwork") == []
    assert english_in("Prueba una de estas. ¿Qué tan fuerte es ahora?") == []


def _sign_up_in_spanish(page: Any, live_server: LiveServer) -> None:
    """A new client whose browser asks for Spanish signs up in Spanish and gets a Spanish account."""
    email = f"lucia-{uuid.uuid4().hex[:6]}@example.test"
    page.goto("/signup?kind=client")
    check_spanish(page, "signup")
    page.get_by_label("¿Cómo quieres que te llamemos?").fill("Lucía")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña", exact=True).fill("steady steps daily")
    page.get_by_label("Repite la contraseña").fill("steady steps daily")
    page.get_by_role("button", name="Crear cuenta").click()
    expect(page.get_by_role("heading", name="Revisa tu correo")).to_be_visible()
    body = live_server.mailbox.body_of(live_server.mailbox.last_to(email))
    found = re.search(r"http://127\.0\.0\.1:\d+(/signup/confirm/\S+)", body)
    assert found is not None
    page.goto(found.group(1))
    page.get_by_role("button", name="Empezar a usar Groundwork").click()
    page.wait_for_url("**/today")


def test_a_visitor_reads_login_calm_and_crisis_in_spanish(new_phone: Any) -> None:
    phone = new_phone(locale="es-MX", timezone_id="America/Mexico_City")
    phone.goto("/login")
    expect(phone.get_by_role("heading", name="Iniciar sesión")).to_be_visible()
    check_spanish(phone, "login")
    phone.get_by_role("link", name="Calma ahora").click()
    expect(
        phone.get_by_role("heading", name="¿Qué tan fuerte es el malestar ahora mismo?")
    ).to_be_visible()
    check_spanish(phone, "calm-now")
    phone.goto("/crisis")
    expect(phone.get_by_role("heading", name="Elige tu país")).to_be_visible()
    check_spanish(phone, "crisis-choose")
    phone.goto("/crisis?country=MX")
    expect(phone.get_by_role("heading", name="Habla con alguien ahora · México")).to_be_visible()
    check_spanish(phone, "crisis-mx")


def test_a_spanish_client_goes_through_calm_safety_plan_crisis_and_offline(
    new_phone: Any, live_server: LiveServer
) -> None:
    phone = new_phone(
        locale="es-MX", timezone_id="America/Mexico_City", is_mobile=True, has_touch=True
    )
    _sign_up_in_spanish(phone, live_server)
    tabs = phone.locator("nav.tabbar")
    expect(tabs.get_by_role("link", name="Calma")).to_be_visible()
    assert english_in(tabs.inner_text()) == []

    tabs.get_by_role("link", name="Calma").click()
    expect(
        phone.get_by_role("heading", name="¿Qué tan fuerte es el malestar ahora mismo?")
    ).to_be_visible()
    check_spanish(phone, "calm-rate")
    phone.get_by_role("button", name="7", exact=True).click()
    expect(phone.get_by_role("heading", name="Prueba una de estas")).to_be_visible()
    check_spanish(phone, "calm-list")
    phone.locator(".calm-list li button").first.click()
    done = phone.get_by_role("button", name="Ya terminé")
    expect(done).to_be_visible()
    check_spanish(phone, "calm-player")
    done.click()
    expect(phone.get_by_role("heading", name="¿Qué tan fuerte es ahora?")).to_be_visible()
    check_spanish(phone, "calm-rate-again")
    phone.get_by_role("button", name="3", exact=True).click()
    expect(phone.get_by_role("heading", name="Bajó 4 puntos, de 7 a 3.")).to_be_visible()
    check_spanish(phone, "calm-done")

    phone.get_by_role("link", name="Ayuda ahora").click()
    expect(phone.get_by_role("heading", name="Vamos a bajar el ritmo, paso a paso")).to_be_visible()
    check_spanish(phone, "calm-help-now")

    phone.goto("/calm/safety-plan")
    expect(phone.get_by_role("heading", name="Mi plan de seguridad", exact=True)).to_be_visible()
    check_spanish(phone, "safety-plan")

    phone.goto("/crisis")
    expect(
        phone.get_by_role("heading", name="No tienes que pasar por esto sin compañía")
    ).to_be_visible()
    check_spanish(phone, "crisis-client")

    phone.goto("/offline")
    expect(phone.get_by_role("heading", name="No tienes conexión")).to_be_visible()
    check_spanish(phone, "offline")

    phone.goto("/more")
    expect(phone.get_by_role("heading", name="Más", exact=True)).to_be_visible()
    check_spanish(phone, "more")
    phone.get_by_role("button", name="Cerrar sesión").click()
    expect(phone.get_by_text("Cerraste sesión. Nos vemos pronto.")).to_be_visible()
    check_spanish(phone, "logged-out")
