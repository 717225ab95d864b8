"""Route gates refuse only paths no route behind them could match, and they are what keeps a
request from being tested against every other domain's routes first."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from app.route_gates import RouteGate

SAMPLE_BY_CONVERTOR = {
    "str": "x",
    "int": "7",
    "float": "1.5",
    "uuid": "00000000-0000-4000-8000-000000000001",
    "path": "a/b.txt",
}
PARAMETER = re.compile(r"\{(\w+)(?::(\w+))?\}")


def concrete(path: str) -> str:
    """A request path the route pattern `path` matches."""
    return PARAMETER.sub(lambda m: SAMPLE_BY_CONVERTOR[m.group(2) or "str"], path)


def gates(app: FastAPI) -> Iterator[RouteGate]:
    for route in app.routes:
        inner = getattr(route, "original_router", None)
        if isinstance(inner, RouteGate):
            yield inner


def test_every_domain_router_is_gated(app: FastAPI) -> None:
    gated = {id(r) for gate in gates(app) for r in gate.routes}
    assert len(list(gates(app))) >= 20
    assert gated, "no gates found"


def test_a_gate_admits_every_path_its_routes_match(app: FastAPI) -> None:
    checked = 0
    for gate in gates(app):
        for context in iter_route_contexts(gate.routes):
            path = concrete(context.path)
            assert gate.admits(path), f"{gate.heads} refuses {path} ({context.path})"
            checked += 1
    assert checked > 300


def test_a_gate_refuses_other_domains_paths(app: FastAPI) -> None:
    calm = next(g for g in gates(app) if g.admits("/api/v1/calm/suggestions"))
    assert not calm.admits("/api/v1/habits/7/check-ins")
    assert not calm.admits("/today")
    assert not calm.admits("/api/v1/calm")  # a prefix of a route is not a route
    assert not calm.admits("/caseload/00000000-0000-4000-8000-000000000001/progress")
    assert calm.admits("/api/v1/calm/toolbox/grounding-54321")
    assert calm.admits("/api/v1/clients/00000000-0000-4000-8000-000000000001/calm/episodes")


@pytest.fixture
def counted_matches(monkeypatch: pytest.MonkeyPatch) -> list[APIRoute]:
    """Every API route FastAPI tests a request against."""
    tried: list[APIRoute] = []
    original = APIRoute.matches

    def counting(self: APIRoute, scope: Any) -> Any:
        tried.append(self)
        return original(self, scope)

    monkeypatch.setattr(APIRoute, "matches", counting)
    return tried


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/calm/suggestions?level=8",
        "/api/v1/reminders/inbox",
        "/settings/digest",
        "/caseload/00000000-0000-4000-8000-000000000001/progress",
    ],
)
def test_a_request_is_matched_only_within_its_own_domain(
    app: FastAPI, counted_matches: list[APIRoute], path: str
) -> None:
    """FastAPI matches a branch at each of three levels (app, gate, domain router), so a request
    costs up to three passes over its own domain's routes plus the ungated ones before them.
    Without gates the calm list was tested against ~115 route patterns and a client's progress
    page against 220."""
    route_path = path.split("?")[0]
    own = next(g for g in gates(app) if g.admits(route_path))
    own_routes = sum(1 for _ in iter_route_contexts(own.routes))
    ungated = sum(1 for r in app.routes if isinstance(r, APIRoute))
    TestClient(app, follow_redirects=False).get(path)
    assert counted_matches, "the counter saw nothing"
    assert len(counted_matches) <= 3 * own_routes + ungated + 2, [r.path for r in counted_matches]
    others = {
        id(c.original_route)
        for g in gates(app)
        if g is not own
        for c in iter_route_contexts(g.routes)
    }
    assert not others & {id(r) for r in counted_matches}, "another domain's routes were tried"


def test_unknown_paths_wrong_methods_and_trailing_slashes_behave_as_before(app: FastAPI) -> None:
    client = TestClient(app, follow_redirects=False)
    missing = client.get("/api/v1/calm/nothing-here")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert client.delete("/api/v1/calm/suggestions").status_code == 405
    assert client.get("/api/v1/calm").status_code == 404
    redirect = client.get("/login/")
    assert redirect.status_code == 307
    assert redirect.headers["location"].endswith("/login")
