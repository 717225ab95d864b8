"""Print a libfaketime offset for the shifted-clock test run: the clock reads 23:59 on the first
Sunday at least a year from now when the run starts, and moves on normally from there.

Why: a test that mixes a frozen clock with the real date passes the day it is written and fails
weeks later. Running the suite a year ahead, starting one minute before a Sunday midnight (the
ISO week turns over during the run), makes such a test fail in CI the day it lands.

A relative offset ("+N" seconds), not a start time ("@…"): with a start time every process starts
its own clock at that moment, so a live server started a minute after pytest would run a minute
behind it (two-step codes and tap times would disagree). With an offset every process agrees.

Usage: faketime -f "$(python tools/shifted_clock.py)" python -m pytest
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, time, timedelta

SUNDAY = 6


def shifted_start(today: date) -> datetime:
    """23:59 UTC on the first Sunday on or after `today` plus 365 days."""
    day = today + timedelta(days=365)
    day += timedelta(days=(SUNDAY - day.weekday()) % 7)
    return datetime.combine(day, time(23, 59), tzinfo=UTC)


def offset_spec(now: datetime) -> str:
    """libfaketime's relative form: whole seconds to add to the real clock."""
    return f"+{int((shifted_start(now.date()) - now).total_seconds())}"


if __name__ == "__main__":
    sys.stdout.write(offset_spec(datetime.now(UTC)) + "\n")
