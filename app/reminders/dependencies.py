"""Loaders for reminder objects: a client's own device or inbox entry, else 404."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from app.accounts.dependencies import CurrentClient
from app.db import SessionDep
from app.errors import NotFound
from app.i18n import N_
from app.reminders import devices, inbox
from app.reminders.models import PushSubscription, ReminderItem


def own_device(
    device_id: uuid.UUID, session: SessionDep, client: CurrentClient
) -> PushSubscription:
    device = devices.owned(session, client.user.id, device_id)
    if device is None:
        raise NotFound(N_("No such device."))
    return device


def own_item(item_id: uuid.UUID, session: SessionDep, client: CurrentClient) -> ReminderItem:
    item = inbox.owned(session, client.user.id, item_id)
    if item is None:
        raise NotFound(N_("No such reminder."))
    return item


OwnDevice = Annotated[PushSubscription, Depends(own_device)]
OwnItem = Annotated[ReminderItem, Depends(own_item)]
