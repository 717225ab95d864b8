"""A Spanish client's reminders are in Spanish: the push, the email and the inbox's words.

Built-in reminder words are kept in English on the item and said in the client's language when
the dispatcher sends them (it runs outside any request); what a person wrote passes unchanged."""

from __future__ import annotations

import uuid
from datetime import time, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from app import clock
from app.accounts.models import User
from app.i18n import use_language
from app.reminders import dispatcher, inbox, service
from app.reminders.dispatcher import Channels
from app.reminders.models import ItemStatus

from .conftest import make_client
from .push_service import PushService
from .smtp_server import Inbox
from .test_dispatcher import add_device, tick


def _spanish(engine: Engine, client_id: uuid.UUID) -> None:
    with Session(engine) as session:
        user = session.get(User, client_id)
        assert user is not None
        user.language = "es"
        session.add(user)
        session.commit()


def _homework_reminder(engine: Engine, client_id: uuid.UUID) -> None:
    with Session(engine) as session:
        service.sync_schedule(
            session=session,
            client_id=client_id,
            kind="homework",
            source_id=uuid.uuid4(),
            title="Homework",  # the built-in title (app/homework/service.py)
            body="Walk round the block",  # the therapist's words
            url="/homework/1",
            local_times=[time(8)],
            rrule=None,
            only_if_not_done=False,
            active=True,
        )
        session.commit()


@pytest.mark.usefixtures("frozen")
def test_a_spanish_clients_push_and_email_are_in_spanish(
    rdb: Engine,
    push_service: PushService,
    vapid: object,
    channels: Channels,
    smtp: tuple[Inbox, object],
) -> None:
    client = make_client(rdb, email="ana@example.org")
    _spanish(rdb, client)
    add_device(rdb, client, push_service, vapid)  # type: ignore[arg-type]  # the session's VapidKeys
    with Session(rdb) as session:
        from app.reminders import preferences

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
    _homework_reminder(rdb, client)
    clock.advance(timedelta(hours=2))
    assert tick(rdb, channels).counts == {ItemStatus.sent: 1}

    [push] = push_service.messages
    assert push.json["title"] == "Tareas"
    assert push.json["body"] == "Walk round the block"  # as the therapist wrote it
    assert push.json["actions"] == {  # the phone's buttons: the service worker has no catalog
        "done": "Listo",
        "snooze": "Posponer 10 min",
        "snooze_1h": "Posponer 1 hora",
    }

    [mail] = smtp[0].messages
    assert mail["Subject"] == "Recordatorio: Tareas"
    plain, rich = mail.get_body(("plain",)), mail.get_body(("html",))
    assert plain is not None
    assert rich is not None
    text, html = plain.get_content(), rich.get_content()
    assert "Abrir: https://app.example/homework/1" in text
    assert "Recibes esto porque tienes activados los recordatorios por correo de tareas." in text
    assert "Dejar de recibir correos de tareas" in text
    assert '<html lang="es">' in html
    assert "Walk round the block" in text

    with Session(rdb) as session:
        [entry] = inbox.entries(session, client)
        assert entry.delivery_note == "Sent to 1 device and email"  # kept in English
        with use_language("es"):
            assert inbox.note_words(entry.delivery_note) == "Enviado a 1 dispositivo y por correo"
            assert inbox.state_label(entry) == "Entregado"


@pytest.mark.usefixtures("frozen")
def test_an_english_clients_email_stays_english(
    rdb: Engine, channels: Channels, smtp: tuple[Inbox, object]
) -> None:
    client = make_client(rdb, email="sam@example.org")
    with Session(rdb) as session:
        from app.reminders import preferences

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
    _homework_reminder(rdb, client)
    clock.advance(timedelta(hours=2))
    tick(rdb, channels)
    [mail] = smtp[0].messages
    assert mail["Subject"] == "Reminder: Homework"
    plain = mail.get_body(("plain",))
    assert plain is not None
    assert "You get this because email reminders for homework are on." in plain.get_content()


def test_delivery_notes_are_said_in_the_readers_language() -> None:
    with use_language("es"):
        assert inbox.note_words("Sent to 2 devices") == "Enviado a 2 dispositivos"
        assert inbox.note_words("Sent to email") == "Enviado por correo"
        assert inbox.note_words("Trying again shortly") == "Se intentará de nuevo pronto"
        assert inbox.note_words("") == ""
    assert inbox.note_words("Sent to 1 device") == "Sent to 1 device"
    assert dispatcher.KINDS["homework"] == "homework"
