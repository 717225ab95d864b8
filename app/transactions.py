"""A request's write transaction lives inside its endpoint, on the thread that runs the endpoint.

FastAPI runs each sync dependency and the sync endpoint in a threadpool thread of its own, one
after another. If the write transaction began at a dependency's first read (the principal
lookup), the SQLite write lock (or a pooled PostgreSQL connection) was held while the request
waited for its next thread, and once every thread waited for the lock nobody could finish
(issue #15: ~40 concurrent writers). So (docs/architecture.md, "Capacity, transactions and faults"):

- the request's session starts every transaction deferred: dependencies only read (a loader,
  the policy) and run alongside writers; the few that write commit their own short transaction;
- just before a write endpoint (POST/PUT/PATCH/DELETE), in its thread, on SQLite the
  dependencies' read transaction ends and the session switches to write mode (`BEGIN IMMEDIATE`)
  for what the endpoint does; on PostgreSQL the same transaction goes on (a read endpoint keeps
  one snapshot for its dependencies and itself);
- when the endpoint returns, an open read-only transaction is committed, in the same thread;
  when it raises, the transaction is rolled back there. The lock never crosses a thread hop.
- a read endpoint marked `brief_read` runs on the event loop where reads never wait
  (`db.reads_never_wait`: SQLite), with no thread hop at all.

Objects the dependencies loaded stay usable (`expire_on_commit=False`); what the endpoint writes
is decided on what they read, as under PostgreSQL's READ COMMITTED. Services still commit once,
at the end, before the answer is sent.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any, ParamSpec, TypeVar

from fastapi import APIRouter
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from app.db import UNSAFE_METHODS, reads_never_wait, request_session, write_bind

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])
BRIEF_READ = "__brief_read__"
Params = ParamSpec("Params")
Loaded = TypeVar("Loaded")


def brief_read(endpoint: Endpoint) -> Endpoint:
    """Marks a sync read endpoint whose work is brief: a few indexed reads and a small answer,
    about a millisecond of CPU; no file, no network, nothing that grows with a person's history
    (the ranked calm list, the calm flow page). Where reads never wait
    (`db.reads_never_wait`: SQLite), it runs on the event loop instead of in a thread, since the
    hop would cost more CPU than the work (docs/architecture.md, "Capacity, transactions and faults").
    CPU-bound work holds the GIL either way, but a long step on the loop delays every other
    request's I/O: Today (~10 ms of rendering) measured no cheaper this way and its p99 at 32
    connections went from ~7× to ~30× the pure hello's (docs/benchmarks.md), so it stays in a thread."""
    setattr(endpoint, BRIEF_READ, True)
    return endpoint


@contextmanager
def endpoint_transaction(*, write: bool) -> Iterator[None]:
    session = request_session()
    if session is None:  # a session supplied another way (tests override get_session)
        yield
        return
    deferred = session.bind
    if write and isinstance(deferred, Engine):
        writing = write_bind(deferred)
        if writing is not deferred:
            # SQLite: the write must begin its own kind of transaction (BEGIN IMMEDIATE), so the
            # dependencies' reads end here: their snapshot, their connection. On PostgreSQL the
            # write goes on in the same transaction (READ COMMITTED: each statement sees what is
            # committed anyway), which saves a COMMIT, a checkout and a BEGIN: three round trips.
            if session.in_transaction():
                session.commit()
            session.bind = writing
    try:
        yield
    except BaseException:
        # Roll back here, in this thread, not later on the event loop; detach first so that
        # the error page can still read what was loaded (rollback would expire it).
        session.expunge_all()
        with suppress(SQLAlchemyError):
            session.rollback()
        raise
    else:
        if session.in_transaction() and not (session.new or session.dirty or session.deleted):
            session.commit()  # only reads since the service's commit: end them here
    finally:
        session.bind = deferred


async def run_read(
    read: Callable[Params, Loaded], *args: Params.args, **kwargs: Params.kwargs
) -> Loaded:
    """Run a short sync read here, on the event loop, where reads never wait
    (`db.reads_never_wait`: SQLite), and in a threadpool thread elsewhere (PostgreSQL). The one
    place that decides: the principal lookup, `brief_loader` and `brief_read` all ask it."""
    if reads_never_wait():
        return read(*args, **kwargs)
    return await run_in_threadpool(read, *args, **kwargs)


def brief_loader(loader: Callable[Params, Loaded]) -> Callable[Params, Awaitable[Loaded]]:
    """A sync loader dependency (a row by its id, checked by the policy) as an `async` one that
    reads through `run_read`. Left sync, FastAPI gives it a thread hop of its own before the
    endpoint's; its signature is the loader's, so FastAPI resolves the same parameters."""

    @functools.wraps(loader)
    async def load(*args: Params.args, **kwargs: Params.kwargs) -> Loaded:
        return await run_read(loader, *args, **kwargs)

    return load


def wrap_endpoint(call: Callable[..., Any], *, write: bool) -> Callable[..., Any]:
    """The endpoint inside `endpoint_transaction`, in the endpoint's own thread for a sync one.

    A sync endpoint becomes a coroutine that runs it (and so its transaction) in one threadpool
    thread, as FastAPI would. FastAPI then validates and serializes the answer on the event loop:
    left sync, it hands that to a second thread, and each hop costs more CPU (~85 µs on the bench
    machine) than serializing a typical answer (docs/benchmarks.md, "The per-request floor")."""
    if getattr(call, "__transaction_wrapped__", False):
        return call
    if inspect.iscoroutinefunction(call):

        @functools.wraps(call)
        async def run_async(*args: Any, **kwargs: Any) -> Any:
            with endpoint_transaction(write=write):
                return await call(*args, **kwargs)

        wrapped: Callable[..., Any] = run_async
    else:

        def in_thread(kwargs: dict[str, Any]) -> Any:
            with endpoint_transaction(write=write):
                return call(**kwargs)

        @functools.wraps(call)
        async def run_sync(**kwargs: Any) -> Any:
            return await run_in_threadpool(in_thread, kwargs)

        @functools.wraps(call)
        async def run_brief(**kwargs: Any) -> Any:
            return await run_read(in_thread, kwargs)

        wrapped = run_brief if getattr(call, BRIEF_READ, False) and not write else run_sync
    wrapped.__transaction_wrapped__ = True  # type: ignore[attr-defined]  # a marker attribute on the endpoint function
    return wrapped


def wrap_router(router: APIRouter) -> None:
    """Wrap every endpoint of `router` (before it is included: inclusion builds the routes that
    actually serve from each route's `endpoint`)."""
    for context in iter_route_contexts(router.routes):
        route = context.original_route
        if isinstance(route, APIRoute):
            write = bool((route.methods or set()) & UNSAFE_METHODS)
            route.endpoint = wrap_endpoint(route.endpoint, write=write)
