"""The therapist's client page (`GET /caseload/{id}`): every domain's overview, read with
prebuilt column statements, must say what a straightforward computation over all of the
client's rows says (seeded, random data on SQLite and PostgreSQL), and the page's statement
count must not grow with the length of the client's history."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from app.accounts.models import User
from app.coping import overview as coping_overview
from app.coping.models import DistressEpisode
from app.homework import overview as homework_overview
from app.homework import queries as homework_queries
from app.homework.models import HomeworkAssignment, HomeworkCompletion, HomeworkNotice
from app.progress import goals
from app.progress import overview as progress_overview
from app.progress.models import Goal, GoalRating, MeasureResponse, SessionNote
from app.sections import client_overview_sections
from app.self_care import overview as self_care_overview
from app.self_care.models import Habit, HabitLevel, HabitSuggestion, MoodLog
from tests import factories
from tests.conftest import Http
from tests.statements import captured_statements

NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
TODAY = NOW.date()
STATES = ["requested", "accepted", "in_progress", "completed", "cancelled", "change_requested"]


def _seed(session: Session, client: User, therapist: User, rng: random.Random, days: int) -> None:
    """`days` of history: goals and ratings, answers (some urgent, some followed up), session
    notes, habits with levels and suggestions, mood logs, calm episodes, homework."""
    start = TODAY - timedelta(days=days)
    goal_rows = [
        Goal(
            client_id=client.id,
            created_by_id=therapist.id,
            title=f"G{i}",
            level_m2="a",
            level_m1="b",
            level_0="c",
            level_p1="d",
            level_p2="e",
            weight=rng.choice([1.0, 2.0]),
            created_at=NOW - timedelta(days=days - i),
            archived_at=NOW if i == 3 else None,
        )
        for i in range(4)
    ]
    session.add_all(goal_rows)
    session.flush()
    for n in range(days // 3):
        for goal in rng.sample(goal_rows, rng.randint(1, 3)):
            session.add(
                GoalRating(
                    goal_id=goal.id,
                    client_id=client.id,
                    level=rng.randint(-2, 2),
                    rated_on=start + timedelta(days=3 * n),
                    rated_by_id=therapist.id,
                    created_at=NOW - timedelta(days=days - 3 * n, seconds=rng.randint(0, 99)),
                )
            )
    for n in range(days // 7):
        urgent = n == 0 or rng.random() < 0.3
        session.add(
            MeasureResponse(
                client_id=client.id,
                code="phq9",
                answers=[0] * 9,
                total=rng.randint(0, 27),
                band="x",
                urgent=urgent,
                answered_at=NOW - timedelta(days=7 * n),
                acknowledged_at=NOW if urgent and n and rng.random() < 0.5 else None,
            )
        )
        if n % 2:
            session.add(
                SessionNote(
                    client_id=client.id,
                    session_on=TODAY - timedelta(days=7 * n),
                    created_by_id=therapist.id,
                )
            )
    for i in range(3):
        habit = Habit(
            client_id=client.id,
            created_by_id=therapist.id,
            life_area="movement",
            title=f"H{i}",
            source="personal",
            level=rng.randint(1, 3),
            highest_level=3,
            level_started_on=start,
            started_on=start,
            created_at=NOW - timedelta(days=days - i),
            archived_at=NOW if i == 2 else None,
        )
        session.add(habit)
        session.flush()
        for number in (1, 2, 3):
            session.add(
                HabitLevel(
                    habit_id=habit.id,
                    number=number,
                    description=f"Level {number}",
                    target_kind="days",
                    days="0123456",
                )
            )
        for k in range(rng.randint(1, 3)):
            session.add(
                HabitSuggestion(
                    habit_id=habit.id,
                    direction="up",
                    from_level=1,
                    to_level=2,
                    message="m",
                    created_on=TODAY,
                    state="pending" if k == 0 else rng.choice(["pending", "declined"]),
                )
            )
    for n in range(days):
        if rng.random() < 0.7:
            session.add(
                MoodLog(
                    id=uuid.uuid4(),
                    client_id=client.id,
                    mood=rng.randint(1, 5),
                    logged_on=TODAY - timedelta(days=n),
                )
            )
        for _ in range(rng.randint(0, 3)):
            before = rng.randint(3, 10)
            session.add(
                DistressEpisode(
                    id=uuid.uuid4(),
                    client_id=client.id,
                    strategy_key="breathing",
                    strategy_title="Breathing",
                    before=before,
                    after=rng.randint(0, before),
                    started_at=NOW - timedelta(days=n, minutes=rng.randint(0, 1400)),
                )
            )
    for i in range(max(3, days // 10)):
        due = start + timedelta(days=rng.randint(0, days + 10))
        a = HomeworkAssignment(
            client_id=client.id,
            therapist_id=therapist.id,
            kind="practice",
            title=f"A{i}",
            start_on=due - timedelta(days=5),
            due_on=due,
            state=STATES[0] if i == 0 else rng.choice(STATES),
            created_at=NOW - timedelta(days=i),
        )
        session.add(a)
        session.flush()
        for k in range(rng.randint(1, 3)):
            session.add(
                HomeworkCompletion(
                    assignment_id=a.id,
                    client_id=client.id,
                    done_on=due,
                    created_at=NOW
                    - timedelta(days=rng.randint(0, 14) if k else 1, hours=rng.randint(0, 23)),
                )
            )
        for k in range(rng.randint(1, 2)):
            session.add(
                HomeworkNotice(
                    therapist_id=therapist.id,
                    client_id=client.id,
                    assignment_id=a.id,
                    kind="done",
                    text=f"N{rng.randint(0, 10**6)}",
                    created_at=NOW - timedelta(minutes=rng.randint(0, 10**5)),
                    read_at=NOW if k and rng.random() < 0.5 else None,
                )
            )
    session.flush()


def _all(session: Session, model: type, client: User) -> list:  # type: ignore[type-arg]
    return list(session.exec(select(model).where(model.client_id == client.id)))  # type: ignore[attr-defined]


def _expected_progress(session: Session, client: User) -> dict[str, object]:
    responses = _all(session, MeasureResponse, client)
    all_goals = sorted(_all(session, Goal, client), key=lambda g: g.created_at)
    points = goals.t_series(all_goals, goals.ratings(session, client.id))
    notes = [n.session_on for n in _all(session, SessionNote, client)]
    return {
        "urgent": sum(1 for r in responses if r.urgent and r.acknowledged_at is None),
        "active_goals": sum(1 for g in all_goals if g.archived_at is None),
        "t": points[-1] if points else None,
        "last_session": max(notes) if notes else None,
    }


def _expected_self_care(session: Session, client: User) -> dict[str, object]:
    habits = sorted(
        (h for h in _all(session, Habit, client) if h.archived_at is None),
        key=lambda h: h.created_at,
    )
    levels = {(lv.habit_id, lv.number): lv.description for lv in session.exec(select(HabitLevel))}
    mine = {h.id for h in _all(session, Habit, client)}
    moods = sorted(_all(session, MoodLog, client), key=lambda m: m.logged_on)
    return {
        "habits": [(h.title, h.level, h.highest_level, levels[(h.id, h.level)]) for h in habits],
        "waiting": sum(
            1
            for s in session.exec(select(HabitSuggestion))
            if s.habit_id in mine and s.state == "pending"
        ),
        "last_mood": (moods[-1].logged_on, moods[-1].mood) if moods else None,
    }


def _expected_calm(session: Session, client: User) -> dict[str, object]:
    recent = sorted(
        (
            e
            for e in _all(session, DistressEpisode, client)
            if e.started_at >= NOW - timedelta(days=14)
        ),
        key=lambda e: e.started_at,
        reverse=True,
    )[: coping_overview.LIMIT]
    n = len(recent)
    return {
        "count": n,
        "mean_before": round(sum(e.before for e in recent) / n, 1) if n else None,
        "mean_drop": round(sum(e.before - e.after for e in recent) / n, 1) if n else None,
        "high": sum(1 for e in recent if e.after >= 8),
    }


def _expected_homework(session: Session, client: User) -> dict[str, object]:
    rows = homework_queries.for_client(session, client.id)
    notices = sorted(
        (n for n in _all(session, HomeworkNotice, client) if n.read_at is None),
        key=lambda n: n.created_at,
        reverse=True,
    )[:5]
    return {
        "open": [(a.id, a.title, a.state) for a in rows if a.state in homework_queries.ACTIVE],
        "total": len(rows),
        "done_week": sum(
            1
            for c in _all(session, HomeworkCompletion, client)
            if c.created_at >= NOW - timedelta(days=7)
        ),
        "notices": [(n.assignment_id, n.text) for n in notices],
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_overviews_match_a_straightforward_reading(
    session: Session, therapist: User, seed: int
) -> None:
    client = factories.client(session, therapist=therapist)
    _seed(session, client, therapist, random.Random(seed), days=60)

    ctx = progress_overview.client_overview(session=session, client=client, now=NOW).context  # type: ignore[union-attr]
    expected = _expected_progress(session, client)
    assert expected["t"] is not None
    assert expected["urgent"]
    assert expected["last_session"]
    assert {k: ctx[k] for k in expected} == expected

    ctx = self_care_overview.client_overview(session=session, client=client, now=NOW).context  # type: ignore[union-attr]
    expected = _expected_self_care(session, client)
    assert expected["waiting"]
    assert {
        # Built-in words are worded when shown (in the reader's language): read them as shown.
        "habits": [(str(t), level, top, str(d)) for t, level, top, d, _own in ctx["habits"]],
        "waiting": ctx["waiting"],
        "last_mood": ctx["last_mood"],
    } == expected

    ctx = coping_overview.client_overview(session=session, client=client, now=NOW).context  # type: ignore[union-attr]
    expected = _expected_calm(session, client)
    assert expected["count"]
    assert {k: ctx[k] for k in expected} == expected

    ctx = homework_overview.client_overview(session=session, client=client, now=NOW).context  # type: ignore[union-attr]
    expected = _expected_homework(session, client)
    assert expected["open"]
    assert expected["notices"]
    assert expected["done_week"]
    got = {
        "open": [(a.id, a.title, a.state) for a in ctx["open"]],
        "total": ctx["total"],
        "done_week": ctx["done_week"],
        "notices": [(n.assignment_id, n.text) for n in ctx["notices"]],
    }
    assert got == expected


def test_latest_t_ignores_another_clients_goals(session: Session, therapist: User) -> None:
    """The latest T uses only this client's goals, each at its latest level."""
    client = factories.client(session, therapist=therapist)
    _seed(session, client, therapist, random.Random(7), days=30)
    points = goals.t_series(goals.all_goals(session, client.id), goals.ratings(session, client.id))
    assert progress_overview.latest_t(session, client.id) == points[-1]


