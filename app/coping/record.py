"""Calm's part of the client's record (app/records.py): distress before and after, per strategy,
over the range's local days in the client's zone (one GROUP BY). The database sums whole numbers
and Python divides, so a mean is the same float as the client's own episode list gives."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import bindparam, func, select
from sqlmodel import Session, col
from sqlmodel import select as orm_select

from app import clock, prebuilt
from app.accounts.models import RecordKind, User
from app.coping.models import DistressEpisode
from app.records import BarFigure, ObservationData, RecordPart

_USES = func.count()
_BY_STRATEGY = (
    select(
        col(DistressEpisode.strategy_key),
        func.max(DistressEpisode.strategy_title),
        _USES,
        func.sum(DistressEpisode.before),
        func.sum(DistressEpisode.after),
    )
    .where(
        col(DistressEpisode.client_id) == bindparam("client_id"),
        col(DistressEpisode.started_at) >= bindparam("since"),
        col(DistressEpisode.started_at) < bindparam("until"),
    )
    .group_by(col(DistressEpisode.strategy_key))
    .order_by(_USES.desc(), func.max(DistressEpisode.strategy_title))
)


def by_strategy(
    session: Session, client: User, start: date, end: date
) -> list[tuple[str, float, float, int]]:
    """(title, mean before, mean after, uses) per strategy used on the range's local days."""
    zone = clock.zone(client.time_zone)
    since = datetime.combine(start, time(0), tzinfo=zone)
    until = datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone)
    rows = prebuilt.rows(session, _BY_STRATEGY, client_id=client.id, since=since, until=until)
    return [(t, int(b) / n, int(a) / n, int(n)) for _k, t, n, b, a in rows]


def record_part(
    *,
    session: Session,
    client: User,
    start: date,
    end: date,
    hidden: frozenset[RecordKind] = frozenset(),
) -> RecordPart | None:
    if RecordKind.calm in hidden:
        return None  # the client keeps their calm tool uses to themself
    items = by_strategy(session, client, start, end)
    return RecordPart(
        "coping",
        [
            BarFigure(
                key="distress",
                title="Distress before and after, per strategy (0 to 10)",
                items=items,
            )
        ],
    )


def observations(
    *,
    session: Session,
    client_id: uuid.UUID,
    start: date,
    end: date,
    time_zone: str,
    hidden: frozenset[RecordKind] = frozenset(),
) -> list[ObservationData]:
    """Each distress rating (before, with after as a component) started in [start, end] (local
    days), oldest first: the FHIR export's and the client's own download's Observations."""
    if RecordKind.calm in hidden:
        return []
    since = datetime.combine(start, time(0), tzinfo=clock.zone(time_zone)).astimezone(UTC)
    until = since + timedelta(days=(end - start).days + 1)
    episodes = session.exec(
        orm_select(DistressEpisode)
        .where(
            DistressEpisode.client_id == client_id,
            col(DistressEpisode.started_at) >= since,
            col(DistressEpisode.started_at) < until,
        )
        .order_by(col(DistressEpisode.started_at))
    ).all()
    return [
        ObservationData(
            e.id,
            "distress",
            e.before,
            e.started_at,
            components=[("after", e.after)],
            note=f"Before and after using: {e.strategy_title}",
        )
        for e in episodes
    ]
