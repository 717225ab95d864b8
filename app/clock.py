"""The one place for "now", local days and time zones, so tests can fix the time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

_frozen: datetime | None = None


def now() -> datetime:
    """Current time, timezone-aware UTC."""
    return _frozen if _frozen is not None else datetime.now(UTC)


@contextmanager
def frozen_at(moment: datetime) -> Iterator[None]:
    """Fix "now" for a test or a scheduler replay; nests."""
    global _frozen
    previous, _frozen = _frozen, moment.astimezone(UTC)
    try:
        yield
    finally:
        _frozen = previous


def advance(delta: timedelta) -> None:
    """Move a frozen clock forward (tests only)."""
    global _frozen
    if _frozen is None:
        raise RuntimeError("advance() needs a frozen clock")
    _frozen += delta


def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_now(tz: str) -> datetime:
    return now().astimezone(ZoneInfo(tz))


def local_today(tz: str) -> date:
    """The client's calendar day, which is what "today" means everywhere in the app."""
    return local_now(tz).date()


def is_valid_zone(name: str) -> bool:
    return name in _zones()


_zone_cache: frozenset[str] | None = None


def _zones() -> frozenset[str]:
    global _zone_cache
    if _zone_cache is None:
        _zone_cache = frozenset(available_timezones())
    return _zone_cache


def sorted_zones() -> list[str]:
    return sorted(z for z in _zones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))


def week_start(day: date) -> date:
    """Monday of the week holding `day` (ISO weeks, as clinics plan by the week)."""
    return day - timedelta(days=day.weekday())
