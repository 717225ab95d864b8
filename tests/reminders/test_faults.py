"""Reminders under faults, with real parts: two real app processes (``python -m app serve``:
uvicorn, the APScheduler ticker, settings from GW_* variables) on one PostgreSQL, a real Web Push
endpoint (VAPID checked on every message), a real SMTP server (aiosmtpd), kill -9.

1. One of two processes is killed (SIGKILL) mid-drain of 10,000 due reminders: nothing is missed,
   the only reminders pushed twice are ones the killed process had in flight (claimed and not yet
   recorded when it died), and every reminder reached the push service within 90 s of the kill.
2. A mail relay that answers each message after 1 s, 400 clients with a phone and email reminders,
   two processes: every reminder is pushed once (decrypted by the push endpoint) and emailed once,
   and the last email arrives within 3 minutes.

The processes run on the machine's clock (they cannot share a frozen one): reminders are made due
at PostgreSQL's "now" when the test writes them, and nothing depends on the date. Numbers from each run go to
test-artifacts/reminders-faults-*.json (docs/reminders.md quotes them).
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, func, insert, select, text, update
from sqlmodel import col

from app.accounts.models import User
from app.reminders.dispatcher import PUSH_CHUNK, Pace
from app.reminders.models import ItemStatus, ReminderItem, ReminderPreference
from app.reminders.webpush import VapidKeys, topic_for
from tests.databases import migrated_postgres

from . import burst
from .push_service import PushService
from .smtp_server import SlowInbox, free_port, slow_smtp_server

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
_CLAIMED = re.compile(r"reminders: (\d+) claimed")


@dataclass
class AppProcess:
    proc: subprocess.Popen[bytes]
    log: Path
    url: str

    @property
    def worker(self) -> str:
        """How this process names itself in claims (app.reminders.runtime.worker_id)."""
        return f"{socket.gethostname()[:40]}:{self.proc.pid}"

    def claimed(self) -> int:
        """Reminders this process claimed, from its own log lines."""
        return sum(int(n) for n in _CLAIMED.findall(self.log.read_text()))


@contextmanager
def app_processes(
    n: int, *, engine: Engine, keys: VapidKeys, data_dir: Path, smtp_port: int = 1
) -> Iterator[list[AppProcess]]:
    """``n`` app processes sharing one database and data folder (the VAPID key), as behind a load
    balancer; each ready (``/healthz``) before this yields, with its scheduler ticking."""
    (data_dir / "vapid_private.pem").write_bytes(keys.private_pem())
    # The app processes run on the machine's clock even when this suite runs under libfaketime:
    # there, a timed wait never expires and APScheduler would never tick. Reminders are made due
    # by PostgreSQL's clock (``db_now``), which is theirs too; nothing here depends on the date.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GW_", "FAKETIME")) and not (k == "LD_PRELOAD" and "faketime" in v)
    }
    env.update(
        {
            "GW_ENVIRONMENT": "test",
            "GW_DATA_DIR": str(data_dir),
            "GW_DATABASE_URL": engine.url.render_as_string(hide_password=False),
            "GW_SECRET_KEY": "reminders-fault-test-" + "x" * 32,
            "GW_SCHEDULER_ENABLED": "true",
            "GW_VAPID_SUBJECT": "mailto:ops@groundwork.example",
            "GW_SMTP_HOST": "127.0.0.1",
            "GW_SMTP_PORT": str(smtp_port),
            "GW_MAIL_FROM": "Groundwork <reminders@groundwork.example>",
        }
    )
    processes: list[AppProcess] = []
    try:
        for k in range(n):  # all start at once, as after a deploy
            port = free_port()
            log = data_dir / f"server-{k}.log"
            with log.open("wb") as out:
                proc = subprocess.Popen(
                    [sys.executable, "-m", "app", "serve", "--port", str(port)],
                    env={**env, "GW_BASE_URL": f"http://127.0.0.1:{port}"},
                    cwd=ROOT,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            processes.append(AppProcess(proc, log, f"http://127.0.0.1:{port}"))
        for p in processes:
            ready(p)
        yield processes
    finally:
        for p in processes:
            if p.proc.poll() is None:
                p.proc.terminate()
            p.proc.wait(timeout=30)


def ready(process: AppProcess) -> None:
    deadline = time.monotonic() + 90  # generous: CI machines are shared and noisy
    while True:
        try:
            if httpx.get(process.url + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        log = process.log.read_text()
        assert process.proc.poll() is None, "app process did not start:\n" + log
        assert time.monotonic() < deadline, "app process not ready:\n" + log
        time.sleep(0.2)


def wait_for(condition: Callable[[], bool], seconds: float) -> None:
    """Poll a condition of real processes (there is no clock to freeze across processes)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the app processes"
        time.sleep(0.02)


