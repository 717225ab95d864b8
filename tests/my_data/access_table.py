"""My-data routes in the authorization matrix: only the client themself, never their therapist."""

from __future__ import annotations

from datetime import timedelta

from app import clock
from app.my_data import closure, notify, service
from app.my_data.models import ExportStatus
from tests import factories
from tests.access import (
    CLIENT_SELF,
    CLINIC_MANAGER,
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
    # The clinic side: managers of the client's own clinic only (the matrix's admin is clinic A's).
    Route("GET", "/admin/clients", CLINIC_MANAGER),
    Route("POST", "/admin/retention", CLINIC_MANAGER),
    Route("GET", "/admin/clients/{client_id}", CLINIC_MANAGER),
    Route("POST", "/admin/clients/{client_id}/export", CLINIC_MANAGER),
    Route("GET", "/admin/exports/{clinic_export_id}/download", CLINIC_MANAGER),
    Route("POST", "/admin/clients/{client_id}/close", CLINIC_MANAGER),
    Route("POST", "/admin/clients/{client_id}/restore", CLINIC_MANAGER),
    Route("GET", "/admin/therapists/{therapist_id}/handover", CLINIC_MANAGER),
    Route("POST", "/admin/therapists/{therapist_id}/handover", CLINIC_MANAGER),
]


def build(world: World) -> dict[str, str]:
    own = world.own_client
    export = service.request_export(world.session, client=own, requested_by=own)
    # Ready, so the owner's download answers 200 (the matrix checks who, not when).
    export.status, export.content = ExportStatus.ready, b"PK\x05\x06" + bytes(18)
    export.expires_at = clock.now() + timedelta(days=1)
    world.session.add(export)
    world.session.flush()
    admin = world.people["admin"]
    assert admin is not None
    for_clinic = service.request_export(world.session, client=own, requested_by=admin)
    for_clinic.status, for_clinic.content = ExportStatus.ready, b"PK\x05\x06" + bytes(18)
    for_clinic.expires_at = clock.now() + timedelta(days=1)
    world.session.add(for_clinic)
    world.session.flush()
    leaving = factories.client(world.session, therapist=world.therapist)
    closed = closure.close(world.session, client=leaving, requested_by=leaving)
    return {
        "export_id": str(export.id),
        "clinic_export_id": str(for_clinic.id),
        "therapist_id": str(world.therapist.id),
        "restore_token": notify.restore_token(closed.closure.id),
    }
