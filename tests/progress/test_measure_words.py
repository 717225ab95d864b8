"""PHQ-9 and GAD-7 in Spanish: the published wording beside the English, the same instrument.

The Spanish file (app/progress/content/measures.es.yaml) holds only words; these tests hold it to
exactly the English structure (same questionnaires, same item numbers, same four answer values),
so a translation can never change what is asked or how it is scored."""

from __future__ import annotations

from typing import Any

import yaml
from sqlmodel import Session

from app import clock
from app.accounts.models import User
from app.i18n import use_language, words_path
from app.progress import measure_words, measures
from app.progress.flags import Merged, derive_flags


def test_the_spanish_file_has_exactly_the_english_structure() -> None:
    raw = yaml.safe_load(
        words_path(measure_words.CONTENT_DIR / "measures.yaml", "es").read_text(encoding="utf-8")
    )
    assert set(raw) == {"language", "answers", "measures"}
    words = measure_words.load_words("es")
    assert words is not None
    assert words.language == "es"
    assert set(words.answers) == {value for value, _label in measures.ANSWER_OPTIONS}
    assert set(words.measures) == set(measures.MEASURES)
    for code, measure in measures.MEASURES.items():
        text = words.measures[code]
        assert sorted(text.items) == [item.number for item in measure.items], code
        assert len(text.items) == len(measure.items) == {"phq9": 9, "gad7": 7}[code]


def test_spanish_is_the_published_wording_in_usted() -> None:
    phq9 = measure_words.shown(measures.PHQ9, "es")
    gad7 = measure_words.shown(measures.GAD7, "es")
    assert phq9.prompt == (
        "Durante las últimas 2 semanas, ¿qué tan seguido ha tenido molestias debido a los "
        "siguientes problemas?"
    )
    assert gad7.prompt == (
        "Durante las últimas 2 semanas, ¿con qué frecuencia le han molestado los siguientes "
        "problemas?"
    )
    assert (
        phq9.options
        == gad7.options
        == (
            (0, "Ningún día"),
            (1, "Varios días"),
            (2, "Más de la mitad de los días"),
            (3, "Casi todos los días"),
        )
    )
    assert phq9.items[8].number == 9
    assert phq9.items[8].text.startswith("Pensamientos de que estaría mejor muerto(a)")


def test_scores_and_bands_do_not_depend_on_the_language() -> None:
    for language in ("en", "es"):
        for code, measure in measures.MEASURES.items():
            shown = measure_words.shown(measure, language)
            assert [i.number for i in shown.items] == [i.number for i in measure.items]
            assert [v for v, _ in shown.options] == [0, 1, 2, 3]
            answers = [v for v, _ in shown.options] * 3
            result = measures.score(code, answers[: len(measure.items)])
            assert result.total == sum(answers[: len(measure.items)])
    assert measure_words.shown(measures.PHQ9, "en").prompt == measures.PHQ9.prompt


def test_flag_reasons_are_in_the_language_they_are_shown_in() -> None:
    """Computed once (and cached between requests), read in each reader's language."""
    [flag] = derive_flags(Merged(), now=clock.now())
    assert str(flag.reason) == "No activity recorded yet"
    with use_language("es"):
        assert f"{flag.reason}" == "Todavía no hay actividad registrada"
    [severe] = measures.score_flags("phq9", 22, None)
    with use_language("es"):
        assert str(severe.text) == "PHQ-9: total 22 de 27, en el rango más alto"
    assert str(severe.text) == "PHQ-9 total 22 of 27, in the highest range"


def _spanish(session: Session, person: User) -> None:
    person.language = "es"
    session.add(person)
    session.commit()


def test_a_spanish_client_answers_the_published_spanish_phq9(
    http: Any, session: Session, therapist: User, client_user: User
) -> None:
    http.as_(therapist)
    r = http.post(
        f"/caseload/{client_user.id}/progress/measures", data={"code": "phq9", "every_days": "14"}
    )
    assert r.status_code == 303, r.text
    _spanish(session, client_user)
    http.as_(client_user)
    assert "Responder el PHQ-9" in http.get("/today").text
    page = http.get("/measures/phq9")
    assert '<html lang="es">' in page.text
    assert "¿qué tan seguido ha tenido molestias" in page.text
    assert "Más de la mitad de los días" in page.text
    answers = {f"item-{n}": "0" for n in range(1, 10)}
    r = http.post("/measures/phq9", data={**answers, "item-3": ""})
    assert r.status_code == 422
    assert "Por favor, responde la pregunta 3 (y las que falten)." in r.text
    done = http.get(http.post("/measures/phq9", data=answers).headers["location"])
    assert "Tus respuestas se guardaron" in done.text
    assert "puntaje en el rango mínimo" in done.text
    assert "No es un diagnóstico." in done.text


def test_a_spanish_therapist_reads_the_dashboard_and_report_in_spanish(
    http: Any, session: Session, therapist: User, client_user: User
) -> None:
    _spanish(session, therapist)
    http.as_(therapist)
    dash = http.get("/dashboard")
    assert "Panel de clientes" in dash.text
    assert "Todavía no hay actividad registrada" in dash.text
    assert "Sin actividad" in dash.text
    report = http.get(f"/caseload/{client_user.id}/progress/report?view=print")
    assert report.status_code == 200
    assert '<html lang="es">' in report.text
    assert "Informe de progreso" in report.text
    assert "Registro clínico confidencial" in report.text
    assert "Logro de metas (puntaje T de GAS)" in report.text
    bad = http.get(f"/caseload/{client_user.id}/progress/report?start=2026-12-05&end=2026-12-01")
    assert bad.status_code == 422
    assert "La fecha final debe ser igual o posterior a la fecha de inicio." in bad.text


def test_the_csv_header_row_is_in_the_therapists_language(
    http: Any, session: Session, therapist: User, client_user: User
) -> None:
    """Only the header row a person reads: the section keys under it stay machine keys."""
    http.as_(therapist)
    base = f"/caseload/{client_user.id}/progress/export.csv"
    assert http.get(base).text.splitlines()[0] == "section,date,item,value,detail"
    _spanish(session, therapist)
    assert http.get(base).text.splitlines()[0] == "sección,fecha,elemento,valor,detalle"
