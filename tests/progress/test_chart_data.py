"""The five domain charts' data builders against hand-computed values, on SQLite and PostgreSQL,
and the progress page, report and PDF showing each chart with its table."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlmodel import Session

from app import clock
from app.accounts.models import User
from app.coping import record as coping_record
from app.coping.models import DistressEpisode
from app.progress import record
from app.progress.models import SessionNote, SessionNoteVersion
from app.records import RecordPart
from app.routines import record as routines_record
from app.routines.models import Routine, RoutinePause, RoutineRun
from app.self_care import record as self_care_record
from app.self_care.models import Habit, HabitCheckIn, HabitLevel, HabitLevelChange, MoodLog
from tests import factories
from tests.progress import pdf_facts
from tests.progress.test_report_jobs import follow_report
from tests.statements import captured_statements

MON = date(2026, 11, 2)  # a Monday; the range is that week
SUN = MON + timedelta(days=6)
DAYS = [MON + timedelta(days=i) for i in range(7)]
TITLES = (
    "Routines by day (steps done of steps planned)",
    "Self-care habits by day (days done of days planned)",
    "Distress before and after, per strategy (0 to 10)",
    "Mood and energy (1 to 5)",
    "Habit levels over time",
)


def d(offset: int) -> date:
    return MON + timedelta(days=offset)


def _routine(session: Session, client: User) -> None:
    """Mon, Wed, Fri; 4 steps. Mon 4/4, Wed 2/4, Fri paused, an extra run on Sat 1/3."""
    r = Routine(
        client_id=client.id,
        title="Morning",
        rrule="FREQ=WEEKLY;BYDAY=MO,WE,FR",
        starts_on=date(2026, 10, 1),
        step_count=4,
    )
    session.add(r)
    session.flush()
    for day, planned, done in ((d(0), 4, 4), (d(2), 4, 2), (d(5), 3, 1), (d(-7), 4, 4)):
        session.add(
            RoutineRun(
                routine_id=r.id,
                client_id=client.id,
                local_day=day,
                planned_count=planned,
                done_count=done,
            )
        )
    session.add(RoutinePause(routine_id=r.id, starts_on=d(4), ends_on=d(4)))
    archived = Routine(
        client_id=client.id,
        title="Old",
        starts_on=date(2026, 1, 1),
        step_count=2,
        archived_at=datetime(2026, 10, 1, tzinfo=UTC),
    )
    session.add(archived)
    session.flush()


def _habit(session: Session, client: User, therapist: User) -> None:
    """Level 1 every day until Thursday, then level 2 on Mon/Wed/Fri."""
    h = Habit(
        client_id=client.id,
        created_by_id=therapist.id,
        life_area="movement",
        title="Walk",
        source="personal",
        level=2,
        highest_level=2,
        level_started_on=d(3),
        started_on=date(2026, 10, 1),
    )
    session.add(h)
    session.flush()
    session.add(
        HabitLevel(
            habit_id=h.id, number=1, description="Walk 5 min", target_kind="days", days="0123456"
        )
    )
    session.add(
        HabitLevel(
            habit_id=h.id, number=2, description="Walk 10 min", target_kind="days", days="024"
        )
    )
    for on, frm, to in ((date(2026, 10, 1), None, 1), (d(3), 1, 2)):
        session.add(
            HabitLevelChange(
                habit_id=h.id,
                from_level=frm,
                to_level=to,
                reason="chosen",
                changed_by_id=client.id,
                changed_on=on,
            )
        )
    for on, outcome in (
        (d(0), "done"),
        (d(1), "partly"),
        (d(2), "done"),
        (d(4), "done"),
        (d(5), "done"),
        (d(7), "done"),
    ):
        session.add(
            HabitCheckIn(
                id=uuid.uuid4(),
                habit_id=h.id,
                client_id=client.id,
                done_on=on,
                outcome=outcome,
                level=1,
            )
        )
    session.flush()


def _moods(session: Session, client: User) -> None:
    for on, mood, energy in ((d(0), 2, 3), (d(2), 4, None), (d(6), 5, 4), (d(7), 1, 1)):
        session.add(
            MoodLog(id=uuid.uuid4(), client_id=client.id, logged_on=on, mood=mood, energy=energy)
        )
    session.flush()


def _episodes(session: Session, client: User) -> None:
    """New York (UTC-5 in November): the range is 05:00 UTC Monday to 05:00 UTC next Monday."""
    for key, title, before, after, at in (
        ("breathing", "Breathing", 8, 5, datetime(2026, 11, 2, 12, tzinfo=UTC)),
        ("breathing", "Breathing", 6, 4, datetime(2026, 11, 5, 12, tzinfo=UTC)),
        ("breathing", "Breathing", 7, 3, datetime(2026, 11, 9, 4, tzinfo=UTC)),  # Sun 23:00 there
        ("breathing", "Breathing", 10, 10, datetime(2026, 11, 2, 3, tzinfo=UTC)),  # Sun before
        ("walk", "Walk outside", 7, 6, datetime(2026, 11, 3, 12, tzinfo=UTC)),
    ):
        session.add(
            DistressEpisode(
                id=uuid.uuid4(),
                client_id=client.id,
                strategy_key=key,
                strategy_title=title,
                before=before,
                after=after,
                started_at=at,
            )
        )
    session.flush()


def _client(session: Session, therapist: User) -> User:
    client = factories.client(session, therapist=therapist, time_zone="America/New_York")
    _routine(session, client)
    _habit(session, client, therapist)
    _moods(session, client)
    _episodes(session, client)
    return client


def _part(module: Any, session: Session, client: User) -> RecordPart:
    part = module.record_part(session=session, client=client, start=MON, end=SUN)
    assert part is not None
    return part  # type: ignore[no-any-return]


def test_routine_days_follow_plan_runs_and_pauses(session: Session, therapist: User) -> None:
    client = _client(session, therapist)
    figure = _part(routines_record, session, client).figure("routines-heat")
    (row,) = figure.rows  # type: ignore[union-attr]
    assert row.label == "Morning"
    assert row.cells == {d(0): (4, 4), d(2): (4, 2), d(5): (3, 1)}
    chart = record.draw(figure, DAYS)
    assert chart.rows == [("Morning", "7", "11")]
    assert chart.summary.startswith("7 of 11 planned steps done across 1 item")


def test_habit_days_use_the_level_in_force(session: Session, therapist: User) -> None:
    """Partly counts half, as on the client's habit page (issue 16.3: it used to count 0)."""
    client = _client(session, therapist)
    part = _part(self_care_record, session, client)
    (row,) = part.figure("habits-heat").rows  # type: ignore[union-attr]
    assert row.cells == {d(0): (1, 1), d(1): (1, 0.5), d(2): (1, 1), d(4): (1, 1), d(5): (0, 1)}
    heat = record.draw(part.figure("habits-heat"), DAYS)
    assert heat.rows == [("Walk", "4.5", "4")]
    assert heat.summary.startswith("3.5 of 4 planned days done (and 1 time on days not planned)")
    assert heat.svg.count('<circle class="heat-extra"') == 2  # Saturday's dot and the legend's
    levels = record.draw(part.figure("habit-levels"), DAYS)
    assert levels.rows == [("2026-11-02", "1"), ("2026-11-05", "2"), ("2026-11-08", "2")]
    assert "Walk: 1 on 02 Nov to 2 on 08 Nov" in levels.summary


