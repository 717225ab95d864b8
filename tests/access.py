"""The authorization matrix's vocabulary: personas, expected answers, and the world they act in.

Each domain lists its routes in `tests/<domain>/access_table.py`:

    ROUTES = [Route("GET", "/api/v1/routines/{routine_id}", CLIENT_DATA), ...]
    def build(world: World) -> dict[str, str]:     # optional: objects its path params name
        routine = ...owned by world.own_client...
        return {"routine_id": str(routine.id)}
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from enum import Enum

from sqlmodel import Session

from app import clock
from app.accounts.models import PasswordReset, User
from app.accounts.security import new_token, token_hash
from app.accounts.service import create_client
from app.accounts.sessions import create as create_session
from app.web_security import Principal
from tests import factories


class Answer(Enum):
    ALLOW = "allowed (2xx/3xx, or 400/409/422 for the empty input the matrix sends)"
    LOGIN = "asked to log in (401 for the API, a redirect to /login for pages)"
    NOT_FOUND = "404 (another person's data is never confirmed to exist)"
    FORBIDDEN = "403 (wrong kind of account)"


ALLOW, LOGIN, NOT_FOUND, FORBIDDEN = Answer.ALLOW, Answer.LOGIN, Answer.NOT_FOUND, Answer.FORBIDDEN

PERSONAS = (
    "anonymous",
    "own_client",
    "same_therapist_client",
    "other_clinic_client",
    "therapist",
    "other_therapist",
    "admin",
)


@dataclass(frozen=True)
class Expect:
    anonymous: Answer
    own_client: Answer
    same_therapist_client: Answer
    other_clinic_client: Answer
    therapist: Answer
    other_therapist: Answer
    admin: Answer

    def for_(self, persona: str) -> Answer:
        return getattr(self, persona)  # type: ignore[no-any-return]


# Presets for the common shapes of route.
PUBLIC = Expect(ALLOW, ALLOW, ALLOW, ALLOW, ALLOW, ALLOW, ALLOW)
ANY_USER = Expect(LOGIN, ALLOW, ALLOW, ALLOW, ALLOW, ALLOW, ALLOW)
# "My own" client routes (no client id in the path): every client acts on themselves.
CLIENT_SELF = Expect(LOGIN, ALLOW, ALLOW, ALLOW, FORBIDDEN, FORBIDDEN, FORBIDDEN)
# A client's data, named by {client_id} or by an object the own client owns.
CLIENT_DATA = Expect(LOGIN, ALLOW, NOT_FOUND, NOT_FOUND, ALLOW, NOT_FOUND, NOT_FOUND)
# Therapist pages about a client: the client themself is the wrong kind of account.
THERAPIST_CLIENT_DATA = Expect(LOGIN, FORBIDDEN, NOT_FOUND, NOT_FOUND, ALLOW, NOT_FOUND, NOT_FOUND)
THERAPIST_ONLY = Expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, ALLOW, ALLOW, FORBIDDEN)
STAFF_ONLY = Expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, ALLOW, ALLOW, ALLOW)
CLINIC_MANAGER = Expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, ALLOW)


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    expect: Expect


@dataclass
class World:
    """Two clinics. Clinic A: `therapist` (caseload: own_client, same_therapist_client),
    `other_therapist` (no caseload), `admin`. Clinic B: other_clinic_client with their own therapist."""

    session: Session
    people: dict[str, User | None]
    tokens: dict[str, tuple[str, str]] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)

    @property
    def own_client(self) -> User:
        person = self.people["own_client"]
        assert person is not None
        return person

    @property
    def therapist(self) -> User:
        person = self.people["therapist"]
        assert person is not None
        return person

    def principal(self, persona: str) -> Principal:
        from app.accounts.models import AuthSession

        person = self.people[persona]
        assert person is not None
        record = self.session.get(AuthSession, _session_ids[(id(self), persona)])
        assert record is not None
        return Principal(user=person, session=record)


_session_ids: dict[tuple[int, str], uuid.UUID] = {}


def build_world(session: Session) -> World:
    clinic_a = factories.clinic(session, name="Clinic A")
    clinic_b = factories.clinic(session, name="Clinic B")
    therapist = factories.therapist(session, clinic_a)
    other_therapist = factories.therapist(session, clinic_a)
    admin = factories.admin(session, clinic_a)
    therapist_b = factories.therapist(session, clinic_b)
    people: dict[str, User | None] = {
        "anonymous": None,
        "own_client": factories.client(session, therapist=therapist),
        "same_therapist_client": factories.client(session, therapist=therapist),
        "other_clinic_client": factories.client(session, therapist=therapist_b),
        "therapist": therapist,
        "other_therapist": other_therapist,
        "admin": admin,
    }
    world = World(session=session, people=people)
    for persona, person in people.items():
        if person is not None:
            issued = create_session(
                session, user=person, user_agent="matrix", ip_address="127.0.0.1"
            )
            session.flush()
            world.tokens[persona] = (issued.token, issued.record.csrf_token)
            _session_ids[(id(world), persona)] = issued.record.id
    # A pending client of the therapist, with an invite whose token and code the invite routes use.
    pending, issued_invite = create_client(
        session,
        therapist=world.principal("therapist"),
        name="Pending",
        email=None,
        time_zone="Europe/London",
        country="GB",
    )
    reset_token = new_token()
    session.add(
        PasswordReset(
            user_id=world.own_client.id,
            token_hash=token_hash(reset_token),
            expires_at=clock.now() + timedelta(hours=1),
        )
    )
    session.flush()
    world.params.update(
        {
            "reset_token": reset_token,
            "client_id": str(world.own_client.id),
            "user_id": str(other_therapist.id),
            "token": issued_invite.token,
            "kind": "client",
            "pending_client_id": str(pending.id),
        }
    )
    return world


Builder = Callable[[World], dict[str, str]]
