"""Accounts speak the reader's language: form errors, refusals, problem details and emails (the
recipient's setting; a sign-up email follows the language the sign-up page was shown in)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import Session

from app import clock, i18n
from app.accounts import throttle
from app.accounts.models import User
from app.errors import Message, Unprocessable, describe_errors, shown
from app.forms import FormResult
from app.i18n import N_
from tests import factories
from tests.accounts.test_signup import _to, signup
from tests.reminders.smtp_server import Inbox

MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
SPANISH = {"Accept-Language": "es-MX,es;q=0.9"}


def _spanish_client(session: Session, therapist: User) -> User:
    return factories.client(session, therapist=therapist, language="es")


# --- the mechanism: English text, shown in the reader's language ---------------------------------


def test_a_message_is_english_text_shown_translated_where_it_is_rendered() -> None:
    wait = throttle.wait_words(timedelta(minutes=3))
    message = Message(throttle.LOGIN_MESSAGE, wait=wait)
    assert message == (
        "Too many tries. Please wait 3 minutes and try again, or reset your password by email."
    )
    with i18n.use_language("es"):
        assert message.__html__() == (
            "Demasiados intentos. Espera 3 minutos y vuelve a intentarlo, o cambia tu "
            "contraseña por correo."
        )
        assert shown(Message(throttle.LOGIN_MESSAGE, wait=throttle.wait_words(timedelta(0))))
        assert "1 minuto " in shown(
            Message(throttle.LOGIN_MESSAGE, wait=throttle.wait_words(timedelta(seconds=20)))
        )


def test_a_refusal_and_a_validation_error_are_catalog_messages() -> None:
    refusal = Unprocessable(N_("That is not your current password."), field="current_password")
    form: FormResult[Any] = FormResult(values={})
    form.add_refusal(refusal)
    [missing] = describe_errors([{"type": "missing", "loc": ("body", "name")}])
    [limit] = describe_errors([{"type": "less_than_equal", "loc": ("x",), "ctx": {"le": 10}}])
    with i18n.use_language("es"):
        assert form.errors["current_password"].__html__() == "Esa no es tu contraseña actual."
        assert shown(missing["problem"]) == "Esto es obligatorio."
        assert shown(limit["problem"]) == "Debe ser 10 o menos."
    assert limit["problem"] == "This must be 10 or less."  # English stays English


# --- pages -----------------------------------------------------------------------------------------


def test_a_spanish_visitor_sees_sign_up_errors_and_countries_in_spanish(http: Any) -> None:
    http.as_(None)
    page = http.get("/signup", headers=SPANISH)
    assert "Crear una cuenta" in page.text
    assert ">Alemania<" in page.text  # the country picker, in Spanish
    data = {"name": "", "email": "not-an-email", "password": "short", "csrf_token": http.csrf}
    refused = http.post("/signup/client", data=data, headers=SPANISH)
    assert refused.status_code == 422
    assert "Esto es obligatorio." in refused.text
    assert "Escribe un correo electrónico, como nombre@ejemplo.com." in refused.text
    assert '<html lang="es">' in refused.text


def test_a_spanish_client_sees_password_errors_in_spanish(
    http: Any, session: Session, therapist: User
) -> None:
    client = _spanish_client(session, therapist)
    http.as_(client)
    form = {
        "current_password": "not my password",
        "password": "a brand new password",
        "password_confirm": "a different password",
        "csrf_token": http.csrf,
    }
    mismatch = http.post("/settings/password", data=form)
    assert mismatch.status_code == 422
    assert "Las dos contraseñas no son iguales." in mismatch.text
    form["password_confirm"] = form["password"]
    wrong = http.post("/settings/password", data=form)
    assert wrong.status_code == 422
    assert "Esa no es tu contraseña actual." in wrong.text


def test_the_same_error_stays_english_for_an_english_client(http: Any, client_user: User) -> None:
    http.as_(client_user)
    form = {
        "current_password": "not my password",
        "password": "a brand new password",
        "password_confirm": "a different password",
        "csrf_token": http.csrf,
    }
    assert "The two passwords are not the same." in http.post("/settings/password", data=form).text


def test_a_throttled_login_is_told_how_long_to_wait_in_spanish(http: Any) -> None:
    http.as_(None)
    data = {"email": "nobody@example.test", "password": "wrong guess", "csrf_token": http.csrf}
    with clock.frozen_at(MONDAY):
        answers = [http.post("/login", data=data, headers=SPANISH) for _ in range(12)]
    throttled = [a for a in answers if a.status_code == 429]
    assert throttled, [a.status_code for a in answers]
    assert "Demasiados intentos. Espera " in throttled[-1].text
    assert "minuto" in throttled[-1].text
    assert "El correo y la contraseña no coinciden." in answers[0].text


def test_api_problem_details_name_the_field_problem_in_spanish(
    http: Any, session: Session, therapist: User
) -> None:
    client = _spanish_client(session, therapist)
    answer = http.as_(client).patch("/api/v1/me", json={"name": "Sam", "country": "ZZ"})
    assert answer.status_code == 422
    body = answer.json()
    assert body["title"] == "Algunos campos necesitan atención"
    assert {"field": "country", "problem": "Elige un país de la lista."} in body["errors"]


def test_the_client_page_shows_the_country_in_the_therapists_language(
    http: Any, session: Session, therapist: User
) -> None:
    therapist.language = "es"
    client = factories.client(session, therapist=therapist, country="DE")
    session.add(therapist)
    session.commit()
    page = http.as_(therapist).get(f"/caseload/{client.id}")
    assert page.status_code == 200
    assert "Alemania" in page.text


# --- emails -----------------------------------------------------------------------------------------


def test_a_sign_up_from_a_spanish_page_gets_its_email_in_spanish(http: Any, inbox: Inbox) -> None:
    with clock.frozen_at(MONDAY):
        http.as_(None)
        data = {
            "name": "Noa",
            "email": "noa-es@example.test",
            "password": "steady steps daily",
            "password_confirm": "steady steps daily",
            "country": "MX",
            "time_zone": "America/Mexico_City",
            "csrf_token": http.csrf,
        }
        assert http.post("/signup/client", data=data, headers=SPANISH).status_code == 200
    [email] = _to(inbox, "noa-es@example.test")
    assert email["Subject"] == "Termina de crear tu cuenta de Groundwork"
    assert email["Content-Language"] == "es"
    body = email.get_content()
    assert body.startswith("Hola, Noa:")
    assert "en menos de 24 horas" in body


def test_an_english_sign_up_email_stays_english(http: Any, inbox: Inbox) -> None:
    with clock.frozen_at(MONDAY):
        signup(http, "kai-en@example.test")
    [email] = _to(inbox, "kai-en@example.test")
    assert email["Subject"] == "Finish setting up Groundwork"
    assert email.get_content().startswith("Hello Kai,")


def test_the_someone_tried_notice_is_in_the_account_holders_language(
    http: Any, session: Session, therapist: User, inbox: Inbox
) -> None:
    holder = _spanish_client(session, therapist)
    with clock.frozen_at(MONDAY):
        signup(http, holder.email)  # from an English browser: the holder reads Spanish
    [notice] = _to(inbox, holder.email)
    assert notice["Subject"] == "Alguien intentó registrarse con tu correo"
    assert "Ya tienes una cuenta" in notice.get_content()


def test_a_password_reset_email_is_in_the_persons_language(
    http: Any, session: Session, therapist: User, inbox: Inbox
) -> None:
    client = _spanish_client(session, therapist)
    http.as_(None)
    sent = http.post("/forgot", data={"email": client.email, "csrf_token": http.csrf})
    assert sent.status_code == 200
    [email] = _to(inbox, client.email)
    assert email["Subject"] == "Cambia tu contraseña de Groundwork"
    assert "Alguien (ojalá tú) pidió cambiar tu contraseña" in email.get_content()


# --- the outage page ---------------------------------------------------------------------------------


def _request(path: str, language: str) -> Any:
    from starlette.requests import Request

    headers = [(b"accept-language", language.encode())]
    scope = {"type": "http", "method": "GET", "path": path, "headers": headers, "query_string": b""}
    return Request(scope)


def test_the_outage_answer_speaks_the_visitors_language() -> None:
    from app.unavailable import response_for

    api = response_for(_request("/api/v1/me", "es"), "busy")
    assert api.status_code == 503
    assert b"Groundwork est\\u00e1 muy ocupado ahora" in api.body or (
        "Groundwork está muy ocupado ahora".encode() in api.body
    )
    english = response_for(_request("/api/v1/me", "en"), "database")
    assert b"We'll be back shortly" in english.body
