"""The client's Today: homework that is new, due today, or asked to change (two small queries)."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session

from app.accounts.models import User
from app.home.sections import Section
from app.homework import queries, service
from app.homework.states import LABELS


def today_section(*, session: Session, client: User, day: date, now: datetime) -> Section | None:
    del now  # "today" is the client's local day, already given
    rows = queries.due_today(session, client.id, day)
    if not rows and not queries.for_client(session, client.id, include_closed=False):
        return None
    items = [
        {"id": a.id, "title": a.title, "state": a.state, "label": LABELS[a.state],  # type: ignore[index]
         "when": service.schedule_text(a), "new": a.state == "requested"}
        for a in rows
    ]  # fmt: skip
    return Section(key="homework", title="Homework", template="homework/_today.html",
                   context={"items": items}, order=40)  # fmt: skip
