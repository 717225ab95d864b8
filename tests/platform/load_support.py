"""Real-server load and fault harness: a migrated database (SQLite file or throwaway PostgreSQL),
the app under uvicorn as a separate process (`python -m app serve`, as in production), seeded
clients with live sessions and a habit each, and a concurrent check-in driver.

Used by tests/platform/test_load.py; `python -m tests.platform.load_support` runs the writer load
by hand against any checkout (`--root`), which is how the before/after numbers were measured."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, select
from sqlmodel import col

from app.config import get_settings
from app.db import make_engine, open_session
from app.migrate import upgrade
from app.self_care.models import HabitCheckIn
from tests import (
    factories,
    own_loop,
    settings_env,  # noqa: F401  (test settings before the app's are read)
)
from tests.browser.fixtures import free_port
from tests.databases import sqlite_url, throwaway_postgres

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def migrated_database(kind: str) -> Iterator[str]:
    """A migrated database's URL: a fresh SQLite file, or a throwaway PostgreSQL database."""
    if kind == "sqlite":
        url = sqlite_url("load")
        upgrade(url)
        yield url
        return
    with throwaway_postgres("gw_load") as url:
        upgrade(url)
        yield url


@dataclass
class Writer:
    """One client's phone: its session cookie, CSRF token and one habit."""

    cookie: str
    csrf: str
    habit_id: str = ""

    def headers(self, base: str) -> dict[str, str]:
        return {
            "Cookie": f"gw_session={self.cookie}",
            "X-CSRF-Token": self.csrf,
            "Origin": base,
            "Sec-Fetch-Site": "same-origin",
        }


def seed_writers(url: str, count: int) -> list[Writer]:
    """`count` clients of one therapist, each logged in (sessions made directly, as a login would)."""
    engine = make_engine(url)
    try:
        with open_session(write=True, engine=engine) as session:
            therapist = factories.therapist(session, factories.clinic(session))
            writers = []
            for _ in range(count):
                person = factories.client(session, therapist=therapist)
                token, csrf = factories.login_token(session, person)
                writers.append(Writer(cookie=token, csrf=csrf))
            session.commit()
        return writers
    finally:
        engine.dispose()


def start_habits(base: str, writers: list[Writer]) -> None:
    with httpx.Client(base_url=base, timeout=30) as client:
        for writer in writers:
            resp = client.post(
                "/api/v1/habits",
                json={"ladder": "water", "level": 1},
                headers=writer.headers(base),
            )
            assert resp.status_code == 201, resp.text
            writer.habit_id = resp.json()["id"]


