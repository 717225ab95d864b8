"""Homework's part of the client's record (app/records.py): practice by day for each assignment
that was not cancelled or declined. A day is planned when the assignment's own schedule has an
occurrence then (`schedule.occurrences`); done counts the completions the client saved that day,
the same ones their homework page lists. Two statements whatever the range.

Also homework's declared public reading for the progress report (`load`, `summary`, `facts`):
the assignments and completions of a range, the report's table and the CSV rows, by homework's
own labels and rules, so progress does not query homework's tables."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import bindparam, select
from sqlmodel import Session, col
from sqlmodel import select as orm_select

from app import prebuilt
from app.accounts.models import RecordKind, User
from app.homework import kinds
from app.homework.models import HomeworkAssignment, HomeworkCompletion
from app.homework.schedule import Recurrence, occurrences
from app.homework.states import FHIR_STATUS, LABELS, State
from app.records import DayRow, Fact, HeatFigure, LineFigure, RecordPart

A = HomeworkAssignment
# The public names of what `load` returns, for readers of the record (progress).
Assignment = HomeworkAssignment
Completion = HomeworkCompletion
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


_RECORD_ASSIGNMENTS = (
    orm_select(A)
    .where(
        col(A.client_id) == bindparam("client_id"),
        col(A.start_on) <= bindparam("end"),
        col(A.due_on) >= bindparam("due_from"),
    )
    .order_by(col(A.start_on))
)
_RECORD_COMPLETIONS = (
    orm_select(HomeworkCompletion)
    .where(
        col(HomeworkCompletion.assignment_id).in_(bindparam("ids", expanding=True)),
        col(HomeworkCompletion.done_on) >= bindparam("start"),
        col(HomeworkCompletion.done_on) <= bindparam("end"),
    )
    .order_by(col(HomeworkCompletion.created_at))
)


def load(
    session: Session, client_id: uuid.UUID, *, start: date, end: date
) -> tuple[Sequence[HomeworkAssignment], Sequence[HomeworkCompletion]]:
    """The assignments running in the range (or due up to 60 days before it) and the completions
    saved on its days, oldest first; the range is filtered in SQL."""
    params = {"client_id": client_id, "start": start, "end": end, "due_from": start - LOOK_BACK}
    assignments = session.exec(_RECORD_ASSIGNMENTS, params=params).all()
    if not assignments:
        return assignments, []
    done = session.exec(
        _RECORD_COMPLETIONS, params={**params, "ids": [a.id for a in assignments]}
    ).all()
    return assignments, done


@dataclass(frozen=True, slots=True)
class Summary:
    """One assignment in the report's homework table."""

    assignment: HomeworkAssignment
    kind_label: str
    state_label: str
    times_done: int
    mean_difficulty: float | None
    mean_helpfulness: float | None
    reflections: list[tuple[date, str]]
    stuck: list[tuple[date, str]]


def summary(
    assignments: Sequence[HomeworkAssignment], completions: Sequence[HomeworkCompletion]
) -> list[Summary]:
    out = []
    for a in assignments:
        done = [c for c in completions if c.assignment_id == a.id]
        diff = [c.difficulty for c in done if c.difficulty is not None]
        helpf = [c.helpfulness for c in done if c.helpfulness is not None]
        out.append(
            Summary(
                assignment=a,
                kind_label=kinds.label(a.kind),
                state_label=LABELS[State(a.state)],
                times_done=len(done),
                mean_difficulty=sum(diff) / len(diff) if diff else None,
                mean_helpfulness=sum(helpf) / len(helpf) if helpf else None,
                reflections=[(c.done_on, c.reflection) for c in done if c.reflection],
                stuck=[(c.done_on, c.stuck) for c in done if c.stuck],
            )
        )
    return out


def task_status(state: str) -> tuple[str, str]:
    """A homework state as FHIR Task.status and as the label the client's own page shows (the
    Task's businessStatus): the export says what the homework pages say."""
    known = State(state)
    return FHIR_STATUS[known], LABELS[known]


def facts(
    assignments: Sequence[HomeworkAssignment], completions: Sequence[HomeworkCompletion]
) -> list[Fact]:
    """The CSV rows: each assignment, each time it was done, its ratings, activation answers,
    reflections and what the client is stuck on."""
    titles = {a.id: a.title for a in assignments}
    out = [Fact("homework", a.created_at, a.title, a.state, a.kind) for a in assignments]
    for c in completions:
        title = titles.get(c.assignment_id, "")
        out.append(Fact("homework_done", c.done_on, title, "final" if c.final else "practice"))
        for key, label in (("difficulty", "difficulty 1-5"), ("helpfulness", "helpfulness 1-5")):
            value = getattr(c, key)
            if value is not None:
                out.append(Fact("homework_rating", c.done_on, title, value, label))
        for key in ("predicted_mood", "mood_after", "pleasure", "mastery"):
            if key in c.answers:
                answer = c.answers[key]
                value = answer if isinstance(answer, int | float | str) else str(answer)
                out.append(Fact("activation", c.done_on, title, value, key))
        if c.reflection:
            out.append(Fact("reflection", c.done_on, title, None, c.reflection))
        if c.stuck:
            out.append(Fact("stuck", c.done_on, title, None, c.stuck))
    return out


def record_part(
    *,
    session: Session,
    client: User,
    start: date,
    end: date,
    hidden: frozenset[RecordKind] = frozenset(),
) -> RecordPart:
    """Practice by day, and mood after planned activities (behavioural activation) when rated."""
    del hidden  # homework is set by the therapist: shared by nature
    heat = HeatFigure(
        key="homework-heat",
        title="Homework practice by day",
        unit="planned times",
        rows=practice_rows(session, client, start, end),
    )
    _assignments, done = load(session, client.id, start=start, end=end)
    mood = [
        (c.done_on, float(value))
        for c in done
        if isinstance(value := c.answers.get("mood_after"), int)
    ]
    after = LineFigure(
        key="ba-mood",
        title="Mood after planned activities",
        y_min=0,
        y_max=10,
        series=[("Mood", mood)],
        noun="rating",
        keep_empty=False,
    )
    return RecordPart("homework", [heat, after])
