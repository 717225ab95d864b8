"""Homework behaviour: assign, revise, cancel (therapist); accept, ask to change, decline, start,
complete (client); feedback messages; in-app notices. Each write commits once, before returning."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, time

from sqlmodel import Session, col, select

from app import clock, versioning
from app.accounts import policy
from app.accounts.models import User
from app.audit import service as audit
from app.errors import Conflict, NotFound, Unprocessable
from app.homework import edits, kinds
from app.homework.attachments import CheckedAttachment, safe_filename
from app.homework.models import (
    HomeworkAssignment,
    HomeworkAttachment,
    HomeworkCompletion,
    HomeworkMessage,
    HomeworkNotice,
)
from app.homework.schedule import Recurrence, ScheduleError, describe, to_rrule
from app.homework.schemas import AssignmentCreate, ClientAction, CompletionCreate
from app.homework.states import Action, Role, State, TransitionError, next_state
from app.i18n import N_, gettext, use_language
from app.reminders import service as reminders
from app.web_security import Principal

OPEN_STATES = (State.REQUESTED, State.ACCEPTED, State.CHANGE_REQUESTED, State.IN_PROGRESS)
CLOSED_WITH_CARE = N_(
    "This homework closed when your care with this therapist ended. "
    "It stays here for you to look back on."
)


def is_closed_for_client(session: Session, a: HomeworkAssignment) -> bool:
    """Homework from a therapist whose care link has ended is closed to the client: nothing new
    they write may reach the former therapist (the policy decides who may be reached)."""
    return not policy.has_active_care_link(
        session, therapist_id=a.therapist_id, client_id=a.client_id
    )


def _require_reachable(session: Session, principal: Principal, a: HomeworkAssignment) -> None:
    if not policy.may_reach_therapist(session, principal, a.therapist_id):
        raise Conflict(CLOSED_WITH_CARE)


def recurrence(a: HomeworkAssignment) -> Recurrence:
    days = tuple(int(d) for d in a.weekdays.split(",") if d)
    return Recurrence(a.frequency, a.start_on, a.due_on, days)  # type: ignore[arg-type]  # frequency is checked on write (schemas.Frequency); the column is str


def schedule_text(a: HomeworkAssignment) -> str:
    """The schedule in words, in the current language (call it while rendering)."""
    return describe(recurrence(a))


def _apply(a: HomeworkAssignment, data: AssignmentCreate, *, today: date) -> None:
    start = data.start_on or min(today, data.due_on)
    rec = Recurrence(data.frequency, start, data.due_on, tuple(sorted(set(data.weekdays))))
    try:
        rec.validate()
    except ScheduleError as exc:
        raise Unprocessable(str(exc)) from None
    details: dict[str, object] = {}
    if data.target:
        details["target"] = data.target
    if data.level is not None:
        details["level"] = data.level
    if data.questions:
        details["questions"] = list(data.questions)
    if data.reminder_time:
        details["reminder_time"] = data.reminder_time
    a.kind, a.title, a.instructions, a.details = data.kind, data.title, data.instructions, details
    a.frequency, a.start_on, a.due_on = rec.frequency, rec.start_on, rec.due_on
    a.weekdays = ",".join(str(d) for d in rec.weekdays)


def _sync_reminder(session: Session, a: HomeworkAssignment, *, active: bool) -> None:
    """Register the assignment's reminder with the reminders domain (seam 4)."""

    at = a.details.get("reminder_time")
    if not isinstance(at, str) or not active:
        reminders.remove_schedule(session=session, kind="homework", source_id=a.id)
        return
    hour, minute = (int(x) for x in at.split(":"))
    # One-off homework: a daily nudge until it is done or its due day has passed.
    rule = to_rrule(recurrence(a)) or f"FREQ=DAILY;UNTIL={a.due_on:%Y%m%d}"
    reminders.sync_schedule(
        session=session,
        client_id=a.client_id,
        kind="homework",
        source_id=a.id,
        # Reminder titles are kept in English and translated for the client when shown or sent.
        title=N_("Homework"),
        body=a.title,
        url=f"/homework/{a.id}",
        local_times=[time(hour, minute)],
        rrule=rule,
        only_if_not_done=True,
        active=True,
        starts_on=a.start_on,
    )


