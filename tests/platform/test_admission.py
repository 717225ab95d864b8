"""Admission control: a fair queue in front of the database that takes only what it can serve
within the latency target, and a 503 with Retry-After (problem+json or a calm page) for the rest.
Liveness and static files pass untouched. The policy runs on an injected clock: nothing here
depends on a timer expiring, except the one test marked real_clock."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import httpx
import pytest
from starlette.types import Receive, Scope, Send

from app.admission import (
    MIN_WAIT_SHARE,
    REPORT_EVERY,
    RETRY_AFTER_LONGEST,
    RETRY_WINDOW,
    SAMPLES,
    AdmissionMiddleware,
    Gate,
    ServiceTimes,
)
from app.unavailable import RETRY_AFTER
from tests import own_loop


class FakeClock:
    """The gate's clock, moved by hand: the policy is tested without any real waiting."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _gate(
    capacity: int, *, queue_limit: int = 1000, max_wait: float = 30, target: float = 60
) -> tuple[Gate, FakeClock]:
    """Defaults far above any test's real duration, so the real deadline timer never fires."""
    clock = FakeClock()
    return Gate(capacity, queue_limit, max_wait, target, clock=clock), clock


def _measured(gate: Gate, seconds: float, count: int = SAMPLES) -> None:
    for _ in range(count):
        gate.service.add(seconds)


async def _queue(gate: Gate, count: int) -> list[asyncio.Task[bool]]:
    tasks = [asyncio.create_task(gate.enter()) for _ in range(count)]
    await asyncio.sleep(0)
    return tasks


def test_places_are_handed_out_in_arrival_order() -> None:
    async def scenario() -> list[str]:
        gate, _ = _gate(3)
        order: list[str] = []
        for _ in range(3):
            assert await gate.enter()

        async def waiter(name: str) -> None:
            assert await gate.enter()
            order.append(name)

        tasks = [asyncio.create_task(waiter(n)) for n in ("first", "second", "third")]
        await asyncio.sleep(0)  # all three are queued before a place frees
        for _ in range(3):
            gate.leave(0.01)
            await asyncio.sleep(0)
        await asyncio.gather(*tasks)
        for _ in range(3):
            gate.leave(0.01)
        assert gate.active == 0
        return order

    assert own_loop.run(scenario()) == ["first", "second", "third"]


def test_before_anything_is_measured_the_queue_is_as_long_as_the_places() -> None:
    async def scenario() -> None:
        gate, _ = _gate(2)
        assert await gate.enter()
        assert await gate.enter()
        queued = await _queue(gate, 2)
        assert gate.waiting == 2
        assert await gate.enter() is False  # a third would wait longer than two services
        for task in queued:
            task.cancel()
        await asyncio.gather(*queued, return_exceptions=True)

    own_loop.run(scenario())


def test_a_request_queues_only_if_its_expected_wait_fits_the_budget() -> None:
    async def scenario() -> None:
        # 2 places, 0.125 s a request: one frees every 1/16 s, so eight fit a 0.5 s wait.
        gate, _ = _gate(2, max_wait=0.5, target=60)
        _measured(gate, 0.125)
        assert gate.wait_budget() == 0.5
        assert gate.expected_wait(8) == 0.5
        assert await gate.enter()
        assert await gate.enter()
        queued = await _queue(gate, 8)
        assert gate.waiting == 8
        assert await gate.enter() is False  # the ninth: shed at once, not after a wait
        assert gate.waiting == 8
        for _ in range(10):
            gate.leave(0.125)
        assert all(await asyncio.gather(*queued))
        assert gate.active == 0

    own_loop.run(scenario())


