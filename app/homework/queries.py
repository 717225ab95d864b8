"""Reading homework: lists for the client and therapist, one item with its thread, notices."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime

from sqlmodel import Session, col, func, select

from app.accounts import policy
from app.homework import service
from app.homework.models import (
    HomeworkAssignment,
    HomeworkAttachment,
    HomeworkCompletion,
    HomeworkMessage,
    HomeworkNotice,
)
from app.homework.schemas import AssignmentPublic
from app.homework.states import FHIR_STATUS, LABELS, Role, State, allowed_actions

ACTIVE = [s.value for s in service.OPEN_STATES]


def for_client(
    session: Session, client_id: uuid.UUID, *, include_closed: bool = True
) -> Sequence[HomeworkAssignment]:
    stmt = select(HomeworkAssignment).where(HomeworkAssignment.client_id == client_id)
    if not include_closed:
        stmt = stmt.where(col(HomeworkAssignment.state).in_(ACTIVE))
    return session.exec(
        stmt.order_by(col(HomeworkAssignment.due_on), col(HomeworkAssignment.created_at))
    ).all()


def attachment_ids(session: Session, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    if not ids:
        return set()
    rows = session.exec(
        select(HomeworkAttachment.assignment_id).where(
            col(HomeworkAttachment.assignment_id).in_(ids)
        )
    ).all()
    return set(rows)


def attachment(session: Session, assignment_id: uuid.UUID) -> HomeworkAttachment | None:
    return session.exec(
        select(HomeworkAttachment).where(HomeworkAttachment.assignment_id == assignment_id)
    ).first()


def closed_ids(
    session: Session, client_id: uuid.UUID, rows: Sequence[HomeworkAssignment]
) -> set[uuid.UUID]:
    """The client's assignments set by a therapist who no longer cares for them (one query)."""
    caring = set(policy.therapist_ids_for(session, client_id))
    return {a.id for a in rows if a.therapist_id not in caring}


def public(
    a: HomeworkAssignment, *, role: Role, has_attachment: bool, closed: bool = False
) -> AssignmentPublic:
    """`closed`: the care link with the therapist who set it has ended, so the client can no
    longer act on it (what they write would reach the former therapist)."""
    state = State(a.state)
    return AssignmentPublic(
        id=a.id,
        client_id=a.client_id,
        kind=a.kind,
        kind_label=service.kind_label(a.kind),
        title=a.title,
        instructions=a.instructions,
        details=dict(a.details),
        frequency=a.frequency,
        weekdays=[int(d) for d in a.weekdays.split(",") if d],
        start_on=a.start_on,
        due_on=a.due_on,
        schedule_text=service.schedule_text(a),
        state=a.state,
        state_label=LABELS[state],
        fhir_status=FHIR_STATUS[state],
        client_reason=a.client_reason,
        revision=a.revision,
        version=a.version,
        predicted_mood=a.predicted_mood,
        has_attachment=has_attachment,
        closed=closed,
        allowed_actions=[]
        if closed and role == "client"
        else [x.value for x in allowed_actions(state, role)],
        created_at=a.created_at,
        updated_at=a.updated_at,
        completed_at=a.completed_at,
    )


def completions(
    session: Session, assignment_ids: Sequence[uuid.UUID]
) -> Sequence[HomeworkCompletion]:
    if not assignment_ids:
        return []
    return session.exec(
        select(HomeworkCompletion)
        .where(col(HomeworkCompletion.assignment_id).in_(assignment_ids))
        .order_by(col(HomeworkCompletion.created_at))
    ).all()


def messages(session: Session, assignment_id: uuid.UUID) -> Sequence[HomeworkMessage]:
    return session.exec(
        select(HomeworkMessage)
        .where(HomeworkMessage.assignment_id == assignment_id)
        .order_by(col(HomeworkMessage.created_at))
    ).all()


def unread_count(session: Session, therapist_id: uuid.UUID) -> int:
    return int(
        session.exec(
            select(func.count())
            .select_from(HomeworkNotice)
            .where(
                HomeworkNotice.therapist_id == therapist_id,
                col(HomeworkNotice.read_at).is_(None),
                col(HomeworkNotice.client_id).in_(policy.current_client_ids(therapist_id)),
            )
        ).one()
    )


def unread_notices_between(
    session: Session, *, therapist_id: uuid.UUID, since: datetime | None, until: datetime
) -> list[HomeworkNotice]:
    """A therapist's unread notices made in (since, until], oldest first (the daily digest). Only
    clients the therapist still cares for (the policy's rule): an ended care link ends the emails."""
    stmt = select(HomeworkNotice).where(
        HomeworkNotice.therapist_id == therapist_id,
        col(HomeworkNotice.read_at).is_(None),
        col(HomeworkNotice.created_at) <= until,
        col(HomeworkNotice.client_id).in_(policy.current_client_ids(therapist_id)),
    )
    if since is not None:
        stmt = stmt.where(col(HomeworkNotice.created_at) > since)
    return list(session.exec(stmt.order_by(col(HomeworkNotice.created_at))).all())


def completions_since(
    session: Session, *, assignment_ids: Collection[uuid.UUID], since: datetime
) -> list[HomeworkCompletion]:
    """These assignments' completions saved from `since` on, oldest first."""
    if not assignment_ids:
        return []
    return list(
        session.exec(
            select(HomeworkCompletion)
            .where(
                col(HomeworkCompletion.assignment_id).in_(assignment_ids),
                col(HomeworkCompletion.created_at) >= since,
            )
            .order_by(col(HomeworkCompletion.created_at))
        ).all()
    )


def titles_and_reasons(
    session: Session, assignment_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, tuple[str, str]]:
    """Each assignment's title and the client's reason for asking to change it (or "")."""
    rows = session.exec(
        select(
            HomeworkAssignment.id, HomeworkAssignment.title, HomeworkAssignment.client_reason
        ).where(col(HomeworkAssignment.id).in_(assignment_ids))
    ).all()
    return {aid: (title, reason) for aid, title, reason in rows}
