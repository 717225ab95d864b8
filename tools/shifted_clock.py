"""Print a libfaketime start time for the shifted-clock test run: 23:59 on the first Sunday at
least a year from today.

Why: a test that mixes a frozen clock with the real date passes the day it is written and fails
weeks later. Running the suite a year ahead, starting one minute before a Sunday midnight (the
ISO week turns over during the run), makes such a test fail in CI the day it lands.

Usage: faketime -f "@$(python tools/shifted_clock.py)" python -m pytest
"""

from __future__ import annotations

import sys
from datetime import date, timedelta

SUNDAY = 6


def shifted_start(today: date) -> str:
    """'YYYY-MM-DD 23:59:00' for the first Sunday on or after `today` plus 365 days."""
    day = today + timedelta(days=365)
    day += timedelta(days=(SUNDAY - day.weekday()) % 7)
    return f"{day.isoformat()} 23:59:00"


if __name__ == "__main__":
    sys.stdout.write(shifted_start(date.today()) + "\n")
