"""In-process time of the therapist's progress record (`progress.record.load`) for a seeded client.

Run with `PYTHONPATH=$PWD python -m bench.progress_record` (SQLite): 120 days of goals, answers,
notes, habits, mood, calm episodes, homework and six routines; the median of 30 loads of a 14- and
a 90-day range. A measurement, not a test (docs/progress.md).
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import timedelta

from sqlmodel import Session

from app import clock
from app.progress import record
from tests import factories
from tests.databases import migrated_sqlite
from tests.progress.test_client_page import NOW, TODAY, _seed
from tests.routines.test_overview import _seed as seed_routines

RUNS = 30


def main() -> None:
    with (
        migrated_sqlite("bench_record") as engine,
        Session(engine) as session,
        clock.frozen_at(NOW),
    ):
        org = factories.clinic(session)
        therapist = factories.therapist(session, org)
        client = factories.client(session, therapist=therapist)
        _seed(session, client, therapist, random.Random(1), days=120)
        seed_routines(session, client, random.Random(1), routines=6, days=120)
        session.commit()
        for days in (14, 90):
            times = []
            for _ in range(RUNS):
                began = time.perf_counter()
                record.load(session, client, start=TODAY - timedelta(days=days), end=TODAY)
                times.append((time.perf_counter() - began) * 1000)
            print(f"record.load, {days:3} days: {statistics.median(times):6.2f} ms")


if __name__ == "__main__":
    main()