def assign(
    session: Session,
    *,
    therapist: Principal,
    client: User,
    data: AssignmentCreate,
    attachment: CheckedAttachment | None = None,
    attachment_name: str = "",
) -> HomeworkAssignment:
    if data.id is not None:
        existing = session.get(HomeworkAssignment, data.id)
        if existing is not None:
            if existing.client_id != client.id:
                raise Conflict("That id is already in use.")
            return existing  # a replayed request: the stored row, never a duplicate
    a = HomeworkAssignment(
        client_id=client.id,
        therapist_id=therapist.id,
        kind=data.kind,
        title=data.title,
        start_on=data.due_on,
        due_on=data.due_on,
    )
    if data.id is not None:
        a.id = data.id
    _apply(a, data, today=clock.local_today(client.time_zone))
    session.add(a)
    session.flush()
    if attachment is not None:
        _store_attachment(session, a, attachment, attachment_name)
    _sync_reminder(session, a, active=True)
    reminders.notify_now(
        session=session,
        client_id=client.id,
        kind="homework",
        source_id=a.id,
        title=N_("New homework from your therapist"),
        body=a.title,
        url=f"/homework/{a.id}",
    )
    audit.add(session, actor=therapist.user, client_id=client.id, action="homework.assign")
    session.commit()
    return a


def _store_attachment(
    session: Session, a: HomeworkAssignment, checked: CheckedAttachment, name: str
) -> None:
    for old in session.exec(
        select(HomeworkAttachment).where(HomeworkAttachment.assignment_id == a.id)
    ).all():
        session.delete(old)
    session.add(
        HomeworkAttachment(
            assignment_id=a.id,
            media_type=checked.media_type,
            size=len(checked.data),
            filename=safe_filename(name, checked.extension),
            data=checked.data,
        )
    )


def _transition(
    a: HomeworkAssignment, action: Action, role: Role, reason: str | None = None
) -> None:
    try:
        a.state = next_state(State(a.state), action, role, reason=reason).value
    except TransitionError as exc:
        raise Conflict(str(exc)) from None
    a.updated_at = clock.now()
    a.version += 1  # every change of state or content is a new version (app/versioning.py)


def revise(
    session: Session,
    *,
    therapist: Principal,
    assignment: HomeworkAssignment,
    data: AssignmentCreate,
    attachment: CheckedAttachment | None = None,
    attachment_name: str = "",
    expected: versioning.Expected = None,
) -> HomeworkAssignment:
    """Replace what the client sees. `expected`: the versions the therapist revised from; if the
    homework changed since and the two differ, EditConflict (nothing saved)."""
    versioning.require(
        expected,
        what="homework",
        version=assignment.version,
        fields=edits.FIELDS,
        yours=edits.proposed(data),
        current=edits.snapshot(assignment),
    )
    _transition(assignment, Action.REVISE, "therapist")
    client = session.get(User, assignment.client_id)
    assert client is not None
    _apply(assignment, data, today=clock.local_today(client.time_zone))
    assignment.revision += 1
    assignment.client_reason = ""
    session.add(assignment)
    if attachment is not None:
        _store_attachment(session, assignment, attachment, attachment_name)
    _sync_reminder(session, assignment, active=True)
    reminders.notify_now(
        session=session,
        client_id=assignment.client_id,
        kind="homework",
        source_id=assignment.id,
        title=N_("Your homework was updated"),
        body=assignment.title,
        url=f"/homework/{assignment.id}",
    )
    audit.add(
        session, actor=therapist.user, client_id=assignment.client_id, action="homework.revise"
    )
    session.commit()
    return assignment


def cancel(
    session: Session, *, therapist: Principal, assignment: HomeworkAssignment
) -> HomeworkAssignment:
    _transition(assignment, Action.CANCEL, "therapist")
    session.add(assignment)
    _sync_reminder(session, assignment, active=False)
    audit.add(
        session, actor=therapist.user, client_id=assignment.client_id, action="homework.cancel"
    )
    session.commit()
    return assignment


def _therapist_language(session: Session, a: HomeworkAssignment) -> str:
    therapist = session.get(User, a.therapist_id)
    return therapist.language if therapist is not None else "en"


def _notify(session: Session, a: HomeworkAssignment, kind: str, text: str) -> None:
    """A notice for the therapist, kept as text: build `text` in `_therapist_language`."""
    session.add(
        HomeworkNotice(
            therapist_id=a.therapist_id,
            client_id=a.client_id,
            assignment_id=a.id,
            kind=kind,
            text=text[:300],
        )
    )


def client_action(
    session: Session, *, client: Principal, assignment: HomeworkAssignment, data: ClientAction
) -> HomeworkAssignment:
    _require_reachable(session, client, assignment)
    action = Action(data.action)
    _transition(assignment, action, "client", data.reason)
    name, title = client.user.preferred_name, assignment.title
    if action is Action.ASK_CHANGE:
        assignment.client_reason = reason = data.reason or ""
        with use_language(_therapist_language(session, assignment)):
            text = gettext(
                "%(name)s asked to change “%(title)s”: %(reason)s",
                name=name,
                title=title,
                reason=reason,
            )
        _notify(session, assignment, "change", text)
    elif action is Action.DECLINE:
        assignment.client_reason = data.reason or ""
        with use_language(_therapist_language(session, assignment)):
            text = gettext("%(name)s declined “%(title)s”", name=name, title=title)
        _notify(session, assignment, "declined", text)
        _sync_reminder(session, assignment, active=False)
    elif action is Action.START and data.predicted_mood is not None:
        assignment.predicted_mood = data.predicted_mood
    session.add(assignment)
    session.commit()
    return assignment


