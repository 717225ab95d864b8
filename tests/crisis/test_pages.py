"""The crisis page, API and the places crisis help appears, for countries with and without
checked lines. A page never shows another country's numbers."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any

from sqlmodel import Session, select

from app import countries
from app.accounts import signup as signup_service
from app.accounts.models import PendingSignup, User
from app.crisis import service
from app.progress import measure_service
from app.progress.schemas import ResponseCreate, ScheduleCreate
from tests import factories
from tests.homework.helpers import principal

NO_LINE_DE = "We don't have a checked crisis line for Germany yet. In an emergency call 112."


def _dialled(html: str) -> set[str]:
    """Every number a tel: or sms: link on the page would dial."""
    return {m.split("?")[0] for m in re.findall(r'href="(?:tel|sms):([^"]+)"', html)}


def _own_numbers(code: str) -> set[str]:
    country = service.for_country(code)
    assert country is not None
    own = set(country.emergency_numbers)
    for line in country.lines:
        own |= {x.replace(" ", "") for x in (line.phone, line.sms) if x}
    return own


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", html)))


def test_every_countrys_page_dials_only_its_own_numbers(http: Any) -> None:
    http.as_(None)
    for code, _name in countries.country_choices():
        page = http.get(f"/crisis?country={code}")
        assert page.status_code == 200, code
        assert _dialled(page.text) <= _own_numbers(code), code
        country = service.for_country(code)
        assert country is not None
        assert f"Talk to someone now · {country.name}" in _text(page.text), code
        if not country.lines:
            assert "We don't have a checked crisis line for" in _text(page.text), code
            assert 'href="https://findahelpline.com"' in page.text, code


def test_a_client_in_spain_sees_024_and_112_with_source_and_check_date(
    http: Any, session: Session
) -> None:
    client = factories.client(session, country="ES", time_zone="Europe/Madrid")
    page = http.as_(client).get("/crisis")
    assert page.status_code == 200
    assert page.headers["X-Crisis-Country"] == "ES"
    assert _dialled(page.text) == {"112", "024"}
    text = _text(page.text)
    assert "Talk to someone now · Spain" in text
    assert "Source: sanidad.gob.es · checked 6 Dec 2026" in text
    assert "We don't have a checked crisis line" not in text
    assert "116 123" not in text


def test_a_client_in_germany_gets_the_honest_message_and_a_directory_link(
    http: Any, session: Session
) -> None:
    client = factories.client(session, country="DE", time_zone="Europe/Berlin")
    page = http.as_(client).get("/crisis")
    assert NO_LINE_DE in _text(page.text)
    assert _dialled(page.text) == {"112"}
    assert re.search(r'<p data-online-only>[^<]*<a href="https://findahelpline.com"', page.text)
    assert "999" not in _text(page.text)
    assert "Samaritans" not in page.text


def test_a_country_without_any_checked_number_says_so_and_dials_nothing(http: Any) -> None:
    page = http.as_(None).get("/crisis?country=GQ")
    text = _text(page.text)
    assert "We don't have a checked crisis line for Equatorial Guinea yet." in text
    assert "ask someone near you to contact the local emergency services" in text
    assert _dialled(page.text) == set()


def test_logged_out_without_a_country_is_asked_to_choose_and_shown_no_numbers(
    http: Any,
) -> None:
    page = http.as_(None).get("/crisis")
    assert page.status_code == 200
    assert page.headers["X-Crisis-Country"] == ""
    assert "Choose your country" in page.text
    assert _dialled(page.text) == set()
    assert 'href="https://findahelpline.com"' in page.text
    unknown = http.get("/crisis?country=ZZ")
    assert unknown.status_code == 200
    assert "We don't know that country code" in unknown.text
    assert _dialled(unknown.text) == set()


def test_another_country_chosen_is_never_the_cached_copy(http: Any, session: Session) -> None:
    client = factories.client(session, country="ES")
    page = http.as_(client).get("/crisis?country=MX")
    assert _dialled(page.text) == {"911", "8009112000"}
    assert page.headers["X-Crisis-Country"] == ""  # the worker keeps only the own-country copy


def test_api_answers_for_a_country_without_borrowing_another(http: Any, session: Session) -> None:
    http.as_(None)
    de = http.get("/api/v1/crisis-lines?country=de").json()
    assert de["code"] == "DE"
    assert de["emergency"] == "112"
    assert de["lines"] == []
    assert de["has_checked_lines"] is False
    assert de["directory_url"] == "https://findahelpline.com"
    es = http.get("/api/v1/crisis-lines?country=ES").json()
    assert es["lines"][0]["source"].startswith("https://")
    assert es["lines"][0]["checked_on"] == "2026-12-06"
    assert es["lines"][0]["description"]
    nobody = http.get("/api/v1/crisis-lines").json()
    assert (nobody["emergency"], nobody["lines"]) == (None, [])
    missing = http.get("/api/v1/crisis-lines?country=ZZ")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    client = factories.client(session, country="MX")
    assert http.as_(client).get("/api/v1/crisis-lines").json()["code"] == "MX"


def test_sign_up_and_settings_accept_any_iso_country(http: Any, session: Session) -> None:
    http.as_(None)
    response = http.post(
        "/signup/client",
        data={
            "name": "Lucía",
            "email": "lucia@example.test",
            "password": "steady steps daily",
            "password_confirm": "steady steps daily",
            "country": "es",
            "time_zone": "Europe/Madrid",
            "csrf_token": http.csrf,
        },
    )
    # Sign-up answers "check your email" and makes the account from the emailed link.
    assert response.status_code == 200
    pending = session.exec(
        select(PendingSignup).where(PendingSignup.email == "lucia@example.test")
    ).one()
    assert pending.country == "ES"
    lucia = signup_service.confirm(session, pending=pending)
    assert lucia.country == "ES"
    form = http.as_(lucia).get("/settings").text
    assert '<option value="GQ"' in form
    assert '<option value="DE"' in form
    saved = http.post(
        "/settings/profile",
        data={"name": "Lucía", "time_zone": "Europe/Berlin", "country": "DE"},
    )
    assert saved.status_code in (200, 303)
    assert NO_LINE_DE in _text(http.get("/crisis").text)
    bad = http.post(
        "/settings/profile", data={"name": "Lucía", "time_zone": "Europe/Berlin", "country": "ZZ"}
    )
    assert bad.status_code == 422
    assert "Choose a country from the list." in bad.text


def test_safety_plan_and_calm_flow_use_only_the_clients_own_country(
    http: Any, session: Session
) -> None:
    client = factories.client(session, country="DE", time_zone="Europe/Berlin")
    plan = http.as_(client).get("/calm/safety-plan")
    assert "Emergency: 112" in plan.text
    assert "Samaritans" not in plan.text
    assert "999" not in plan.text
    flow = http.get("/calm")
    embedded = re.search(r'id="calm-crisis">(.*?)</script>', flow.text, re.DOTALL)
    assert embedded
    data = json.loads(embedded.group(1))
    assert (data["country"], data["emergency_numbers"], data["lines"]) == ("Germany", ["112"], [])
    assert data["has_checked_lines"] is False
    synced = http.get("/api/v1/calm/sync").json()["crisis"]
    assert synced["emergency_numbers"] == ["112"]
    assert all(line["name"] != "Samaritans" for line in synced["lines"])
    anon = http.as_(None).get("/calm-now")
    embedded = re.search(r'id="calm-crisis">(.*?)</script>', anon.text, re.DOTALL)
    assert embedded
    assert json.loads(embedded.group(1))["emergency_numbers"] == []


def test_sign_up_offers_every_country_and_the_zone_to_country_table(http: Any) -> None:
    page = http.as_(None).get("/signup?kind=client")
    assert page.status_code == 200
    assert "data-detect-country" in page.text
    table = re.search(r'id="zone-countries">(.*?)</script>', page.text, re.DOTALL)
    assert table
    assert json.loads(table.group(1))["Europe/Madrid"] == "ES"
    assert len(re.findall(r'<option value="[A-Z]{2}"', page.text)) == len(
        countries.country_choices()
    )


def test_an_urgent_questionnaire_answer_in_germany_shows_germanys_help_only(
    http: Any, session: Session, therapist: User
) -> None:
    client = factories.client(session, therapist=therapist, country="DE")
    measure_service.schedule(
        session,
        therapist=principal(session, therapist),
        client=client,
        data=ScheduleCreate(code="phq9"),
    )
    row = measure_service.submit(
        session,
        client=principal(session, client),
        code="phq9",
        data=ResponseCreate(answers=[1] * 9),
    )
    page = http.as_(client).get(f"/measures/phq9?done={row.id}")
    assert page.status_code == 200
    assert NO_LINE_DE in _text(page.text)
    assert _dialled(page.text) == {"112"}
