"""Closing an account: everything stops at once, restorable during the grace period, then erased
except the retained records — checked by scanning every table in the metadata."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import String, Text, Uuid
from sqlalchemy import select as core_select
from sqlmodel import Session, SQLModel, col, select

from app import clock, demo
from app.accounts import sessions
from app.accounts.models import AuthSession, CareLink, User
from app.accounts.policy import may_access_client
from app.errors import Conflict
from app.my_data import closure, inventory
from app.my_data.models import ClosureStatus
from app.reminders import service as reminders
from app.reminders.models import ItemStatus, PushSubscription, ReminderItem, ReminderSchedule
from app.routines import feeds
from app.self_care.models import MoodLog
from app.web_security import Principal

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
SECRET_NOTE = "a note only Sam wrote, 7f3a"


@pytest.fixture
def sam(session: Session) -> Iterator[User]:
    with clock.frozen_at(NOW):
        demo.seed(session)
        person = session.exec(select(User).where(User.email == "sam@demo.groundwork.local")).one()
        entry = session.exec(select(MoodLog).where(MoodLog.client_id == person.id)).first()
        assert entry is not None
        entry.note = SECRET_NOTE
        session.add(entry)
        session.add(
            PushSubscription(
                client_id=person.id,
                endpoint=f"https://push.example/{uuid.uuid4()}",
                p256dh="k",
                auth="a",
                device_name="Sam's phone",
            )
        )
        feeds.create_feed(session=session, client_id=person.id)
        reminders.sync_schedule(
            session=session,
            client_id=person.id,
            kind="mood_log",
            source_id=person.id,
            title="Mood check-in",
            body="How are you today?",
            url="/self-care/mood",
            local_times=[time(20, 0)],
            rrule=None,
            only_if_not_done=True,
            active=True,
        )
        sessions.create(session, user=person, user_agent="test", ip_address="127.0.0.1")
        session.commit()
        yield person


def _ruth(session: Session) -> User:
    return session.exec(select(User).where(User.email == "ruth@demo.groundwork.local")).one()


def test_closing_stops_everything_at_once(session: Session, sam: User) -> None:
    ruth = _ruth(session)
    pending = select(ReminderItem).where(
        ReminderItem.client_id == sam.id, col(ReminderItem.status) == ItemStatus.pending
    )
    assert session.exec(pending).all()
    with clock.frozen_at(NOW):
        closed = closure.close(session, client=sam, requested_by=sam)
    assert [t.id for t in closed.therapists] == [ruth.id]
    assert closed.closure.erase_after == NOW + closure.GRACE
    assert sam.is_active is False
    assert not session.exec(
        select(CareLink).where(CareLink.client_id == sam.id, col(CareLink.ended_at).is_(None))
    ).all()
    assert all(
        s.revoked_at is not None
        for s in session.exec(select(AuthSession).where(AuthSession.user_id == sam.id))
    )
    assert feeds.active_feed(session, sam.id) is None
    subs = session.exec(select(PushSubscription).where(PushSubscription.client_id == sam.id)).all()
    assert subs
    assert all(s.gone_at is not None for s in subs)
    assert not session.exec(
        select(ReminderSchedule).where(
            ReminderSchedule.client_id == sam.id, col(ReminderSchedule.active).is_(True)
        )
    ).all()
    assert not session.exec(pending).all()
    with pytest.raises(Conflict):
        closure.close(session, client=sam, requested_by=sam)


def test_restore_brings_back_login_therapist_and_reminders(session: Session, sam: User) -> None:
    ruth = _ruth(session)
    with clock.frozen_at(NOW):
        active_before = set(
            session.exec(
                select(ReminderSchedule.id).where(
                    ReminderSchedule.client_id == sam.id, col(ReminderSchedule.active).is_(True)
                )
            )
        )
        closed = closure.close(session, client=sam, requested_by=sam)
    with clock.frozen_at(NOW + timedelta(days=13)):
        closure.restore(session, closure=closed.closure, actor=sam)
    assert sam.is_active is True
    assert closed.closure.status == ClosureStatus.restored
    active_after = set(
        session.exec(
            select(ReminderSchedule.id).where(
                ReminderSchedule.client_id == sam.id, col(ReminderSchedule.active).is_(True)
            )
        )
    )
    assert active_after == active_before
    assert active_before
    assert session.exec(
        select(CareLink).where(
            CareLink.client_id == sam.id,
            CareLink.therapist_id == ruth.id,
            col(CareLink.ended_at).is_(None),
        )
    ).first()
    # Erasing a restored account is refused: nothing is deleted by accident.
    with pytest.raises(Conflict):
        closure.erase(session, closure=closed.closure)


def _rows_mentioning(session: Session, person: User) -> dict[str, int]:
    """Every table, every row: the person's id in any id column, or their email, name or note in
    any text column."""
    needles = [person.email or "", SECRET_NOTE]
    found: dict[str, int] = {}
    for table in SQLModel.metadata.sorted_tables:
        id_cols = [c for c in table.columns if isinstance(c.type, Uuid)]
        text_cols = [c for c in table.columns if isinstance(c.type, String | Text)]
        for row in session.connection().execute(core_select(table)).mappings():
            hit = any(row[c.name] == person.id for c in id_cols) or any(
                isinstance(row[c.name], str) and any(n in row[c.name] for n in needles)
                for c in text_cols
            )
            if hit:
                found[table.name] = found.get(table.name, 0) + 1
    return found


def test_erasure_leaves_personal_data_only_in_the_retained_tables(
    session: Session, sam: User
) -> None:
    before = _rows_mentioning(session, sam)
    assert {"mood_log", "habit_check_in", "coping_episode", "routine_run"} <= set(before)
    with clock.frozen_at(NOW):
        closed = closure.close(session, client=sam, requested_by=sam)
    with clock.frozen_at(NOW + closure.GRACE + timedelta(minutes=1)):
        closure.erase(session, closure=closed.closure)
    after = _rows_mentioning(session, sam)
    assert set(after) <= set(inventory.RETAINED), set(after) - set(inventory.RETAINED)
    assert {"progress_measure_response", "audit_event", "care_link"} <= set(after)
    stub = session.get(User, sam.id)
    assert stub is not None
    assert stub.email is None
    assert stub.password_hash is None
    assert stub.preferred_name == closure.ANONYMOUS_NAME
    assert closed.closure.status == ClosureStatus.erased
    assert closed.closure.retain_until == (NOW + closure.GRACE).date().replace(year=2034)


def test_the_clinic_sets_how_long_retained_records_are_kept(session: Session, sam: User) -> None:
    admin = session.exec(select(User).where(User.email == "admin@demo.groundwork.local")).one()
    assert sam.organisation_id is not None
    with clock.frozen_at(NOW):
        closure.set_retention(session, admin=admin, organisation_id=sam.organisation_id, years=20)
        closed = closure.close(session, client=sam, requested_by=admin, source="post")
    with clock.frozen_at(NOW + closure.GRACE):
        closure.erase(session, closure=closed.closure)
    assert closed.closure.retain_until == (NOW + closure.GRACE).date().replace(year=2046)


def test_a_closed_clients_therapist_loses_access_at_once(session: Session, sam: User) -> None:
    ruth = _ruth(session)
    with clock.frozen_at(NOW):
        issued = sessions.create(session, user=ruth, user_agent="test", ip_address="127.0.0.1")
        principal = Principal(user=ruth, session=issued.record)
        assert may_access_client(session, principal, sam.id) is True
        closure.close(session, client=sam, requested_by=sam)
    assert may_access_client(session, principal, sam.id) is False


def test_retained_records_go_when_the_retention_period_ends(session: Session, sam: User) -> None:
    with clock.frozen_at(NOW):
        closed = closure.close(session, client=sam, requested_by=sam)
    with clock.frozen_at(NOW + closure.GRACE):
        closure.erase(session, closure=closed.closure)
    assert closed.closure.retain_until is not None
    with clock.frozen_at(datetime.combine(closed.closure.retain_until, time(3), tzinfo=UTC)):
        closure.delete_retained(session, closure=closed.closure)
        with pytest.raises(Conflict):
            closure.delete_retained(session, closure=closed.closure)
    after = _rows_mentioning(session, sam)
    assert set(after) <= set(closure.KEPT_FOR_EVER), set(after) - set(closure.KEPT_FOR_EVER)
    assert "audit_event" in after
