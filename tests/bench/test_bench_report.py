"""Verdicts and ratios in bench/RESULTS.md: relative to the baseline of the same run."""

from __future__ import annotations

import pytest

from bench.harness import Scenario
from bench.report import Baseline, Outcome, p50_multiple, render, throughput_ratio, verdict
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
