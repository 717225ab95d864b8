"""Caseload dashboard: sensory-diet adherence this local week and last, in a fixed number of queries."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.accounts.zones import client_zones
from app.i18n import N_
from app.sensory import diet
from app.sensory.diet_service import planned
from app.sensory.models import SensoryDietCheckoff, SensoryDietItem
from app.signals import Adherence, ClientSignals

LABEL = N_("Sensory diet")


def caseload_signals(
    *, session: Session, client_ids: Sequence[uuid.UUID], now: datetime
) -> dict[uuid.UUID, ClientSignals]:
    """Four queries whatever the caseload size: zones, items, recent check-offs, last activity."""
    ids = list(client_ids)
    if not ids:
        return {}
    zones = client_zones(session, ids)
    today = {cid: diet.local_day_of(now, ZoneInfo(tz)) for cid, tz in zones.items()}
    earliest = min(diet.week_start(d) for d in today.values()) - timedelta(days=7)
    items: dict[uuid.UUID, list[SensoryDietItem]] = defaultdict(list)
    for item in session.exec(
        select(SensoryDietItem).where(
            col(SensoryDietItem.client_id).in_(ids),
            (col(SensoryDietItem.ends_on).is_(None)) | (col(SensoryDietItem.ends_on) >= earliest),
        )
    ):
        items[item.client_id].append(item)
    checkoffs: dict[uuid.UUID, list[diet.CheckOff]] = defaultdict(list)
    for client_id, item_id, on in session.exec(
        select(
            col(SensoryDietCheckoff.client_id),
            col(SensoryDietCheckoff.item_id),
            col(SensoryDietCheckoff.done_on),
        ).where(
            col(SensoryDietCheckoff.client_id).in_(ids),
            col(SensoryDietCheckoff.done_on) >= earliest,
        )
    ):
        checkoffs[client_id].append(diet.CheckOff(item_id, on, "just_right"))
    last = dict(
        session.exec(
            select(SensoryDietCheckoff.client_id, func.max(SensoryDietCheckoff.created_at))
            .where(col(SensoryDietCheckoff.client_id).in_(ids))
            .group_by(col(SensoryDietCheckoff.client_id))
        ).all()
    )
    out: dict[uuid.UUID, ClientSignals] = {}
    for cid in ids:
        signals = ClientSignals(last_activity_at=last.get(cid))
        if cid in today and items.get(cid):
            plans = [planned(i) for i in items[cid]]
            week = diet.week_start(today[cid])
            now_week = diet.total_adherence(
                diet.adherence(plans, checkoffs[cid], week, today[cid]).values()
            )
            prev = diet.total_adherence(
                diet.adherence(
                    plans, checkoffs[cid], week - timedelta(days=7), week - timedelta(days=1)
                ).values()
            )
            signals.adherence[LABEL] = Adherence(
                planned=now_week.planned,
                done=now_week.done,
                planned_prev=prev.planned,
                done_prev=prev.done,
            )
        out[cid] = signals
    return out
