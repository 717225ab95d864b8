"""Loaders for sensory objects named in a path: the row if the principal may see its client, else 404."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from app.accounts.dependencies import AccessibleClient, CurrentPrincipal, action_name
from app.accounts.models import User
from app.accounts.policy import authorize_client
from app.db import SessionDep
from app.errors import NotFound
from app.sensory.models import SensoryDietItem


@dataclass(frozen=True)
class DietItemAccess:
    item: SensoryDietItem
    client: User


def _owned_item(
    item_id: uuid.UUID, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> DietItemAccess:
    item = session.get(SensoryDietItem, item_id)
    if item is None:
        raise NotFound()
    client = authorize_client(session, principal, item.client_id, action=action_name(request))
    return DietItemAccess(item=item, client=client)


OwnedDietItem = Annotated[DietItemAccess, Depends(_owned_item)]


def _client_item(
    item_id: uuid.UUID, client: AccessibleClient, session: SessionDep
) -> DietItemAccess:
    """For /caseload/{client_id}/…/{item_id}: the item must belong to the client in the path."""
    item = session.get(SensoryDietItem, item_id)
    if item is None or item.client_id != client.id:
        raise NotFound()
    return DietItemAccess(item=item, client=client)


ClientDietItem = Annotated[DietItemAccess, Depends(_client_item)]
