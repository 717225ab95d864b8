"""Today: the sensory-diet items due on the client's local day, with a quick check-off."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from app.accounts.models import User
from app.home.sections import Section
from app.sensory import diet, diet_queries


@dataclass(frozen=True)
class TodayRow:
    item: object
    checkoff: object
    cautions: list[str]
    therapist_taught_only: bool
    new_id: uuid.UUID


def today_section(*, session: Session, client: User, day: date, now: datetime) -> Section | None:  # noqa: ARG001
    rows = diet_queries.due_rows(session, client, day)
    if not rows:
        return None
    return Section(
        key="sensory",
        title="Sensory diet",
        template="sensory/today_section.html",
        context={
            "rows": [
                # A fresh id per render: the phone's check-off carries it, so a resend is stored once.
                TodayRow(r.item, r.checkoff, r.cautions, r.therapist_taught_only, uuid.uuid4())
                for r in rows
            ],
            "day": day,
            "felt_labels": diet.FELT_LABELS,
        },
        order=30,
    )
