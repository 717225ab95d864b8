"""Each client's dashboard signals, kept between requests and validated against the database.

A cached entry is used only when its key still matches: the client's data version
(`app/data_version.py`, changed in the same transaction as any write to the rows these signals
read), time zone, and the days that the signals' windows depend on (the client's local day, the
UTC day, and the local day by the app clock, which homework reads directly). So a new check-in
shows on the very next request, from any worker, and "this week" rolls over at the client's
midnight. The in-process store only saves work; the truth is always the version in the database.

Only the domains in `CACHED_DOMAINS` are cached: their signals depend on nothing but the client's
rows in watched tables (each marked `data_version.watched()` in its model), the zone and those
days. A domain whose answer also changes with time alone says until when it holds
(`signals_valid_until` in its signals module: calm counts episodes in rolling 7×24 h windows, so
its answer expires when the oldest episode of either week crosses a window edge), read with the
recomputation. Reminders (failures in the last 7 days to the
second, devices gone) and any domain not listed are asked afresh for the whole caseload on every
request (a few statements). The rows and flags are derived from the signals by `flags`, and
derived again only when a client's signals or days without activity change (`row_memo`).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache as cache_function
from types import ModuleType
from zoneinfo import ZoneInfo

from sqlmodel import Session

from app import clock
from app.accounts.zones import shared_zones
from app.domains import plugins
from app.lru import Lru
from app.signals import ClientSignals

log = logging.getLogger(__name__)

CACHED_DOMAINS: frozenset[str] = frozenset(
    {"routines", "self_care", "coping", "sensory", "homework", "progress"}
)
MAX_ENTRIES = 4096  # clients; an entry is a few kB, a caseload is ~60


@dataclass(frozen=True, slots=True)
class CaseClient:
    """A caseload member as the caseload statement reads it."""

    id: uuid.UUID
    name: str
    time_zone: str
    version: int | None


@dataclass(frozen=True, slots=True)
class _Key:
    scope: str  # the database, so two databases in one process (tests) never share an entry
    domains: tuple[str, ...]  # the cached domains an entry holds, in its order
    version: int | None
    zone: str
    local_day: date
    utc_day: date
    clock_day: date


Signals = tuple[ClientSignals | None, ...]  # one client's signals, one per domain in domain order
Entry = Signals  # the cached domains' part of it, in the same order


@dataclass(frozen=True, slots=True)
class _Stored:
    key: _Key
    entry: Entry
    computed_at: datetime
    valid_until: datetime | None  # a rolling window's next edge; None: only the key matters


class RowCache:
    """A bounded, thread-safe LRU of client id → the cached domains' signals and their key."""

    def __init__(self, size: int = MAX_ENTRIES) -> None:
        self._items: Lru[uuid.UUID, _Stored] = Lru(size)

    def get(self, client_id: uuid.UUID, key: _Key, now: datetime) -> Entry | None:
        return self.get_many([client_id], [key], now)[0]

    def get_many(
        self, client_ids: Sequence[uuid.UUID], keys: Sequence[_Key], now: datetime
    ) -> list[Entry | None]:
        """Each client's entry where its key still matches and its window has not moved, in
        order (the store is asked once for a whole caseload)."""
        return [
            found.entry
            if found is not None
            and found.key == key
            and found.computed_at <= now
            and (found.valid_until is None or now <= found.valid_until)
            else None
            for found, key in zip(self._items.get_many(client_ids), keys, strict=True)
        ]

    def put(self, client_id: uuid.UUID, stored: _Stored) -> None:
        self._items.put(client_id, stored)

    def put_many(self, pairs: Sequence[tuple[uuid.UUID, _Stored]]) -> None:
        self._items.put_many(pairs)

    def clear(self) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)

    @property
    def size(self) -> int:
        """How many clients it holds at most."""
        return self._items.size


CACHE = RowCache()


def _scope(session: Session) -> str:
    bind = session.get_bind()
    return bind.engine.url.render_as_string(hide_password=True)


def _key(scope: str, client: CaseClient, now: datetime, clock_now: datetime) -> _Key:
    return _keys(scope, [client], now, clock_now)[0]


