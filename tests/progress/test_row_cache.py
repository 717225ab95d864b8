"""The dashboard's row cache is validated, never trusted: every kind of change a therapist sees
shows on the very next request after a cached one, the week rolls over at the client's own
midnight, and cached rows equal rows computed from scratch (SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, event, update
from sqlalchemy.sql.util import find_tables
from sqlmodel import Session, col, select

from app import clock, data_version, demo
from app.accounts.models import CareLink, User
from app.coping import service as coping
from app.domains import plugins
from app.homework import service as homework
from app.homework.schemas import ClientAction, CompletionCreate
from app.progress import dashboard, flags, measure_service, row_cache
from app.progress.flags import Row
from app.progress.schemas import ResponseCreate, ScheduleCreate
from app.reminders import record
from app.reminders.models import PushSubscription
from app.reminders.webpush import PushOutcome
from app.routines import runs
from app.routines import service as routines
from app.routines.models import RoutinePause
from app.routines.schemas import RoutineCreate, StepIn
from app.self_care import mood
from app.self_care.models import HabitCheckIn, HabitLevel, MoodLog
from app.self_care.schemas import MoodCreate
from tests import factories
from tests.homework.helpers import assignment, principal
from tests.progress.test_dashboard_queries import _busy_client
from tests.self_care.helpers import check, start
from tests.statements import captured_statements

NOW = datetime(2026, 11, 18, 12, tzinfo=UTC)  # a Wednesday


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with clock.frozen_at(NOW):
        yield


def cached(session: Session, therapist: User, now: datetime | None = None) -> dict[uuid.UUID, Row]:
    rows = dashboard.rows(session, therapist_id=therapist.id, now=now or clock.now())
    return {r.client_id: r for r in rows}


def uncached(
    session: Session, therapist: User, now: datetime | None = None
) -> dict[uuid.UUID, Row]:
    """The reference: every domain asked afresh for every client, no cache involved."""
    now = now or clock.now()
    clients = dashboard.caseload(session, therapist.id)
    merged = flags.merge(dashboard.collect(session, [c.id for c in clients], now))
    rows = flags.build_rows([(c.id, c.name) for c in clients], merged, now=now)
    return {r.client_id: r for r in rows}


def after_change(
    session: Session, therapist: User, client: User, change: Callable[[], object]
) -> tuple[Row, Row]:
    """The client's row from a cached request, then on the very next request after `change`."""
    cached(session, therapist)
    before = cached(session, therapist)[client.id]  # served from the cache
    change()
    after = cached(session, therapist)
    assert after == uncached(session, therapist)
    return before, after[client.id]


def codes(row: Row) -> set[str]:
    return {f.code for f in row.flags}


@pytest.fixture
def client(session: Session, therapist: User) -> User:
    person = factories.client(session, therapist=therapist, name="Alex")
    factories.client(session, therapist=therapist, name="Bea")  # a neighbour, cached throughout
    session.commit()
    return person


def test_a_new_distress_episode_at_8_shows_at_once(
    session: Session, therapist: User, client: User
) -> None:
    def change() -> None:
        coping.record_episode(
            session=session,
            client=client,
            data=coping.EpisodeInput(
                id=uuid.uuid4(),
                strategy_key="box-breathing",
                before=9,
                after=5,
                seconds=60,
                started_at=NOW - timedelta(minutes=5),
            ),
        )

    before, after = after_change(session, therapist, client, change)
    assert "high_distress" not in codes(before)
    assert "high_distress" in codes(after)
    assert after.episodes == 1


def test_a_routine_step_done_shows_at_once(session: Session, therapist: User, client: User) -> None:
    with clock.frozen_at(NOW - timedelta(days=10)):
        routine = routines.create_routine(
            session=session,
            client_id=client.id,
            tz=client.time_zone,
            created_by_id=client.id,
            data=RoutineCreate(title="Wash", steps=[StepIn(title="wash")]),
        )
    step = routines.steps_of(session, routine.id)[0]

    def change() -> None:
        runs.record_outcome(
            session=session,
            routine=routine,
            tz=client.time_zone,
            outcome_id=uuid.uuid4(),
            step_id=step.id,
            status="done",
        )

    before, after = after_change(session, therapist, client, change)
    assert before.by_label["Routines"][0] == 0
    assert after.by_label["Routines"][0] == 1
    assert after.last_activity_at is not None


