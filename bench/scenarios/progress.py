"""Progress bench data and scenarios: the caseload dashboard (issue target: 1-connection p50
within 30x of the trivial endpoint for 60 clients on 10,000), and a client's progress page.

The bench therapist's clients get three GAS goals rated fortnightly for a year, PHQ-9 and GAD-7
every two weeks and a session note a fortnight; other clients get a goal and a few answers.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from app.progress import measures
from app.progress.models import (
    Goal,
    GoalRating,
    MeasureResponse,
    MeasureSchedule,
    SessionNote,
    SessionNoteVersion,
)
from bench.harness import BenchData, Scenario


def populate(data: BenchData) -> None:
    caseload = {c.id for c in data.caseload_clients()}
    goals: list[dict[str, Any]] = []
    ratings: list[dict[str, Any]] = []
    responses: list[dict[str, Any]] = []
    schedules: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    versions: list[dict[str, Any]] = []
    for client in data.clients:
        if client.therapist_id is None:
            continue
        rich = client.id in caseload
        since = data.start if rich else data.today - timedelta(days=42)
        created = datetime.combine(since, time(10), tzinfo=UTC)
        rating_days = data.days(since)[::14]
        for g in range(3 if rich else 1):
            gid = data.uuid()
            goals.append(
                {
                    "id": gid,
                    "client_id": client.id,
                    "created_by_id": client.therapist_id,
                    "title": f"Goal {g + 1}",
                    "level_m2": "a",
                    "level_m1": "b",
                    "level_0": "c",
                    "level_p1": "d",
                    "level_p2": "e",
                    "weight": 1.0,
                    "created_at": created,
                    "archived_at": None,
                }
            )
            ratings.extend(
                {
                    "id": data.uuid(),
                    "goal_id": gid,
                    "client_id": client.id,
                    "rated_on": day,
                    "level": data.rng.randint(-2, 2),
                    "rated_by_id": client.therapist_id,
                    "note": "",
                    "created_at": datetime.combine(day, time(11), tzinfo=UTC),
                }
                for day in rating_days
            )
        for code in ("phq9", "gad7"):
            for day in rating_days:
                answers = [data.rng.randint(0, 2) for _ in measures.get(code).items]
                if code == "phq9":
                    answers[8] = 0
                result = measures.score(code, answers)
                responses.append(
                    {
                        "id": data.uuid(),
                        "client_id": client.id,
                        "code": code,
                        "answers": answers,
                        "total": result.total,
                        "band": result.band.key,
                        "urgent": False,
                        "answered_at": datetime.combine(day, time(12), tzinfo=UTC),
                        "acknowledged_at": None,
                    }
                )
            schedules.append(
                {
                    "id": data.uuid(),
                    "client_id": client.id,
                    "code": code,
                    "every_days": 14,
                    "next_due_on": data.today + timedelta(days=7),
                    "active": True,
                    "created_by_id": client.therapist_id,
                    "created_at": created,
                }
            )
        if rich:
            for day in rating_days:
                nid = data.uuid()
                notes.append(
                    {
                        "id": nid,
                        "client_id": client.id,
                        "session_on": day,
                        "created_by_id": client.therapist_id,
                        "current_version": 1,
                        "created_at": datetime.combine(day, time(15), tzinfo=UTC),
                    }
                )
                versions.append(
                    {
                        "id": data.uuid(),
                        "note_id": nid,
                        "version": 1,
                        "body": data.words(40),
                        "author_id": client.therapist_id,
                        "created_at": datetime.combine(day, time(15), tzinfo=UTC),
                    }
                )
    data.insert(Goal, goals)
    data.insert(GoalRating, ratings)
    data.insert(MeasureResponse, responses)
    data.insert(MeasureSchedule, schedules)
    data.insert(SessionNote, notes)
    data.insert(SessionNoteVersion, versions)


SCENARIOS = [
    Scenario(
        name="caseload dashboard (signals and flags)",
        path="/dashboard",
        as_user="therapist",
        min_throughput_ratio=0.03,
        max_p50_multiple=30,
        note="60 clients on 10,000: every domain's signals in a fixed number of queries, merged and flagged.",
    ),
    Scenario(
        name="caseload dashboard, 200 clients (first page)",
        path="/dashboard",
        as_user="therapist_200",
        # Issue #19's goal is p50 ≤ 30× the pure hello world's; /healthz/live's p50 is about 2×
        # hello's, so 15× here. Not met yet (about 35× hello's on 6 December): see docs/benchmarks.md.
        max_p50_multiple=15,
        note="A therapist with 200 clients: every client's signals and flags, the most in need "
        "shown first, one page of rows rendered (issue #19: p50 ≤ 30× the pure hello world's).",
    ),
    Scenario(
        name="client progress page",
        path="/caseload/{bench_client_id}/progress",
        as_user="therapist",
        min_throughput_ratio=0.03,
        max_p50_multiple=40,
        note="Digest since the last session with charts and text equivalents; audit-logged.",
    ),
]
