"""Session notes: private to the client's therapists, never shown to the client, and versioned:
an edit adds a version (the earlier text stays readable), guarded against overwriting a colleague."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, func, select

from app.accounts.models import User
from app.audit import service as audit
from app.errors import Conflict
from app.i18n import N_
from app.progress.models import SessionNote, SessionNoteVersion
from app.progress.schemas import NoteCreate, NoteUpdate
from app.web_security import Principal


@dataclass(frozen=True, slots=True)
class NoteView:
    note: SessionNote
    body: str
    version: int
    author_id: uuid.UUID
    updated_at: datetime


def create(
    session: Session, *, therapist: Principal, client: User, data: NoteCreate
) -> SessionNote:
    note = SessionNote(client_id=client.id, session_on=data.session_on, created_by_id=therapist.id)
    session.add(note)
    session.flush()
    session.add(
        SessionNoteVersion(note_id=note.id, version=1, body=data.body, author_id=therapist.id)
    )
    audit.add(session, actor=therapist.user, client_id=client.id, action="note.create")
    session.commit()
    return note


def update(
    session: Session, *, therapist: Principal, note: SessionNote, data: NoteUpdate
) -> SessionNote:
    if data.expected_version != note.current_version:
        raise Conflict(
            N_("This note was changed since you opened it. Reload to see the latest version.")
        )
    note.current_version += 1
    session.add(note)
    session.add(
        SessionNoteVersion(
            note_id=note.id, version=note.current_version, body=data.body, author_id=therapist.id
        )
    )
    audit.add(session, actor=therapist.user, client_id=note.client_id, action="note.edit")
    session.commit()
    return note


def for_client(
    session: Session, client_id: uuid.UUID, *, start: date | None = None, end: date | None = None
) -> list[NoteView]:
    """Notes with their latest text, newest session first (two queries)."""
    stmt = select(SessionNote).where(SessionNote.client_id == client_id)
    if start is not None:
        stmt = stmt.where(col(SessionNote.session_on) >= start)
    if end is not None:
        stmt = stmt.where(col(SessionNote.session_on) <= end)
    notes = session.exec(stmt.order_by(col(SessionNote.session_on).desc())).all()
    if not notes:
        return []
    versions = session.exec(
        select(SessionNoteVersion).where(col(SessionNoteVersion.note_id).in_([n.id for n in notes]))
    ).all()
    latest = {(v.note_id, v.version): v for v in versions}
    out = []
    for n in notes:
        v = latest[(n.id, n.current_version)]
        out.append(NoteView(n, v.body, v.version, v.author_id, v.created_at))
    return out


def versions(session: Session, note_id: uuid.UUID) -> Sequence[SessionNoteVersion]:
    return session.exec(
        select(SessionNoteVersion)
        .where(SessionNoteVersion.note_id == note_id)
        .order_by(col(SessionNoteVersion.version).desc())
    ).all()


def last_session_on(session: Session, client_id: uuid.UUID) -> date | None:
    return session.exec(
        select(func.max(SessionNote.session_on)).where(SessionNote.client_id == client_id)
    ).one()