def complete(
    session: Session, *, client: Principal, assignment: HomeworkAssignment, data: CompletionCreate
) -> HomeworkCompletion:
    if data.id is not None:
        existing = session.get(HomeworkCompletion, data.id)
        if existing is not None:
            if existing.assignment_id != assignment.id:
                raise Conflict("That id is already in use.")
            return existing
    _require_reachable(session, client, assignment)
    finish = data.finished or assignment.frequency == "once"
    _transition(assignment, Action.COMPLETE if finish else Action.PRACTISE, "client")
    now = clock.now()
    answers: dict[str, object] = {}
    questions = assignment.details.get("questions")
    if isinstance(questions, list) and data.answers:
        answers["questions"] = [
            {"question": q, "answer": a} for q, a in zip(questions, data.answers, strict=False)
        ]
    for key in ("mood_after", "pleasure", "mastery"):
        if getattr(data, key) is not None:
            answers[key] = getattr(data, key)
    if assignment.predicted_mood is not None and assignment.kind == "activation":
        answers["predicted_mood"] = assignment.predicted_mood
    row = HomeworkCompletion(
        assignment_id=assignment.id,
        client_id=assignment.client_id,
        done_on=clock.local_today(client.user.time_zone),
        created_at=now,
        difficulty=data.difficulty,
        helpfulness=data.helpfulness,
        reflection=data.reflection,
        stuck=data.stuck,
        answers=answers,
        final=finish,
    )
    if data.id is not None:
        row.id = data.id
    if finish:
        assignment.completed_at = now
        _sync_reminder(session, assignment, active=False)
    session.add(assignment)
    session.add(row)
    words = {"name": client.user.preferred_name, "title": assignment.title}
    with use_language(_therapist_language(session, assignment)):
        if finish and data.stuck:
            text = gettext(
                "%(name)s finished “%(title)s” and has something to bring to the session", **words
            )
        elif finish:
            text = gettext("%(name)s finished “%(title)s”", **words)
        elif data.stuck:
            text = gettext(
                "%(name)s practised “%(title)s” and has something to bring to the session",
                **words,
            )
        else:
            text = gettext("%(name)s practised “%(title)s”", **words)
    _notify(session, assignment, "done", text)
    session.commit()
    return row


def post_message(
    session: Session, *, principal: Principal, assignment: HomeworkAssignment, body: str
) -> HomeworkMessage:
    role = str(principal.role)
    if role == "client":
        _require_reachable(session, principal, assignment)
    msg = HomeworkMessage(
        assignment_id=assignment.id, author_id=principal.id, author_role=role, body=body
    )
    session.add(msg)
    if role == "client":
        with use_language(_therapist_language(session, assignment)):
            text = gettext(
                "%(name)s wrote about “%(title)s”",
                name=principal.user.preferred_name,
                title=assignment.title,
            )
        _notify(session, assignment, "message", text)
    else:
        audit.add(
            session,
            actor=principal.user,
            client_id=assignment.client_id,
            action="homework.feedback",
        )
    session.commit()
    return msg


def notices(
    session: Session, therapist_id: uuid.UUID, *, unread_only: bool = True, limit: int = 30
) -> Sequence[HomeworkNotice]:
    """A therapist's notices (newest first) about the clients they care for now: the dashboard
    and the notices API list them, `mark_notices_read` clears them."""
    stmt = select(HomeworkNotice).where(
        HomeworkNotice.therapist_id == therapist_id,
        col(HomeworkNotice.client_id).in_(policy.current_client_ids(therapist_id)),
    )
    if unread_only:
        stmt = stmt.where(col(HomeworkNotice.read_at).is_(None))
    return session.exec(stmt.order_by(col(HomeworkNotice.created_at).desc()).limit(limit)).all()


def mark_notices_read(
    session: Session, *, therapist: Principal, client_id: uuid.UUID | None
) -> int:
    stmt = select(HomeworkNotice).where(
        HomeworkNotice.therapist_id == therapist.id, col(HomeworkNotice.read_at).is_(None)
    )
    if client_id is not None:
        stmt = stmt.where(HomeworkNotice.client_id == client_id)
    rows = session.exec(stmt).all()
    now = clock.now()
    for row in rows:
        row.read_at = now
        session.add(row)
    session.commit()
    return len(rows)


def get_assignment(session: Session, assignment_id: uuid.UUID) -> HomeworkAssignment:
    a = session.get(HomeworkAssignment, assignment_id)
    if a is None:
        raise NotFound()
    return a


def kind_label(key: str) -> str:
    return kinds.label(key)
