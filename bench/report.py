"""Results: ratios to the baseline measured in the same run, targets, and bench/RESULTS.md.

The machine has two shared, noisy cores, so absolute requests/s move with the neighbours' load;
the ratio of a scenario to the trivial endpoint, measured minutes apart, is what stays comparable.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.harness import Scenario
from bench.hello import PATH as HELLO_PATH
from bench.wrk import WrkResult


@dataclass
class Outcome:
    """One scenario's measurements at 32 and 1 connections, or why it could not be measured."""

    domain: str
    scenario: Scenario
    c32: WrkResult | None = None
    c1: WrkResult | None = None
    # The baseline measured right after each of the scenario's runs: the pair shares the
    # same minute of the neighbours' load, which the run-wide baseline does not.
    base32: WrkResult | None = None
    base1: WrkResult | None = None
    problem: str | None = None
    notes: list[str] = field(default_factory=list)
    # The pure hello world (bench/hello.py) right before and right after each run: see below.
    hello32: list[WrkResult] = field(default_factory=list)
    hello1: list[WrkResult] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(r.errors for r in (self.c32, self.c1) if r is not None)


@dataclass(frozen=True)
class Baseline:
    """The trivial endpoint, measured at the start and end of the run; ratios use the mean."""

    runs32: list[WrkResult]
    runs1: list[WrkResult]

    @property
    def rps32(self) -> float:
        return sum(r.rps for r in self.runs32) / len(self.runs32)

    @property
    def p50_1(self) -> float:
        return sum(r.p50_ms for r in self.runs1) / len(self.runs1)

    @property
    def cpu32(self) -> float | None:
        costs = [c for r in self.runs32 if (c := r.cpu_ms_per_request) is not None]
        return sum(costs) / len(costs) if costs else None


def reference(o: Outcome, base: Baseline) -> tuple[float, float]:
    """The baseline req/s (32 connections) and p50 (1 connection) this scenario is compared to."""
    rps = o.base32.rps if o.base32 else base.rps32
    p50 = o.base1.p50_ms if o.base1 else base.p50_1
    return rps, p50


def reference_cpu(o: Outcome, base: Baseline) -> float | None:
    """The baseline's server CPU per request (ms) this scenario is compared to."""
    paired = o.base32.cpu_ms_per_request if o.base32 else None
    if paired is None and o.c32 is None and o.base1 is not None:  # only run at 1 connection
        paired = o.base1.cpu_ms_per_request
    return paired if paired is not None else base.cpu32


def wall_ratio(o: Outcome, base: Baseline) -> float | None:
    """Wall-clock req/s at 32 connections ÷ the paired baseline's (moves with the neighbours)."""
    rps, _ = reference(o, base)
    return o.c32.rps / rps if o.c32 and rps else None


def throughput_ratio(o: Outcome, base: Baseline) -> float | None:
    """The capacity ratio: baseline CPU per request ÷ this scenario's, i.e. the share of the
    baseline's requests/s one core would serve of this one. Measured from the server's own CPU
    time, so it holds on a shared core; falls back to the wall-clock ratio without CPU data."""
    ref = reference_cpu(o, base)
    cost = o.c32.cpu_ms_per_request if o.c32 else None
    if cost is None and o.c1 is not None:  # too slow for 32 connections: 1 connection's CPU
        cost = o.c1.cpu_ms_per_request
        paired = o.base1.cpu_ms_per_request if o.base1 else None
        ref = paired if paired is not None else ref
    if ref and cost:
        return ref / cost
    return wall_ratio(o, base)


def p50_multiple(o: Outcome, base: Baseline) -> float | None:
    _, p50 = reference(o, base)
    return o.c1.p50_ms / p50 if o.c1 and p50 else None


