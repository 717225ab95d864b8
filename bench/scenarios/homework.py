"""Homework bench data and scenarios: the client's homework list and the therapist's review page.

Every client with a therapist gets a few weeks of homework; the bench therapist's 60 clients get
three assignments each with daily practice and reflections over a month.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from typing import Any

from app.homework.models import HomeworkAssignment, HomeworkCompletion
from bench.harness import BenchData, Scenario


def populate(data: BenchData) -> None:
    caseload = {c.id for c in data.caseload_clients()}
    assignments: list[dict[str, Any]] = []
    completions: list[dict[str, Any]] = []
    for client in data.clients:
        if client.therapist_id is None:
            continue
        rich = client.id in caseload
        for n in range(3 if rich else 1):
            start = data.today - timedelta(days=28 if rich else 14)
            due = data.today + timedelta(days=3 + n)
            aid = data.uuid()
            created = datetime.combine(start, time(9), tzinfo=UTC)
            assignments.append(
                {
                    "id": aid,
                    "client_id": client.id,
                    "therapist_id": client.therapist_id,
                    "kind": ("coping", "reflection", "task")[n],
                    "title": f"Practice {n + 1}",
                    "instructions": data.words(8),
                    "details": {},
                    "frequency": "daily" if n == 0 else "once",
                    "weekdays": "",
                    "start_on": start,
                    "due_on": due,
                    "state": "in_progress" if n == 0 else "requested",
                    "client_reason": "",
                    "revision": 1,
                    "predicted_mood": None,
                    "created_at": created,
                    "updated_at": created,
                    "completed_at": None,
                }
            )
            if n == 0:
                completions.extend(_practice(data, aid, client.id, start))
    data.insert(HomeworkAssignment, assignments)
    data.insert(HomeworkCompletion, completions)
    data.values["bench_homework_id"] = str(
        next(a["id"] for a in assignments if a["client_id"] == data.bench_client.id)
    )


def _practice(data: BenchData, aid: Any, client_id: Any, start: Any) -> Iterator[dict[str, Any]]:
    for day in data.days(start):
        if day < data.today and data.rng.random() < 0.7:
            yield {
                "id": data.uuid(),
                "assignment_id": aid,
                "client_id": client_id,
                "done_on": day,
                "created_at": datetime.combine(day, time(19), tzinfo=UTC),
                "difficulty": data.rng.randint(1, 5),
                "helpfulness": data.rng.randint(1, 5),
                "reflection": data.words(6) if data.rng.random() < 0.4 else "",
                "stuck": "",
                "answers": {},
                "final": False,
            }


SCENARIOS = [
    Scenario(
        name="client homework list",
        path="/homework",
        as_user="client",
        min_throughput_ratio=0.1,
        max_p50_multiple=15,
        note="The bench client's homework, open and earlier.",
    ),
    Scenario(
        name="therapist reviews a homework item",
        path="/caseload/{bench_client_id}/homework/{bench_homework_id}",
        as_user="therapist",
        min_throughput_ratio=0.05,
        max_p50_multiple=20,
        note="A month of completions and reflections with the thread; the read is audit-logged.",
    ),
]
