"""One dispatcher tick: claim due rows, decide, send through each client's channels, record.

Short transactions only (claim, read context, record pushes, record emails as they finish, lease
renewals) and none open while talking to push services or SMTP, so a slow network never holds
database locks. A claim is sized to what this process sent within a third of the lease lately
(``Pace``) and its lease is renewed while sending (``_Keeper``), so a live process never loses its
rows to another and a slow relay never makes anything go out twice; what is not claimed is left to
the other processes. Pushes are recorded (per-channel state) before any email is tried; emails are
recorded every half second as they finish. After a kill -9, only that in-flight window can repeat.
Order of decisions for a claimed occurrence (docs/reminders.md):
missed (past grace) -> off (kind switched off / paused) -> deferred (early quiet hours)
-> done already ("only if not done") -> held (late quiet hours) -> sent.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, Table
from sqlalchemy import exc as sa_exc
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app.accounts.models import User
from app.db import WriteLockTimeout, open_session
from app.i18n import N_, gettext, use_language
from app.reminders import claim, planner, preferences, sources, tokens
from app.reminders import email as email_channel
from app.reminders.models import ItemStatus, PushSubscription
from app.reminders.record import Outcome, record
from app.reminders.service import KINDS
from app.reminders.webpush import PushMessage, PushOutcome, Subscription, WebPushSender, topic_for

log = logging.getLogger("groundwork.reminders")
# Pushes recorded per this many items: ~0.1-0.2 s of sending, the most a kill -9 can repeat.
PUSH_CHUNK = 64
_STEP = 0.02  # seconds between looks at the lease clock and at finished emails
# A record that fails after its pushes went out would send them again on the retry: a database
# that blinks (a lost connection, a write lock held past the busy timeout) gets more tries first.
RECORD_PAUSES = (0.5, 2.0, 5.0)
_TRANSIENT = (
    sa_exc.OperationalError,
    sa_exc.InterfaceError,
    sa_exc.DisconnectionError,
    sa_exc.TimeoutError,
    WriteLockTimeout,
)
_SUBS: Table = PushSubscription.__table__  # type: ignore[attr-defined]  # SQLModel creates __table__ with the class; its stubs do not declare it


@dataclass
class Pace:
    """How many rows this process claims at once: what it sent within ``target`` seconds in its
    last batch, between ``floor`` and ``ceiling``. A 1 s/message relay shrinks claims to a few
    dozen (the rest stays claimable by other processes); a fast push service grows them."""

    limit: int = 50
    floor: int = 8
    ceiling: int = 250

    def update(self, claimed: int, seconds: float, target: float) -> None:
        rate = claimed / max(seconds, 0.001)
        self.limit = max(self.floor, min(self.ceiling, int(rate * target)))


@dataclass
class Channels:
    """What a dispatcher sends with; ``push`` None means Web Push is not configured."""

    secret: bytes
    base_url: str
    push: WebPushSender | None = None
    smtp: email_channel.SmtpSettings | None = None
    pace: Pace = field(default_factory=Pace)
    _mailer: email_channel.EmailSender | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def mailer(self) -> email_channel.EmailSender | None:
        """The process's pooled SMTP sender (connections reused across batches)."""
        if self.smtp is None:
            return None
        with self._lock:
            if self._mailer is None:
                self._mailer = email_channel.EmailSender(self.smtp)
            return self._mailer

    def close(self) -> None:
        if self.push is not None:
            self.push.close()
        with self._lock:
            mailer, self._mailer = self._mailer, None
        if mailer is not None:
            mailer.close()


@dataclass
class TickReport:
    claimed: int = 0
    limit: int = 0
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
    languages: dict[uuid.UUID, str]
    prefs: dict[uuid.UUID, preferences.Prefs]
    subs: dict[uuid.UUID, list[_Device]]


