"""Local times of day in the API: an offset is refused with a clear error, and responses never
declare JSON Schema's "time" format (it demands an offset a wall-clock time does not have)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from app.accounts.models import User


def _time_formats(node: Any, path: str = "") -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        if node.get("format") == "time":
            found.append(path)
        for key, value in node.items():
            found += _time_formats(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _time_formats(value, f"{path}/{i}")
    return found


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"].rsplit("/", 1)[-1]} if "$ref" in node else set()
        return found.union(*(_refs(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node))
    return set()


def test_no_response_schema_declares_the_time_format(app: FastAPI) -> None:
    spec = app.openapi()
    schemas = spec["components"]["schemas"]
    responses = [op["responses"] for item in spec["paths"].values() for op in item.values()]
    seen: set[str] = set()
    todo = _refs(responses)
    while todo:  # every schema a response reaches, through nested references
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo |= _refs(schemas[name]) - seen
    assert {"DietItemPublic", "Preferences-Output"} <= seen
    offenders = [
        f"{name}{where}" for name in sorted(seen) for where in _time_formats(schemas[name])
    ]
    assert offenders == []


def test_a_diet_time_with_an_offset_is_refused_and_a_plain_one_round_trips(
    http: Any, client_user: User
) -> None:
    body = {
        "title": "Swing",
        "local_time": "08:30:00Z",
        "days": [0],
        "effect": "calming",
        "course": "snack",
    }
    refused = http.as_(client_user).post("/api/v1/sensory/diet", json=body)
    assert refused.status_code == 422
    problem = refused.json()
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "time zone" in str(problem)
    created = http.as_(client_user).post(
        "/api/v1/sensory/diet", json={**body, "local_time": "08:30"}
    )
    assert created.status_code == 201, created.text
    assert created.json()["local_time"] == "08:30:00"


def test_quiet_hours_round_trip_as_plain_times(http: Any, client_user: User) -> None:
    api = http.as_(client_user)
    current = api.get("/api/v1/reminders/preferences").json()
    saved = api.put(
        "/api/v1/reminders/preferences",
        json={**current, "quiet_start": "22:00", "quiet_end": "07:30"},
    )
    assert saved.status_code == 200, saved.text
    assert (saved.json()["quiet_start"], saved.json()["quiet_end"]) == ("22:00:00", "07:30:00")
    offset = api.put(
        "/api/v1/reminders/preferences", json={**current, "quiet_start": "22:00+01:00"}
    )
    assert offset.status_code == 422
