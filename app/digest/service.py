"""Digest settings (a therapist's own choice) and the one-click unsubscribe."""

from __future__ import annotations

import uuid

from sqlmodel import Session

from app import clock
from app.accounts.models import User
from app.audit import service as audit
from app.digest.models import DigestPreference


def preference(session: Session, therapist_id: uuid.UUID) -> DigestPreference:
    """The stored choice, or the default (off, 08:00, no excerpts) without saving it."""
    return session.get(DigestPreference, therapist_id) or DigestPreference(
        therapist_id=therapist_id
    )


def save(
    session: Session, *, therapist: User, enabled: bool, send_hour: int, excerpts: bool
) -> DigestPreference:
    pref = preference(session, therapist.id)
    pref.enabled, pref.send_hour, pref.excerpts = enabled, send_hour, excerpts
    pref.updated_at = clock.now()
    session.add(pref)
    audit.add(
        session,
        actor=therapist,
        action="digest.settings",
        detail=f"enabled={enabled} hour={send_hour} excerpts={excerpts}",
    )
    session.commit()
    return pref


def unsubscribe(session: Session, *, therapist_id: uuid.UUID) -> bool:
    """Turn the digest off; False when there is no such therapist. Repeating it is harmless."""
    user = session.get(User, therapist_id)
    if user is None:
        return False
    pref = preference(session, therapist_id)
    if pref.enabled:
        pref.enabled = False
        pref.updated_at = clock.now()
        session.add(pref)
        audit.add(session, actor=user, action="digest.unsubscribe")
        session.commit()
    return True
