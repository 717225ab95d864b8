"""My data in the client's language: the pages, the progress steps and the download's README."""

from __future__ import annotations

from sqlmodel import Session

from app import clock
from app.accounts.models import User
from app.i18n import gettext, use_language
from app.my_data import build
from tests import factories
from tests.conftest import Http
from tests.my_data.test_closure_pages import NOW
from tests.my_data.test_closure_pages import inbox as inbox  # the SMTP fixture
from tests.reminders.smtp_server import Inbox


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
    assert "summary.pdf" in readme
    assert "groundwork.fhir.json" in readme


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


def test_closing_emails_are_in_each_recipients_language(
    http: Http, session: Session, client_user: User, therapist: User, inbox: Inbox
) -> None:
    """The client chose Spanish, their therapist English: each reads their own."""
    client_user.language = "es"
    session.add(client_user)
    session.flush()
    with clock.frozen_at(NOW):
        http.as_(client_user)
        done = http.post(
            "/my-data/close",
            data={"csrf_token": http.csrf, "current_password": factories.PASSWORD},
        )
        assert done.status_code == 303
        # Logged out now: the page follows the browser's language, as for any visitor.
        closed = http.get("/account/closed?emailed=1", headers={"Accept-Language": "es-MX"})
        assert "Te enviamos un enlace por correo" in closed.text
    to_client = next(m for m in inbox.messages if m["To"] == client_user.email)
    assert to_client["Subject"] == "Tu cuenta de Groundwork está cerrada"
    body = to_client.get_content()
    assert body.startswith(f"Hola, {client_user.preferred_name.split()[0]}:")
    assert "puedes recuperar todo hasta el miércoles 2 de diciembre de 2026:" in body
    to_therapist = next(m for m in inbox.messages if m["To"] == therapist.email)
    assert to_therapist["Subject"] == "A client closed their Groundwork account"
    assert "Wednesday 2 December 2026" in to_therapist.get_content()
