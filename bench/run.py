"""`make bench` = `python -m bench.run`: build (or reuse) the data, serve, measure, write RESULTS.md.

python -m bench.run                     # everything, ~10 minutes, writes bench/RESULTS.md
python -m bench.run --only today --duration 5
python -m bench.run --quick             # smoke test: short runs, 2,000 clients
python -m bench.run --list
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from uuid import uuid4
from zoneinfo import ZoneInfo

import httpx

from bench import curve, database, generate, hello, report, report_load, server, wrk
from bench.harness import UUID_TOKEN, Scenario, fill

ROOT = database.ROOT
OUT = database.OUT
RESULTS = ROOT / "bench" / "RESULTS.md"
# Measured a second time while a therapist makes PDF reports (bench/report_load.py).
REPORT_LOAD_SCENARIO = ("foundation", "/today")
SLOW_MS = 1000  # above this p50 alone, a scenario is not also run at 32 connections
BASELINE = Scenario(name="baseline", path="/healthz/live")
MACHINE_NOTE = (
    "2 shared, noisy virtual cores (server pinned to core 0, wrk to core 1). Absolute numbers move "
    "with the neighbours' load from run to run: quote the ratios to the paired baseline."
)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    p.add_argument(
        "--only",
        action="append",
        default=[],
        help="run scenarios whose 'domain: name' or path contains this (repeatable)",
    )
    p.add_argument(
        "--duration", type=float, default=8.0, help="seconds per measurement (default 8)"
    )
    p.add_argument(
        "--warmup", type=float, default=2.0, help="warm-up seconds per scenario (default 2)"
    )
    p.add_argument(
        "--budget",
        type=float,
        default=480.0,
        help="seconds of measuring; durations shrink to fit (default 480)",
    )
    p.add_argument("--quick", action="store_true", help="3 s runs, 1 s warm-up, 2,000 clients")
    p.add_argument("--clients", type=int, default=None, help="clients to generate (default 10,000)")
    p.add_argument("--seed", type=int, default=20240601)
    p.add_argument(
        "--database-url",
        default=os.environ.get("GW_DATABASE_URL"),
        help="PostgreSQL URL whose database name contains 'bench' (default: SQLite under bench/out)",
    )
    p.add_argument("--rebuild", action="store_true", help="regenerate the data even if cached")
    p.add_argument(
        "--output",
        type=Path,
        default=None,
        help="results file (default bench/RESULTS.md for a full run, else bench/out/RESULTS.md)",
    )
    p.add_argument("--list", action="store_true", help="list the scenarios and exit")
    p.add_argument("--strict", action="store_true", help="exit 1 when a target fails")
    args = p.parse_args(argv)
    if args.quick:
        args.duration, args.warmup = min(args.duration, 3.0), min(args.warmup, 1.0)
        args.clients = args.clients or 2000
    args.clients = args.clients or 10_000
    return args


def selected(pairs: list[tuple[str, Scenario]], only: list[str]) -> list[tuple[str, Scenario]]:
    if not only:
        return pairs
    words = [w.lower() for w in only]
    return [(d, s) for d, s in pairs if any(w in f"{d}: {s.name} {s.path}".lower() for w in words)]


def ensure_built(
    t: database.Target, args: argparse.Namespace, modules: list[ModuleType]
) -> generate.Built:
    if t.built and not args.rebuild:
        built = generate.Built.load(t.meta_path)
        print(f"Using cached data {t.key} ({built.clients:,} clients, built {built.built_at})")
        return built
    print(f"Building bench data {t.key} ({args.clients:,} clients, {t.kind}) ...", flush=True)
    database.remove_stale(t)
    database.create_empty(t)
    database.migrate(t.build_url)
    built = generate.build(t, clients=args.clients, seed=args.seed, modules=modules)
    database.finish_build(t)
    built.save(t.meta_path)
    print(f"Built in {built.build_seconds:.0f} s: {json.dumps(built.counts)}")
    return built


@dataclass
class Runner:
    """One server, its logged-in users, and the durations: measures scenarios one after another."""

    base: str
    built: generate.Built
    duration: float
    warmup: float
    logins: dict[str, server.Login] = field(default_factory=dict)
    baseline_script: Path | None = None
    server_cpu: Callable[[], float] | None = None
    settle: Callable[[], float] = lambda: 0.0
    # The pure hello world (bench/hello.py), served beside the app: measured before and after
    # each of a scenario's runs. None when it is not running (then there are no hello ratios).
    hello: Hello | None = None

    @property
    def paired_seconds(self) -> float:
        return max(2.0, round(self.duration * 0.4))

    def scenario(self, domain: str, s: Scenario, slug: str) -> report.Outcome:
        """Log in if needed, then measure; any failure becomes the outcome's stated problem."""
        try:
            headers: dict[str, str] = {}
            values = {**self.built.values, **run_values()}
            if s.as_user:
                if s.as_user not in self.logins:
                    email = self.built.users[s.as_user]
                    totp = self.built.totp_secret if s.as_user != "client" else None
                    self.logins[s.as_user] = server.login(
                        self.base, email, self.built.password, totp
                    )
                login = self.logins[s.as_user]
                headers = login.headers(self.base, write=s.is_write)
                values["csrf_token"] = login.csrf_token
                if s.language:
                    with server.speaking(self.base, login, s.language):
                        outcome = self.measure(s, headers=headers, values=values, slug=slug)
                    outcome.domain = domain
                    return outcome
            outcome = self.measure(s, headers=headers, values=values, slug=slug)
        except (RuntimeError, KeyError, ValueError, httpx.HTTPError) as exc:
            outcome = report.Outcome(domain=domain, scenario=s, problem=str(exc))
        outcome.domain = domain
        return outcome

    def measure(
        self, s: Scenario, *, headers: dict[str, str], values: dict[str, str], slug: str
    ) -> report.Outcome:
        """Probe once (it must answer the expected status), warm up, then 32 and 1 connections."""
        path = fill(s.path, values)
        body: str | None = None
        if isinstance(s.body, str):
            body = fill(s.body, values)
        elif s.body is not None:
            body = fill(json.dumps(s.body), values)
            headers = {"Content-Type": "application/json", **headers}
        headers = {**headers, **{k: fill(v, values) for k, v in s.headers.items()}}
        outcome = report.Outcome(domain="", scenario=s)
        probe = httpx.request(
            s.method,
            self.base + path.replace(UUID_TOKEN, str(uuid4())),
            headers=headers,
            content=body.replace(UUID_TOKEN, str(uuid4())) if body else None,
            timeout=30,
        )
        if probe.status_code != s.expected_status:
            outcome.problem = (
                f"the probe request answered {probe.status_code}, expected {s.expected_status}: "
                f"{probe.text[:300]!r}"
            )
            return outcome
        script = OUT / "lua" / f"{slug}.lua"
        script.parent.mkdir(parents=True, exist_ok=True)
        script.write_text(
            wrk.lua_script(
                method=s.method,
                path=path,
                headers=headers,
                body=body,
                expect_status=s.expected_status,
            )
        )
        cpu = _wrk_cpu()

        def go(connections: int, seconds: float) -> wrk.WrkResult:
            self._settle(outcome)
            return wrk.run(
                url=self.base,
                script=str(script),
                connections=connections,
                duration_s=seconds,
                cpu=cpu,
                server_cpu=self.server_cpu,
            )

        go(1, self.warmup)
        self._hello(1, outcome.hello1)
        outcome.c1 = go(1, self.duration)
        outcome.base1 = self._paired(1, outcome)
        self._hello(1, outcome.hello1)
        if outcome.c1.p50_ms > SLOW_MS:
            # 32 at once would queue for 32 × p50 and keep the server busy long after wrk stops.
            outcome.notes.append(
                f"Not run at 32 connections: one request alone takes {outcome.c1.p50_ms:.0f} ms "
                f"(over {SLOW_MS} ms); capacity comes from the 1-connection run's CPU."
            )
            return outcome
        go(32, min(self.warmup, 2.0))
        self._hello(32, outcome.hello32)
        outcome.c32 = go(32, self.duration)
        outcome.base32 = self._paired(32, outcome)
        self._hello(32, outcome.hello32)
        return outcome

    def under_reports(self, domain: str, s: Scenario, slug: str) -> report.Outcome:
        """The scenario again while a therapist makes PDF reports in the background."""
        name = f"{s.name} while PDF reports are made"
        loaded = replace(
            s, name=name, beside="PDF reports", min_throughput_ratio=None, max_p50_multiple=None
        )
        try:
            if "therapist" not in self.logins:
                self.logins["therapist"] = server.login(
                    self.base,
                    self.built.users["therapist"],
                    self.built.password,
                    self.built.totp_secret,
                )
            client_id = self.built.values["bench_client_id"]
        except (RuntimeError, KeyError, ValueError, httpx.HTTPError) as exc:
            return report.Outcome(domain=domain, scenario=loaded, problem=str(exc))
        today = datetime.now(UTC).date()
        with report_load.ReportLoad(self.base, self.logins["therapist"], client_id, today) as load:
            outcome = self.scenario(domain, loaded, slug)
        outcome.notes.append(load.note())
        if load.made == 0:
            outcome.problem = outcome.problem or "no report was made during the run"
        return outcome

    def _hello(self, connections: int, into: list[wrk.WrkResult]) -> None:
        """One run of the pure hello world, once the app has finished its queued requests."""
        if self.hello is None:
            return
        self.settle()
        into.append(self.hello.run(connections, self.paired_seconds))

    def _settle(self, outcome: report.Outcome) -> None:
        waited = self.settle()
        if waited > 2 and not any(n.startswith("The server needed") for n in outcome.notes):
            outcome.notes.append(
                f"The server needed {waited:.0f} s after a run to finish the requests still queued."
            )

    def _paired(self, connections: int, outcome: report.Outcome) -> wrk.WrkResult | None:
        """The baseline again, right after a scenario's run, to compare within the same minute."""
        if self.baseline_script is None:
            return None
        self._settle(outcome)
        return wrk.run(
            url=self.base,
            script=str(self.baseline_script),
            connections=connections,
            duration_s=self.paired_seconds,
            cpu=_wrk_cpu(),
            server_cpu=self.server_cpu,
        )

    def baseline(self) -> tuple[wrk.WrkResult, wrk.WrkResult]:
        """The trivial endpoint, measured like a scenario; its script is then reused for pairs."""
        script, self.baseline_script = self.baseline_script, None
        o = self.scenario("baseline", BASELINE, "baseline")
        if o.problem or o.c32 is None or o.c1 is None:
            raise SystemExit(f"the baseline GET /healthz/live failed: {o.problem}")
        self.baseline_script = script or OUT / "lua" / "baseline.lua"
        return o.c32, o.c1


