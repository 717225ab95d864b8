"""What progress reads from other domains, through their own services, when they are installed.

Progress reads every domain and is read by none (ARCHITECTURE.md). Each reader returns nothing when
its domain is not deployed, so the report and exports work with whichever domains are present.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from app.progress import charts


@dataclass(frozen=True, slots=True)
class RoutineDays:
    id: uuid.UUID
    title: str
    schedule: str
    cells: dict[date, tuple[int, int]]  # day -> (steps planned, steps done)


def routine_days(
    session: Session, client_id: uuid.UUID, start: date, end: date
) -> list[RoutineDays]:
    """Each active routine's planned and done steps per day (the routines domain's own history)."""
    from app.routines import queries as routine_queries
    from app.routines import service as routine_service

    out = []
    for routine in routine_service.list_routines(session, client_id):
        history = routine_queries.routine_history(
            session, routine, end, days=(end - start).days + 1
        )
        cells = {c.day: (c.total, c.done) for c in history.cells
                 if start <= c.day <= end and (c.planned or c.total)}  # fmt: skip
        out.append(RoutineDays(routine.id, routine.title, routine.rrule, cells))
    return out


def routine_chart(rows: list[RoutineDays], days: list[date]) -> charts.Chart | None:
    if not rows:
        return None
    return charts.heat_map(
        key="routines-heat", title="Routines by day (steps done of steps planned)", days=days,
        rows=[charts.HeatRow(r.title, r.cells) for r in rows], unit="planned steps",
    )  # fmt: skip