@dataclass
class AppServer:
    """`python -m app serve` on a free loopback port, against `url`."""

    url: str
    root: Path = ROOT
    env_extra: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    workers: int = 1  # `--workers N`: N processes on one address (sessions are in the database)
    data_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="gw-load-")))
    proc: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.data_dir / "server.log"

    def start(self, *, wait_for: str = "/healthz") -> AppServer:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GW_")}
        env.update(
            {
                "GW_ENVIRONMENT": "test",
                "GW_DATA_DIR": str(self.data_dir),
                "GW_DATABASE_URL": self.url,
                "GW_HOST": "127.0.0.1",
                "GW_PORT": str(self.port),
                "GW_BASE_URL": self.base,
                "GW_SCHEDULER_ENABLED": "false",
                "GW_LOG_LEVEL": "WARNING",
                # These tests measure the process's capacity with a few clients writing far
                # faster than a person can; the per-person write limit (429, tested in
                # tests/platform/test_write_limit.py) would answer most of them first.
                "GW_WRITE_RATE_PER_MINUTE": "0",
                # The sessions seeded by this process are keyed with its secret.
                "GW_SECRET_KEY": get_settings().secret_key,
                "PYTHONPATH": str(self.root),
                **self.env_extra,
            }
        )
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "app", "serve", "--workers", str(self.workers)],
                cwd=self.root,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(self.base + wait_for, timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("server did not start:\n" + self.log_path.read_text())
            time.sleep(0.1)

    def kill(self) -> None:
        """kill -9: no shutdown, no flushing, as a crash or the OOM killer would."""
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process so far."""
        assert self.proc is not None
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_kb(self) -> int:
        assert self.proc is not None
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise AssertionError("no VmRSS")

    def log_entries(self, since: int = 0) -> list[dict[str, Any]]:
        """The app's JSON log lines (app/logging_setup.py) written after byte `since` of the
        server's log (`log_path.stat().st_size` taken earlier); uvicorn's own lines are left out."""
        with self.log_path.open("rb") as f:
            f.seek(since)
            lines = f.read().splitlines()
        return [json.loads(line) for line in lines if line.startswith(b"{")]

    def server_errors(self) -> list[str]:
        """Errors the server logged: the app's (level ERROR, e.g. a 500) or uvicorn's (an
        exception that escaped the app). A 503's warning is not one."""
        text = self.log_path.read_text(errors="replace")
        lines = text.splitlines()
        return [
            "\n".join(lines[n : n + 40])  # the traceback itself, so a failure names its cause
            for n, line in enumerate(lines)
            if line.startswith(("Traceback", "ERROR:")) or '"level": "ERROR"' in line
        ]


@dataclass
class Outcome:
    status: int | None  # None: no answer (connection dropped or timed out)
    retry_after: str | None
    check_in_id: str
    latency: float
    error: str = ""


@dataclass
class LoadResult:
    outcomes: list[Outcome]
    seconds: float

    @property
    def statuses(self) -> Counter[int | None]:
        return Counter(o.status for o in self.outcomes)

    def acknowledged(self) -> set[str]:
        return {o.check_in_id for o in self.outcomes if o.status == 201}

    def summary(self) -> str:
        ok = sorted(o.latency for o in self.outcomes if o.status in (200, 201))

        def pct(p: float) -> float:
            return ok[min(len(ok) - 1, int(p * len(ok)))] if ok else float("nan")

        shed = self.statuses[503] / max(1, len(self.outcomes))
        return (
            f"{len(self.outcomes)} requests in {self.seconds:.1f} s; statuses "
            f"{dict(self.statuses)}; accepted/s {len(ok) / self.seconds:.0f}; "
            f"p50 {pct(0.5) * 1000:.0f} ms, p99 {pct(0.99) * 1000:.0f} ms of the accepted; "
            f"503 {shed:.0%}; 500 × {self.statuses[500]}"
        )


class RawConnection:
    """A bare HTTP/1.1 keep-alive connection. httpx spends ~10 ms of CPU per request at 200
    connections, which on a shared 2-core machine made the client, not the server, the bottleneck."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def request(
        self, path: str, headers: dict[str, str], body: bytes | None
    ) -> tuple[int, dict[str, str], bytes]:
        """POST `body` as JSON, or GET when there is none."""
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        if body is None:
            head = f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n{head}\r\n"
            writer.write(head.encode())
        else:
            head = (
                f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n{head}"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
            )
            writer.write(head.encode() + body)
        await writer.drain()
        status_line, *lines = (await reader.readuntil(b"\r\n\r\n")).decode().split("\r\n")
        answer = {}
        for line in lines:
            if line:
                name, _, value = line.partition(":")
                answer[name.strip().lower()] = value.strip()
        content = await reader.readexactly(int(answer.get("content-length", "0")))
        if answer.get("connection", "").lower() == "close":
            self.close()
        return int(status_line.split()[1]), answer, content

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


async def _drive(
    base: str,
    writers: list[Writer],
    seconds: float,
    timeout: float,
    kill_after: float | None,
    on_kill: Callable[[], None] | None,
    today: bool,
) -> LoadResult:
    outcomes: list[Outcome] = []
    started = time.monotonic()
    stop_at = started + seconds
    host, port = base.removeprefix("http://").split(":")

    async def one_writer(writer: Writer) -> None:
        path = "/today" if today else f"/api/v1/habits/{writer.habit_id}/check-ins"
        headers = writer.headers(base)
        if today:
            headers = {"Cookie": headers["Cookie"], "Accept": "text/html"}
        connection = RawConnection(host, int(port))
        while time.monotonic() < stop_at:
            check_in_id = str(uuid.uuid4())
            body = None if today else f'{{"id": "{check_in_id}", "outcome": "done"}}'.encode()
            sent = time.monotonic()
            try:
                status, answer, content = await asyncio.wait_for(
                    connection.request(path, headers, body), timeout
                )
            except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as exc:
                connection.close()
                outcomes.append(
                    Outcome(None, None, check_in_id, time.monotonic() - sent, repr(exc))
                )
                await asyncio.sleep(0.05)  # the server is gone; do not spin
                continue
            outcomes.append(
                Outcome(
                    status,
                    answer.get("retry-after"),
                    check_in_id,
                    time.monotonic() - sent,
                    "" if status in (200, 201, 503) else content[:300].decode(errors="replace"),
                )
            )
            if status == 503:
                await asyncio.sleep(float(answer.get("retry-after", "1")))
        connection.close()

    tasks = [asyncio.create_task(one_writer(w)) for w in writers]
    if kill_after is not None and on_kill is not None:
        await asyncio.sleep(kill_after)
        await asyncio.to_thread(on_kill)
    await asyncio.gather(*tasks)
    return LoadResult(outcomes, time.monotonic() - started)


def run_writers(
    base: str,
    writers: list[Writer],
    *,
    seconds: float,
    timeout: float = 10.0,
    kill_after: float | None = None,
    on_kill: Callable[[], None] | None = None,
    today: bool = False,
) -> LoadResult:
    """Every writer posts new check-ins back to back for `seconds` (after a 503 it waits the
    Retry-After, as the phone's queue does); each request may take at most `timeout`."""
    return own_loop.run(_drive(base, writers, seconds, timeout, kill_after, on_kill, today))


def stored_check_ins(url: str, ids: set[str]) -> set[str]:
    engine: Engine = make_engine(url)
    try:
        found: set[str] = set()
        wanted = [uuid.UUID(i) for i in ids]
        with engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                column = col(HabitCheckIn.id)
                rows = conn.execute(select(column).where(column.in_(chunk)))
                found.update(str(r[0]) for r in rows)
        return found
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--writers", type=int, nargs="+", default=[200], help="a curve")
    parser.add_argument("--today", action="store_true", help="GET /today instead of check-ins")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--timeout", type=float, default=40)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to serve")
    parser.add_argument("--log-level", default="WARNING", help="the server's GW_LOG_LEVEL")
    args = parser.parse_args()
    with migrated_database(args.db) as url:
        everyone = seed_writers(url, max(args.writers))
        server = AppServer(url, root=args.root, env_extra={"GW_LOG_LEVEL": args.log_level})
        server.start()
        try:
            start_habits(server.base, everyone)
            for count in args.writers:
                cpu = server.cpu_seconds()
                result = run_writers(
                    server.base,
                    everyone[:count],
                    seconds=args.seconds,
                    timeout=args.timeout,
                    today=args.today,
                )
                lost = result.acknowledged() - stored_check_ins(url, result.acknowledged())
                errors = Counter(o.error[:80] for o in result.outcomes if o.error)
                used = server.cpu_seconds() - cpu
                sys.stdout.write(
                    f"{count} connections: {result.summary()}; server CPU {used:.1f} s; "
                    f"acknowledged but not stored: {len(lost)}; errors: {dict(errors)}\n"
                )
                time.sleep(3)  # let the last requests and Retry-After sleepers drain
        finally:
            server.stop()
            sys.stdout.write(f"server log: {server.log_path}\n")


if __name__ == "__main__":
    main()
