"""The sensory diet's part of the client's record (app/records.py): each activity's planned and
done days, by the plan's own rule (`diet.is_due_on`, one check-off per item and day, as in the
adherence the client's plan page shows)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from app.accounts.models import RecordKind, User
from app.i18n import N_
from app.records import DayRow, HeatFigure, RecordPart
from app.sensory import diet
from app.sensory.diet_service import list_items, planned
from app.sensory.models import SensoryDietCheckoff


def diet_rows(session: Session, client: User, start: date, end: date) -> list[DayRow]:
    """Each item in the plan during the range: day -> (1 if planned, 1 if checked off)."""
    items = [
        planned(i)
        for i in list_items(session, client=client, include_ended=True)
        if i.starts_on <= end and (i.ends_on is None or i.ends_on >= start)
    ]
    if not items:
        return []
    done: dict[object, set[date]] = {}
    for item_id, on in session.exec(
        select(col(SensoryDietCheckoff.item_id), col(SensoryDietCheckoff.done_on)).where(
            SensoryDietCheckoff.client_id == client.id,
            col(SensoryDietCheckoff.done_on) >= start,
            col(SensoryDietCheckoff.done_on) <= end,
        )
    ):
        done.setdefault(item_id, set()).add(on)
    rows = []
    for item in items:
        cells: dict[date, tuple[float, float]] = {}
        for day in diet.days_in(start, end):
            due, did = diet.is_due_on(item, day), day in done.get(item.id, set())
            if due or did:
                cells[day] = (float(due), float(did))
        rows.append(DayRow(item.id, item.title, cells))
    return rows


def record_part(
    *,
    session: Session,
    client: User,
    start: date,
    end: date,
    hidden: frozenset[RecordKind] = frozenset(),
) -> RecordPart | None:
    del hidden  # the diet is planned with the therapist; the private profile is not in the record
    rows = diet_rows(session, client, start, end)
    if not rows:
        return None  # no sensory diet: no empty chart in the report
    figure = HeatFigure(
        key="sensory-diet-heat",
        title=N_("Sensory diet by day (times done of times planned)"),
        unit="planned times",
        rows=rows,
    )
    return RecordPart("sensory", [figure])
