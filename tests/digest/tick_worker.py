"""A separate scheduler process for the two-process test.

Usage: python -m tests.digest.tick_worker DB_URL NOW_ISO NAME SMTP_PORT
Waits for a line on stdin so both processes tick together, runs one digest tick at the fixed
NOW, and prints one JSON line: the therapist ids it sent to.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime

from app.config import get_settings
from app.db import make_engine
from app.digest import sender


def main(argv: list[str]) -> None:
    url, now_iso, name, smtp_port = argv
    # Importing `tests` points SMTP at a dead port (tests/settings_env.py): use the test's server.
    get_settings().smtp_port = int(smtp_port)
    engine = make_engine(url)
    sys.stdin.readline()
    report = sender.run_tick(now=datetime.fromisoformat(now_iso), worker=name, engine=engine)
    engine.dispose()
    out = {"name": name, "sent": [str(t) for t in report.sent], "lost": report.lost_claims}
    print(json.dumps(out), flush=True)  # noqa: T201


if __name__ == "__main__":
    main(sys.argv[1:])
