"""Email input is one validated type everywhere, and SQL parameters never reach an error or a log."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from app.logging_setup import JsonFormatter
from app.schema_types import EMAIL_PATTERN, ApiModel, Email
from tests import factories

NUL_EMAIL = "a\x00@x.test"


def _models(base: type[BaseModel]) -> list[type[BaseModel]]:
    found = []
    for sub in base.__subclasses__():
        found.append(sub)
        found.extend(_models(sub))
    return found


def _is_text(schema: dict[str, Any]) -> bool:
    return any(o.get("type") == "string" for o in [schema, *schema.get("anyOf", [])])


def _patterns(schema: dict[str, Any]) -> set[str]:
    options = [schema, *schema.get("anyOf", [])]
    return {o["pattern"] for o in options if "pattern" in o}


def test_every_email_field_uses_the_one_email_type(app: Any) -> None:
    assert app  # create_app has imported every domain's request models
    email_fields = [
        (model.__name__, name, properties[name])
        for model in _models(ApiModel)
        for properties in [model.model_json_schema().get("properties", {})]
        for name in model.model_fields
        if "email" in name and name in properties and _is_text(properties[name])
    ]
    assert len(email_fields) >= 6, "the enumeration lost the email fields"
    for model, name, schema in email_fields:
        assert EMAIL_PATTERN in _patterns(schema), f"{model}.{name} is not the Email type"


def test_the_email_type_accepts_addresses_and_lowercases_them() -> None:
    assert (
        TypeAdapter(Email).validate_python(" Sam.Lee+gw@Example.TEST ") == "sam.lee+gw@example.test"
    )


@pytest.mark.parametrize(
    ("path", "extra"),
    [
        ("/login", {"password": "whatever-it-is"}),
        ("/forgot", {}),
        ("/signup/client", {"name": "A", "password": "x" * 12, "password_confirm": "x" * 12}),
    ],
)
def test_a_nul_byte_in_an_email_is_a_form_error_not_a_server_error(
    http: Any, path: str, extra: dict[str, str]
) -> None:
    http.as_(None)
    response = http.post(path, data={"email": NUL_EMAIL, **extra, "csrf_token": http.csrf})
    assert response.status_code == 422
    assert "Enter an email address" in response.text
    assert "\x00" not in response.text


def test_a_nul_byte_in_an_api_email_is_a_422_problem(http: Any, session: Any) -> None:
    therapist = factories.therapist(session, factories.clinic(session))
    http.as_(therapist)
    response = http.post("/api/v1/clients", json={"name": "Sam", "email": NUL_EMAIL})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["errors"] == [
        {"field": "email", "problem": "Enter an email address, like name@example.com."}
    ]


@pytest.mark.parametrize("bad", ["no-at-sign", "two@@x.test", "sp ace@x.test", "tab\t@x.test"])
def test_malformed_emails_are_refused_at_login(http: Any, bad: str) -> None:
    response = http.post("/login", data={"email": bad, "password": "p", "csrf_token": http.csrf})
    assert response.status_code == 422


@pytest.mark.parametrize("next_field", [{}, {"next": ""}, {"next": "/settings"}])
def test_a_valid_email_still_logs_in_in_any_case(
    http: Any, session: Any, next_field: dict[str, str]
) -> None:
    person = factories.client(session)
    assert person.email is not None
    data = {"email": person.email.upper(), "password": factories.PASSWORD, **next_field}
    response = http.post("/login", data={**data, "csrf_token": http.csrf})
    assert response.status_code == 303
    assert response.headers["location"] == (next_field.get("next") or "/today")


def test_a_nul_byte_in_next_is_a_form_error(http: Any, session: Any) -> None:
    person = factories.client(session)
    data = {"email": person.email, "password": factories.PASSWORD, "next": "/today\x00"}
    assert http.post("/login", data={**data, "csrf_token": http.csrf}).status_code == 422


def test_sql_errors_never_carry_the_parameters(engine: Engine) -> None:
    typed = "someone-typed-this@example.test"
    with engine.connect() as conn, pytest.raises(IntegrityError) as failed:
        conn.execute(
            text("INSERT INTO user_account (id, email) VALUES (:id, :email)"),
            {"id": None, "email": typed},
        )
    assert "hidden due to hide_parameters" in str(failed.value)
    # PostgreSQL's own message quotes the failing row: the log line must not carry it either.
    error = failed.value
    record = logging.LogRecord(
        "groundwork.errors",
        logging.ERROR,
        __file__,
        1,
        "unhandled error",
        None,
        (type(error), error, error.__traceback__),
    )
    line = json.loads(JsonFormatter().format(record))
    assert typed not in line["error"]
    assert "INSERT INTO user_account" in line["error"]
    assert "IntegrityError" in line["error"]
