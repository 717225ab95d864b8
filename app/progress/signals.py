"""Caseload signals from progress: an unacknowledged PHQ-9 item 9 answer above 0 is urgent; a
latest PHQ-9 / GAD-7 total in the highest range, or up 5 points or more since the previous
answer, asks the therapist to review (measurement-based care, app/progress/measures.py).

Two queries whatever the number of clients.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, func, select

from app.progress import measures
from app.progress.lazy import built, day, lazy_gettext
from app.progress.measures import URGENT_ITEM
from app.progress.models import MeasureResponse
from app.signals import ClientSignals, Flag

# Flag codes, one card each on the dashboard (several questionnaires join in one reason).
SCORE_FLAG_CODES = {"severe": "measure_severe", "rise": "measure_rise"}


def _joined(texts: tuple[str, ...]) -> str:
    """Several findings in one reason, each in the language of the render."""
    return built(lambda: "; ".join(str(t) for t in texts))


@dataclass(frozen=True, slots=True)
class RankedAnswer:
    """One of a client's latest two answers to a questionnaire (rank 1 = newest)."""

    client_id: uuid.UUID
    code: str
    total: int
    answered_at: datetime
    acknowledged_at: datetime | None
    rank: int


def _latest_two(session: Session, client_ids: Sequence[uuid.UUID]) -> list[RankedAnswer]:
    """Each client's latest two answers per questionnaire, newest first."""
    ranked = (
        sa_select(
            col(MeasureResponse.client_id),
            col(MeasureResponse.code),
            col(MeasureResponse.total),
            col(MeasureResponse.answered_at),
            col(MeasureResponse.acknowledged_at),
            func.row_number()
            .over(
                partition_by=(col(MeasureResponse.client_id), col(MeasureResponse.code)),
                order_by=(col(MeasureResponse.answered_at).desc(), col(MeasureResponse.id)),
            )
            .label("rn"),
        )
        .where(col(MeasureResponse.client_id).in_(client_ids))
        .subquery()
    )
    columns = (ranked.c.client_id, ranked.c.code, ranked.c.total, ranked.c.answered_at)
    stmt = (
        sa_select(*columns, ranked.c.acknowledged_at, ranked.c.rn)
        .where(ranked.c.rn <= 2)
        .order_by(ranked.c.client_id, ranked.c.code, ranked.c.rn)
    )
    return [RankedAnswer(*row) for row in session.execute(stmt).all()]


def score_flags(rows: Sequence[RankedAnswer]) -> dict[uuid.UUID, list[Flag]]:
    """Severe-total and rising-total flags from each client's latest two answers per
    questionnaire; a latest answer the therapist has marked as followed up raises none."""
    latest = {(r.client_id, r.code): r for r in rows if r.rank == 1}
    previous = {(r.client_id, r.code): r.total for r in rows if r.rank == 2}
    parts: dict[tuple[uuid.UUID, str], list[str]] = {}
    for key, answer in sorted(latest.items(), key=lambda item: item[0][1], reverse=True):
        if answer.acknowledged_at is not None:
            continue
        for flag in measures.score_flags(answer.code, answer.total, previous.get(key)):
            text = lazy_gettext("%(day)s: %(flag)s", day=day(answer.answered_at), flag=flag.text)
            parts.setdefault((answer.client_id, flag.kind), []).append(text)
    out: dict[uuid.UUID, list[Flag]] = {}
    for (client_id, kind), texts in parts.items():
        reason = lazy_gettext(
            "%(findings)s. Please review this with them.", findings=_joined(tuple(texts))
        )
        out.setdefault(client_id, []).append(Flag(SCORE_FLAG_CODES[kind], reason, "attention"))
    return out


def caseload_signals(
    *, session: Session, client_ids: Sequence[uuid.UUID], now: datetime
) -> dict[uuid.UUID, ClientSignals]:
    del now
    if not client_ids:
        return {}
    rows = _latest_two(session, client_ids)
    last: dict[uuid.UUID, datetime] = {}
    for r in rows:
        if r.rank == 1 and (r.client_id not in last or r.answered_at > last[r.client_id]):
            last[r.client_id] = r.answered_at
    urgent = session.exec(
        select(MeasureResponse.client_id, MeasureResponse.answers, MeasureResponse.answered_at)
        .where(
            col(MeasureResponse.client_id).in_(client_ids),
            col(MeasureResponse.urgent).is_(True),
            col(MeasureResponse.acknowledged_at).is_(None),
        )
        .order_by(col(MeasureResponse.answered_at))
    ).all()
    out = {cid: ClientSignals(last_activity_at=last.get(cid)) for cid in client_ids}
    for cid, answers, at in urgent:
        value = answers[URGENT_ITEM - 1] if len(answers) >= URGENT_ITEM else 0
        reason = lazy_gettext(
            "PHQ-9 item 9 answered %(answer)s of 3 on %(day)s: please contact them",
            answer=value,
            day=day(at),
        )
        out[cid].flags[:] = [f for f in out[cid].flags if f.code != "phq9_item9"]
        out[cid].flags.append(Flag("phq9_item9", reason, "urgent"))
    for cid, flags in score_flags(rows).items():
        out[cid].flags.extend(flags)
    return out
