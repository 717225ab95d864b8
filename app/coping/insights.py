"""What the therapist sees of a client's Calm use: episode chart data, overview line, signals.

Signals answer for a whole caseload in one query (no N+1): episodes of the last two weeks.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from markupsafe import Markup
from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app.accounts import policy
from app.accounts.models import RecordKind
from app.coping.models import DistressEpisode
from app.i18n import lazy_text
from app.signals import ClientSignals, DistressSummary, Flag

HIGH = 8
RISE = 1.5  # points of mean "before" distress, week on week


@dataclass(frozen=True)
class ChartPoint:
    x: float
    before_y: float
    after_y: float
    label: str


def chart(
    episodes: Sequence[DistressEpisode], *, width: int = 320, height: int = 160
) -> list[ChartPoint]:
    """Oldest on the left; 0–10 mapped to the height (10 at the top)."""
    ordered = sorted(episodes, key=lambda e: e.started_at)
    n = len(ordered)
    step = (width - 20) / max(1, n - 1)
    scale = (height - 20) / 10
    return [
        ChartPoint(
            x=10 + i * step if n > 1 else width / 2,
            before_y=10 + (10 - e.before) * scale,
            after_y=10 + (10 - e.after) * scale,
            label=f"{e.strategy_title}: {e.before} to {e.after}",
        )
        for i, e in enumerate(ordered)
    ]


@dataclass(frozen=True)
class EpisodeLine:
    """One row of the therapist's episode table (only the columns it shows)."""

    started_at: datetime
    strategy_title: str
    before: int
    after: int


@dataclass(frozen=True)
class RecentEpisodes:
    """The chart (all episodes of the window, as ready SVG) and one page of the table."""

    count: int
    chart_svg: Markup
    page: list[EpisodeLine]
    page_number: int
    pages: int


PAGE_SIZE = 25


