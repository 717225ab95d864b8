"""Who is asking, and may they? Loaders and guards as `Annotated` aliases for routes.

Routes never check access themselves: they declare `CurrentClient`, `CurrentTherapist`,
`AccessibleClient`, … and the policy module decides.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from contextlib import suppress
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app import i18n
from app.accounts import sessions, throttle
from app.accounts.models import RecordKind, Role, User
from app.accounts.policy import (
    authorize_client,
    authorize_client_kind,
    may_manage_clinic,
    require_role,
    require_second_factor,
)
from app.db import UNSAFE_METHODS, SessionDep, begin_write
from app.errors import Forbidden, Unauthorized
from app.i18n import N_
from app.transactions import run_read
from app.unavailable import DATABASE_UNAVAILABLE
from app.web_security import (
    NO_PRINCIPAL,
    SESSION_COOKIE,
    Principal,
    check_csrf,
    raise_if_database_unavailable,
    route_flag,
)

log = logging.getLogger("groundwork.accounts")


async def load_principal(request: Request, session: Session) -> Principal | None:
    """The session behind the cookie, if it is live, looked up once per request by `request_guard`
    in the request's own session. Half-open (second factor pending) sessions are not principals;
    the TOTP page loads them itself.

    If the database cannot be reached, the visitor is treated as logged out for pages anyone may
    see (the crisis lines stay one tap away during an outage), and `require_principal` and the CSRF
    guard answer 503 for everything else.

    `async`, as the guard is, so that a request without a session cookie (liveness, login, the
    crisis lines) costs no threadpool hop. The lookup is one indexed read: where reads never wait
    (`db.reads_never_wait`: SQLite) it runs here, on the event loop, since a thread hop costs more
    than the read itself; elsewhere (a network round trip to PostgreSQL) it runs in a thread.
    Recording the session's use, a write at most hourly, always runs in a thread: a writer may
    wait for its turn."""
    token = request.cookies.get(SESSION_COOKIE)
    principal = None
    if token and not route_flag(request, NO_PRINCIPAL):
        principal = await run_read(_principal_for, request, session, token)
        if principal is not None and sessions.needs_touch(principal.session):
            await run_in_threadpool(_record_use, session, principal)
    i18n.adopt_request_language(request)  # here, not in the thread: the handler must see it
    return principal


def _principal_for(request: Request, session: Session, token: str) -> Principal | None:
    try:
        found = sessions.lookup(session, token)
    except DATABASE_UNAVAILABLE as exc:
        request.state.database_error = exc
        return None
    if found is None:
        return None
    auth, user = found
    if auth.mfa_pending:
        return None
    principal = Principal(user=user, session=auth)
    request.state.principal = principal
    return principal


def _record_use(session: Session, principal: Principal) -> None:
    """Slide the session's `last_seen_at` (and a client's expiry) forward, in a short write of its
    own. If the database fails here only `last_seen_at` is lost: reads can still go on."""
    try:
        begin_write(session)
        sessions.touch(session, auth=principal.session, user=principal.user)
        session.commit()
    except DATABASE_UNAVAILABLE as exc:
        log.warning("could not record session use: %s", type(exc).__name__)
        with suppress(*DATABASE_UNAVAILABLE):
            session.rollback()


# Where `request_guard` leaves the principal it looked up (None: nobody is signed in). A key of
# its own in the scope, so "looked up, nobody" and "never looked up" stay apart.
LOOKED_UP = "groundwork.principal"


def looked_up(request: Request) -> Principal | None:
    """The principal `request_guard` looked up for this request.

    Every route runs that guard first (app-wide dependencies precede a route's own), so the
    guards below read its answer instead of declaring `load_principal` again: FastAPI walks a
    dependency's own dependencies on every use, cached or not (docs/benchmarks.md, "The
    signed-in floor"). A route served without the guard is a wiring fault: it fails closed."""
    try:
        principal: Principal | None = request.scope[LOOKED_UP]
    except KeyError:
        raise RuntimeError("request_guard did not run: the principal was never looked up") from None
    return principal


async def optional_principal(request: Request) -> Principal | None:
    return looked_up(request)


OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]


def signed_in(request: Request, principal: Principal | None) -> Principal:
    """The principal, or 401 (503 if the database could not say who is asking)."""
    if principal is None:
        raise_if_database_unavailable(request)
        raise Unauthorized(N_("Please log in to continue."))
    return principal


