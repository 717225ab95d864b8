"""Schemathesis over every API operation, as anonymous, a client and a therapist:
no server errors and no response that breaks the declared schema. Bounded examples keep it fast."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)
from sqlmodel import Session

from app.db import get_session
from app.web_security import SESSION_COOKIE
from tests import factories


@pytest.fixture
def api_schema(app: FastAPI, session: Session) -> Any:
    app.dependency_overrides[get_session] = lambda: session
    yield schemathesis.from_asgi("/openapi.json", app)
    app.dependency_overrides.pop(get_session, None)


# FastAPI emits OpenAPI 3.1, which schemathesis 3 supports behind this switch.
schemathesis.experimental.OPEN_API_3_1.enable()
schema = schemathesis.from_pytest_fixture("api_schema")


@pytest.fixture
def personas(session: Session) -> dict[str, dict[str, str]]:
    """Request headers for anonymous, a client and their therapist."""
    clinic = factories.clinic(session)
    therapist = factories.therapist(session, clinic)
    client = factories.client(session, therapist=therapist)
    headers = {"anonymous": {"Cookie": "gw_csrf=fuzz", "X-CSRF-Token": "fuzz"}}
    for name, person in (("client", client), ("therapist", therapist)):
        token, csrf = factories.login_token(session, person)
        headers[name] = {"Cookie": f"{SESSION_COOKIE}={token}", "X-CSRF-Token": csrf}
    return headers


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_no_server_errors_and_responses_match_the_schema(
    case: Any, personas: dict[str, dict[str, str]]
) -> None:
    for headers in personas.values():
        response = case.call(headers=headers)
        case.validate_response(
            response,
            checks=(not_a_server_error, response_schema_conformance, content_type_conformance),
        )