def recent_for_therapist(
    session: Session,
    client_id: uuid.UUID,
    *,
    since: datetime,
    page: int = 1,
    limit: int = 300,
    width: int = 320,
    height: int = 160,
) -> RecentEpisodes:
    """One light query (four columns, no ORM objects) feeds both the chart and the table page.

    The chart markup is built here rather than in the template: a month of episodes is hundreds
    of SVG elements, and formatting them in Jinja (a filter call per coordinate) was most of the
    page's cost. Coordinates are formatted exactly as the template's `round(1)` did."""
    rows = session.execute(
        sa_select(
            col(DistressEpisode.started_at),
            col(DistressEpisode.strategy_title),
            col(DistressEpisode.before),
            col(DistressEpisode.after),
        )
        .where(col(DistressEpisode.client_id) == client_id)
        .where(col(DistressEpisode.started_at) >= since)
        .where(col(DistressEpisode.client_id).not_in(policy.private_clients(RecordKind.calm)))
        .order_by(col(DistressEpisode.started_at).desc())
        .limit(limit)
    ).all()
    n = len(rows)
    step = (width - 20) / max(1, n - 1)
    scale = (height - 20) / 10
    parts = []
    for i, (_, _, before, after) in enumerate(reversed(rows)):  # oldest on the left
        x = round(10 + i * step if n > 1 else width / 2, 1)
        by, ay = round(10 + (10 - before) * scale, 1), round(10 + (10 - after) * scale, 1)
        parts.append(
            f'<line x1="{x}" y1="{by}" x2="{x}" y2="{ay}" class="drop"/>'
            f'<circle cx="{x}" cy="{by}" r="3.5" class="before"/>'
            f'<circle cx="{x}" cy="{ay}" r="3.5" class="after"/>'
        )
    pages = max(1, -(-n // PAGE_SIZE))
    page = min(max(1, page), pages)
    start = (page - 1) * PAGE_SIZE
    return RecentEpisodes(
        count=n,
        chart_svg=Markup("\n".join(parts)),
        page=[EpisodeLine(*r) for r in rows[start : start + PAGE_SIZE]],
        page_number=page,
        pages=pages,
    )


def caseload_signals(
    *, session: Session, client_ids: Sequence[uuid.UUID], now: datetime
) -> dict[uuid.UUID, ClientSignals]:
    if not client_ids:
        return {}
    week, fortnight = now - timedelta(days=7), now - timedelta(days=14)
    rows = session.exec(
        select(
            DistressEpisode.client_id,
            DistressEpisode.before,
            DistressEpisode.after,
            DistressEpisode.started_at,
        ).where(
            col(DistressEpisode.client_id).in_(list(client_ids)),
            col(DistressEpisode.started_at) >= fortnight,
            # Calm tool uses the client keeps private raise no signal for the therapist.
            col(DistressEpisode.client_id).not_in(policy.private_clients(RecordKind.calm)),
        )
    )
    this: dict[uuid.UUID, list[tuple[int, int, datetime]]] = defaultdict(list)
    prev: dict[uuid.UUID, list[int]] = defaultdict(list)
    for client_id, before, after, at in rows:
        if at >= week:
            this[client_id].append((before, after, at))
        else:
            prev[client_id].append(before)
    out: dict[uuid.UUID, ClientSignals] = {}
    for cid in set(this) | set(prev):
        now_eps, prev_b = this.get(cid, []), prev.get(cid, [])
        befores = [b for b, _, _ in now_eps]
        mean = sum(befores) / len(befores) if befores else None
        mean_prev = sum(prev_b) / len(prev_b) if prev_b else None
        flags = []
        still_high = [a for _, a, _ in now_eps if a >= HIGH]
        if still_high:
            flags.append(
                Flag(
                    "calm_still_high",
                    lazy_text(
                        "Distress stayed at %(high)s or more after a calming strategy "
                        "(%(times)s× this week)",
                        high=HIGH,
                        times=len(still_high),
                    ),
                    "urgent",
                )
            )
        elif any(b >= HIGH for b in befores):
            flags.append(
                Flag(
                    "calm_high",
                    lazy_text("Distress reached %(level)s this week", level=max(befores)),
                    "attention",
                )
            )
        if (
            mean is not None
            and mean_prev is not None
            and len(befores) >= 2
            and mean - mean_prev >= RISE
        ):
            flags.append(
                Flag(
                    "calm_rising",
                    lazy_text(
                        "Distress is rising: %(before)s → %(now)s on average before calming",
                        before=round(mean_prev, 1),
                        now=round(mean, 1),
                    ),
                    "attention",
                )
            )
        last = max((at for _, _, at in now_eps), default=None)
        out[cid] = ClientSignals(
            last_activity_at=last,
            distress=DistressSummary(
                episodes=len(now_eps),
                episodes_prev=len(prev_b),
                mean_before=round(mean, 1) if mean is not None else None,
                mean_before_prev=round(mean_prev, 1) if mean_prev is not None else None,
                max_before=max(befores) if befores else None,
            ),
            flags=flags,
        )
    return out


def signals_valid_until(
    *, session: Session, client_ids: Sequence[uuid.UUID], now: datetime
) -> dict[uuid.UUID, datetime]:
    """When each client's calm signals next change with no new data (the dashboard's row cache
    keeps an answer until then): the oldest episode of this week leaves it 7×24 h after it started,
    the oldest of last week leaves the fortnight 14×24 h after. An episode is in a window while
    `started_at >= now - window`, so an answer holds while now <= that edge."""
    week_window = timedelta(days=7)
    week, fortnight = now - week_window, now - 2 * week_window
    started = col(DistressEpisode.started_at)
    rows = session.execute(
        sa_select(
            col(DistressEpisode.client_id),
            func.min(started).filter(started >= week),
            func.min(started).filter(started < week),
        )
        .where(col(DistressEpisode.client_id).in_(list(client_ids)), started >= fortnight)
        .group_by(col(DistressEpisode.client_id))
    ).all()
    out: dict[uuid.UUID, datetime] = {}
    for cid, oldest_this, oldest_last in rows:
        edges = [
            at + window
            for at, window in ((oldest_this, week_window), (oldest_last, 2 * week_window))
            if at is not None
        ]
        out[cid] = min(edges)
    return out
