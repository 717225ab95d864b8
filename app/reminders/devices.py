"""A client's push devices: register (PushManager subscription), name, test, remove."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from app import clock
from app.accounts.models import User
from app.i18n import gettext, use_language
from app.reminders.models import PushSubscription
from app.reminders.webpush import (
    PushMessage,
    PushOutcome,
    PushResult,
    Subscription,
    WebPushSender,
    topic_for,
)

GONE_SHOWN_FOR = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class DeviceList:
    active: list[PushSubscription]
    gone: list[PushSubscription]


def register(
    *,
    session: Session,
    client_id: uuid.UUID,
    endpoint: str,
    p256dh: str,
    auth: str,
    device_name: str,
) -> PushSubscription:
    """Store a subscription; the same endpoint again updates it (a browser re-subscribing, or a
    shared phone now signed in as someone else: the newest owner gets the pushes). Commits."""
    if not endpoint.startswith(("https://", "http://")):
        raise ValueError("The push endpoint must be a web address.")
    row = session.exec(
        select(PushSubscription).where(PushSubscription.endpoint == endpoint)
    ).first()
    if row is None:
        row = PushSubscription(
            client_id=client_id,
            endpoint=endpoint,
            p256dh=p256dh,
            auth=auth,
            device_name=device_name,
        )
    row.client_id, row.p256dh, row.auth, row.device_name = client_id, p256dh, auth, device_name
    row.gone_at, row.gone_reason = None, None
    session.add(row)
    session.commit()
    return row


def list_for(session: Session, client_id: uuid.UUID, now: datetime) -> DeviceList:
    rows = list(
        session.exec(
            select(PushSubscription)
            .where(PushSubscription.client_id == client_id)
            .order_by(col(PushSubscription.created_at))
        )
    )
    active = [r for r in rows if r.gone_at is None]
    gone = [r for r in rows if r.gone_at is not None and now - r.gone_at < GONE_SHOWN_FOR]
    return DeviceList(active, gone)


def owned(session: Session, client_id: uuid.UUID, device_id: uuid.UUID) -> PushSubscription | None:
    row = session.get(PushSubscription, device_id)
    return row if row is not None and row.client_id == client_id else None


def rename(*, session: Session, device: PushSubscription, device_name: str) -> PushSubscription:
    device.device_name = device_name
    session.add(device)
    session.commit()
    return device


def remove(*, session: Session, device: PushSubscription) -> None:
    """Forget a device for good (its past deliveries keep their record)."""
    session.delete(device)
    session.commit()


def send_test(*, session: Session, device: PushSubscription, sender: WebPushSender) -> PushResult:
    """Push a test notification now and record what the push service answered. Commits."""
    now = clock.now()
    owner = session.get(User, device.client_id)
    with use_language(owner.language if owner is not None else "en"):
        title = gettext("Test reminder")
        body = gettext("Notifications reach “%(name)s”.", name=device.device_name)
    payload = json.dumps(
        {
            "id": None,
            "kind": "test",
            "title": title,
            "url": "/reminders/settings",
            "body": body,
            "tag": "test",
        }
    ).encode()
    result = sender.send(
        PushMessage(
            Subscription(device.endpoint, device.p256dh, device.auth),
            payload,
            topic=topic_for(f"test:{device.id}"),
            ttl=300,
            urgency="high",
        )
    )
    if result.outcome is PushOutcome.DELIVERED:
        device.last_success_at = now
    else:
        device.last_failure_at = now
        if result.outcome is PushOutcome.GONE:
            device.gone_at, device.gone_reason = now, "The push service said this device is gone"
    session.add(device)
    session.commit()
    return result
