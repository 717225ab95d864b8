"""Reminders JSON API: devices, preferences, inbox, notification actions."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session

from app import clock
from app.accounts.models import User
from app.reminders import runtime, tokens
from app.reminders.models import ItemStatus, PushSubscription, ReminderItem, ReminderPreference

from .push_service import PushService


def sent_item(session: Session, client: User, **extra: Any) -> ReminderItem:
    now = clock.now()
    fields: dict[str, Any] = {
        "client_id": client.id,
        "kind": "routine",
        "source_id": client.id,
        "occurrence_key": f"k{now.timestamp()}",
        "local_day": now.date(),
        "title": "Evening routine",
        "url": "/routines/abc",
        "planned_at": now,
        "due_at": now,
        "status": ItemStatus.sent,
    }
    item = ReminderItem(**{**fields, **extra})
    session.add(item)
    session.flush()
    return item


def subscription_body(push: PushService, name: str = "My phone") -> dict[str, Any]:
    info = push.subscribe(runtime.vapid_keys().public_key)
    return {**info, "device_name": name, "expirationTime": None}


@pytest.mark.usefixtures("live_channels")
def test_client_registers_renames_tests_and_removes_a_device(
    http: Any, client_user: User, push_service: PushService
) -> None:
    http.as_(client_user)
    key = http.get("/api/v1/reminders/vapid-key").json()["public_key"]
    assert key == runtime.vapid_keys().public_key
    created = http.post("/api/v1/reminders/devices", json=subscription_body(push_service))
    assert created.status_code == 201
    device_id = created.json()["id"]
    assert (
        http.patch(
            f"/api/v1/reminders/devices/{device_id}", json={"device_name": "Kitchen tablet"}
        ).json()["device_name"]
        == "Kitchen tablet"
    )
    tested = http.post(f"/api/v1/reminders/devices/{device_id}/test")
    assert tested.json() == {"delivered": True, "outcome": "delivered", "status_code": 201}
    assert push_service.messages[0].json["title"] == "Test reminder"
    assert "Kitchen tablet" in str(push_service.messages[0].json["body"])
    assert [d["device_name"] for d in http.get("/api/v1/reminders/devices").json()] == [
        "Kitchen tablet"
    ]
    assert http.delete(f"/api/v1/reminders/devices/{device_id}").status_code == 204
    assert http.get("/api/v1/reminders/devices").json() == []


def test_registering_the_same_browser_again_updates_the_device(
    http: Any, session: Session, client_user: User, push_service: PushService
) -> None:
    http.as_(client_user)
    body = subscription_body(push_service)
    first = http.post("/api/v1/reminders/devices", json=body).json()
    second = http.post("/api/v1/reminders/devices", json={**body, "device_name": "Renamed"}).json()
    assert first["id"] == second["id"]
    assert session.get(PushSubscription, uuid.UUID(second["id"])) is not None


def test_bad_subscriptions_are_rejected_without_echoing_input(http: Any, client_user: User) -> None:
    http.as_(client_user)
    for body in [
        {
            "endpoint": "javascript:alert(1)",
            "keys": {"p256dh": "x" * 20, "auth": "y" * 20},
            "device_name": "a",
        },
        {
            "endpoint": "https://push.example/x",
            "keys": {"p256dh": "bad key!" * 3, "auth": "y" * 20},
            "device_name": "a",
        },
        {
            "endpoint": "https://push.example/x",
            "keys": {"p256dh": "x" * 20, "auth": "y" * 20},
            "device_name": "a\x00",
        },
        {
            "endpoint": "https://push.example/x",
            "keys": {"p256dh": "x" * 20, "auth": "y" * 20},
            "device_name": "",
        },
    ]:
        response = http.post("/api/v1/reminders/devices", json=body)
        assert response.status_code == 422, body
        assert "alert(1)" not in response.text


def test_preferences_round_trip_and_ranges_are_checked(
    http: Any, session: Session, client_user: User
) -> None:
    http.as_(client_user)
    body = {
        "quiet_start": "21:30:00",
        "quiet_end": "07:00:00",
        "muted_kinds": ["mood_log"],
        "email_enabled": True,
        "email_muted_kinds": ["habit"],
        "paused_from": "2026-12-20",
        "paused_until": "2026-12-27",
    }
    assert http.put("/api/v1/reminders/preferences", json=body).status_code == 200
    assert http.get("/api/v1/reminders/preferences").json() == body
    row = session.get(ReminderPreference, client_user.id)
    assert row is not None
    assert (row.quiet_start, row.muted_kinds) == ("21:30", "mood_log")
    backwards = {**body, "paused_from": "2026-12-27", "paused_until": "2026-12-20"}
    refused = http.put("/api/v1/reminders/preferences", json=backwards)
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "paused_until", "problem": "The pause must end on or after the day it starts."}
    ]
    assert (
        http.put("/api/v1/reminders/preferences", json={**body, "email_enabled": "yes"}).status_code
        == 422
    )
    assert (
        http.put(
            "/api/v1/reminders/preferences", json={**body, "muted_kinds": ["nagging"]}
        ).status_code
        == 422
    )


def test_inbox_snooze_and_done(http: Any, session: Session, client_user: User) -> None:
    now = datetime(2026, 3, 2, 18, tzinfo=UTC)
    http.as_(client_user)
    with clock.frozen_at(now):
        item = sent_item(session, client_user)
        [entry] = http.get("/api/v1/reminders/inbox").json()
        assert (entry["title"], entry["state"], entry["read"]) == (
            "Evening routine",
            "Delivered",
            False,
        )
        snoozed = http.post(
            f"/api/v1/reminders/items/{item.id}/snooze", json={"choice": "1h"}
        ).json()
    assert snoozed["state"] == "Snoozed"
    session.refresh(item)
    assert (item.status, item.due_at, item.snoozed) == (
        ItemStatus.pending,
        now + timedelta(hours=1),
        True,
    )
    assert (
        http.post(f"/api/v1/reminders/items/{item.id}/snooze", json={"choice": "1y"}).status_code
        == 422
    )
    done = http.post(f"/api/v1/reminders/items/{item.id}/done").json()
    assert done == {
        "completed": False,
        "open": "/routines/abc",
    }  # no routine source in this build's test
    assert (
        http.post(f"/api/v1/reminders/items/{item.id}/snooze", json={"choice": "10m"}).status_code
        == 409
    )


def test_notification_actions_need_the_reminders_token_not_a_session(
    http: Any, session: Session, client_user: User
) -> None:
    item = sent_item(session, client_user)
    token = tokens.action_token(runtime.secret(), item.id)
    http.client.cookies.clear()  # the service worker may post with no page open and no session
    response = http.client.post(
        "/api/v1/reminders/actions", json={"token": token, "action": "snooze_10m"}
    )
    assert response.status_code == 200
    assert response.json() == {"open": None}
    session.refresh(item)
    assert item.snoozed
    assert item.status == ItemStatus.pending
    forged = tokens.action_token(b"another-secret", item.id)
    assert (
        http.client.post(
            "/api/v1/reminders/actions", json={"token": forged, "action": "done"}
        ).status_code
        == 404
    )
    done = http.client.post("/api/v1/reminders/actions", json={"token": token, "action": "done"})
    assert done.json() == {"open": "/routines/abc"}
    session.refresh(item)
    assert item.acknowledged_at is not None
