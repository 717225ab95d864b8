"""Reminders routes for the authorization matrix."""

from __future__ import annotations

from sqlmodel import Session

from app import clock
from app.reminders import email, runtime
from app.reminders.models import ItemStatus, PushSubscription, ReminderItem
from tests.access import (
    ALLOW,
    CLIENT_SELF,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    PUBLIC,
    Expect,
    Route,
    World,
)

# An object the own client owns, named in the path: other clients get 404, staff 403 (client-only).
OWN = Expect(LOGIN, ALLOW, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN)

ROUTES = [
    Route("GET", "/api/v1/reminders/vapid-key", CLIENT_SELF),
    Route("GET", "/api/v1/reminders/devices", CLIENT_SELF),
    Route("POST", "/api/v1/reminders/devices", CLIENT_SELF),
    Route("PATCH", "/api/v1/reminders/devices/{device_id}", OWN),
    Route("DELETE", "/api/v1/reminders/devices/{device_id}", OWN),
    Route("POST", "/api/v1/reminders/devices/{device_id}/test", OWN),
    Route("GET", "/api/v1/reminders/preferences", CLIENT_SELF),
    Route("PUT", "/api/v1/reminders/preferences", CLIENT_SELF),
    Route("GET", "/api/v1/reminders/inbox", CLIENT_SELF),
    Route("POST", "/api/v1/reminders/items/{item_id}/snooze", OWN),
    Route("POST", "/api/v1/reminders/items/{item_id}/done", OWN),
    # Authorised by the reminder's signed token in the body, not by a session.
    Route("POST", "/api/v1/reminders/actions", PUBLIC),
    Route("GET", "/reminders/settings", CLIENT_SELF),
    Route("POST", "/reminders/settings", CLIENT_SELF),
    Route("POST", "/reminders/devices/{device_id}/rename", OWN),
    Route("POST", "/reminders/devices/{device_id}/remove", OWN),
    Route("POST", "/reminders/devices/{device_id}/test", OWN),
    Route("GET", "/reminders/inbox", CLIENT_SELF),
    Route("POST", "/reminders/inbox/{item_id}/snooze", OWN),
    Route("POST", "/reminders/inbox/{item_id}/done", OWN),
    # One-click unsubscribe: the signed link is the proof (mail providers post without cookies).
    Route("GET", "/reminders/unsubscribe/{unsubscribe_token}", PUBLIC),
    Route("POST", "/reminders/unsubscribe/{unsubscribe_token}", PUBLIC),
]


def build(world: World) -> dict[str, str]:
    session: Session = world.session
    client = world.own_client
    device = PushSubscription(
        client_id=client.id,
        endpoint="http://127.0.0.1:9/push/matrix",
        p256dh="BAAAAAAAAAAAAAAAAAAAAA",
        auth="AAAAAAAAAAAAAAAAAAAAAA",
        device_name="Matrix phone",
    )
    now = clock.now()
    item = ReminderItem(
        client_id=client.id,
        kind="routine",
        source_id=client.id,
        occurrence_key="matrix",
        local_day=now.date(),
        title="Morning routine",
        planned_at=now,
        due_at=now,
        status=ItemStatus.sent,
    )
    session.add(device)
    session.add(item)
    session.flush()
    token = email.unsubscribe_token(runtime.secret(), client.id, "routine")
    return {"device_id": str(device.id), "item_id": str(item.id), "unsubscribe_token": token}
