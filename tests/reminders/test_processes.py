"""Several servers: two dispatcher processes on one database send each occurrence exactly once.

10,000 reminders come due at once for 1,000 clients, each with a phone at the local push service.
Two separate OS processes each run the real claim -> send -> record loop. The push service counts
the Topic of every message it receives (one Topic per occurrence), so a duplicate or a gap shows
at the receiving end, not just in our own bookkeeping.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import col

from app.reminders.models import ItemStatus, ReminderDelivery, ReminderItem
from app.reminders.webpush import VapidKeys, topic_for
from tests.databases import migrated_postgres, migrated_sqlite

from . import burst
from .push_service import PushService

DUE = 10_000
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def receiver() -> Iterator[PushService]:
    service = PushService(decrypt=False).start()  # VAPID is still verified on every message
    yield service
    service.stop()


def run_two_workers(engine: Engine, url: str, receiver: PushService, tmp_path: Path) -> None:
    keys = VapidKeys.generate()
    pem = tmp_path / "vapid.pem"
    pem.write_bytes(keys.private_pem())
    clients = burst.add_clients(engine, 1000)
    burst.add_devices(engine, clients, [receiver.subscribe(keys.public_key) for _ in clients])
    now = datetime(2026, 1, 5, 8, tzinfo=UTC)
    ids = {str(i) for i in burst.add_due_items(engine, clients, DUE, now)}
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.reminders.dispatch_worker",
                url,
                now.isoformat(),
                str(pem),
                f"worker-{k}",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=ROOT,
            env=dict(os.environ),
            text=True,
        )
        for k in range(2)
    ]
    for worker in workers:  # both start claiming at the same moment
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    outputs = [json.loads(worker.communicate(timeout=300)[0]) for worker in workers]
    assert [w.returncode for w in workers] == [0, 0]
    first, second = (set(o["ids"]) for o in outputs)
    assert first, "the first process must have taken part"
    assert second, "the second process must have taken part"
    assert first & second == set(), "an occurrence was claimed by both processes"
    assert first | second == ids, "an occurrence was never claimed"
    topics = Counter(m.headers["topic"] for m in receiver.messages)
    with engine.connect() as conn:
        states: dict[str, int] = dict(
            conn.execute(
                select(col(ReminderItem.status), func.count()).group_by(col(ReminderItem.status))
            ).all()
        )
        deliveries = conn.execute(select(func.count()).select_from(ReminderDelivery)).scalar_one()
        answers = conn.execute(
            select(col(ReminderDelivery.outcome), col(ReminderDelivery.detail))
            .where(col(ReminderDelivery.outcome) != "delivered")
            .limit(5)
        ).all()
    assert receiver.rejected == []
    # On a shortfall, say what the sender was told (a timeout under load reads differently
    # from a lost claim).
    assert len(receiver.messages) == DUE, (states, answers)
    assert [t for t, n in topics.items() if n > 1] == []
    assert set(topics) == {topic_for(i) for i in ids}
    assert states == {ItemStatus.sent: DUE}
    assert deliveries == DUE


@pytest.mark.postgres
def test_two_processes_on_postgresql_send_10000_due_reminders_exactly_once(
    receiver: PushService, tmp_path: Path
) -> None:
    with migrated_postgres() as engine:
        run_two_workers(
            engine, engine.url.render_as_string(hide_password=False), receiver, tmp_path
        )


def test_two_processes_on_one_sqlite_file_send_10000_due_reminders_exactly_once(
    receiver: PushService, tmp_path: Path
) -> None:
    with migrated_sqlite("two-processes") as engine:
        run_two_workers(
            engine, engine.url.render_as_string(hide_password=False), receiver, tmp_path
        )
