"""Turning channel answers into an item state, and writing a batch of them in one transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import insert, update
from sqlmodel import Session

from app.i18n import N_
from app.reminders import planner
from app.reminders.claim import Claimed
from app.reminders.models import ItemStatus, PushSubscription, ReminderDelivery, ReminderItem
from app.reminders.webpush import PushOutcome

FINAL = {
    ItemStatus.sent,
    ItemStatus.missed,
    ItemStatus.held,
    ItemStatus.failed,
    ItemStatus.done_already,
    ItemStatus.off,
}


@dataclass
class Outcome:
    item: Claimed
    status: str
    due_at: datetime | None = None
    note: str = ""
    attempts: int | None = None
    push: list[tuple[uuid.UUID, PushOutcome, int | None, str]] = field(default_factory=list)
    email: tuple[PushOutcome, str] | None = None
    pushed: bool = False  # the push phase ran in this claim (its answers are in ``push``)

    def push_state(self) -> tuple[str | None, int | None]:
        """The push answers summed up for the row (``push_result``, ``push_delivered``): an
        earlier claim's summary when it already pushed, None when nothing was pushed yet."""
        if not self.pushed:
            return self.item.push_result, self.item.push_delivered
        answers = [p[1] for p in self.push]
        delivered = answers.count(PushOutcome.DELIVERED)
        if not answers:
            return "none", 0
        if delivered:
            return PushOutcome.DELIVERED, delivered
        if PushOutcome.RETRY in answers:
            return PushOutcome.RETRY, 0
        if set(answers) == {PushOutcome.GONE}:
            return PushOutcome.GONE, 0
        return PushOutcome.REJECTED, 0

    def settle(self, now: datetime, *, may_retry: bool = True) -> None:
        """Decide sent / retry / failed from the channels' answers (this claim's, or the push
        summary an earlier claim recorded before it crashed)."""
        summary, delivered = self.push_state()
        answers = [] if summary in (None, "none") else [PushOutcome(summary)]
        answers += [self.email[0]] if self.email else []
        devices = delivered or 0
        by_email = self.email is not None and self.email[0] is PushOutcome.DELIVERED
        if not answers:
            self.status, self.note = ItemStatus.sent, N_("In the app (no device or email set up)")
            return
        if devices or by_email:
            # Kept in English; inbox.note_words says it in the client's language.
            parts = [f"{devices} device{'s' if devices != 1 else ''}"] if devices else []
            parts += ["email"] if by_email else []
            self.status, self.note = ItemStatus.sent, "Sent to " + " and ".join(parts)
            return
        attempts = self.item.attempts + 1
        self.attempts = attempts
        retry = planner.retry_at(attempts, now) if PushOutcome.RETRY in answers else None
        if retry is not None and may_retry:
            self.status, self.due_at, self.note = (
                ItemStatus.pending,
                retry,
                N_("Trying again shortly"),
            )
        elif PushOutcome.GONE in answers and len(set(answers)) == 1:
            self.status, self.note = (
                ItemStatus.failed,
                N_("This device no longer accepts notifications"),
            )
        else:
            self.status, self.note = ItemStatus.failed, N_("Could not be delivered")


