"""Concurrency curve (issue #15): check-in writes and Today at 1 → 2,000 connections, on SQLite
and PostgreSQL, with 1 and 2 uvicorn worker processes behind one address.

`python -m bench.curve` seeds a database and serves the app with the real-server harness of
tests/platform/load_support.py (the same one the load tests use), drives it with wrk pinned to
core 1 (the server and its workers on core 0), and prints a Markdown table. wrk counts every
status (a Lua `response` hook); the latency of *accepted* requests only (2xx) comes from the
app's own per-request log line (`duration_ms`, app/middleware.py), because wrk's latency
histogram cannot be split by status and mixes in the instant 503s. By default the client honours
the busy 503's Retry-After as the phone's queue does; `--hammer` resends at once, `--wait` and
`--target` try other admission settings.

`make bench` runs it after `bench.run`: a full default run rewrites its own section of
bench/RESULTS.md, between the `<!-- curve -->` and `<!-- /curve -->` markers (appended if they are
missing), and leaves the rest of the file alone; any other run (`--quick`, a subset, other
settings) writes bench/out/curve.md instead, so a partial run never replaces the full one.
Exits 1 if any request got a 500 or no answer: those are never acceptable, whatever the noise.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.hello import PATH as HELLO_PATH
from bench.server import HELLO_FACTORY, running_server
from tests.platform.load_support import (
    AppServer,
    Writer,
    migrated_database,
    seed_writers,
    start_habits,
)

CONNECTIONS = (1, 32, 128, 512, 2000)
QUICK_CONNECTIONS = (1, 32, 512)
GOAL_CONNECTIONS = 512  # throughput ≥ 90 % of the curve's best, p99 of accepted ≤ 1 s
GOAL_SHARE, GOAL_P99_MS = 0.9, 1000.0
# Rounds over each curve in a full run: one 5 s point swung 72–100 % of the best between two runs
# of the same build (7 December), as the shared machine's speed drifted (docs/benchmarks.md).
ROUNDS = 3
ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
PARTIAL = ROOT / "bench" / "out" / "curve.md"
BEGIN, END = "<!-- curve -->", "<!-- /curve -->"
SERVER_CPU, WRK_CPU = 0, 1

# What every wrk script shares: statuses counted by the Lua `response` hook, printed by `done`
# as one JSON line (`run_wrk` reads it).
LUA_COUNTS = r"""
counts = {}  -- global: `done` reads each thread's copy with thread:get
local threads = {}
setup = function(thread) threads[#threads + 1] = thread end
local function count(status) counts[status] = (counts[status] or 0) + 1 end
done = function(summary, latency, requests)
  local parts = {}
  for _, t in ipairs(threads) do
    for s, c in pairs(t:get("counts")) do parts[#parts + 1] = '"' .. s .. '": ' .. c end
  end
  io.write('CURVE_JSON {"statuses": {' .. table.concat(parts, ", ") .. '}, "timeouts": '
    .. summary.errors.timeout .. ', "connect": ' .. summary.errors.connect
    .. ', "read": ' .. summary.errors.read .. ', "write": ' .. summary.errors.write
    .. ', "seconds": ' .. summary.duration / 1e6 .. '}\n')
end
"""

# The app: one wrk thread; each request is sent as the next seeded person in turn (a check-in
# also gets a fresh v4 id, so every POST creates a row).
LUA = (
    LUA_COUNTS.replace("%", "%%")
    + r"""
local people = {%(people)s}
local post = %(post)s
local n, owed, honour = 0, {}, %(honour)s
math.randomseed(os.time())
local function uuid()
  return (string.gsub("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", "[xy]", function(c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%%x", v)
  end))
end
request = function()
  n = n + 1
  local p = people[(n %% #people) + 1]
  if post then
    local h = {["Cookie"] = p[1], ["X-CSRF-Token"] = p[2], ["Origin"] = p[4],
               ["Sec-Fetch-Site"] = "same-origin", ["Content-Type"] = "application/json"}
    return wrk.format("POST", p[3], h, '{"id": "' .. uuid() .. '", "outcome": "done"}')
  end
  return wrk.format("GET", "/today", {["Cookie"] = p[1], ["Accept"] = "text/html"}, nil)
end
response = function(status, headers, body)
  count(status)
  if status == 503 and honour then
    local seconds = tonumber(headers["retry-after"] or headers["Retry-After"] or "") or 2
    owed[#owed + 1] = seconds * 1000
  end
end
-- Phones honour Retry-After (its value, which grows while the server keeps shedding). wrk's Lua
-- cannot tell which connection got the 503, so each 503 delays the next request sent on any
-- connection by its Retry-After: the same offered load.
delay = function()
  if #owed > 0 then return table.remove(owed) end
  return 0
end
"""
)

# The control: the pure hello world (bench/hello.py), every answer counted, nothing delayed.
CONTROL = "pure hello"
CONTROL_NOTE = (
    f"`{CONTROL}` rows are bench/hello.py's `GET {HELLO_PATH}` (one FastAPI route, no "
    "middleware, no database) served by uvicorn with the same worker processes on the same core "
    "and driven by the same wrk, first in the run"
)
CONTROL_LUA = (
    LUA_COUNTS
    + f"""
request = function() return wrk.format("GET", "{HELLO_PATH}") end
response = function(status, headers, body) count(status) end
"""
)


def lua_script(writers: list[Writer], base: str, *, post: bool, honour_retry_after: bool) -> str:
    """The wrk script for one endpoint, rotating through the seeded people."""
    fields = (
        (f"gw_session={w.cookie}", w.csrf, f"/api/v1/habits/{w.habit_id}/check-ins", base)
        for w in writers
    )
    people = ", ".join("{" + ", ".join(json.dumps(v) for v in row) + "}" for row in fields)
    return LUA % {
        "people": people,
        "post": "true" if post else "false",
        "honour": "true" if honour_retry_after else "false",
    }


@dataclass
class Point:
    """One connection count on one curve, measured in one or more rounds (see `measure`)."""

    db: str
    workers: int
    endpoint: str
    connections: int
    seconds: float
    statuses: Counter[int]
    unanswered: int  # wrk timeouts and connect/read/write errors
    accepted_ms: list[float]  # server-side duration of each 2xx
    load: float
    rounds: list[float] = field(default_factory=list)  # accepted/s of each round

    @property
    def accepted(self) -> int:
        return sum(c for s, c in self.statuses.items() if 200 <= s < 300)

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    @property
    def throughput(self) -> float:
        """The median round's accepted/s: the machine's speed drifts between rounds, and a
        median is not pulled by one round on a slow (or fast) second as a mean is."""
        return statistics.median(self.rounds) if self.rounds else self.accepted / self.seconds

    def add(self, other: Point) -> None:
        """Fold in another round of the same point."""
        self.seconds += other.seconds
        self.statuses += other.statuses
        self.unanswered += other.unanswered
        self.accepted_ms += other.accepted_ms
        self.load = max(self.load, other.load)
        self.rounds += other.rounds

    def pct(self, p: float) -> float:
        ms = sorted(self.accepted_ms)
        return ms[min(len(ms) - 1, int(p * len(ms)))] if ms else float("nan")

    def spread(self) -> str:
        if len(self.rounds) < 2:
            return ""
        return f" ({min(self.rounds):.0f}–{max(self.rounds):.0f})"

    def row(self) -> str:
        shed = self.statuses[503] / max(1, self.total)
        # The control has no per-request log line to take latencies from.
        p50, p99 = (f"{self.pct(p):.0f}" if self.accepted_ms else "—" for p in (0.5, 0.99))
        return (
            f"| {self.db} | {self.workers} | {self.endpoint} | {self.connections} | "
            f"{self.throughput:.0f}{self.spread()} | {p50} | {p99} | "
            f"{shed:.0%} | {self.statuses[500]} | {self.unanswered} | {self.load:.1f} |"
        )


HEADER = (
    "| db | workers | endpoint | conns | accepted/s | p50 ms | p99 ms | 503 | 500 | "
    "unanswered | load |\n|---|---|---|---|---|---|---|---|---|---|---|"
)


def shedding_reports(entries: Sequence[dict[str, Any]]) -> list[str]:
    """The admission gate's "shed N requests …" lines among these log entries (its estimates)."""
    return [str(e["message"]) for e in entries if e.get("logger") == "groundwork.admission"]


def server_durations(entries: Sequence[dict[str, Any]], path_prefix: str) -> list[float]:
    """2xx durations (ms) among these log entries for paths starting with `path_prefix`."""
    return [
        float(e["duration_ms"])
        for e in entries
        if str(e.get("path", "")).startswith(path_prefix) and 200 <= e.get("status", 0) < 300
    ]


@dataclass
class WrkCounts:
    """What the Lua `done` hook printed: statuses, errors (never answered) and the duration."""

    statuses: Counter[int]
    unanswered: int
    seconds: float


def run_wrk(script: Path, base: str, connections: int, seconds: float) -> WrkCounts:
    cmd = ["taskset", "-c", str(WRK_CPU), "wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s"]
    cmd += ["--timeout", "10s", "-s", str(script), base]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    for line in proc.stdout.splitlines():
        if line.startswith("CURVE_JSON "):
            out = json.loads(line.removeprefix("CURVE_JSON "))
            return WrkCounts(
                Counter({int(s): int(c) for s, c in out["statuses"].items()}),
                sum(int(out[k]) for k in ("timeouts", "connect", "read", "write")),
                float(out["seconds"]),
            )
    raise RuntimeError(f"wrk failed ({proc.returncode}): {proc.stdout}\n{proc.stderr}")


def one_point(
    server: AppServer,
    script: Path,
    db: str,
    workers: int,
    endpoint: str,
    prefix: str,
    seconds: float,
    count: int,
    number: int,
) -> Point:
    """Round `number` of one point: wrk at `count` connections, then the server's log of it,
    printed with the admission gate's reports from that round."""
    offset = server.log_path.stat().st_size
    load = os.getloadavg()[0]
    out = run_wrk(script, server.base, count, seconds)
    time.sleep(1.5)  # the last answers and their log lines
    entries = server.log_entries(offset)
    durations = server_durations(entries, prefix)
    point = Point(
        db, workers, endpoint, count, out.seconds, out.statuses, out.unanswered, durations, load
    )
    point.rounds.append(point.accepted / point.seconds)
    sys.stdout.write(f"{point.row()} round {number}\n")
    for report in shedding_reports(entries)[-2:]:
        sys.stdout.write(f"    admission: {report}\n")
    sys.stdout.flush()
    return point


def in_rounds(
    measure_point: Callable[[int, int], Point], connections: tuple[int, ...], rounds: int
) -> list[Point]:
    """Round after round over the whole curve (in the same order each time, so each point
    follows the same history): a drift of the machine's speed then spreads over every point
    instead of landing on whichever ran during it. `measure_point(count, round)`."""
    curve: dict[int, Point] = {}
    for number in range(1, rounds + 1):
        for count in connections:
            point = measure_point(count, number)
            if count in curve:
                curve[count].add(point)
            else:
                curve[count] = point
    return list(curve.values())


def control(workers: int, connections: tuple[int, ...], seconds: float, rounds: int) -> list[Point]:
    """The same curve for the pure hello world (bench/hello.py), served by uvicorn with the same
    worker processes on the same core: what the stack alone loses from 1 to 2,000 connections,
    and what two busy processes sharing the one core cost, with no app and no database."""
    folder = Path(tempfile.mkdtemp(prefix="gw-curve-"))
    script = folder / "hello.lua"
    script.write_text(CONTROL_LUA)
    with running_server(
        env={},
        log_path=folder / "hello.log",
        cpu=None,  # the affinity `main` set (the server's core) is inherited
        cwd=ROOT,
        factory=HELLO_FACTORY,
        health_path=HELLO_PATH,
        workers=workers,
    ) as server:
        run_wrk(script, server.base, 8, 1)

        def one(count: int, number: int) -> Point:
            load = os.getloadavg()[0]
            out = run_wrk(script, server.base, count, seconds)
            point = Point(
                "—", workers, CONTROL, count, out.seconds, out.statuses, out.unanswered, [], load
            )
            point.rounds.append(point.accepted / point.seconds)
            sys.stdout.write(f"{point.row()} round {number}\n")
            sys.stdout.flush()
            return point

        return in_rounds(one, connections, rounds)


def measure(
    db: str,
    workers: int,
    connections: tuple[int, ...],
    seconds: float,
    people: int,
    env: dict[str, str],
    honour_retry_after: bool,
    rounds: int = 1,
) -> list[Point]:
    """One server (database × workers): the check-in curve, then the Today curve, each measured
    `rounds` times over; a point's throughput is its median round (see `Point.throughput`)."""
    points: list[Point] = []
    with migrated_database(db) as url:
        writers = seed_writers(url, people)
        extra = {"GW_LOG_LEVEL": "INFO", "GW_WRITE_RATE_PER_MINUTE": "0", **env}
        server = AppServer(url, workers=workers, env_extra=extra)
        try:
            server.start()
        except RuntimeError:  # workers slow to import on a loaded machine (60 s): once more
            server.stop()
            try:
                server.start()
            except RuntimeError:
                server.stop()
                raise
        try:
            start_habits(server.base, writers)
            scripts = Path(tempfile.mkdtemp(prefix="gw-curve-"))
            for endpoint, post, prefix in (
                ("check-in", True, "/api/v1/habits/"),
                ("today", False, "/today"),
            ):
                script = scripts / f"{endpoint}.lua"
                script.write_text(
                    lua_script(
                        writers, server.base, post=post, honour_retry_after=honour_retry_after
                    )
                )
                run_wrk(script, server.base, 8, 1)  # warm-up: caches, pools, templates
                time.sleep(1)
                points += in_rounds(
                    functools.partial(
                        one_point, server, script, db, workers, endpoint, prefix, seconds
                    ),
                    connections,
                    rounds,
                )
            if server.server_errors():
                sys.stdout.write(f"server errors logged: {server.server_errors()[:5]}\n")
        finally:
            server.stop()
    return points


def shed_cost(db: str, people: int) -> None:
    """Server CPU per answer: one connection (every request served) against 2,000 connections
    resending at once after each 503 (nearly every answer a 503): what a client that ignores
    Retry-After costs the process, which a proxy limit must keep away (docs/operations.md)."""
    with migrated_database(db) as url:
        writers = seed_writers(url, people)
        server = AppServer(url, env_extra={"GW_WRITE_RATE_PER_MINUTE": "0"}).start()
        try:
            start_habits(server.base, writers)
            script = Path(tempfile.mkdtemp(prefix="gw-curve-")) / "check-in.lua"
            script.write_text(lua_script(writers, server.base, post=True, honour_retry_after=False))
            run_wrk(script, server.base, 8, 1)
            for count in (1, 2000):
                cpu = server.cpu_seconds()
                out = run_wrk(script, server.base, count, 5)
                time.sleep(1.5)
                used = server.cpu_seconds() - cpu
                answers = sum(out.statuses.values())
                sys.stdout.write(
                    f"{db}, {count} connections: {answers} answers "
                    f"({out.statuses[503] / max(1, answers):.0%} 503), server CPU {used:.1f} s, "
                    f"{used / max(1, answers) * 1000:.2f} ms CPU per answer\n"
                )
        finally:
            server.stop()


def at_goal(curve: Sequence[Point]) -> tuple[Point, float, float] | None:
    """The curve's point at GOAL_CONNECTIONS, the curve's best throughput, and the point's share
    of it."""
    points = [p for p in curve if p.connections == GOAL_CONNECTIONS]
    if not points:
        return None
    best = max(p.throughput for p in curve)
    return points[0], best, (points[0].throughput / best if best else 0.0)


def goals(points: Sequence[Point]) -> list[str]:
    """One row per curve of the app (database × workers × endpoint): the 512-connection point
    against the goals, beside the same share for the pure hello world with as many workers."""
    rows = [
        f"| db, workers, endpoint | accepted/s at {GOAL_CONNECTIONS} ÷ best | p99 of accepted "
        f"at {GOAL_CONNECTIONS} | pure hello, same workers: at {GOAL_CONNECTIONS} ÷ best |",
        "|---|---|---|---|",
    ]
    curves: dict[tuple[str, int, str], list[Point]] = {}
    for point in points:
        curves.setdefault((point.db, point.workers, point.endpoint), []).append(point)
    controls = {
        workers: at_goal(curve)
        for (_, workers, endpoint), curve in curves.items()
        if endpoint == CONTROL
    }
    for (db, workers, endpoint), curve in curves.items():
        measured = at_goal(curve)
        if endpoint == CONTROL or measured is None:
            continue
        point, best, share = measured
        p99 = point.pct(0.99)
        hello = controls.get(workers)
        rows.append(
            f"| {db}, {workers}, {endpoint} | {point.throughput:.0f}/{best:.0f} = "
            f"{share:.0%} {'✓' if share >= GOAL_SHARE else '✗'} | {p99:.0f} ms "
            f"{'✓' if p99 <= GOAL_P99_MS else '✗'} | "
            f"{f'{hello[2]:.0%}' if hello else '—'} |"
        )
    return rows


def section(points: Sequence[Point], *, started: datetime, seconds: float, setup: str) -> str:
    """The curve's part of bench/RESULTS.md, generated whole: the table, then the goals."""
    loads = [p.load for p in points] or [0.0]
    failures = sum(p.statuses[500] + p.unanswered for p in points)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    lines = [
        "# Concurrency curve (issue #15): `python -m bench.curve`, part of `make bench`",
        "",
        f"{started:%d %B %Y, %H:%M} UTC, commit {commit or '?'}, {seconds / 60:.0f} min; "
        f"load average {min(loads):.1f}–{max(loads):.1f} on 2 shared cores (the server on core 0, "
        f'wrk on core 1). {setup}. Method and reading: docs/benchmarks.md, "Concurrency curve".',
        "accepted/s = 2xx per second, the median round (the rounds' range in brackets); p50/p99 = "
        "server-side `duration_ms` of the 2xx only (queue + service), all rounds pooled; 503 = "
        "share of all answers; unanswered = wrk timeouts + socket errors; load = the highest.",
        "",
        HEADER,
        *(p.row() for p in points),
        "",
        f"Goals at {GOAL_CONNECTIONS} connections (throughput ≥ {GOAL_SHARE:.0%} of the curve's "
        f"best; p99 of accepted ≤ {GOAL_P99_MS / 1000:g} s):",
        "",
        *goals(points),
        "",
        f"500s + unanswered over the whole run: **{failures}** (must be 0).",
    ]
    return "\n".join(lines) + "\n"


def write_section(path: Path, text: str) -> None:
    """Replace the text between the markers in place (or append them), leaving the rest alone."""
    old = path.read_text() if path.exists() else ""
    block = f"{BEGIN}\n{text}{END}"
    if BEGIN in old and END in old.split(BEGIN, 1)[1]:
        head, rest = old.split(BEGIN, 1)
        new = head + block + rest.split(END, 1)[1]
    else:
        new = old.rstrip("\n") + ("\n\n---\n\n" if old.strip() else "") + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--db", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"]
    )
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--connections", type=int, nargs="+")
    parser.add_argument("--seconds", type=float)
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"{', '.join(map(str, QUICK_CONNECTIONS))} connections, 3 s a point (bench/out/curve.md)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        help=f"times over each curve, a point's median kept (default {ROUNDS}; --quick: 1)",
    )
    parser.add_argument("--people", type=int, default=64, help="seeded clients, one habit each")
    parser.add_argument("--wait", type=float, help="GW_ADMISSION_WAIT_SECONDS for this run")
    parser.add_argument("--target", type=float, help="GW_ADMISSION_TARGET_SECONDS for this run")
    parser.add_argument("--env", nargs="*", default=[], help="more NAME=VALUE for the server")
    parser.add_argument(
        "--hammer",
        action="store_true",
        help="ignore Retry-After: send again at once after a 503 (a misbehaving client)",
    )
    parser.add_argument("--output", type=Path, help="file whose curve section to write")
    parser.add_argument(
        "--shed-cost", action="store_true", help="only measure the CPU a shed request costs"
    )
    parser.add_argument(
        "--no-control",
        action="store_true",
        help="skip the pure hello world's curve for each worker count (the control)",
    )
    args = parser.parse_args()
    if args.shed_cost:
        os.sched_setaffinity(0, {SERVER_CPU})
        for db in args.db:
            shed_cost(db, args.people)
        return 0
    connections = tuple(args.connections or (QUICK_CONNECTIONS if args.quick else CONNECTIONS))
    seconds = args.seconds or (3.0 if args.quick else 5.0)
    rounds = args.rounds or (1 if args.quick else ROUNDS)
    env = dict(item.split("=", 1) for item in args.env)
    if args.wait is not None:
        env["GW_ADMISSION_WAIT_SECONDS"] = str(args.wait)
    if args.target is not None:
        env["GW_ADMISSION_TARGET_SECONDS"] = str(args.target)
    full = (
        connections == CONNECTIONS
        and seconds == 5.0
        and rounds == ROUNDS
        and not env
        and not args.hammer
        and set(args.db) == {"sqlite", "postgres"}
        and set(args.workers) == {1, 2}
        and not args.no_control
    )
    output = args.output or (RESULTS if full else PARTIAL)
    os.sched_setaffinity(0, {SERVER_CPU})  # inherited by the server and its workers
    mode = "hammer (Retry-After ignored)" if args.hammer else "Retry-After honoured"
    started, clock = datetime.now(UTC), time.monotonic()
    sys.stdout.write(f"load average at start: {os.getloadavg()}; env {env}; {mode}\n{HEADER}\n")
    points: list[Point] = []
    missing: list[str] = []
    if not args.no_control:
        for workers in args.workers:
            points += control(workers, connections, seconds, rounds)
    for db in args.db:
        for workers in args.workers:
            try:
                points += measure(
                    db, workers, connections, seconds, args.people, env, not args.hammer, rounds
                )
            except RuntimeError as exc:  # the server never came up: say so, measure the rest
                reason = str(exc).splitlines()[0].rstrip(":")
                missing.append(f"{db} × {workers} workers ({reason} within 60 s, twice)")
                sys.stdout.write(f"NOT MEASURED: {missing[-1]}\n")
    setup = (
        f"{args.people} seeded clients, {seconds:g} s a point, {rounds} round(s) over each curve "
        f"(accepted/s: the median round, with the range), {mode}, "
        f"server settings {env or 'default'} plus GW_WRITE_RATE_PER_MINUTE=0"
        + ("" if args.no_control else f"; the control: {CONTROL_NOTE}")
    )
    text = section(points, started=started, seconds=time.monotonic() - clock, setup=setup)
    if missing:
        text += f"\n**Not measured**: {'; '.join(missing)}.\n"
    write_section(output, text)
    sys.stdout.write("\n".join(goals(points)) + f"\nWrote {output}\n")
    return 1 if missing or any(p.statuses[500] or p.unanswered for p in points) else 0


if __name__ == "__main__":
    sys.exit(main())
