"""The client's Today: homework that is new, due today, or asked to change (one query)."""

from __future__ import annotations

from datetime import date, datetime

from babel.support import LazyProxy
from sqlalchemy import and_, bindparam, exists, or_, select
from sqlmodel import Session, col

from app import prebuilt
from app.accounts import policy
from app.accounts.models import User
from app.homework.models import HomeworkAssignment, HomeworkCompletion
from app.homework.queries import ACTIVE
from app.homework.schedule import Recurrence, describe, is_due_on
from app.homework.states import LABELS, State
from app.i18n import N_
from app.sections import Section, local_day

A = HomeworkAssignment
_DONE_TODAY = exists().where(
    and_(
        col(HomeworkCompletion.assignment_id) == A.id,
        col(HomeworkCompletion.client_id) == bindparam("client_id"),
        col(HomeworkCompletion.done_on) == bindparam("day"),
    )
)
# Built once (app/prebuilt.py): the client's open homework, only the columns Today uses, and
# whether it was done today (such homework is not shown again).
_OPEN = (
    select(
        col(A.id),
        col(A.title),
        col(A.state),
        col(A.frequency),
        col(A.start_on),
        col(A.due_on),
        col(A.weekdays),
        _DONE_TODAY.label("done_today"),
    )
    # OR of equalities, not IN: an IN list is re-rendered into the SQL on every execution.
    .where(
        col(A.client_id) == bindparam("client_id"),
        or_(*(col(A.state) == s for s in ACTIVE)),
        # homework of a therapist whose care has ended is closed (the policy says who cares)
        col(A.therapist_id).in_(policy.current_therapist_ids(bindparam("client_id"))),
    )
    .order_by(col(A.due_on), col(A.created_at))
)


# The section shows the client's watched rows as of their local day, nothing else: its HTML is
# kept while they are unchanged (app/sections.py).
today_inputs = local_day


def today_section(*, session: Session, client: User, day: date, now: datetime) -> Section | None:
    """Shown while the client has open homework; lists what is new, due or practised today."""
    del now  # "today" is the client's local day, already given
    rows = prebuilt.rows(session, _OPEN, client_id=client.id, day=day)
    if not rows:
        return None
    items = []
    for r in rows:
        if r.done_today:
            continue
        rec = Recurrence(
            r.frequency, r.start_on, r.due_on, tuple(int(d) for d in r.weekdays.split(",") if d)
        )
        if (
            r.state in (State.REQUESTED, State.CHANGE_REQUESTED)
            or is_due_on(rec, day)
            or (r.frequency == "once" and r.due_on <= day)
        ):
            items.append(
                {
                    "id": r.id,
                    "title": r.title,
                    "state": r.state,
                    "label": LABELS[State(r.state)],
                    "when": LazyProxy(describe, rec, enable_cache=False),  # words at render
                    "new": r.state == "requested",
                }
            )
    return Section(
        key="homework",
        title=N_("Homework"),
        template="homework/_today.html",
        context={"items": items},
        order=40,
    )