def _load_context(session: Session, items: list[claim.Claimed]) -> _Context:
    """Three queries for the whole batch: clients, preferences, live devices."""
    client_ids = {i.client_id for i in items}
    users = session.exec(
        select(User.id, User.time_zone, User.email, User.language).where(
            col(User.id).in_(client_ids)
        )
    ).all()
    subs: dict[uuid.UUID, list[_Device]] = {cid: [] for cid in client_ids}
    for row in session.connection().execute(
        sa_select(
            *[_SUBS.c[name] for name in ("id", "client_id", "endpoint", "p256dh", "auth")]
        ).where(_SUBS.c.client_id.in_(client_ids), _SUBS.c.gone_at.is_(None))
    ):
        subs[row[1]].append(_Device(row[0], Subscription(row[2], row[3], row[4])))
    return _Context(
        zones={uid: ZoneInfo(tz) for uid, tz, _, _ in users},
        emails={uid: mail for uid, _, mail, _ in users},
        languages={uid: language for uid, _, _, language in users},
        prefs=preferences.load_many(session, client_ids),
        subs=subs,
    )


def _decide(
    session: Session, item: claim.Claimed, ctx: _Context, now: datetime, grace: timedelta
) -> Outcome | None:
    """A final (or deferred) outcome without sending, or None when the item should be sent."""
    if item.push_result is not None:
        # An earlier claim pushed, then died before emailing: finish it, decide nothing anew.
        if not planner.is_missed(item.due_at, now, grace):
            return None
        finished = Outcome(item, ItemStatus.sent)
        finished.settle(now, may_retry=False)
        return finished
    if planner.is_missed(item.due_at, now, grace):
        return Outcome(
            item, ItemStatus.missed, note=N_("Not sent: the app was not running at the time")
        )
    prefs = ctx.prefs[item.client_id]
    if item.kind in prefs.muted or prefs.paused_on(item.local_day):
        return Outcome(item, ItemStatus.off, note=N_("Reminders of this kind were off or paused"))
    zone = ctx.zones[item.client_id]
    decision = planner.quiet_decision(item.due_at, zone, prefs.quiet)
    if decision is planner.QuietDecision.DEFER and prefs.quiet is not None:
        return Outcome(
            item, ItemStatus.pending, due_at=planner.quiet_end_utc(item.due_at, zone, prefs.quiet)
        )
    if item.only_if_not_done and not sources.still_due(
        session=session, kind=item.kind, source_id=item.source_id, local_day=item.local_day
    ):
        return Outcome(item, ItemStatus.done_already, note=N_("Already done: no reminder needed"))
    if decision is planner.QuietDecision.HOLD:
        return Outcome(
            item, ItemStatus.held, note=N_("Kept here quietly: it fell in your quiet hours")
        )
    return None


# A notification's buttons (web/sw/reminders.js answers them): done, snooze 10 minutes, an hour.
NOTIFICATION_ACTIONS = {
    "done": N_("Done"),
    "snooze": N_("Snooze 10 min"),
    "snooze_1h": N_("Snooze 1 hour"),
}


def _payload(item: claim.Claimed, channels: Channels, language: str) -> bytes:
    """The notification in the client's language: built-in titles and bodies are English catalog
    messages kept on the item; what people wrote (a routine's name) passes through unchanged."""
    with use_language(language):
        title, body = gettext(item.title), gettext(item.body) if item.body else item.body
        # The service worker has no catalog: the notification's buttons come worded with it.
        actions = {action: gettext(label) for action, label in NOTIFICATION_ACTIONS.items()}
    return json.dumps(
        {
            "id": str(item.id),
            "kind": item.kind,
            "title": title,
            "body": body,
            "url": item.url,
            "token": tokens.action_token(channels.secret, item.id),
            "tag": topic_for(str(item.id)),
            "actions": actions,
        },
        separators=(",", ":"),
    ).encode()