async def require_principal(request: Request) -> Principal:
    """Guards are pure checks, so they are `async`: no threadpool hop for each one (a sync
    dependency costs a thread handoff that grows under load)."""
    return signed_in(request, looked_up(request))


CurrentPrincipal = Annotated[Principal, Depends(require_principal)]

# The role guards below check the looked-up principal themselves, not through `CurrentPrincipal`:
# one dependency fewer for FastAPI to walk on every request.


async def require_client(request: Request) -> Principal:
    principal = signed_in(request, looked_up(request))
    require_role(principal, Role.client)
    return principal


async def require_therapist(request: Request) -> Principal:
    principal = signed_in(request, looked_up(request))
    require_role(principal, Role.therapist)
    require_second_factor(principal)
    return principal


async def require_staff(request: Request) -> Principal:
    principal = signed_in(request, looked_up(request))
    require_role(principal, Role.therapist, Role.admin)
    require_second_factor(principal)
    return principal


async def require_clinic_manager(request: Request) -> Principal:
    principal = signed_in(request, looked_up(request))
    if not may_manage_clinic(principal):
        raise Forbidden(N_("Only the clinic's administrators can do this."))
    require_second_factor(principal)
    return principal


CurrentClient = Annotated[Principal, Depends(require_client)]
CurrentTherapist = Annotated[Principal, Depends(require_therapist)]
CurrentStaff = Annotated[Principal, Depends(require_staff)]
ClinicManager = Annotated[Principal, Depends(require_clinic_manager)]


def action_name(request: Request) -> str:
    """'GET /api/v1/clients/{client_id}': the route's template, rebuilt from the URL so it names what
    was done without copying identifiers (which are stored in their own column)."""
    segments = request.url.path.split("/")
    by_value = {str(value): name for name, value in request.path_params.items()}
    path = "/".join("{" + by_value[s] + "}" if s in by_value else s for s in segments)
    return f"{request.method} {path}"


def accessible_client(
    client_id: uuid.UUID, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> User:
    """The client named in the path, if the principal may see their data (audited for therapists)."""
    return authorize_client(session, principal, client_id, action=action_name(request))


AccessibleClient = Annotated[User, Depends(accessible_client)]


def _client_sharing(kind: RecordKind) -> Callable[..., User]:
    def dependency(
        client_id: uuid.UUID, request: Request, session: SessionDep, principal: CurrentPrincipal
    ) -> User:
        return authorize_client_kind(
            session, principal, client_id, kind, action=action_name(request)
        )

    return dependency


# A route that shows one kind of record: a kind the client keeps private answers 404 to their
# therapist, exactly as another person's data does (policy.authorize_client_kind).
ClientSharingMood = Annotated[User, Depends(_client_sharing(RecordKind.mood))]
ClientSharingCalm = Annotated[User, Depends(_client_sharing(RecordKind.calm))]
ClientSharingSensory = Annotated[User, Depends(_client_sharing(RecordKind.sensory))]


# Logging out must always work, however fast someone (or something) has been writing.
WRITE_LIMIT_EXEMPT = frozenset({"/logout"})


async def request_guard(request: Request, session: SessionDep) -> None:
    """The app-wide checks every route runs, in one dependency: who is asking (`load_principal`,
    left for the other guards in `looked_up`), then CSRF (`app.web_security.check_csrf`), then the
    write limit (`write_limit`). One node, with one dependency of its own, because FastAPI walks
    each dependency's own dependencies again on every request, cached values included (a calm
    list walked 8 nodes before, 5 now: docs/benchmarks.md, "The signed-in floor")."""
    principal = await load_principal(request, session)
    request.scope[LOOKED_UP] = principal
    await check_csrf(request, principal)
    write_limit(request, principal)


def write_limit(request: Request, principal: Principal | None) -> None:
    """Writes per signed-in person are rate-limited far above human pace (429 + Retry-After).

    Runs after the CSRF check, so a forged cross-site request cannot spend someone's allowance.
    In memory: no database round trip and no thread hop on the hottest writes."""
    if (
        principal is None
        or request.method not in UNSAFE_METHODS
        or request.url.path in WRITE_LIMIT_EXEMPT
    ):
        return
    throttle.limit_writes(principal.id)
