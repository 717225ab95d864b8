"""Helpers to fill the outbox with a burst of due reminders fast (tests and bench)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, insert

from app.accounts.models import Role, User
from app.reminders.models import ItemStatus, PushSubscription, ReminderItem


def add_clients(engine: Engine, n: int, *, tz: str = "Europe/London") -> list[uuid.UUID]:
    ids = [uuid.uuid4() for _ in range(n)]
    rows = [
        {
            "id": i,
            "role": Role.client,
            "preferred_name": f"Client {k}",
            "time_zone": tz,
            "country": "GB",
            "language": "en",
            "is_clinic_admin": False,
            "totp_enabled": False,
            "is_active": True,
            "created_at": datetime(2026, 1, 1).astimezone(),
        }
        for k, i in enumerate(ids)
    ]
    with engine.begin() as conn:
        for start in range(0, n, 2000):
            conn.execute(insert(User.__table__), rows[start : start + 2000])  # type: ignore[attr-defined]
    return ids


def add_devices(
    engine: Engine, clients: list[uuid.UUID], subscriptions: list[dict[str, Any]]
) -> None:
    rows = [
        {
            "id": uuid.uuid4(),
            "client_id": cid,
            "endpoint": sub["endpoint"],
            "p256dh": sub["keys"]["p256dh"],
            "auth": sub["keys"]["auth"],
            "device_name": "Phone",
            "created_at": datetime(2026, 1, 1).astimezone(),
        }
        for cid, sub in zip(clients, subscriptions, strict=True)
    ]
    with engine.begin() as conn:
        conn.execute(insert(PushSubscription.__table__), rows)  # type: ignore[attr-defined]


def add_due_items(
    engine: Engine, clients: list[uuid.UUID], n: int, due: datetime
) -> list[uuid.UUID]:
    """``n`` one-off reminders due at ``due``, spread over ``clients``."""
    ids = [uuid.uuid4() for _ in range(n)]
    rows = [
        {
            "id": i,
            "schedule_id": None,
            "client_id": clients[k % len(clients)],
            "kind": "routine",
            "source_id": uuid.uuid4(),
            "occurrence_key": f"burst:{k}",
            "local_day": date(2026, 1, 1),
            "title": f"Reminder {k}",
            "body": "",
            "url": "/",
            "only_if_not_done": False,
            "planned_at": due,
            "due_at": due,
            "status": ItemStatus.pending,
            "attempts": 0,
            "snoozed": False,
            "delivery_note": "",
        }
        for k, i in enumerate(ids)
    ]
    with engine.begin() as conn:
        for start in range(0, n, 2000):
            conn.execute(insert(ReminderItem.__table__), rows[start : start + 2000])  # type: ignore[attr-defined]
    return ids
