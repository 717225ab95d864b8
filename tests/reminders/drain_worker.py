"""A dispatcher process for the fault tests: drains the outbox as a production process would.

Usage: python -m tests.reminders.drain_worker DB_URL BASE_ISO T0 VAPID_PEM NAME [SMTP_PORT]

Unlike ``dispatch_worker`` (a fixed "now"), time moves: now = BASE + (wall clock - T0), the same
mapping in every process, so leases really run out after a kill. Claims are sized by the
dispatcher's own pace (no fixed limit), as in production. When a claim comes back empty it looks
again a second later (production ticks every 5 s) until nothing is pending or sending any more,
then prints one JSON line: the ids it claimed, its claim sizes and how long it ran.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlmodel import col

from app.config import Settings
from app.db import make_engine
from app.reminders import dispatcher
from app.reminders.email import SmtpSettings
from app.reminders.models import ItemStatus, ReminderItem
from app.reminders.webpush import VapidKeys, WebPushSender


def main(argv: list[str]) -> None:
    url, base_iso, t0, pem, name, *smtp_port = argv
    engine = make_engine(url)
    base, start = datetime.fromisoformat(base_iso), float(t0)

    def now() -> datetime:
        return base + timedelta(seconds=time.time() - start)

    sender = WebPushSender(
        VapidKeys.from_pem(Path(pem).read_bytes()), "mailto:ops@groundwork.example"
    )
    smtp = None
    if smtp_port:
        smtp = SmtpSettings(
            host="127.0.0.1",
            port=int(smtp_port[0]),
            from_addr="reminders@groundwork.example",
            # The production defaults, not numbers picked for the test.
            timeout=Settings.model_fields["smtp_timeout_seconds"].default,
            connections=Settings.model_fields["reminder_email_connections"].default,
        )
    channels = dispatcher.Channels(
        secret=b"fault-test", base_url="http://test", push=sender, smtp=smtp
    )
    claimed: list[str] = []
    limits: list[int] = []
    sys.stdin.readline()
    started = time.perf_counter()
    while True:
        report = dispatcher.run_batch(
            channels=channels, now=now(), clock=now, worker=name, engine=engine
        )
        claimed.extend(str(i) for i in report.ids)
        if report.claimed:
            limits.append(report.limit)
            continue
        with engine.connect() as conn:
            unfinished = conn.execute(
                select(func.count())
                .select_from(ReminderItem)
                .where(col(ReminderItem.status).in_([ItemStatus.pending, ItemStatus.sending]))
            ).scalar_one()
        if not unfinished:
            break
        time.sleep(1)
    elapsed = time.perf_counter() - started
    channels.close()
    engine.dispose()
    print(json.dumps({"name": name, "ids": claimed, "limits": limits, "seconds": elapsed}))  # noqa: T201


if __name__ == "__main__":
    main(sys.argv[1:])
