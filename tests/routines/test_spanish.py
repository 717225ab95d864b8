"""Routines in Spanish for a client who chose Spanish (issue #21): the builder's form errors, the
player, the history's words, the iCal feed, and routines made from a template. The Spanish words of
the built-in templates (templates.es.yaml) line up with the English ones, template by template."""

from __future__ import annotations

import re
import uuid
from datetime import date

import yaml
from icalendar import Calendar
from sqlmodel import Session, select

from app.accounts.models import User
from app.i18n import use_language, words_path
from app.routines import history, recurrence
from app.routines.models import Routine, RoutineStep
from app.routines.templates_library import (
    TEMPLATES_PATH,
    builtin_templates,
    load_words,
    localized,
)
from tests.conftest import Http


def _spanish(session: Session, user: User) -> User:
    user.language = "es"
    session.add(user)
    session.flush()
    return user


# --- the templates' Spanish words ---------------------------------------------------------------


def test_spanish_templates_have_the_same_keys_steps_and_details_as_the_english() -> None:
    words = load_words("es")
    assert words is not None
    assert words.language == "es"
    english = {t.key: t for t in builtin_templates()}
    assert set(words.templates) == set(english)
    for key, template in english.items():
        entry = words.templates[key]
        assert len(entry.steps) == len(template.steps), key
        for step, word in zip(template.steps, entry.steps, strict=True):
            # A detail exactly where the English has one, so nothing is added or dropped.
            assert bool(word.detail) == bool(step.detail), (key, step.title)
            assert word.title != step.title, (key, step.title)
        assert entry.title != template.title
        assert entry.summary != template.summary


def test_spanish_templates_file_has_only_words() -> None:
    """Icons, times, schedules and bad-day marks live in the English file alone."""
    raw = yaml.safe_load(words_path(TEMPLATES_PATH, "es").read_text(encoding="utf-8"))
    assert set(raw) == {"language", "templates"}
    for entry in raw["templates"].values():
        assert set(entry) <= {"title", "summary", "steps"}
        for step in entry["steps"]:
            assert set(step) <= {"title", "detail"}
    assert TEMPLATES_PATH.name == "templates.yaml"


def test_localized_template_keeps_everything_but_the_words() -> None:
    english = next(t for t in builtin_templates() if t.key == "getting-up")
    spanish = localized(english, "es")
    assert spanish.title == "Levantarme"
    assert (spanish.key, spanish.icon, spanish.time, spanish.rrule) == (
        english.key,
        english.icon,
        english.time,
        english.rrule,
    )
    assert [s.bad_day for s in spanish.steps] == [s.bad_day for s in english.steps]
    assert [s.minutes for s in spanish.steps] == [s.minutes for s in english.steps]
    assert localized(english, "en") is english


def test_a_spanish_client_gets_a_spanish_routine_from_a_template(
    http: Http, session: Session, client_user: User
) -> None:
    http.as_(_spanish(session, client_user))
    page = http.get("/routines/templates")
    assert "Levantarme" in page.text
    assert "Plantillas de rutinas" in page.text
    used = http.post("/routines/templates/use", data={"template": "getting-up"})
    assert used.status_code == 303
    routine = session.get(Routine, uuid.UUID(used.headers["location"].split("/")[2]))
    assert routine is not None
    assert routine.title == "Levantarme"
    steps = session.exec(select(RoutineStep).where(RoutineStep.routine_id == routine.id)).all()
    assert "Abre las cortinas" in {s.title for s in steps}


# --- Python-made text ------------------------------------------------------------------------------


def test_builder_form_errors_are_in_spanish(
    http: Http, session: Session, client_user: User
) -> None:
    http.as_(_spanish(session, client_user))
    no_day = http.post(
        "/routines/new",
        data={"title": "Caminar", "schedule_kind": "days", "part_of_day": "morning"},
    )
    assert no_day.status_code == 422
    assert "Elige al menos un día de la semana." in no_day.text
    bad_rule = http.post(
        "/routines/new",
        data={"title": "Caminar", "schedule_kind": "rrule", "rrule": "FREQ=SOMETIMES"},
    )
    assert "La regla de repetición necesita FREQ=DAILY, WEEKLY, MONTHLY o YEARLY." in bad_rule.text


def test_pause_and_reminder_errors_are_in_spanish(
    http: Http, session: Session, client_user: User
) -> None:
    http.as_(_spanish(session, client_user))
    made = http.post(
        "/routines/new", data={"title": "Noche", "schedule_kind": "daily", "part_of_day": "evening"}
    )
    rid = made.headers["location"].split("/")[2]
    pause = http.post(
        f"/routines/{rid}/pauses",
        data={"pause_starts_on": "2026-12-10", "pause_ends_on": "2026-12-01"},
    )
    assert pause.status_code == 422
    assert "El último día de la pausa no puede ser antes del primero." in pause.text
    times = http.post(f"/routines/{rid}/reminders", data={"times": "25:99"})
    assert "Escribe una hora como 08:30." in times.text
    page = http.get(f"/routines/{rid}/edit")
    assert "Todos los días, noche" in page.text


def test_history_and_schedule_words_follow_the_language() -> None:
    with use_language("es"):
        assert recurrence.describe("FREQ=WEEKLY;BYDAY=MO,TH") == "Cada lunes y jueves"
        assert recurrence.describe("FREQ=DAILY;INTERVAL=3") == "Cada 3 días"
        assert history.day_label(date(2026, 12, 7), 2, 4, True) == "lun 7 dic: 2 de 4 pasos"
    assert recurrence.describe("FREQ=WEEKLY;BYDAY=MO,TU,FR") == "Every Monday, Tuesday and Friday"
    assert (
        history.day_label(date(2026, 12, 7), 0, 1, True) == "Mon 7 Dec: not started, 1 step planned"
    )


def test_the_calendar_feed_speaks_the_clients_language(
    http: Http, session: Session, client_user: User
) -> None:
    http.as_(_spanish(session, client_user))
    made = http.post(
        "/routines/new",
        data={"title": "Noche", "schedule_kind": "daily", "part_of_day": "evening"},
    )
    assert made.status_code == 303
    page = http.post("/routines/calendar", data={"action": "new"})
    assert "Tu nuevo enlace de calendario." in page.text
    match = re.search(r'value="[^"]*(/calendar/[^"]+\.ics)"', page.text)
    assert match
    http.as_(None)
    cal = Calendar.from_ical(http.get(match.group(1)).content)
    assert str(cal["x-wr-calname"]) == "Mis rutinas"
    (event,) = cal.walk("VEVENT")
    assert str(event["description"]).startswith("Abrir en Groundwork: ")
    assert str(event["summary"]).endswith("Noche")  # what the client wrote, as written


def test_the_player_and_today_are_in_spanish(
    http: Http, session: Session, client_user: User
) -> None:
    http.as_(_spanish(session, client_user))
    used = http.post("/routines/templates/use", data={"template": "medication"})
    rid = used.headers["location"].split("/")[2]
    routine = session.get(Routine, uuid.UUID(rid))
    assert routine is not None
    routine.rrule = "FREQ=DAILY"
    session.add(routine)
    session.flush()
    player = http.get(f"/routines/{rid}/play")
    assert "Necesité ayuda" in player.text
    assert "Me cuesta seguir" in player.text
    today = http.get("/today")
    assert re.search(r"Buen(os días|as tardes|as noches)|Hola", today.text)
    assert "de 4 pasos" in today.text