def _statements(session: Session, client: User) -> int:
    with captured_statements(session) as seen:
        client_overview_sections(session=session, client=client, now=NOW)
    return len(seen)


def test_statement_count_does_not_grow_with_history(session: Session, therapist: User) -> None:
    short = factories.client(session, therapist=therapist)
    long = factories.client(session, therapist=therapist)
    _seed(session, short, therapist, random.Random(1), days=21)
    _seed(session, long, therapist, random.Random(2), days=200)
    assert _statements(session, short) == _statements(session, long)


def test_client_page_shows_each_overview(http: Http, session: Session, therapist: User) -> None:
    client = factories.client(session, therapist=therapist)
    _seed(session, client, therapist, random.Random(4), days=30)
    expected = _expected_progress(session, client)
    page = http.as_(therapist).get(f"/caseload/{client.id}")
    assert page.status_code == 200
    assert f"{expected['active_goals']} goals · GAS T-score" in page.text
    assert "PHQ-9 item 9 answered above 0" in page.text
    assert ", level " in page.text  # the habits' current levels, lower-cased
    assert "in the last two weeks" in page.text  # calm


def test_sensory_overview_matches_its_domain_readers(session: Session, therapist: User) -> None:
    """Senses: the latest profile version's summary and this week's diet adherence, as the
    sensory domain's own readers give them (an ended item and last week's check-offs included)."""
    from app.sensory import diet_queries, diet_service, service
    from app.sensory import overview as sensory_overview
    from app.sensory.catalog import checklist
    from app.sensory.models import SensoryDietCheckoff, SensoryDietItem, SensoryProfileVersion
    from app.sensory.profile import summarize
    from app.sensory.vocabulary import RESPONSES, SYSTEMS

    client = factories.client(session, therapist=therapist)
    rng = random.Random(9)
    cl = checklist()
    for version in (1, 2):
        session.add(
            SensoryProfileVersion(
                client_id=client.id,
                version=version,
                created_by_id=therapist.id,
                responses={s: rng.choice(list(RESPONSES)) for s in SYSTEMS},
                triggers=rng.sample(sorted(cl.choices("triggers")), 2),
                calming=rng.sample(sorted(cl.choices("calming")), 2),
                alerting=[],
            )
        )
    today = TODAY
    for i in range(4):
        item = SensoryDietItem(
            client_id=client.id,
            title=f"Item {i}",
            local_time=datetime(2026, 1, 1, 8 + i).time(),
            days_mask=rng.randint(1, 127),
            effect="calming",
            course="short",
            created_by_id=therapist.id,
            starts_on=today - timedelta(days=20),
            ends_on=today - timedelta(days=1) if i == 3 else None,
        )
        session.add(item)
        session.flush()
        for back in range(10):
            if rng.random() < 0.5:
                session.add(
                    SensoryDietCheckoff(
                        item_id=item.id,
                        client_id=client.id,
                        done_on=today - timedelta(days=back),
                        felt_after="just_right",
                        created_by_id=client.id,
                    )
                )
    session.flush()

    ctx = sensory_overview.client_overview(session=session, client=client, now=NOW).context  # type: ignore[union-attr]
    profile = service.answers_of(service.latest_profile(session, client.id))
    assert profile is not None
    lines = ctx["lines"]()  # worded when the page is drawn, in the reader's language
    assert lines == list(summarize(profile, name=client.preferred_name).lines)[:4]
    assert lines
    items = diet_service.list_items(session, client=client, include_ended=True)
    day = NOW.astimezone(diet_queries.zone(client)).date()
    assert ctx["week"] == diet_queries.week_adherence(session, client, items, day)
    assert ctx["week"].planned


