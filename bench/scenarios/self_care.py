"""Self-care under load: a check-in POST (client-made ids) and Today with habits, on 10,000 clients.

Every client gets one to three habits with their levels; the bench therapist's 60 clients get a
year of check-ins and mood logs, everyone else two weeks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from uuid import uuid4

from app.self_care import history, summary
from app.self_care.ladders import builtin_ladder
from app.self_care.models import (
    Habit,
    HabitCheckIn,
    HabitLevel,
    HabitLevelChange,
    HabitSummary,
    MoodLog,
)
from app.self_care.strength import strength_series
from app.self_care.targets import CheckIn, Outcome, Target, TargetKind, day_values
from bench.harness import BenchData, Scenario

LADDERS = ("washing", "water", "outside", "dressing", "sleep", "money")


def _always(target: Target) -> Callable[[date], Target]:
    """A habit's one level as its target on every day (the bench history has no level changes)."""
    return lambda _day: target


def populate(data: BenchData) -> None:
    habits: list[dict[str, Any]] = []
    levels: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    rich = {c.id for c in data.caseload_clients()}
    for client in data.clients:
        keys = ["washing"] if client.id == data.bench_client.id else []
        keys += data.rng.sample(LADDERS[1:], data.rng.randint(0, 2))
        for key in keys:
            ladder = builtin_ladder(key)
            assert ladder is not None
            level = 2 if key == "washing" else data.rng.randint(1, len(ladder.levels))
            start = max(
                client.joined_on, data.today - timedelta(days=364 if client.id in rich else 14)
            )
            habit_id = uuid4()
            habits.append(
                {
                    "id": habit_id,
                    "client_id": client.id,
                    "created_by_id": client.id,
                    "life_area": ladder.life_area.value,
                    "title": ladder.title,
                    "source": f"builtin:{key}",
                    "level": level,
                    "lowest_level": 1,
                    "highest_level": len(ladder.levels),
                    "level_started_on": start,
                    "started_on": start,
                    "reminder_time": None,
                    "grading": {},
                    "created_at": data.now - timedelta(days=(data.today - start).days),
                    "archived_at": None,
                }
            )
            for number, spec in enumerate(ladder.levels, start=1):
                t = spec.target
                levels.append(
                    {
                        "id": uuid4(),
                        "habit_id": habit_id,
                        "number": number,
                        "description": spec.description,
                        "target_kind": t.kind.value,
                        "days": "".join(str(d) for d in sorted(t.days)),
                        "times_per_week": t.times_per_week,
                        "amount": t.amount,
                        "unit": t.unit,
                    }
                )
            changes.append(
                {
                    "id": uuid4(),
                    "habit_id": habit_id,
                    "from_level": None,
                    "to_level": level,
                    "reason": "started",
                    "changed_by_id": client.id,
                    "changed_on": start,
                    "changed_at": data.now - timedelta(days=(data.today - start).days),
                }
            )
            if client.id == data.bench_client.id and key == "washing":
                data.values["bench_habit_id"] = str(habit_id)
    data.insert(Habit, habits)
    data.insert(HabitLevel, levels)
    data.insert(HabitLevelChange, changes)
    check_ins = list(_check_ins(data, habits))
    data.insert(HabitCheckIn, check_ins)
    data.insert(HabitSummary, _summaries(data, habits, levels, check_ins))
    data.insert(MoodLog, _moods(data, rich))


def _check_ins(data: BenchData, habits: list[dict[str, Any]]) -> Any:
    rng = data.rng
    for habit in habits:
        for day in data.days(habit["started_on"]):
            if day >= data.today or rng.random() > 0.75:
                continue
            yield {
                "id": uuid4(),
                "habit_id": habit["id"],
                "client_id": habit["client_id"],
                "done_on": day,
                "outcome": "done" if rng.random() < 0.8 else "partly",
                "reason": None,
                "level": habit["level"],
                "confidence": rng.randint(4, 9),
                "pleasure": None,
                "mastery": None,
                "amount": None,
                "note": None,
                "created_at": data.now - timedelta(days=(data.today - day).days),
            }


def _summaries(
    data: BenchData,
    habits: list[dict[str, Any]],
    levels: list[dict[str, Any]],
    check_ins: list[dict[str, Any]],
) -> Any:
    """What the writes would have stored (`app.self_care.summary`): one level, no pauses here.
    Local "today" is taken as the bench's today for everyone; a day either way only moves
    `settled_on`, which reads handle."""
    by_habit: dict[Any, list[CheckIn]] = {}
    for c in check_ins:
        by_habit.setdefault(c["habit_id"], []).append(
            CheckIn(c["done_on"], Outcome(c["outcome"]), c["confidence"], c["amount"])
        )
    level_rows = {(lv["habit_id"], lv["number"]): lv for lv in levels}
    settle = summary.settle_day(data.today)
    for habit in habits:
        lv = level_rows[(habit["id"], habit["level"])]
        target = Target(
            kind=TargetKind(lv["target_kind"]),
            days=frozenset(int(d) for d in lv["days"]),
            times_per_week=lv["times_per_week"],
            amount=lv["amount"],
            unit=lv["unit"],
        )
        values = day_values(target, by_habit.get(habit["id"], []))
        begin = max(habit["started_on"], settle - timedelta(days=history.HISTORY_DAYS))
        points = strength_series(
            target_on=_always(target), values=values, start=begin, today=settle, end=settle
        )
        tail = summary.trim(points, settle)
        yield {
            "habit_id": habit["id"],
            "client_id": habit["client_id"],
            "settled_on": settle if points else None,
            "score": points[-1].score if points else 0.0,
            "recent": list(points[-1].recent) if points else [],
            "tail": [[p.on.isoformat(), p.score] for p in tail],
            "updated_at": data.now,
        }


def _moods(data: BenchData, rich: set[Any]) -> Any:
    rng = data.rng
    for client in data.clients:
        since = max(client.joined_on, data.today - timedelta(days=364 if client.id in rich else 14))
        for day in data.days(since):
            if day >= data.today or rng.random() > 0.7:
                continue
            at = data.now - timedelta(days=(data.today - day).days)
            yield {
                "id": uuid4(),
                "client_id": client.id,
                "logged_on": day,
                "mood": rng.randint(1, 5),
                "energy": rng.randint(1, 5),
                "hours_slept": rng.choice([5.5, 6.0, 7.0, 8.0]),
                "note": None,
                "created_at": at,
                "updated_at": at,
            }


SCENARIOS = [
    Scenario(
        name="habit check-in (API POST)",
        method="POST",
        path="/api/v1/habits/{bench_habit_id}/check-ins",
        body={"id": "{{uuid}}", "outcome": "done", "confidence": 8},
        as_user="client",
        min_throughput_ratio=0.1,
        max_p50_multiple=15,
        note="A client-made id per request; stores the check-in and re-checks the step-up rules "
        "(complete weeks only), one commit.",
    ),
    Scenario(
        name="Today with habits",
        path="/today",
        as_user="client",
        min_throughput_ratio=0.1,
        max_p50_multiple=15,
        note="The bench client's Today: self-care's section is four small queries.",
    ),
    Scenario(
        name="habit page",
        path="/self-care/habits/{bench_habit_id}",
        as_user="client",
        min_throughput_ratio=0.05,
        max_p50_multiple=25,
        note="Strength over a year of history, the weekly target and a six-week heat map.",
    ),
]
