"""When a therapist's digest is due: their local send hour, worked out with zoneinfo.

The window is [send time, send time + 1 h) as UTC instants. On the spring-forward day a send hour
that does not exist locally (01:00 in London) is read with the offset before the change (PEP 495,
fold=0), so the window still happens (02:00–03:00 BST) instead of being skipped; on the fall-back
day the repeated hour uses its first occurrence, and the unique (therapist, day) claim stops a
second send in the repeat.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WINDOW = timedelta(hours=1)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):  # a bad stored zone never stops everyone's digest
        return ZoneInfo("UTC")


def send_window(day: date, hour: int, tz: str) -> tuple[datetime, datetime]:
    """The UTC instants between which `day`'s digest at local `hour` may go out."""
    start = datetime.combine(day, time(hour), tzinfo=zone(tz)).astimezone(UTC)
    return start, start + WINDOW


def due_day(now: datetime, hour: int, tz: str) -> date | None:
    """The local day whose digest is due at `now`, or None outside the send window."""
    local_day = now.astimezone(zone(tz)).date()
    # The window of the previous local day can reach past local midnight only for hour 23 across
    # a DST change; checking both days keeps that edge right without special cases.
    for day in (local_day, local_day - timedelta(days=1)):
        start, end = send_window(day, hour, tz)
        if start <= now < end:
            return day
    return None
