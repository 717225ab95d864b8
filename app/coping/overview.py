"""Calm on the therapist's client page: a short summary and a link to the full view.

One aggregate query (count, means, times it stayed high) over the last two weeks' latest 500
episodes, instead of loading those episodes as objects to add them up in Python."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from app.accounts.models import User
from app.coping.models import DistressEpisode
from app.home.sections import OverviewSection

LIMIT = 500  # as before: the latest 500 episodes in the window at most


def client_overview(*, session: Session, client: User, now: datetime) -> OverviewSection | None:
    recent = (
        select(DistressEpisode.before, DistressEpisode.after)
        .where(DistressEpisode.client_id == client.id,
               col(DistressEpisode.started_at) >= now - timedelta(days=14))
        .order_by(col(DistressEpisode.started_at).desc())
        .limit(LIMIT)
        .subquery()
    )  # fmt: skip
    count, mean_before, mean_drop, high = session.exec(
        select(
            func.count(),
            func.avg(recent.c.before),
            func.avg(recent.c.before - recent.c.after),
            func.coalesce(func.sum(case((recent.c.after >= 8, 1), else_=0)), 0),
        )
    ).one()
    return OverviewSection(
        key="calm",
        title="Calm",
        template="coping/_overview.html",
        context={
            "client_id": client.id,
            "count": int(count),
            "mean_before": round(float(mean_before), 1) if count else None,
            "mean_drop": round(float(mean_drop), 1) if count else None,
            "high": int(high),
        },
        order=40,
    )
