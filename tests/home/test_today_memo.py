"""Today's kept sections (app/sections.py) are validated, never trusted: after every kind of
write a client or their therapist makes, and as the client's day and its parts go by, a view
served from kept sections equals one drawn from scratch (SQLite and PostgreSQL). Kept views get
fresh form ids, other readers never see someone else's token, and a kept section reads only
tables whose writes change the client's data version."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta
from itertools import count
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import Session, col, select

from app import clock, data_version, sections, write_marks
from app.accounts import service as accounts
from app.accounts.models import User
from app.homework import service as homework
from app.homework.models import HomeworkAssignment
from app.homework.schemas import CompletionCreate
from app.occupation import diary_service
from app.occupation.schemas import DiaryEntryIn
from app.progress import measure_service
from app.progress.schemas import ResponseCreate, ScheduleCreate
from app.routines import runs
from app.routines import service as routines
from app.routines.models import Routine, RoutinePause
from app.routines.schemas import RoutineCreate, StepIn
from app.sections import Reader, forget_drawn_sections, today_sections
from app.self_care import levels, mood, pauses
from app.self_care import service as self_care
from app.self_care.models import Habit, HabitCheckIn
from app.self_care.schemas import MoodCreate, PauseCreate
from app.sensory import diet_service
from app.sensory.catalog import activities
from app.sensory.models import SensoryDietItem
from tests import factories
from tests.home.test_today import give
from tests.homework.helpers import principal
from tests.self_care.helpers import check, start
from tests.statements import captured_statements

NOW = datetime(2026, 11, 18, 12, tzinfo=UTC)  # a Wednesday, noon in London
READER = Reader(language="en", csrf="token-of-this-session")
View = list[tuple[str, str, str, int]]


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with clock.frozen_at(NOW):
        yield


@pytest.fixture(autouse=True)
def counted_ids(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Form ids from a counter restarted by each `view`, so a kept view and a fresh one can be
    compared byte for byte (`test_kept_views_get_new_form_ids` checks the real ones)."""
    monkeypatch.setattr(sections, "uuid", SimpleNamespace(uuid4=lambda: next(_ids)))
    forget_drawn_sections()
    yield
    forget_drawn_sections()


_ids: Iterator[uuid.UUID] = iter(())


def view(
    session: Session, client: User, *, at: datetime | None = None, reader: Reader = READER
) -> View:
    """The client's Today sections as the page shows them."""
    global _ids
    _ids = (uuid.UUID(int=n) for n in count(1))
    now = at or clock.now()
    day = now.astimezone(clock.zone(client.time_zone)).date()
    drawn = today_sections(session=session, client=client, day=day, now=now, reader=reader)
    return [(d.key, str(d.title), str(d.html), d.order) for d in drawn]


def fresh(session: Session, client: User, *, at: datetime | None = None) -> View:
    """The reference: every section drawn again, nothing kept."""
    forget_drawn_sections()
    return view(session, client, at=at)


def after_change(session: Session, client: User, change: Callable[[], object]) -> tuple[View, View]:
    """Today from kept sections before `change`, then on the very next view after it, which must
    equal a view drawn from scratch."""
    view(session, client)
    before = view(session, client)  # served from kept sections
    change()
    after = view(session, client)
    assert after == fresh(session, client)
    return before, after


def html(v: View) -> str:
    return "".join(h for _key, _title, h, _order in v)


@pytest.fixture
def client(session: Session, therapist: User) -> User:
    person = factories.client(session, therapist=therapist, name="Alex")
    give(session, person, therapist, 1)
    session.commit()
    return person


def _routine(session: Session, client: User) -> Routine:
    return session.exec(
        select(Routine).where(Routine.client_id == client.id).order_by(col(Routine.title))
    ).first()  # type: ignore[return-value]  # give() made two


def _habit(session: Session, client: User) -> Habit:
    return session.exec(select(Habit).where(Habit.client_id == client.id)).first()  # type: ignore[return-value]


