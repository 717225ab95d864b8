"""bench.curve's arithmetic: a point measured in rounds keeps its median round, the goals at 512
connections divide by the best median, not by the best single round, and each of the app's
curves is shown beside the pure hello world's with as many workers (the control)."""

from __future__ import annotations

from collections import Counter

from bench.curve import CONTROL, Point, goals


def round_of(
    connections: int,
    accepted: int,
    *,
    shed: int = 0,
    seconds: float = 5.0,
    endpoint: str = "today",
    workers: int = 1,
) -> Point:
    point = Point(
        "—" if endpoint == CONTROL else "sqlite",
        workers,
        endpoint,
        connections,
        seconds,
        Counter({200: accepted, 503: shed}),
        0,
        [] if endpoint == CONTROL else [10.0] * accepted,
        1.0,
    )
    point.rounds.append(accepted / seconds)
    return point


def measured(
    connections: int, *accepted: int, shed: int = 0, endpoint: str = "today", workers: int = 1
) -> Point:
    first, *rest = (
        round_of(connections, a, shed=shed, endpoint=endpoint, workers=workers) for a in accepted
    )
    for other in rest:
        first.add(other)
    return first


def test_a_point_keeps_its_median_round_and_pools_what_it_counted() -> None:
    point = measured(512, 1000, 1500, 500, shed=100)
    assert point.throughput == 200.0  # the median round: 1000 answers in 5 s
    assert point.rounds == [200.0, 300.0, 100.0]
    assert point.statuses == Counter({200: 3000, 503: 300})
    assert point.seconds == 15.0
    assert len(point.accepted_ms) == 3000
    assert "| 200 (100–300) |" in point.row()


def test_one_fast_round_does_not_become_the_curves_best() -> None:
    """The best single round here is 320/s at 32 connections; its median is 200/s."""
    curve = [measured(32, 1000, 1600, 900), measured(512, 950, 900, 1000)]
    [row] = goals(curve)[2:]
    assert row.startswith("| sqlite, 1, today | 190/200 = 95% ✓ |")


def test_a_collapse_at_512_still_misses_the_goal() -> None:
    curve = [measured(32, 1000, 1000, 1000), measured(512, 800, 850, 300)]
    [row] = goals(curve)[2:]
    assert "160/200 = 80% ✗" in row


def test_each_curve_is_shown_beside_the_control_with_as_many_workers() -> None:
    app_1 = [measured(32, 1000, 1000, 1000), measured(512, 950, 950, 950)]
    app_2 = [measured(1, 1000, 1000, 1000, workers=2), measured(512, 850, 850, 850, workers=2)]
    hello_1 = [
        measured(32, 30000, 30000, 30000, endpoint=CONTROL),
        measured(512, 18000, 18000, 18000, endpoint=CONTROL),
    ]
    rows = goals([*hello_1, *app_1, *app_2])[2:]
    assert rows == [
        "| sqlite, 1, today | 190/200 = 95% ✓ | 10 ms ✓ | 60% |",
        "| sqlite, 2, today | 170/200 = 85% ✗ | 10 ms ✓ | — |",
    ]


def test_the_controls_row_has_no_latencies_to_show() -> None:
    row = measured(512, 18000, endpoint=CONTROL).row()
    assert row.startswith("| — | 1 | pure hello | 512 | 3600 | — | — | 0% | 0 | 0 |")
