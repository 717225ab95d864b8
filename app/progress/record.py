"""One client's record for a date range, loaded once and shared by the progress page, the report,
the CSV and the FHIR export (so they always agree).

Routines, self-care, calm, the sensory diet and homework practice answer for their own figures
through their `record.py` plug-ins (`app/records.py`), built by the rule modules that serve the
client's own pages; this module assembles them with progress's own parts (goals, measures, notes)
and draws the charts."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Protocol

from sqlalchemy import BindParameter, bindparam
from sqlalchemy import select as core_select
from sqlmodel import Session, col, func, select

from app import charts, clock
from app.accounts.models import RecordKind, User
from app.domains import plugins
from app.homework import record as homework_record
from app.i18n import N_
from app.i18n import gettext as _
from app.progress import gas, measures, notes
from app.progress.goals import TPoint
from app.progress.models import (
    Goal,
    GoalRating,
    MeasureResponse,
    SessionNote,
    SessionNoteVersion,
)
from app.records import BarFigure, Figure, HeatFigure, LineFigure, RecordPart


class RecordProvider(Protocol):
    def __call__(
        self,
        *,
        session: Session,
        client: User,
        start: date,
        end: date,
        hidden: frozenset[RecordKind],
    ) -> RecordPart | None: ...


@dataclass
class Record:
    client: User
    start: date
    end: date
    goals: Sequence[Goal]
    ratings: Sequence[GoalRating]
    t_points: list[TPoint]
    homework: Sequence[homework_record.Assignment]
    completions: Sequence[homework_record.Completion]
    responses: Sequence[MeasureResponse]
    notes: list[notes.NoteView]
    charts: list[charts.Chart] = field(default_factory=list)
    parts: list[RecordPart] = field(default_factory=list)  # each domain's own figures and facts

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]


_CLIENT: BindParameter[uuid.UUID] = bindparam("client_id")
_START: BindParameter[date] = bindparam("start")
_END: BindParameter[date] = bindparam("end")
# Built once at import with bind parameters: building a SQLAlchemy statement cost more than running
# most of these small, indexed reads.
_GOALS = select(Goal).where(Goal.client_id == _CLIENT).order_by(col(Goal.created_at))
_RATINGS = (
    select(GoalRating)
    .where(
        GoalRating.client_id == _CLIENT,
        col(GoalRating.rated_on) >= _START,
        col(GoalRating.rated_on) <= _END,
    )
    .order_by(col(GoalRating.rated_on), col(GoalRating.created_at))
)  # as goals.ratings(start=, end=)
_RESPONSES = (
    select(MeasureResponse)
    .where(
        MeasureResponse.client_id == _CLIENT,
        col(MeasureResponse.answered_at) >= bindparam("since"),
        col(MeasureResponse.answered_at) < bindparam("until"),
    )
    .order_by(col(MeasureResponse.answered_at))
)
_T_ROWS = (
    core_select(col(GoalRating.rated_on), col(GoalRating.goal_id), col(GoalRating.level))
    .where(col(GoalRating.client_id) == _CLIENT, col(GoalRating.rated_on) <= _END)
    .order_by(col(GoalRating.rated_on), col(GoalRating.created_at))
)
_NOTES = (
    select(SessionNote, SessionNoteVersion)
    .join(
        SessionNoteVersion,
        (col(SessionNoteVersion.note_id) == SessionNote.id)
        & (col(SessionNoteVersion.version) == SessionNote.current_version),
    )
    .where(
        SessionNote.client_id == _CLIENT,
        col(SessionNote.session_on) >= _START,
        col(SessionNote.session_on) <= _END,
    )
    .order_by(col(SessionNote.session_on).desc())
)
_LAST_SESSION = select(func.max(SessionNote.session_on)).where(SessionNote.client_id == _CLIENT)


def load(
    session: Session,
    client: User,
    *,
    start: date,
    end: date,
    hidden: frozenset[RecordKind] = frozenset(),
) -> Record:
    """Every part filtered to the range in SQL (responses, completions, ratings), so a client
    with a year of history costs what a client with a week does. `hidden`: the kinds the client
    keeps private from this reader (`policy.private_kinds`; nothing for the client themself)."""
    params = {"client_id": client.id, "start": start, "end": end}
    all_goals = session.exec(_GOALS, params=params).all()
    t_points = t_points_between(session, client.id, all_goals, start=start, end=end)
    homework, done = homework_record.load(session, client.id, start=start, end=end)
    record = Record(
        client=client,
        start=start,
        end=end,
        goals=all_goals,
        ratings=session.exec(_RATINGS, params=params).all(),
        t_points=t_points,
        homework=homework,
        completions=done,
        responses=_responses(session, client.id, start, end),
        notes=_notes(session, client.id, start, end),
    )
    record.parts = domain_parts(session, client, start=start, end=end, hidden=hidden)
    record.charts = build_charts(record)
    return record


@cache
def _providers() -> tuple[RecordProvider, ...]:
    """Every domain's `record.record_part`, found once (`plugins` asks importlib on each call).
    A `record.py` without it (reminders' is its own) is not a part of the client's record."""
    found = (getattr(module, "record_part", None) for _domain, module in plugins("record"))
    return tuple(provider for provider in found if provider is not None)


def domain_parts(
    session: Session,
    client: User,
    *,
    start: date,
    end: date,
    hidden: frozenset[RecordKind] = frozenset(),
) -> list[RecordPart]:
    """Each domain's part of the record, in domain order; a domain with nothing to show gives
    None and is left out. Each domain leaves out its own kinds in `hidden`."""
    found = (
        provider(session=session, client=client, start=start, end=end, hidden=hidden)
        for provider in _providers()
    )
    return [part for part in found if part is not None]


# The domains' figure words (their record.py), marked here so the catalog has them: a figure's
# title, unit, empty text and built-in series names are translated when drawn, in the language of
# the page or report being made. Names people wrote (a routine's, a habit's) are never in the
# catalog and come out as written.
FIGURE_WORDS = (
    N_("Distress before and after, per strategy (0 to 10)"),
    N_("Homework practice by day"),
    N_("Mood after planned activities"),
    N_("Routines by day (steps done of steps planned)"),
    N_("Self-care habits by day (days done of days planned)"),
    N_("Mood and energy (1 to 5)"),
    N_("Habit levels over time"),
    N_("Sensory diet by day (times done of times planned)"),
    N_("planned times"),
    N_("planned steps"),
    N_("planned days"),
    N_("No mood logged in this period."),
    N_("No habits in this period."),
)
SERIES_WORDS = frozenset({N_("Mood"), N_("Energy"), N_("T-score")})


def _series(name: str) -> str:
    return _(name) if name in SERIES_WORDS else name


def draw(figure: Figure, days: list[date]) -> charts.Chart:
    """A domain's figure as a chart with its text equivalent."""
    if isinstance(figure, HeatFigure):
        rows = [charts.HeatRow(r.label, r.cells) for r in figure.rows]
        return charts.heat_map(
            key=figure.key, title=_(figure.title), days=days, rows=rows, unit=figure.unit
        )
    if isinstance(figure, LineFigure):
        return charts.line_chart(
            key=figure.key,
            title=_(figure.title),
            y_min=figure.y_min,
            y_max=figure.y_max,
            series=[charts.Series(_series(name), points) for name, points in figure.series],
            empty=figure.empty,
            step=figure.step,
            noun=figure.noun,
        )
    assert isinstance(figure, BarFigure)
    return charts.paired_bars(key=figure.key, title=_(figure.title), items=figure.items)


def _notes(session: Session, client_id: uuid.UUID, start: date, end: date) -> list[notes.NoteView]:
    """As `notes.for_client(start=, end=)`: notes with their current text, newest first, in one
    statement (each note joined to its current version)."""
    found = session.exec(_NOTES, params={"client_id": client_id, "start": start, "end": end})
    return [notes.NoteView(n, v.body, v.version, v.author_id, v.created_at) for n, v in found]


def _responses(
    session: Session, client_id: uuid.UUID, start: date, end: date
) -> Sequence[MeasureResponse]:
    """As `measure_service.responses(start=, end=)` (UTC dates of answered_at), range in SQL."""
    return session.exec(
        _RESPONSES,
        params={
            "client_id": client_id,
            "since": datetime.combine(start, time(0), tzinfo=UTC),
            "until": datetime.combine(end + timedelta(days=1), time(0), tzinfo=UTC),
        },
    ).all()


def t_points_between(
    session: Session, client_id: uuid.UUID, all_goals: Sequence[Goal], *, start: date, end: date
) -> list[TPoint]:
    """`goals.t_series` from the start of the history to `end`, kept from `start` on: three
    columns per rating and one pass over the days (the series is cumulative, so it needs the
    ratings before `start` too)."""
    weights = {g.id: g.weight for g in all_goals}
    rows = session.connection().execute(_T_ROWS, {"client_id": client_id, "end": end}).all()
    latest: dict[uuid.UUID, int] = {}
    points: list[TPoint] = []
    for i, (day, goal_id, level) in enumerate(rows):
        if goal_id in weights:
            latest[goal_id] = level
        last_of_day = i + 1 == len(rows) or rows[i + 1][0] != day
        if last_of_day and day >= start and gas.MIN_GOALS <= len(latest) <= gas.MAX_GOALS:
            now = [gas.GoalRating(level=lv, weight=weights[g]) for g, lv in latest.items()]
            points.append(TPoint(day, gas.t_score_rounded(now), len(latest)))
    return points


def build_charts(r: Record) -> list[charts.Chart]:
    measure_series = [
        charts.Series(
            measures.get(code).name,
            [(x.answered_at.date(), float(x.total)) for x in r.responses if x.code == code],
        )
        for code in ("phq9", "gad7")
    ]
    out = [draw(figure, r.days) for part in r.parts for figure in part.figures if _shown(figure)]
    out += [
        charts.line_chart(
            key="gas",
            title=_("Goal attainment (GAS T-score)"),
            y_min=20,
            y_max=80,
            series=[charts.Series(_("T-score"), [(p.on, p.t_score) for p in r.t_points])],
        ),
        charts.line_chart(
            key="measures",
            title=_("PHQ-9 and GAD-7 totals"),
            y_min=0,
            y_max=27,
            series=[s for s in measure_series if s.points] or measure_series[:1],
        ),
    ]
    return out


def _shown(figure: Figure) -> bool:
    """A line chart marked `keep_empty=False` is left out when it has no point at all."""
    if isinstance(figure, LineFigure) and not figure.keep_empty:
        return any(points for _, points in figure.series)
    return True


def homework_summary(r: Record) -> list[homework_record.Summary]:
    """The report's homework table, by homework's own labels (`homework.record.summary`)."""
    return homework_record.summary(r.homework, r.completions)


def since_last_session(session: Session, client: User, now: datetime) -> tuple[date, Record]:
    """The digest period: from the last session's date (or two weeks back) to today."""
    today = now.astimezone(clock.zone(client.time_zone)).date()
    last = session.connection().execute(_LAST_SESSION, {"client_id": client.id}).scalar_one()
    start = last if last is not None and last <= today else today - timedelta(days=14)
    return start, load(session, client, start=start, end=today)
