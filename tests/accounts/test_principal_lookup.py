"""The per-request principal: looked up through Core once per request by `request_guard`, its
user and session rows made persistent ORM instances in the request's session, and every revocation
seen on the very next request (docs/benchmarks.md, "The signed-in floor and the calm list")."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import inspect, update
from sqlmodel import Session, col

from app import clock
from app.accounts import sessions
from app.accounts.dependencies import CurrentClient, request_guard, require_client
from app.accounts.models import AuthSession, Role, User
from app.db import get_session
from app.web_security import SESSION_COOKIE
from tests import factories
from tests.databases import migrated_sqlite

ROOT = Path(__file__).resolve().parents[2]
CALM = "/api/v1/calm/suggestions?level=8&place=home&minutes=5"


def test_lookup_gives_persistent_unmodified_instances_equal_to_an_orm_load(
    session: Session, client_user: User
) -> None:
    token, _ = factories.login_token(session, client_user)
    session.commit()
    session.expunge_all()  # as a request's own session: it holds nothing before the lookup
    found = sessions.lookup(session, token)
    assert found is not None
    auth, user = found
    assert user.id == client_user.id
    assert auth.user_id == user.id
    with Session(bind=session.connection()) as other:  # a plain ORM load of the same rows
        for obj in (auth, user):
            state = inspect(obj)
            assert state.persistent
            assert state.session is session
            assert not state.modified
            assert not state.unloaded  # every column is loaded: no query on first access
            assert session.get(type(obj), obj.id) is obj
            loaded = other.get(type(obj), obj.id)
            assert loaded is not None
            columns = [c.key for c in type(obj).__table__.columns]
            assert {c: getattr(obj, c) for c in columns} == {c: getattr(loaded, c) for c in columns}
            assert obj.model_dump() == loaded.model_dump()  # as pydantic sees it, too
    assert not session.dirty
    assert not session.new


def test_services_write_through_the_looked_up_user(session: Session, client_user: User) -> None:
    token, _ = factories.login_token(session, client_user)
    session.expunge_all()  # as a request's fresh session: nothing held before the lookup
    found = sessions.lookup(session, token)
    assert found is not None
    _, user = found
    user.preferred_name = "Renamed"
    session.commit()
    session.expunge_all()
    stored = session.get(User, client_user.id)
    assert stored is not None
    assert stored.preferred_name == "Renamed"


def test_an_instance_the_session_already_holds_is_returned_as_it_is(
    session: Session, client_user: User
) -> None:
    """As an ORM select: a loaded instance is never overwritten by a row."""
    token, _ = factories.login_token(session, client_user)
    found = sessions.lookup(session, token)
    assert found is not None
    assert found[1] is client_user


@pytest.mark.parametrize(
    "revocation",
    ["logout", "sign out everywhere", "account closed", "expired", "second factor pending"],
)
def test_a_revocation_written_outside_this_session_is_refused_on_the_next_request(
    http: Any, session: Session, client_user: User, revocation: str
) -> None:
    """Written as another worker process would write it (a Core UPDATE, bypassing the instances
    this session holds): the next request decides on the row it reads, so it is refused."""
    http.as_(client_user)
    assert http.get("/api/v1/me").status_code == 200
    assert http.get(CALM).status_code == 200
    live = col(AuthSession.user_id) == client_user.id
    statement = {
        "logout": update(AuthSession).where(live).values(revoked_at=clock.now()),
        "sign out everywhere": update(AuthSession).where(live).values(revoked_at=clock.now()),
        "account closed": update(User)
        .where(col(User.id) == client_user.id)
        .values(is_active=False),
        "expired": update(AuthSession)
        .where(live)
        .values(expires_at=clock.now() - timedelta(seconds=1)),
        "second factor pending": update(AuthSession).where(live).values(mfa_pending=True),
    }[revocation]
    session.connection().execute(statement)
    assert http.get("/api/v1/me").status_code == 401
    assert http.get(CALM).status_code == 401
    assert http.post("/api/v1/calm/episodes", json={}).status_code in (401, 403)


def test_a_role_change_is_seen_on_the_next_request(
    http: Any, session: Session, client_user: User
) -> None:
    http.as_(client_user)
    assert http.get(CALM).status_code == 200
    client_user.role = Role.therapist
    session.flush()
    assert http.get(CALM).status_code == 403


def _nodes(dependant: Any) -> int:
    """Dependency nodes FastAPI walks for a request: each use of a dependency, cached or not,
    with its own dependencies again."""
    return 1 + sum(_nodes(sub) for sub in dependant.dependencies)


def test_the_calm_list_walks_five_dependency_nodes(app: FastAPI) -> None:
    """The app-wide guard (with the request's session), the endpoint's session, the client guard
    and the endpoint itself: the principal is looked up once and not declared again below."""
    (route,) = (
        context
        for context in iter_route_contexts(app.router.routes)
        if context.path == "/api/v1/calm/suggestions"
    )
    calls = [sub.call for sub in route.dependant.dependencies]
    assert calls == [request_guard, get_session, require_client]
    assert _nodes(route.dependant) == 5  # 8 before


def test_a_route_served_without_the_app_wide_guard_fails_closed() -> None:
    """The role guards read what `request_guard` looked up; without it they refuse (an error),
    never treat the request as anonymous-but-allowed or look nobody up."""
    bare = FastAPI()

    @bare.get("/mine")
    def mine(principal: CurrentClient) -> str:
        return str(principal.id)

    with TestClient(bare, raise_server_exceptions=True) as client:
        client.cookies.set(SESSION_COOKIE, "anything")
        with pytest.raises(RuntimeError, match="request_guard did not run"):
            client.get("/mine")


def test_the_first_lookup_in_a_fresh_process_configures_the_mappers() -> None:
    """A fresh worker's first request may be a signed-in one: the lookup builds instances itself,
    so it must configure the ORM's mappers first, as an ORM select would."""
    with migrated_sqlite("fresh-process") as eng:
        with Session(eng) as db:
            person = factories.client(db)
            token, _ = factories.login_token(db, person)
            db.commit()
        script = textwrap.dedent(
            f"""
            from app.db import open_session, set_engine, make_engine
            from app.accounts import sessions
            set_engine(make_engine({str(eng.url)!r}))
            with open_session() as db:
                found = sessions.lookup(db, {token!r})
                assert found is not None
                print(found[1].role, found[0].user_id == found[1].id)
            """
        )
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
        )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["client", "True"]
