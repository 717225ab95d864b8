"""The dispatcher end to end: schedules -> outbox -> claim -> push/email -> inbox, with a fixed clock."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

from app import clock
from app.reminders import devices, dispatcher, inbox, outbox, preferences, service, tokens
from app.reminders.dispatcher import Channels, TickReport
from app.reminders.models import ItemStatus, PushSubscription, ReminderDelivery, ReminderItem
from app.reminders.signals import caseload_signals
from app.reminders.webpush import VapidKeys

from .conftest import SECRET, make_client
from .push_service import PushService
from .smtp_server import Inbox


def _unread(session: Session, client: uuid.UUID) -> int:
    """New entries in the client's inbox, as Today counts them."""
    listed = inbox.entries(session, client, limit=1000)
    return sum(e.read_at is None and e.acknowledged_at is None for e in listed)


def tick(engine: Engine, channels: Channels) -> TickReport:
    return dispatcher.run_tick(
        channels=channels, now=clock.now, worker="test-worker", engine=engine
    )


def schedule(
    engine: Engine,
    client_id: uuid.UUID,
    *times: time,
    only_if_not_done: bool = True,
    source_id: uuid.UUID | None = None,
    rrule: str | None = None,
) -> uuid.UUID:
    source_id = source_id or uuid.uuid4()
    with Session(engine) as session:
        service.sync_schedule(
            session=session,
            client_id=client_id,
            kind="routine",
            source_id=source_id,
            title="Morning routine",
            body="Time for your first step",
            url=f"/routines/{source_id}",
            local_times=list(times),
            rrule=rrule,
            only_if_not_done=only_if_not_done,
            active=True,
        )
        session.commit()
    return source_id


def add_device(
    engine: Engine, client_id: uuid.UUID, push: PushService, vapid: VapidKeys, name: str = "Phone"
) -> str:
    info = push.subscribe(vapid.public_key)
    with Session(engine) as session:
        devices.register(
            session=session,
            client_id=client_id,
            endpoint=info["endpoint"],
            p256dh=info["keys"]["p256dh"],
            auth=info["keys"]["auth"],
            device_name=name,
        )
    return str(info["endpoint"])


def items(engine: Engine, client_id: uuid.UUID) -> list[ReminderItem]:
    with Session(engine) as session:
        return list(
            session.exec(
                select(ReminderItem)
                .where(ReminderItem.client_id == client_id)
                .order_by(col(ReminderItem.due_at))
            )
        )


def at(hour: int, minute: int = 0, day: int = 2) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


@pytest.mark.usefixtures("frozen")
def test_due_reminder_is_pushed_encrypted_and_appears_in_the_inbox(
    rdb: Engine, push_service: PushService, vapid: VapidKeys, channels: Channels
) -> None:
    client = make_client(rdb)
    add_device(rdb, client, push_service, vapid)
    schedule(rdb, client, time(8), only_if_not_done=False)
    clock.advance(timedelta(hours=1, minutes=59))
    assert tick(rdb, channels).claimed == 0
    assert push_service.messages == []
    clock.advance(timedelta(minutes=1))
    report = tick(rdb, channels)
    assert report.counts == {ItemStatus.sent: 1}
    [message] = push_service.messages
    assert message.json["title"] == "Morning routine"
    assert message.json["body"] == "Time for your first step"
    assert message.headers["topic"] == message.json["tag"]
    assert int(message.headers["ttl"]) > 0
    assert tokens.read_action_token(SECRET, str(message.json["token"])) == uuid.UUID(
        str(message.json["id"])
    )
    with Session(rdb) as session:
        [entry] = inbox.entries(session, client)
        assert entry.status == ItemStatus.sent
        assert entry.delivery_note == "Sent to 1 device"
        assert _unread(session, client) == 1
        [delivery] = session.exec(select(ReminderDelivery)).all()
        assert (delivery.channel, delivery.outcome, delivery.status_code) == (
            "push",
            "delivered",
            201,
        )
    assert tick(rdb, channels).claimed == 0  # sent once


