"""The sensory content in Spanish: the words files beside the English (content/*.es.yaml) have
exactly the English ids and shapes, and pages, summaries and form errors come out in Spanish for
someone who chose Spanish (English stays the default)."""

from __future__ import annotations

from datetime import time
from typing import Any

import yaml
from sqlmodel import Session

from app.accounts.models import User
from app.i18n import use_language
from app.sensory import diet, words
from app.sensory.catalog import CONTENT_DIR, activities, checklist
from app.sensory.diet_service import DietError, DietInput, _resolve
from app.sensory.profile import ProfileAnswers, summarize
from app.sensory.vocabulary import SYSTEMS
from tests import factories


def test_the_spanish_checklist_has_every_english_id_and_shape() -> None:
    english, spanish = checklist(), words.checklist_words("es")
    assert spanish is not None
    assert list(spanish.responses) == [r.id for r in english.responses]
    assert list(spanish.systems) == list(SYSTEMS)
    for system in english.systems:
        assert len(spanish.systems[system.id].examples) == len(system.examples), system.id
    for kind in ("triggers", "calming", "alerting"):
        assert list(getattr(spanish, kind)) == list(english.choices(kind)), kind


def test_the_spanish_diet_library_has_every_activity_and_caution() -> None:
    english, spanish = activities(), words.diet_words("es")
    assert spanish is not None
    assert list(spanish.activities) == list(english)
    uneven = [
        a.id for a in english.values() if len(spanish.activities[a.id].cautions) != len(a.cautions)
    ]
    assert uneven == []
    raw = yaml.safe_load((CONTENT_DIR / "diet_activities.yaml").read_text(encoding="utf-8"))
    assert set(spanish.shared_cautions) == set(raw["shared_cautions"])


def test_the_spanish_words_replace_only_words() -> None:
    """Ids, senses, timings and the therapist-taught rule come from the English file only."""
    for english, spanish in zip(
        activities().values(), words.activities_in("es").values(), strict=True
    ):
        assert (spanish.id, spanish.systems, spanish.effect, spanish.course, spanish.minutes) == (
            english.id,
            english.systems,
            english.effect,
            english.course,
            english.minutes,
        )
        assert spanish.therapist_taught_only == english.therapist_taught_only
        assert spanish.title != english.title or spanish.id == "fidget"
    brushing = words.activities_in("es")["brushing_protocol"]
    assert brushing.cautions == (words.shared_caution("therapist_taught", "es"),)
    assert "terapeuta" in brushing.cautions[0]
    assert words.activities_in("en") == activities()


def test_a_summary_reads_in_spanish_and_still_in_english() -> None:
    answers = ProfileAnswers(
        responses={"proprioceptive": "seek", "vestibular": "seek", "auditory": "overwhelmed"},
        calming=frozenset({"rocking"}),
    )
    with use_language("es"):
        lines = summarize(answers).lines
        named = summarize(answers, name="Sam").lines
    assert lines[0] == "Sueles buscar la presión profunda y el movimiento."
    assert lines[1] == "Te puede resultar demasiado: los sonidos."
    assert "Lo que te ayuda a calmarte: mecerse o balancearse despacio." in lines
    assert named[0] == "Sam suele buscar la presión profunda y el movimiento."
    assert summarize(answers).lines[1] == "Sound can get too much for you."


def test_diet_errors_days_and_patterns_in_spanish() -> None:
    with use_language("es"):
        try:
            _resolve(DietInput(local_time=time(8), days=frozenset({0})))
        except DietError as err:
            message = err.detail
        assert diet.describe_days({0, 2}) == "lun, mié"
        assert diet.describe_days(range(7)) == "Todos los días"
        pattern = diet.ArousalPattern(count=1, after={"too_low": 0, "just_right": 1, "too_high": 0})
        assert diet.describe_pattern(pattern) == "Después: justo bien 1."
    assert message == "Ponle un nombre a la actividad, o elige una de la biblioteca."
    assert diet.describe_days({0, 2}) == "Mon, Wed"


def test_the_sensory_pages_are_spanish_for_a_spanish_client(http: Any, session: Session) -> None:
    person = factories.client(session, language="es")
    http.as_(person)
    profile = http.get("/sensory/profile").text
    assert '<html lang="es">' in profile
    assert "¿Cómo te llevas con los sonidos y el ruido?" in profile
    assert "Lo busco" in profile
    kit = http.post("/sensory/kit", data={"items": "not_a_kit_item"}).text
    assert "Elige cosas de la lista." in kit
    plan = http.post("/sensory/diet", data={"local_time": "08:00", "days": "0"}).text
    assert "Ponle un nombre a la actividad, o elige una de la biblioteca." in plan
    assert "Descansar bajo una cobija con peso" in plan
    assert ">lun<" in plan


def test_the_library_and_a_library_item_keep_their_spanish_name(
    http: Any, session: Session, therapist: User
) -> None:
    therapist.language = "es"
    session.add(therapist)
    session.commit()
    page = http.as_(therapist).get("/library/sensory").text
    assert "Protocolo de cepillado" in page
    assert "Solo como te enseñó tu terapeuta." in page
    person = factories.client(session, language="es")
    http.as_(person)
    added = http.post(
        "/sensory/diet",
        data={"activity_id": "chewing_gum", "local_time": "09:00", "days": ["0", "1"]},
    )
    assert added.status_code == 303
    assert "Masticar chicle" in http.get("/sensory/diet").text


def test_the_client_page_glance_is_worded_in_the_therapists_language(
    http: Any, session: Session, client_user: User, therapist: User
) -> None:
    http.as_(client_user).post("/sensory/profile", data={"r_vestibular": "seek"})
    therapist.language = "es"
    session.add(therapist)
    session.commit()
    page = http.as_(therapist).get(f"/caseload/{client_user.id}").text
    name = client_user.preferred_name
    assert f"{name} suele buscar el movimiento." in page
    assert "Plan sensorial, seguimiento y patrón de activación" in page
    own = http.as_(therapist).get(f"/caseload/{client_user.id}/sensory").text
    assert "Perfil sensorial" in own
    assert f"{name} suele buscar el movimiento." in own