def _homework(session: Session, client: User) -> HomeworkAssignment:
    return session.exec(
        select(HomeworkAssignment).where(HomeworkAssignment.client_id == client.id)
    ).first()  # type: ignore[return-value]


def _sensory_item(session: Session, client: User) -> SensoryDietItem:
    return session.exec(
        select(SensoryDietItem).where(SensoryDietItem.client_id == client.id)
    ).first()  # type: ignore[return-value]


def _new_routine(session: Session, client: User, title: str, *steps: str) -> Routine:
    return routines.create_routine(
        session=session,
        client_id=client.id,
        tz=client.time_zone,
        created_by_id=client.id,
        data=RoutineCreate(title=title, steps=[StepIn(title=step) for step in steps]),
    )


def _new_settings(session: Session, client: User, *, time_zone: str, language: str) -> None:
    accounts.update_profile(
        session,
        user=client,
        name=client.preferred_name,
        time_zone=time_zone,
        country=client.country,
        language=language,
    )


# Every kind of write that changes what Today shows, as the client or their therapist makes it.
def _routine_made(session: Session, client: User, _therapist: User) -> None:
    _new_routine(session, client, "Tidy the desk", "clear it")


def _routine_step_done(session: Session, client: User, _therapist: User) -> None:
    routine = _new_routine(session, client, "Wash", "wash", "dry")
    before = view(session, client)
    step = routines.steps_of(session, routine.id)[0]
    runs.record_outcome(
        session=session,
        routine=routine,
        tz=client.time_zone,
        outcome_id=uuid.uuid4(),
        step_id=step.id,
        status="done",
    )
    assert view(session, client) != before


def _routine_paused(session: Session, client: User, _therapist: User) -> None:
    session.add(
        RoutinePause(routine_id=_routine(session, client).id, starts_on=NOW.date(), ends_on=None)
    )
    session.commit()


def _habit_checked_in(session: Session, client: User, _therapist: User) -> None:
    check(session, client, _habit(session, client))


def _habit_check_in_undone(session: Session, client: User, _therapist: User) -> None:
    habit = _habit(session, client)
    latest = session.exec(select(HabitCheckIn).where(HabitCheckIn.habit_id == habit.id)).first()
    assert latest is not None
    self_care.undo_check_in(session=session, client=client, habit=habit, check_in_id=latest.id)


def _mood_logged(session: Session, client: User, _therapist: User) -> None:
    mood.log(session=session, client=client, data=MoodCreate(id=uuid.uuid4(), mood=3))


def _habit_paused(session: Session, client: User, _therapist: User) -> None:
    pauses.pause(session=session, client=client, habit=_habit(session, client), data=PauseCreate())


def _habit_stepped_up(session: Session, client: User, therapist: User) -> None:
    habit = _habit(session, client)
    levels.change_level(
        session=session, actor=therapist, habit=habit, to_level=habit.level + 1, reason="ready"
    )


def _habit_started(session: Session, client: User, _therapist: User) -> None:
    start(session, client, "sleep")


def _sensory_checked_off(session: Session, client: User, _therapist: User) -> None:
    diet_service.check_off(
        session,
        principal=principal(session, client),
        client=client,
        item=_sensory_item(session, client),
        felt_after="just_right",
    )


def _sensory_item_ended(session: Session, client: User, therapist: User) -> None:
    diet_service.end_item(
        session,
        principal=principal(session, therapist),
        client=client,
        item=_sensory_item(session, client),
    )


def _homework_done(session: Session, client: User, _therapist: User) -> None:
    homework.complete(
        session,
        client=principal(session, client),
        assignment=_homework(session, client),
        data=CompletionCreate(reflection="done"),
    )


def _care_ended(session: Session, client: User, therapist: User) -> None:
    accounts.end_care_link(
        session,
        principal=principal(session, client),
        therapist_id=therapist.id,
        client_id=client.id,
    )


def _questionnaire_answered(session: Session, client: User, _therapist: User) -> None:
    measure_service.submit(
        session,
        client=principal(session, client),
        code="phq9",
        data=ResponseCreate(answers=[0] * 9),
    )


