"""Reminders under faults, with real parts: two dispatcher OS processes on PostgreSQL, a real
Web Push endpoint (VAPID checked on every message), a real SMTP server (aiosmtpd), kill -9.

1. One of two processes is killed (SIGKILL) mid-drain of 10,000 due reminders: nothing is missed,
   the only reminders pushed twice are ones the killed process had in flight (claimed and not yet
   recorded when it died), and every reminder reached the push service within 90 s of the kill.
2. A mail relay that answers each message after 1 s, 400 clients with a phone and email reminders,
   two processes: every reminder is pushed once (decrypted by the push endpoint) and emailed once,
   and the last email arrives within 3 minutes.

Numbers from each run go to test-artifacts/reminders-faults-*.json (docs/reminders.md quotes them).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, insert, select, update
from sqlmodel import col

from app.accounts.models import User
from app.reminders.dispatcher import PUSH_CHUNK, Pace
from app.reminders.models import ItemStatus, ReminderItem, ReminderPreference
from app.reminders.webpush import VapidKeys, topic_for
from tests.databases import migrated_postgres

from . import burst
from .push_service import PushService
from .smtp_server import SlowInbox, slow_smtp_server

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
BASE = datetime(
    2026, 1, 5, 8, tzinfo=UTC
)  # the reminders' due time; the workers' clock starts here


def start_workers(
    url: str, pem: Path, t0: float, names: list[str], smtp_port: int | None = None
) -> list[subprocess.Popen[str]]:
    extra = [str(smtp_port)] if smtp_port else []
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.reminders.drain_worker",
                url,
                BASE.isoformat(),
                repr(t0),
                str(pem),
                name,
                *extra,
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=ROOT,
            env=dict(os.environ),
            text=True,
        )
        for name in names
    ]
    for worker in workers:  # all start claiming at the same moment
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    return workers


def wait_for(condition: Callable[[], bool], seconds: float) -> None:
    """Poll a condition of real processes (there is no clock to freeze across processes)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the workers"
        time.sleep(0.02)


def statuses(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(col(ReminderItem.status), func.count()).group_by(col(ReminderItem.status))
        ).all()
    return dict(rows)


def held_by(engine: Engine, worker: str) -> set[str]:
    """Ids claimed by ``worker`` and not yet recorded."""
    with engine.connect() as conn:
        return {
            str(i)
            for i in conn.execute(
                select(col(ReminderItem.id)).where(
                    col(ReminderItem.claimed_by) == worker,
                    col(ReminderItem.status) == ItemStatus.sending,
                )
            ).scalars()
        }


def save(name: str, numbers: dict[str, object]) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"reminders-faults-{name}.json").write_text(json.dumps(numbers, indent=2))


@pytest.fixture
def vapid_pem(tmp_path: Path) -> tuple[VapidKeys, Path]:
    keys = VapidKeys.generate()
    pem = tmp_path / "vapid.pem"
    pem.write_bytes(keys.private_pem())
    return keys, pem


