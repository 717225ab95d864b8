"""My-data routes in the authorization matrix: only the client themself, never their therapist."""

from __future__ import annotations

from datetime import timedelta

from app import clock
from app.my_data import closure, notify, service
from app.my_data.models import ExportStatus
from tests import factories
from tests.access import (
    CLIENT_SELF,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    PUBLIC,
    Expect,
    Route,
    World,
)

ALLOW_ = CLIENT_SELF.own_client
# A download belongs to its client: other clients get 404; staff are the wrong kind of account.
OWN_EXPORT = Expect(LOGIN, ALLOW_, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN)

ROUTES = [
    Route("GET", "/my-data", CLIENT_SELF),
    Route("POST", "/my-data/exports", CLIENT_SELF),
    Route("GET", "/my-data/exports/{export_id}/download", OWN_EXPORT),
    Route("POST", "/api/v1/my-data/exports", CLIENT_SELF),
    Route("GET", "/api/v1/my-data/exports/{export_id}", OWN_EXPORT),
    Route("GET", "/my-data/close", CLIENT_SELF),
    # The matrix posts an empty form: a 422 (the password is missing), never a closed account.
    Route("POST", "/my-data/close", CLIENT_SELF),
    Route("GET", "/account/closed", PUBLIC),
    # The signed link is the proof (the person cannot log in while closed), whoever opens it.
    Route("GET", "/account/restore/{restore_token}", PUBLIC),
    Route("POST", "/account/restore/{restore_token}", PUBLIC),
]


def build(world: World) -> dict[str, str]:
    own = world.own_client
    export = service.request_export(world.session, client=own, requested_by=own)
    # Ready, so the owner's download answers 200 (the matrix checks who, not when).
    export.status, export.content = ExportStatus.ready, b"PK\x05\x06" + bytes(18)
    export.expires_at = clock.now() + timedelta(days=1)
    world.session.add(export)
    world.session.flush()
    leaving = factories.client(world.session, therapist=world.therapist)
    closed = closure.close(world.session, client=leaving, requested_by=leaving)
    return {
        "export_id": str(export.id),
        "restore_token": notify.restore_token(closed.closure.id),
    }
