"""One scheduler tick: send each opted-in therapist whose local send hour it is their digest.

Exactly once per therapist per local day, however many processes tick: before sending, a process
INSERTs the (therapist, local day) row of `digest_run` and commits; the unique key lets only one
INSERT win (the loser gets an IntegrityError and moves on). A send that fails is marked `failed`
and may be re-claimed later in the same window by an atomic UPDATE … WHERE status='failed'. A
process that dies between claim and send leaves the row `sending`: that day is skipped (at most
once — a duplicate clinical email is worse than a late one) and the next digest covers it, because
the next digest starts after the last *sent* one.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Engine, update
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, func, select

from app import mailer
from app.accounts.models import Role, User
from app.config import get_settings
from app.db import open_session
from app.digest import compose, items, timing, tokens
from app.digest.models import DigestPreference, DigestRun
from app.i18n import DEFAULT_LANGUAGE, use_language

log = logging.getLogger("groundwork.digest")


@dataclass
class Report:
    sent: list[uuid.UUID] = field(default_factory=list)
    failed: list[uuid.UUID] = field(default_factory=list)
    lost_claims: int = 0


@dataclass(frozen=True)
class Due:
    therapist_id: uuid.UUID
    email: str
    name: str
    time_zone: str
    day: date
    excerpts: bool
    language: str = DEFAULT_LANGUAGE  # the therapist's own (`User.language`): the email's language


def worker_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


def _due(engine: Engine | None, now: datetime) -> list[Due]:
    with open_session(engine=engine) as session:
        rows = session.execute(
            sa_select(
                col(User.id),
                col(User.email),
                col(User.preferred_name),
                col(User.time_zone),
                col(DigestPreference.send_hour),
                col(DigestPreference.excerpts),
                col(User.language),
            )
            .join(DigestPreference, col(DigestPreference.therapist_id) == col(User.id))
            .where(
                col(DigestPreference.enabled),
                col(User.role) == Role.therapist,
                col(User.is_active),
                col(User.email).is_not(None),
            )
        ).all()
    out = []
    for tid, email, name, tz, hour, excerpts, language in rows:
        day = timing.due_day(now, hour, tz)
        if day is not None and email:
            first = items.first_name(name)
            out.append(Due(tid, email, first, tz, day, excerpts, language or DEFAULT_LANGUAGE))
    return out


def _claim(engine: Engine | None, due: Due, *, now: datetime, worker: str, count: int) -> bool:
    """True when this process won (therapist, day): a fresh INSERT or re-taking a failed send."""
    with open_session(write=True, engine=engine) as session:
        existing = session.exec(
            select(DigestRun.status).where(
                DigestRun.therapist_id == due.therapist_id, DigestRun.local_day == due.day
            )
        ).first()
        if existing is None:
            session.add(
                DigestRun(
                    therapist_id=due.therapist_id,
                    local_day=due.day,
                    covered_until=now,
                    notice_count=count,
                    claimed_by=worker[:64],
                    claimed_at=now,
                )
            )
            try:
                session.commit()
            except IntegrityError:
                session.rollback()
                return False
            return True
        if existing != "failed":
            return False
        result = session.exec(
            update(DigestRun)
            .where(
                col(DigestRun.therapist_id) == due.therapist_id,
                col(DigestRun.local_day) == due.day,
                col(DigestRun.status) == "failed",
            )
            .values(
                status="sending",
                covered_until=now,
                notice_count=count,
                claimed_by=worker[:64],
                claimed_at=now,
            )
        )
        session.commit()
        return bool(result.rowcount == 1)


def _finish(engine: Engine | None, due: Due, *, ok: bool, now: datetime) -> None:
    with open_session(write=True, engine=engine) as session:
        session.exec(
            update(DigestRun)
            .where(
                col(DigestRun.therapist_id) == due.therapist_id, col(DigestRun.local_day) == due.day
            )
            .values(status="sent" if ok else "failed", sent_at=now if ok else None)
        )
        session.commit()


def run_tick(
    *,
    now: datetime,
    worker: str | None = None,
    engine: Engine | None = None,
) -> Report:
    """Send every digest due at `now` through `app.mailer` (SMTP)."""
    worker = worker or worker_id()
    settings = get_settings()
    base_url = settings.base_url.rstrip("/")
    secret = settings.secret_key.encode()
    report = Report()
    pending = _due(engine, now)
    if not pending:
        return report
    ids = [d.therapist_id for d in pending]
    with open_session(engine=engine) as session:
        # Two queries for all due therapists: later ticks in the hour cost the same for 1 or 1,000.
        status = {
            (tid, day): st
            for tid, day, st in session.execute(
                sa_select(
                    col(DigestRun.therapist_id), col(DigestRun.local_day), col(DigestRun.status)
                ).where(
                    col(DigestRun.therapist_id).in_(ids),
                    col(DigestRun.local_day).in_({d.day for d in pending}),
                )
            ).all()
        }
        last_sent = dict(
            session.exec(
                select(DigestRun.therapist_id, func.max(DigestRun.covered_until))
                .where(col(DigestRun.therapist_id).in_(ids), DigestRun.status == "sent")
                .group_by(col(DigestRun.therapist_id))
            ).all()
        )
    for due in pending:
        if status.get((due.therapist_id, due.day), "failed") != "failed":
            continue
        with open_session(engine=engine) as session, use_language(due.language):
            notices = items.unread_since(
                session,
                therapist_id=due.therapist_id,
                since=last_sent.get(due.therapist_id),
                until=now,
            )
            if not notices:  # nothing new: no email, and the day stays open for later ticks
                continue
            found = items.build_items(
                session, notices=notices, base_url=base_url, excerpts=due.excerpts
            )
        if not _claim(engine, due, now=now, worker=worker, count=len(notices)):
            report.lost_claims += 1
            continue
        token = tokens.unsubscribe_token(secret, due.therapist_id)
        with use_language(due.language):
            message = compose.build_message(
                compose.Recipient(email=due.email, name=due.name, excerpts=due.excerpts),
                found,
                count=len(notices),
                base_url=base_url,
                unsubscribe_url=f"{base_url}/digest/unsubscribe/{token}",
            )
        ok = mailer.send(message)
        _finish(engine, due, ok=ok, now=now)
        (report.sent if ok else report.failed).append(due.therapist_id)
    return report
