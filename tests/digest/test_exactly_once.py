"""Exactly once per therapist per local day with two schedulers: two threads, then two OS
processes, on SQLite and PostgreSQL. The local SMTP server counts what arrives, so a duplicate or
a gap shows at the receiving end, not only in our own bookkeeping."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, func, select

from app import clock
from app.config import get_settings
from app.digest import sender
from app.digest.models import DigestRun
from tests.reminders.smtp_server import Inbox

from .conftest import EIGHT_LONDON
from .world import assign, client_does, make_world

THERAPISTS = 30
ROOT = Path(__file__).resolve().parents[2]


def busy_therapists(engine: Engine) -> dict[str, str]:
    """THERAPISTS opted-in therapists with one change request each: {email: therapist id}."""
    out = {}
    with clock.frozen_at(EIGHT_LONDON - timedelta(hours=2)):
        for _ in range(THERAPISTS):
            world = make_world(engine)
            client_does(engine, world, assign(engine, world), "ask_change", reason="Too much")
            out[world.therapist_email] = str(world.therapist_id)
    return out


def check_once_each(engine: Engine, smtp: Inbox, people: dict[str, str], sent: list[str]) -> None:
    received = Counter(str(m["To"]) for m in smtp.messages)
    assert received == Counter(dict.fromkeys(people, 1)), "every therapist exactly one email"
    assert sorted(sent) == sorted(people.values()), "each one sent by exactly one scheduler"
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(DigestRun)).one() == THERAPISTS


def test_two_threads_send_each_digest_once(ddb: Engine, smtp: Inbox) -> None:
    people = busy_therapists(ddb)
    start = threading.Barrier(2)
    reports: list[sender.Report] = []

    def tick(name: str) -> None:
        start.wait()
        reports.append(sender.run_tick(now=EIGHT_LONDON, worker=name, engine=ddb))

    threads = [threading.Thread(target=tick, args=(f"thread-{k}",)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(reports) == 2
    check_once_each(ddb, smtp, people, [str(t) for r in reports for t in r.sent])


def test_two_processes_send_each_digest_once(ddb: Engine, smtp: Inbox) -> None:
    people = busy_therapists(ddb)
    url = ddb.url.render_as_string(hide_password=False)
    port = str(get_settings().smtp_port)
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.digest.tick_worker",
                url,
                EIGHT_LONDON.isoformat(),
                f"process-{k}",
                port,
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=ROOT,
            env=dict(os.environ),
            text=True,
        )
        for k in range(2)
    ]
    for worker in workers:  # both start at the same moment
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    outputs = [json.loads(worker.communicate(timeout=180)[0]) for worker in workers]
    assert [w.returncode for w in workers] == [0, 0]
    check_once_each(ddb, smtp, people, [t for o in outputs for t in o["sent"]])
