"""Admission control: at most `max_active_requests` requests use the database at once per process;
the rest wait in a FIFO queue only as long as their answer can still come in time, else they are
answered 503 with Retry-After at once.

Why (docs/architecture.md, "Capacity and overload"): a request's sync dependencies and route run
in several threadpool threads one after another, holding the SQLite write lock or a pooled
PostgreSQL connection in between. Unbounded, enough requests take every thread while waiting for
the lock (or the pool) that the holder never gets its next thread: a deadlock broken only by a
timeout. Admitting fewer requests than there are threads and connections makes that impossible.

Why deadline-aware: an accepted request's latency is its wait in the queue plus its service time.
A fixed wait puts the tail at (wait + slow service) whatever the load, so the queue's wait budget
is what the latency target leaves after a slow (p95) service time, measured online, and a request
joins the queue only if its expected wait (position × mean service time ÷ places) fits that
budget; otherwise it is shed at once. One whose deadline passes while queued is shed, never
admitted late. (The number of places stays fixed: shrinking it when service is slow was tried and
cut throughput, because on a loaded machine service time does not fall with fewer requests at
once — docs/benchmarks.md, "Concurrency curve".)

A shed request is answered no sooner than `admission_shed_hold_seconds` after it arrived, holding
nothing meanwhile: load generators and broken clients retry at once whatever Retry-After says, and
an instant 503 let 2,000 such connections spend the core on refusals (throughput fell to 0–44/s).

Its Retry-After grows while the gate keeps refusing more than half as many requests as it serves
(×1.5 a second, up to `RETRY_AFTER_LONGEST`), and falls back a second a second once it refuses
less and has a place free again. Clients that honour it (the phone's queue does) then spread out
instead of returning into the same overload, so refusals stop eating the core that serves
(docs/architecture.md, "Capacity and overload").

Liveness and static files never touch the database and are never queued or shed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import anyio.to_thread
from starlette.types import ASGIApp, Receive, Scope, Send

from app.config import get_settings
from app.unavailable import RETRY_AFTER, response_for_scope

# Threads beyond the admitted requests: static files, liveness and readiness use the pool too.
THREAD_HEADROOM = 16
# Paths that never use the database: answered whatever the load. Readiness is here too so that
# a load balancer sees the database's state, not the queue's.
NOT_ADMITTED = ("/static/", "/docs-assets/")
NOT_ADMITTED_EXACT = frozenset({"/healthz/live", "/healthz"})
# Service times remembered for the estimates: about a second's worth at capacity, so the estimate
# follows a change of load (or of the machine's speed) quickly.
SAMPLES = 128
# The percentile of service time that the wait budget leaves room for.
SLOW_SERVICE = 0.95

# The shortest wait budget, as a share of the target (see Gate.wait_budget).
MIN_WAIT_SHARE = 0.25

# While shedding, one log line at most this often says how much and why (the gate's estimates).
REPORT_EVERY = 5.0

# Retry-After of a shed request, in seconds: from the base up to the longest, re-decided once a
# window from what the window refused and served (see the module's doc).
RETRY_AFTER_LONGEST = 10
RETRY_WINDOW = 1.0
# Refused per served request in a window above which clients are asked to wait longer.
SHED_SHARE = 0.5
RETRY_GROWTH = 1.5

Clock = Callable[[], float]
log = logging.getLogger("groundwork.admission")


def thread_tokens() -> int:
    """The threadpool size this process needs: every admitted request can always get a thread."""
    return get_settings().max_active_requests + THREAD_HEADROOM


def size_thread_pool() -> None:
    """Called from the app's lifespan, inside the event loop that owns the limiter."""
    anyio.to_thread.current_default_thread_limiter().total_tokens = thread_tokens()


