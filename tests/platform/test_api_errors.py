"""Bad input gets a clear 4xx problem+json that never echoes what was sent; nothing makes a 500."""

from __future__ import annotations

from typing import Any

import pytest

from app.accounts.models import User

SECRET = "my private distress note"


def test_validation_errors_name_fields_but_never_echo_values(http: Any, therapist: User) -> None:
    http.as_(therapist)
    response = http.post(
        "/api/v1/clients", json={"name": SECRET * 20, "email": SECRET, "time_zone": SECRET}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert {e["field"] for e in body["errors"]} >= {"name", "email", "time_zone"}
    assert SECRET not in response.text


@pytest.mark.parametrize(
    "payload",
    [
        {"name": "Ro\x00bin"},
        {"name": "x" * 20_000},  # over the field's length, under the body limit (413: test_limits)
        {"name": 5},
        {"name": False},
        {"name": None},
        {"name": ["a"]},
        {"name": "Robin", "unexpected": 1},
    ],
    ids=["NUL byte", "huge string", "number", "boolean", "null", "list", "unknown field"],
)
def test_hostile_input_is_a_clean_422(http: Any, therapist: User, payload: dict[str, Any]) -> None:
    http.as_(therapist)
    response = http.post("/api/v1/clients", json=payload)
    assert response.status_code == 422


def test_malformed_json_is_a_422_not_a_500(http: Any, therapist: User) -> None:
    http.as_(therapist)
    response = http.post(
        "/api/v1/clients", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422


def test_unknown_api_path_is_problem_json(http: Any) -> None:
    response = http.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["status"] == 404


def test_healthz_checks_the_database(http: Any) -> None:
    assert http.get("/healthz").json() == {"status": "ok"}


def test_security_headers_on_every_page(http: Any) -> None:
    response = http.get("/login")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-request-id"]
    assert response.headers["cache-control"] == "no-store"


def test_forms_render_a_real_csrf_token(http: Any) -> None:
    http.client.cookies.clear()
    page = http.client.get("/login")
    token = page.cookies.get("gw_csrf")
    assert token
    assert f'name="csrf_token" value="{token}"' in page.text