def _questionnaire_scheduled(session: Session, client: User, therapist: User) -> None:
    measure_service.schedule(
        session,
        therapist=principal(session, therapist),
        client=client,
        data=ScheduleCreate(code="gad7"),  # give() scheduled the PHQ-9 only
    )


def _diary_week_started(session: Session, client: User, therapist: User) -> None:
    diary_service.start_week(session, principal=principal(session, therapist), client=client)


def _diary_block_tapped(session: Session, client: User, therapist: User) -> None:
    diary_service.start_week(session, principal=principal(session, therapist), client=client)
    before = view(session, client)
    diary_service.record(
        session,
        client=client,
        data=DiaryEntryIn(done_on=NOW.date(), block="morning", category="leisure", activity="walk"),
    )
    assert view(session, client) != before


def _moved_to_auckland(session: Session, client: User, _therapist: User) -> None:
    """Noon in London is already tomorrow in Auckland: the client's own day changes."""
    _new_settings(session, client, time_zone="Pacific/Auckland", language=client.language)


def _bulk_core_update(session: Session, client: User, _therapist: User) -> None:
    """A bulk UPDATE on a watched table's Core Table, as the reminders dispatcher writes."""
    table = HabitCheckIn.__table__  # type: ignore[attr-defined]  # SQLModel sets it
    check(session, client, _habit(session, client))
    before = view(session, client)
    session.execute(update(table).where(table.c.client_id == client.id).values(outcome="not_today"))
    session.commit()
    assert view(session, client) != before


CHANGES: dict[str, Callable[[Session, User, User], None]] = {
    "a routine made": _routine_made,
    "a routine step done": _routine_step_done,
    "a routine paused": _routine_paused,
    "a habit started": _habit_started,
    "a habit check-in": _habit_checked_in,
    "a check-in undone": _habit_check_in_undone,
    "a mood logged": _mood_logged,
    "a habit paused": _habit_paused,
    "a habit stepped up": _habit_stepped_up,
    "a sensory item checked off": _sensory_checked_off,
    "a sensory item ended": _sensory_item_ended,
    "homework done": _homework_done,
    "care ended": _care_ended,
    "a questionnaire answered": _questionnaire_answered,
    "a questionnaire scheduled": _questionnaire_scheduled,
    "a diary week started": _diary_week_started,
    "a diary block tapped": _diary_block_tapped,
    "the client moved to another time zone": _moved_to_auckland,
    "a bulk Core update": _bulk_core_update,
}


# What a change needs to have happened first, before the kept view it is compared with.
SETUP: dict[str, Callable[[Session, User, User], None]] = {
    "a check-in undone": _habit_checked_in,
}


@pytest.mark.parametrize("name", list(CHANGES))
def test_a_kept_view_after_each_kind_of_write_equals_a_fresh_one(
    session: Session, therapist: User, client: User, name: str
) -> None:
    if name in SETUP:
        SETUP[name](session, client, therapist)
    before, after = after_change(session, client, lambda: CHANGES[name](session, client, therapist))
    assert after != before  # the change shows: a stale kept section would have failed above


def test_the_clients_day_rolls_over_at_their_own_midnight(
    session: Session, therapist: User
) -> None:
    """Auckland's midnight is 11:00 UTC: the day's sections change with their clock, not the server's."""
    aro = factories.client(session, therapist=therapist, name="Aro", time_zone="Pacific/Auckland")
    give(session, aro, therapist, 1)
    diary_service.start_week(session, principal=principal(session, therapist), client=aro)
    session.commit()
    for at in (
        datetime(2026, 11, 18, 10, 59, tzinfo=UTC),
        datetime(2026, 11, 18, 11, 0, tzinfo=UTC),
    ):
        view(session, aro, at=at - timedelta(hours=1))
        kept = view(session, aro, at=at)
        assert kept == fresh(session, aro, at=at)


