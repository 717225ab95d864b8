"""Caseload signals (fixed query count) and the reminders seam's still_due."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session

from app import clock
from app.accounts.models import User
from app.sensory import diet_service, reminder_source
from app.sensory.diet_service import DietInput
from app.sensory.models import SensoryDietCheckoff, SensoryDietItem
from app.sensory.signals import LABEL, caseload_signals
from tests import factories
from tests.statements import captured_statements

NOW = datetime(2026, 11, 18, 12, tzinfo=UTC)  # Wednesday


def _item(session: Session, client: User, days: int = 127, remind: bool = False) -> SensoryDietItem:
    row = SensoryDietItem(
        client_id=client.id,
        title="Rocking chair",
        activity_id="rocking_chair",
        local_time=time(15),
        days_mask=days,
        minutes=10,
        effect="calming",
        course="main_course",
        remind=remind,
        starts_on=date(2026, 11, 2),
        created_by_id=client.id,
    )
    session.add(row)
    session.flush()
    return row


def _done(session: Session, item: SensoryDietItem, on: date) -> None:
    session.add(
        SensoryDietCheckoff(
            item_id=item.id,
            client_id=item.client_id,
            done_on=on,
            felt_after="just_right",
            created_by_id=item.client_id,
            created_at=datetime.combine(on, time(15, 10), tzinfo=UTC),
        )
    )
    session.flush()


def test_signals_count_this_and_last_local_week(session: Session, therapist: User) -> None:
    a = factories.client(session, therapist=therapist)
    b = factories.client(session, therapist=therapist)
    item = _item(session, a)
    for on in (date(2026, 11, 16), date(2026, 11, 17), date(2026, 11, 10)):
        _done(session, item, on)
    got = caseload_signals(session=session, client_ids=[a.id, b.id], now=NOW)
    adherence = got[a.id].adherence[LABEL]
    # This week Mon..Wed: 3 planned, 2 done. Last week: 7 planned, 1 done.
    assert (adherence.planned, adherence.done) == (3, 2)
    assert (adherence.planned_prev, adherence.done_prev) == (7, 1)
    assert got[a.id].last_activity_at == datetime(2026, 11, 17, 15, 10, tzinfo=UTC)
    assert got[b.id].adherence == {}


def test_signals_use_a_fixed_number_of_queries(session: Session, therapist: User) -> None:
    clients = [factories.client(session, therapist=therapist) for _ in range(6)]
    for c in clients:
        _done(session, _item(session, c), date(2026, 11, 17))
    session.connection()  # begin the session's transaction first: its SAVEPOINT is not counted
    with captured_statements(session) as statements:
        caseload_signals(session=session, client_ids=[c.id for c in clients[:2]], now=NOW)
        few = len(statements)
        statements.clear()
        caseload_signals(session=session, client_ids=[c.id for c in clients], now=NOW)
    assert len(statements) == few == 4


def test_still_due_follows_plan_reminder_switch_and_check_off(
    session: Session, client_user: User
) -> None:
    monday, tuesday = date(2026, 11, 16), date(2026, 11, 17)
    item = _item(session, client_user, days=1, remind=True)  # Mondays only
    assert reminder_source.KIND == "sensory_diet"
    assert reminder_source.still_due(session=session, source_id=item.id, local_day=monday)
    assert not reminder_source.still_due(session=session, source_id=item.id, local_day=tuesday)
    _done(session, item, monday)
    assert not reminder_source.still_due(session=session, source_id=item.id, local_day=monday)
    quiet = _item(session, client_user, remind=False)
    assert not reminder_source.still_due(session=session, source_id=quiet.id, local_day=tuesday)


def test_overview_shows_the_week_so_far(session: Session, client_user: User) -> None:
    from app.sensory.overview import client_overview

    with clock.frozen_at(NOW - timedelta(days=2)):
        diet_service.create_item(
            session,
            principal=_principal(session, client_user),
            client=client_user,
            data=DietInput(local_time=time(8), days=frozenset(range(7)), activity_id="fidget"),
        )
    section = client_overview(session=session, client=client_user, now=NOW)
    assert section is not None
    assert (section.context["week"].planned, section.context["week"].done) == (3, 0)
    assert section.context["href"] == f"/caseload/{client_user.id}/sensory"


def _principal(session: Session, person: User):  # type: ignore[no-untyped-def]
    from app.accounts.sessions import lookup
    from app.web_security import Principal

    token, _ = factories.login_token(session, person)
    found = lookup(session, token)
    assert found is not None
    return Principal(user=person, session=found[0])
