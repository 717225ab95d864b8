"""The therapist's figures equal the client's own, for every domain and the same days (issue 16.3).

Each domain's part of the progress record (`app/<domain>/record.py`) is compared, on random
histories, with what that domain shows the client: the habit page's heat map (partly done days,
"+1 glass" amounts, pauses, level changes), a routine's heat map, the homework a client saved and
its schedule, the sensory plan's adherence, and the calm episodes the client logged.
"""

from __future__ import annotations

import random
import uuid
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, col, select

from app import clock
from app.accounts.models import User
from app.coping import service as coping_service
from app.coping.models import DistressEpisode
from app.homework import queries as homework_queries
from app.homework import service as homework_service
from app.homework.models import HomeworkCompletion
from app.homework.schedule import is_due_on
from app.progress import record
from app.records import DayRow, HeatFigure
from app.routines import queries as routine_queries
from app.routines.models import Routine
from app.self_care import progress
from app.self_care.strength import DayState
from app.sensory import diet_queries
from app.sensory.models import SensoryDietCheckoff, SensoryDietItem
from tests import factories
from tests.homework.helpers import assignment
from tests.routines.test_overview import NOW as ROUTINES_NOW
from tests.routines.test_overview import _seed as seed_routines
from tests.self_care.helpers import MONDAY, noon
from tests.self_care.test_habit_page import _history


def _rows(rec: record.Record, key: str) -> dict[uuid.UUID, DayRow]:
    """The therapist's rows of one heat map, by item id."""
    for part in rec.parts:
        for figure in part.figures:
            if figure.key == key:
                assert isinstance(figure, HeatFigure)
                return {row.id: row for row in figure.rows}
    return {}


@pytest.mark.parametrize("seed", [2, 5, 8])
def test_habit_days_equal_the_clients_habit_page(
    session: Session, therapist: User, seed: int
) -> None:
    client = factories.client(session, therapist=therapist)
    today = MONDAY + timedelta(days=200)
    habits = [
        _history(session, client, "water", 120, today, seed=seed),  # amounts: "+1 glass" of 2
        _history(session, client, "washing", 90, today, seed=seed + 1),  # done, partly, not today
    ]
    with clock.frozen_at(noon(today)):
        pages = {h.id: progress.habit_progress(session, h, today) for h in habits}
        first = pages[habits[0].id].heat[0][0].on
        rows = _rows(record.load(session, client, start=first, end=today), "habits-heat")
    seen: Counter[object] = Counter()
    for habit in habits:
        cells = rows[habit.id].cells
        for week in pages[habit.id].heat:
            for cell in week:
                if cell.on > today or cell.on < habit.started_on:
                    assert cell.on not in cells
                    continue
                planned, done = cells.get(cell.on, (0.0, 0.0))
                assert done == min(1.0, cell.value), (habit.title, cell)
                if cell.state is DayState.PAUSED:
                    assert cell.on not in cells, cell
                elif cell.state is DayState.MISSED:
                    assert (planned, done) == (1.0, 0.0), cell
                elif cell.state is DayState.NOT_PLANNED:
                    assert planned == 0.0, cell
                seen[cell.state] += 1
                seen["partial"] += 0 < done < 1
    # The random histories hold what the issue names: partial days, misses, pauses.
    assert seen["partial"], seen
    assert seen[DayState.MISSED], seen
    assert seen[DayState.PAUSED], seen


@pytest.mark.parametrize("seed", [1, 2])
def test_routine_days_equal_the_clients_heat_map(
    session: Session, therapist: User, seed: int
) -> None:
    client = factories.client(session, therapist=therapist)
    seed_routines(session, client, random.Random(seed), routines=6, days=60)
    today = ROUTINES_NOW.date()
    with clock.frozen_at(ROUTINES_NOW):
        routines = session.exec(
            select(Routine).where(
                Routine.client_id == client.id, col(Routine.archived_at).is_(None)
            )
        ).all()
        pages = {
            r.id: routine_queries.routine_history(session, r, today, days=42) for r in routines
        }
        first = min(page.cells[0].day for page in pages.values())
        rows = _rows(record.load(session, client, start=first, end=today), "routines-heat")
    assert set(rows) == set(pages)
    compared = 0
    for routine_id, page in pages.items():
        client_cells = {c.day: (c.total, c.done) for c in page.cells if c.total or c.planned}
        therapist_cells = {
            d: v for d, v in rows[routine_id].cells.items() if d >= page.cells[0].day
        }
        assert therapist_cells == client_cells
        compared += len(client_cells)
    assert compared