def verdict(o: Outcome, base: Baseline) -> str:
    """PASS / FAIL against the scenario's targets; errors always fail; no target says so."""
    if o.problem:
        return "NOT RUN"
    s = o.scenario
    if o.errors:
        return "FAIL (errors)"
    failed = []
    ratio, multiple = throughput_ratio(o, base), p50_multiple(o, base)
    if o.c32 is None:
        failed.append("too slow for 32 connections")
    if s.min_throughput_ratio is not None and (ratio is None or ratio < s.min_throughput_ratio):
        failed.append("capacity")
    if s.max_p50_multiple is not None and (multiple is None or multiple > s.max_p50_multiple):
        failed.append("p50")
    if failed:
        return "FAIL (" + ", ".join(failed) + ")"
    if s.min_throughput_ratio is None and s.max_p50_multiple is None:
        return "no target"
    return "PASS"


# --- Against the pure hello world -----------------------------------------------------------
# `/healthz/live` passes through every middleware of the app, so dividing by it flatters the app.
# The hello world (one FastAPI route, same uvicorn command, same core) is measured right before
# and right after each of a scenario's runs; these ratios divide by the mean of that pair.


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _cpu(runs: list[WrkResult]) -> float | None:
    return _mean([c for r in runs if (c := r.cpu_ms_per_request) is not None])


def _main_run(o: Outcome) -> tuple[WrkResult | None, list[WrkResult]]:
    """The scenario's run the capacity comes from (32 connections, else 1) and its hello pair."""
    if o.c32 is not None:
        return o.c32, o.hello32
    return o.c1, o.hello1


def hello_cpu(o: Outcome) -> float | None:
    """The hello world's server CPU per request (ms) beside this scenario's main run."""
    return _cpu(_main_run(o)[1])


def capacity_vs_hello(o: Outcome) -> float | None:
    """Hello's CPU per request ÷ the scenario's: the share of hello's requests/s one core serves."""
    run, _ = _main_run(o)
    ref, cost = hello_cpu(o), run.cpu_ms_per_request if run else None
    return ref / cost if ref and cost else None


def p50_vs_hello(o: Outcome) -> float | None:
    """The scenario's p50 at 1 connection ÷ hello's p50 at 1 connection (mean of before/after)."""
    ref = _mean([r.p50_ms for r in o.hello1 if r.requests])
    return o.c1.p50_ms / ref if o.c1 and o.c1.requests and ref else None


def p99_vs_hello(o: Outcome) -> float | None:
    """The scenario's p99 ÷ hello's, at the main run's connection count."""
    run, pair = _main_run(o)
    ref = _mean([r.p99_ms for r in pair if r.requests])
    return run.p99_ms / ref if run and run.requests and ref else None


def rps_vs_hello(o: Outcome) -> float | None:
    """Wall-clock req/s at 32 connections ÷ hello's (moves with the neighbours' load)."""
    ref = _mean([r.rps for r in o.hello32])
    return o.c32.rps / ref if o.c32 and ref else None


def _x(v: float | None, digits: int = 2) -> str:
    return f"{v:.{digits}f}" if v is not None else "—"


