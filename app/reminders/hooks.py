"""Hooks the foundation calls (docs/CONVENTIONS.md)."""

from __future__ import annotations

from sqlmodel import Session

from app.accounts.models import User
from app.reminders import service


def on_time_zone_changed(*, session: Session, user: User) -> None:
    """Re-plan the client's upcoming reminders in their new zone, in the same transaction."""
    session.flush()  # the new zone must be visible to the planner's query
    service.client_time_zone_changed(session=session, client_id=user.id)