def statuses(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(col(ReminderItem.status), func.count()).group_by(col(ReminderItem.status))
        ).all()
    return dict(rows)


def db_now(engine: Engine) -> datetime:
    """The app processes' clock: the machine's, as PostgreSQL reads it."""
    with engine.connect() as conn:
        moment: datetime = conn.execute(text("SELECT now()")).scalar_one()
    return moment


def unfinished(engine: Engine) -> bool:
    states = statuses(engine)
    return bool(states.get(ItemStatus.pending) or states.get(ItemStatus.sending))


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


@pytest.mark.postgres
def test_a_killed_process_repeats_only_its_in_flight_sends_and_the_rest_arrive_within_90_s(
    vapid: VapidKeys, tmp_path: Path
) -> None:
    due = 10_000
    keys = vapid
    receiver = PushService(decrypt=False).start()  # VAPID and headers still checked per message
    try:
        with (
            migrated_postgres() as engine,
            app_processes(2, engine=engine, keys=keys, data_dir=tmp_path) as processes,
        ):
            receiver.clock_offset = db_now(engine).timestamp() - time.time()
            clients = burst.add_clients(engine, 1000)
            burst.add_devices(
                engine, clients, [receiver.subscribe(keys.public_key) for _ in clients]
            )
            ids = {str(i) for i in burst.add_due_items(engine, clients, due, db_now(engine))}
            # Mid-drain and mid-batch: a third sent, and the victim early in a claim of its own.
            victims: list[AppProcess] = []

            def victim_found() -> bool:
                if len(receiver.messages) >= due // 3:
                    victims.extend(
                        p for p in processes if len(held_by(engine, p.worker)) >= 2 * PUSH_CHUNK
                    )
                return bool(victims)

            wait_for(victim_found, 240)
            victim = victims[0]
            victim.proc.send_signal(signal.SIGKILL)
            victim.proc.wait()
            killed_at = time.time()
            # What the victim held when it died: claimed, not yet recorded (its lease runs 30 s,
            # so the survivor cannot have taken these over yet).
            in_flight = held_by(engine, victim.worker)
            wait_for(lambda: not unfinished(engine), 240)
            [survivor] = [p for p in processes if p is not victim]
            assert survivor.proc.poll() is None
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
    vapid: VapidKeys, slow_relay: tuple[SlowInbox, int], tmp_path: Path
) -> None:
    n = 400
    keys = vapid
    relay, port = slow_relay
    receiver = PushService().start()  # decrypts every payload with the phone's private key
    try:
        with (
            migrated_postgres() as engine,
            app_processes(
                2, engine=engine, keys=keys, data_dir=tmp_path, smtp_port=port
            ) as processes,
        ):
            receiver.clock_offset = db_now(engine).timestamp() - time.time()
            clients = burst.add_clients(engine, n)
            addresses = {cid: f"client{k}@example.org" for k, cid in enumerate(clients)}
            written = db_now(engine)
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
                            "updated_at": written,
                        }
                        for cid in clients
                    ],
                )
            burst.add_devices(
                engine, clients, [receiver.subscribe(keys.public_key) for _ in clients]
            )
            started = time.time()
            ids = {str(i) for i in burst.add_due_items(engine, clients, n, db_now(engine))}
            wait_for(lambda: not unfinished(engine), 400)
            wait_for(lambda: sum(p.claimed() for p in processes) >= n, 30)  # the ticks' log lines
            per_process = [p.claimed() for p in processes]
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
            "per_process_items": per_process,
        },
    )
    assert receiver.rejected == []
    assert pushed == Counter(ids), "every reminder pushed exactly once"
    assert emailed == Counter(addresses.values()), "every reminder emailed exactly once"
    assert final == {ItemStatus.sent: n}
    assert notes == {"Sent to 1 device and email": n}
    assert sorted(per_process) != [0, n], "both processes shared the backlog"
    assert sum(per_process) == n
    assert last_email <= 180, f"the last email went out {last_email:.0f} s after the start"