def render_hello(outcomes: list[Outcome], hello_runs: list[WrkResult], base: Baseline) -> list[str]:
    """The section that divides by the pure hello world, with `/healthz/live` as a second column."""
    lines = [f"## Pure hello world: GET {HELLO_PATH} (bench/hello.py, same uvicorn, same core)", ""]
    if hello_runs:
        lines += ROW_HEAD
        half = len(hello_runs) // 2
        lines += [
            _row(
                f"{r.connections} connection{'s' if r.connections > 1 else ''} "
                f"({'start' if i < half else 'end'})",
                r,
            )
            for i, r in enumerate(hello_runs)
        ]
        lines.append("")
    lines += [
        "Each scenario's runs are measured between two runs of the hello world (before and after, "
        "same connection count). **× hello** divides by the mean of that pair; **× live** by "
        "`/healthz/live` (the app's own trivial endpoint, paired after the run). Capacity = "
        "reference CPU per request ÷ the scenario's (higher is better); p50 and p99 = scenario ÷ "
        "reference (lower is better); req/s × hello is wall-clock (noisy).",
        "",
        "| scenario | CPU/req | hello CPU/req | capacity × hello | live CPU/req | capacity × live "
        "| p50 (1 c) | p50 × hello | p50 × live | p99 × hello | req/s × hello |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        if o.problem:
            continue
        run, _ = _main_run(o)
        cost = run.cpu_ms_per_request if run else None
        ref = hello_cpu(o)
        live = reference_cpu(o, base)
        lines.append(
            f"| {o.domain}: {o.scenario.name} "
            f"| {_ms(cost) if cost is not None else '—'} "
            f"| {_ms(ref) if ref is not None else '—'} "
            f"| {_x(capacity_vs_hello(o), 3)} "
            f"| {_ms(live) if live is not None else '—'} "
            f"| {_x(throughput_ratio(o, base), 3)} "
            f"| {_ms(o.c1.p50_ms) if o.c1 else '—'} "
            f"| {_x(p50_vs_hello(o), 1)} | {_x(p50_multiple(o, base), 1)} "
            f"| {_x(p99_vs_hello(o), 1)} | {_x(rps_vs_hello(o), 3)} |"
        )
    return lines + [""] + render_floor(outcomes, hello_runs, base)


# --- The per-request floor ------------------------------------------------------------------
# What every request pays before its own work, in two steps over the hello world: the app's
# middleware alone (`/healthz/live`: no session, no database) and a signed-in trivial API call
# (`GET /api/v1/me`: plus the session lookup, the CSRF and write-limit guards and one endpoint).

FLOOR_PATH = "/api/v1/me"


def floor_rows(
    outcomes: list[Outcome], hello_runs: list[WrkResult], base: Baseline
) -> list[tuple[str, float, float]]:
    """(what, its CPU per request, hello's beside it) for each step of the floor measured."""
    rows = []
    hello32 = _cpu([r for r in hello_runs if r.connections > 1])
    if base.cpu32 is not None and hello32 is not None:
        rows.append(("middleware only: `GET /healthz/live`", base.cpu32, hello32))
    for o in outcomes:
        if o.problem or o.scenario.path != FLOOR_PATH or o.scenario.method != "GET":
            continue
        run, _ = _main_run(o)
        cost, ref = (run.cpu_ms_per_request if run else None), hello_cpu(o)
        if cost is not None and ref is not None:
            rows.append((f"signed in: `GET {FLOOR_PATH}` ({o.scenario.name})", cost, ref))
    return rows


def render_floor(outcomes: list[Outcome], hello_runs: list[WrkResult], base: Baseline) -> list[str]:
    rows = floor_rows(outcomes, hello_runs, base)
    if not rows:
        return []
    lines = [
        "### The per-request floor",
        "",
        "What every request pays before its own work: server CPU per request over the pure hello "
        "world measured beside it.",
        "",
        "| floor | CPU/req | hello CPU/req | over hello | capacity × hello |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {what} | {_ms(cost)} | {_ms(ref)} | +{_ms(cost - ref)} | {ref / cost:.3f} |"
        for what, cost, ref in rows
    ]
    return lines + [""]


def language_rows(outcomes: list[Outcome]) -> list[tuple[Outcome, Outcome]]:
    """(English, other language) pairs: the same domain's scenario for the same path, method and
    user, measured in one run under the same conditions (a run beside PDF reports pairs only with
    its like; Today measured by two domains pairs within each)."""

    def key(o: Outcome) -> tuple[str, str, str, str | None, str | None]:
        s = o.scenario
        return (o.domain, s.path, s.method, s.as_user, s.beside)

    english = {key(o): o for o in outcomes if not o.problem and o.scenario.language is None}
    return [
        (twin, o)
        for o in outcomes
        if not o.problem and o.scenario.language
        if (twin := english.get(key(o)))
    ]


def render_languages(outcomes: list[Outcome]) -> list[str]:
    pairs = language_rows(outcomes)
    if not pairs:
        return []
    lines = [
        "## The same pages in Spanish",
        "",
        "Each page measured again for the same user with Spanish chosen (goal: within 10% of "
        "English). CPU per request at the main run; p50 at 1 connection.",
        "",
        "| page | language | CPU/req English | CPU/req | ÷ English | p50 English | p50 | ÷ English |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for en, other in pairs:
        (run_en, _), (run, _) = _main_run(en), _main_run(other)
        cpu_en = run_en.cpu_ms_per_request if run_en else None
        cpu = run.cpu_ms_per_request if run else None
        p50_en = en.c1.p50_ms if en.c1 and en.c1.requests else None
        p50 = other.c1.p50_ms if other.c1 and other.c1.requests else None
        cpu_ratio = _x(cpu / cpu_en if cpu and cpu_en else None)
        p50_ratio = _x(p50 / p50_en if p50 and p50_en else None)
        lines.append(
            f"| {en.scenario.name} | {other.scenario.language} | "
            f"{_ms(cpu_en) if cpu_en else '—'} | {_ms(cpu) if cpu else '—'} | {cpu_ratio} | "
            f"{_ms(p50_en) if p50_en else '—'} | {_ms(p50) if p50 else '—'} | {p50_ratio} |"
        )
    return lines + [""]


def target_text(s: Scenario) -> str:
    parts = []
    if s.min_throughput_ratio is not None:
        parts.append(f"capacity ≥ {s.min_throughput_ratio:.2f}×")
    if s.max_p50_multiple is not None:
        parts.append(f"p50 ≤ {s.max_p50_multiple:g}×")
    return ", ".join(parts) or "—"


def _ms(v: float) -> str:
    return f"{v:.2f} ms" if v < 10 else f"{v:.1f} ms"


ROW_HEAD = [
    "| run | p50 | p99 | req/s | requests | server CPU/req | errors |",
    "|---|---|---|---|---|---|---|",
]


def _row(label: str, r: WrkResult | None) -> str:
    if r is None:
        return f"| {label} | — | — | — | — | — | — |"
    if not r.requests:
        return f"| {label} | — | — | 0 | 0 (none finished within the run) | — | {r.errors} |"
    cost = r.cpu_ms_per_request
    return (
        f"| {label} | {_ms(r.p50_ms)} | {_ms(r.p99_ms)} | {r.rps:,.0f} | {r.requests:,} "
        f"| {_ms(cost) if cost is not None else '—'} | {r.errors}{_error_detail(r)} |"
    )


def _error_detail(r: WrkResult) -> str:
    if not r.errors:
        return ""
    return f" (socket {r.socket_errors}, timeout {r.timeouts}, unexpected status {r.bad_status})"


def render(
    *,
    header: dict[str, str],
    base: Baseline,
    outcomes: list[Outcome],
    method: str,
    hello_runs: list[WrkResult] | None = None,
) -> str:
    lines = ["# Benchmark results", ""]
    lines += [f"- **{k}**: {v}" for k, v in header.items()]
    lines += ["", method, ""]
    if hello_runs is not None:
        lines += render_hello(outcomes, hello_runs, base)
    lines += ["## Baseline: GET /healthz/live (no database, tiny JSON)", ""]
    lines += ROW_HEAD
    for i, r in enumerate(base.runs32):
        lines.append(_row(f"32 connections ({'start' if i == 0 else 'end'})", r))
    for i, r in enumerate(base.runs1):
        lines.append(_row(f"1 connection ({'start' if i == 0 else 'end'})", r))
    paired = [o.base32.rps for o in outcomes if o.base32]
    lines += [
        "",
        f"Mean of start and end: **{base.rps32:,.0f} req/s** at 32 connections, "
        f"**{_ms(base.p50_1)} p50** at 1 connection."
        + (
            f" The paired baselines measured beside each scenario ranged from "
            f"{min(paired):,.0f} to {max(paired):,.0f} req/s: that spread is the machine's noise."
            if paired
            else ""
        ),
        "",
        "## Summary",
        "",
        "Each scenario is compared with the baseline measured right after it (same minute). "
        "**Capacity ×** = the baseline's server CPU per request ÷ the scenario's: the share of the "
        "baseline's requests/s one core serves of this scenario, measured from the server's own CPU "
        "time, so it holds while neighbours take the core. **p50 ×** = p50 at 1 connection ÷ the "
        "baseline's.",
        "",
        "| scenario | req/s (32 c) | CPU/req | baseline CPU/req | capacity × | p50 (1 c) "
        "| baseline p50 | p50 × | p99 (32 c) | errors | target | result |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        ratio, multiple = throughput_ratio(o, base), p50_multiple(o, base)
        _, ref_p50 = reference(o, base)
        cost = o.c32.cpu_ms_per_request if o.c32 else None
        ref_cost = reference_cpu(o, base)
        lines.append(
            f"| {o.domain}: {o.scenario.name} "
            f"| {f'{o.c32.rps:,.0f}' if o.c32 else '—'} "
            f"| {_ms(cost) if cost is not None else '—'} "
            f"| {_ms(ref_cost) if ref_cost is not None else '—'} "
            f"| {f'{ratio:.2f}' if ratio is not None else '—'} "
            f"| {_ms(o.c1.p50_ms) if o.c1 else '—'} | {_ms(ref_p50)} "
            f"| {f'{multiple:.1f}' if multiple is not None else '—'} "
            f"| {_ms(o.c32.p99_ms) if o.c32 and o.c32.requests else '—'} "
            f"| {o.errors} | {target_text(o.scenario)} | {verdict(o, base)} |"
        )
    lines += ["", *render_languages(outcomes)]
    for o in outcomes:
        s = o.scenario
        lines += [
            "",
            f"## {o.domain}: {s.name}",
            "",
            f"`{s.method} {s.path}` as {s.as_user or 'anonymous'}"
            + (f", who chose language `{s.language}`" if s.language else ""),
        ]
        if s.note:
            lines += ["", s.note]
        if o.problem:
            lines += ["", f"Not measured: {o.problem}"]
            continue
        lines += ["", *ROW_HEAD]
        lines += [_row("32 connections", o.c32), _row("1 connection", o.c1)]
        lines += [_row("baseline, 32 (paired)", o.base32), _row("baseline, 1 (paired)", o.base1)]
        for when, r in zip(("before", "after"), o.hello32, strict=False):
            lines.append(_row(f"hello, 32 ({when})", r))
        for when, r in zip(("before", "after"), o.hello1, strict=False):
            lines.append(_row(f"hello, 1 ({when})", r))
        ratio, multiple = throughput_ratio(o, base), p50_multiple(o, base)
        lines += [
            "",
            f"Capacity {ratio:.2f}× the baseline's (wall-clock req/s ratio "
            f"{wall_ratio(o, base) or 0:.2f}), p50 {multiple:.1f}× the baseline's. "
            f"Target: {target_text(s)}. Result: **{verdict(o, base)}**."
            if ratio is not None and multiple is not None
            else f"Result: **{verdict(o, base)}**.",
        ]
        if o.hello32 or o.hello1:
            lines.append(
                f"Against the pure hello world: capacity {_x(capacity_vs_hello(o), 3)}×, "
                f"p50 {_x(p50_vs_hello(o), 1)}×, p99 {_x(p99_vs_hello(o), 1)}×."
            )
        lines += [f"- {n}" for n in o.notes]
    return "\n".join(lines) + "\n"


def write_json(
    path: Path, *, header: dict[str, str], base: Baseline, outcomes: list[Outcome]
) -> None:
    """The same numbers for scripts: bench/out/results.json."""
    payload = {
        "header": header,
        "baseline": {
            "c32": [asdict(r) for r in base.runs32],
            "c1": [asdict(r) for r in base.runs1],
        },
        "scenarios": [
            {
                "domain": o.domain,
                "name": o.scenario.name,
                "method": o.scenario.method,
                "path": o.scenario.path,
                "c32": asdict(o.c32) if o.c32 else None,
                "c1": asdict(o.c1) if o.c1 else None,
                "baseline_c32": asdict(o.base32) if o.base32 else None,
                "baseline_c1": asdict(o.base1) if o.base1 else None,
                "throughput_ratio": throughput_ratio(o, base),
                "p50_multiple": p50_multiple(o, base),
                "hello_c32": [asdict(r) for r in o.hello32],
                "hello_c1": [asdict(r) for r in o.hello1],
                "capacity_vs_hello": capacity_vs_hello(o),
                "p50_vs_hello": p50_vs_hello(o),
                "p99_vs_hello": p99_vs_hello(o),
                "problem": o.problem,
                "result": verdict(o, base),
            }
            for o in outcomes
        ],
    }
    path.write_text(json.dumps(payload, indent=2))
