"""Self-care in Spanish (issue #21): the built-in ladders' Spanish words beside the English, the
words Python makes (targets, states, suggestions, observations, refusals), and the pages of a
Spanish client and of their English-speaking therapist reading the same habit."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from app.accounts.models import User
from app.i18n import use_language
from app.self_care import grading, library, words
from app.self_care.ladders import builtin_ladders
from app.self_care.patterns import Observation
from app.self_care.strength import DayState, HeatDay
from app.self_care.targets import Target, TargetKind
from tests.self_care.helpers import start


def _spanish(session: Session, user: User) -> User:
    user.language = "es"
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


# --- the ladders' Spanish file ------------------------------------------------------------------


def test_the_spanish_ladders_have_exactly_the_english_ladders_and_levels() -> None:
    spanish = words.load_words("es")
    assert spanish is not None
    assert spanish.language == "es"
    english = builtin_ladders()
    assert list(spanish.ladders) == [ladder.id for ladder in english]  # same keys, same order
    for ladder in english:
        entry = spanish.ladders[ladder.id]
        assert len(entry.levels) == len(ladder.levels), ladder.id
        assert entry.title != ladder.title, ladder.id
    units = {lv.target.unit for ladder in english for lv in ladder.levels if lv.target.unit}
    assert set(spanish.units) == units  # every built-in unit, and no other


def test_english_has_no_words_file_and_keeps_the_ladders_own_words() -> None:
    assert words.load_words("en") is None
    washing = next(ladder for ladder in builtin_ladders() if ladder.id == "washing")
    assert words.title(washing) == "Washing"
    with use_language("es"):
        assert words.title(washing) == "Aseo"
        assert words.level(washing, 3) == "Un baño rápido"


def test_a_habit_renamed_or_of_ones_own_is_shown_as_written() -> None:
    with use_language("es"):
        assert words.habit_title("builtin:water", "Drinking water") == "Tomar agua"
        assert words.habit_title("builtin:water", "My water") == "My water"
        assert words.habit_title("personal", "Water the plants") == "Water the plants"
        assert (
            words.habit_level("builtin:water", 1, "Drink a glass of water")
            == "Tomar un vaso de agua"
        )
        assert words.habit_level("builtin:water", 1, "Something else") == "Something else"
        assert not words.is_builtin("personal", "Water the plants")


# --- words Python makes ---------------------------------------------------------------------------


def test_targets_are_described_in_spanish() -> None:
    weekly = Target(kind=TargetKind.WEEKLY, times_per_week=3)
    water = Target(kind=TargetKind.AMOUNT, amount=6, unit="glasses")
    walk = Target(kind=TargetKind.AMOUNT, amount=20, unit="minutes", days=frozenset({0, 2, 4}))
    assert weekly.describe() == "3 times a week"
    assert water.describe() == "6 glasses a day"
    with use_language("es"):
        assert weekly.describe() == "3 veces por semana"
        assert Target(kind=TargetKind.WEEKLY, times_per_week=1).describe() == "una vez por semana"
        assert water.describe() == "6 vasos al día"
        assert Target(kind=TargetKind.DAYS).describe() == "todos los días"
        assert walk.describe().startswith("20 minutos los lun")
        assert HeatDay(date(2026, 12, 7), 0.0, DayState.PAUSED).text.endswith(": en pausa")


def test_a_stored_suggestion_reads_in_the_readers_language() -> None:
    up = grading.UP_MESSAGE % {"met": 2, "weeks": 3, "confidence": "7.5"}
    assert grading.shown_message(up) == up
    with use_language("es"):
        shown = grading.shown_message(up)
        assert shown.startswith("Cumpliste tu meta en 2 de las últimas 3 semanas")
        assert "7.5 de 10" in shown
        assert grading.shown_message(grading.DOWN_MESSAGE).startswith("Este paso ha costado")
        assert grading.shown_message("Written by hand") == "Written by hand"


def test_a_pattern_is_told_in_spanish_without_claiming_a_cause() -> None:
    seen = Observation("Tomar agua", 4.0, 3.0, 8, 8, "mood")
    with use_language("es"):
        text = seen.text
    assert text.startswith("Los días que hiciste “Tomar agua”, tu ánimo fue en promedio de 4.0")
    assert "no una prueba" in text


# --- pages ------------------------------------------------------------------------------------------


def test_a_spanish_client_starts_a_ladder_and_reads_it_in_spanish(
    http: Any, session: Session, client_user: User, therapist: User
) -> None:
    _spanish(session, client_user)
    http.as_(client_user)
    library_page = http.get("/self-care/library")
    assert "Tomar agua" in library_page.text
    assert "Drinking water" not in library_page.text
    r = http.post("/self-care/library/water", data={"level": "2"})
    assert r.status_code == 303
    page = http.get(r.headers["location"])
    assert 'lang="es"' in page.text
    assert "Tomar agua" in page.text
    assert "Tomar algunos vasos de agua" in page.text
    assert "4 vasos al día" in page.text
    today = http.get("/today").text
    assert 'aria-label="Listo: Tomar agua"' in today
    assert 'aria-label="+1 vasos: Tomar agua"' in today
    # Their therapist reads the same habit in English (the ladder's own words).
    http.as_(therapist)
    therapist_page = http.get(f"/caseload/{client_user.id}/self-care").text
    assert "Drinking water" in therapist_page
    assert "Drink some glasses of water" in therapist_page


def test_a_refusal_on_a_page_is_in_the_clients_language(
    http: Any, session: Session, client_user: User
) -> None:
    _spanish(session, client_user)
    habit = start(session, client_user, "washing")
    http.as_(client_user)
    r = http.post(
        f"/self-care/habits/{habit.id}/check-in",
        data={"id": "3f1d2c4e-5b6a-4c7d-8e9f-0a1b2c3d4e5f", "outcome": "done", "on": "2001-01-01"},
    )
    assert r.status_code == 422
    assert "Puedes registrar hoy o ayer." in r.text
    ladder = http.post("/self-care/library/washing", data={"level": "9"})
    assert "Esta escalera tiene pasos del 1 al 5." in ladder.text


def test_the_library_link_and_clinic_ladder_labels_are_catalog_messages() -> None:
    with use_language("es"):
        from app.i18n import gettext

        assert gettext(library.LINK.title) == "Escaleras de autocuidado"


def test_a_spanish_clients_habit_reminder_is_written_in_spanish(
    session: Session, client_user: User
) -> None:
    from datetime import time

    from sqlmodel import select

    from app.reminders.models import ReminderSchedule
    from app.self_care import service

    _spanish(session, client_user)
    habit = start(session, client_user, "water", level=1)
    service.set_reminder(session=session, habit=habit, at=time(9, 30))
    schedule = session.exec(
        select(ReminderSchedule).where(ReminderSchedule.source_id == habit.id)
    ).one()
    assert schedule.title == "Tomar agua"
    assert schedule.body == "Tomar un vaso de agua"


def test_a_spanish_therapist_reads_a_clinic_ladders_problems_in_spanish(
    http: Any, session: Session, therapist: User
) -> None:
    _spanish(session, therapist)
    http.as_(therapist)
    bad = http.post(
        "/self-care/clinic-ladders/new",
        data={
            "title": "Cocinar",
            "life_area": "eating",
            "level_1_description": "Hacer pan tostado",
            "level_1_kind": "weekly",
            "level_2_description": "Cocinar pasta",
        },
    )
    assert bad.status_code == 422
    assert "Paso 1: " in bad.text
    assert "Di cuántas veces por semana (de 1 a 7)." in bad.text