@dataclass(frozen=True)
class Hello:
    """The pure hello world's server: its address, its CPU clock and its wrk script."""

    base: str
    cpu_seconds: Callable[[], float]
    script: Path

    def run(self, connections: int, seconds: float) -> wrk.WrkResult:
        return wrk.run(
            url=self.base,
            script=str(self.script),
            connections=connections,
            duration_s=seconds,
            cpu=_wrk_cpu(),
            server_cpu=self.cpu_seconds,
        )


def hello_script() -> Path:
    """The wrk script for GET /hello (written once per run)."""
    script = OUT / "lua" / "hello.lua"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(
        wrk.lua_script(method="GET", path=hello.PATH, headers={}, body=None, expect_status=200)
    )
    return script


def _git_commit() -> str:
    rev = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return rev.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def run_values() -> dict[str, str]:
    """Placeholders known only when a scenario runs: `{now}` (UTC, ISO 8601) and `{today}`
    (the bench client's local date), for bodies an API checks against the clock."""
    now = datetime.now(UTC).replace(microsecond=0)
    local = now.astimezone(ZoneInfo(generate.BENCH_CLIENT_TZ))
    return {"now": now.isoformat(), "today": local.date().isoformat()}


def _wrk_cpu() -> int | None:
    return 1 if (os.cpu_count() or 1) > 1 else None


