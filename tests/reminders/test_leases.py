"""Claims as short leases: renewed while sending, handed back on errors, finished without
re-sending what an earlier holder already sent. Real database, push service and SMTP server."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from app import clock
from app.db import open_session
from app.reminders import claim, dispatcher, preferences
from app.reminders.dispatcher import Channels
from app.reminders.email import SmtpSettings
from app.reminders.models import ItemStatus, ReminderDelivery, ReminderItem
from app.reminders.webpush import VapidKeys, WebPushSender

from . import burst
from .conftest import SECRET, START, make_client
from .push_service import PushService
from .smtp_server import slow_smtp_server


def due_items(engine: Engine, clients: list[uuid.UUID], due: datetime) -> list[uuid.UUID]:
    return burst.add_due_items(engine, clients, len(clients), due)


def with_email(engine: Engine, n: int) -> list[uuid.UUID]:
    clients = [
        make_client(engine, email=f"lease-{uuid.uuid4().hex[:8]}@example.org") for _ in range(n)
    ]
    with Session(engine) as session:
        for client in clients:
            preferences.save(
                session=session,
                client_id=client,
                quiet_start=None,
                quiet_end=None,
                muted_kinds=set(),
                email_enabled=True,
                email_muted_kinds=set(),
                paused_from=None,
                paused_until=None,
            )
    return clients


def row(engine: Engine, item_id: uuid.UUID) -> ReminderItem:
    with Session(engine) as session:
        found = session.get(ReminderItem, item_id)
        assert found is not None
        return found


@pytest.mark.usefixtures("frozen")
def test_renewing_extends_the_lease_only_on_rows_still_held(rdb: Engine) -> None:
    first, second = due_items(rdb, [make_client(rdb), make_client(rdb)], START)
    with open_session(write=True, engine=rdb) as session:
        assert len(claim.claim_due(session=session, now=clock.now(), worker="slow")) == 2
    clock.advance(claim.LEASE + timedelta(seconds=1))  # "slow" stalled past its lease ...
    with open_session(write=True, engine=rdb) as session:
        [taken] = claim.claim_due(session=session, now=clock.now(), worker="other", limit=1)
    with open_session(write=True, engine=rdb) as session:
        held = claim.renew(session=session, ids=[first, second], now=clock.now(), worker="slow")
    kept = ({first, second} - {taken.id}).pop()
    assert held == {kept}  # ... so it must stop sending the row "other" took over
    assert row(rdb, kept).lease_until == clock.now() + claim.LEASE
    assert row(rdb, taken.id).claimed_by == "other"


def test_a_batch_slower_than_its_lease_keeps_its_claim_and_emails_each_once(
    rdb: Engine,
) -> None:
    """Ten emails on one connection to a relay taking 0.9 s each (~9 s) under a 6 s lease:
    renewals keep the rows, so another process looking all the while finds nothing to take.

    The lease is renewed every 2 s and trusted for 4 s after each renewal: a busy CI machine may
    delay one renewal by over a second (a 3 s lease left 1 s of slack, and the batch then rightly
    stopped sending three emails it could no longer prove it held)."""
    lease = timedelta(seconds=6)
    started = time.monotonic()

    def now() -> datetime:  # time moves (leases must be able to run out), from a fixed date
        return START + timedelta(seconds=time.monotonic() - started)

    clients = with_email(rdb, 10)
    due_items(rdb, clients, START)
    reports: list[dispatcher.TickReport] = []
    looks: list[tuple[float, int]] = []  # (seconds after the claim, rows the other one took)
    with slow_smtp_server(delay=0.9) as (relay, port):
        smtp = SmtpSettings("127.0.0.1", port, "reminders@groundwork.example", connections=1)
        mine = Channels(secret=SECRET, base_url="https://app.example", smtp=smtp)
        theirs = Channels(secret=SECRET, base_url="https://app.example", smtp=smtp)
        sending = threading.Thread(
            target=lambda: reports.append(
                dispatcher.run_batch(
                    channels=mine, now=now(), clock=now, worker="mine", engine=rdb, lease=lease
                )
            )
        )
        sending.start()
        while claimed_by(rdb, "mine") < 10:  # the other process starts once the claim is made
            assert sending.is_alive()
        claimed_at = time.monotonic()
        while sending.is_alive():
            report = dispatcher.run_batch(
                channels=theirs, now=now(), clock=now, worker="other", engine=rdb, lease=lease
            )
            looks.append((time.monotonic() - claimed_at, report.claimed))
            time.sleep(0.05)  # not join(timeout): a timed wait never expires under libfaketime
        mine.close()
        theirs.close()
    # It really looked after the first lease would have run out without renewals ...
    assert [t for t, _ in looks if t > 1.3 * lease.total_seconds()]
    assert sum(n for _, n in looks) == 0  # ... and found nothing to take
    assert reports[0].counts == {ItemStatus.sent: 10}
    assert sorted(str(m["To"]) for m in relay.messages) == sorted(
        str(u.email) for u in users(rdb, clients)
    )
    assert relay.sessions == 1  # one connection, reused for all ten


def claimed_by(engine: Engine, worker: str) -> int:
    with Session(engine) as session:
        return len(
            session.exec(select(ReminderItem.id).where(ReminderItem.claimed_by == worker)).all()
        )


def users(engine: Engine, ids: list[uuid.UUID]) -> list[Any]:
    from app.accounts.models import User

    with Session(engine) as session:
        return list(session.exec(select(User).where(col(User.id).in_(ids))))


@pytest.mark.usefixtures("frozen")
def test_a_vapid_subject_the_push_service_refuses_never_strands_the_batch(
    rdb: Engine, push_service: PushService, vapid: VapidKeys
) -> None:
    client = make_client(rdb)
    info = push_service.subscribe(vapid.public_key)
    burst.add_devices(rdb, [client], [info])
    [item_id] = due_items(rdb, [client], START)
    sender = WebPushSender(vapid, "support@groundwork.example")  # not a mailto: URL
    channels = Channels(secret=SECRET, base_url="https://app.example", push=sender)
    try:
        report = dispatcher.run_tick(channels=channels, now=clock.now, worker="w", engine=rdb)
    finally:
        channels.close()
    assert report.counts == {ItemStatus.pending: 1}
    item = row(rdb, item_id)
    assert (item.status, item.claimed_by, item.delivery_note) == (
        ItemStatus.pending,
        None,
        "Trying again shortly",
    )
    assert item.due_at == START + timedelta(seconds=30)
    with Session(rdb) as session:
        [delivery] = session.exec(select(ReminderDelivery)).all()
    assert delivery.outcome == "retry"
    assert delivery.detail.startswith("VAPID signing failed")
    assert push_service.messages == []


@pytest.mark.usefixtures("frozen")
def test_an_unexpected_error_hands_the_batch_back_for_a_retry(rdb: Engine) -> None:
    from app.accounts.models import User

    client = make_client(rdb)
    ids = due_items(rdb, [client, make_client(rdb)], START)
    with Session(rdb) as session:  # data no code path expects: a time zone that does not exist
        session.exec(update(User).where(col(User.id) == client).values(time_zone="Mars/Olympus"))
        session.commit()
    channels = Channels(secret=SECRET, base_url="https://app.example")
    with pytest.raises(Exception, match="Mars/Olympus"):
        dispatcher.run_batch(channels=channels, now=clock.now(), worker="w", engine=rdb)
    for item_id in ids:
        item = row(rdb, item_id)
        assert (item.status, item.claimed_by, item.attempts) == (ItemStatus.pending, None, 1)
        assert item.due_at == START + timedelta(seconds=30)


@pytest.mark.usefixtures("frozen")
def test_taking_over_a_crashed_claim_emails_without_pushing_again(
    rdb: Engine, push_service: PushService, vapid: VapidKeys, channels: Channels, smtp: Any
) -> None:
    """A process pushed, recorded that, and died before emailing: the next holder only emails."""
    [client] = with_email(rdb, 1)
    burst.add_devices(rdb, [client], [push_service.subscribe(vapid.public_key)])
    [item_id] = due_items(rdb, [client], START)
    with open_session(write=True, engine=rdb) as session:
        claim.claim_due(session=session, now=clock.now(), worker="crashed")
        session.exec(
            update(ReminderItem)
            .where(col(ReminderItem.id) == item_id)
            .values(push_result="delivered", push_delivered=1)
        )
        session.commit()
    tick: Callable[[], dispatcher.TickReport] = lambda: dispatcher.run_tick(  # noqa: E731
        channels=channels, now=clock.now, worker="next", engine=rdb
    )
    assert tick().claimed == 0  # its lease still runs
    clock.advance(claim.LEASE + timedelta(seconds=1))
    assert tick().counts == {ItemStatus.sent: 1}
    assert push_service.messages == []
    assert len(smtp[0].messages) == 1
    item = row(rdb, item_id)
    assert (item.status, item.delivery_note) == (ItemStatus.sent, "Sent to 1 device and email")
    assert (item.push_result, item.push_delivered) == (None, None)  # cleared when it ended