def test_mood_and_energy_in_range(session: Session, therapist: User) -> None:
    client = _client(session, therapist)
    chart = record.draw(_part(self_care_record, session, client).figure("mood-energy"), DAYS)
    assert chart.headers == ("Date", "Mood", "Energy")
    assert chart.rows == [
        ("2026-11-02", "2", "3"),
        ("2026-11-04", "4", "-"),
        ("2026-11-08", "5", "4"),
    ]


def test_distress_by_strategy_over_local_days(session: Session, therapist: User) -> None:
    client = _client(session, therapist)
    assert coping_record.by_strategy(session, client, MON, SUN) == [
        ("Breathing", 7.0, 4.0, 3),
        ("Walk outside", 7.0, 6.0, 1),
    ]
    chart = record.draw(_part(coping_record, session, client).figure("distress"), DAYS)
    assert chart.rows == [("Breathing", "3", "7", "4"), ("Walk outside", "1", "7", "6")]


def test_record_query_count_does_not_grow_with_history(session: Session, therapist: User) -> None:
    """No per-row queries: a client with two more routines and habits costs the same."""
    client = _client(session, therapist)

    def count() -> int:
        with captured_statements(session) as seen:
            record.load(session, client, start=MON, end=SUN)
        return len(seen)

    before = count()
    _routine(session, client)
    _habit(session, client, therapist)
    assert count() == before


def test_progress_page_report_and_pdf_show_each_chart(
    http: Any, session: Session, therapist: User
) -> None:
    client = _client(session, therapist)
    note = SessionNote(client_id=client.id, session_on=MON, created_by_id=therapist.id)
    session.add(note)
    session.flush()
    session.add(
        SessionNoteVersion(
            note_id=note.id, version=1, body="Planned the week.", author_id=therapist.id
        )
    )
    session.flush()
    http.as_(therapist)
    with clock.frozen_at(datetime(2026, 11, 8, 18, tzinfo=UTC)):
        page = http.get(f"/caseload/{client.id}/progress")
        assert page.status_code == 200
        for title in TITLES:
            assert page.text.count(f"<strong>{title}</strong>") == 1, title
            assert f'<caption class="visually-hidden">{title}</caption>' in page.text
        assert page.text.count('role="img"') >= 5
        assert "<td data-authored>Breathing</td><td>3</td><td>7</td><td>4</td>" in page.text
        base = f"/caseload/{client.id}/progress/report?start={MON}&end={SUN}"
        view = http.get(base + "&view=print")
        for title in TITLES:
            assert title in view.text
        assert (
            "<td data-authored>Walk</td><td>4.5</td><td>4</td>" in view.text
        )  # partly counts half
        pdf = follow_report(
            http, f"/caseload/{client.id}/progress/report.pdf?start={MON}&end={SUN}"
        )
        assert pdf.headers["content-type"] == "application/pdf"
        found = pdf_facts.strings(pdf.content)
        for title in TITLES:
            assert title in found, (title, found)
