"""One dispatcher tick: claim due rows, decide, send through each client's channels, record.

Three short transactions per batch (claim, read context, record) and no transaction open while
talking to push services or SMTP, so a slow network never holds database locks.
Order of decisions for a claimed occurrence (docs/reminders.md):
missed (past grace) -> off (kind switched off / paused) -> deferred (early quiet hours)
-> done already ("only if not done") -> held (late quiet hours) -> sent.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, Table
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app.accounts.models import User
from app.db import open_session
from app.reminders import claim, planner, preferences, sources, tokens
from app.reminders import email as email_channel
from app.reminders.models import ItemStatus, PushSubscription
from app.reminders.record import Outcome, record
from app.reminders.service import KINDS
from app.reminders.webpush import PushMessage, PushOutcome, Subscription, WebPushSender, topic_for

log = logging.getLogger("groundwork.reminders")
_SUBS: Table = PushSubscription.__table__  # type: ignore[attr-defined]


@dataclass
class Channels:
    """What a dispatcher sends with; ``push`` None means Web Push is not configured."""

    secret: bytes
    base_url: str
    push: WebPushSender | None = None
    smtp: email_channel.SmtpSettings | None = None


@dataclass
class TickReport:
    claimed: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    ids: list[uuid.UUID] = field(default_factory=list)

    def add(self, status: str) -> None:
        self.counts[status] = self.counts.get(status, 0) + 1


@dataclass(frozen=True, slots=True)
class _Device:
    id: uuid.UUID
    subscription: Subscription


@dataclass
class _Context:
    zones: dict[uuid.UUID, ZoneInfo]
    emails: dict[uuid.UUID, str | None]
    prefs: dict[uuid.UUID, preferences.Prefs]
    subs: dict[uuid.UUID, list[_Device]]


def _load_context(session: Session, items: list[claim.Claimed]) -> _Context:
    """Three queries for the whole batch: clients, preferences, live devices."""
    client_ids = {i.client_id for i in items}
    users = session.exec(
        select(User.id, User.time_zone, User.email).where(col(User.id).in_(client_ids))
    ).all()
    subs: dict[uuid.UUID, list[_Device]] = {cid: [] for cid in client_ids}
    for row in session.connection().execute(
        sa_select(*[_SUBS.c[name] for name in ("id", "client_id", "endpoint", "p256dh", "auth")]).where(
            _SUBS.c.client_id.in_(client_ids), _SUBS.c.gone_at.is_(None)
        )
    ):  # fmt: skip
        subs[row[1]].append(_Device(row[0], Subscription(row[2], row[3], row[4])))
    return _Context(
        zones={uid: ZoneInfo(tz) for uid, tz, _ in users},
        emails={uid: mail for uid, _, mail in users},
        prefs=preferences.load_many(session, client_ids),
        subs=subs,
    )


def _decide(
    session: Session, item: claim.Claimed, ctx: _Context, now: datetime, grace: timedelta
) -> Outcome | None:
    """A final (or deferred) outcome without sending, or None when the item should be sent."""
    if planner.is_missed(item.due_at, now, grace):
        return Outcome(
            item, ItemStatus.missed, note="Not sent: the app was not running at the time"
        )
    prefs = ctx.prefs[item.client_id]
    if item.kind in prefs.muted or prefs.paused_on(item.local_day):
        return Outcome(item, ItemStatus.off, note="Reminders of this kind were off or paused")
    zone = ctx.zones[item.client_id]
    decision = planner.quiet_decision(item.due_at, zone, prefs.quiet)
    if decision is planner.QuietDecision.DEFER and prefs.quiet is not None:
        return Outcome(
            item, ItemStatus.pending, due_at=planner.quiet_end_utc(item.due_at, zone, prefs.quiet)
        )
    if item.only_if_not_done and not sources.still_due(
        session=session, kind=item.kind, source_id=item.source_id, local_day=item.local_day
    ):
        return Outcome(item, ItemStatus.done_already, note="Already done: no reminder needed")
    if decision is planner.QuietDecision.HOLD:
        return Outcome(item, ItemStatus.held, note="Kept here quietly: it fell in your quiet hours")
    return None


def _payload(item: claim.Claimed, channels: Channels) -> bytes:
    return json.dumps(
        {
            "id": str(item.id),
            "kind": item.kind,
            "title": item.title,
            "body": item.body,
            "url": item.url,
            "token": tokens.action_token(channels.secret, item.id),
            "tag": topic_for(str(item.id)),
        },  # fmt: skip
        separators=(",", ":"),
    ).encode()


def _email_for(
    item: claim.Claimed, to_addr: str, channels: Channels
) -> email_channel.EmailReminder:
    unsubscribe = email_channel.unsubscribe_token(channels.secret, item.client_id, item.kind)
    label = KINDS.get(item.kind, item.kind)
    return email_channel.EmailReminder(
        to_addr=to_addr, subject=f"Reminder: {item.title}", title=item.title, body=item.body,
        open_url=channels.base_url + item.url,
        unsubscribe_url=f"{channels.base_url}/reminders/unsubscribe/{unsubscribe}", kind_label=label,
    )  # fmt: skip


def _send(
    to_send: list[claim.Claimed], ctx: _Context, channels: Channels, now: datetime
) -> list[Outcome]:
    outcomes = {item.id: Outcome(item, ItemStatus.sent) for item in to_send}
    messages: list[tuple[claim.Claimed, _Device, PushMessage]] = []
    for item in to_send:
        if channels.push is None:
            continue
        for sub in ctx.subs[item.client_id]:
            message = PushMessage(
                sub.subscription, _payload(item, channels),
                topic=topic_for(str(item.id)), ttl=int(planner.DEFAULT_GRACE.total_seconds()),
                urgency="high" if item.kind == "homework" else "normal",
            )  # fmt: skip
            messages.append((item, sub, message))
    if channels.push is not None and messages:
        results = channels.push.send_many([m for _, _, m in messages])
        for (item, sub, _), result in zip(messages, results, strict=True):
            outcomes[item.id].push.append((sub.id, result.outcome, result.status, result.detail))
    for item in to_send:
        to_addr = ctx.emails.get(item.client_id)
        if (
            channels.smtp is None
            or not to_addr
            or not ctx.prefs[item.client_id].email_for(item.kind)
        ):
            continue
        try:
            email_channel.send(channels.smtp, _email_for(item, to_addr, channels))
            outcomes[item.id].email = (PushOutcome.DELIVERED, "")
        except email_channel.EmailError as exc:
            kind = PushOutcome.REJECTED if exc.permanent else PushOutcome.RETRY
            outcomes[item.id].email = (kind, str(exc)[:200])
    for outcome in outcomes.values():
        outcome.settle(now)
    return list(outcomes.values())


def run_batch(
    *,
    channels: Channels,
    now: datetime,
    worker: str,
    limit: int = 500,
    grace: timedelta = planner.DEFAULT_GRACE,
    engine: Engine | None = None,
) -> TickReport:
    """Claim and process one batch of due occurrences."""
    report = TickReport()
    with open_session(write=True, engine=engine) as session:
        claimed = claim.claim_due(session=session, now=now, worker=worker, limit=limit)
    report.claimed = len(claimed)
    report.ids = [item.id for item in claimed]
    if not claimed:
        return report
    outcomes: list[Outcome] = []
    to_send: list[claim.Claimed] = []
    with open_session(engine=engine) as session:
        ctx = _load_context(session, claimed)
        for item in claimed:
            decided = _decide(session, item, ctx, now, grace)
            if decided is None:
                to_send.append(item)
            else:
                outcomes.append(decided)
        session.rollback()
    outcomes += _send(to_send, ctx, channels, now)
    with open_session(write=True, engine=engine) as session:
        record(session=session, outcomes=outcomes, worker=worker, now=now)
    for outcome in outcomes:
        report.add(outcome.status)
    return report


def run_tick(
    *,
    channels: Channels,
    now: Callable[[], datetime],
    worker: str,
    limit: int = 500,
    max_batches: int = 40,
    engine: Engine | None = None,
) -> TickReport:
    """Batches until nothing is due (bounded, so one tick never runs for ever)."""
    total = TickReport()
    for _ in range(max_batches):
        report = run_batch(channels=channels, now=now(), worker=worker, limit=limit, engine=engine)
        total.claimed += report.claimed
        total.ids += report.ids
        for status, n in report.counts.items():
            total.counts[status] = total.counts.get(status, 0) + n
        if report.claimed < limit:
            break
    return total
