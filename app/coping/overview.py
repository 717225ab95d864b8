"""Calm on the therapist's client page: a short summary and a link to the full view.

One aggregate query (count, means, times it stayed high) over the last two weeks' latest 500
episodes, instead of loading those episodes as objects to add them up in Python. The statement
is built once at import (building it cost more than running it) and is
run through Core (`session.connection()`, no ORM loading context for plain columns)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, case, func
from sqlmodel import Session, col, select

from app.accounts import policy
from app.accounts.models import RecordKind, User
from app.coping.models import DistressEpisode
from app.i18n import N_
from app.sections import OverviewSection

LIMIT = 500  # as before: the latest 500 episodes in the window at most

_RECENT = (
    select(DistressEpisode.before, DistressEpisode.after)
    .where(
        DistressEpisode.client_id == bindparam("client_id"),
        col(DistressEpisode.started_at) >= bindparam("since"),
    )
    .order_by(col(DistressEpisode.started_at).desc())
    .limit(LIMIT)
    .subquery()
)
_SUMMARY = select(
    func.count(),
    func.avg(_RECENT.c.before),
    func.avg(_RECENT.c.before - _RECENT.c.after),
    func.coalesce(func.sum(case((_RECENT.c.after >= 8, 1), else_=0)), 0),
)


def client_overview(*, session: Session, client: User, now: datetime) -> OverviewSection | None:
    count, mean_before, mean_drop, high = (
        session.connection()
        .execute(_SUMMARY, {"client_id": client.id, "since": now - timedelta(days=14)})
        .one()
    )
    if RecordKind.calm in policy.private_kinds(session, client.id):
        count, mean_before, mean_drop, high = 0, None, None, 0  # kept private: as if none
    return OverviewSection(
        key="calm",
        title=N_("Calm"),
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
