"""My data in the client's language: the pages, the progress steps and the download's README."""

from __future__ import annotations

from sqlmodel import Session

from app.accounts.models import User
from app.i18n import gettext, use_language
from app.my_data import build
from tests.conftest import Http


def test_progress_steps_are_kept_in_english_and_said_in_spanish() -> None:
    with use_language("es"):
        assert build.step_words("Copying your records") == "Copiando tus registros"
        assert build.step_words("Copied habit check-ins") == "Copiado: registros de hábitos"
        assert build.step_words("Ready") == "Listo"
        assert build.step_words("") == ""
    assert build.step_words("Copied habit check-ins") == "Copied habit check-ins"


def test_the_readme_has_a_spanish_version() -> None:
    with use_language("es"):
        readme = gettext(build.README)
    assert readme.startswith("Tus datos de Groundwork")
    assert "summary.pdf" in readme and "groundwork.fhir.json" in readme


def test_a_spanish_client_reads_my_data_and_closing_in_spanish(
    http: Http, session: Session, client_user: User
) -> None:
    client_user.language = "es"
    session.add(client_user)
    session.flush()
    http.as_(client_user)
    page = http.get("/my-data")
    assert page.status_code == 200
    assert "Descargar mis datos" in page.text
    close = http.get("/my-data/close")
    assert "Si cambias de opinión" in close.text
    assert "las notas de sesión que escribió tu terapeuta" in close.text.lower()
    wrong = http.post("/my-data/close", data={"current_password": "not it"})
    assert wrong.status_code == 422
