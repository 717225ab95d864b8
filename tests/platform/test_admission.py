"""Admission control: a bounded, fair queue in front of the database, and a 503 with Retry-After
(problem+json or a calm page) for what it cannot take. Liveness and static files pass untouched."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from starlette.types import Receive, Scope, Send

from app.admission import AdmissionMiddleware, Gate
from tests import own_loop


def test_places_are_handed_out_in_arrival_order() -> None:
    async def scenario() -> list[str]:
        gate = Gate(capacity=3, queue_limit=10, wait=5)
        order: list[str] = []
        for _ in range(3):
            assert await gate.enter()

        async def waiter(name: str) -> None:
            assert await gate.enter()
            order.append(name)

        tasks = [asyncio.create_task(waiter(n)) for n in ("first", "second", "third")]
        await asyncio.sleep(0)  # all three are queued before a place frees
        for _ in range(3):
            gate.leave()
            await asyncio.sleep(0)
        await asyncio.gather(*tasks)
        for _ in range(3):
            gate.leave()
        assert gate.active == 0
        return order

    assert own_loop.run(scenario()) == ["first", "second", "third"]


def test_a_full_queue_refuses_at_once_and_a_long_wait_gives_up() -> None:
    async def scenario() -> None:
        gate = Gate(capacity=1, queue_limit=1, wait=0.05)
        assert await gate.enter()
        queued = asyncio.create_task(gate.enter())
        await asyncio.sleep(0)
        assert await gate.enter() is False  # the queue (one place) is taken: no waiting
        assert await queued is False  # waited 0.05 s, the place never freed
        assert gate.waiting == 0
        gate.leave()
        assert gate.active == 0

    own_loop.run(scenario())


def test_the_queue_is_no_longer_than_what_the_server_finishes_within_the_wait() -> None:
    async def scenario() -> None:
        gate = Gate(capacity=2, queue_limit=1000, wait=1.0)
        now = asyncio.get_running_loop().time()
        assert gate.queue_bound(now) == 2  # nothing finished yet: the capacity
        gate.finished.extend(now - 0.01 * i for i in range(100))  # 100 in the last second
        assert gate.queue_bound(now) == 50  # 50 a second, for one second of waiting
        assert gate.queue_bound(now + 10) == 2  # old completions no longer count

    own_loop.run(scenario())


def test_a_cancelled_waiter_gives_its_place_back() -> None:
    async def scenario() -> None:
        gate = Gate(capacity=1, queue_limit=5, wait=5)
        assert await gate.enter()
        waiter = asyncio.create_task(gate.enter())
        await asyncio.sleep(0)
        waiter.cancel()
        await asyncio.sleep(0)
        assert gate.waiting == 0
        gate.leave()
        assert gate.active == 0

    own_loop.run(scenario())


class HeldApp:
    """An app whose first request waits until released (the database is busy); others answer."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.started = 0

    async def __call__(self, _scope: Scope, _receive: Receive, send: Send) -> None:
        self.started += 1
        if self.started == 1:
            await self.release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"done"})


def _with_full_gate(requests: list[tuple[str, dict[str, str]]]) -> list[httpx.Response]:
    """One request holds the only place (no queue); the others arrive meanwhile."""

    async def scenario() -> list[httpx.Response]:
        held = HeldApp()
        app = AdmissionMiddleware(held, gate=Gate(capacity=1, queue_limit=0, wait=1))
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        ) as client:
            holder = asyncio.create_task(client.get("/api/v1/habits"))
            while held.started == 0:
                await asyncio.sleep(0)
            answers = [await client.get(path, headers=headers) for path, headers in requests]
            held.release.set()
            assert (await holder).status_code == 200
            return answers

    return own_loop.run(scenario())


def test_beyond_capacity_the_api_gets_503_problem_json_with_retry_after() -> None:
    (answer,) = _with_full_gate([("/api/v1/habits", {})])
    assert answer.status_code == 503
    assert answer.headers["content-type"] == "application/problem+json"
    assert int(answer.headers["retry-after"]) > 0
    body: dict[str, Any] = answer.json()
    assert body["type"] == "/problems/busy"
    assert "Nothing you did caused this" in body["detail"]


def test_beyond_capacity_a_page_is_a_calm_busy_page_with_the_crisis_link() -> None:
    (answer,) = _with_full_gate([("/today", {"accept": "text/html"})])
    assert answer.status_code == 503
    assert answer.headers["content-type"].startswith("text/html")
    assert int(answer.headers["retry-after"]) > 0
    assert "busy right now" in answer.text
    assert 'href="/crisis"' in answer.text


def test_liveness_readiness_and_static_files_are_never_queued_or_shed() -> None:
    answers = _with_full_gate(
        [("/healthz/live", {}), ("/healthz", {}), ("/static/css/app.css", {})]
    )
    assert [a.status_code for a in answers] == [200, 200, 200]
