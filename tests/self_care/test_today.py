"""Self-care's Today section: pauses and yesterday's back-fill, read in SQL (EXISTS per habit)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlmodel import Session

from app import clock
from app.accounts.models import User
from app.self_care import mood, pauses
from app.self_care.schemas import MoodCreate, PauseCreate
from app.self_care.today import today_section
from tests import factories
from tests.self_care.helpers import MONDAY, noon, start

DAY = MONDAY + timedelta(days=7)
YESTERDAY = DAY - timedelta(days=1)


def _section(session: Session, client: User) -> dict[str, object]:
    with clock.frozen_at(noon(DAY)):
        section = today_section(session=session, client=client, day=DAY, now=clock.now())
    assert section is not None
    return section.context


def _pause(session: Session, client: User, habit: object, **dates: object) -> None:
    with clock.frozen_at(noon(DAY)):
        pauses.pause(session=session, client=client, habit=habit, data=PauseCreate(**dates))  # type: ignore[arg-type]


def test_pauses_of_one_habit_all_habits_and_other_clients(
    session: Session, client_user: User, therapist: User
) -> None:
    with clock.frozen_at(noon(MONDAY)):
        was_paused = start(session, client_user, "washing", level=2)  # every day
        paused_now = start(session, client_user, "water")
        free = start(session, client_user, "sleep")
    _pause(session, client_user, was_paused, starts_on=YESTERDAY, ends_on=YESTERDAY)
    _pause(session, client_user, paused_now, starts_on=DAY)
    other = factories.client(session, therapist=therapist)
    _pause(session, other, None, starts_on=YESTERDAY)  # someone else's pause changes nothing here

    ctx = _section(session, client_user)
    habits = {h.id: h for h in ctx["habits"]}  # type: ignore[attr-defined]
    assert ctx["all_paused"] is False
    assert [habits[h.id].paused for h in (was_paused, paused_now, free)] == [False, True, False]
    assert habits[was_paused.id].needs_yesterday is False  # yesterday was paused: nothing to add
    assert habits[paused_now.id].needs_yesterday is True
    assert habits[free.id].needs_yesterday is (
        habits[free.id].target.kind == "weekly" or habits[free.id].target.is_planned(YESTERDAY)
    )
    assert habits[paused_now.id].state == "Paused"

    _pause(session, client_user, None, starts_on=DAY)  # all habits, open-ended
    ctx = _section(session, client_user)
    assert ctx["all_paused"] is True
    assert all(h.paused for h in ctx["habits"])  # type: ignore[attr-defined]
    assert {h.id: h.needs_yesterday for h in ctx["habits"]} == {  # type: ignore[attr-defined]
        h.id: h.needs_yesterday
        for h in habits.values()  # the all-habits pause starts today: yesterday is unchanged
    }


def test_mood_logged_today_only(session: Session, client_user: User) -> None:
    with clock.frozen_at(noon(MONDAY)):
        start(session, client_user, "water")
    with clock.frozen_at(noon(YESTERDAY)):
        mood.log(session=session, client=client_user, data=MoodCreate(id=uuid.uuid4(), mood=2))
    assert _section(session, client_user)["mood_logged"] is None
    with clock.frozen_at(noon(DAY)):
        mood.log(session=session, client=client_user, data=MoodCreate(id=uuid.uuid4(), mood=4))
    assert _section(session, client_user)["mood_logged"] == 4
