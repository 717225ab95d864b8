"""Calm behaviour: episodes (idempotent, summaries kept current on write), toolbox, ranking.

Writes commit once, at the end, before returning. No FastAPI here.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Integer, Select, Uuid, bindparam, cast, func, literal, or_, union_all
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app import clock
from app.accounts.models import User
from app.coping import catalog
from app.coping.models import (
    CustomStrategy,
    DistressEpisode,
    StrategyStats,
    ToolboxEntry,
)
from app.coping.ranking import FitLike, Ranked, Situation, Toolbox, Usage, rank
from app.errors import NotFound, Unprocessable
from app.i18n import N_
from app.sensory import fit_cache
from app.sensory import service as sensory_service
from app.sensory.models import SensoryFitCache, SensoryKit, SensoryProfileVersion
from app.sensory.vocabulary import SensoryFit


@dataclass(frozen=True)
class EpisodeInput:
    id: uuid.UUID
    strategy_key: str
    before: int
    after: int
    seconds: int
    started_at: datetime
    place: str | None = None
    minutes_available: int | None = None


def record_episode(*, session: Session, client: User, data: EpisodeInput) -> DistressEpisode:
    """Store one episode and fold it into the client's per-strategy summary.

    The phone makes the id, so a replay after a lost answer returns the stored row unchanged and
    the summary is counted once.
    """
    existing = session.get(DistressEpisode, data.id)
    if existing is not None:
        if existing.client_id != client.id:
            raise NotFound()
        return existing
    view = catalog.find(session, client, data.strategy_key)
    if view is None:
        raise Unprocessable(N_("That strategy is not available."))
    now = clock.now()
    started = min(data.started_at, now)
    if started < now - timedelta(days=60):
        raise Unprocessable(N_("That episode is too old to record."))
    episode = DistressEpisode(
        id=data.id,
        client_id=client.id,
        strategy_key=data.strategy_key,
        strategy_title=view["title"],
        before=data.before,
        after=data.after,
        seconds=data.seconds,
        place=data.place,
        minutes_available=data.minutes_available,
        started_at=started,
        created_at=now,
    )
    session.add(episode)
    stats = session.get(StrategyStats, (client.id, data.strategy_key))
    if stats is None:
        stats = StrategyStats(client_id=client.id, strategy_key=data.strategy_key)
        session.add(stats)
    stats.uses += 1
    stats.helped += int(data.after < data.before)
    stats.sum_before += data.before
    stats.sum_after += data.after
    stats.last_used_at = max(started, stats.last_used_at) if stats.last_used_at else started
    try:
        session.commit()
    except IntegrityError:
        # The same replay arrived twice at once: the other request stored it.
        session.rollback()
        stored = session.get(DistressEpisode, data.id)
        if stored is None or stored.client_id != client.id:
            raise
        return stored
    return episode


def usage(session: Session, client_id: uuid.UUID) -> dict[str, Usage]:
    """The client's per-strategy summaries: one light query over at most one row per strategy."""
    rows = session.execute(
        sa_select(
            col(StrategyStats.strategy_key),
            col(StrategyStats.uses),
            col(StrategyStats.helped),
            col(StrategyStats.sum_before),
            col(StrategyStats.sum_after),
        ).where(col(StrategyStats.client_id) == client_id, col(StrategyStats.uses) > 0)
    )
    return {
        key: Usage(uses=uses, mean_drop=(before - after) / uses, helped=helped)
        for key, uses, helped, before, after in rows
    }


def sensory_fit(session: Session, client_id: uuid.UUID) -> FitLike:
    """Seam 6, computed from scratch: the sensory domain's view of the client (what they seek,
    avoid, and have at hand). The ranked list reads the cached copy instead (`client_fit`)."""
    fit: FitLike = sensory_service.ranking_fit(session=session, client_id=client_id)
    return fit


def client_fit(session: Session, client_id: uuid.UUID) -> FitLike:
    """The cached fit when it is current, else computed from scratch (one light query when cached)."""
    row = session.execute(
        sa_select(
            col(SensoryFitCache.seeks),
            col(SensoryFitCache.avoids),
            col(SensoryFitCache.overwhelmed),
            col(SensoryFitCache.kit),
            col(SensoryFitCache.checklist_version),
        ).where(col(SensoryFitCache.client_id) == client_id)
    ).first()
    if row is not None and row[4] == fit_cache.current_version():
        return fit_cache.from_columns(*row[:4])
    return sensory_fit(session, client_id)


def seed_for(client: User | None) -> str:
    """Variety changes day by day (in the client's zone) but is stable within a day."""
    if client is None:
        return clock.now().date().isoformat()
    return f"{client.id}:{clock.local_today(client.time_zone).isoformat()}"


