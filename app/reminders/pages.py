"""Reminder pages: notification settings (devices, quiet hours, kinds, email, pause), the inbox,
and the one-click unsubscribe page. Every form works without JavaScript; registering a device
needs the browser's PushManager, so that one button is script-driven."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import field_validator

from app import clock
from app.accounts.dependencies import CurrentClient
from app.accounts.models import User
from app.accounts.web import see_other
from app.db import SessionDep
from app.errors import NotFound
from app.forms import FormResult, read_form, submit_form, worded
from app.i18n import N_, gettext
from app.reminders import devices, email, inbox, preferences, runtime
from app.reminders.dependencies import OwnDevice, OwnItem
from app.reminders.service import KINDS
from app.schema_types import ApiModel, Name
from app.templates import render
from app.web_security import CSRF_EXEMPT

router = APIRouter()


# Notices are English catalog messages, translated on the page (`_(notice)`).
SAVED = {
    "settings": N_("Your reminder settings are saved."),
    "renamed": N_("The device name is saved."),
    "removed": N_("That device won't get notifications any more."),
    "snoozed": N_("Snoozed. It will come back."),
    "done": N_("Marked as done."),
}


class PreferencesForm(ApiModel):
    quiet_start: time | None = None
    quiet_end: time | None = None
    kinds_on: list[str] = []
    email_enabled: bool = False
    email_kinds: list[str] = []
    paused_from: date | None = None
    paused_until: date | None = None

    @field_validator("kinds_on", "email_kinds", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        if value is None:
            return []
        return [value] if isinstance(value, str) else value

    @field_validator("kinds_on", "email_kinds")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        if any(k not in KINDS for k in value):
            raise ValueError(N_("Choose from the kinds listed."))
        return value


class RenameForm(ApiModel):
    device_name: Name


def _prefs_values(session: SessionDep, client_id: Any) -> dict[str, Any]:
    view = preferences.view(preferences.get_row(session, client_id))
    return {
        "quiet_start": view.quiet.start.strftime("%H:%M") if view.quiet else "",
        "quiet_end": view.quiet.end.strftime("%H:%M") if view.quiet else "",
        "kinds_on": [k for k in KINDS if k not in view.muted],
        "email_enabled": view.email_enabled,
        "email_kinds": [k for k in KINDS if k not in view.email_muted],
        "paused_from": view.paused_from.isoformat() if view.paused_from else "",
        "paused_until": view.paused_until.isoformat() if view.paused_until else "",
    }


def _settings(
    request: Request,
    session: SessionDep,
    client: CurrentClient,
    *,
    form: FormResult[Any] | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    user = client.user
    listed = devices.list_for(session, user.id, clock.now())
    form = form or FormResult(values=_prefs_values(session, user.id))
    return render(
        request,
        "reminders/settings.html",
        {
            "form": worded(form),
            "devices": listed,
            "kinds": KINDS,
            "notice": notice,
            "has_email": bool(user.email),
            "vapid_key": runtime.vapid_keys().public_key,
            "paused_now": _paused_now(session, user),
        },
        status_code=status_code,
    )


def _paused_now(session: SessionDep, user: Any) -> bool:
    view = preferences.view(preferences.get_row(session, user.id))
    return view.paused_on(clock.local_today(user.time_zone))


@router.get("/reminders/settings", response_class=HTMLResponse)
def settings_page(
    request: Request, session: SessionDep, client: CurrentClient, saved: str | None = None
) -> Response:
    return _settings(request, session, client, notice=SAVED.get(saved or ""))


@router.post("/reminders/settings", response_class=HTMLResponse)
async def settings_submit(request: Request, session: SessionDep, client: CurrentClient) -> Response:
    values = await read_form(request)
    values["email_enabled"] = values.get("email_enabled") == "on"

    def save(data: PreferencesForm) -> Response:
        # The ranges' rules are the service's; its refusals name the field they belong beside.
        preferences.save(
            session=session,
            client_id=client.user.id,
            quiet_start=data.quiet_start,
            quiet_end=data.quiet_end,
            muted_kinds=set(KINDS) - set(data.kinds_on),
            email_enabled=data.email_enabled,
            email_muted_kinds=set(KINDS) - set(data.email_kinds),
            paused_from=data.paused_from,
            paused_until=data.paused_until,
        )
        return see_other("/reminders/settings?saved=settings")

    def show(form: FormResult[PreferencesForm], status: int) -> Response:
        for key in ("kinds_on", "email_kinds"):  # ticked boxes stay ticked
            form.values[key] = PreferencesForm._listify(values.get(key))
        return _settings(request, session, client, form=form, status_code=status)

    return await submit_form(request, PreferencesForm, save=save, show=show, values=values)


@router.post("/reminders/devices/{device_id}/rename", response_class=HTMLResponse)
async def rename_device(
    request: Request, device: OwnDevice, session: SessionDep, client: CurrentClient
) -> Response:

    def save(data: RenameForm) -> Response:
        devices.rename(session=session, device=device, device_name=data.device_name)
        return see_other("/reminders/settings?saved=renamed")

    def show(_form: FormResult[RenameForm], status: int) -> Response:
        # The device list has no field beside which to show it: one notice at the top.
        notice = N_("Give the device a name (up to 80 characters).")
        return _settings(request, session, client, notice=notice, status_code=status)

    return await submit_form(request, RenameForm, save=save, show=show)


@router.post("/reminders/devices/{device_id}/remove", response_class=HTMLResponse)
def remove_device(device: OwnDevice, session: SessionDep) -> Response:
    devices.remove(session=session, device=device)
    return see_other("/reminders/settings?saved=removed")


@router.post("/reminders/devices/{device_id}/test", response_class=HTMLResponse)
def test_device(
    request: Request, device: OwnDevice, session: SessionDep, client: CurrentClient
) -> Response:
    sender = runtime.channels().push
    name = device.device_name
    if sender is None:
        return _settings(
            request,
            session,
            client,
            notice=N_("Phone notifications are not set up on this server."),
        )
    result = devices.send_test(session=session, device=device, sender=sender)
    notices = {
        "delivered": N_(
            "A test notification is on its way to “%(name)s”. If it doesn't appear, check that "
            "notifications are allowed for Groundwork in the phone's settings."
        ),
        "gone": N_(
            "“%(name)s” no longer accepts notifications. Turn them on again on that device."
        ),
    }
    failed = N_("The test could not be sent to “%(name)s” just now. Please try again later.")
    notice = gettext(notices.get(result.outcome, failed), name=name)
    return _settings(request, session, client, notice=notice)


@router.get("/reminders/inbox", response_class=HTMLResponse)
def inbox_page(
    request: Request, session: SessionDep, client: CurrentClient, saved: str | None = None
) -> Response:
    entries = inbox.entries(session, client.user.id)
    unread = {e.id for e in entries if e.read_at is None and e.acknowledged_at is None}
    if unread:
        inbox.mark_all_read(session=session, client_id=client.user.id)
    return render(
        request,
        "reminders/inbox.html",
        {
            "entries": entries,
            "unread": unread,
            "label": inbox.state_label,
            "note_words": inbox.note_words,
            "notice": SAVED.get(saved or ""),
            "tz": client.user.time_zone,
            "kinds": KINDS,
        },
    )


@router.post("/reminders/inbox/{item_id}/snooze", response_class=HTMLResponse)
async def snooze_item(request: Request, item: OwnItem, session: SessionDep) -> Response:
    choice = (await read_form(request)).get("choice")
    try:
        inbox.snooze(session=session, item=item, choice=str(choice))
    except ValueError:
        return see_other("/reminders/inbox")
    return see_other("/reminders/inbox?saved=snoozed")


@router.post("/reminders/inbox/{item_id}/done", response_class=HTMLResponse)
def done_item(item: OwnItem, session: SessionDep) -> Response:
    if inbox.done(session=session, item=item):
        return see_other("/reminders/inbox?saved=done")
    return see_other(item.url)  # the source cannot be ticked from here: open it


def _unsubscribe_target(token: str) -> tuple[Any, str]:
    found = email.read_unsubscribe_token(runtime.secret(), token)
    if found is None or found[1] not in KINDS:
        raise NotFound(N_("This unsubscribe link is not valid."))
    return found


@router.get("/reminders/unsubscribe/{unsubscribe_token}", response_class=HTMLResponse)
def unsubscribe_page(request: Request, unsubscribe_token: str) -> Response:
    _client_id, kind = _unsubscribe_target(unsubscribe_token)
    return render(
        request,
        "reminders/unsubscribe.html",
        {"token": unsubscribe_token, "label": KINDS[kind], "done": False},
    )


@router.post(
    "/reminders/unsubscribe/{unsubscribe_token}",
    response_class=HTMLResponse,
    openapi_extra={CSRF_EXEMPT: True},
)
def unsubscribe(request: Request, unsubscribe_token: str, session: SessionDep) -> Response:
    """RFC 8058 one-click: mail providers POST here without cookies; the signed token is the proof."""
    client_id, kind = _unsubscribe_target(unsubscribe_token)
    if session.get(User, client_id) is None:
        raise NotFound(N_("This unsubscribe link is not valid."))
    preferences.unsubscribe_email(session=session, client_id=client_id, kind=kind)
    return render(
        request,
        "reminders/unsubscribe.html",
        {"token": unsubscribe_token, "label": KINDS[kind], "done": True},
    )