def test_a_routine_pause_shows_at_once(session: Session, therapist: User, client: User) -> None:
    """A pause has no client_id of its own: the bump finds the client through its routine."""
    with clock.frozen_at(NOW - timedelta(days=10)):
        routine = routines.create_routine(
            session=session,
            client_id=client.id,
            tz=client.time_zone,
            created_by_id=client.id,
            data=RoutineCreate(title="Wash", steps=[StepIn(title="wash")]),
        )

    def change() -> None:
        session.add(
            RoutinePause(
                routine_id=routine.id, starts_on=date(2026, 11, 16), ends_on=date(2026, 11, 18)
            )
        )
        session.commit()

    before, after = after_change(session, therapist, client, change)
    assert before.by_label["Routines"][1] == 3  # Monday to Wednesday planned
    assert after.by_label["Routines"][1] == 0


def test_a_habit_check_in_shows_at_once(session: Session, therapist: User, client: User) -> None:
    with clock.frozen_at(NOW - timedelta(days=10)):
        habit = start(session, client, "washing", level=2)
    before, after = after_change(session, therapist, client, lambda: check(session, client, habit))
    assert after.by_label["Self-care habits"][0] > before.by_label["Self-care habits"][0]
    assert after.last_activity_at == NOW


def test_a_habit_check_in_posted_over_http_shows_at_once(
    http: Any, session: Session, therapist: User, client: User
) -> None:
    with clock.frozen_at(NOW - timedelta(days=10)):
        habit = start(session, client, "washing", level=2)
    http.as_(therapist)
    http.get("/api/v1/dashboard")
    first = {r["client_id"]: r for r in http.get("/api/v1/dashboard").json()}[str(client.id)]
    posted = http.as_(client).post(
        f"/api/v1/habits/{habit.id}/check-ins", json={"id": str(uuid.uuid4()), "outcome": "done"}
    )
    assert posted.status_code == 201, posted.text
    rows = http.as_(therapist).get("/api/v1/dashboard").json()
    second = {r["client_id"]: r for r in rows}[str(client.id)]
    assert first["last_activity_at"] is None
    assert second["last_activity_at"] is not None
    assert second["adherence"] != first["adherence"]


def test_homework_done_clears_overdue_at_once(
    session: Session, therapist: User, client: User
) -> None:
    with clock.frozen_at(NOW - timedelta(days=3)):
        a = assignment(session, therapist, client, due_on=clock.local_today(client.time_zone))
        me = principal(session, client)
        homework.client_action(session, client=me, assignment=a, data=ClientAction(action="accept"))

    def change() -> None:
        homework.complete(
            session,
            client=principal(session, client),
            assignment=a,
            data=CompletionCreate(reflection="done at last"),
        )

    before, after = after_change(session, therapist, client, change)
    assert "homework_overdue" in codes(before)
    assert "homework_overdue" not in codes(after)


def test_a_phq9_item_9_answer_and_its_follow_up_show_at_once(
    session: Session, therapist: User, client: User
) -> None:
    measure_service.schedule(
        session,
        therapist=principal(session, therapist),
        client=client,
        data=ScheduleCreate(code="phq9"),
    )
    answered: list[Any] = []

    def answer() -> None:
        answered.append(
            measure_service.submit(
                session,
                client=principal(session, client),
                code="phq9",
                data=ResponseCreate(answers=[0] * 8 + [1]),
            )
        )

    before, after = after_change(session, therapist, client, answer)
    assert "phq9_item9" not in codes(before)
    assert "phq9_item9" in codes(after)

    def follow_up() -> None:
        measure_service.acknowledge(
            session, therapist=principal(session, therapist), row=answered[0]
        )

    before, after = after_change(session, therapist, client, follow_up)
    assert "phq9_item9" in codes(before)
    assert "phq9_item9" not in codes(after)


