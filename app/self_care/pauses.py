"""Pausing one habit or all of them (illness, holiday): paused days leave every statistic and
their reminders stay silent. Each write commits once."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlmodel import Session, col, or_, select

from app.accounts.models import User
from app.errors import Unprocessable
from app.i18n import gettext as _
from app.self_care import service, summary
from app.self_care.models import Habit, HabitPause
from app.self_care.schemas import PauseCreate
from app.self_care.service import today_for

PAUSE_BACKDATE_DAYS = 14


def pause(*, session: Session, client: User, habit: Habit | None, data: PauseCreate) -> HabitPause:
    """Pause one habit (or all): paused days leave every statistic and silence reminders."""
    today = today_for(client)
    starts = data.starts_on or today
    if starts < today - timedelta(days=PAUSE_BACKDATE_DAYS):
        raise Unprocessable(
            _("A pause can start up to %(days)s days back.", days=PAUSE_BACKDATE_DAYS)
        )
    if data.ends_on is not None and data.ends_on < starts:
        raise Unprocessable(_("The pause cannot end before it starts."))
    row = HabitPause(
        client_id=client.id,
        habit_id=habit.id if habit else None,
        starts_on=starts,
        ends_on=data.ends_on,
        reason=data.reason or None,
    )
    session.add(row)
    _refresh(session, client, habit, today, changed_from=starts)
    session.commit()
    session.refresh(row)
    return row


def _refresh(
    session: Session, client: User, habit: Habit | None, today: date, changed_from: date
) -> None:
    """Paused days leave strength: fold the change into the summaries in this transaction."""
    session.flush()
    habits = [habit] if habit else service.active_habits(session, client.id)
    for h in habits:
        summary.refresh(session=session, habit=h, today=today, changed_from=changed_from)


def resume(*, session: Session, client: User, habit: Habit | None) -> int:
    """End the pauses covering today (for this habit, or the all-habits pauses); returns how many."""
    today = today_for(client)
    owner = HabitPause.habit_id == habit.id if habit else col(HabitPause.habit_id).is_(None)
    query = select(HabitPause).where(
        HabitPause.client_id == client.id, owner, HabitPause.starts_on <= today
    )
    ended = 0
    for row in session.exec(query):
        if row.ends_on is not None and row.ends_on < today:
            continue
        if row.starts_on >= today:
            session.delete(row)
        else:
            row.ends_on = today - timedelta(days=1)
            session.add(row)
        ended += 1
    # Only days from yesterday on change, and those are never settled yet.
    _refresh(session, client, habit, today, changed_from=today - timedelta(days=1))
    session.commit()
    return ended


def all_paused_on(session: Session, client_id: uuid.UUID, day: date) -> HabitPause | None:
    """The all-habits pause covering `day`, if any (shown with a Resume button)."""
    return session.exec(
        select(HabitPause).where(
            HabitPause.client_id == client_id,
            col(HabitPause.habit_id).is_(None),
            HabitPause.starts_on <= day,
            or_(col(HabitPause.ends_on).is_(None), col(HabitPause.ends_on) >= day),
        )
    ).first()


def habit_paused_on(session: Session, habit: Habit, day: date) -> HabitPause | None:
    return session.exec(
        select(HabitPause).where(
            HabitPause.habit_id == habit.id,
            HabitPause.starts_on <= day,
            or_(col(HabitPause.ends_on).is_(None), col(HabitPause.ends_on) >= day),
        )
    ).first()
