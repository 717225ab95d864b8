"""The start-up warm-up fills the dashboard's row cache for signed-in therapists only, and what it
stores equals the uncached signals, before and after a write."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, update

from app import clock
from app.accounts import sessions
from app.accounts.models import AuthSession, Organisation, Role, User
from app.homework import service as homework
from app.homework.schemas import ClientAction, CompletionCreate
from app.progress import dashboard, flags, row_cache, warmup
from tests import factories
from tests.homework.helpers import assignment, principal


def _rows(session: Session, therapist: User, cache: row_cache.RowCache | None) -> list[flags.Row]:
    now = clock.now()
    clients = dashboard.caseload(session, therapist.id)
    if cache is None:
        parts = dashboard.collect(session, [c.id for c in clients], now)
    else:
        parts = row_cache.collect(session, clients, now, cache=cache)
    return flags.build_rows([(c.id, c.name) for c in clients], flags.merge(parts), now=now)


def test_only_therapists_with_a_live_signed_in_session_are_warmed(
    session: Session, clinic: Organisation
) -> None:
    present = factories.therapist(session, clinic)
    away = factories.therapist(session, clinic)
    halfway = factories.therapist(session, clinic)
    for who in (present, away, halfway):
        factories.client(session, therapist=who)
        factories.client(session, therapist=who)
    factories.login_token(session, present)
    factories.login_token(session, away)
    factories.login_token(session, halfway)
    session.execute(
        update(AuthSession)
        .where(col(AuthSession.user_id) == away.id)
        .values(expires_at=clock.now() - timedelta(minutes=1))
    )
    session.execute(
        update(AuthSession).where(col(AuthSession.user_id) == halfway.id).values(mfa_pending=True)
    )
    session.commit()
    signed_in = sessions.signed_in(session, role=Role.therapist, limit=50)
    assert present.id in signed_in
    assert away.id not in signed_in
    assert halfway.id not in signed_in
    cache = row_cache.RowCache()
    assert warmup.warm_with(session, cache=cache) >= 2
    now, scope = clock.now(), row_cache._scope(session)
    for who, warmed in ((present, True), (away, False)):
        for c in dashboard.caseload(session, who.id):
            key = row_cache._key(scope, c, now, clock.now())
            assert (cache.get(c.id, key, now) is not None) is warmed


def test_warmed_rows_equal_uncached_rows_before_and_after_a_write(
    session: Session, therapist: User, client_user: User
) -> None:
    a = assignment(session, therapist, client_user, frequency="daily")
    me = principal(session, client_user)
    homework.client_action(session, client=me, assignment=a, data=ClientAction(action="accept"))
    factories.login_token(session, therapist)
    cache = row_cache.RowCache()
    warmup.warm_with(session, cache=cache)
    assert len(cache) >= 1
    assert _rows(session, therapist, cache) == _rows(session, therapist, None)
    homework.complete(session, client=me, assignment=a, data=CompletionCreate(reflection="ok"))
    after = _rows(session, therapist, cache)
    assert after == _rows(session, therapist, None)
    assert after != []
