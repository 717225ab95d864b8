"""The interest checklist (done in the past, doing now, want to try), and the therapist turning an
interest into a routine or a homework activity through those domains' services."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from sqlmodel import Session, col, select

from app import clock
from app.accounts.models import User
from app.audit import service as audit
from app.errors import Conflict, NotFound
from app.homework import service as homework_service
from app.homework.schemas import AssignmentCreate
from app.i18n import current_language, use_language, words_beside
from app.i18n import gettext as _
from app.occupation.models import Interest
from app.occupation.schemas import InterestIn
from app.routines import service as routines_service
from app.routines.schemas import RoutineCreate, StepIn
from app.web_security import Principal

CONTENT_DIR = Path(__file__).resolve().parent / "content"
Words = Annotated[str, StringConstraints(min_length=2, max_length=80, strip_whitespace=True)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Group(_Frozen):
    title: Words
    interests: Annotated[tuple[Words, ...], Field(min_length=1, max_length=20)]


class Checklist(_Frozen):
    groups: Annotated[tuple[Group, ...], Field(min_length=1, max_length=20)]


class GroupWords(_Frozen):
    title: Words
    interests: dict[str, Words]


class ChecklistWords(_Frozen):
    """A language's words for the checklist, keyed by the English (content/interests.<lang>.yaml)."""

    language: str
    groups: dict[str, GroupWords]


def _load_checklist() -> Checklist:
    text = (CONTENT_DIR / "interests.yaml").read_text(encoding="utf-8")
    return Checklist.model_validate(yaml.safe_load(text))


@cache
def load_words(language: str) -> ChecklistWords | None:
    """A language's checklist words, or None for English and a language not translated yet."""
    return words_beside(CONTENT_DIR / "interests.yaml", language, ChecklistWords)


# The English names are what is stored (and the checkbox keys); each is shown in the reader's
# language through `shown_name` / `group_title`. Anyone can add their own, shown as written.
CHECKLIST: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (g.title, g.interests) for g in _load_checklist().groups
)
CHECKLIST_NAMES: frozenset[str] = frozenset(n for _, names in CHECKLIST for n in names)
_GROUP_OF: dict[str, str] = {n: group for group, names in CHECKLIST for n in names}


def group_title(group: str) -> str:
    """A checklist group's title in the language being rendered (English where not translated)."""
    words = load_words(current_language())
    entry = words.groups.get(group) if words else None
    return entry.title if entry else _(group)


def shown_name(name: str) -> str:
    """A checklist interest in the language being rendered; one's own is shown as written."""
    words = load_words(current_language())
    entry = words.groups.get(_GROUP_OF.get(name, "")) if words else None
    return entry.interests.get(name, name) if entry else name


MAX_INTERESTS = 80


def interests(session: Session, client_id: uuid.UUID) -> Sequence[Interest]:
    return session.exec(
        select(Interest).where(Interest.client_id == client_id).order_by(col(Interest.name))
    ).all()


def save_checklist(
    session: Session, *, principal: Principal, client: User, items: Sequence[InterestIn]
) -> Sequence[Interest]:
    """The ticked interests as a whole: unticked ones go, unless already turned into something
    (that link is part of the record)."""
    if len(items) > MAX_INTERESTS:
        raise Conflict(_("Up to %(num)s interests.", num=MAX_INTERESTS))
    wanted = {i.name.casefold(): i for i in items if i.past or i.present or i.want_to_try}
    existing = {row.name.casefold(): row for row in interests(session, client.id)}
    for key, row in existing.items():
        if key not in wanted:
            if row.routine_id or row.homework_id:
                row.past = row.present = row.want_to_try = False
                session.add(row)
            else:
                session.delete(row)
    for key, item in wanted.items():
        row = existing.get(key) or Interest(client_id=client.id, name=item.name)
        row.past, row.present, row.want_to_try = item.past, item.present, item.want_to_try
        row.updated_at = clock.now()
        session.add(row)
    audit.add(
        session, actor=principal.user, client_id=client.id, action="occupation.interests.save"
    )
    session.commit()
    return interests(session, client.id)


def get_interest(session: Session, interest_id: uuid.UUID) -> Interest:
    row = session.get(Interest, interest_id)
    if row is None:
        raise NotFound()
    return row


def to_routine(
    session: Session, *, therapist: Principal, client: User, interest: Interest
) -> uuid.UUID:
    """A one-step routine for the interest; the routines service commits it with our link."""
    if interest.routine_id is not None:
        return interest.routine_id
    routine_id = uuid.uuid4()
    interest.routine_id = routine_id
    # Written for the client: in their language (a checklist interest's name is translated).
    with use_language(client.language):
        title = shown_name(interest.name)
    session.add(interest)
    audit.add(
        session, actor=therapist.user, client_id=client.id, action="occupation.interest.routine"
    )
    routines_service.create_routine(
        session=session,
        client_id=client.id,
        tz=client.time_zone,
        created_by_id=therapist.id,
        data=RoutineCreate(id=routine_id, title=title, steps=[StepIn(title=title)]),
    )
    return routine_id


def to_homework(
    session: Session, *, therapist: Principal, client: User, interest: Interest
) -> uuid.UUID:
    """An activity to try this week (pleasure and mastery asked after); homework commits it."""
    if interest.homework_id is not None:
        return interest.homework_id
    homework_id = uuid.uuid4()
    interest.homework_id = homework_id
    session.add(interest)
    audit.add(
        session, actor=therapist.user, client_id=client.id, action="occupation.interest.homework"
    )
    due = clock.local_today(client.time_zone) + timedelta(days=7)
    # Written for the client: in their language (a checklist interest's name is translated).
    with use_language(client.language):
        name = shown_name(interest.name)
        title = _("Try: %(interest)s", interest=name)
        instructions = _("Give it a go once this week, for as long as feels right.")
    homework_service.assign(
        session,
        therapist=therapist,
        client=client,
        data=AssignmentCreate(
            id=homework_id,
            kind="activation",
            title=title,
            target=name,
            due_on=due,
            instructions=instructions,
        ),
    )
    return homework_id
