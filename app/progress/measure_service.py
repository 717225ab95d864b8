"""PHQ-9 / GAD-7: the therapist schedules them, the client answers; item 9 above 0 is urgent."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta

from sqlmodel import Session, col, select

from app import clock
from app.accounts.models import User
from app.audit import service as audit
from app.errors import Conflict, NotFound, Unprocessable
from app.progress import measures
from app.progress.models import MeasureResponse, MeasureSchedule
from app.progress.schemas import ResponseCreate, ScheduleCreate
from app.web_security import Principal


def schedules(session: Session, client_id: uuid.UUID) -> Sequence[MeasureSchedule]:
    return session.exec(
        select(MeasureSchedule)
        .where(MeasureSchedule.client_id == client_id, col(MeasureSchedule.active).is_(True))
        .order_by(col(MeasureSchedule.code))
    ).all()


def schedule(
    session: Session, *, therapist: Principal, client: User, data: ScheduleCreate
) -> MeasureSchedule:
    """One active schedule per measure: scheduling again changes the interval and next date."""
    today = clock.local_today(client.time_zone)
    first = data.first_on or today
    if first < today or first > today + timedelta(days=90):
        raise Unprocessable(
            "The first date must be today or within the next 90 days.", field="first_on"
        )
    row = session.exec(
        select(MeasureSchedule).where(
            MeasureSchedule.client_id == client.id,
            MeasureSchedule.code == data.code,
            col(MeasureSchedule.active).is_(True),
        )
    ).first()
    if row is None:
        row = MeasureSchedule(
            client_id=client.id, code=data.code, created_by_id=therapist.id, next_due_on=first
        )
    row.every_days, row.next_due_on = data.every_days, first
    session.add(row)
    audit.add(session, actor=therapist.user, client_id=client.id, action="measure.schedule")
    session.commit()
    return row


def stop(session: Session, *, therapist: Principal, row: MeasureSchedule) -> MeasureSchedule:
    row.active = False
    session.add(row)
    audit.add(session, actor=therapist.user, client_id=row.client_id, action="measure.stop")
    session.commit()
    return row


def due(session: Session, *, client_id: uuid.UUID, today: date) -> Sequence[MeasureSchedule]:
    return session.exec(
        select(MeasureSchedule).where(
            MeasureSchedule.client_id == client_id,
            col(MeasureSchedule.active).is_(True),
            col(MeasureSchedule.next_due_on) <= today,
        )
    ).all()


def submit(
    session: Session, *, client: Principal, code: str, data: ResponseCreate
) -> MeasureResponse:
    """Score and store the answers; move the schedule on. Urgent answers are flagged at once on
    the therapist's dashboard (progress.signals) and recorded in the audit log."""
    if data.id is not None:
        existing = session.get(MeasureResponse, data.id)
        if existing is not None:
            if existing.client_id != client.id:
                raise Conflict("That id is already in use.")
            return existing
    today = clock.local_today(client.user.time_zone)
    row_schedule = session.exec(
        select(MeasureSchedule).where(
            MeasureSchedule.client_id == client.id,
            MeasureSchedule.code == code,
            col(MeasureSchedule.active).is_(True),
            col(MeasureSchedule.next_due_on) <= today,
        )
    ).first()
    if row_schedule is None:
        raise NotFound("This questionnaire is not due.")
    try:
        result = measures.score(code, list(data.answers))
    except measures.MeasureError as exc:
        raise Unprocessable(str(exc)) from None
    row = MeasureResponse(
        client_id=client.id,
        code=result.code,
        answers=list(result.answers),
        total=result.total,
        band=result.band.key,
        urgent=result.urgent,
        answered_at=clock.now(),
    )
    if data.id is not None:
        row.id = data.id
    row_schedule.next_due_on = today + timedelta(days=row_schedule.every_days)
    session.add_all([row, row_schedule])
    if result.urgent:
        audit.add(
            session,
            actor=client.user,
            client_id=client.id,
            action="measure.urgent",
            detail=f"{measures.get(code).name} item {measures.URGENT_ITEM} above 0",
        )
    session.commit()
    return row


def responses(
    session: Session, *, client_id: uuid.UUID, start: date | None = None, end: date | None = None
) -> Sequence[MeasureResponse]:
    stmt = select(MeasureResponse).where(MeasureResponse.client_id == client_id)
    rows = session.exec(stmt.order_by(col(MeasureResponse.answered_at))).all()
    return [
        r
        for r in rows
        if (start is None or r.answered_at.date() >= start)
        and (end is None or r.answered_at.date() <= end)
    ]


def acknowledge(session: Session, *, therapist: Principal, row: MeasureResponse) -> MeasureResponse:
    """The therapist has seen an urgent answer and acted: the dashboard flag clears."""
    row.acknowledged_at = clock.now()
    session.add(row)
    audit.add(session, actor=therapist.user, client_id=row.client_id, action="measure.acknowledge")
    session.commit()
    return row


def band_label(row: MeasureResponse) -> str:
    measure = measures.get(row.code)
    return measures.band_for(measure, row.total).label


def to_review(
    rows: Sequence[MeasureResponse],
) -> list[tuple[MeasureResponse, list[measures.ScoreFlag]]]:
    """Each questionnaire's latest answer whose total needs the therapist's review (highest range,
    or up 5+ since the previous answer) and is not yet marked as followed up. `rows` oldest
    first, as `responses` returns them; the same rule as the dashboard flag (progress.signals)."""
    by_code: dict[str, list[MeasureResponse]] = {}
    for row in rows:
        by_code.setdefault(row.code, []).append(row)
    out = []
    for answers in by_code.values():
        latest = answers[-1]
        previous = answers[-2].total if len(answers) > 1 else None
        flags = measures.score_flags(latest.code, latest.total, previous)
        if flags and latest.acknowledged_at is None:
            out.append((latest, flags))
    return out