def _email_for(
    item: claim.Claimed, to_addr: str, channels: Channels, language: str = "en"
) -> email_channel.EmailReminder:
    """The email in the client's language (as `_payload`)."""
    unsubscribe = email_channel.unsubscribe_token(channels.secret, item.client_id, item.kind)
    with use_language(language):
        label = gettext(KINDS.get(item.kind, item.kind))
        title, body = gettext(item.title), gettext(item.body) if item.body else item.body
        subject = gettext("Reminder: %(title)s", title=title)
    return email_channel.EmailReminder(
        to_addr=to_addr,
        subject=subject,
        title=title,
        body=body,
        open_url=channels.base_url + item.url,
        unsubscribe_url=f"{channels.base_url}/reminders/unsubscribe/{unsubscribe}",
        kind_label=label,
        language=language,
    )


class _Keeper:
    """Renews the lease on the rows still in flight every ``every`` seconds, on its own thread.

    ``holds`` is False for a row another process took over, and for every row once renewals have
    failed for so long that the lease may have run out: then nothing more is sent (another process
    will), so a database outage during a batch cannot turn into duplicates.
    Timing is ``time.sleep`` in short steps, not ``Event.wait(timeout)``: under libfaketime (the
    suite runs at other dates with it) a timed wait never expires, and renewals would stop.
    """

    def __init__(
        self,
        ids: list[uuid.UUID],
        renew: Callable[[list[uuid.UUID]], set[uuid.UUID]],
        *,
        every: float,
        lease: float,
    ) -> None:
        self._in_flight = set(ids)
        self._renew = renew
        self._every = every
        self._lease = lease
        self._safe_until = time.monotonic() + lease - every
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="reminders-lease", daemon=True)
        self.renewals = 0

    def __enter__(self) -> _Keeper:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        # Not joined (it notices within a step): an error may have left emails queued, and with
        # nothing in flight none of them may start, nor is anything renewed again.
        with self._lock:
            self._in_flight.clear()
        self._stop.set()

    def _run(self) -> None:
        due = time.monotonic() + self._every
        while not self._stop.is_set():
            time.sleep(_STEP)
            if time.monotonic() < due:
                continue
            due = time.monotonic() + self._every
            with self._lock:
                ids = list(self._in_flight)
            if not ids:
                continue
            asked = time.monotonic()
            try:
                held = self._renew(ids)
            except Exception:
                log.warning(
                    "reminders: could not renew the lease on %d rows", len(ids), exc_info=True
                )
                continue
            with self._lock:
                self._in_flight -= set(ids) - held
                self._safe_until = asked + self._lease - self._every
                self.renewals += 1

    def holds(self, item_id: uuid.UUID) -> bool:
        with self._lock:
            return item_id in self._in_flight and time.monotonic() < self._safe_until

    def done(self, ids: list[uuid.UUID]) -> None:
        with self._lock:
            self._in_flight -= set(ids)


@dataclass
class _Plan:
    item: claim.Claimed
    devices: list[_Device]
    email: email_channel.EmailReminder | None
    language: str = "en"


def _plan(item: claim.Claimed, ctx: _Context, channels: Channels) -> _Plan:
    """Which channels this item still needs: no push when an earlier claim already pushed."""
    devices = ctx.subs[item.client_id] if channels.push is not None else []
    if item.push_result is not None:
        devices = []
    to_addr = ctx.emails.get(item.client_id)
    wants_email = (
        channels.smtp is not None and to_addr and ctx.prefs[item.client_id].email_for(item.kind)
    )
    language = ctx.languages.get(item.client_id, "en")
    reminder = _email_for(item, to_addr, channels, language) if wants_email and to_addr else None
    return _Plan(item, devices, reminder, language)