def test_the_diary_shows_each_part_of_the_day_as_it_begins(
    session: Session, therapist: User
) -> None:
    """Only the diary section depends on the hour: kept views follow its parts of the day."""
    client = factories.client(session, therapist=therapist, name="Alex")
    diary_service.start_week(session, principal=principal(session, therapist), client=client)
    session.commit()
    seen = []
    for hour in (1, 9, 13, 19, 23):
        at = datetime(2026, 11, 18, hour, tzinfo=UTC)
        kept = view(session, client, at=at)
        kept = view(session, client, at=at)
        assert kept == fresh(session, client, at=at)
        seen.append(html(kept))
    assert len(set(seen)) == 5  # night (small hours), morning, afternoon, evening, the whole day


def test_a_change_to_the_clients_own_row_shows_at_once(
    session: Session, therapist: User, client: User
) -> None:
    """The account row is not versioned: kept sections are keyed on all of it. A library
    activity on the sensory diet is named in the client's own language."""
    activity = next(iter(activities().values()))
    session.add(
        SensoryDietItem(
            client_id=client.id,
            activity_id=activity.id,
            title=activity.title,  # the English library name: shown in the client's language
            local_time=time(10),
            effect="calming",
            course="snack",
            starts_on=NOW.date(),
            created_by_id=therapist.id,
        )
    )
    session.commit()

    before, after = after_change(
        session,
        client,
        lambda: _new_settings(session, client, time_zone=client.time_zone, language="es"),
    )
    assert after != before


def test_kept_views_get_new_form_ids(
    session: Session, client: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A resend of one view's form is stored once, so no two views may share a form id."""
    monkeypatch.setattr(sections, "uuid", uuid)
    first, second = html(view(session, client)), html(view(session, client))
    ids = re.compile(r'name="id" value="([0-9a-f-]{36})"')
    assert ids.findall(first)
    assert ids.findall(second)
    assert not set(ids.findall(first)) & set(ids.findall(second))
    assert ids.sub("", first) == ids.sub("", second)


def test_each_reader_gets_their_own_token_and_language(session: Session, client: User) -> None:
    mine = html(view(session, client))
    other = html(view(session, client, reader=Reader(language="en", csrf="another-session")))
    spanish = html(view(session, client, reader=Reader(language="es", csrf=READER.csrf)))
    assert READER.csrf in mine
    assert "another-session" not in mine
    assert "another-session" in other
    assert READER.csrf not in other
    assert spanish != mine


def test_kept_sections_read_only_watched_tables(
    session: Session, therapist: User, client: User
) -> None:
    """What a kept section reads must bump the client's version when written (app/data_version.py),
    or change a write mark the section declares (`today_marks`: the reminders inbox)."""
    diary_service.start_week(session, principal=principal(session, therapist), client=client)
    session.commit()
    watched = data_version.watched_tables()
    read: set[str] = set()
    for module in sections._today_modules():
        if not hasattr(module, "today_inputs"):
            continue
        with captured_statements(session) as seen:
            module.today_section(session=session, client=client, day=NOW.date(), now=NOW)
        assert seen, module.__name__
        marked = set().union(*map(write_marks.tables_of, getattr(module, "today_marks", ())))
        for statement in seen:
            tables = set(re.findall(r'(?:FROM|JOIN)\s+"?(\w+)', statement))
            assert tables - watched - marked == set(), (module.__name__, statement)
            read |= tables
    assert {"routine", "habit", "homework_assignment", "care_link", "occupation_diary_week"} <= read
    assert {"reminder_item", "push_subscription"} <= read


def test_a_kept_view_of_the_page_reads_three_statements(
    http: Any, session: Session, client: User
) -> None:
    """Kept sections cost the session lookup, the version and the sections not kept (reminders)."""
    http.as_(client)
    first = http.get("/today")
    with captured_statements(session) as seen:
        second = http.get("/today")
    assert first.status_code == second.status_code == 200
    queries = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
    assert len(queries) <= 4, queries
    assert "Routine 0" in second.text
    assert "Homework 0" in second.text
