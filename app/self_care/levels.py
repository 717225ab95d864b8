"""Moving between levels: the client's answer to a suggestion, the therapist's approval,
override, chosen step, range and rules. Every change is kept in the level history."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import bindparam
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from app import clock, prebuilt
from app.accounts.models import User
from app.errors import Conflict, Unprocessable
from app.i18n import gettext as _
from app.self_care import reminders_link, suggestions, summary
from app.self_care.grading import GradingSettings
from app.self_care.models import Habit, HabitLevel, HabitLevelChange, HabitSuggestion
from app.self_care.service import level_change, levels_of, today_for


def change_level(
    *, session: Session, actor: User, habit: Habit, to_level: int, reason: str, commit: bool = True
) -> Habit:
    """Move within the therapist's bounds; a level outside them is refused with a clear message."""
    if not habit.lowest_level <= to_level <= habit.highest_level:
        raise Unprocessable(
            _(
                "Step %(level)s is outside this habit's range (%(lowest)s to %(highest)s).",
                level=to_level,
                lowest=habit.lowest_level,
                highest=habit.highest_level,
            )
        )
    if to_level == habit.level:
        return habit
    client = session.get(User, habit.client_id)
    assert client is not None
    today = today_for(client)
    session.add(
        level_change(
            habit,
            from_level=habit.level,
            to_level=to_level,
            reason=reason,
            actor=actor,
            today=today,
        )
    )
    habit.level = to_level
    habit.level_started_on = today
    session.add(habit)
    suggestions.supersede_pending(session=session, habit=habit)
    level = session.exec(
        select(HabitLevel).where(HabitLevel.habit_id == habit.id, HabitLevel.number == to_level)
    ).one()
    reminders_link.sync_habit(session=session, habit=habit, level_text=level.description)
    summary.refresh(session=session, habit=habit, today=today, changed_from=today)
    if commit:
        session.commit()
        session.refresh(habit)
    return habit


def set_bounds(*, session: Session, actor: User, habit: Habit, lowest: int, highest: int) -> Habit:
    """The therapist's range; a level now outside it moves to the nearest bound."""
    count = len(levels_of(session, habit.id))
    if not 1 <= lowest <= highest <= count:
        raise Unprocessable(_("Choose steps between 1 and %(count)s, lowest first.", count=count))
    habit.lowest_level, habit.highest_level = lowest, highest
    session.add(habit)
    clamped = min(max(habit.level, lowest), highest)
    if clamped != habit.level:
        change_level(
            session=session,
            actor=actor,
            habit=habit,
            to_level=clamped,
            reason="bounds",
            commit=False,
        )
    session.commit()
    session.refresh(habit)
    return habit


def decide(
    *,
    session: Session,
    actor: User,
    suggestion: HabitSuggestion,
    habit: Habit,
    state: str,
    level: int | None = None,
) -> HabitSuggestion:
    """accepted / declined (client), approved / overridden (therapist)."""
    if suggestion.state != "pending":
        raise Conflict(_("This suggestion has already been answered."))
    if suggestion.from_level != habit.level:
        raise Conflict(_("The step has changed since this suggestion was made."))
    client = session.get(User, habit.client_id)
    assert client is not None
    suggestion.state = state
    suggestion.decided_at = clock.now()
    suggestion.decided_on = today_for(client)
    suggestion.decided_by_id = actor.id
    session.add(suggestion)
    session.flush()
    to_level = suggestion.to_level if state in ("accepted", "approved") else level
    if to_level is not None and to_level != habit.level:
        reason = state if state in ("accepted", "approved") else "set_by_therapist"
        change_level(
            session=session,
            actor=actor,
            habit=habit,
            to_level=to_level,
            reason=reason,
            commit=False,
        )
    session.commit()
    session.refresh(suggestion)
    return suggestion


def level_history(session: Session, habit_id: uuid.UUID) -> list[HabitLevelChange]:
    return list(
        session.exec(
            select(HabitLevelChange)
            .where(HabitLevelChange.habit_id == habit_id)
            .order_by(col(HabitLevelChange.changed_at).desc())
        )
    )


# Built once (see app/prebuilt.py): the client's step history, only the columns the page shows.
_STEPS = (
    core_select(
        col(HabitLevelChange.changed_on),
        col(HabitLevelChange.from_level),
        col(HabitLevelChange.to_level),
    )
    .where(col(HabitLevelChange.habit_id) == bindparam("habit_id"))
    .order_by(col(HabitLevelChange.changed_at).desc())
)


def step_history(session: Session, habit_id: uuid.UUID) -> Sequence[prebuilt.AnyRow]:
    """`level_history`'s rows and order, as plain rows of what the habit page shows (the day and
    the two steps): the page is read far more often than the therapist's full history."""
    return prebuilt.rows(session, _STEPS, habit_id=habit_id)


def set_grading(*, session: Session, habit: Habit, settings: GradingSettings) -> Habit:
    """Per-habit thresholds; stored whole so later default changes don't move a tuned habit."""
    habit.grading = settings.model_dump()
    session.add(habit)
    session.commit()
    session.refresh(habit)
    return habit
