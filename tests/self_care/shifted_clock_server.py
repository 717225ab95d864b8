"""Serve the app with a clock the browser test can move forward by whole days.

The day offset is read from `<GW_DATA_DIR>/clock-offset-days` on every call, so the test can say
"it is now tomorrow" without restarting the server. Test harness only."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

from app import clock

OFFSET_FILE = Path(os.environ["GW_DATA_DIR"]) / "clock-offset-days"
_real_now = clock.now


def _shifted_now() -> datetime:
    try:
        days = float(OFFSET_FILE.read_text().strip() or 0)
    except FileNotFoundError:
        days = 0.0
    return _real_now() + timedelta(days=days)


def main() -> None:
    clock.now = _shifted_now  # before the app (and its models' defaults) are imported
    import uvicorn

    from app.vapid import ensure_keys

    ensure_keys()
    uvicorn.run("app.asgi:app", host="127.0.0.1", port=int(os.environ["GW_PORT"]), access_log=False)


if __name__ == "__main__":
    main()
