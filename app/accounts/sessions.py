"""Server-side sessions: create on login, look up per request, end for real on logout."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from sqlalchemy import bindparam, func, update
from sqlalchemy import select as sa_select
from sqlalchemy.orm import attributes
from sqlmodel import Session, SQLModel, col, select

from app import clock, prebuilt
from app.accounts import kept_sessions
from app.accounts.models import AuthSession, Role, User
from app.accounts.security import new_token, token_hash
from app.config import get_settings

Model = TypeVar("Model", bound=SQLModel)

# Writing last_seen on every request would turn reads into writes; once an hour is plenty.
TOUCH_EVERY = timedelta(hours=1)


@dataclass(frozen=True)
class IssuedSession:
    token: str
    record: AuthSession


def lifetime(role: Role) -> timedelta:
    settings = get_settings()
    if role == Role.client:
        return timedelta(days=settings.client_session_days)
    return timedelta(hours=settings.staff_session_hours)


def create(
    session: Session, *, user: User, user_agent: str, ip_address: str, mfa_pending: bool = False
) -> IssuedSession:
    """Adds a fresh session (new token on every login, so a planted cookie is useless). Caller commits."""
    token = new_token()
    now = clock.now()
    record = AuthSession(
        token_hash=token_hash(token),
        user_id=user.id,
        csrf_token=new_token(),
        mfa_pending=mfa_pending,
        user_agent=user_agent[:300],
        ip_address=ip_address[:64],
        created_at=now,
        last_seen_at=now,
        expires_at=now + lifetime(user.role),
    )
    session.add(record)
    return IssuedSession(token=token, record=record)


# Built once, run through Core: every signed-in request looks its session up. Every column of
# both rows, so the two instances `_attach` builds are whole, as the ORM's loader would build them.
# The ORM's own two-entity select (its execution context and loading path) cost more than the
# statement and the two instances together (docs/benchmarks.md, "The signed-in floor").
_SESSION_COLUMNS = tuple(AuthSession.__table__.columns)  # type: ignore[attr-defined]  # SQLModel table
_USER_COLUMNS = tuple(User.__table__.columns)  # type: ignore[attr-defined]  # SQLModel table
_SESSION_KEYS = tuple(c.key for c in _SESSION_COLUMNS)
_USER_KEYS = tuple(c.key for c in _USER_COLUMNS)
_LOOKUP = (
    sa_select(*_SESSION_COLUMNS, *_USER_COLUMNS)
    .join_from(AuthSession, User, col(User.id) == col(AuthSession.user_id))
    .where(col(AuthSession.token_hash) == bindparam("token_hash"))
)


def lookup(session: Session, token: str) -> tuple[AuthSession, User] | None:
    """The live session behind `token` and its user, both persistent in `session` (as an ORM
    select would leave them: services write through `principal.user`). Revocation, expiry and a
    closed account are decided on the rows as they are in the database now (read, or kept while
    no process has written either table since: app/accounts/kept_sessions.py), never on an
    instance the session already held."""
    found = kept_sessions.rows(session, token_hash(token), _read, (AuthSession, User))
    if found is None:
        return None
    auth_values, user_values = found
    if (
        auth_values["revoked_at"] is not None
        or auth_values["expires_at"] <= clock.now()
        or not user_values["is_active"]
    ):
        return None
    return _attach(session, AuthSession, auth_values), _attach(session, User, user_values)


def _read(session: Session, digest: str) -> kept_sessions.Rows | None:
    row = prebuilt.first(session, _LOOKUP, token_hash=digest)
    if row is None:
        return None
    values = tuple(row)
    auth_values = dict(zip(_SESSION_KEYS, values[: len(_SESSION_KEYS)], strict=True))
    user_values = dict(zip(_USER_KEYS, values[len(_SESSION_KEYS) :], strict=True))
    return auth_values, user_values


def _attach(session: Session, model: type[Model], values: dict[str, object]) -> Model:
    """The instance for this row as an ORM select leaves it (`prebuilt.persistent`). Secret
    columns a kept row left out are expired, so they load from the database if asked for."""
    instance = prebuilt.persistent(session, model, values)
    loaded = attributes.instance_dict(instance)
    left_out = [key for key in kept_sessions.secrets_left_out(model, values) if key not in loaded]
    if left_out:
        session.expire(instance, left_out)
    return instance


def needs_touch(auth: AuthSession) -> bool:
    return clock.now() - auth.last_seen_at >= TOUCH_EVERY


def touch(session: Session, *, auth: AuthSession, user: User) -> None:
    """Slide a client's expiry forward while they keep using the app; staff sessions do not slide."""
    now = clock.now()
    values: dict[str, object] = {"last_seen_at": now}
    if user.role == Role.client:
        values["expires_at"] = now + lifetime(user.role)
    session.execute(update(AuthSession).where(col(AuthSession.id) == auth.id).values(**values))
    session.execute(update(User).where(col(User.id) == user.id).values(last_seen_at=now))


def revoke(session: Session, session_id: uuid.UUID) -> None:
    session.execute(
        update(AuthSession)
        .where(col(AuthSession.id) == session_id, col(AuthSession.revoked_at).is_(None))
        .values(revoked_at=clock.now())
    )


def revoke_all(session: Session, *, user_id: uuid.UUID, except_id: uuid.UUID | None = None) -> int:
    stmt = update(AuthSession).where(
        col(AuthSession.user_id) == user_id, col(AuthSession.revoked_at).is_(None)
    )
    if except_id is not None:
        stmt = stmt.where(col(AuthSession.id) != except_id)
    result = session.execute(stmt.values(revoked_at=clock.now()))
    return int(getattr(result, "rowcount", 0) or 0)


def active_for(session: Session, user_id: uuid.UUID) -> list[AuthSession]:
    return list(
        session.exec(
            select(AuthSession)
            .where(
                AuthSession.user_id == user_id,
                col(AuthSession.revoked_at).is_(None),
                AuthSession.expires_at > clock.now(),
                col(AuthSession.mfa_pending).is_(False),
            )
            .order_by(col(AuthSession.last_seen_at).desc())
        )
    )


def signed_in(session: Session, *, role: Role, limit: int) -> list[uuid.UUID]:
    """Users of `role` with a live, fully signed-in session, most recently seen first: who is
    likely to open a page soon (the dashboard's start-up warm-up asks for its therapists)."""
    seen = func.max(col(AuthSession.last_seen_at))
    rows = session.execute(
        select(AuthSession.user_id)
        .join(User, col(User.id) == col(AuthSession.user_id))
        .where(
            User.role == role,
            col(User.is_active).is_(True),
            col(User.archived_at).is_(None),
            col(AuthSession.revoked_at).is_(None),
            AuthSession.expires_at > clock.now(),
            col(AuthSession.mfa_pending).is_(False),
        )
        .group_by(col(AuthSession.user_id))
        .order_by(seen.desc())
        .limit(limit)
    ).all()
    return [user_id for (user_id,) in rows]