def test_the_wait_budget_is_what_the_latency_target_leaves_after_a_slow_service() -> None:
    gate, _ = _gate(4, max_wait=0.5, target=0.8)
    assert gate.wait_budget() == 0.5  # nothing measured: the longest wait
    _measured(gate, 0.1, SAMPLES - 13)
    _measured(gate, 0.6, 13)  # the slowest 5 %
    assert gate.wait_budget() == pytest.approx(0.2)
    _measured(gate, 0.05)  # the slow ones have left the window: the cap again
    assert gate.wait_budget() == 0.5
    _measured(gate, 0.9)  # service alone misses the target: the shortest queue, for bursts
    assert gate.wait_budget() == pytest.approx(0.8 * MIN_WAIT_SHARE)
    assert gate.admits_to_queue(gate.wait_budget()) is False  # 0.225 s for the first in line


def test_while_shedding_one_line_at_most_every_few_seconds_says_why() -> None:
    async def scenario() -> None:
        gate, clock = _gate(1, queue_limit=0)
        _measured(gate, 0.2)
        assert await gate.enter()
        for _ in range(3):
            assert await gate.enter() is False
        clock.now += REPORT_EVERY
        assert await gate.enter() is False
        assert await gate.enter() is False
        gate.leave(0.2)

    # Listen on the logger itself: the app's logging setup (run by other tests in the same
    # worker) stops "groundwork" loggers from propagating to the root, where caplog listens.
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append  # type: ignore[method-assign]  # collect instead of writing
    logger = logging.getLogger("groundwork.admission")
    logger.addHandler(handler)
    try:
        own_loop.run(scenario())
    finally:
        logger.removeHandler(handler)
    (line,) = [r.getMessage() for r in records]
    assert line.startswith("shed 4 requests in 5 s: 1 at once")
    assert "service mean 200 ms, p95 200 ms" in line


def test_service_times_follow_the_recent_requests() -> None:
    times = ServiceTimes(size=4)
    assert times.mean() is None
    assert times.slow() is None
    for seconds in (1.0, 1.0, 1.0, 1.0, 0.2, 0.2, 0.2, 0.2):
        times.add(seconds)
    assert times.mean() == pytest.approx(0.2)


def test_a_waiter_whose_deadline_passed_is_shed_and_the_next_gets_the_place() -> None:
    async def scenario() -> None:
        gate, clock = _gate(2)
        assert await gate.enter()
        assert await gate.enter()
        late = await _queue(gate, 1)
        clock.now += 20
        on_time = await _queue(gate, 1)
        clock.now += 15  # the first waited 35 s of its 30 s budget; the second 15 s
        gate.leave(0.1)
        assert await late[0] is False
        assert await on_time[0] is True
        assert gate.active == 2
        assert gate.waiting == 0
        gate.leave(0.1)
        gate.leave(0.1)
        assert gate.active == 0

    own_loop.run(scenario())


@pytest.mark.real_clock(reason="the deadline timer is the event loop's, which libfaketime stops")
def test_a_waiter_is_told_at_its_deadline_even_if_no_place_frees() -> None:
    async def scenario() -> None:
        gate = Gate(capacity=1, queue_limit=5, max_wait=0.05, target=1)
        assert await gate.enter()
        assert await gate.enter() is False
        assert gate.waiting == 0
        gate.leave(0.1)
        assert gate.active == 0

    own_loop.run(scenario())


def test_a_full_queue_refuses_at_once() -> None:
    async def scenario() -> None:
        gate, _ = _gate(1, queue_limit=1)
        assert await gate.enter()
        queued = await _queue(gate, 1)
        assert await gate.enter() is False
        gate.leave(0.1)
        assert await queued[0] is True
        gate.leave(0.1)
        assert gate.active == 0

    own_loop.run(scenario())


def test_a_cancelled_waiter_gives_its_place_back() -> None:
    async def scenario() -> None:
        gate, _ = _gate(1)
        assert await gate.enter()
        waiter = asyncio.create_task(gate.enter())
        await asyncio.sleep(0)
        waiter.cancel()
        await asyncio.sleep(0)
        assert gate.waiting == 0
        gate.leave(0.1)
        assert gate.active == 0

    own_loop.run(scenario())


