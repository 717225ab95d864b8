"""Where a request's CPU goes, in process: `python -m bench.profile /api/v1/me --as client`.

Loads a copy of the bench data (built by `python -m bench.run`), starts the app in this process
(its lifespan included), opens a session for the bench client or therapist the way login does,
and calls the app directly as ASGI: no server, no sockets, so what is measured is the app's own
CPU. Prints the CPU per request (process time ÷ requests, the best of `--rounds` rounds: the
machine is shared) beside a pure FastAPI hello world called the same way. `--profile` then runs
cProfile over more requests with threadpool work run inline on the event loop's thread (so one
profiler sees the dependencies and the endpoint: the thread hops' own cost shows only in the CPU
per request) and prints the functions with the most cumulative and own time. `--body` sends a
JSON body with each request, a fresh id in each (`request_body`): the habit check-in is
`--method POST '/api/v1/habits/{bench_habit_id}/check-ins' --body '{"id": "{uuid}", ...}'`.

Used for issue #19's floor work: docs/benchmarks.md, "The per-request floor".
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import cProfile
import json
import os
import pstats
import shutil
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Message

from bench.database import OUT, app_env, fresh_copy, target
from bench.hello import PATH as HELLO_PATH
from bench.hello import create_app as hello_app

# Each run profiles its own copy (named by its process id), removed when it ends: two profiles
# run side by side must not share a database file.
COPY = OUT / f"profile-{os.getpid()}.sqlite"


def _prepare(clients: int, database_url: str | None = None) -> dict[str, Any]:
    """Copy the built data (a SQLite file, or a PostgreSQL database from its template) and point
    this process's settings at the copy."""
    built = target(database_url=database_url, clients=clients, today=date.today())
    if not built.built:
        raise SystemExit("no bench data for today: run `python -m bench.run --only login` first")
    if built.kind == "sqlite":
        source = Path(built.build_url.removeprefix("sqlite:///"))
        _remove_copy()  # an earlier copy's WAL would corrupt this one
        shutil.copyfile(source, COPY)
        atexit.register(_remove_copy)
        os.environ.update(app_env(f"sqlite:///{COPY}"))
    else:
        fresh_copy(built)  # the same run database `bench.run` uses: not beside a running bench
        os.environ.update(app_env(built.run_url))
    meta: dict[str, Any] = json.loads(built.meta_path.read_text())
    return meta


def _remove_copy() -> None:
    for file in COPY.parent.glob(COPY.name + "*"):
        file.unlink(missing_ok=True)


def _session_cookie(email: str) -> tuple[str, str]:
    """A live session for `email`, created as login creates one (no second factor pending)."""
    from sqlmodel import select

    from app.accounts import sessions
    from app.accounts.models import User
    from app.db import open_session

    with open_session(write=True) as db:
        user = db.exec(select(User).where(User.email == email)).one()
        issued = sessions.create(db, user=user, user_agent="bench.profile", ip_address="127.0.0.1")
        db.commit()
        return issued.token, issued.record.csrf_token


Call = Callable[[], Awaitable[int]]

# A POST without --body: a new check-in each time (a fresh id), as the bench's scenario sends.
DEFAULT_POST_BODY = '{"id": "{uuid}", "outcome": "done"}'


def request_body(template: str | None) -> bytes:
    """One request's body from `--body`: `{uuid}` becomes a fresh uuid4 (each request a new
    client-made id, so a POST stores a row instead of replaying one) and `{today}` today's ISO
    date. Plain replacement, not `str.format`: the template is JSON, full of braces."""
    if template is None:
        return b""
    fresh = template.replace("{uuid}", str(uuid.uuid4()))
    return fresh.replace("{today}", date.today().isoformat()).encode()


