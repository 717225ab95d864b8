"""bench.profile's `--body`: each request carries the template with a fresh id, as a phone sends."""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from datetime import date
from typing import Any

from fastapi import FastAPI, Request

from bench import profile


def test_each_body_gets_a_fresh_uuid_and_today() -> None:
    template = '{"id": "{uuid}", "outcome": "done", "on": "{today}", "confidence": 8}'
    first, second = (json.loads(profile.request_body(template)) for _ in range(2))
    assert uuid.UUID(first["id"]) != uuid.UUID(second["id"])
    assert first["on"] == second["on"] == date.today().isoformat()
    assert (first["outcome"], first["confidence"]) == ("done", 8)


def test_no_template_sends_no_body() -> None:
    assert profile.request_body(None) == b""


def test_the_caller_sends_the_body_to_the_app() -> None:
    received: list[Any] = []
    app = FastAPI()

    @app.post("/echo")
    async def echo(request: Request) -> None:
        received.append(await request.json())

    call = profile._caller(
        app,
        "POST",
        "/echo",
        [(b"host", b"127.0.0.1"), (b"content-type", b"application/json")],
        '{"id": "{uuid}"}',
    )

    async def twice() -> list[int]:
        return [await call(), await call()]

    # A loop of its own, in a thread of its own: a browser test earlier in this worker may have
    # left Playwright's event loop running in this one (asyncio.run refuses to nest).
    statuses: list[list[int]] = []
    runner = threading.Thread(target=lambda: statuses.append(asyncio.run(twice())))
    runner.start()
    runner.join()
    assert statuses == [[200, 200]]
    assert len({r["id"] for r in received}) == 2
