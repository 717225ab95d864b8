"""JSON API for reminders: the client's devices, preferences, inbox, and notification actions."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from app import clock
from app.accounts.dependencies import CurrentClient
from app.db import SessionDep
from app.errors import Conflict, NotFound, Unprocessable
from app.i18n import N_
from app.reminders import devices, inbox, preferences, runtime, tokens
from app.reminders.dependencies import OwnDevice, OwnItem
from app.reminders.models import ReminderItem
from app.reminders.schemas import (
    Action,
    ActionResult,
    DeviceCreate,
    DevicePublic,
    DeviceRename,
    DoneResult,
    InboxEntry,
    Preferences,
    Snooze,
    TestResult,
    VapidKey,
)
from app.web_security import CSRF_EXEMPT

router = APIRouter(prefix="/reminders", tags=["reminders"])
# Requests that carry their own single-purpose signed token instead of a session + CSRF token.
CAPABILITY = {CSRF_EXEMPT: True}


def entry(item: ReminderItem) -> InboxEntry:
    return InboxEntry(
        id=item.id,
        kind=item.kind,
        title=item.title,
        body=item.body,
        url=item.url,
        planned_at=item.planned_at,
        status=item.status,
        state=inbox.state_label(item),
        delivery_note=item.delivery_note,
        read=item.read_at is not None,
        done=item.acknowledged_at is not None,
    )


@router.get("/vapid-key", response_model=VapidKey)
def vapid_key(client: CurrentClient) -> VapidKey:
    """The applicationServerKey for PushManager.subscribe()."""
    del client
    return VapidKey(public_key=runtime.vapid_keys().public_key)


@router.get("/devices", response_model=list[DevicePublic])
def list_devices(session: SessionDep, client: CurrentClient) -> list[DevicePublic]:
    listed = devices.list_for(session, client.user.id, clock.now())
    return [DevicePublic.model_validate(d) for d in [*listed.active, *listed.gone]]


@router.post("/devices", response_model=DevicePublic, status_code=status.HTTP_201_CREATED)
def add_device(body: DeviceCreate, session: SessionDep, client: CurrentClient) -> DevicePublic:
    try:
        row = devices.register(
            session=session,
            client_id=client.user.id,
            endpoint=body.endpoint,
            p256dh=body.keys.p256dh,
            auth=body.keys.auth,
            device_name=body.device_name,
        )
    except ValueError as exc:
        raise Unprocessable(str(exc)) from exc
    return DevicePublic.model_validate(row)


@router.patch("/devices/{device_id}", response_model=DevicePublic)
def rename_device(body: DeviceRename, device: OwnDevice, session: SessionDep) -> DevicePublic:
    return DevicePublic.model_validate(
        devices.rename(session=session, device=device, device_name=body.device_name)
    )


@router.delete("/devices/{device_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_device(device: OwnDevice, session: SessionDep) -> Response:
    devices.remove(session=session, device=device)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/devices/{device_id}/test", response_model=TestResult)
def test_device(device: OwnDevice, session: SessionDep) -> TestResult:
    sender = runtime.channels().push
    if sender is None:
        raise Conflict(N_("Phone notifications are not set up on this server."))
    result = devices.send_test(session=session, device=device, sender=sender)
    return TestResult(
        delivered=result.outcome == "delivered", outcome=result.outcome, status_code=result.status
    )


@router.get("/preferences", response_model=Preferences)
def get_preferences(session: SessionDep, client: CurrentClient) -> Preferences:
    view = preferences.view(preferences.get_row(session, client.user.id))
    return Preferences(
        quiet_start=view.quiet.start if view.quiet else None,
        quiet_end=view.quiet.end if view.quiet else None,
        muted_kinds=sorted(view.muted),
        email_enabled=view.email_enabled,
        email_muted_kinds=sorted(view.email_muted),
        paused_from=view.paused_from,
        paused_until=view.paused_until,
    )


@router.put("/preferences", response_model=Preferences)
def put_preferences(body: Preferences, session: SessionDep, client: CurrentClient) -> Preferences:
    preferences.save(
        session=session,
        client_id=client.user.id,
        quiet_start=body.quiet_start,
        quiet_end=body.quiet_end,
        muted_kinds=set(body.muted_kinds),
        email_enabled=body.email_enabled,
        email_muted_kinds=set(body.email_muted_kinds),
        paused_from=body.paused_from,
        paused_until=body.paused_until,
    )
    return body


@router.get("/inbox", response_model=list[InboxEntry])
def get_inbox(session: SessionDep, client: CurrentClient) -> list[InboxEntry]:
    return [entry(item) for item in inbox.entries(session, client.user.id)]


@router.post("/items/{item_id}/snooze", response_model=InboxEntry)
def snooze_item(body: Snooze, item: OwnItem, session: SessionDep) -> InboxEntry:
    try:
        return entry(inbox.snooze(session=session, item=item, choice=body.choice))
    except ValueError as exc:
        raise Conflict(str(exc)) from exc


@router.post("/items/{item_id}/done", response_model=DoneResult)
def done_item(item: OwnItem, session: SessionDep) -> DoneResult:
    completed = inbox.done(session=session, item=item)
    return DoneResult(completed=completed, open=None if completed else item.url)


@router.post("/actions", response_model=ActionResult, openapi_extra=CAPABILITY)
def notification_action(body: Action, session: SessionDep) -> ActionResult:
    """Done / Snooze pressed on a notification (the service worker posts the reminder's token)."""
    item_id = tokens.read_action_token(runtime.secret(), body.token)
    item = session.get(ReminderItem, item_id) if item_id else None
    if item is None:
        raise NotFound(N_("This reminder no longer exists."))
    if body.action == "done":
        completed = inbox.done(session=session, item=item)
        return ActionResult(open=None if completed else item.url)
    try:
        inbox.snooze(
            session=session, item=item, choice="10m" if body.action == "snooze_10m" else "1h"
        )
    except ValueError as exc:
        raise Conflict(str(exc)) from exc
    return ActionResult(open=None)