@pytest.mark.parametrize("seed", [4, 9])
def test_homework_practice_equals_what_the_client_saved_and_their_schedule(
    session: Session, therapist: User, seed: int
) -> None:
    rng = random.Random(seed)
    start_day = date(2026, 11, 2)
    with clock.frozen_at(noon(start_day)):
        client = factories.client(session, therapist=therapist)
        made = [
            assignment(
                session, therapist, client, frequency="daily", due_on=start_day + timedelta(days=20)
            ),
            assignment(
                session,
                therapist,
                client,
                frequency="weekly",
                weekdays=[0, 3],
                due_on=start_day + timedelta(days=27),
            ),
            assignment(
                session, therapist, client, frequency="once", due_on=start_day + timedelta(days=5)
            ),
        ]
    for a in made:
        for i in range(28):
            for _ in range(rng.choice([0, 0, 1, 1, 2])):
                session.add(
                    HomeworkCompletion(
                        assignment_id=a.id,
                        client_id=client.id,
                        done_on=start_day + timedelta(days=i),
                    )
                )
    session.commit()
    end = start_day + timedelta(days=27)
    with clock.frozen_at(noon(end)):
        rows = _rows(record.load(session, client, start=start_day, end=end), "homework-heat")
    for a in made:
        saved = Counter(c.done_on for c in homework_queries.completions(session, [a.id]))
        rec = homework_service.recurrence(a)
        cells = rows[a.id].cells
        for i in range(28):
            day = start_day + timedelta(days=i)
            planned, done = cells.get(day, (0.0, 0.0))
            assert done == saved[day], (a.title, day)
            assert planned == float(is_due_on(rec, day)), (a.frequency, day)


@pytest.mark.parametrize("seed", [5, 6])
def test_sensory_diet_days_equal_the_clients_plan_adherence(
    session: Session, therapist: User, seed: int
) -> None:
    rng = random.Random(seed)
    client = factories.client(session, therapist=therapist)
    end = date(2026, 11, 20)
    for n in range(4):
        starts = end - timedelta(days=rng.choice([30, 10, 3]))
        item = SensoryDietItem(
            client_id=client.id,
            title=f"Activity {n}",
            local_time=time(9 + n),
            effect="calming",
            course="main_course",
            days_mask=rng.randrange(1, 128),
            starts_on=starts,
            ends_on=rng.choice([None, end - timedelta(days=4)]),
            created_by_id=client.id,
        )
        session.add(item)
        session.flush()
        for i in range(20):
            if rng.random() < 0.5:
                session.add(
                    SensoryDietCheckoff(
                        item_id=item.id,
                        client_id=client.id,
                        done_on=end - timedelta(days=i),
                        felt_after="just_right",
                        created_by_id=client.id,
                    )
                )
    session.commit()
    with clock.frozen_at(noon(end)):
        plan = diet_queries.report(session, client, days=14)
        rows = _rows(record.load(session, client, start=plan.start, end=end), "sensory-diet-heat")
    checked = 0
    for report in plan.items:
        cells = rows[report.item.id].cells.values() if report.item.id in rows else []
        planned = sum(p for p, _ in cells)
        done = sum(d for p, d in cells if p)
        extra = sum(1 for p, d in cells if d and not p)
        assert (planned, done, extra) == (
            report.adherence.planned,
            report.adherence.done,
            report.adherence.extra,
        ), report.item.title
        checked += report.adherence.planned
    assert checked


@pytest.mark.parametrize("seed", [7, 10])
def test_distress_per_strategy_equals_the_clients_calm_history(
    session: Session, therapist: User, seed: int
) -> None:
    rng = random.Random(seed)
    client = factories.client(session, therapist=therapist, time_zone="America/New_York")
    zone = ZoneInfo(client.time_zone)
    start, end = date(2026, 11, 2), date(2026, 11, 15)
    for _ in range(80):
        at = datetime(2026, 10, 30, tzinfo=UTC) + timedelta(minutes=rng.randrange(20 * 24 * 60))
        key = rng.choice(["breathing", "walk", "cold_water"])
        session.add(
            DistressEpisode(
                id=uuid.uuid4(),
                client_id=client.id,
                strategy_key=key,
                strategy_title=key.title(),
                before=rng.randint(3, 10),
                after=rng.randint(0, 10),
                seconds=60,
                started_at=at,
            )
        )
    session.commit()
    with clock.frozen_at(noon(end)):
        mine = coping_service.recent_episodes(session, client_id=client.id, limit=1000)
        rec = record.load(session, client, start=start, end=end)
    by_title: dict[str, list[DistressEpisode]] = defaultdict(list)
    for e in mine:
        if start <= e.started_at.astimezone(zone).date() <= end:
            by_title[e.strategy_title].append(e)
    expected = {
        title: (
            sum(e.before for e in eps) / len(eps),
            sum(e.after for e in eps) / len(eps),
            len(eps),
        )
        for title, eps in by_title.items()
    }
    (figure,) = [f for p in rec.parts for f in p.figures if f.key == "distress"]
    got = {title: (before, after, uses) for title, before, after, uses in figure.items}  # type: ignore[union-attr]
    assert got == expected