def _push(plans: list[_Plan], channels: Channels) -> list[Outcome]:
    """Push every plan's devices at once (fast: encrypted HTTP, bounded concurrency)."""
    outcomes = [Outcome(p.item, ItemStatus.sent, pushed=bool(p.devices)) for p in plans]
    messages: list[tuple[Outcome, _Device, PushMessage]] = []
    for plan, outcome in zip(plans, outcomes, strict=True):
        for sub in plan.devices:
            message = PushMessage(
                sub.subscription,
                _payload(plan.item, channels, plan.language),
                topic=topic_for(str(plan.item.id)),
                ttl=int(planner.DEFAULT_GRACE.total_seconds()),
                urgency="high" if plan.item.kind == "homework" else "normal",
            )
            messages.append((outcome, sub, message))
    if channels.push is not None and messages:
        results = channels.push.send_many([m for _, _, m in messages])
        for (outcome, sub, _), result in zip(messages, results, strict=True):
            outcome.push.append((sub.id, result.outcome, result.status, result.detail))
    return outcomes


def _email_answer(future: Future[str | None]) -> tuple[PushOutcome, str] | None:
    """The email channel's answer; None when the claim was lost before it could be sent."""
    try:
        sent = future.result()
    except email_channel.EmailError as exc:
        return (PushOutcome.REJECTED if exc.permanent else PushOutcome.RETRY, str(exc)[:200])
    except Exception as exc:  # a bug in one message must not strand the batch
        log.exception("reminders: sending one email failed unexpectedly")
        return (PushOutcome.RETRY, f"{type(exc).__name__}"[:200])
    return None if sent is None else (PushOutcome.DELIVERED, "")


def _process(
    claimed: list[claim.Claimed],
    *,
    channels: Channels,
    now: datetime,
    clock: Callable[[], datetime],
    worker: str,
    grace: timedelta,
    engine: Engine | None,
    lease: timedelta,
    report: TickReport,
) -> None:
    """Decide, push, record the pushes, email, record the emails (see the module docstring)."""
    decided: list[Outcome] = []
    plans: list[_Plan] = []
    with open_session(engine=engine) as session:
        ctx = _load_context(session, claimed)
        for item in claimed:
            outcome = _decide(session, item, ctx, now, grace)
            if outcome is None:
                plans.append(_plan(item, ctx, channels))
            else:
                decided.append(outcome)
        session.rollback()

    # Recording and renewing touch the same rows from two threads: one at a time, or on
    # PostgreSQL they can deadlock on each other's row locks (and a batch would be abandoned).
    db_lock = threading.Lock()

    def write(final: list[Outcome], pushed: Sequence[Outcome] = ()) -> set[uuid.UUID]:
        for pause in (*RECORD_PAUSES, None):
            try:
                with db_lock, open_session(write=True, engine=engine) as session:
                    held = record(
                        session=session, outcomes=final, worker=worker, now=clock(), pushed=pushed
                    )
                break
            except _TRANSIENT:
                if pause is None:
                    raise
                log.warning("reminders: recording results failed; trying again in %s s", pause)
                time.sleep(pause)
        for o in final:
            report.add(o.status)
        return held

    def renew(ids: list[uuid.UUID]) -> set[uuid.UUID]:
        with db_lock, open_session(write=True, engine=engine) as session:
            return claim.renew(session=session, ids=ids, now=clock(), worker=worker, lease=lease)

    every = lease.total_seconds() / 3
    ids = [p.item.id for p in plans]
    mailer = channels.mailer()
    futures: dict[Future[str | None], Outcome] = {}
    with _Keeper(ids, renew, every=every, lease=lease.total_seconds()) as keeper:
        if decided:
            write(decided)
        # Pushes in chunks, each recorded before the next: a kill repeats at most one chunk.
        for start in range(0, len(plans), PUSH_CHUNK):
            chunk = [p for p in plans[start : start + PUSH_CHUNK] if keeper.holds(p.item.id)]
            outcomes = _push(chunk, channels)
            pushed_only = [o for o, p in zip(outcomes, chunk, strict=True) if p.email is None]
            waiting = [(o, p) for o, p in zip(outcomes, chunk, strict=True) if p.email is not None]
            for o in pushed_only:
                o.settle(clock())
            held = write(pushed_only, [o for o, _ in waiting if o.pushed])
            keeper.done([o.item.id for o in pushed_only])
            for outcome, plan in waiting:
                if outcome.pushed and outcome.item.id not in held:
                    keeper.done([outcome.item.id])  # taken over by another process meanwhile
                    continue
                summary, delivered = outcome.push_state()
                item = replace(outcome.item, push_result=summary, push_delivered=delivered)
                assert mailer is not None
                assert plan.email is not None
                future = mailer.submit(plan.email, partial(keeper.holds, item.id))
                futures[future] = Outcome(item, ItemStatus.sent)
        pending = set(futures)
        flushed = time.monotonic()
        while pending:
            # Record finished emails every half second: a crash repeats at most that window.
            # Polled with sleep, not wait(timeout): see _Keeper.
            time.sleep(_STEP)
            done = {f for f in pending if f.done()}
            if not done or (len(done) < len(pending) and time.monotonic() - flushed < 0.5):
                continue
            pending -= done
            flushed = time.monotonic()
            batch: list[Outcome] = []
            for future in done:
                answer, outcome = _email_answer(future), futures[future]
                if answer is None:
                    continue
                outcome.email = answer
                outcome.settle(clock())
                batch.append(outcome)
            if batch:
                write(batch)
                keeper.done([o.item.id for o in batch])