def _summary(o: report.Outcome) -> str:
    if o.problem or o.c1 is None:
        return f"NOT RUN: {o.problem}"
    if o.c32 is None:
        return f"p50 {o.c1.p50_ms:.0f} ms alone: too slow for 32 connections"
    return f"{o.c32.rps:,.0f} req/s, p50 {o.c1.p50_ms:.2f} ms, errors {o.errors}"


def _load() -> str:
    return ", ".join(f"{v:.1f}" for v in os.getloadavg())


def _header(
    t: database.Target,
    built: generate.Built,
    *,
    tracebacks: int,
    seconds: float,
    load_at_start: str,
) -> dict[str, str]:
    rows = ", ".join(f"{k} {v:,}" for k, v in built.counts.items())
    kind = "SQLite (WAL) file" if t.kind == "sqlite" else "PostgreSQL"
    return {
        "Date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "Commit": _git_commit(),
        "Machine": MACHINE_NOTE,
        "CPU": f"{_cpu_model()}, {os.cpu_count()} logical; Python {platform.python_version()}",
        "Database": f"{kind}, data key {t.key} (built in {built.build_seconds:.0f} s)",
        "Data": f"{built.clients:,} clients, {built.therapists} therapists, {built.clinics} "
        f"clinics, {built.days} days of history; rows: {rows}",
        "Load average": f"{load_at_start} at the start, {_load()} at the end (1, 5, 15 min; 2 cores)",
        "Server log": f"{tracebacks} tracebacks (bench/out/server.log)",
        "Wall time": f"{seconds:.0f} s",
    }


