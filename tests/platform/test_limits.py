"""Request bodies are limited per route before they are read (app/body_limit.py)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.body_limit import BODY_LIMIT, MULTIPART_OVERHEAD
from app.config import get_settings
from app.routines.photos import MAX_UPLOAD_BYTES

LIMIT = get_settings().body_limit_bytes


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver", raise_server_exceptions=False) as tc:
        yield tc


def _photo_path() -> str:
    return f"/api/v1/routines/{uuid.uuid4()}/steps/{uuid.uuid4()}/photo"


def test_json_over_the_default_limit_is_413_problem_json(client: TestClient) -> None:
    body = b'{"name": "' + b"x" * LIMIT + b'"}'
    answer = client.post(
        "/api/v1/clients", content=body, headers={"content-type": "application/json"}
    )
    assert answer.status_code == 413
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["type"] == "/problems/too-large"


def test_a_form_streamed_without_a_length_is_stopped_at_the_limit(client: TestClient) -> None:
    # (The test client buffers what it sends; tests/platform/test_load.py streams for real.)
    def chunks() -> Iterator[bytes]:
        for _ in range(64):
            yield b"a" * 65536

    answer = client.post(
        "/login",
        content=chunks(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 413
    assert "smaller" in answer.text


def test_a_body_just_under_the_limit_reaches_the_route(client: TestClient) -> None:
    answer = client.post(
        "/login",
        content=b"email=a&pad=" + b"x" * (LIMIT - 100),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 403  # the CSRF guard read the form: no token in it


def test_an_upload_route_takes_its_own_larger_limit(client: TestClient) -> None:
    files = {"photo": ("step.jpg", b"\xff" * (LIMIT * 3), "image/jpeg")}
    answer = client.post(_photo_path(), files=files)
    assert answer.status_code == 403  # read in full; refused later for having no CSRF token


def test_an_upload_over_its_limit_is_refused_from_content_length(client: TestClient) -> None:
    files = {"photo": ("step.jpg", b"\xff" * (MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD), "image/jpeg")}
    answer = client.post(_photo_path(), files=files)
    assert answer.status_code == 413


def test_upload_routes_document_their_limit_in_openapi(app: FastAPI) -> None:
    operation = app.openapi()["paths"]["/api/v1/routines/{routine_id}/steps/{step_id}/photo"]
    assert operation["post"][BODY_LIMIT] == MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD
