"""The client's Today: a questionnaire their therapist scheduled, when it is due (one query)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import bindparam, select
from sqlmodel import Session, col

from app import prebuilt
from app.accounts.models import User
from app.progress import measures
from app.progress.models import MeasureSchedule
from app.sections import Section, local_day

# Built once (app/prebuilt.py); the same rows as `measure_service.due`, only the column shown.
_DUE = select(col(MeasureSchedule.code)).where(
    col(MeasureSchedule.client_id) == bindparam("client_id"),
    col(MeasureSchedule.active).is_(True),
    col(MeasureSchedule.next_due_on) <= bindparam("day"),
)


# The section shows the client's watched rows as of their local day, nothing else: its HTML is
# kept while they are unchanged (app/sections.py).
today_inputs = local_day


def today_section(*, session: Session, client: User, day: date, now: datetime) -> Section | None:
    del now
    codes = [code for (code,) in prebuilt.rows(session, _DUE, client_id=client.id, day=day)]
    if not codes:
        return None
    items = [
        {"code": code, "name": measures.get(code).name, "count": len(measures.get(code).items)}
        for code in codes
    ]
    return Section(
        key="measures",
        title="A short questionnaire",
        template="progress/_today.html",
        context={"items": items},
        order=45,
    )