def test_progress_overview_without_goals_or_ratings(session: Session, therapist: User) -> None:
    """Nothing rated yet: the counts still come through (one row of NULL ratings)."""
    client = factories.client(session, therapist=therapist)
    session.add(
        MeasureResponse(
            client_id=client.id,
            code="phq9",
            answers=[0] * 9,
            total=12,
            band="x",
            urgent=True,
            answered_at=NOW,
        )
    )
    session.add(SessionNote(client_id=client.id, session_on=TODAY, created_by_id=therapist.id))
    session.flush()
    ctx = progress_overview.client_overview(session=session, client=client, now=NOW).context  # type: ignore[union-attr]
    assert (ctx["urgent"], ctx["active_goals"], ctx["t"], ctx["last_session"]) == (
        1,
        0,
        None,
        TODAY,
    )


def test_self_care_overview_with_moods_but_no_habits(session: Session, therapist: User) -> None:
    client = factories.client(session, therapist=therapist)
    for back, mood in ((3, 2), (1, 4)):
        session.add(
            MoodLog(
                id=uuid.uuid4(),
                client_id=client.id,
                mood=mood,
                logged_on=TODAY - timedelta(days=back),
            )
        )
    session.flush()
    ctx = self_care_overview.client_overview(session=session, client=client, now=NOW).context  # type: ignore[union-attr]
    assert (ctx["habits"], ctx["waiting"], ctx["last_mood"]) == (
        [],
        0,
        (TODAY - timedelta(days=1), 4),
    )