def test_a_push_subscription_gone_shows_at_once(
    session: Session, therapist: User, client: User
) -> None:
    sub = PushSubscription(
        client_id=client.id,
        endpoint=f"https://push.example/{uuid.uuid4()}",
        p256dh="k",
        auth="a",
        device_name="Phone",
    )
    session.add(sub)
    session.commit()

    def change() -> None:  # the dispatcher's bulk UPDATE, not an ORM change
        record._subscription_health(session, {sub.id: PushOutcome.GONE}, NOW)
        session.commit()

    before, after = after_change(session, therapist, client, change)
    assert "reminders_device_gone" not in codes(before)
    assert "reminders_device_gone" in codes(after)


def test_a_mood_log_shows_at_once(session: Session, therapist: User, client: User) -> None:
    for days in (1, 2, 3):
        session.add(
            MoodLog(
                id=uuid.uuid4(),
                client_id=client.id,
                mood=1,
                logged_on=NOW.date() - timedelta(days=days),
            )
        )
    session.commit()

    def change() -> None:
        mood.log(session=session, client=client, data=MoodCreate(id=uuid.uuid4(), mood=1))

    before, after = after_change(session, therapist, client, change)
    assert "self_care.low_mood" not in codes(before)
    assert "self_care.low_mood" in codes(after)
    assert after.last_activity_at == NOW


def test_bulk_update_and_delete_of_a_watched_table_bump(
    session: Session, therapist: User, client: User
) -> None:
    """`do_orm_execute` catches bulk writes through the session, with and without a client_id."""
    with clock.frozen_at(NOW - timedelta(days=10)):
        habit = start(session, client, "washing", level=2)
    check(session, client, habit)

    def skipped() -> None:  # Core, on the Table, as the reminders dispatcher writes
        table = HabitCheckIn.__table__  # type: ignore[attr-defined]
        session.execute(
            update(table).where(table.c.client_id == client.id).values(outcome="not_today")
        )

    before, after = after_change(session, therapist, client, skipped)
    assert after.by_label["Self-care habits"][0] < before.by_label["Self-care habits"][0]

    def forget() -> None:
        session.execute(delete(HabitCheckIn).where(col(HabitCheckIn.client_id) == client.id))

    before, after = after_change(session, therapist, client, forget)
    assert after.by_label["Self-care habits"] == before.by_label["Self-care habits"]  # none done
    assert after.last_activity_at is None
    assert before.last_activity_at is not None

    def mondays_only() -> None:
        session.execute(
            update(HabitLevel).where(col(HabitLevel.habit_id) == habit.id).values(days="0")
        )

    before, after = after_change(session, therapist, client, mondays_only)
    assert after.by_label["Self-care habits"][1] < before.by_label["Self-care habits"][1]


def test_the_week_rolls_over_at_the_clients_midnight(session: Session, therapist: User) -> None:
    """Auckland's midnight is 11:00 UTC: homework due "today" there turns overdue at once, with
    the client's data unchanged, while a London client's day has not changed."""
    auckland = factories.client(
        session, therapist=therapist, name="Aro", time_zone="Pacific/Auckland"
    )
    london = factories.client(session, therapist=therapist, name="Lou", time_zone="Europe/London")
    late = datetime(2026, 11, 18, 10, 30, tzinfo=UTC)  # 23:30 in Auckland
    with clock.frozen_at(late - timedelta(days=2)):
        for person in (auckland, london):
            assignment(session, therapist, person, due_on=date(2026, 11, 18))
    with clock.frozen_at(late):
        cached(session, therapist)
        evening = cached(session, therapist)
        assert "homework_overdue" not in codes(evening[auckland.id])
    with clock.frozen_at(late + timedelta(hours=1)):  # 00:30 on the 19th in Auckland
        morning = cached(session, therapist)
        assert morning == uncached(session, therapist)
    assert "homework_overdue" in codes(morning[auckland.id])
    assert "homework_overdue" not in codes(morning[london.id])