@pytest.mark.postgres
def test_a_killed_process_repeats_only_its_in_flight_sends_and_the_rest_arrive_within_90_s(
    vapid_pem: tuple[VapidKeys, Path],
) -> None:
    due = 10_000
    keys, pem = vapid_pem
    receiver = PushService(decrypt=False).start()  # VAPID and headers still checked per message
    try:
        with migrated_postgres() as engine:
            clients = burst.add_clients(engine, 1000)
            burst.add_devices(
                engine, clients, [receiver.subscribe(keys.public_key) for _ in clients]
            )
            ids = {str(i) for i in burst.add_due_items(engine, clients, due, BASE)}
            url = engine.url.render_as_string(hide_password=False)
            victim, survivor = start_workers(url, pem, time.time(), ["victim", "survivor"])
            # Mid-drain and mid-batch: a third sent, and the victim early in a claim of its own.
            wait_for(
                lambda: (
                    len(receiver.messages) >= due // 3
                    and len(held_by(engine, "victim")) >= 2 * PUSH_CHUNK
                ),
                240,
            )
            victim.send_signal(signal.SIGKILL)
            victim.wait()
            killed_at = time.time()
            for pipe in (victim.stdin, victim.stdout):
                assert pipe is not None
                pipe.close()
            # What the victim held when it died: claimed, not yet recorded (its lease runs 30 s,
            # so the survivor cannot have taken these over yet).
            in_flight = held_by(engine, "victim")
            out, _ = survivor.communicate(timeout=240)
            assert survivor.returncode == 0
            report = json.loads(out)
            final = statuses(engine)
    finally:
        receiver.stop()
    topics = Counter(m.headers["topic"] for m in receiver.messages)
    first_arrival: dict[str, float] = {}
    for m in receiver.messages:
        first_arrival.setdefault(m.headers["topic"], m.received_at)
    twice = {t for t, n in topics.items() if n > 1}
    last = max(first_arrival.values()) - killed_at
    save(
        "kill",
        {
            "due": due,
            "in_flight_at_kill": len(in_flight),
            "pushed_twice": len(twice),
            "last_first_arrival_after_kill_s": round(last, 1),
            "survivor_seconds": round(report["seconds"], 1),
            "survivor_claim_sizes": sorted(set(report["limits"])),
        },
    )
    assert receiver.rejected == []
    assert final == {ItemStatus.sent: due}, "0 missed, 0 failed, nothing left behind"
    assert set(topics) == {topic_for(i) for i in ids}, "every reminder reached the phone"
    assert max(topics.values()) <= 2
    assert twice <= {topic_for(i) for i in in_flight}, "only the killed process's in-flight repeat"
    assert 0 < len(in_flight) <= Pace().ceiling
    assert len(twice) <= PUSH_CHUNK, "pushes are recorded a chunk at a time"
    assert last <= 90, f"the last reminder arrived {last:.0f} s after the kill"


@pytest.fixture
def slow_relay() -> Iterator[tuple[SlowInbox, int]]:
    with slow_smtp_server(delay=1.0) as relay:
        yield relay


@pytest.mark.postgres
def test_a_1_s_mail_relay_still_sends_400_reminders_once_each_within_3_minutes(
    vapid_pem: tuple[VapidKeys, Path], slow_relay: tuple[SlowInbox, int]
) -> None:
    n = 400
    keys, pem = vapid_pem
    relay, port = slow_relay
    receiver = PushService().start()  # decrypts every payload with the phone's private key
    try:
        with migrated_postgres() as engine:
            clients = burst.add_clients(engine, n)
            addresses = {cid: f"client{k}@example.org" for k, cid in enumerate(clients)}
            with engine.begin() as conn:
                for cid, address in addresses.items():
                    conn.execute(update(User).where(col(User.id) == cid).values(email=address))
                conn.execute(
                    insert(ReminderPreference),
                    [
                        {
                            "client_id": cid,
                            "email_enabled": True,
                            "muted_kinds": "",
                            "email_muted_kinds": "",
                            "updated_at": BASE,
                        }
                        for cid in clients
                    ],
                )
            burst.add_devices(
                engine, clients, [receiver.subscribe(keys.public_key) for _ in clients]
            )
            ids = {str(i) for i in burst.add_due_items(engine, clients, n, BASE)}
            url = engine.url.render_as_string(hide_password=False)
            started = time.time()
            workers = start_workers(url, pem, started, ["one", "two"], smtp_port=port)
            reports = [json.loads(w.communicate(timeout=400)[0]) for w in workers]
            assert [w.returncode for w in workers] == [0, 0]
            final = statuses(engine)
            with engine.connect() as conn:
                notes = Counter(conn.execute(select(col(ReminderItem.delivery_note))).scalars())
    finally:
        receiver.stop()
    pushed = Counter(json.loads(m.text)["id"] for m in receiver.messages)
    emailed = Counter(str(m["To"]) for m in relay.messages)
    last_email = max(relay.received_at) - started
    save(
        "slow-relay",
        {
            "clients": n,
            "relay_seconds_per_message": relay.delay,
            "last_email_after_s": round(last_email, 1),
            "smtp_sessions": relay.sessions,
            "claims": [len(r["limits"]) for r in reports],
            "claim_sizes": [sorted(set(r["limits"])) for r in reports],
            "per_process_items": [len(r["ids"]) for r in reports],
        },
    )
    assert receiver.rejected == []
    assert pushed == Counter(ids), "every reminder pushed exactly once"
    assert emailed == Counter(addresses.values()), "every reminder emailed exactly once"
    assert final == {ItemStatus.sent: n}
    assert notes == {"Sent to 1 device and email": n}
    assert all(r["ids"] for r in reports), "both processes shared the backlog"
    assert last_email <= 180, f"the last email went out {last_email:.0f} s after the start"