def _caller(
    app: ASGIApp,
    method: str,
    path: str,
    headers: list[tuple[bytes, bytes]],
    body: str | None = None,
) -> Call:
    raw_path, _, query = path.partition("?")

    async def call() -> int:
        status = 0
        sent = False

        async def receive() -> Message:
            nonlocal sent
            if sent:
                await asyncio.sleep(3600)
            sent = True
            return {"type": "http.request", "body": request_body(body)}

        async def send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": raw_path,
            "raw_path": raw_path.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
            "state": {},
        }
        await app(scope, receive, send)
        return status

    return call


async def _cpu_per_request(call: Call, requests: int, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(requests):
            await call()
        best = min(best, (time.process_time() - started) / requests)
    return best


async def _run(args: argparse.Namespace) -> None:
    meta = _prepare(args.clients, args.database_url)
    from app.main import create_app

    app = create_app()
    headers = [(b"host", b"127.0.0.1:8000"), (b"accept", args.accept.encode())]
    if args.as_user:
        token, csrf = _session_cookie(meta["users"][args.as_user])
        headers += [
            (b"cookie", f"gw_session={token}".encode()),
            (b"x-csrf-token", csrf.encode()),
            (b"origin", b"http://127.0.0.1:8000"),
            (b"sec-fetch-site", b"same-origin"),
            (b"content-type", b"application/json"),
        ]
    if args.language:
        headers.append((b"accept-language", args.language.encode()))
    path = args.path.format(**meta.get("values", {}))
    async with app.router.lifespan_context(app):
        body = args.body if args.body or args.method != "POST" else DEFAULT_POST_BODY
        call = _caller(app, args.method, path, headers, body)
        status = await call()
        print(f"{args.method} {path} as {args.as_user or 'anonymous'}: {status}", file=sys.stderr)
        hello = _caller(hello_app(), "GET", HELLO_PATH, [(b"host", b"127.0.0.1")])
        await _cpu_per_request(call, args.requests // 5, 1)  # warm-up
        for _ in range(2):
            app_cpu = await _cpu_per_request(call, args.requests, args.rounds)
            hello_cpu = await _cpu_per_request(hello, args.requests, args.rounds)
            print(
                f"  CPU/request {app_cpu * 1000:.3f} ms; pure hello {hello_cpu * 1000:.3f} ms;"
                f" capacity × hello {hello_cpu / app_cpu:.3f}",
                file=sys.stderr,
            )
        if args.profile:
            await _profile(call, args.requests, args.top, args.dump)


async def _profile(call: Call, requests: int, top: int, dump: Path | None = None) -> None:
    import anyio.to_thread

    async def inline(func: Callable[..., Any], *args: Any, **_: Any) -> Any:
        return func(*args)

    # Every thread hop (Starlette's run_in_threadpool, FastAPI's sync dependencies, the endpoint
    # wrapper of app/transactions.py) goes through anyio's run_sync.
    original = anyio.to_thread.run_sync
    anyio.to_thread.run_sync = inline  # type: ignore[assignment]
    profiler = cProfile.Profile()
    try:
        profiler.enable()
        for _ in range(requests):
            await call()
        profiler.disable()
    finally:
        anyio.to_thread.run_sync = original
    if dump is not None:
        profiler.dump_stats(dump)  # for pstats' callers and callees
    stats = pstats.Stats(profiler, stream=sys.stderr)  # stdout has the app's log lines
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", help="path, with {placeholders} from the bench data's values")
    parser.add_argument("--method", default="GET")
    parser.add_argument(
        "--as", dest="as_user", choices=["client", "therapist", "therapist_200", "admin"]
    )
    parser.add_argument(
        "--body",
        help="JSON body template sent with each request; {uuid}: a fresh uuid4 each time,"
        f" {{today}}: today's date (default for POST: {DEFAULT_POST_BODY})",
    )
    parser.add_argument("--accept", default="application/json")
    parser.add_argument("--language", help="Accept-Language to send")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument(
        "--database-url",
        help="the PostgreSQL bench database `bench.run --database-url` built (default: SQLite)",
    )
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--dump", type=Path, help="also write the profile's stats to this file")
    asyncio.run(_run(parser.parse_args()))


if __name__ == "__main__":
    main()
