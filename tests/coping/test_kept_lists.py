"""Ranked calm lists kept in process (app/coping/kept_lists.py) are validated, never trusted: after
every kind of write that can change a client's list (theirs, their therapist's, their clinic's,
another process's), the next request reads the database again and answers exactly what a fresh
one would. A kept list is sent without a statement; it reads only tables whose writes change a
write mark; a request already in a transaction keeps nothing. On SQLite and PostgreSQL alike."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text, update
from sqlmodel import Session, col

from app import clock, data_version, write_marks
from app.accounts import kept_sessions
from app.accounts import service as accounts
from app.accounts.models import User
from app.accounts.sessions import lookup
from app.coping import kept_lists, service, toolbox
from app.coping.models import CustomStrategy, StrategyStats
from app.coping.ranking import Situation
from app.db import make_engine, open_session
from app.sensory import service as sensory
from app.sensory.models import SensoryFitCache
from app.sensory.profile import ProfileAnswers
from app.web_security import Principal
from tests import factories
from tests.coping.test_service import _episode as episode_input
from tests.databases import signed_in_app
from tests.statements import sent_by

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # noon in London, already tomorrow in Auckland
PATH = "/api/v1/calm/suggestions?level=6&limit=10"
INPUTS = "coping_strategy_stats"  # named by the inputs' one statement, and by nothing else


@dataclass
class World:
    engine: Engine
    api: TestClient
    client_id: uuid.UUID
    therapist_id: uuid.UUID
    clinic_id: uuid.UUID

    @contextmanager
    def writing(self) -> Iterator[tuple[Session, User, User]]:
        """A session of its own, committed for real: (session, client, therapist)."""
        with open_session(write=True, engine=self.engine) as session:
            person = session.get(User, self.client_id)
            therapist = session.get(User, self.therapist_id)
            assert person is not None
            assert therapist is not None
            yield session, person, therapist
            session.commit()


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with clock.frozen_at(NOW):
        yield


@pytest.fixture(params=["sqlite", "postgresql"])
def world(app: FastAPI, request: pytest.FixtureRequest) -> Iterator[World]:
    """The app on its own database with its real per-request sessions (no test override)."""
    with signed_in_app(app, request.param, "kept-lists") as signed_in:
        therapist = signed_in.therapist
        assert therapist.organisation_id is not None
        try:
            yield World(
                signed_in.engine,
                signed_in.browser,
                signed_in.client.id,
                therapist.id,
                therapist.organisation_id,
            )
        finally:
            kept_lists.forget_all()


def _list(world: World) -> tuple[bytes, bool]:
    """The list as sent, and whether its inputs were read to make it."""
    with sent_by(world.engine) as sent:
        answer = world.api.get(PATH)
    assert answer.status_code == 200, answer.text
    return answer.content, any(INPUTS in statement for statement in sent)


def _fresh(world: World) -> bytes:
    kept_lists.forget_all()
    body, read = _list(world)
    assert read
    return body


def _principal(session: Session, person: User) -> Principal:
    token, _ = factories.login_token(session, person)
    found = lookup(session, token)
    assert found is not None
    return Principal(user=person, session=found[0])


# Each kind of write that can change a client's list, made as the app makes it.


def _episode(world: World) -> None:
    with world.writing() as (session, person, _):
        service.record_episode(
            session=session,
            client=person,
            data=episode_input(key="box-breathing", before=8, after=2),
        )


def _favourite(world: World) -> None:
    with world.writing() as (session, person, _):
        toolbox.set_preference(
            session=session, client=person, strategy_key="tipp-cold-water", favourite=True
        )


def _hidden(world: World) -> None:
    with world.writing() as (session, person, _):
        toolbox.set_preference(
            session=session, client=person, strategy_key="box-breathing", hidden=True
        )


def _recommended(world: World) -> None:
    with world.writing() as (session, person, therapist):
        toolbox.recommend(
            session=session,
            therapist=therapist,
            client=person,
            strategy_key="five-four-three-two-one",
            note="Try this one first",
            on=True,
        )


def _custom(owner: str) -> Callable[[World], None]:
    def write(world: World) -> None:
        with world.writing() as (session, person, therapist):
            session.add(
                CustomStrategy(
                    organisation_id=world.clinic_id,
                    client_id=person.id if owner == "client" else None,
                    created_by_id=person.id if owner == "client" else therapist.id,
                    title="Walk to the corner shop",
                    kind="activity",
                    minutes=5,
                    places=["home", "public"],
                    steps=["Put shoes on", "Walk slowly"],
                )
            )

    return write


def _archived_by_raw_sql(world: World) -> None:
    with world.engine.begin() as connection:
        connection.execute(text("UPDATE coping_strategy SET archived_at = CURRENT_TIMESTAMP"))


def _profile(world: World) -> None:
    with world.writing() as (session, person, _):
        sensory.save_profile(
            session,
            principal=_principal(session, person),
            client_id=person.id,
            answers=ProfileAnswers(responses={"proprioceptive": "seek", "auditory": "overwhelmed"}),
        )


def _kit(world: World) -> None:
    with world.writing() as (session, person, _):
        sensory.save_kit(
            session,
            principal=_principal(session, person),
            client_id=person.id,
            items=["cold_pack", "stress_ball"],
            corner_items=[],
            corner_location="",
            corner_notes="",
        )


def _bulk_summaries(world: World) -> None:
    """An ORM-enabled bulk UPDATE of the summaries, as a repair script would write them."""
    with world.writing() as (session, person, _):
        session.execute(
            update(StrategyStats)
            .where(col(StrategyStats.client_id) == person.id)
            .values(helped=0, sum_after=col(StrategyStats.sum_before))
        )


def _another_process(world: World) -> None:
    """Another worker: its own engine and pool on the same file, so only the mark file is shared."""
    other = make_engine(str(world.engine.url))
    try:
        with open_session(write=True, engine=other) as session:
            person = session.get(User, world.client_id)
            assert person is not None
            toolbox.set_preference(
                session=session, client=person, strategy_key="box-breathing", hidden=True
            )
    finally:
        other.dispose()


def _settings(**changed: str) -> Callable[[World], None]:
    def write(world: World) -> None:
        with world.writing() as (session, person, _):
            values = {
                "name": person.preferred_name,
                "time_zone": person.time_zone,
                "country": person.country,
                "language": person.language,
            } | changed
            accounts.update_profile(session, user=person, **values)

    return write


CHANGES: dict[str, Callable[[World], None]] = {
    "an episode recorded": _episode,
    "a favourite": _favourite,
    "a strategy hidden": _hidden,
    "a therapist's recommendation": _recommended,
    "the client's own strategy": _custom("client"),
    "a strategy shared by the clinic": _custom("clinic"),
    "strategies archived by raw SQL": _archived_by_raw_sql,
    "a sensory profile saved": _profile,
    "a kit saved": _kit,
    "a bulk update of the summaries": _bulk_summaries,
    "a write by another process": _another_process,
    "a move to Auckland (a new day there)": _settings(time_zone="Pacific/Auckland"),
    "a change of language": _settings(language="es"),
}
SETUP: dict[str, Callable[[World], None]] = {
    "strategies archived by raw SQL": _custom("clinic"),
    "a bulk update of the summaries": _episode,
}


def test_a_kept_list_is_sent_without_a_statement(world: World) -> None:
    _list(world)  # this request read its session first, in a transaction: it keeps no list
    first, read = _list(world)
    assert read
    with sent_by(world.engine) as sent:
        again = world.api.get(PATH)
    assert again.content == first
    assert sent == []  # the session and the list both kept: not even a connection


@pytest.mark.parametrize("name", list(CHANGES))
def test_after_each_kind_of_write_the_list_is_read_again_and_equals_a_fresh_one(
    world: World, name: str
) -> None:
    if name in SETUP:
        SETUP[name](world)
    _list(world)  # reads its session (after the setup's writes): keeps no list
    before, _ = _list(world)
    assert _list(world) == (before, False)  # kept
    CHANGES[name](world)
    after, read = _list(world)
    assert read, "a kept list outlived a write to its inputs"
    assert after == _fresh(world)
    _list(world)
    assert _list(world) == (after, False)  # and kept again


def test_the_change_shows(world: World) -> None:
    """The writes above are not idle: each visible kind changes what the list says."""
    before, _ = _list(world)
    _recommended(world)
    after, _ = _list(world)
    assert after != before
    assert b"Try this one first" in after


def test_another_clients_write_leaves_a_kept_list(world: World) -> None:
    _list(world)
    _list(world)
    with open_session(write=True, engine=world.engine) as session:
        other = factories.client(session)
        session.commit()
        toolbox.set_preference(
            session=session, client=other, strategy_key="box-breathing", hidden=True
        )
    assert _list(world)[1] is False


def test_kept_lists_read_only_tables_whose_writes_change_a_mark(world: World) -> None:
    """Every input path at once: custom strategies, and sensory data without a cached fit."""
    _custom("clinic")(world)
    _profile(world)
    with world.engine.begin() as connection:
        connection.execute(text("DELETE FROM coping_sensory_fit"))
    kept_sessions.forget_all()
    with sent_by(world.engine) as sent:
        assert world.api.get(PATH).status_code == 200
    read = {t for s in sent for t in re.findall(r'(?:FROM|JOIN)\s+"?(\w+)', s)}
    marked = data_version.watched_tables() | {CustomStrategy.__tablename__}
    assert read - marked - kept_sessions.TABLES == set(), read
    assert {INPUTS, "coping_strategy", "sensory_profile_version", "sensory_kit"} <= read
    assert SensoryFitCache.__tablename__ in data_version.watched_tables()


def test_a_request_in_a_transaction_uses_a_kept_list_but_keeps_none(world: World) -> None:
    made: list[int] = []

    def make() -> bytes:
        made.append(1)
        return b"[]"

    key = ("seed", "en", Situation(6), 10)
    with Session(world.engine) as session:
        person = session.get(User, world.client_id)  # begins the read transaction
        assert person is not None
        assert write_marks.reading(session)
        kept_lists.answer(session, person, key, make)
        assert kept_lists.kept_count(session) == 0
    # As a request's session: the principal stays loaded after its read transaction ends.
    with Session(world.engine, expire_on_commit=False) as session:
        person = session.get(User, world.client_id)
        assert person is not None
        session.commit()
        kept_lists.answer(session, person, key, make)  # not in a transaction: kept
        assert kept_lists.kept_count(session) == 1
        session.get(User, world.client_id, populate_existing=True)
        assert write_marks.reading(session)
        kept_lists.answer(session, person, key, make)  # used
    assert len(made) == 2
