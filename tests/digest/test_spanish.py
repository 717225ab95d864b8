"""The digest email is in the therapist's own language (`User.language`), set by the sender
around the rendering (it runs in the scheduler, outside any request)."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session

from app.accounts.models import User
from app.digest import sender
from tests.reminders.smtp_server import Inbox

from .conftest import EIGHT_LONDON
from .test_sender import REASON, REFLECTION, busy_day, parts


def _speaks_spanish(engine: Engine, user_id: object) -> None:
    with Session(engine) as session:
        therapist = session.get(User, user_id)
        assert therapist is not None
        therapist.language = "es"
        session.add(therapist)
        session.commit()


def test_a_spanish_therapist_gets_the_digest_in_spanish(ddb: Engine, smtp: Inbox) -> None:
    world, _ids = busy_day(ddb)
    _speaks_spanish(ddb, world.therapist_id)
    assert sender.run_tick(now=EIGHT_LONDON, engine=ddb).sent == [world.therapist_id]
    [message] = smtp.messages
    assert message["Subject"] == "Groundwork: 2 novedades de tareas"
    text, html = parts(message)
    assert text.startswith("Hola, Alex:")
    assert '<html lang="es">' in html
    for body in (text, html):
        assert "Desde tu último resumen llegaron 2 novedades de tareas." in body
        assert (
            "Sam terminó su tarea (utilidad 4/5, dificultad 2/5) y escribió una reflexión" in body
        )
        assert "Sam pidió cambiar su tarea y dio un motivo" in body
        assert "Pidieron cambiar su tarea" in body
        assert "Con una duda para llevar a la sesión" in body
        assert "Este correo no incluye lo que escribieron tus clientes" in body
        for english in ("finished their homework", "Stop these emails", "Hello"):
            assert english not in body
        for secret in (REFLECTION, REASON, "Taylor"):
            assert secret not in body


def test_an_english_therapist_still_gets_english(ddb: Engine, smtp: Inbox) -> None:
    busy_day(ddb)
    sender.run_tick(now=EIGHT_LONDON, engine=ddb)
    [message] = smtp.messages
    assert message["Subject"] == "Groundwork: 2 homework updates"
    text, _html = parts(message)
    assert text.startswith("Hello Alex,")