@dataclass(frozen=True)
class Suggestion:
    strategy: catalog.StrategyView
    ranked: Ranked
    note: str = ""


def suggestions(
    *, session: Session, client: User | None, situation: Situation, limit: int = 5
) -> list[Suggestion]:
    """Ranked strategies for the flow. Logged out (client None): level and context only."""
    if client is None:
        by_id = catalog.builtin_by_id()
        anonymous = rank(catalog.builtin_candidates(), situation, seed=seed_for(None), limit=limit)
        return [Suggestion(by_id[r.id], r) for r in anonymous]
    rows = _input_rows(session, client)
    inputs = _parse_inputs(rows)
    by_id = catalog.builtin_by_id()
    fit = inputs.fit
    if fit is None:  # sensory data written around the sensory service: derive it (rare)
        fit = sensory_fit(session, client.id)
    if inputs.has_custom or inputs.fit is None:
        cands = list(catalog.builtin_candidates())
        if inputs.has_custom:
            own = [v for v in catalog.catalog(session, client) if v["custom"]]
            cands += [catalog.candidate(v) for v in own]
            by_id = by_id | {v["id"]: v for v in own}
        result: Sequence[Ranked] = rank(
            cands,
            situation,
            usage=inputs.usage,
            toolbox=inputs.toolbox,
            fit=fit,
            seed=seed_for(client),
            limit=limit,
        )
    else:
        result = _rank_builtin(rows, situation, seed_for(client), limit)
    return [Suggestion(by_id[r.id], r, inputs.notes.get(r.id, "")) for r in result]


@lru_cache(maxsize=4096)
def _rank_builtin(
    rows: tuple[tuple[Any, ...], ...], situation: Situation, seed: str, limit: int
) -> tuple[Ranked, ...]:
    """Memoised ranking over the built-in library. A pure function of its key: `rows` are every
    database input (summaries, toolbox, notes, cached fit), the library is fixed for the process
    and the seed carries the client and their day, so a repeat of the same request (a client
    moving through the flow) skips re-scoring. Not used when the client has custom strategies."""
    inputs = _parse_inputs(rows)
    return tuple(
        rank(
            catalog.builtin_candidates(),
            situation,
            usage=inputs.usage,
            toolbox=inputs.toolbox,
            fit=inputs.fit,
            seed=seed,
            limit=limit,
        )
    )


def _inputs_statement() -> Any:
    """Built once: summaries, toolbox flags, a count of custom strategies, the cached sensory fit
    and whether any sensory data exists (so a missing cache row needs no further query), as one
    UNION ALL. Columns: src, key, four ints, three texts."""
    cid, org = bindparam("client_id", type_=Uuid()), bindparam("org_id", type_=Uuid())
    empty = literal("")
    # The first part names and types the union's columns (src, key, four ints, three texts).
    stats: Select[str, str, int, int, int, int, str, str, str] = sa_select(
        literal("s").label("src"),
        col(StrategyStats.strategy_key).label("key"),
        col(StrategyStats.uses),
        col(StrategyStats.helped),
        col(StrategyStats.sum_before),
        col(StrategyStats.sum_after),
        empty.label("t1"),
        empty.label("t2"),
        empty.label("t3"),
    ).where(col(StrategyStats.client_id) == cid, col(StrategyStats.uses) > 0)
    box = sa_select(
        literal("t"),
        col(ToolboxEntry.strategy_key),
        cast(col(ToolboxEntry.favourite), Integer),
        cast(col(ToolboxEntry.hidden), Integer),
        cast(col(ToolboxEntry.recommended), Integer),
        literal(0),
        col(ToolboxEntry.note),
        empty,
        empty,
    ).where(col(ToolboxEntry.client_id) == cid)
    owners = or_(
        col(CustomStrategy.client_id) == cid,
        (col(CustomStrategy.organisation_id) == org) & col(CustomStrategy.client_id).is_(None),
    )
    custom = sa_select(
        literal("c"), empty, func.count(), literal(0), literal(0), literal(0), empty, empty, empty
    ).where(owners, col(CustomStrategy.archived_at).is_(None))
    fit = sa_select(
        literal("f"),
        col(SensoryFitCache.seeks),
        col(SensoryFitCache.checklist_version),
        literal(0),
        literal(0),
        literal(0),
        col(SensoryFitCache.avoids),
        col(SensoryFitCache.overwhelmed),
        col(SensoryFitCache.kit),
    ).where(col(SensoryFitCache.client_id) == cid)
    kits = (
        sa_select(func.count())
        .select_from(SensoryKit)
        .where(col(SensoryKit.client_id) == cid)
        .scalar_subquery()
    )
    profiles = (
        sa_select(func.count())
        .select_from(SensoryProfileVersion)
        .where(col(SensoryProfileVersion.client_id) == cid)
        .scalar_subquery()
    )
    presence = sa_select(
        literal("x"), empty, kits, profiles, literal(0), literal(0), empty, empty, empty
    )
    return union_all(stats, box, custom, fit, presence)