def record(
    *,
    session: Session,
    outcomes: list[Outcome],
    worker: str,
    now: datetime,
    pushed: Sequence[Outcome] = (),
) -> set[uuid.UUID]:
    """Write states, deliveries and subscription health for one batch; commits once.

    ``outcomes`` are final (or back to pending); ``pushed`` were pushed and still wait for their
    email: only their push summary is written, they stay claimed. Only rows still claimed by
    ``worker`` are updated: if this process was so slow that its lease ran out and another process
    took a row over, the other process's answer wins. Returns the ids of ``pushed`` still held.
    """
    table = ReminderItem.__table__  # type: ignore[attr-defined]  # SQLModel creates __table__ with the class; its stubs do not declare it
    mine = (table.c.claimed_by == worker[:64], table.c.status == ItemStatus.sending)
    # One UPDATE per distinct result (a burst is nearly all "sent"), not one per row.
    groups: dict[tuple[str, str, int, datetime | None], list[uuid.UUID]] = {}
    for o in outcomes:
        attempts = o.attempts if o.attempts is not None else o.item.attempts
        groups.setdefault((o.status, o.note[:200], attempts, o.due_at), []).append(o.item.id)
    for (status, note, attempts, due_at), ids in groups.items():
        # The push state only lives while an attempt is under way: a snooze or a retry pushes anew.
        values: dict[str, object] = {
            "status": status,
            "attempts": attempts,
            "delivery_note": note,
            "finished_at": now if status in FINAL else None,
            "lease_until": None,
            "claimed_by": None,
            "push_result": None,
            "push_delivered": None,
        }
        if due_at is not None:
            values["due_at"] = due_at
        for start in range(0, len(ids), 5000):
            session.exec(
                update(table)
                .where(table.c.id.in_(ids[start : start + 5000]), *mine)
                .values(**values)
            )
    held: set[uuid.UUID] = set()
    by_state: dict[tuple[str | None, int | None], list[uuid.UUID]] = {}
    for o in pushed:
        by_state.setdefault(o.push_state(), []).append(o.item.id)
    for (result, delivered), ids in by_state.items():
        for start in range(0, len(ids), 5000):
            rows = session.exec(
                update(table)
                .where(table.c.id.in_(ids[start : start + 5000]), *mine)
                .values(push_result=result, push_delivered=delivered)
                .returning(table.c.id)
                .execution_options(synchronize_session=False)
            ).all()
            held.update(row[0] for row in rows)
    deliveries = []
    health: dict[uuid.UUID, PushOutcome] = {}
    for o in [*outcomes, *pushed]:
        for sub_id, answer, code, detail in o.push:
            deliveries.append(_delivery(o, "push", sub_id, answer, code, detail, now))
            if answer is not PushOutcome.DELIVERED:  # successes live in the delivery rows
                health[sub_id] = answer
        if o.email is not None:
            deliveries.append(_delivery(o, "email", None, o.email[0], None, o.email[1], now))
    if deliveries:
        _insert_deliveries(session, deliveries)
    _subscription_health(session, health, now)
    session.commit()
    return held


def _delivery(
    o: Outcome,
    channel: str,
    sub_id: uuid.UUID | None,
    answer: PushOutcome,
    status: int | None,
    detail: str,
    now: datetime,
) -> dict[str, object]:
    return {
        "id": uuid.uuid4(),
        "item_id": o.item.id,
        "channel": channel,
        "subscription_id": sub_id,
        "outcome": str(answer),
        "status_code": status,
        "detail": detail[:200],
        "attempted_at": now,
    }


def _subscription_health(
    session: Session, health: dict[uuid.UUID, PushOutcome], now: datetime
) -> None:
    by_answer: dict[PushOutcome, list[uuid.UUID]] = {}
    for sub_id, answer in health.items():
        by_answer.setdefault(answer, []).append(sub_id)
    table = PushSubscription.__table__  # type: ignore[attr-defined]  # SQLModel creates __table__ with the class; its stubs do not declare it
    if ids := by_answer.get(PushOutcome.GONE):
        session.exec(
            update(table)
            .where(table.c.id.in_(ids), table.c.gone_at.is_(None))
            .values(
                gone_at=now,
                last_failure_at=now,
                gone_reason="The push service said this device is gone",
            )
        )
    failed = by_answer.get(PushOutcome.RETRY, []) + by_answer.get(PushOutcome.REJECTED, [])
    if failed:
        session.exec(update(table).where(table.c.id.in_(failed)).values(last_failure_at=now))


_DELIVERY_COLUMNS = (
    "id",
    "item_id",
    "channel",
    "subscription_id",
    "outcome",
    "status_code",
    "detail",
    "attempted_at",
)


def _insert_deliveries(session: Session, rows: list[dict[str, object]]) -> None:
    """PostgreSQL: COPY (a 10,000-push burst writes 10,000 rows; COPY is several times faster
    than multi-row INSERT). Elsewhere: one executemany INSERT."""
    if session.get_bind().dialect.name != "postgresql":
        session.exec(insert(ReminderDelivery.__table__), params=rows)  # type: ignore[attr-defined]  # SQLModel creates __table__ with the class; its stubs do not declare it
        return
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]  # a checked-out connection always has its DBAPI connection
    with cursor.copy(f"COPY reminder_delivery ({', '.join(_DELIVERY_COLUMNS)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(tuple(row[c] for c in _DELIVERY_COLUMNS))
