"""In-process time of the habit list's reads for a habit with 1 and 4,000 check-ins today.

Issue 15.6: a client's own taps must not slow their pages without bound. Run with
`PYTHONPATH=$PWD python -m bench.habit_taps` (SQLite, and PostgreSQL when reachable); it prints the
median of 30 reads (`progress.habit_progress`, what `/self-care` runs per habit, and the Today
section) for each count. A measurement, not a test.
"""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, insert
from sqlmodel import Session

from app import clock
from app.self_care import progress, service
from app.self_care.models import HabitCheckIn
from app.self_care.today import today_section
from tests import factories
from tests.databases import migrated_postgres, migrated_sqlite, postgres_available
from tests.self_care.helpers import MONDAY, start

NOON = datetime(MONDAY.year, MONDAY.month, MONDAY.day, 12, tzinfo=UTC) + timedelta(days=21)
RUNS = 30


def _median_ms(work: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        began = time.perf_counter()
        work()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def measure(engine: Engine, taps: int) -> tuple[float, float]:
    with Session(engine) as session, clock.frozen_at(NOON):
        org = factories.clinic(session)
        client = factories.client(session, therapist=factories.therapist(session, org))
        with clock.frozen_at(NOON - timedelta(days=20)):
            habit = start(session, client, "water")
        today = service.today_for(client)
        row = {
            "habit_id": habit.id,
            "client_id": client.id,
            "done_on": today,
            "outcome": "done",
            "level": habit.level,
            "amount": 1.0,
            "created_at": NOON,
        }
        session.execute(insert(HabitCheckIn), [{**row, "id": uuid.uuid4()} for _ in range(taps)])
        session.commit()
        page = _median_ms(lambda: progress.habit_progress(session, habit, today))
        section = _median_ms(
            lambda: today_section(session=session, client=client, day=today, now=NOON)
        )
        return page, section


def main() -> None:
    targets: list[tuple[str, Callable[[], AbstractContextManager[Engine]]]] = [
        ("sqlite", lambda: migrated_sqlite("bench_taps"))
    ]
    if postgres_available():
        targets.append(("postgres", migrated_postgres))
    for name, make in targets:
        with make() as engine:
            for taps in (1, 4000):
                page, section = measure(engine, taps)
                print(
                    f"{name:8} {taps:5} check-ins today: habit list {page:6.2f} ms/habit, "
                    f"Today section {section:6.2f} ms"
                )


if __name__ == "__main__":
    main()
