"""Verdicts and ratios in bench/RESULTS.md: relative to the baseline of the same run."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bench.harness import Scenario
from bench.report import (
    Baseline,
    Outcome,
    capacity_vs_hello,
    hello_cpu,
    language_rows,
    p50_multiple,
    p50_vs_hello,
    p99_vs_hello,
    render,
    rps_vs_hello,
    throughput_ratio,
    verdict,
)
from bench.wrk import WrkResult


def _r(
    rps: float, p50: float, *, bad: int = 0, conns: int = 32, cpu_s: float | None = None
) -> WrkResult:
    return WrkResult(
        conns, int(rps * 8), 8.0, rps, p50, p50 * 1.5, p50 * 3, p50 * 5, 0, 0, bad, cpu_s
    )


BASE = Baseline(
    runs32=[_r(4000, 7.0), _r(3600, 8.0)], runs1=[_r(900, 1.0, conns=1), _r(800, 1.2, conns=1)]
)
TARGETED = Scenario(name="today", path="/today", min_throughput_ratio=0.2, max_p50_multiple=10)


def test_ratios_use_the_mean_of_the_start_and_end_baselines() -> None:
    o = Outcome("home", TARGETED, c32=_r(950, 30), c1=_r(100, 5.5, conns=1))
    assert throughput_ratio(o, BASE) == pytest.approx(0.25)
    assert p50_multiple(o, BASE) == pytest.approx(5.0)
    assert verdict(o, BASE) == "PASS"


def test_slow_throughput_and_slow_p50_both_fail_by_name() -> None:
    o = Outcome("home", TARGETED, c32=_r(380, 90), c1=_r(50, 22, conns=1))
    assert verdict(o, BASE) == "FAIL (capacity, p50)"


def test_any_error_fails_even_when_fast() -> None:
    o = Outcome("home", TARGETED, c32=_r(3000, 8, bad=1), c1=_r(800, 1.1, conns=1))
    assert verdict(o, BASE) == "FAIL (errors)"


def test_a_scenario_without_targets_says_so_and_a_broken_one_is_not_run() -> None:
    plain = Scenario(name="x", path="/x")
    assert verdict(Outcome("d", plain, c32=_r(10, 1), c1=_r(10, 1, conns=1)), BASE) == "no target"
    assert verdict(Outcome("d", plain, problem="probe answered 302"), BASE) == "NOT RUN"


def test_results_page_has_the_baseline_the_summary_row_and_the_reason_a_scenario_did_not_run() -> (
    None
):
    ok = Outcome("home", TARGETED, c32=_r(950, 30), c1=_r(100, 5.5, conns=1))
    broken = Outcome(
        "routines", Scenario(name="list", path="/routines"), problem="probe answered 500"
    )
    text = render(header={"Date": "today"}, base=BASE, outcomes=[ok, broken], method="Method: wrk.")
    assert "## Baseline: GET /healthz/live" in text
    assert "| home: today | 950 | — | — | 0.25 | 5.50 ms | 1.10 ms | 5.0 |" in text
    assert "Not measured: probe answered 500" in text


def test_a_paired_baseline_measured_beside_the_scenario_is_preferred() -> None:
    o = Outcome(
        "home",
        TARGETED,
        c32=_r(950, 30),
        c1=_r(100, 5.5, conns=1),
        base32=_r(1900, 16),
        base1=_r(400, 2.2, conns=1),
    )
    assert throughput_ratio(o, BASE) == pytest.approx(0.5)
    assert p50_multiple(o, BASE) == pytest.approx(2.5)
    text = render(header={}, base=BASE, outcomes=[o], method="")
    assert "ranged from 1,900 to 1,900 req/s" in text
    assert "| baseline, 32 (paired) |" in text


def test_capacity_comes_from_server_cpu_per_request_when_measured() -> None:
    # The neighbours halved the scenario's wall-clock req/s, but each request cost 4x the CPU.
    o = Outcome(
        "home",
        TARGETED,
        c32=_r(500, 30, cpu_s=8.0),  # 4,000 requests, 2 ms CPU each
        c1=_r(100, 5.5, conns=1),
        base32=_r(4000, 8, cpu_s=16.0),  # 32,000 requests, 0.5 ms CPU each
        base1=_r(900, 1.1, conns=1),
    )
    assert o.c32 is not None
    assert o.c32.cpu_ms_per_request == pytest.approx(2.0)
    assert throughput_ratio(o, BASE) == pytest.approx(0.25)
    text = render(header={}, base=BASE, outcomes=[o], method="")
    assert "| home: today | 500 | 2.00 ms | 0.50 ms | 0.25 |" in text
    assert "wall-clock req/s ratio 0.12" in text


def test_a_scenario_too_slow_for_32_connections_fails_and_uses_its_single_connection_cpu() -> None:
    o = Outcome(
        "progress",
        TARGETED,
        c1=_r(2, 400, conns=1, cpu_s=6.4),  # 16 requests, 400 ms CPU each
        base1=_r(900, 1.0, conns=1, cpu_s=7.2),  # 7,200 requests, 1 ms CPU each
    )
    assert throughput_ratio(o, BASE) == pytest.approx(1 / 400)
    assert verdict(o, BASE) == "FAIL (too slow for 32 connections, capacity, p50)"


def test_ratios_to_the_pure_hello_world_divide_by_the_mean_of_the_runs_before_and_after() -> None:
    o = Outcome(
        "home",
        TARGETED,
        c32=_r(500, 30, cpu_s=8.0),  # 4,000 requests, 2 ms CPU each
        c1=_r(100, 6.0, conns=1),
        base32=_r(2000, 8, cpu_s=8.0),  # 16,000 requests, 0.5 ms CPU each
        base1=_r(900, 1.2, conns=1),
        hello32=[_r(5000, 5, cpu_s=8.0), _r(3000, 7, cpu_s=8.0)],  # 0.2 and 0.333 ms CPU each
        hello1=[_r(2000, 0.2, conns=1), _r(2000, 0.4, conns=1)],
    )
    hello = (0.2 + 8.0 * 1000 / 24000) / 2
    assert hello_cpu(o) == pytest.approx(hello)
    assert capacity_vs_hello(o) == pytest.approx(hello / 2.0)
    assert p50_vs_hello(o) == pytest.approx(6.0 / 0.3)
    assert p99_vs_hello(o) == pytest.approx(90 / 18)  # _r sets p99 = 3 × p50
    assert rps_vs_hello(o) == pytest.approx(500 / 4000)
    # The app's trivial endpoint stays beside it as the second column.
    assert throughput_ratio(o, BASE) == pytest.approx(0.25)
    text = render(header={}, base=BASE, outcomes=[o], method="", hello_runs=o.hello32)
    assert "## Pure hello world: GET /hello" in text
    assert f"| home: today | 2.00 ms | 0.27 ms | {hello / 2:.3f} | 0.50 ms | 0.250 |" in text
    assert "| 32 connections (start) | 5.00 ms |" in text
    assert "| hello, 32 (before) |" in text
    assert "| hello, 1 (after) |" in text
    assert "Against the pure hello world: capacity 0.133×, p50 20.0×, p99 5.0×." in text


def test_a_slow_scenario_is_compared_with_hello_at_one_connection_and_without_hello_has_no_ratio() -> (
    None
):
    slow = Outcome(
        "progress",
        TARGETED,
        c1=_r(2, 400, conns=1, cpu_s=6.4),  # 400 ms CPU each
        hello1=[_r(1000, 0.3, conns=1, cpu_s=2.0), _r(1000, 0.3, conns=1, cpu_s=2.0)],
    )
    assert capacity_vs_hello(slow) == pytest.approx(0.25 / 400)
    assert p99_vs_hello(slow) == pytest.approx(1200 / 0.9)
    plain = Outcome("home", TARGETED, c32=_r(950, 30), c1=_r(100, 5.5, conns=1))
    assert capacity_vs_hello(plain) is None
    assert p50_vs_hello(plain) is None
    assert "Pure hello world" not in render(header={}, base=BASE, outcomes=[plain], method="")


def test_the_floor_shows_the_middleware_and_the_signed_in_trivial_call_over_hello() -> None:
    base = Baseline(
        runs32=[_r(2000, 8, cpu_s=8.0), _r(2000, 8, cpu_s=8.0)],  # 16,000 requests: 0.5 ms each
        runs1=[_r(900, 1.0, conns=1), _r(900, 1.0, conns=1)],
    )
    hello_runs = [_r(5000, 5, cpu_s=8.0), _r(5000, 5, cpu_s=8.0), _r(2000, 0.2, conns=1)]
    me = Outcome(
        "foundation",
        Scenario(name="who am I (API)", path="/api/v1/me"),
        c32=_r(1000, 10, cpu_s=8.0),  # 8,000 requests: 1 ms each
        c1=_r(900, 1.1, conns=1),
        hello32=[_r(4000, 5, cpu_s=8.0), _r(4000, 5, cpu_s=8.0)],  # 0.25 ms each
    )
    other = Outcome("home", TARGETED, c32=_r(500, 30, cpu_s=8.0), hello32=me.hello32)
    rows = render(header={}, base=base, outcomes=[other, me], method="", hello_runs=hello_runs)
    assert "### The per-request floor" in rows
    assert "| middleware only: `GET /healthz/live` | 0.50 ms | 0.20 ms | +0.30 ms | 0.400 |" in rows
    assert (
        "| signed in: `GET /api/v1/me` (who am I (API)) | 1.00 ms | 0.25 ms | +0.75 ms | 0.250 |"
        in rows
    )
    assert "(today)" not in rows.split("### The per-request floor")[1]
    # Without the signed-in scenario in the run, only the middleware step is shown.
    alone = render(header={}, base=base, outcomes=[other], method="", hello_runs=hello_runs)
    assert "/api/v1/me" not in alone
    assert "| middleware only:" in alone


def test_a_page_measured_in_spanish_is_set_beside_the_same_page_in_english() -> None:
    spanish = Scenario(name="today, in Spanish", path="/today", as_user="client", language="es")
    english = Scenario(name="today", path="/today", as_user="client")
    other_user = Scenario(name="today, therapist", path="/today", as_user="therapist")
    outcomes = [
        Outcome("home", english, c32=_r(950, 30, cpu_s=8.0), c1=_r(100, 5.0, conns=1)),
        Outcome("home", other_user, c32=_r(500, 30, cpu_s=16.0), c1=_r(50, 9.0, conns=1)),
        Outcome("home", spanish, c32=_r(950, 31, cpu_s=8.8), c1=_r(95, 5.5, conns=1)),
    ]
    assert [(en.scenario.name, es.scenario.name) for en, es in language_rows(outcomes)] == [
        ("today", "today, in Spanish")
    ]
    page = render(header={}, base=BASE, outcomes=outcomes, method="")
    [row] = [line for line in page.splitlines() if line.startswith("| today | es |")]
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[4] == "1.10"  # CPU per request ÷ English's
    assert cells[7] == "1.10"  # p50 ÷ English's
    assert "who chose language `es`" in page


def test_a_spanish_page_pairs_only_with_its_own_domains_english_run_under_the_same_load() -> None:
    # The "while PDF reports are made" runs share path and user with the plain ones; measured
    # after them, the loaded English run must not stand in for the plain Spanish run's twin.
    english = Scenario(name="today", path="/today", as_user="client")
    spanish = replace(english, name="today, in Spanish", language="es")
    loaded_en = replace(english, name="today while PDF", beside="PDF reports")
    loaded_es = replace(spanish, name="today, in Spanish while PDF", beside="PDF reports")
    # Another domain measuring the same page, after it, must not stand in either.
    habits = replace(english, name="Today with habits")
    outcomes = [
        Outcome("home", s, c32=_r(950, 30, cpu_s=8.0), c1=_r(100, 5.0, conns=1))
        for s in (english, spanish, loaded_en, loaded_es)
    ] + [Outcome("self_care", habits, c32=_r(900, 30, cpu_s=8.0), c1=_r(90, 5.0, conns=1))]
    assert [(en.scenario.name, es.scenario.name) for en, es in language_rows(outcomes)] == [
        ("today", "today, in Spanish"),
        ("today while PDF", "today, in Spanish while PDF"),
    ]
