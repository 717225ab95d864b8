"""The client's Today: a questionnaire their therapist scheduled, when it is due (one query)."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session

from app.accounts.models import User
from app.home.sections import Section
from app.progress import measure_service, measures


def today_section(*, session: Session, client: User, day: date, now: datetime) -> Section | None:
    del now
    due = measure_service.due(session, client.id, day)
    if not due:
        return None
    items = [{"code": s.code, "name": measures.get(s.code).name,
              "count": len(measures.get(s.code).items)} for s in due]  # fmt: skip
    return Section(key="measures", title="A short questionnaire", template="progress/_today.html",
                   context={"items": items}, order=45)  # fmt: skip
