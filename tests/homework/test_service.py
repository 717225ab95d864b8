"""Homework service: assign, client decisions, completion, revision, notices, signals."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from app import clock
from app.accounts.models import User
from app.errors import Conflict, Unprocessable
from app.homework import queries, service, signals
from app.homework.models import HomeworkCompletion, HomeworkNotice
from app.homework.schemas import AssignmentCreate, ClientAction, CompletionCreate
from tests.homework.helpers import assignment, in_days, principal


def test_assign_is_idempotent_by_id(session: Session, therapist: User, client_user: User) -> None:
    uid = uuid.uuid4()
    first = assignment(session, therapist, client_user, id=uid)
    again = assignment(session, therapist, client_user, id=uid, title="Other")
    assert again.id == first.id
    assert again.title == "Write a shopping list"
    assert first.state == "requested"


def test_schedule_errors_are_unprocessable(
    session: Session, therapist: User, client_user: User
) -> None:
    with pytest.raises(Unprocessable):
        assignment(session, therapist, client_user, frequency="weekly", weekdays=[])


def test_client_accepts_then_completes_with_reflection(
    session: Session, therapist: User, client_user: User
) -> None:
    a = assignment(session, therapist, client_user)
    me = principal(session, client_user)
    service.client_action(session, client=me, assignment=a, data=ClientAction(action="accept"))
    assert a.state == "accepted"
    row = service.complete(
        session,
        client=me,
        assignment=a,
        data=CompletionCreate(
            difficulty=2, helpfulness=5, reflection="Easier than I thought", stuck="Weekends"
        ),
    )
    assert a.state == "completed"
    assert row.final
    notices = session.exec(select(HomeworkNotice).where(HomeworkNotice.assignment_id == a.id)).all()
    assert [n.kind for n in notices] == ["done"]
    assert "something to bring" in notices[0].text


def test_change_request_keeps_the_reason_and_tells_the_therapist(
    session: Session, therapist: User, client_user: User
) -> None:
    a = assignment(session, therapist, client_user)
    me = principal(session, client_user)
    service.client_action(
        session,
        client=me,
        assignment=a,
        data=ClientAction(action="ask_change", reason="Mornings are hard"),
    )
    assert a.state == "change_requested"
    assert a.client_reason == "Mornings are hard"
    assert queries.unread_count(session, therapist.id) == 1
    revised = service.revise(
        session,
        therapist=principal(session, therapist),
        assignment=a,
        data=AssignmentCreate(kind="task", title="Evening list", due_on=in_days(client_user, 4)),
    )
    assert revised.state == "requested"
    assert revised.revision == 2
    assert revised.client_reason == ""


def test_change_request_without_reason_is_a_conflict(
    session: Session, therapist: User, client_user: User
) -> None:
    a = assignment(session, therapist, client_user)
    with pytest.raises(Conflict):
        service.client_action(
            session,
            client=principal(session, client_user),
            assignment=a,
            data=ClientAction(action="ask_change"),
        )


def test_recurring_practice_stays_open_until_finished(
    session: Session, therapist: User, client_user: User
) -> None:
    a = assignment(
        session, therapist, client_user, frequency="daily", kind="coping", target="Box breathing"
    )
    me = principal(session, client_user)
    service.client_action(session, client=me, assignment=a, data=ClientAction(action="accept"))
    service.complete(session, client=me, assignment=a, data=CompletionCreate(helpfulness=4))
    assert a.state == "in_progress"
    service.complete(session, client=me, assignment=a, data=CompletionCreate(finished=True))
    assert a.state == "completed"


def test_replayed_completion_returns_the_stored_row(
    session: Session, therapist: User, client_user: User
) -> None:
    a = assignment(session, therapist, client_user, frequency="daily")
    me = principal(session, client_user)
    service.client_action(session, client=me, assignment=a, data=ClientAction(action="accept"))
    uid = uuid.uuid4()
    first = service.complete(session, client=me, assignment=a, data=CompletionCreate(id=uid))
    again = service.complete(session, client=me, assignment=a, data=CompletionCreate(id=uid))
    assert first.id == again.id
    rows = session.exec(
        select(HomeworkCompletion).where(HomeworkCompletion.assignment_id == a.id)
    ).all()
    assert len(rows) == 1


def test_behavioural_activation_keeps_prediction_and_ratings(
    session: Session, therapist: User, client_user: User
) -> None:
    a = assignment(session, therapist, client_user, kind="activation", target="Walk to the park")
    me = principal(session, client_user)
    service.client_action(session, client=me, assignment=a, data=ClientAction(action="accept"))
    service.client_action(
        session, client=me, assignment=a, data=ClientAction(action="start", predicted_mood=3)
    )
    row = service.complete(
        session, client=me, assignment=a, data=CompletionCreate(mood_after=6, pleasure=5, mastery=7)
    )
    assert row.answers == {"mood_after": 6, "pleasure": 5, "mastery": 7, "predicted_mood": 3}


def test_cannot_complete_before_accepting(
    session: Session, therapist: User, client_user: User
) -> None:
    a = assignment(session, therapist, client_user)
    with pytest.raises(Conflict):
        service.complete(
            session, client=principal(session, client_user), assignment=a, data=CompletionCreate()
        )


def test_signals_flag_overdue_and_count_adherence(
    session: Session, therapist: User, client_user: User
) -> None:
    a = assignment(session, therapist, client_user)
    a.start_on = a.due_on = clock.local_today(client_user.time_zone) - timedelta(days=1)
    session.add(a)
    session.flush()
    result = signals.caseload_signals(session=session, client_ids=[client_user.id], now=clock.now())
    flags = result[client_user.id].flags
    assert [f.code for f in flags] == ["homework_overdue"]
    assert "Write a shopping list" in flags[0].reason


def test_signals_count_this_and_last_weeks_practice(
    session: Session, therapist: User, client_user: User
) -> None:
    from datetime import UTC, date, datetime

    from app.homework.models import HomeworkAssignment as A

    wednesday = datetime(2026, 11, 18, 12, tzinfo=UTC)
    with clock.frozen_at(wednesday):
        a = A(
            client_id=client_user.id,
            therapist_id=therapist.id,
            kind="coping",
            title="Breathe",
            frequency="daily",
            start_on=date(2026, 11, 9),
            due_on=date(2026, 11, 30),
            state="in_progress",
        )
        session.add(a)
        session.flush()
        for day in (10, 11, 13, 16, 17):  # last week: 3 of 7; this week (Mon-Wed): 2 of 3
            session.add(
                HomeworkCompletion(
                    assignment_id=a.id, client_id=client_user.id, done_on=date(2026, 11, day)
                )
            )
        session.flush()
        result = signals.caseload_signals(
            session=session, client_ids=[client_user.id], now=clock.now()
        )
    adherence = result[client_user.id].adherence["homework"]
    assert (adherence.planned, adherence.done) == (3, 2)
    assert (adherence.planned_prev, adherence.done_prev) == (7, 3)


def test_reminder_source_is_due_until_done(
    session: Session, therapist: User, client_user: User
) -> None:
    from app.homework import reminder_source

    a = assignment(session, therapist, client_user, frequency="daily", reminder_time="18:30")
    day = clock.local_today(client_user.time_zone)
    assert reminder_source.still_due(session=session, source_id=a.id, local_day=day)
    me = principal(session, client_user)
    service.client_action(session, client=me, assignment=a, data=ClientAction(action="accept"))
    service.complete(session, client=me, assignment=a, data=CompletionCreate())
    assert not reminder_source.still_due(session=session, source_id=a.id, local_day=day)