@pytest.mark.usefixtures("frozen")
def test_only_if_not_done_checks_the_source_just_before_sending(
    rdb: Engine,
    push_service: PushService,
    vapid: VapidKeys,
    channels: Channels,
    fake_sources: dict[uuid.UUID, bool],
) -> None:
    client = make_client(rdb)
    add_device(rdb, client, push_service, vapid)
    done_source = schedule(rdb, client, time(8))
    schedule(rdb, client, time(8))
    fake_sources[done_source] = True
    clock.advance(timedelta(hours=2))
    report = tick(rdb, channels)
    assert report.counts == {ItemStatus.sent: 1, ItemStatus.done_already: 1}
    assert len(push_service.messages) == 1
    with Session(rdb) as session:
        assert len(inbox.entries(session, client)) == 1  # nothing to show for what was already done


@pytest.mark.usefixtures("frozen")
def test_grace_after_downtime_marks_old_occurrences_missed_not_sent(
    rdb: Engine, push_service: PushService, vapid: VapidKeys, channels: Channels
) -> None:
    client = make_client(rdb)
    add_device(rdb, client, push_service, vapid)
    schedule(rdb, client, time(7), time(7, 45), time(8, 10), only_if_not_done=False)
    clock.advance(timedelta(hours=2, minutes=20))  # the server was down from 06:00 to 08:20
    report = tick(rdb, channels)
    assert report.counts == {ItemStatus.missed: 2, ItemStatus.sent: 1}
    assert [m.json["title"] for m in push_service.messages] == ["Morning routine"]
    with Session(rdb) as session:
        states = sorted(e.status for e in inbox.entries(session, client))
    assert states == ["missed", "missed", "sent"]


@pytest.mark.usefixtures("frozen")
def test_quiet_hours_defer_morning_reminders_and_hold_late_ones(
    rdb: Engine, push_service: PushService, vapid: VapidKeys, channels: Channels
) -> None:
    client = make_client(rdb)
    add_device(rdb, client, push_service, vapid)
    with Session(rdb) as session:
        preferences.save(
            session=session,
            client_id=client,
            quiet_start=time(22),
            quiet_end=time(7, 30),
            muted_kinds=set(),
            email_enabled=False,
            email_muted_kinds=set(),
            paused_from=None,
            paused_until=None,
        )
    schedule(rdb, client, time(7), time(22, 30), only_if_not_done=False)
    clock.advance(timedelta(hours=1))  # 07:00 London
    assert tick(rdb, channels).counts == {ItemStatus.pending: 1}
    assert push_service.messages == []
    clock.advance(timedelta(minutes=29))
    assert tick(rdb, channels).claimed == 0
    clock.advance(timedelta(minutes=1))  # 07:30: quiet hours end
    assert tick(rdb, channels).counts == {ItemStatus.sent: 1}
    clock.advance(timedelta(hours=15))  # 22:30
    assert tick(rdb, channels).counts == {ItemStatus.held: 1}
    assert len(push_service.messages) == 1
    with Session(rdb) as session:
        held = [e for e in inbox.entries(session, client) if e.status == ItemStatus.held]
    assert len(held) == 1


@pytest.mark.usefixtures("frozen")
def test_paused_and_switched_off_kinds_send_nothing(
    rdb: Engine, push_service: PushService, vapid: VapidKeys, channels: Channels
) -> None:
    client = make_client(rdb)
    add_device(rdb, client, push_service, vapid)
    schedule(rdb, client, time(8), only_if_not_done=False)
    with Session(rdb) as session:
        preferences.save(
            session=session,
            client_id=client,
            quiet_start=None,
            quiet_end=None,
            muted_kinds=set(),
            email_enabled=False,
            email_muted_kinds=set(),
            paused_from=START_DAY,
            paused_until=START_DAY,
        )
    clock.advance(timedelta(hours=2))
    assert tick(rdb, channels).counts == {ItemStatus.off: 1}
    with Session(rdb) as session:
        preferences.save(
            session=session,
            client_id=client,
            quiet_start=None,
            quiet_end=None,
            muted_kinds={"routine"},
            email_enabled=False,
            email_muted_kinds=set(),
            paused_from=None,
            paused_until=None,
        )
    clock.advance(timedelta(days=1))
    assert tick(rdb, channels).counts == {ItemStatus.off: 1}
    assert push_service.messages == []


START_DAY = datetime(2026, 3, 2).date()