def test_only_stale_clients_are_recomputed(
    session: Session, therapist: User, client: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache really serves: a warm request asks the cached domains nothing; after one
    client's change, only that client."""
    module = dict(plugins("signals"))["routines"]
    real = module.caseload_signals
    asked: list[list[uuid.UUID]] = []

    def spy(*, session: Session, client_ids: list[uuid.UUID], now: datetime) -> Any:
        asked.append(list(client_ids))
        return real(session=session, client_ids=client_ids, now=now)

    monkeypatch.setattr(module, "caseload_signals", spy)
    cached(session, therapist)
    assert len(asked) == 1
    assert len(asked[0]) == 2
    asked.clear()
    cached(session, therapist)
    assert asked == []
    session.add(MoodLog(id=uuid.uuid4(), client_id=client.id, mood=3, logged_on=NOW.date()))
    session.commit()
    cached(session, therapist)
    assert asked == [[client.id]]


def test_a_failed_domain_is_not_cached_as_empty(
    session: Session, therapist: User, client: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    with clock.frozen_at(NOW - timedelta(days=10)):
        habit = start(session, client, "washing", level=2)
    check(session, client, habit)
    module = dict(plugins("signals"))["self_care"]
    real = module.caseload_signals

    def broken(**_kw: Any) -> Any:
        raise RuntimeError("a bug")

    row_cache.CACHE.clear()
    monkeypatch.setattr(module, "caseload_signals", broken)
    assert "Self-care habits" not in cached(session, therapist)[client.id].by_label
    monkeypatch.setattr(module, "caseload_signals", real)
    assert "Self-care habits" in cached(session, therapist)[client.id].by_label


@pytest.mark.parametrize("domain", ["self_care", "reminders"])
def test_a_failing_domain_leaves_the_others_in_place_for_cached_and_stale_clients(
    session: Session, therapist: User, domain: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cached domain (self-care) or an uncached one (reminders) failing while some clients are
    served from the cache and others are recomputed: every other domain still lands in its own
    place, exactly as the uncached reference without that domain."""
    made = [_busy_client(session, therapist, n) for n in range(3)]
    cached(session, therapist)  # warm
    session.add(
        MoodLog(
            id=uuid.uuid4(), client_id=made[0].id, mood=2, logged_on=NOW.date() + timedelta(days=1)
        )
    )
    session.commit()  # made[0] is stale, the others are hits
    module = dict(plugins("signals"))[domain]

    def broken(**_kw: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(module, "caseload_signals", broken)
    assert cached(session, therapist) == uncached(session, therapist)
    monkeypatch.undo()
    assert cached(session, therapist) == uncached(session, therapist)


def test_cached_rows_equal_uncached_rows_for_the_demo_seed(session: Session) -> None:
    """The demo clinic: every domain's history, clients in several time zones."""
    demo.seed(session)
    therapist_ids = session.exec(select(CareLink.therapist_id).distinct()).all()
    for tid in therapist_ids:
        therapist = session.get(User, tid)
        assert therapist is not None
        reference = uncached(session, therapist)
        assert cached(session, therapist) == reference  # cold
        assert cached(session, therapist) == reference  # warm
    for hours in (9, 30, 24 * 6):  # through several local midnights and into a new week
        later = NOW + timedelta(hours=hours)
        with clock.frozen_at(later):
            for tid in therapist_ids:
                therapist = session.get(User, tid)
                assert therapist is not None
                assert cached(session, therapist) == uncached(session, therapist)


def test_cached_rows_equal_uncached_rows_for_busy_clients(
    session: Session, therapist: User
) -> None:
    made = [_busy_client(session, therapist, n) for n in range(4)]
    reference = uncached(session, therapist)
    assert cached(session, therapist) == reference
    assert cached(session, therapist) == reference
    check_in_client = made[1]
    session.add(
        MoodLog(
            id=uuid.uuid4(),
            client_id=check_in_client.id,
            mood=5,
            logged_on=NOW.date() - timedelta(days=5),
        )
    )
    session.commit()
    assert cached(session, therapist) == uncached(session, therapist)


def test_statements_read_only_watched_tables(session: Session, therapist: User) -> None:
    """Every table a cached domain reads is one whose writes bump the version: a domain that
    starts reading a new table must mark it `data_version.watched()` in its model (or this fails)."""
    for n in range(2):
        _busy_client(session, therapist, n)
    ids = [c.id for c in dashboard.caseload(session, therapist.id)]
    read: dict[str, set[str]] = {}
    connection = session.connection()
    for domain, module in plugins("signals"):
        if domain not in row_cache.CACHED_DOMAINS:
            continue
        tables: set[str] = set()

        def before(_conn: Any, clause: Any, *_args: Any, into: set[str] = tables) -> None:
            into.update(t.name for t in find_tables(clause, include_joins=True, include_crud=True))

        event.listen(connection, "before_execute", before)
        try:
            module.caseload_signals(session=session, client_ids=ids, now=NOW)
        finally:
            event.remove(connection, "before_execute", before)
        read[domain] = tables
    assert read.keys() == row_cache.CACHED_DOMAINS
    for domain, tables in read.items():
        assert tables, domain
        assert tables - {"user_account"} <= data_version.watched_tables(), (domain, tables)


def test_a_write_bumps_only_its_own_client(session: Session, therapist: User) -> None:
    a = factories.client(session, therapist=therapist)
    b = factories.client(session, therapist=therapist)
    session.commit()
    start_versions = data_version.versions(session, [a.id, b.id])
    session.add(MoodLog(id=uuid.uuid4(), client_id=a.id, mood=3, logged_on=NOW.date()))
    session.commit()
    now_versions = data_version.versions(session, [a.id, b.id])
    assert now_versions.get(a.id) not in (None, start_versions.get(a.id))
    assert now_versions.get(b.id) == start_versions.get(b.id)


def test_statement_count_for_a_warm_and_a_partly_stale_caseload_does_not_grow(
    session: Session, therapist: User
) -> None:
    counts: dict[int, tuple[int, int, int]] = {}
    made: list[User] = []
    for size in (2, 10):
        while len(made) < size:
            made.append(_busy_client(session, therapist, len(made)))
        row_cache.CACHE.clear()
        with captured_statements(session) as cold:
            dashboard.rows(session, therapist_id=therapist.id, now=NOW)
        with captured_statements(session) as warm:
            dashboard.rows(session, therapist_id=therapist.id, now=NOW)
        session.add(
            MoodLog(
                id=uuid.uuid4(),
                client_id=made[0].id,
                mood=3,
                logged_on=NOW.date() - timedelta(days=size + 3),
            )
        )
        session.commit()
        with captured_statements(session) as partly:
            dashboard.rows(session, therapist_id=therapist.id, now=NOW)
        counts[size] = (len(cold), len(warm), len(partly))
    assert counts[2] == counts[10], counts
    cold_n, warm_n, partly_n = counts[2]
    assert warm_n < cold_n, counts
    assert partly_n == cold_n, counts


def test_calm_episodes_leave_the_rolling_weeks_on_time(
    session: Session, therapist: User, client: User
) -> None:
    """Calm counts the last 7×24 h and the 7×24 h before: with no new data, the cached answer
    must expire when an episode crosses either edge, hours before the client's midnight."""
    for age in (timedelta(days=7) - timedelta(hours=1), timedelta(days=14) - timedelta(hours=3)):
        coping.record_episode(
            session=session,
            client=client,
            data=coping.EpisodeInput(
                id=uuid.uuid4(),
                strategy_key="box-breathing",
                before=6,
                after=3,
                seconds=60,
                started_at=NOW - age,
            ),
        )
    cached(session, therapist)
    first = cached(session, therapist)[client.id]
    assert (first.episodes, first.episodes_prev) == (1, 1)
    steps = [(timedelta(hours=2), (0, 2)), (timedelta(hours=4), (0, 1))]
    for ahead, expected in steps:
        with clock.frozen_at(NOW + ahead):
            rows = cached(session, therapist)
            assert rows == uncached(session, therapist)
            assert (rows[client.id].episodes, rows[client.id].episodes_prev) == expected
