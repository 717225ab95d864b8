"""Loaders for download routes: the row, or NotFound when the policy says it is someone else's."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Request

from app.accounts.dependencies import ClinicManager, CurrentClient, action_name
from app.accounts.models import User
from app.accounts.policy import authorize_client, authorize_clinic_client, authorize_colleague
from app.db import SessionDep
from app.errors import NotFound
from app.my_data.models import DataExport


def own_export(
    export_id: uuid.UUID, request: Request, session: SessionDep, principal: CurrentClient
) -> DataExport:
    """A client's own download: the policy decides whose data it is."""
    export = session.get(DataExport, export_id)
    if export is None:
        raise NotFound()
    authorize_client(session, principal, export.client_id, action=action_name(request))
    return export


OwnExport = Annotated[DataExport, Depends(own_export)]


def clinic_client(
    client_id: uuid.UUID, request: Request, session: SessionDep, manager: ClinicManager
) -> User:
    """A client of the manager's own clinic (audited by the policy)."""
    return authorize_clinic_client(session, manager, client_id, action=action_name(request))


def clinic_export(
    clinic_export_id: uuid.UUID, request: Request, session: SessionDep, manager: ClinicManager
) -> DataExport:
    """A copy of a client's data the clinic asked for (audited by the policy)."""
    export = session.get(DataExport, clinic_export_id)
    if export is None or export.requested_by_id == export.client_id:
        raise NotFound()  # the client's own downloads are theirs alone
    authorize_clinic_client(session, manager, export.client_id, action=action_name(request))
    return export


def colleague(therapist_id: uuid.UUID, session: SessionDep, manager: ClinicManager) -> User:
    return authorize_colleague(session, manager, therapist_id)


ClinicClient = Annotated[User, Depends(clinic_client)]
ClinicExport = Annotated[DataExport, Depends(clinic_export)]
Colleague = Annotated[User, Depends(colleague)]