@pytest.mark.usefixtures("frozen")
def test_gone_subscription_is_pruned_and_flagged_for_the_therapist(
    rdb: Engine, push_service: PushService, vapid: VapidKeys, channels: Channels
) -> None:
    client = make_client(rdb)
    phone = add_device(rdb, client, push_service, vapid, "Phone")
    tablet = add_device(rdb, client, push_service, vapid, "Tablet")
    push_service.answer(phone, 410)
    push_service.answer(tablet, 404)
    schedule(rdb, client, time(8), only_if_not_done=False)
    clock.advance(timedelta(hours=2))
    assert tick(rdb, channels).counts == {ItemStatus.failed: 1}
    with Session(rdb) as session:
        subs = session.exec(select(PushSubscription)).all()
        assert all(s.gone_at is not None for s in subs)
        listed = devices.list_for(session, client, clock.now())
        assert (listed.active, len(listed.gone)) == ([], 2)
        [entry] = inbox.entries(session, client)
        assert entry.delivery_note == "This device no longer accepts notifications"
        flags = caseload_signals(session=session, client_ids=[client], now=clock.now())[
            client
        ].flags
        assert [f.code for f in flags] == ["reminders_device_gone"]
    clock.advance(timedelta(days=1))
    assert tick(rdb, channels).counts == {ItemStatus.sent: 1}  # inbox only now: nothing to push to
    assert push_service.messages == []


@pytest.mark.usefixtures("frozen")
def test_push_service_errors_are_retried_with_backoff_then_marked_failed(
    rdb: Engine, push_service: PushService, vapid: VapidKeys, channels: Channels
) -> None:
    client = make_client(rdb)
    phone = add_device(rdb, client, push_service, vapid)
    push_service.answer(phone, 500)
    schedule(rdb, client, time(8), only_if_not_done=False)
    clock.advance(timedelta(hours=2))
    due_times = []
    for _ in range(3):
        assert tick(rdb, channels).counts == {ItemStatus.pending: 1}
        [item] = items(rdb, client)[:1]
        due_times.append(item.due_at - clock.now())
        clock.advance(item.due_at - clock.now() - timedelta(seconds=1))
        assert tick(rdb, channels).claimed == 0  # not before its retry time
        clock.advance(timedelta(seconds=1))
    assert due_times == [timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=8)]
    assert tick(rdb, channels).counts == {ItemStatus.failed: 1}
    with Session(rdb) as session:
        deliveries = session.exec(select(ReminderDelivery)).all()
        assert [d.status_code for d in deliveries] == [500] * 4
        # No flag: the client is left out of the reminders' answer.
        assert caseload_signals(session=session, client_ids=[client], now=clock.now()) == {}


@pytest.mark.usefixtures("frozen")
def test_a_retry_succeeds_when_the_push_service_recovers(
    rdb: Engine, push_service: PushService, vapid: VapidKeys, channels: Channels
) -> None:
    client = make_client(rdb)
    phone = add_device(rdb, client, push_service, vapid)
    push_service.answer(phone, 503)
    schedule(rdb, client, time(8), only_if_not_done=False)
    clock.advance(timedelta(hours=2))
    tick(rdb, channels)
    push_service.answer(phone, 201)
    clock.advance(timedelta(seconds=30))
    assert tick(rdb, channels).counts == {ItemStatus.sent: 1}
    assert len(push_service.messages) == 1


@pytest.mark.usefixtures("frozen")
def test_snooze_brings_the_reminder_back_through_the_dispatcher(
    rdb: Engine,
    push_service: PushService,
    vapid: VapidKeys,
    channels: Channels,
    fake_sources: dict[uuid.UUID, bool],
) -> None:
    client = make_client(rdb)
    add_device(rdb, client, push_service, vapid)
    source = schedule(rdb, client, time(8))
    clock.advance(timedelta(hours=2))
    tick(rdb, channels)
    with Session(rdb) as session:
        [entry] = inbox.entries(session, client)
        inbox.snooze(session=session, item=entry, choice="10m")
    clock.advance(timedelta(minutes=9))
    assert tick(rdb, channels).claimed == 0
    clock.advance(timedelta(minutes=1))
    assert tick(rdb, channels).counts == {ItemStatus.sent: 1}
    assert len(push_service.messages) == 2
    assert push_service.messages[0].headers["topic"] == push_service.messages[1].headers["topic"]
    with Session(rdb) as session:
        [entry] = inbox.entries(session, client)
        inbox.snooze(session=session, item=entry, choice="1h")
    fake_sources[source] = True  # done in the meantime: the snoozed reminder is not sent again
    clock.advance(timedelta(hours=1))
    assert tick(rdb, channels).counts == {ItemStatus.done_already: 1}
    assert len(push_service.messages) == 2


