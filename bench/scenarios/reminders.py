"""Reminders: HTTP scenarios for `make bench`, and the dispatch benchmarks run standalone.

`python -m bench.scenarios.reminders [DATABASE_URL]` measures, outside the HTTP harness:
1. encrypted Web Push messages per second from one process to the local push service (which runs
   in its own process and verifies VAPID on every message) — target >= 500/s;
2. the 08:00 burst: 10,000 due reminders claimed, recorded as sent and their schedules topped up,
   with 100,000 schedules present — target < 1 s of database time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, insert, text

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/groundwork_reminders_bench"

try:
    from bench.harness import Scenario
except ImportError:  # the HTTP harness is not in this checkout: only the standalone numbers run
    SCENARIOS: list[Any] = []
else:
    SCENARIOS = [
        Scenario(
            name="reminders inbox page",
            path="/reminders/inbox",
            as_user="client",
            min_throughput_ratio=0.1,
            max_p50_multiple=15,
            note="The 50 newest inbox entries with their delivery state (index on client, planned time).",
        ),
        Scenario(
            name="reminders inbox (API)",
            path="/api/v1/reminders/inbox",
            as_user="client",
            min_throughput_ratio=0.15,
            max_p50_multiple=10,
            note="The same entries as JSON.",
        ),
        Scenario(
            name="reminder settings page",
            path="/reminders/settings",
            as_user="client",
            min_throughput_ratio=0.1,
            max_p50_multiple=15,
            note="Devices, preferences and the VAPID key.",
        ),
    ]


def push_throughput(messages: int = 3000, concurrency: int = 8) -> dict[str, float]:
    """Encrypted pushes/second from this process to a push service in another process."""
    from app.reminders.webpush import PushMessage, Subscription, VapidKeys, WebPushSender

    keys = VapidKeys.generate()
    service = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.reminders.push_service",
            "--key",
            keys.public_key,
            "--subscriptions",
            "200",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert service.stdout is not None
    assert service.stdin is not None
    info = json.loads(service.stdout.readline())
    subs = [
        Subscription(s["endpoint"], s["keys"]["p256dh"], s["keys"]["auth"])
        for s in info["subscriptions"]
    ]
    payload = {"title": "Morning routine", "body": "Time for the first step", "url": "/routines/x"}
    batch = [
        PushMessage(
            subs[i % len(subs)],
            json.dumps({**payload, "id": str(uuid.uuid4())}).encode(),
            topic=f"t{i}",
        )
        for i in range(messages)
    ]
    with WebPushSender(keys, "mailto:bench@groundwork.example", concurrency=concurrency) as sender:
        sender.send_many(batch[:100])  # warm the connections and the VAPID token
        started, cpu = time.perf_counter(), time.process_time()
        results = sender.send_many(batch)
        wall, cpu_used = time.perf_counter() - started, time.process_time() - cpu
    service.stdin.write("count\n")
    service.stdin.flush()
    received, rejected = (int(x) for x in service.stdout.readline().split())
    service.stdin.close()
    service.wait(timeout=10)
    delivered = sum(1 for r in results if r.outcome == "delivered")
    return {
        "messages": messages,
        "delivered": delivered,
        "received": received,
        "rejected": rejected,
        "per_second": round(messages / wall),
        "sender_cpu_ms_per_message": round(cpu_used / messages * 1000, 3),
        "load_average": os.getloadavg()[0],
    }


def _fill(
    engine: Engine, schedules: int, due_now: int, now: datetime
) -> dict[uuid.UUID, uuid.UUID]:
    """``schedules`` daily schedules over 10,000 clients, two days materialised; ``due_now`` due."""
    from app.reminders.models import ItemStatus, PushSubscription, ReminderItem, ReminderSchedule
    from tests.reminders.burst import add_clients

    clients = add_clients(engine, 10_000)
    sched_rows, item_rows = [], []
    for k in range(schedules):
        sid, cid = uuid.uuid4(), clients[k % len(clients)]
        due = k < due_now
        hours = 0 if due else 1 + k % 12
        wall = f"{8 + hours:02d}:00"
        sched_rows.append(
            {
                "id": sid,
                "client_id": cid,
                "kind": "routine",
                "source_id": uuid.uuid4(),
                "title": "Routine",
                "body": "",
                "url": "/",
                "local_times": wall,
                "rrule": None,
                "start_on": date(2026, 1, 1),
                "only_if_not_done": False,
                "active": True,
                # The due ones need their next days written once sent; the others are topped up.
                "planned_until_at": now
                + (timedelta(hours=24, seconds=30) if due else timedelta(hours=40)),
                "created_at": now,
                "updated_at": now,
            }
        )
        for day in (0, 1):
            at = now + timedelta(hours=hours, days=day)  # Europe/London in January: UTC
            item_rows.append(
                {
                    "id": uuid.uuid4(),
                    "schedule_id": sid,
                    "client_id": cid,
                    "kind": "routine",
                    "source_id": sched_rows[-1]["source_id"],
                    "occurrence_key": f"2026-01-{5 + day:02d}T{wall}",
                    "local_day": date(2026, 1, 5 + day),
                    "title": "Routine",
                    "body": "",
                    "url": "/",
                    "only_if_not_done": False,
                    "planned_at": at,
                    "due_at": at,
                    "status": ItemStatus.pending,
                    "attempts": 0,
                    "snoozed": False,
                    "delivery_note": "",
                }
            )
    with engine.begin() as conn:
        for start in range(0, len(sched_rows), 5000):
            conn.execute(insert(ReminderSchedule.__table__), sched_rows[start : start + 5000])  # type: ignore[attr-defined]  # SQLModel creates __table__ with the class; its stubs do not declare it
        for start in range(0, len(item_rows), 5000):
            conn.execute(insert(ReminderItem.__table__), item_rows[start : start + 5000])  # type: ignore[attr-defined]  # SQLModel creates __table__ with the class; its stubs do not declare it
        devices = {cid: uuid.uuid4() for cid in clients}
        conn.execute(
            insert(PushSubscription.__table__),  # type: ignore[attr-defined]  # SQLModel creates __table__ with the class; its stubs do not declare it
            [
                {
                    "id": did,
                    "client_id": cid,
                    "endpoint": f"https://push.example/{did}",
                    "p256dh": "k",
                    "auth": "a",
                    "device_name": "Phone",
                    "created_at": now,
                }
                for cid, did in devices.items()
            ],
        )
        if engine.dialect.name == "postgresql":
            conn.execute(text("ANALYZE"))
    return devices


class DbTimer:
    """Sums the time statements spend in the database driver (what "database time" means here)."""

    def __init__(self, engine: Engine) -> None:
        self.seconds = 0.0
        self._started: list[float] = []
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, *_args: object) -> None:
        self._started.append(time.perf_counter())

    def _after(self, *_args: object) -> None:
        self.seconds += time.perf_counter() - self._started.pop()

    def take(self) -> float:
        value, self.seconds = self.seconds, 0.0
        return value


def backend_cpu_seconds(engine: Engine) -> float:
    """CPU time used so far by the PostgreSQL backend serving the engine's one connection (read from
    /proc: a measure of the database's own work that a busy, shared machine does not inflate)."""
    with engine.connect() as conn:
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def burst(url: str, schedules: int = 100_000, due_now: int = 10_000) -> dict[str, Any]:
    """Database time to claim the 08:00 burst, record it as sent and top the schedules up."""
    from sqlmodel import SQLModel

    import app.models  # noqa: F401 - registers every table
    from app.db import make_engine, open_session
    from app.reminders import claim, outbox
    from app.reminders.record import Outcome, record
    from app.reminders.webpush import PushOutcome

    setup = make_engine(url)
    SQLModel.metadata.drop_all(setup)
    SQLModel.metadata.create_all(setup)
    now = datetime(2026, 1, 5, 8, tzinfo=UTC)
    started = time.perf_counter()
    devices = _fill(setup, schedules, due_now, now)
    fill_seconds = time.perf_counter() - started
    setup.dispose()
    # One pooled connection, so one backend process does (and is measured for) all the work.
    engine = create_engine(url, pool_size=1, max_overflow=0)
    cpu_before = backend_cpu_seconds(engine) if engine.dialect.name == "postgresql" else 0.0
    timer = DbTimer(engine)
    db = {"claim": 0.0, "record": 0.0, "refill": 0.0}
    wall = time.perf_counter()
    claimed_total = 0
    while True:
        with open_session(write=True, engine=engine) as session:
            claimed = claim.claim_due(session=session, now=now, worker="bench", limit=1000)
        db["claim"] += timer.take()
        if not claimed:
            break
        outcomes = [
            Outcome(
                item,
                "sent",
                note="Sent to 1 device",
                push=[(devices[item.client_id], PushOutcome.DELIVERED, 201, "")],
            )
            for item in claimed
        ]
        with open_session(write=True, engine=engine) as session:
            record(session=session, outcomes=outcomes, worker="bench", now=now)
        db["record"] += timer.take()
        claimed_total += len(claimed)
    pg = engine.dialect.name == "postgresql"
    cpu_burst = backend_cpu_seconds(engine) - cpu_before if pg else None
    refilled = 0
    while True:
        with open_session(write=True, engine=engine) as session:
            n = outbox.refill(session=session, now=now + timedelta(minutes=1), batch=5000)
        db["refill"] += timer.take()
        if n == 0:
            break
        refilled += n
    wall = time.perf_counter() - wall
    cpu_total = backend_cpu_seconds(engine) - cpu_before if pg else None
    engine.dispose()
    return {
        "dialect": engine.dialect.name,
        "schedules": schedules,
        "claimed": claimed_total,
        "schedules_rescheduled": refilled,
        "fill_seconds": round(fill_seconds, 1),
        "db_seconds": {k: round(v, 3) for k, v in db.items()},
        "db_seconds_total": round(sum(db.values()), 3),
        "wall_seconds_total": round(wall, 3),
        "postgres_cpu_seconds": {
            "claim_and_record": cpu_burst,
            "refill": None
            if cpu_total is None or cpu_burst is None
            else round(cpu_total - cpu_burst, 2),
        },
        "load_average": os.getloadavg()[0],
    }


def main() -> None:
    url = (
        sys.argv[1] if len(sys.argv) > 1 else os.environ.get("GW_BENCH_REMINDERS_URL", DEFAULT_URL)
    )
    print("push throughput:", json.dumps(push_throughput()))
    print("08:00 burst:", json.dumps(burst(url)))


if __name__ == "__main__":
    main()
