"""Caseload signals from progress: an unacknowledged PHQ-9 item 9 answer above 0 is urgent.

Two queries whatever the number of clients.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, func, select

from app.progress.measures import URGENT_ITEM
from app.progress.models import MeasureResponse
from app.signals import ClientSignals, Flag


def caseload_signals(
    *, session: Session, client_ids: Sequence[uuid.UUID], now: datetime
) -> dict[uuid.UUID, ClientSignals]:
    del now
    if not client_ids:
        return {}
    last = dict(session.exec(
        select(MeasureResponse.client_id, func.max(MeasureResponse.answered_at))
        .where(col(MeasureResponse.client_id).in_(client_ids))
        .group_by(col(MeasureResponse.client_id))
    ).all())  # fmt: skip
    urgent = session.exec(
        select(MeasureResponse.client_id, MeasureResponse.answers, MeasureResponse.answered_at)
        .where(col(MeasureResponse.client_id).in_(client_ids), col(MeasureResponse.urgent).is_(True),
               col(MeasureResponse.acknowledged_at).is_(None))
        .order_by(col(MeasureResponse.answered_at))
    ).all()  # fmt: skip
    out = {cid: ClientSignals(last_activity_at=last.get(cid)) for cid in client_ids}
    for cid, answers, at in urgent:
        value = answers[URGENT_ITEM - 1] if len(answers) >= URGENT_ITEM else 0
        reason = f"PHQ-9 item 9 answered {value} of 3 on {at:%d %b}: please contact them"
        out[cid].flags[:] = [f for f in out[cid].flags if f.code != "phq9_item9"]
        out[cid].flags.append(Flag("phq9_item9", reason, "urgent"))
    return out