@pytest.mark.usefixtures("frozen")
def test_done_completes_the_source_item(
    rdb: Engine, channels: Channels, fake_sources: dict[uuid.UUID, bool]
) -> None:
    client = make_client(rdb)
    source = schedule(rdb, client, time(8))
    clock.advance(timedelta(hours=2))
    tick(rdb, channels)
    with Session(rdb) as session:
        [entry] = inbox.entries(session, client)
        assert inbox.done(session=session, item=entry) is True
        assert inbox.state_label(entry) == "Done"
        assert _unread(session, client) == 0
    assert fake_sources[source] is True


@pytest.mark.usefixtures("frozen")
def test_email_reminder_has_one_click_unsubscribe_per_kind(
    rdb: Engine, channels: Channels, smtp: tuple[Inbox, object]
) -> None:
    client = make_client(rdb, email="sam@example.org")
    with Session(rdb) as session:
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
    schedule(rdb, client, time(8), only_if_not_done=False)
    clock.advance(timedelta(hours=2))
    assert tick(rdb, channels).counts == {ItemStatus.sent: 1}
    [mail] = smtp[0].messages
    assert mail["Subject"] == "Reminder: Morning routine"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = mail["List-Unsubscribe"].strip("<>")
    assert link.startswith("https://app.example/reminders/unsubscribe/")
    with Session(rdb) as session:
        [entry] = inbox.entries(session, client)
        assert entry.delivery_note == "Sent to email"
        preferences.unsubscribe_email(session=session, client_id=client, kind="routine")
    clock.advance(timedelta(days=1))
    assert tick(rdb, channels).counts == {ItemStatus.sent: 1}
    assert len(smtp[0].messages) == 1  # routine emails are off now; the inbox still has it


def test_eight_oclock_is_sent_at_eight_local_across_the_spring_change(
    rdb: Engine, push_service: PushService, vapid: VapidKeys, channels: Channels
) -> None:
    client = make_client(rdb)
    add_device(rdb, client, push_service, vapid)
    sent_at = []
    with clock.frozen_at(datetime(2026, 3, 28, 6, tzinfo=UTC)):
        schedule(rdb, client, time(8), time(1, 30), only_if_not_done=False)
        for _ in range(3 * 24 * 12):  # every 5 minutes for three days
            clock.advance(timedelta(minutes=5))
            with Session(rdb) as session:
                outbox.refill(session=session, now=clock.now())
            if tick(rdb, channels).claimed:
                sent_at.append(clock.now())
    assert sent_at == [
        datetime(2026, 3, 28, 8, tzinfo=UTC),  # 08:00 GMT
        datetime(2026, 3, 29, 1, tzinfo=UTC),  # 01:30 does not exist: 02:00 BST
        datetime(2026, 3, 29, 7, tzinfo=UTC),  # 08:00 BST
        datetime(2026, 3, 30, 0, 30, tzinfo=UTC),  # 01:30 BST
        datetime(2026, 3, 30, 7, tzinfo=UTC),
        datetime(2026, 3, 31, 0, 30, tzinfo=UTC),
    ]


@pytest.mark.usefixtures("frozen")
def test_changing_time_zone_replans_upcoming_reminders(rdb: Engine) -> None:
    client = make_client(rdb, tz="Europe/London")
    schedule(rdb, client, time(8))
    assert items(rdb, client)[0].due_at == at(8)
    with Session(rdb) as session:
        from app.accounts.models import User

        user = session.get(User, client)
        assert user is not None
        user.time_zone = "America/New_York"
        service.client_time_zone_changed(session=session, client_id=client)
        session.commit()
    upcoming = items(rdb, client)
    assert upcoming[0].due_at == at(13)  # 08:00 in New York
    assert len({i.occurrence_key for i in upcoming}) == len(upcoming)


