"""Diet items register their reminders with the reminders domain (seam 4) when it is installed."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from sqlmodel import Session, select

from app import clock
from app.accounts.models import User
from app.accounts.sessions import lookup
from app.sensory import diet_service
from app.sensory.diet_service import DietInput
from app.web_security import Principal
from tests import factories

reminder_models = pytest.importorskip("app.reminders.models")


def test_a_diet_item_with_a_reminder_is_scheduled_and_stopped(
    session: Session, client_user: User
) -> None:
    schedule_model = reminder_models.ReminderSchedule
    token, _ = factories.login_token(session, client_user)
    found = lookup(session, token)
    assert found is not None
    me = Principal(user=client_user, session=found[0])
    with clock.frozen_at(datetime(2026, 11, 16, 7, tzinfo=UTC)):
        item = diet_service.create_item(
            session,
            principal=me,
            client=client_user,
            data=DietInput(
                local_time=time(8), days=frozenset({0, 2}), activity_id="carry_laundry", remind=True
            ),
        )
        schedule = session.exec(
            select(schedule_model).where(schedule_model.source_id == item.id)
        ).one()
        assert schedule.kind == "sensory_diet"
        assert schedule.active
        assert schedule.rrule == "FREQ=WEEKLY;BYDAY=MO,WE"
        diet_service.check_off(
            session, principal=me, client=client_user, item=item, felt_after="just_right"
        )
        diet_service.end_item(session, principal=me, client=client_user, item=item)
        session.refresh(schedule)
        assert not schedule.active


def test_a_reminder_is_worded_in_the_clients_language(session: Session, client_user: User) -> None:
    client_user.language = "es"
    session.add(client_user)
    session.commit()
    schedule_model = reminder_models.ReminderSchedule
    token, _ = factories.login_token(session, client_user)
    found = lookup(session, token)
    assert found is not None
    me = Principal(user=client_user, session=found[0])
    item = diet_service.create_item(
        session,
        principal=me,
        client=client_user,
        data=DietInput(
            local_time=time(8), days=frozenset({0}), activity_id="carry_laundry", remind=True
        ),
    )
    schedule = session.exec(select(schedule_model).where(schedule_model.source_id == item.id)).one()
    assert schedule.title == "Es hora de: Cargar el cesto de la ropa"
    assert schedule.body.startswith("Unos 5 minutos.")
