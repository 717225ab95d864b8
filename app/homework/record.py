"""Homework's part of the client's record (app/records.py): practice by day for each assignment
that was not cancelled or declined. A day is planned when the assignment's own schedule has an
occurrence then (`schedule.occurrences`); done counts the completions the client saved that day,
the same ones their homework page lists. Two statements whatever the range."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date, timedelta

from sqlalchemy import bindparam, select
from sqlmodel import Session, col

from app import prebuilt
from app.accounts.models import User
from app.homework.models import HomeworkAssignment, HomeworkCompletion
from app.homework.schedule import Recurrence, occurrences
from app.homework.states import State
from app.records import DayRow, HeatFigure, RecordPart

A = HomeworkAssignment
LOOK_BACK = timedelta(
    days=60
)  # as the record's homework list: what was due in the range or near it
_ASSIGNMENTS = (
    select(
        col(A.id),
        col(A.title),
        col(A.state),
        col(A.frequency),
        col(A.start_on),
        col(A.due_on),
        col(A.weekdays),
    )
    .where(
        col(A.client_id) == bindparam("client_id"),
        col(A.start_on) <= bindparam("end"),
        col(A.due_on) >= bindparam("due_from"),
    )
    .order_by(col(A.start_on))
)
_DONE = select(col(HomeworkCompletion.assignment_id), col(HomeworkCompletion.done_on)).where(
    col(HomeworkCompletion.assignment_id).in_(bindparam("ids", expanding=True)),
    col(HomeworkCompletion.done_on) >= bindparam("start"),
    col(HomeworkCompletion.done_on) <= bindparam("end"),
)
_LEFT_OUT = (State.CANCELLED.value, State.DECLINED.value)


def practice_rows(session: Session, client: User, start: date, end: date) -> list[DayRow]:
    rows = [
        r
        for r in prebuilt.rows(
            session, _ASSIGNMENTS, client_id=client.id, end=end, due_from=start - LOOK_BACK
        )
        if r.state not in _LEFT_OUT
    ]
    if not rows:
        return []
    done: Counter[tuple[uuid.UUID, date]] = Counter(
        (aid, on)
        for aid, on in prebuilt.rows(session, _DONE, ids=[r.id for r in rows], start=start, end=end)
    )
    out = []
    for r in rows:
        rec = Recurrence(
            r.frequency, r.start_on, r.due_on, tuple(int(d) for d in r.weekdays.split(",") if d)
        )
        planned = set(occurrences(rec, start, end))
        days = planned | {on for aid, on in done if aid == r.id}
        cells = {d: (float(d in planned), float(done[(r.id, d)])) for d in days}
        if cells:
            out.append(DayRow(r.id, r.title, cells))
    return out


def record_part(*, session: Session, client: User, start: date, end: date) -> RecordPart:
    figure = HeatFigure(
        key="homework-heat",
        title="Homework practice by day",
        unit="planned times",
        rows=practice_rows(session, client, start, end),
    )
    return RecordPart("homework", [figure])
