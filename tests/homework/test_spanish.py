"""Homework speaks each person's language: the client's pages, the therapist's notices, the
schedule in words, form errors; what the therapist wrote is shown as written."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from app.accounts.models import User
from app.homework import kinds, service
from app.homework.attachments import check
from app.homework.models import HomeworkNotice
from app.homework.schedule import Recurrence, describe
from app.homework.schemas import ClientAction
from app.i18n import use_language
from tests.conftest import Http
from tests.homework.helpers import assignment, principal


def _speaks(session: Session, user: User, language: str) -> None:
    user.language = language
    session.add(user)
    session.flush()


def test_the_schedule_in_words_follows_the_language() -> None:
    weekly = Recurrence("weekly", date(2026, 11, 16), date(2026, 11, 27), (4, 0))
    with use_language("es"):
        assert describe(Recurrence("once", date(2026, 11, 16), date(2026, 11, 20))) == (
            "Para el vie 20 nov"
        )
        assert describe(weekly) == "Cada lun, vie hasta el vie 27 nov"
        assert kinds.label("routine") == "Practicar una rutina"
    assert describe(weekly) == "Every Mon, Fri until Fri 27 Nov"
    assert kinds.label("routine") == "Practise a routine"


def test_the_therapist_reads_the_notice_in_their_own_language(
    session: Session, therapist: User, client_user: User
) -> None:
    _speaks(session, therapist, "es")
    a = assignment(session, therapist, client_user, title="Walk round the block")
    service.client_action(
        session,
        client=principal(session, client_user),
        assignment=a,
        data=ClientAction(action="ask_change", reason="Mornings are hard"),
    )
    [notice] = session.exec(select(HomeworkNotice)).all()
    name = client_user.preferred_name
    assert notice.text == f"{name} pidió cambiar “Walk round the block”: Mornings are hard"


def test_a_spanish_client_sees_their_homework_page_in_spanish(
    http: Http, session: Session, therapist: User, client_user: User
) -> None:
    _speaks(session, client_user, "es")
    a = assignment(session, therapist, client_user, title="Walk round the block")
    page = http.as_(client_user).get(f"/homework/{a.id}")
    assert page.status_code == 200
    assert '<html lang="es"' in page.text
    assert "Qué hacer" in page.text
    assert "¿Te funciona esto?" in page.text
    assert "Una tarea con instrucciones" in page.text
    assert "Walk round the block" in page.text  # the therapist's words, as written
    listing = http.get("/homework")
    assert "Todas las tareas" in listing.text or "Tareas" in listing.text
    refused = http.post(f"/homework/{a.id}/action", data={"action": "ask_change", "reason": ""})
    assert refused.status_code in (409, 422)
    assert "di qué te gustaría cambiar" in refused.text


def test_an_attachment_refusal_is_in_the_therapists_language(
    http: Http, session: Session, therapist: User, client_user: User
) -> None:
    _speaks(session, therapist, "es")
    page = http.as_(therapist).post(
        f"/caseload/{client_user.id}/homework",
        data={"kind": "task", "title": "Read this", "frequency": "once", "due_on": "2099-01-01"},
        files={"attachment": ("notes.txt", b"plain text", "text/plain")},
    )
    assert page.status_code == 422
    assert "Adjunta una imagen PNG, JPEG o WebP, o un PDF." in page.text
    with pytest.raises(ValueError, match="^Please attach a PNG, JPEG or WebP image, or a PDF.$"):
        check(b"plain text")  # the English sentence is still the exception's text
