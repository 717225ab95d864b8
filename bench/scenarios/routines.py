"""Routines under load: Today for a client with 10 routines and a year of history, the player, the
history page and a check-off, on a database of 10,000 clients.

Rows: the bench client has 10 routines (6 steps each) with a full year of runs and step outcomes;
the bench therapist's other clients 3 routines with a year of runs; everyone else 2 routines with
the last four weeks of runs (no outcomes), so the tables are as big as a busy clinic's.

No write scenario yet: under 32 concurrent writers on SQLite, requests that open their write
transaction at the start (BEGIN IMMEDIATE in get_session) queued behind each other until the pool and
busy timeouts ran out (see docs/routines.md); the check-off path itself measured ~55 writes/s from
32 threads without HTTP.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from typing import Any
from uuid import UUID, uuid4

from app.routines.models import Routine, RoutinePause, RoutineRun, RoutineStep, StepOutcome
from app.routines.templates_library import builtin_templates
from bench.harness import BenchData, Scenario

BENCH_ROUTINES = 10
STEPS = 6
RULES = (
    "FREQ=DAILY",
    "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    "FREQ=DAILY;INTERVAL=2",
    "FREQ=WEEKLY;BYDAY=MO,TH",
)


def _routines_for(
    data: BenchData, client_id: UUID, count: int, starts_on: Any
) -> list[dict[str, Any]]:
    templates = builtin_templates()
    rows = []
    for i in range(count):
        template = templates[i % len(templates)]
        rows.append(
            {
                "id": uuid4(),
                "client_id": client_id,
                "created_by_id": client_id,
                "title": template.title if i < len(templates) else f"{template.title} {i}",
                "icon": template.icon,
                "part_of_day": template.part_of_day,
                "at_time": time(7 + i, 30) if i % 3 != 2 else None,
                "rrule": RULES[i % len(RULES)] if i else "FREQ=DAILY",
                "starts_on": starts_on,
                "step_count": STEPS,
                "bad_day_count": 2,
                "total_minutes": 20,
                "created_at": data.now - timedelta(days=(data.today - starts_on).days),
                "updated_at": data.now - timedelta(days=(data.today - starts_on).days),
            }
        )
    return rows


def populate(data: BenchData) -> None:
    caseload = {c.id for c in data.caseload_clients()}
    bench_id = data.bench_client.id
    routines: list[dict[str, Any]] = []
    for client in data.clients:
        if client.id == bench_id:
            routines += _routines_for(data, client.id, BENCH_ROUTINES, client.joined_on)
        elif client.id in caseload:
            routines += _routines_for(data, client.id, 3, client.joined_on)
        else:
            routines += _routines_for(
                data, client.id, 2, max(client.joined_on, data.today - timedelta(days=28))
            )
    data.insert(Routine, routines)
    steps = {r["id"]: [uuid4() for _ in range(STEPS)] for r in routines}
    data.insert(
        RoutineStep,
        (
            {
                "id": sid,
                "routine_id": rid,
                "position": i,
                "title": f"Step {i + 1}",
                "detail": "",
                "bad_day": i < 2,
            }
            for rid, ids in steps.items()
            for i, sid in enumerate(ids)
        ),
    )
    bench_routines = [r for r in routines if r["client_id"] == bench_id]
    data.insert(
        RoutinePause,
        [
            {
                "id": uuid4(),
                "routine_id": bench_routines[-1]["id"],
                "starts_on": data.today - timedelta(days=40),
                "ends_on": data.today - timedelta(days=30),
                "created_at": data.now,
            }
        ],
    )
    outcomes: list[dict[str, Any]] = []
    data.insert(RoutineRun, _runs(data, routines, steps, bench_id, outcomes))
    data.insert(StepOutcome, outcomes)
    first = bench_routines[0]
    data.values["bench_routine_id"] = str(first["id"])
    data.values["bench_step_id"] = str(steps[first["id"]][0])


def _runs(
    data: BenchData,
    routines: list[dict[str, Any]],
    steps: dict[UUID, list[UUID]],
    bench_id: UUID,
    outcomes: list[dict[str, Any]],
) -> Iterator[dict[str, Any]]:
    """Runs before today (today stays fresh for the scenarios); outcomes for the bench client."""
    rng = data.rng
    for r in routines:
        with_outcomes = r["client_id"] == bench_id
        for day in data.days(r["starts_on"]):
            if day >= data.today or rng.random() < 0.25:
                continue
            done = rng.randint(1, STEPS)
            at = datetime.combine(day, time(9, 0), tzinfo=UTC)
            run_id = uuid4()
            yield {
                "id": run_id,
                "routine_id": r["id"],
                "client_id": r["client_id"],
                "local_day": day,
                "bad_day": False,
                "planned_count": STEPS,
                "done_count": done,
                "answered_count": STEPS,
                "started_at": at,
                "updated_at": at,
                "completed_at": at,
            }
            if with_outcomes:
                for i, sid in enumerate(steps[r["id"]]):
                    outcomes.append(
                        {
                            "id": uuid4(),
                            "run_id": run_id,
                            "step_id": sid,
                            "status": "done" if i < done else "skipped",
                            "at": at,
                            "recorded_at": at,
                        }
                    )


SCENARIOS = [
    Scenario(
        name="Today: routines section",
        path="/routines/today",
        as_user="client",
        min_throughput_ratio=0.1,
        max_p50_multiple=10,
        note="10 routines and a year of history: one query for the columns shown, today's run joined.",
    ),
    Scenario(
        name="Today: routines (API)",
        path="/api/v1/routines/today",
        as_user="client",
        min_throughput_ratio=0.1,
        max_p50_multiple=10,
        note="The same one query, as JSON.",
    ),
    Scenario(
        name="player",
        path="/routines/{bench_routine_id}/play",
        as_user="client",
        min_throughput_ratio=0.08,
        max_p50_multiple=12,
    ),
    Scenario(
        name="routine history (12 weeks)",
        path="/routines/{bench_routine_id}/history",
        as_user="client",
        min_throughput_ratio=0.04,
        max_p50_multiple=25,
        note="Heat map, per-step counts and weekly summaries from 12 weeks of runs and outcomes.",
    ),
]
