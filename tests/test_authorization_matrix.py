"""Every route of the app, as every kind of person, against the table of expected answers.

A route missing from the tables fails `test_every_route_is_in_the_matrix`: each feature must add its
routes (tests/<domain>/access_table.py) with the answer each persona should get.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

import tests
from app.accounts.models import RecordKind
from app.accounts.policy import set_private_kinds
from app.routes import route_table
from app.web_security import SESSION_COOKIE
from tests.access import ALLOW, NOT_FOUND, PERSONAS, Answer, Builder, Route, build_world

TABLE_MODULES = sorted(
    f"tests.{info.name}.access_table"
    for info in pkgutil.iter_modules([str(Path(tests.__file__).parent)])
    if info.ispkg and (Path(tests.__file__).parent / info.name / "access_table.py").exists()
)


def _load() -> list[tuple[Route, Builder | None]]:
    entries = []
    for name in TABLE_MODULES:
        module = importlib.import_module(name)
        builder = getattr(module, "build", None)
        entries.extend((route, builder) for route in module.ROUTES)
    return entries


ENTRIES = _load()


def app_routes(app: FastAPI) -> set[tuple[str, str]]:
    return set(route_table(app))


def test_every_route_is_in_the_matrix(app: FastAPI) -> None:
    listed = {(r.method, r.path) for r, _ in ENTRIES}
    missing = sorted(app_routes(app) - listed)
    assert not missing, f"routes not in any tests/*/access_table.py: {missing}"


def test_matrix_lists_no_route_the_app_lacks(app: FastAPI) -> None:
    listed = {(r.method, r.path) for r, _ in ENTRIES}
    stale = sorted(listed - app_routes(app))
    assert not stale, f"access tables list routes the app does not have: {stale}"


def _is_login(response: Any, path: str) -> bool:
    if path.startswith("/api/"):
        return bool(response.status_code == 401)
    location = response.headers.get("location", "")
    return response.status_code == 303 and (
        location == "/login" or location.startswith("/login?next=")
    )


def _matches(answer: Answer, response: Any, path: str) -> bool:
    status = response.status_code
    if answer is Answer.LOGIN:
        return _is_login(response, path)
    if answer is Answer.NOT_FOUND:
        return bool(status == 404)
    if answer is Answer.FORBIDDEN:
        return bool(status == 403)
    if _is_login(response, path):
        return False
    return bool(status < 400 or status in (400, 409, 422, 429))


CASES = [
    pytest.param(route, builder, persona, id=f"{route.method} {route.path} as {persona}")
    for route, builder in ENTRIES
    for persona in PERSONAS
]


@pytest.mark.parametrize(("route", "builder", "persona"), CASES)
def test_route_answers_as_the_table_says(
    http: Any, route: Route, builder: Builder | None, persona: str
) -> None:
    world = build_world(http.session)
    if builder is not None:
        world.params.update(builder(world))
    path = route.path.format(**world.params)
    http.client.cookies.clear()
    headers = {}
    if persona == "anonymous":
        http.client.cookies.set("gw_csrf", "matrix")
        headers["X-CSRF-Token"] = "matrix"
    else:
        token, csrf = world.tokens[persona]
        http.client.cookies.set(SESSION_COOKIE, token)
        headers["X-CSRF-Token"] = csrf
    response = http.client.request(route.method, path, headers=headers, follow_redirects=False)
    expected = route.expect.for_(persona)
    assert _matches(expected, response, route.path), (
        f"{route.method} {path} as {persona}: expected {expected.value}, got {response.status_code}"
    )


# A kind of record the client keeps private: every route showing only that kind answers their own
# therapist exactly as another person's data does (404), and still serves the client themself.
PRIVATE_ROUTES = [
    (RecordKind.mood, "GET", "/api/v1/clients/{client_id}/mood-logs"),
    (RecordKind.calm, "GET", "/api/v1/clients/{client_id}/calm/effectiveness"),
    (RecordKind.calm, "GET", "/api/v1/clients/{client_id}/calm/episodes"),
    (RecordKind.sensory, "GET", "/api/v1/clients/{client_id}/sensory/profile"),
    (RecordKind.sensory, "PUT", "/api/v1/clients/{client_id}/sensory/profile"),
    (RecordKind.sensory, "GET", "/caseload/{client_id}/sensory/profile"),
    (RecordKind.sensory, "POST", "/caseload/{client_id}/sensory/profile"),
]
PRIVATE_CASES = [
    pytest.param(
        kind,
        method,
        path,
        persona,
        private,
        id=f"{method} {path} as {persona}, {kind} {'private' if private else 'shared'}",
    )
    for kind, method, path in PRIVATE_ROUTES
    for persona, private in (("therapist", True), ("therapist", False), ("own_client", True))
]


def test_private_routes_are_every_kinds_route() -> None:
    """Each private route is a real route in the matrix that the therapist may otherwise open
    (so a renamed route cannot pass silently)."""
    shared = {(r.method, r.path) for r, _ in ENTRIES if r.expect.therapist is ALLOW}
    assert {(m, p) for _, m, p in PRIVATE_ROUTES} <= shared


@pytest.mark.parametrize(("kind", "method", "path", "persona", "private"), PRIVATE_CASES)
def test_a_private_kind_reaches_no_therapist_route(
    http: Any, kind: RecordKind, method: str, path: str, persona: str, private: bool
) -> None:
    world = build_world(http.session)
    owner = world.principal("own_client")
    set_private_kinds(http.session, owner, frozenset({kind}) if private else frozenset())
    http.session.flush()
    token, csrf = world.tokens[persona]
    http.client.cookies.clear()
    http.client.cookies.set(SESSION_COOKIE, token)
    url = path.format(**world.params)
    headers = {"X-CSRF-Token": csrf}
    response = http.client.request(method, url, headers=headers, follow_redirects=False)
    table = next(r for r, _ in ENTRIES if (r.method, r.path) == (method, path))
    # Private: 404 to the therapist; otherwise whatever the matrix says (the client is unaffected).
    expected = NOT_FOUND if persona == "therapist" and private else table.expect.for_(persona)
    assert _matches(expected, response, path), (
        f"{method} {url} as {persona}: expected {expected.value}, got {response.status_code}"
    )