def _window(gate: Gate, clock: FakeClock, *, shed: int, served: int, room: bool = False) -> None:
    """One second of a saturated gate: every place taken and `served` queued, `shed` refused
    (the queue is full), the queued ones served in turn; with `room`, a place is also free for a
    moment at the end. Then the clock moves on a window."""

    async def second() -> None:
        while gate.active < gate.capacity:
            assert await gate.enter()
        gate.queue_limit = served
        queued = await _queue(gate, served)
        for _ in range(shed):
            assert await gate.enter() is False
        for _ in range(served):
            gate.leave(0.001)
        assert all([await waiter for waiter in queued])
        if room:
            gate.leave(0.001)
            assert await gate.enter()

    own_loop.run(second())
    clock.now += RETRY_WINDOW


def _saturated_gate() -> tuple[Gate, FakeClock]:
    gate, clock = _gate(8)
    _measured(gate, 0.001)
    return gate, clock


def test_retry_after_grows_while_refusals_outnumber_half_the_served_up_to_a_limit() -> None:
    gate, clock = _saturated_gate()
    assert gate.retry_after == RETRY_AFTER["busy"]
    seen = []
    for _ in range(8):
        _window(gate, clock, shed=150, served=200)
        seen.append(gate.retry_after)
    assert seen[0] == RETRY_AFTER["busy"]  # a window is judged when the next one starts
    assert seen == sorted(seen)
    assert seen[1] > RETRY_AFTER["busy"]
    assert seen[-1] == RETRY_AFTER_LONGEST


def test_retry_after_stays_at_its_base_while_the_gate_refuses_little() -> None:
    gate, clock = _saturated_gate()
    for _ in range(10):
        _window(gate, clock, shed=40, served=200, room=True)
    assert gate.retry_after == RETRY_AFTER["busy"]


def test_retry_after_is_kept_while_the_refused_wait_it_out_and_the_gate_stays_full() -> None:
    gate, clock = _saturated_gate()
    for _ in range(3):
        _window(gate, clock, shed=300, served=200)
    _window(gate, clock, shed=0, served=200)
    grown = gate.retry_after
    assert grown > RETRY_AFTER["busy"]
    for _ in range(3):
        _window(gate, clock, shed=0, served=200)
    assert gate.retry_after == grown


def test_retry_after_falls_back_a_second_a_second_once_there_is_room() -> None:
    gate, clock = _saturated_gate()
    for _ in range(10):
        _window(gate, clock, shed=500, served=100)
    _window(gate, clock, shed=0, served=1, room=True)
    assert gate.retry_after == RETRY_AFTER_LONGEST
    _window(gate, clock, shed=0, served=1, room=True)
    assert gate.retry_after == RETRY_AFTER_LONGEST - 1
    clock.now += 30  # a quiet spell with no requests at all
    _window(gate, clock, shed=0, served=1, room=True)
    assert gate.retry_after == RETRY_AFTER["busy"]


def test_a_shed_request_is_told_the_gates_current_retry_after() -> None:
    (answer,) = _with_full_gate([("/api/v1/habits", {})], retry_after=7)
    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "7"


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


def _with_full_gate(
    requests: list[tuple[str, dict[str, str]]], hold: float = 0.0, retry_after: int | None = None
) -> list[httpx.Response]:
    """One request holds the only place (no queue); the others arrive meanwhile."""

    async def scenario() -> list[httpx.Response]:
        held = HeldApp()
        gate = Gate(capacity=1, queue_limit=0, max_wait=1, target=1)
        if retry_after is not None:
            gate.retry_after = retry_after
        app = AdmissionMiddleware(held, gate=gate, shed_hold=hold)
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


def test_a_request_shed_at_once_is_answered_only_after_the_hold() -> None:
    """Clients that ignore Retry-After cannot turn refusals into a busy loop on the server."""
    loop_started = time.monotonic()
    (answer,) = _with_full_gate([("/api/v1/habits", {})], hold=0.3)
    assert answer.status_code == 503
    assert time.monotonic() - loop_started >= 0.3