def _method(warmup: float, duration: float, paired: float) -> str:
    return (
        "Method: `uvicorn --factory app.main:create_app`, 1 worker, no access log, "
        "`taskset -c 0`; wrk 4.1 (1 thread, `--timeout 5s`, `--latency`) on `taskset -c 1`. "
        f"Each scenario: {warmup:g} s warm-up at 1 connection, {duration:g} s at 1 connection, "
        f"{paired:g} s of the baseline at 1 connection, a {min(warmup, 2.0):g} s warm-up at 32 "
        f"connections, {duration:g} s at 32 connections, {paired:g} s of the baseline at 32 "
        f"connections (skipped when one request alone takes over {SLOW_MS} ms). Ratios: scenario req/s at 32 "
        "connections ÷ its paired baseline's; scenario p50 at 1 connection ÷ its paired "
        "baseline's. The pure hello world (`uvicorn --factory bench.hello:create_app`, same flags, "
        f"same core) is run for {paired:g} s right before and right after each of a scenario's "
        "runs at the same connection count; its section divides by the mean of that pair. Errors = socket errors + timeouts + responses whose status is not the "
        "scenario's expected one. See docs/benchmarks.md."
    )


def _hello_pair(runner: Runner) -> list[wrk.WrkResult]:
    """The hello world at 32 then 1 connection, after a warm-up, at the start and end of a run."""
    runs: list[wrk.WrkResult] = []
    if runner.hello is not None:
        runner.hello.run(1, runner.warmup)
        for connections in (32, 1):
            runs.append(runner.hello.run(connections, runner.duration))
        print(f"hello: {runs[0].rps:,.0f} req/s, p50 {runs[1].p50_ms:.2f} ms", flush=True)
    return runs


