"""Occupation in Spanish (issue #21): the built-in content (interest checklist, diary and profile
vocabulary, rating scales, review outcomes) has a Spanish word for every English one, and what
Python writes for a person (form errors, a routine or homework made from an interest, the printed
discharge summary, the change words) comes out in that person's language."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlmodel import Session, select

from app import clock
from app.accounts.models import User
from app.homework.models import HomeworkAssignment
from app.i18n import _catalog, use_language
from app.occupation import diary, interests, plan, scores, service, views
from app.occupation.models import Interest
from app.occupation.schemas import OUTCOME_LABELS, InterestIn
from app.progress import gas
from app.routines.models import Routine
from tests.occupation.helpers import principal

NOW = datetime(2026, 11, 18, 14, tzinfo=UTC)
TODAY = date(2026, 11, 18)


def _spanish(session: Session, *people: User) -> None:
    for person in people:
        person.language = "es"
        session.add(person)
    session.flush()


def _built_in_words() -> list[str]:
    """Every built-in English word of the area kept in the catalog (labels, scales, outcomes)."""
    words = [label for _key, label in diary.BLOCKS]
    words += [text for _key, label, hint in diary.CATEGORIES for text in (label, hint)]
    words += list(diary.SHORT_LABELS.values())
    words += [text for _key, label, hint in service.PROFILE_FIELDS for text in (label, hint)]
    words += [text for _key, label, hint in views.SCALES for text in (label, hint)]
    words += list(OUTCOME_LABELS.values()) + list(plan.SUPPORT_LABELS.values())
    words += list(plan.GAS_WORDS.values())
    return words


def test_every_built_in_label_has_a_spanish_one() -> None:
    catalog = _catalog("es")
    assert catalog is not None
    missing = [w for w in _built_in_words() if not (catalog.get(w) and catalog.get(w).string)]
    assert missing == []


def test_the_spanish_checklist_has_exactly_the_english_groups_and_interests() -> None:
    """interests.es.yaml beside interests.yaml: same groups, same interests, same order, every one
    translated, and no two interests sharing one Spanish name."""
    words = interests.load_words("es")
    assert words is not None
    assert words.language == "es"
    assert list(words.groups) == [group for group, _names in interests.CHECKLIST]
    for group, names in interests.CHECKLIST:
        assert list(words.groups[group].interests) == list(names), group
    spanish = [n for g in words.groups.values() for n in g.interests.values()]
    assert len(set(spanish)) == len(spanish)
    assert interests.load_words("en") is None


def test_the_gas_words_are_progress_own() -> None:
    assert plan.GAS_WORDS == gas.LEVEL_LABELS


def test_interest_names_show_in_spanish_and_ones_own_as_written() -> None:
    with use_language("es"):
        assert interests.shown_name("Gardening") == "Jardinería"
        assert interests.shown_name("Bird watching") == "Bird watching"
        assert interests.group_title("Out and about") == "Salir"
        assert interests.group_title("My own") == "Mis propios intereses"
    assert interests.shown_name("Gardening") == "Gardening"


@pytest.mark.parametrize(
    ("before", "after", "english", "spanish"),
    [
        (4.0, 4.0, "no change", "sin cambios"),
        (3.0, 5.5, "up 2.5", "sube 2.5"),
        (6, 5, "down 1", "baja 1"),
    ],
)
def test_change_words_follow_the_language(
    before: float, after: float, english: str, spanish: str
) -> None:
    change = scores.Change(before, after)
    assert change.words == english
    with use_language("es"):
        assert change.words == spanish


def test_a_spanish_client_gets_form_errors_and_pages_in_spanish(
    http: Any, session: Session, client_user: User
) -> None:
    _spanish(session, client_user)
    with clock.frozen_at(NOW):
        http.as_(client_user)
        overview = http.get("/occupation").text
        future = http.post(
            "/occupation/diary",
            data={"done_on": "2026-11-20", "block": "morning", "category": "rest"},
        )
        http.post("/occupation/activities", data={"title": "Cocinar"})
        page = http.get("/occupation/activities").text
        aid = re.search(r'name="performance-([0-9a-f-]+)"', page)
        assert aid is not None
        unrated = http.post(
            "/occupation/ratings", data={f"importance-{aid.group(1)}": "8", "id": "x"}
        )
        too_long = http.post("/occupation/interests", data={"new": "x" * 81})
    assert '<html lang="es">' in overview
    assert "Mi vida diaria" in overview
    assert future.status_code == 422
    assert "Ese día todavía no ha llegado." in future.text
    assert "Please check" not in future.text
    assert unrated.status_code == 422
    assert "Elige un número del 1 al 10 para “qué tan bien lo hago ahora”." in unrated.text
    assert too_long.status_code == 422
    assert "Escribe cada interés con menos de 80 caracteres." in too_long.text


def test_a_routine_and_homework_from_an_interest_are_written_in_the_clients_language(
    http: Any, session: Session, client_user: User, therapist: User
) -> None:
    """The therapist reads English; the client chose Spanish: what is made for them is Spanish."""
    _spanish(session, client_user)
    me, ot = principal(session, client_user), principal(session, therapist)
    with clock.frozen_at(NOW):
        garden, swim = interests.save_checklist(
            session,
            principal=me,
            client=client_user,
            items=[
                InterestIn(name="Gardening", past=True),
                InterestIn(name="Swimming", present=True),
            ],
        )
        interests.to_routine(session, therapist=ot, client=client_user, interest=garden)
        interests.to_homework(session, therapist=ot, client=client_user, interest=swim)
        http.as_(therapist)
        hub = http.get(f"/caseload/{client_user.id}/occupation").text
    routine = session.exec(select(Routine).where(Routine.client_id == client_user.id)).one()
    homework = session.exec(
        select(HomeworkAssignment).where(HomeworkAssignment.client_id == client_user.id)
    ).one()
    assert routine.title == "Jardinería"
    assert homework.title == "Probar: Nadar"
    assert homework.instructions.startswith("Pruébalo una vez esta semana")
    assert '<html lang="en">' in hub  # the therapist reads their own language
    assert "Routine made" in hub
    stored = session.exec(select(Interest.name).where(Interest.client_id == client_user.id)).all()
    assert sorted(stored) == ["Gardening", "Swimming"]  # the record keeps the checklist key


def test_a_spanish_therapist_prints_the_discharge_summary_in_spanish(
    http: Any, session: Session, client_user: User, therapist: User
) -> None:
    _spanish(session, therapist)
    base = f"/caseload/{client_user.id}/occupation"
    with clock.frozen_at(NOW):
        http.as_(therapist)
        future = http.post(f"{base}/discharge", data={"discharged_on": "2026-12-01"})
        http.post(
            f"{base}/discharge",
            data={"discharged_on": TODAY.isoformat(), "client_words": "Me siento más yo"},
        )
        printed = http.get(f"{base}/discharge/print")
        pdf = http.get(f"{base}/discharge.pdf")
        fhir = json.loads(http.get(f"{base}/discharge.fhir.json").content)
        http.as_(client_user)
        mine = http.get("/occupation/discharge").text
    assert "La fecha de alta no puede ser en el futuro." in future.text
    assert '<html lang="es">' in printed.text
    assert printed.headers["content-language"] == "es"
    assert "Resumen de alta" in printed.text
    assert "18 de noviembre de 2026" in printed.text
    assert pdf.content.startswith(b"%PDF")
    composition, _patient, care_plan = (e["resource"] for e in fhir["entry"])
    assert composition["type"]["coding"][0]["display"] == "Discharge summary"  # the code's own
    assert [x["title"] for x in composition["section"]][-2:] == [
        "Con mis propias palabras",
        "El plan para seguir adelante",
    ]
    assert care_plan["title"] == "Plan de terapia ocupacional"
    assert "Discharge summary" in mine  # the client reads English: their own copy is English