@pytest.mark.usefixtures("frozen")
def test_sync_replaces_upcoming_times_and_remove_stops_them(rdb: Engine) -> None:
    client = make_client(rdb)
    source = schedule(rdb, client, time(8))
    schedule(rdb, client, time(9), time(18), source_id=source)
    assert {i.due_at.hour for i in items(rdb, client)} == {9, 18}
    with Session(rdb) as session:
        service.remove_schedule(session=session, kind="routine", source_id=source)
        session.commit()
    assert items(rdb, client) == []


@pytest.mark.usefixtures("frozen")
def test_notify_now_goes_out_at_once(
    rdb: Engine, channels: Channels, push_service: PushService, vapid: VapidKeys
) -> None:
    client = make_client(rdb)
    add_device(rdb, client, push_service, vapid)
    with Session(rdb) as session:
        service.notify_now(
            session=session,
            client_id=client,
            kind="homework",
            source_id=uuid.uuid4(),
            title="New homework from your therapist",
            body="Try the 5-minute walk",
            url="/homework/1",
        )
        session.commit()
    assert tick(rdb, channels).counts == {ItemStatus.sent: 1}
    assert push_service.messages[0].json["title"] == "New homework from your therapist"
    assert push_service.messages[0].headers["urgency"] == "high"


@pytest.mark.usefixtures("frozen")
def test_a_crashed_claim_is_taken_over_after_its_lease(rdb: Engine, channels: Channels) -> None:
    from app.db import open_session
    from app.reminders import claim

    client = make_client(rdb)
    schedule(rdb, client, time(8), only_if_not_done=False)
    clock.advance(timedelta(hours=2))
    with open_session(write=True, engine=rdb) as session:
        assert len(claim.claim_due(session=session, now=clock.now(), worker="crashed")) == 1
    assert tick(rdb, channels).claimed == 0
    clock.advance(claim.LEASE + timedelta(seconds=1))
    assert tick(rdb, channels).counts == {ItemStatus.sent: 1}


@pytest.mark.usefixtures("frozen")
def test_refill_tops_up_many_schedules_once_even_when_run_twice(rdb: Engine) -> None:
    from sqlalchemy import func, update

    from app.reminders.models import ReminderSchedule

    client = make_client(rdb)
    for _ in range(150):  # enough rows for the bulk (COPY) path on PostgreSQL
        schedule(rdb, client, time(8), time(20))
    with Session(rdb) as session:
        before = session.exec(select(func.count()).select_from(ReminderItem)).one()
    clock.advance(timedelta(hours=25))
    for _ in range(2):  # a second process refilling the same window adds nothing
        with Session(rdb) as session:
            session.exec(update(ReminderSchedule).values(planned_until_at=clock.now()))
            session.commit()
            assert outbox.refill(session=session, now=clock.now()) == 150
    with Session(rdb) as session:
        keys = session.exec(select(ReminderItem.schedule_id, ReminderItem.occurrence_key)).all()
    assert len(keys) == len(set(keys))
    assert len(keys) > before
    assert {k for _, k in keys} >= {"2026-03-04T08:00", "2026-03-04T20:00"}


@pytest.mark.usefixtures("frozen")
def test_a_record_that_fails_once_after_the_push_is_retried_not_pushed_again(
    rdb: Engine,
    push_service: PushService,
    vapid: VapidKeys,
    channels: Channels,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = make_client(rdb)
    add_device(rdb, client, push_service, vapid)
    schedule(rdb, client, time(8), only_if_not_done=False)
    clock.advance(timedelta(hours=2))
    real_record = dispatcher.record
    failures = iter([OperationalError("UPDATE reminder_item", {}, Exception("database is locked"))])

    def flaky_record(**kwargs: Any) -> set[uuid.UUID]:
        failure = next(failures, None)
        if failure is not None:
            raise failure
        return real_record(**kwargs)

    monkeypatch.setattr(dispatcher, "record", flaky_record)
    monkeypatch.setattr(dispatcher, "RECORD_PAUSES", (0.0,))
    assert tick(rdb, channels).counts == {ItemStatus.sent: 1}
    assert len(push_service.messages) == 1  # pushed once; the result recorded on the second try
    assert [i.status for i in items(rdb, client) if i.due_at <= clock.now()] == [ItemStatus.sent]
    assert tick(rdb, channels).claimed == 0
    assert len(push_service.messages) == 1