def _keys(
    scope: str, clients: Sequence[CaseClient], now: datetime, clock_now: datetime
) -> list[_Key]:
    """Each client's key; the local days are worked out once per time zone (a caseload of 200
    usually lives in a handful)."""
    utc_day, domains = now.date(), _cached_domains()
    days: dict[str, tuple[date, date]] = {}
    keys: list[_Key] = []
    for client in clients:
        zone = client.time_zone
        local = days.get(zone)
        if local is None:
            tz = ZoneInfo(zone)
            local = days[zone] = (now.astimezone(tz).date(), clock_now.astimezone(tz).date())
        keys.append(_Key(scope, domains, client.version, zone, local[0], utc_day, local[1]))
    return keys


def collect(
    session: Session, clients: Sequence[CaseClient], now: datetime, *, cache: RowCache = CACHE
) -> list[dict[uuid.UUID, ClientSignals]]:
    """Every domain's signals for these clients, one map per domain in domain order (as
    `dashboard.collect`, the uncached reference): `signals_by_client` turned around."""
    by_client = signals_by_client(session, clients, now, cache=cache)
    if not by_client:
        return []
    return [
        {
            c.id: one
            for c, signals in zip(clients, by_client, strict=True)
            if (one := signals[d]) is not None
        }
        for d in range(len(by_client[0]))
    ]


def signals_by_client(
    session: Session, clients: Sequence[CaseClient], now: datetime, *, cache: RowCache = CACHE
) -> list[Signals]:
    """Each client's signals, one per domain in domain order (None: that domain said nothing or
    failed), aligned with `clients`: cached domains from the cache where the key matches,
    recomputed set-based for the stale clients only; the other domains for everyone.

    Built column by column (a domain's answer for every client) and turned into rows once, so a
    200-client caseload costs no per-client dictionaries (issue #19)."""
    if not clients:
        return []
    ids = [c.id for c in clients]
    keys = _keys(_scope(session), clients, now, clock.now())
    entries = cache.get_many(ids, keys, now)
    stale = [cid for cid, entry in zip(ids, entries, strict=True) if entry is None]
    columns: list[list[ClientSignals | None]] = []
    computed: list[dict[uuid.UUID, ClientSignals]] = []  # the cached domains', stale clients
    failed = False
    expiry: dict[uuid.UUID, datetime] = {}
    nothing: list[ClientSignals | None] = [None] * len(ids)
    with shared_zones(session, ids, zones={c.id: c.time_zone for c in clients}):
        for domain, module in _signal_modules():
            provider = getattr(module, "caseload_signals", None)
            if provider is None:
                continue
            cached = domain in CACHED_DOMAINS
            asked = stale if cached else ids
            try:
                answer = provider(session=session, client_ids=asked, now=now) if asked else {}
                valid_until = getattr(module, "signals_valid_until", None)
                if valid_until is not None and asked:
                    for cid, edge in valid_until(
                        session=session, client_ids=asked, now=now
                    ).items():
                        expiry[cid] = min(edge, expiry.get(cid, edge))
            except Exception:  # one domain's bug must not hide every other flag from the therapist
                log.exception("caseload signals failed", extra={"domain": domain})
                session.rollback()
                failed = failed or cached
                columns.append(nothing)
                if cached:
                    computed.append({})  # keeps the later cached domains in their places
                continue
            if not cached:
                columns.append([answer.get(cid) for cid in ids])
                continue
            at = len(computed)  # this domain's place in a cached entry
            computed.append(answer)
            columns.append(
                [
                    answer.get(cid) if entry is None else entry[at]
                    for cid, entry in zip(ids, entries, strict=True)
                ]
            )
    if not failed and stale:  # a failed domain's absence must not be remembered as "no signals"
        cache.put_many(
            [
                (
                    cid,
                    _Stored(key, tuple([part.get(cid) for part in computed]), now, expiry.get(cid)),
                )
                for cid, key, entry in zip(ids, keys, entries, strict=True)
                if entry is None
            ]
        )
    if not columns:  # no domain gives signals: every client has an empty tuple
        return [() for _ in ids]
    return list(zip(*columns, strict=True))


def _cached_domains() -> tuple[str, ...]:
    """The cached domains with a provider, in domain order: the layout of a cached entry."""
    return _layout(CACHED_DOMAINS)


@cache_function
def _layout(cached: frozenset[str]) -> tuple[str, ...]:
    return tuple(
        domain
        for domain, module in _signal_modules()
        if domain in cached and hasattr(module, "caseload_signals")
    )


@cache_function
def _signal_modules() -> tuple[tuple[str, ModuleType], ...]:
    """Every domain's signals module, found once (`plugins` asks importlib on each call); the
    provider itself is looked up on each request."""
    return tuple(plugins("signals"))
