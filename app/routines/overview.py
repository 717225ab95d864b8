"""The Routines part of the therapist's client page: this week at a glance, linking to the details."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from app.accounts.models import User
from app.home.sections import OverviewSection, Section
from app.routines import queries, recurrence, service


def client_overview(*, session: Session, client: User, now: datetime) -> OverviewSection | None:
    today = recurrence.local_day(now, client.time_zone)
    routines = service.list_routines(session, client.id)
    items = []
    for routine in routines:
        data = queries.routine_history(session, routine, today, days=7)
        items.append(
            {"routine": routine, "week": data.this_week, "most_skipped": data.most_skipped}
        )
    return Section(
        key="routines",
        title="Routines",
        template="routines/_overview.html",
        context={"entries": items, "client": client, "base": f"/caseload/{client.id}/routines"},
        order=10,
    )
