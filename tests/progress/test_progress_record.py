"""The client's progress page and report read one `Record` for a date range with prebuilt
statements, each filtered to the range in SQL: every part must equal what the straightforward
readers (whole history, filtered in Python) give on seeded data, and the statement count must not
grow with the length of the history."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from app.accounts.models import User
from app.homework.models import HomeworkAssignment, HomeworkCompletion
from app.progress import goals, measure_service, notes, record
from app.progress.models import SessionNote, SessionNoteVersion
from tests import factories
from tests.progress.test_client_page import NOW, TODAY, _seed
from tests.statements import captured_statements


def _client(session: Session, therapist: User, seed: int, days: int) -> User:
    client = factories.client(session, therapist=therapist)
    _seed(session, client, therapist, random.Random(seed), days=days)
    for note in session.exec(select(SessionNote).where(SessionNote.client_id == client.id)):
        note.current_version = 2
        for version in (1, 2):
            session.add(
                SessionNoteVersion(
                    note_id=note.id,
                    version=version,
                    body=f"v{version}",
                    author_id=therapist.id,
                    created_at=NOW,
                )
            )
    session.flush()
    return client


@pytest.mark.parametrize(("seed", "back"), [(1, 28), (2, 14), (3, 45)])
def test_record_equals_the_straightforward_readers(
    session: Session, therapist: User, seed: int, back: int
) -> None:
    client = _client(session, therapist, seed, days=90)
    start, end = TODAY - timedelta(days=back), TODAY - timedelta(days=3)
    rec = record.load(session, client, start=start, end=end)

    all_goals = goals.all_goals(session, client.id)
    assert [g.id for g in rec.goals] == [g.id for g in all_goals]
    assert [r.id for r in rec.ratings] == [
        r.id for r in goals.ratings(session, client.id, start=start, end=end)
    ]
    series = goals.t_series(all_goals, goals.ratings(session, client.id))
    expected_t = [p for p in series if start <= p.on <= end]
    assert expected_t
    assert rec.t_points == expected_t
    assert [r.id for r in rec.responses] == [
        r.id for r in measure_service.responses(session, client_id=client.id, start=start, end=end)
    ]
    expected_notes = notes.for_client(session, client.id, start=start, end=end)
    assert expected_notes
    assert [(n.note.id, n.body, n.version) for n in rec.notes] == [
        (n.note.id, n.body, n.version) for n in expected_notes
    ]
    assignments = sorted(
        (
            a
            for a in session.exec(
                select(HomeworkAssignment).where(HomeworkAssignment.client_id == client.id)
            )
            if a.start_on <= end and a.due_on >= start - timedelta(days=60)
        ),
        key=lambda a: a.start_on,
    )
    assert [a.id for a in rec.homework] == [a.id for a in assignments]
    ids = {a.id for a in assignments}
    done = sorted(
        (
            c
            for c in session.exec(select(HomeworkCompletion))
            if c.assignment_id in ids and start <= c.done_on <= end
        ),
        key=lambda c: c.created_at,
    )
    assert {c.id for c in rec.completions} == {c.id for c in done}
    assert [c.created_at for c in rec.completions] == [c.created_at for c in done]


def _count(session: Session, client: User, start: date, end: date) -> int:
    with captured_statements(session) as seen:
        record.load(session, client, start=start, end=end)
    return len(seen)


def test_statements_do_not_grow_with_history(session: Session, therapist: User) -> None:
    short = _client(session, therapist, 1, days=21)
    long = _client(session, therapist, 2, days=300)
    start = TODAY - timedelta(days=14)
    assert _count(session, short, start, TODAY) == _count(session, long, start, TODAY)


def test_chart_readers_equal_a_reference_over_all_rows(session: Session, therapist: User) -> None:
    """Routine, habit, mood and distress chart data for a range inside a long history (rows before
    and after it) equal a computation over every row of the client's, filtered in Python."""
    from app.coping import record as coping_record
    from app.coping.models import DistressEpisode
    from app.routines import record as routines_record
    from app.routines import recurrence, service
    from app.routines.models import Routine, RoutineRun
    from app.self_care import record as self_care_record
    from app.self_care.models import MoodLog
    from tests.routines.test_overview import _seed as seed_routines

    client = _client(session, therapist, 5, days=60)
    seed_routines(session, client, random.Random(5), routines=6, days=60)
    start, end = TODAY - timedelta(days=20), TODAY - timedelta(days=2)  # a pause ends at -1

    expected_routines = {}
    for r in session.exec(select(Routine).where(Routine.client_id == client.id)):
        if r.archived_at is not None:
            continue
        pauses = [
            recurrence.Pause(p.starts_on, p.ends_on) for p in service.pauses_of(session, r.id)
        ]
        due = recurrence.due_days(r.rrule, r.starts_on, start, end, pauses)
        cells = dict.fromkeys(due, (r.step_count, 0))
        for run in session.exec(select(RoutineRun).where(RoutineRun.routine_id == r.id)):
            if start <= run.local_day <= end and (run.planned_count or run.local_day in cells):
                cells[run.local_day] = (run.planned_count, min(run.done_count, run.planned_count))
        expected_routines[r.id] = cells
    part = routines_record.record_part(session=session, client=client, start=start, end=end)
    assert part is not None
    got = {row.id: row.cells for row in part.figure("routines-heat").rows}  # type: ignore[union-attr]
    assert got == expected_routines
    assert any(got.values())

    moods = sorted(
        (
            m
            for m in session.exec(select(MoodLog).where(MoodLog.client_id == client.id))
            if start <= m.logged_on <= end
        ),
        key=lambda m: m.logged_on,
    )
    mood_part = self_care_record.record_part(session=session, client=client, start=start, end=end)
    ((_name, mood_points), _energy) = mood_part.figure("mood-energy").series  # type: ignore[union-attr]
    assert list(mood_points) == [(m.logged_on, float(m.mood)) for m in moods]

    zone = recurrence.zone(client.time_zone)
    episodes = [
        e
        for e in session.exec(select(DistressEpisode).where(DistressEpisode.client_id == client.id))
        if start <= e.started_at.astimezone(zone).date() <= end
    ]
    ((_title, mean_before, mean_after, uses),) = coping_record.by_strategy(
        session, client, start, end
    )
    assert uses == len(episodes)
    assert mean_before == pytest.approx(sum(e.before for e in episodes) / len(episodes))
    assert mean_after == pytest.approx(sum(e.after for e in episodes) / len(episodes))

    habits = self_care_record.habit_rows(session, client, start, end)
    assert habits
    assert all(start <= day <= end for h, _levels in habits for day in h.cells)
