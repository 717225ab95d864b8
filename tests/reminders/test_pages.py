"""Reminder pages: settings (forms keep what was typed), inbox, one-click unsubscribe, Today, time zone."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from typing import Any

from sqlmodel import Session, col, select

from app import clock
from app.accounts import service as accounts
from app.accounts.models import User
from app.reminders import email, runtime, service
from app.reminders.models import ItemStatus, PushSubscription, ReminderItem, ReminderPreference
from app.reminders.today import UNREAD_CAP, today_section
from app.templates import templates

from .test_api import sent_item


def test_settings_page_explains_iphone_home_screen_and_lists_devices(
    http: Any, session: Session, client_user: User
) -> None:
    session.add(
        PushSubscription(
            client_id=client_user.id,
            endpoint="https://push.example/1",
            p256dh="p" * 20,
            auth="a" * 20,
            device_name="Sam's phone",
        )
    )
    session.flush()
    page = http.as_(client_user).get("/reminders/settings")
    assert page.status_code == 200
    assert "Add to Home Screen" in page.text
    assert "Sam&#39;s phone" in page.text
    assert runtime.vapid_keys().public_key in page.text


def test_settings_form_saves_and_errors_keep_what_was_typed(
    http: Any, session: Session, client_user: User
) -> None:
    http.as_(client_user)
    form = {
        "quiet_start": "22:00",
        "quiet_end": "07:30",
        "kinds_on": ["routine", "habit"],
        "email_enabled": "on",
        "email_kinds": "routine",
        "paused_from": "",
        "paused_until": "",
        "csrf_token": http.csrf,
    }
    saved = http.post("/reminders/settings", data=form)
    assert saved.status_code == 303
    row = session.get(ReminderPreference, client_user.id)
    assert row is not None
    assert row.quiet_start == "22:00"
    assert set(row.muted_kinds.split(",")) == {"homework", "sensory_diet", "mood_log"}
    assert row.email_enabled
    assert "routine" not in row.email_muted_kinds.split(",")
    bad = http.post(
        "/reminders/settings",
        data={**form, "quiet_end": "", "paused_from": "2026-05-02", "paused_until": "2026-05-01"},
    )
    assert bad.status_code == 422
    assert "Give both a start and an end" in bad.text
    assert 'value="22:00"' in bad.text
    assert 'value="2026-05-02"' in bad.text


def test_a_backwards_pause_is_shown_beside_its_end_date(http: Any, client_user: User) -> None:
    """The service names the field (AppError.field): the page needs no guess from the wording."""
    http.as_(client_user)
    backwards = {"paused_from": "2026-05-02", "paused_until": "2026-05-01", "csrf_token": http.csrf}
    bad = http.post("/reminders/settings", data=backwards)
    assert bad.status_code == 422
    beside = re.search(r'id="f-paused_until-error">(.*?)</p>', bad.text, re.S)
    assert beside is not None
    assert "The pause must end on or after the day it starts." in beside.group(1)
    assert 'id="f-quiet_end-error"' not in bad.text


def test_inbox_page_shows_delivery_state_and_marks_entries_read(
    http: Any, session: Session, client_user: User
) -> None:
    item = sent_item(session, client_user, delivery_note="Sent to 2 devices")
    missed = sent_item(session, client_user)
    missed.status, missed.delivery_note = (
        ItemStatus.missed,
        "Not sent: the app was not running at the time",
    )
    session.add(missed)
    session.flush()
    page = http.as_(client_user).get("/reminders/inbox")
    assert page.status_code == 200
    assert "Sent to 2 devices" in page.text
    assert "Not done yet" in page.text
    assert "Missed" not in page.text
    session.refresh(item)
    assert item.read_at is not None
    snoozed = http.post(
        f"/reminders/inbox/{item.id}/snooze", data={"choice": "10m", "csrf_token": http.csrf}
    )
    assert snoozed.headers["location"] == "/reminders/inbox?saved=snoozed"
    done = http.post(f"/reminders/inbox/{missed.id}/done", data={"csrf_token": http.csrf})
    assert done.headers["location"] == "/routines/abc"  # the item itself, to tick it there


def test_one_click_unsubscribe_works_without_a_session(
    http: Any, session: Session, client_user: User
) -> None:
    token = email.unsubscribe_token(runtime.secret(), client_user.id, "habit")
    http.client.cookies.clear()
    page = http.client.get(f"/reminders/unsubscribe/{token}")
    assert page.status_code == 200
    assert "Stop emails about habits?" in page.text
    answer = http.client.post(
        f"/reminders/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"}
    )
    assert answer.status_code == 200
    row = session.get(ReminderPreference, client_user.id)
    assert row is not None
    assert row.email_muted_kinds == "habit"
    assert http.client.post(f"/reminders/unsubscribe/{token[:-2]}xx").status_code == 404


def test_today_nudges_to_turn_on_notifications_and_shows_new_reminders(
    session: Session, client_user: User
) -> None:
    now = clock.now()
    section = today_section(session=session, client=client_user, day=now.date(), now=now)
    assert section is not None
    assert section.context["has_device"] is False
    sent_item(session, client_user)
    section = today_section(session=session, client=client_user, day=now.date(), now=now)
    assert section is not None
    assert section.context["unread"] == 1


def test_changing_time_zone_in_settings_replans_reminders(
    session: Session, client_user: User
) -> None:
    with clock.frozen_at(datetime(2026, 3, 2, 6, tzinfo=UTC)):
        service.sync_schedule(
            session=session,
            client_id=client_user.id,
            kind="habit",
            source_id=client_user.id,
            title="Walk",
            body="",
            url="/self-care",
            local_times=[time(8)],
            rrule=None,
            only_if_not_done=True,
            active=True,
        )
        session.commit()
        accounts.update_profile(
            session,
            user=client_user,
            name=client_user.preferred_name,
            time_zone="America/New_York",
            country=client_user.country,
            language=client_user.language,
        )
    first = session.exec(
        select(ReminderItem)
        .where(col(ReminderItem.client_id) == client_user.id)
        .order_by(col(ReminderItem.due_at))
    ).first()
    assert first is not None
    assert first.due_at == datetime(2026, 3, 2, 13, tzinfo=UTC)


def test_today_counts_new_reminders_only_up_to_the_cap(session: Session, client_user: User) -> None:
    """A long unread backlog reads as "10 or more", and the count stops at the cap."""
    now = clock.now()
    for n in range(UNREAD_CAP + 3):
        sent_item(session, client_user, occurrence_key=f"backlog-{n}")
    section = today_section(session=session, client=client_user, day=now.date(), now=now)
    assert section is not None
    assert section.context["unread"] == UNREAD_CAP
    html = templates.env.get_template("reminders/today.html").render(ctx=section.context)
    assert f"{UNREAD_CAP} or more new reminders in your inbox." in html
    read = session.exec(select(ReminderItem).where(col(ReminderItem.client_id) == client_user.id))
    for item in list(read)[: UNREAD_CAP + 1]:
        item.read_at = now
    session.flush()
    section = today_section(session=session, client=client_user, day=now.date(), now=now)
    assert section is not None
    assert section.context["unread"] == 2
    html = templates.env.get_template("reminders/today.html").render(ctx=section.context)
    assert "2 new reminders in your inbox." in html


def test_inbox_calls_every_unsent_reminder_not_done_yet_never_missed_or_failed(
    http: Any, session: Session, client_user: User
) -> None:
    late = sent_item(session, client_user)
    late.status, late.delivery_note = (
        ItemStatus.missed,
        "Not sent: the app was not running at the time",
    )
    refused = sent_item(session, client_user)
    refused.status, refused.delivery_note = ItemStatus.failed, "Could not be delivered"
    session.add_all([late, refused])
    session.flush()
    page = http.as_(client_user).get("/reminders/inbox")
    assert page.status_code == 200
    states = re.findall(r'<span class="state state--(\w+)">([^<]*)</span>', page.text)
    assert sorted(states) == [("failed", "Not done yet"), ("missed", "Not done yet")]
    visible = re.sub(r"<[^>]+>", " ", page.text)
    assert not re.search(r"\b(missed|failed|failure)\b", visible, re.IGNORECASE)
    api = http.get("/api/v1/reminders/inbox").json()
    assert {e["state"] for e in api if e["id"] in {str(late.id), str(refused.id)}} == {
        "Not done yet"
    }
