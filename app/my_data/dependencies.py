"""Loaders for download routes: the row, or NotFound when the policy says it is someone else's."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Request

from app.accounts.dependencies import CurrentClient, action_name
from app.accounts.policy import authorize_client
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