def main(argv: list[str] | None = None) -> int:
    # A plain `kill` must still stop the server this process started (the finally blocks run).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    args = parse_args(argv)
    modules, broken = generate.scenario_modules()
    chosen = selected(generate.scenarios(modules), args.only)
    if args.list:
        for d, s in generate.scenarios(modules):
            print(f"{d}: {s.name:40} {s.method} {s.path}  as {s.as_user or 'anonymous'}")
        return 0
    if not chosen:
        print("No scenario matches --only", args.only, file=sys.stderr)
        return 2
    # 2 runs + 2 paired baselines (0.4 each) + 4 hello runs around them (0.4 each)
    per_entry = args.warmup + 4.4 * args.duration + 1
    if (len(chosen) + 2) * per_entry > args.budget:
        args.duration = max(2.0, (args.budget / (len(chosen) + 2) - args.warmup - 1) / 4.4)
        print(
            f"{len(chosen)} scenarios: {args.duration:.1f} s per measurement to fit the {args.budget:.0f} s budget"
        )
    started = time.monotonic()
    t = database.target(
        database_url=args.database_url, clients=args.clients, today=datetime.now(UTC).date()
    )
    built = ensure_built(t, args, modules)
    database.fresh_copy(t)
    env = database.app_env(t.run_url)
    log_path = OUT / "server.log"
    outcomes: list[report.Outcome] = []
    cpu0 = 0 if (os.cpu_count() or 1) > 1 else None
    load_at_start = _load()
    hello_runs: list[wrk.WrkResult] = []
    with (
        server.running_server(env=env, log_path=log_path, cpu=cpu0, cwd=ROOT) as srv,
        server.running_server(
            env={},
            log_path=OUT / "hello.log",
            cpu=cpu0,
            cwd=ROOT,
            factory=server.HELLO_FACTORY,
            health_path=hello.PATH,
        ) as hello_srv,
    ):
        runner = Runner(
            base=srv.base,
            built=built,
            duration=args.duration,
            warmup=args.warmup,
            server_cpu=srv.cpu_seconds,
            settle=srv.settle,
            hello=Hello(hello_srv.base, hello_srv.cpu_seconds, hello_script()),
        )
        hello_runs += _hello_pair(runner)
        first = runner.baseline()
        print(f"baseline: {first[0].rps:,.0f} req/s, p50 {first[1].p50_ms:.2f} ms", flush=True)
        for name, why in broken.items():
            unloaded = Scenario(name="(module)", path=f"bench/scenarios/{name}.py")
            outcomes.append(report.Outcome(name, unloaded, problem=f"does not import: {why}"))
        for i, (domain, s) in enumerate(chosen):
            if domain in built.populate_errors:
                why = built.populate_errors[domain]
                o = report.Outcome(domain, s, problem=f"its populate() failed: {why}")
            else:
                o = runner.scenario(domain, s, f"{i:02d}-{domain}")
            outcomes.append(o)
            print(f"{domain}: {s.name}: {_summary(o)}", flush=True)
        for i, (domain, s) in enumerate(chosen):
            if (domain, s.path) == REPORT_LOAD_SCENARIO and domain not in built.populate_errors:
                o = runner.under_reports(domain, s, f"{len(chosen) + i:02d}-{domain}-reports")
                outcomes.append(o)
                print(f"{domain}: {o.scenario.name}: {_summary(o)}", flush=True)
        last = runner.baseline()
        hello_runs += _hello_pair(runner)
    baseline = report.Baseline(runs32=[first[0], last[0]], runs1=[first[1], last[1]])
    tracebacks = log_path.read_text(errors="replace").count("Traceback")
    header = _header(
        t,
        built,
        tracebacks=tracebacks,
        seconds=time.monotonic() - started,
        load_at_start=load_at_start,
    )
    method = _method(args.warmup, args.duration, runner.paired_seconds)
    output = args.output or (RESULTS if not args.only and not args.quick else OUT / "RESULTS.md")
    rendered = report.render(
        header=header, base=baseline, outcomes=outcomes, method=method, hello_runs=hello_runs
    )
    output.write_text(rendered + _curve_section(output))
    report.write_json(OUT / "results.json", header=header, base=baseline, outcomes=outcomes)
    print(f"Wrote {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")
    verdicts = [report.verdict(o, baseline) for o in outcomes]
    if any(v == "NOT RUN" or v == "FAIL (errors)" for v in verdicts) or tracebacks:
        return 1
    return 1 if args.strict and any(v.startswith("FAIL") for v in verdicts) else 0


def _curve_section(output: Path) -> str:
    """The concurrency curve's section of the file being replaced (bench.curve owns it), kept."""
    old = output.read_text() if output.exists() else ""
    if curve.BEGIN not in old or curve.END not in old.split(curve.BEGIN, 1)[1]:
        return ""
    kept = old.split(curve.BEGIN, 1)[1].split(curve.END, 1)[0]
    return f"\n---\n\n{curve.BEGIN}{kept}{curve.END}\n"


if __name__ == "__main__":
    sys.exit(main())
