"""Seam 4: the reminders service asks whether a diet item is still due before it sends a reminder."""

from __future__ import annotations

import uuid
from datetime import date

from sqlmodel import Session, select

from app.sensory import diet
from app.sensory.diet_service import planned
from app.sensory.models import SensoryDietCheckoff, SensoryDietItem
from app.sensory.reminders_link import KIND

__all__ = ["KIND", "still_due"]


def still_due(*, session: Session, source_id: uuid.UUID, local_day: date) -> bool:
    """False when the item is gone, ended, not planned that day, reminders are off, or it is done."""
    item = session.get(SensoryDietItem, source_id)
    if item is None or not item.remind or not diet.is_due_on(planned(item), local_day):
        return False
    done = session.exec(
        select(SensoryDietCheckoff.id).where(
            SensoryDietCheckoff.item_id == source_id, SensoryDietCheckoff.done_on == local_day
        )
    ).first()
    return done is None
