"""Concurrency curve (issue #15): check-in writes and Today at 1 → 2,000 connections, on SQLite
and PostgreSQL, with 1 and 2 uvicorn worker processes behind one address.

`python -m bench.curve` seeds a database and serves the app with the real-server harness of
tests/platform/load_support.py (the same one the load tests use), drives it with wrk pinned to
core 1 (the server and its workers on core 0), and prints a Markdown table. wrk counts every
status (a Lua `response` hook); the latency of *accepted* requests only (2xx) comes from the
app's own per-request log line (`duration_ms`, app/middleware.py), because wrk's latency
histogram cannot be split by status and mixes in the instant 503s. By default the client honours
the busy 503's Retry-After as the phone's queue does; `--hammer` resends at once, `--wait` tries
another GW_ADMISSION_WAIT_SECONDS. Results: bench/RESULTS.md, "Concurrency curve".
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from app.unavailable import RETRY_AFTER
from tests.platform.load_support import (
    AppServer,
    Writer,
    migrated_database,
    seed_writers,
    start_habits,
)

CONNECTIONS = (1, 32, 128, 512, 2000)
SERVER_CPU, WRK_CPU = 0, 1
RETRY_AFTER_MS = RETRY_AFTER["busy"] * 1000  # what the busy 503 asks a client to wait

# One wrk thread; each request is sent as the next seeded person in turn (a check-in also gets a
# fresh v4 id, so every POST creates a row). `done` prints the status counts as one JSON line.
LUA = r"""
local people = {%(people)s}
local post = %(post)s
local n, threads, owed, backoff_ms = 0, {}, 0, %(backoff_ms)d
counts = {}  -- global: `done` reads each thread's copy with thread:get
setup = function(thread) threads[#threads + 1] = thread end
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
  counts[status] = (counts[status] or 0) + 1
  if status == 503 and backoff_ms > 0 then owed = owed + 1 end
end
-- Phones honour Retry-After (2 s). wrk's Lua cannot tell which connection got the 503, so each 503
-- delays the next request sent on any connection by the Retry-After: the same offered load.
delay = function()
  if owed > 0 then owed = owed - 1; return backoff_ms end
  return 0
end
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


def lua_script(writers: list[Writer], base: str, *, post: bool, backoff_ms: int) -> str:
    """The wrk script for one endpoint, rotating through the seeded people."""
    fields = (
        (f"gw_session={w.cookie}", w.csrf, f"/api/v1/habits/{w.habit_id}/check-ins", base)
        for w in writers
    )
    people = ", ".join("{" + ", ".join(json.dumps(v) for v in row) + "}" for row in fields)
    return LUA % {"people": people, "post": "true" if post else "false", "backoff_ms": backoff_ms}


@dataclass
class Point:
    db: str
    workers: int
    endpoint: str
    connections: int
    seconds: float
    statuses: Counter[int]
    unanswered: int  # wrk timeouts and connect/read/write errors
    accepted_ms: list[float]  # server-side duration of each 2xx
    load: float

    @property
    def accepted(self) -> int:
        return sum(c for s, c in self.statuses.items() if 200 <= s < 300)

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    @property
    def throughput(self) -> float:
        return self.accepted / self.seconds

    def pct(self, p: float) -> float:
        ms = sorted(self.accepted_ms)
        return ms[min(len(ms) - 1, int(p * len(ms)))] if ms else float("nan")

    def row(self) -> str:
        shed = self.statuses[503] / max(1, self.total)
        return (
            f"| {self.db} | {self.workers} | {self.endpoint} | {self.connections} | "
            f"{self.throughput:.0f} | {self.pct(0.5):.0f} | {self.pct(0.99):.0f} | {shed:.0%} | "
            f"{self.statuses[500]} | {self.unanswered} | {self.load:.1f} |"
        )


HEADER = (
    "| db | workers | endpoint | conns | accepted/s | p50 ms | p99 ms | 503 | 500 | "
    "unanswered | load |\n|---|---|---|---|---|---|---|---|---|---|---|"
)


def server_durations(log: Path, offset: int, path_prefix: str) -> tuple[list[float], int]:
    """2xx durations (ms) logged since `offset` for paths starting with `path_prefix`; new offset."""
    with log.open("rb") as f:
        f.seek(offset)
        data = f.read()
    durations = []
    for line in data.splitlines():
        if not line.startswith(b"{"):
            continue
        entry = json.loads(line)
        status = entry.get("status", 0)
        if entry.get("path", "").startswith(path_prefix) and 200 <= status < 300:
            durations.append(float(entry["duration_ms"]))
    return durations, offset + len(data)


def run_wrk(script: Path, base: str, connections: int, seconds: float) -> dict[str, object]:
    cmd = ["taskset", "-c", str(WRK_CPU), "wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s"]
    cmd += ["--timeout", "10s", "-s", str(script), base]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    for line in proc.stdout.splitlines():
        if line.startswith("CURVE_JSON "):
            result: dict[str, object] = json.loads(line.removeprefix("CURVE_JSON "))
            return result
    raise RuntimeError(f"wrk failed ({proc.returncode}): {proc.stdout}\n{proc.stderr}")


def measure(
    db: str,
    workers: int,
    connections: tuple[int, ...],
    seconds: float,
    people: int,
    env: dict[str, str],
    backoff_ms: int,
) -> list[Point]:
    """One server (database × workers): the check-in curve, then the Today curve."""
    points: list[Point] = []
    with migrated_database(db) as url:
        writers = seed_writers(url, people)
        extra = {"GW_LOG_LEVEL": "INFO", "GW_WRITE_RATE_PER_MINUTE": "0", **env}
        server = AppServer(url, workers=workers, env_extra=extra).start()
        try:
            start_habits(server.base, writers)
            scripts = Path(tempfile.mkdtemp(prefix="gw-curve-"))
            for endpoint, post, prefix in (
                ("check-in", True, "/api/v1/habits/"),
                ("today", False, "/today"),
            ):
                script = scripts / f"{endpoint}.lua"
                script.write_text(
                    lua_script(writers, server.base, post=post, backoff_ms=backoff_ms)
                )
                run_wrk(script, server.base, 8, 1)  # warm-up: caches, pools, templates
                time.sleep(1)
                for count in connections:
                    offset = server.log_path.stat().st_size
                    load = os.getloadavg()[0]
                    out = run_wrk(script, server.base, count, seconds)
                    time.sleep(1.5)  # the last answers and their log lines
                    durations, _ = server_durations(server.log_path, offset, prefix)
                    raw = out["statuses"]
                    assert isinstance(raw, dict)
                    errors = sum(int(out[k]) for k in ("timeouts", "connect", "read", "write"))  # type: ignore[call-overload]  # run_wrk's counters are ints in a dict of mixed values
                    point = Point(
                        db,
                        workers,
                        endpoint,
                        count,
                        float(out["seconds"]),  # type: ignore[arg-type]  # run_wrk's seconds is a float in a dict of mixed values
                        Counter({int(s): int(c) for s, c in raw.items()}),
                        errors,
                        durations,
                        load,
                    )
                    points.append(point)
                    sys.stdout.write(point.row() + "\n")
                    sys.stdout.flush()
            if server.server_errors():
                sys.stdout.write(f"server errors logged: {server.server_errors()[:5]}\n")
        finally:
            server.stop()
    return points


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--db", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"]
    )
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--connections", type=int, nargs="+", default=list(CONNECTIONS))
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--people", type=int, default=64, help="seeded clients, one habit each")
    parser.add_argument("--wait", type=float, help="GW_ADMISSION_WAIT_SECONDS for this run")
    parser.add_argument(
        "--hammer",
        action="store_true",
        help="ignore Retry-After: send again at once after a 503 (a misbehaving client)",
    )
    args = parser.parse_args()
    env = {} if args.wait is None else {"GW_ADMISSION_WAIT_SECONDS": str(args.wait)}
    os.sched_setaffinity(0, {SERVER_CPU})  # inherited by the server and its workers
    mode = "hammer (Retry-After ignored)" if args.hammer else "Retry-After honoured"
    sys.stdout.write(f"load average at start: {os.getloadavg()}; env {env}; {mode}\n{HEADER}\n")
    for db in args.db:
        for workers in args.workers:
            backoff = 0 if args.hammer else RETRY_AFTER_MS
            measure(db, workers, tuple(args.connections), args.seconds, args.people, env, backoff)


if __name__ == "__main__":
    main()
