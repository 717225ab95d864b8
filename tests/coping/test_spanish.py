"""Calm in Spanish for someone who chose Spanish: the server's ranking reasons, the toolbox's
kinds and built-in names, and form errors. English stays the default (the other tests)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app.accounts.models import User
from app.coping.ranking import Reason, say
from app.i18n import use_language


def _spanish(session: Session, person: User) -> User:
    person.language = "es"
    session.add(person)
    session.commit()
    return person


def test_reasons_are_worded_in_the_language_asked_for() -> None:
    helped = Reason("helped", n=2, drop=2.4)
    sense = Reason("sense", sense="vestibular")
    assert say(helped) == "Helped you twice, about 2 points on average"
    with use_language("es"):
        assert say(Reason("recommended")) == "Tu terapeuta te lo sugirió"
        assert "dos veces" in say(helped)
        assert say(Reason("duration", n=5)).endswith("5 minutos")
        assert "movimiento" in say(sense)


def test_suggestions_give_their_reason_in_spanish(
    http: Any, session: Session, client_user: User
) -> None:
    person = _spanish(session, client_user)
    items = http.as_(person).get("/api/v1/calm/suggestions?level=4").json()
    assert items
    assert all("minute" not in i["reason"] for i in items)
    assert any("minuto" in i["reason"] for i in items)


def test_the_toolbox_and_my_strategies_are_in_spanish(
    http: Any, session: Session, client_user: User
) -> None:
    person = _spanish(session, client_user)
    page = http.as_(person).get("/calm/toolbox").text
    assert "Mi caja de herramientas para la calma" in page
    assert "Respiración" in page
    assert "Box breathing" not in page
    mine = http.as_(person).post("/calm/my-strategies", data={"title": "", "steps": ""}).text
    assert "Mis propias estrategias" in mine


def test_the_therapist_calm_page_and_its_error_in_spanish(
    http: Any, session: Session, client_user: User, therapist: User
) -> None:
    _spanish(session, therapist)
    http.as_(therapist)
    page = http.get(f"/caseload/{client_user.id}/calm").text
    assert "Malestar antes y después, últimos 30 días" in page
    refused = http.post(
        f"/caseload/{client_user.id}/calm/recommend",
        data={"strategy_key": "no-such-strategy", "note": ""},
    ).text
    assert "Elige una estrategia de la lista." in refused
