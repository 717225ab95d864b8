"""Admission control: at most `max_active_requests` requests use the database at once per process;
the rest wait briefly in a bounded queue, then are answered 503 with Retry-After.

Why (docs/architecture.md, "Capacity and overload"): a request's sync dependencies and route run
in several threadpool threads one after another, holding the SQLite write lock or a pooled
PostgreSQL connection in between. Unbounded, enough requests take every thread while waiting for
the lock (or the pool) that the holder never gets its next thread: a deadlock broken only by a
timeout. Admitting fewer requests than there are threads and connections makes that impossible,
and a short queue with a 503 turns overload into a quick, honest answer instead of a hang.

Liveness and static files never touch the database and are never queued or shed.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque

import anyio.to_thread
from starlette.types import ASGIApp, Receive, Scope, Send

from app.config import get_settings
from app.unavailable import response_for_scope

# Threads beyond the admitted requests: static files, liveness and readiness use the pool too.
THREAD_HEADROOM = 16
# Paths that never use the database: answered whatever the load. Readiness is here too so that
# a load balancer sees the database's state, not the queue's.
NOT_ADMITTED = ("/static/", "/docs-assets/")
NOT_ADMITTED_EXACT = frozenset({"/healthz/live", "/healthz"})
# Seconds of completions from which the servable queue length is estimated.
RATE_WINDOW = 2.0


def thread_tokens() -> int:
    """The threadpool size this process needs: every admitted request can always get a thread."""
    return get_settings().max_active_requests + THREAD_HEADROOM


def size_thread_pool() -> None:
    """Called from the app's lifespan, inside the event loop that owns the limiter."""
    anyio.to_thread.current_default_thread_limiter().total_tokens = thread_tokens()


class Gate:
    """A FIFO semaphore with a bounded queue and a bounded wait. Only the event loop's thread
    touches it, so plain counters are safe; a released place is handed straight to the next
    waiter, so a late arrival cannot overtake the queue.

    The queue is also bounded by what the server can finish within the wait (its recent
    completion rate times the wait): a request that would only time out in the queue is told
    at once, and the ones queued mostly get in."""

    def __init__(self, capacity: int, queue_limit: int, wait: float) -> None:
        self.capacity = capacity
        self.queue_limit = queue_limit
        self.wait = wait
        self.active = 0
        self.waiters: deque[asyncio.Future[bool]] = deque()
        self.finished: deque[float] = deque()  # completion times within the last RATE_WINDOW

    @property
    def waiting(self) -> int:
        return len(self.waiters)

    def queue_bound(self, now: float) -> int:
        while self.finished and self.finished[0] < now - RATE_WINDOW:
            self.finished.popleft()
        servable = int(len(self.finished) / RATE_WINDOW * self.wait)
        return min(self.queue_limit, max(self.capacity, servable))

    async def enter(self) -> bool:
        """True once admitted; False if the queue is full or the wait passed first."""
        if self.active < self.capacity and not self.waiters:
            self.active += 1
            return True
        loop = asyncio.get_running_loop()
        if len(self.waiters) >= self.queue_bound(loop.time()):
            return False
        place: asyncio.Future[bool] = loop.create_future()
        self.waiters.append(place)
        timer = loop.call_later(self.wait, self._expire, place)
        try:
            return await place
        except asyncio.CancelledError:
            if place.done() and not place.cancelled() and place.result():
                self.leave()  # admitted just as the request was cancelled: pass the place on
            else:
                self._forget(place)
            raise
        finally:
            timer.cancel()

    def leave(self) -> None:
        self.finished.append(asyncio.get_running_loop().time())
        while self.waiters:
            place = self.waiters.popleft()
            if not place.done():
                place.set_result(True)  # the place passes on; `active` is unchanged
                return
        self.active -= 1

    def _expire(self, place: asyncio.Future[bool]) -> None:
        if not place.done():
            self._forget(place)
            place.set_result(False)

    def _forget(self, place: asyncio.Future[bool]) -> None:
        with contextlib.suppress(ValueError):
            self.waiters.remove(place)


class AdmissionMiddleware:
    """Pure ASGI: admits, queues or sheds each HTTP request before any of the app runs."""

    def __init__(self, app: ASGIApp, gate: Gate | None = None) -> None:
        self.app = app
        settings = get_settings()
        self.gate = gate or Gate(
            settings.max_active_requests,
            settings.admission_queue,
            settings.admission_wait_seconds,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _not_admitted(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        if not await self.gate.enter():
            await response_for_scope(scope, "busy")(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self.gate.leave()


def _not_admitted(path: str) -> bool:
    return path in NOT_ADMITTED_EXACT or path.startswith(NOT_ADMITTED)