_INPUTS = _inputs_statement()


@dataclass(frozen=True)
class RankingInputs:
    usage: dict[str, Usage]
    toolbox: Toolbox
    notes: dict[str, str]
    has_custom: bool
    fit: FitLike | None  # None: sensory data but no current cache row (compute from scratch)
    has_sensory: bool = False


def _input_rows(session: Session, client: User) -> tuple[tuple[Any, ...], ...]:
    params = {"client_id": client.id, "org_id": client.organisation_id}
    return tuple(tuple(r) for r in session.connection().execute(_INPUTS, params))


@lru_cache(maxsize=1024)
def _parse_inputs(rows: tuple[tuple[Any, ...], ...]) -> RankingInputs:
    """Rows of `_INPUTS` into plain values (pure; memoised, so treat the result as read-only)."""
    found: dict[str, Usage] = {}
    flags: dict[str, tuple[bool, bool, bool]] = {}
    notes: dict[str, str] = {}
    has_custom = False
    fit: FitLike | None = None
    has_sensory = False
    for src, key, a, b, c, d, t1, t2, t3 in rows:
        if src == "s":
            found[key] = Usage(uses=a, mean_drop=(c - d) / a, helped=b)
        elif src == "t":
            flags[key] = (bool(a), bool(b), bool(c))
            if c:
                notes[key] = t1
        elif src == "c":
            has_custom = a > 0
        elif src == "f":
            if a == fit_cache.current_version():
                fit = fit_cache.from_columns(key, t1, t2, t3)
        else:
            has_sensory = bool(a or b)
    if fit is None and not has_sensory:
        fit = SensoryFit()  # no profile, no kit: nothing to cache, nothing to compute
    toolbox = Toolbox(
        favourites=frozenset(k for k, f in flags.items() if f[0]),
        hidden=frozenset(k for k, f in flags.items() if f[1]),
        recommended=frozenset(k for k, f in flags.items() if f[2]),
    )
    return RankingInputs(found, toolbox, notes, has_custom, fit, has_sensory)


def ranking_inputs(session: Session, client: User) -> RankingInputs:
    """Summaries, toolbox, whether custom strategies exist and the sensory fit, in ONE round trip:
    the ranked list is on the distress path and must stay fast for a client with thousands of
    episodes. The fit comes from the cache; only a client whose sensory data was written around
    the sensory service (demo seeding) or under an older checklist costs two more queries."""
    inputs = _parse_inputs(_input_rows(session, client))
    if inputs.fit is not None:
        return inputs
    fit = sensory_fit(session, client.id)
    return RankingInputs(
        inputs.usage, inputs.toolbox, inputs.notes, inputs.has_custom, fit, inputs.has_sensory
    )


def recent_episodes(
    session: Session, *, client_id: uuid.UUID, since: datetime | None = None, limit: int = 200
) -> list[DistressEpisode]:
    stmt = select(DistressEpisode).where(DistressEpisode.client_id == client_id)
    if since is not None:
        stmt = stmt.where(col(DistressEpisode.started_at) >= since)
    stmt = stmt.order_by(col(DistressEpisode.started_at).desc()).limit(limit)
    return list(session.exec(stmt))


@dataclass(frozen=True)
class Effectiveness:
    strategy_key: str
    title: str
    uses: int
    mean_before: float
    mean_after: float
    mean_drop: float


def effectiveness(
    session: Session, *, client: User, titles: dict[str, str] | None = None
) -> list[Effectiveness]:
    """Per-strategy table for the therapist, from the summaries (no scan of episodes). Pass the
    `titles` a caller already has to skip loading the catalog again."""
    rows = session.execute(
        sa_select(
            col(StrategyStats.strategy_key),
            col(StrategyStats.uses),
            col(StrategyStats.sum_before),
            col(StrategyStats.sum_after),
        ).where(col(StrategyStats.client_id) == client.id, col(StrategyStats.uses) > 0)
    ).all()
    if titles is None:
        titles = {v["id"]: v["title"] for v in catalog.catalog(session, client)}
    out = [
        Effectiveness(
            key,
            titles.get(key, "A strategy that was removed"),
            uses,
            round(before / uses, 1),
            round(after / uses, 1),
            round((before - after) / uses, 1),
        )
        for key, uses, before, after in rows
    ]
    return sorted(out, key=lambda e: (-e.uses, e.title))