def run_batch(
    *,
    channels: Channels,
    now: datetime,
    worker: str,
    limit: int | None = None,
    grace: timedelta = planner.DEFAULT_GRACE,
    engine: Engine | None = None,
    clock: Callable[[], datetime] | None = None,
    lease: timedelta = claim.LEASE,
) -> TickReport:
    """Claim and process one batch of due occurrences.

    ``now`` decides what is due and late; ``clock`` (default: ``now`` standing still) times lease
    renewals and results. ``limit`` None: as many as this process sends in a third of the lease.
    """
    report = TickReport(limit=limit or channels.pace.limit)
    started = time.monotonic()
    with open_session(write=True, engine=engine) as session:
        claimed = claim.claim_due(
            session=session, now=now, worker=worker, limit=report.limit, lease=lease
        )
    report.claimed = len(claimed)
    report.ids = [item.id for item in claimed]
    if not claimed:
        return report
    try:
        _process(
            claimed,
            channels=channels,
            now=now,
            clock=clock or (lambda: now),
            worker=worker,
            grace=grace,
            engine=engine,
            lease=lease,
            report=report,
        )
    except Exception:
        # Never leave the batch "sending" until its lease runs out: what this process still holds
        # goes back to pending for a retry in 30 s (push state kept: nothing is pushed twice).
        log.exception("reminders: a batch failed; its unsent rows are retried shortly")
        with open_session(write=True, engine=engine) as session:
            claim.release(
                session=session,
                ids=report.ids,
                worker=worker,
                due_at=(clock or (lambda: now))() + planner.RETRY_DELAYS[0],
                note="Trying again shortly",
            )
        raise
    if limit is None:
        channels.pace.update(len(claimed), time.monotonic() - started, lease.total_seconds() / 3)
    return report


def run_tick(
    *,
    channels: Channels,
    now: Callable[[], datetime],
    worker: str,
    limit: int | None = None,
    max_batches: int = 200,
    engine: Engine | None = None,
) -> TickReport:
    """Batches until nothing is due (bounded, so one tick never runs for ever)."""
    total = TickReport()
    for _ in range(max_batches):
        report = run_batch(
            channels=channels, now=now(), worker=worker, limit=limit, engine=engine, clock=now
        )
        total.claimed += report.claimed
        total.ids += report.ids
        for status, n in report.counts.items():
            total.counts[status] = total.counts.get(status, 0) + n
        if report.claimed < report.limit:
            break
    return total