class ServiceTimes:
    """The recent admitted requests' service times (seconds from admission to done)."""

    def __init__(self, size: int = SAMPLES) -> None:
        self.samples: deque[float] = deque(maxlen=size)
        self.total = 0.0
        self._slow: float | None = None  # cached until the next sample

    def add(self, seconds: float) -> None:
        if len(self.samples) == self.samples.maxlen:
            self.total -= self.samples[0]
        self.samples.append(seconds)
        self.total += seconds
        self._slow = None

    def mean(self) -> float | None:
        return self.total / len(self.samples) if self.samples else None

    def slow(self) -> float | None:
        """The SLOW_SERVICE percentile: one sort of SAMPLES floats (~10 µs) per new sample at most."""
        if self._slow is None and self.samples:
            ordered = sorted(self.samples)
            self._slow = ordered[min(len(ordered) - 1, int(SLOW_SERVICE * len(ordered)))]
        return self._slow


@dataclass(eq=False)
class Waiter:
    deadline: float
    place: asyncio.Future[bool] = field(repr=False)


class Gate:
    """A FIFO semaphore whose queue admits a request only if it can be served within its deadline.

    `target` is the latency an accepted request should stay under (queue + service); `max_wait`
    caps the queue's wait budget. Only the event loop's thread touches the gate, so plain counters
    are safe; a released place is handed straight to the next waiter still within its deadline,
    so a late arrival cannot overtake the queue. `clock` is injectable so that the policy is
    tested without real waiting."""

    def __init__(
        self,
        capacity: int,
        queue_limit: int,
        max_wait: float,
        target: float,
        clock: Clock = time.monotonic,
    ) -> None:
        self.capacity = capacity
        self.queue_limit = queue_limit
        self.max_wait = max_wait
        self.target = target
        self.clock = clock
        self.active = 0
        self.service = ServiceTimes()
        self.waiters: deque[Waiter] = deque()
        self.shed = 0  # since the last report
        self._reported_at = clock()
        self.retry_after = RETRY_AFTER["busy"]
        self._window_started = clock()
        self._window_shed = 0
        self._window_served = 0
        self._window_had_room = False  # a request was admitted without queueing

    @property
    def waiting(self) -> int:
        return len(self.waiters)

    def wait_budget(self) -> float:
        """How long a request may queue: what the target leaves after a slow service, ≤ max_wait,
        but never less than a share of the target, or a burst of arrivals finds no queue at all
        and is shed while places go idle (arrivals are bursty: retries after the same 503s)."""
        slow = self.service.slow()
        if slow is None:
            return self.max_wait
        return min(self.max_wait, max(self.target * MIN_WAIT_SHARE, self.target - slow))

    def expected_wait(self, position: int) -> float:
        """Seconds until the request at this queue position (1 = next) gets a place: with every
        place busy, one frees every mean service time ÷ capacity (Little's law)."""
        mean = self.service.mean()
        if mean is None:  # nothing measured yet: trust a queue as long as the places
            return 0.0 if position <= self.capacity else math.inf
        return position * mean / self.capacity

    def admits_to_queue(self, budget: float) -> bool:
        position = len(self.waiters) + 1
        return position <= self.queue_limit and self.expected_wait(position) <= budget

    async def enter(self) -> bool:
        """True once admitted; False if it could not be served in time (at once, or at its deadline)."""
        if self.active < self.capacity and not self.waiters:
            self.active += 1
            self._window_had_room = True
            return True
        budget = self.wait_budget()
        if not self.admits_to_queue(budget):
            self._count_shed()
            return False
        loop = asyncio.get_running_loop()
        waiter = Waiter(self.clock() + budget, loop.create_future())
        self.waiters.append(waiter)
        timer = loop.call_later(budget, self._expire, waiter)
        try:
            return await waiter.place
        except asyncio.CancelledError:
            place = waiter.place
            if place.done() and not place.cancelled() and place.result():
                self.leave(None)  # admitted just as the request was cancelled: pass the place on
            else:
                self._forget(waiter)
            raise
        finally:
            timer.cancel()

    def leave(self, service_seconds: float | None) -> None:
        """A request is done: its place goes to the first waiter still within its deadline.
        Waiters whose deadline passed (their timer is late when the loop is busy) are shed."""
        if service_seconds is not None:
            self.service.add(service_seconds)
            self._window_served += 1
        now = self.clock()
        self._close_window(now)
        while self.waiters:
            waiter = self.waiters.popleft()
            if waiter.place.done():
                continue
            if waiter.deadline < now:
                waiter.place.set_result(False)
                self._count_shed()
                continue
            waiter.place.set_result(True)  # the place passes on; `active` is unchanged
            return
        self.active -= 1

    def _expire(self, waiter: Waiter) -> None:
        if not waiter.place.done():
            self._forget(waiter)
            waiter.place.set_result(False)
            self._count_shed()

    def _close_window(self, now: float) -> None:
        """Once a window has passed, decide the Retry-After from what it refused and served:
        longer while refusals outnumber half the served; a second shorter for each window that
        refused less and found a place free at some moment (a quiet spell with no requests at
        all counts window by window). A window that refused little only because the refused are
        still waiting out their Retry-After, with every place and the queue still full, keeps it:
        shortening it then would call them all back into the same overload."""
        elapsed = now - self._window_started
        if elapsed < RETRY_WINDOW:
            return
        base = RETRY_AFTER["busy"]
        if self._window_shed > SHED_SHARE * self._window_served:
            grown = math.ceil(self.retry_after * RETRY_GROWTH)
            self.retry_after = min(RETRY_AFTER_LONGEST, grown)
        elif self._window_had_room:
            self.retry_after = max(base, self.retry_after - int(elapsed // RETRY_WINDOW))
        self._window_started, self._window_shed, self._window_served = now, 0, 0
        self._window_had_room = False

    def _count_shed(self) -> None:
        """Count a shed request; every REPORT_EVERY seconds of shedding, say why in one line."""
        self.shed += 1
        self._window_shed += 1
        now = self.clock()
        self._close_window(now)
        if now - self._reported_at < REPORT_EVERY:
            return
        mean, slow = self.service.mean() or 0.0, self.service.slow() or 0.0
        log.warning(
            "shed %d requests in %.0f s: %d at once, service mean %.0f ms, p95 %.0f ms, "
            "wait budget %.0f ms, %d queued, Retry-After %d s",
            self.shed,
            now - self._reported_at,
            self.active,
            mean * 1000,
            slow * 1000,
            self.wait_budget() * 1000,
            len(self.waiters),
            self.retry_after,
        )
        self.shed, self._reported_at = 0, now

    def _forget(self, waiter: Waiter) -> None:
        with contextlib.suppress(ValueError):
            self.waiters.remove(waiter)


class AdmissionMiddleware:
    """Pure ASGI: admits, queues or sheds each HTTP request before any of the app runs."""

    def __init__(
        self, app: ASGIApp, gate: Gate | None = None, shed_hold: float | None = None
    ) -> None:
        self.app = app
        settings = get_settings()
        self.shed_hold = settings.admission_shed_hold_seconds if shed_hold is None else shed_hold
        self.gate = gate or Gate(
            settings.max_active_requests,
            settings.admission_queue,
            settings.admission_wait_seconds,
            settings.admission_target_seconds,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _not_admitted(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        arrived = self.gate.clock()
        if not await self.gate.enter():
            # Shed at once or at its deadline: answer no sooner than `shed_hold` after arrival, so
            # that clients retrying in a loop cannot spend the core on 503s (docs/operations.md).
            held = self.shed_hold - (self.gate.clock() - arrived)
            if held > 0:
                await asyncio.sleep(held)
            busy = response_for_scope(scope, "busy", retry_after=self.gate.retry_after)
            await busy(scope, receive, send)
            return
        admitted_at = self.gate.clock()
        try:
            await self.app(scope, receive, send)
        finally:
            self.gate.leave(self.gate.clock() - admitted_at)


def _not_admitted(path: str) -> bool:
    return path in NOT_ADMITTED_EXACT or path.startswith(NOT_ADMITTED)
