"""The digest over real SMTP (aiosmtpd): what is sent, when, to whom, and what is left out."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import Engine
from sqlmodel import Session, select

from app import clock
from app.accounts.models import CareLink
from app.config import get_settings
from app.digest import sender, tokens
from app.digest.models import DigestRun
from app.homework.models import HomeworkNotice
from tests.reminders.smtp_server import Inbox

from .conftest import EIGHT_LONDON
from .world import World, assign, client_does, make_world

REFLECTION = "Walking past the bus stop felt scary but I did it anyway"
REASON = "My knee hurts after physio on Tuesdays"
STUCK = "I don't know what to do when the shop is busy"


def parts(message: EmailMessage) -> tuple[str, str]:
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert plain is not None, "a text part"
    assert html is not None, "an HTML part"
    return str(plain.get_content()), str(html.get_content())


def busy_day(engine: Engine, *, excerpts: bool = False) -> tuple[World, list[uuid.UUID]]:
    """Sam finished one item (ratings, reflection, "I'm stuck") and asked to change another."""
    world = make_world(engine, excerpts=excerpts)
    with clock.frozen_at(EIGHT_LONDON - timedelta(hours=20)):
        done = assign(engine, world, "Walk to the corner shop")
        change = assign(engine, world, "Phone the GP surgery")
        client_does(engine, world, done, "accept")
        client_does(
            engine,
            world,
            done,
            "complete",
            difficulty=2,
            helpfulness=4,
            reflection=REFLECTION,
            stuck=STUCK,
        )
        client_does(engine, world, change, "ask_change", reason=REASON)
    return world, [done, change]


def test_sent_once_at_the_local_hour_with_links_and_no_clinical_text(
    ddb: Engine, smtp: Inbox
) -> None:
    world, (done, change) = busy_day(ddb)
    assert sender.run_tick(now=EIGHT_LONDON - timedelta(minutes=1), engine=ddb).sent == []
    assert smtp.messages == []

    report = sender.run_tick(now=EIGHT_LONDON, engine=ddb)
    assert report.sent == [world.therapist_id]
    [message] = smtp.messages
    assert message["To"] == world.therapist_email
    assert message["Subject"] == "Groundwork: 2 homework updates"
    text, html = parts(message)
    base = get_settings().base_url.rstrip("/")
    for body in (text, html):
        assert "Sam finished their homework (helpful 4/5, difficulty 2/5)" in body
        assert "wrote a reflection" in body
        assert "said “I'm stuck” on their homework" in body or "said “I&#39;m stuck”" in body
        assert "Sam asked to change their homework and gave a reason" in body
        assert f"{base}/caseload/{world.client_id}/homework/{done}" in body
        assert f"{base}/caseload/{world.client_id}/homework/{change}" in body
        # Minimal clinical detail: no surname, no titles, nothing the client wrote.
        for secret in ("Taylor", REFLECTION, REASON, STUCK, "corner shop", "GP surgery"):
            assert secret not in body
    token = tokens.unsubscribe_token(get_settings().secret_key.encode(), world.therapist_id)
    assert message["List-Unsubscribe"] == f"<{base}/digest/unsubscribe/{token}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"{base}/digest/unsubscribe/{token}" in text

    # Later ticks in the same hour (and the rest of the day) send nothing more.
    for minutes in (1, 30, 59, 600):
        assert sender.run_tick(now=EIGHT_LONDON + timedelta(minutes=minutes), engine=ddb).sent == []
    assert len(smtp.messages) == 1


def test_excerpts_only_when_the_therapist_opted_in(ddb: Engine, smtp: Inbox) -> None:
    busy_day(ddb, excerpts=True)
    sender.run_tick(now=EIGHT_LONDON, engine=ddb)
    text, html = parts(smtp.messages[0])
    assert "“Walk to the corner shop”" in text
    assert REASON in text
    assert "Walking past the bus stop felt scary but I did it anyway" in text
    assert STUCK.replace("'", "&#39;") in html or STUCK in html


def test_nothing_new_sends_nothing_and_the_day_stays_open(ddb: Engine, smtp: Inbox) -> None:
    world = make_world(ddb)
    assert sender.run_tick(now=EIGHT_LONDON, engine=ddb).sent == []
    assert smtp.messages == []
    with Session(ddb) as session:
        assert session.exec(select(DigestRun)).all() == [], "no claim for an empty day"
    with clock.frozen_at(EIGHT_LONDON + timedelta(minutes=10)):
        item = assign(ddb, world)
        client_does(ddb, world, item, "ask_change", reason=REASON)
    assert sender.run_tick(now=EIGHT_LONDON + timedelta(minutes=11), engine=ddb).sent == [
        world.therapist_id
    ]
    assert len(smtp.messages) == 1


def test_the_next_digest_has_only_what_is_new_and_unread(ddb: Engine, smtp: Inbox) -> None:
    world, (done, _change) = busy_day(ddb)
    sender.run_tick(now=EIGHT_LONDON, engine=ddb)
    later = EIGHT_LONDON + timedelta(hours=3)
    with clock.frozen_at(later):
        third = assign(ddb, world, "Make a cup of tea")
        fourth = assign(ddb, world, "Sort the post")
        client_does(ddb, world, third, "ask_change", reason=REASON)
        client_does(ddb, world, fourth, "decline")
    with Session(ddb) as session:  # the therapist read the decline in the app already
        notice = session.exec(
            select(HomeworkNotice).where(HomeworkNotice.assignment_id == fourth)
        ).one()
        notice.read_at = later
        session.add(notice)
        session.commit()
    next_day = EIGHT_LONDON + timedelta(days=1)
    assert sender.run_tick(now=next_day, engine=ddb).sent == [world.therapist_id]
    text, _ = parts(smtp.messages[1])
    assert smtp.messages[1]["Subject"] == "Groundwork: 1 homework update"
    assert f"/homework/{third}" in text
    assert f"/homework/{done}" not in text, "already in yesterday's digest"
    assert f"/homework/{fourth}" not in text, "read in the app"


def test_the_send_hour_follows_the_therapists_time_zone(ddb: Engine, smtp: Inbox) -> None:
    world = make_world(ddb, tz="America/New_York", hour=7)
    with clock.frozen_at(EIGHT_LONDON):
        client_does(ddb, world, assign(ddb, world), "ask_change", reason=REASON)
    # 07:00 in New York on 2 March 2026 (EST, UTC-5) is 12:00 UTC.
    assert sender.run_tick(now=datetime(2026, 3, 2, 11, 59, tzinfo=UTC), engine=ddb).sent == []
    assert sender.run_tick(now=datetime(2026, 3, 2, 12, 0, tzinfo=UTC), engine=ddb).sent == [
        world.therapist_id
    ]
    assert len(smtp.messages) == 1


def test_opted_out_therapists_get_nothing(ddb: Engine, smtp: Inbox) -> None:
    world = make_world(ddb, enabled=False)
    with clock.frozen_at(EIGHT_LONDON - timedelta(hours=1)):
        client_does(ddb, world, assign(ddb, world), "ask_change", reason=REASON)
    assert sender.run_tick(now=EIGHT_LONDON, engine=ddb).sent == []
    assert smtp.messages == []


def test_a_failed_send_is_retried_within_the_window_and_then_sent_once(ddb: Engine) -> None:
    world, _ = busy_day(ddb)
    # Nothing listens on the test settings' SMTP port: a real connection failure.
    report = sender.run_tick(now=EIGHT_LONDON, engine=ddb)
    assert report.failed == [world.therapist_id]
    assert report.sent == []
    with Session(ddb) as session:
        assert session.exec(select(DigestRun.status)).all() == ["failed"]
    from tests.reminders.smtp_server import smtp_server

    settings = get_settings()
    with smtp_server() as (inbox, port):
        old = settings.smtp_port
        settings.smtp_port = port
        try:
            assert sender.run_tick(now=EIGHT_LONDON + timedelta(minutes=5), engine=ddb).sent == [
                world.therapist_id
            ]
            assert sender.run_tick(now=EIGHT_LONDON + timedelta(minutes=6), engine=ddb).sent == []
        finally:
            settings.smtp_port = old
    assert len(inbox.messages) == 1
    with Session(ddb) as session:
        assert session.exec(select(DigestRun.status)).all() == ["sent"]


def test_no_email_about_a_client_whose_care_link_has_ended(ddb: Engine, smtp: Inbox) -> None:
    world, _ = busy_day(ddb)
    with Session(ddb) as session:
        link = session.exec(select(CareLink).where(CareLink.client_id == world.client_id)).one()
        link.ended_at = EIGHT_LONDON - timedelta(hours=1)
        session.add(link)
        session.commit()
    assert sender.run_tick(now=EIGHT_LONDON, engine=ddb).sent == []
    assert smtp.messages == []


def test_the_scheduler_collects_the_digest_job() -> None:
    from app.scheduler import collect

    jobs = {job.name: job for job in collect()}
    assert jobs["digest.send"].seconds == 60
