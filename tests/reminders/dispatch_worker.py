"""A separate dispatcher process for the several-processes tests and the bench.

Usage: python -m tests.reminders.dispatch_worker DB_URL NOW_ISO VAPID_PEM_FILE NAME
It waits for a line on stdin (so all workers start together), runs batches at the fixed NOW until
nothing is left to claim, and prints one JSON line: the item ids it processed and its timings.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime
from pathlib import Path

from app.db import make_engine
from app.reminders import dispatcher
from app.reminders.webpush import VapidKeys, WebPushSender


def main(argv: list[str]) -> None:
    url, now_iso, pem, name = argv
    engine = make_engine(url)
    now = datetime.fromisoformat(now_iso)
    sender = WebPushSender(
        VapidKeys.from_pem(Path(pem).read_bytes()), "mailto:ops@groundwork.example"
    )
    channels = dispatcher.Channels(secret=b"two-process-test", base_url="http://test", push=sender)
    processed: list[str] = []
    sys.stdin.readline()
    started = time.perf_counter()
    empty = 0
    while empty < 2:  # two empty claims in a row: the other worker has nothing in flight for us
        report = dispatcher.run_batch(
            channels=channels, now=now, worker=name, limit=250, engine=engine
        )
        processed.extend(str(i) for i in report.ids)
        empty = empty + 1 if report.claimed == 0 else 0
    elapsed = time.perf_counter() - started
    sender.close()
    engine.dispose()
    print(json.dumps({"name": name, "ids": processed, "seconds": elapsed}), flush=True)  # noqa: T201


if __name__ == "__main__":
    main(sys.argv[1:])
