"""What goes in one therapist's digest: their unread homework notices since the last digest.

Four queries per therapist (notices, the clients' names, the completions behind "done" notices,
the assignments' titles and reasons), homework's through `homework.queries`. Each item keeps the
minimum: the client's first name, what happened, and a link; free text the client wrote (a
reflection, a reason, what they are stuck on) is included only as a short excerpt and only when
opted in.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from app.accounts.models import User
from app.homework import queries as homework_queries
from app.i18n import N_, gettext

if TYPE_CHECKING:  # names only: the digest reads homework through its queries
    from app.homework.models import HomeworkCompletion, HomeworkNotice

EXCERPT = 80
# In what order the email shows things: what a therapist may want to act on first. Headings and
# sentences are catalog messages: items are built inside the recipient's `use_language`.
SECTIONS = (
    ("stuck", N_("Stuck and bringing a question to the session")),
    ("change", N_("Asked to change their homework")),
    ("declined", N_("Said no to their homework")),
    ("done", N_("Did their homework")),
    ("message", N_("Wrote to you about their homework")),
)


@dataclass(frozen=True)
class Item:
    """`what`: the whole sentence, with the client's first name ("Sam finished their homework")."""

    section: str
    name: str
    what: str
    url: str
    title: str | None = None
    excerpt: str | None = None


def first_name(preferred: str) -> str:
    return (preferred.strip().split() or [gettext("Your client")])[0]


def excerpt(text: str) -> str | None:
    text = " ".join(text.split())
    if not text:
        return None
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def unread_since(
    session: Session, *, therapist_id: uuid.UUID, since: datetime | None, until: datetime
) -> list[HomeworkNotice]:
    return homework_queries.unread_notices_between(
        session, therapist_id=therapist_id, since=since, until=until
    )


def _ratings(c: HomeworkCompletion) -> str:
    """The ratings' parenthesis, one whole message per combination (never pieces)."""
    if c.helpfulness is not None and c.difficulty is not None:
        return gettext(
            " (helpful %(helpful)s/5, difficulty %(difficulty)s/5)",
            helpful=c.helpfulness,
            difficulty=c.difficulty,
        )
    if c.helpfulness is not None:
        return gettext(" (helpful %(helpful)s/5)", helpful=c.helpfulness)
    if c.difficulty is not None:
        return gettext(" (difficulty %(difficulty)s/5)", difficulty=c.difficulty)
    return ""


def _done_sentence(name: str, *, final: bool, ratings: str, reflection: bool) -> str:
    if final and reflection:
        return gettext(
            "%(name)s finished their homework%(ratings)s and wrote a reflection",
            name=name,
            ratings=ratings,
        )
    if final:
        return gettext("%(name)s finished their homework%(ratings)s", name=name, ratings=ratings)
    if reflection:
        return gettext(
            "%(name)s practised their homework%(ratings)s and wrote a reflection",
            name=name,
            ratings=ratings,
        )
    return gettext("%(name)s practised their homework%(ratings)s", name=name, ratings=ratings)


def _asked_sentence(name: str, *, change: bool, reason: bool) -> str:
    if change and reason:
        return gettext("%(name)s asked to change their homework and gave a reason", name=name)
    if change:
        return gettext("%(name)s asked to change their homework", name=name)
    if reason:
        return gettext("%(name)s said no to their homework and gave a reason", name=name)
    return gettext("%(name)s said no to their homework", name=name)


def build_items(
    session: Session,
    *,
    notices: list[HomeworkNotice],
    base_url: str,
    excerpts: bool,
) -> list[Item]:
    if not notices:
        return []
    client_ids = {n.client_id for n in notices}
    names = dict(
        session.exec(select(User.id, User.preferred_name).where(col(User.id).in_(client_ids))).all()
    )
    assignment_ids = {n.assignment_id for n in notices}
    oldest = notices[0].created_at - timedelta(minutes=1)
    done_ids = {n.assignment_id for n in notices if n.kind == "done"}
    completions = homework_queries.completions_since(session, assignment_ids=done_ids, since=oldest)
    rows = homework_queries.titles_and_reasons(session, assignment_ids)
    titles = {aid: title for aid, (title, _) in rows.items()} if excerpts else {}
    reasons = {aid: reason for aid, (_, reason) in rows.items()}
    items: list[Item] = []
    for n in notices:
        name = first_name(names.get(n.client_id, ""))
        url = f"{base_url}/caseload/{n.client_id}/homework/{n.assignment_id}"
        title = titles.get(n.assignment_id)
        if n.kind == "done":
            # The completion this notice is about: the latest one saved by the notice's moment.
            match = None
            for c in completions:
                if c.assignment_id == n.assignment_id and c.created_at <= n.created_at + timedelta(
                    seconds=5
                ):
                    match = c
            what = _done_sentence(
                name,
                final=match is None or match.final,
                ratings=_ratings(match) if match else "",
                reflection=bool(match and match.reflection and not excerpts),
            )
            quote = excerpt(match.reflection) if (match and excerpts) else None
            items.append(Item("done", name, what, url, title, quote))
            if match and match.stuck:
                stuck = excerpt(match.stuck) if excerpts else None
                said = gettext("%(name)s said “I'm stuck” on their homework", name=name)
                items.append(Item("stuck", name, said, url, title, stuck))
        elif n.kind in ("change", "declined"):
            reason = reasons.get(n.assignment_id, "")
            what = _asked_sentence(
                name, change=n.kind == "change", reason=bool(reason and not excerpts)
            )
            items.append(
                Item(n.kind, name, what, url, title, excerpt(reason) if excerpts else None)
            )
        else:
            what = gettext("%(name)s sent a message about their homework", name=name)
            items.append(Item("message", name, what, url, title))
    return items


def grouped(items: list[Item]) -> list[tuple[str, list[Item]]]:
    return [
        (gettext(label), [i for i in items if i.section == key])
        for key, label in SECTIONS
        if any(i.section == key for i in items)
    ]
