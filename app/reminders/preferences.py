"""Per-client reminder preferences: quiet hours, per-kind switches, email, pause (holiday)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, time

from sqlmodel import Session, col, select

from app import clock
from app.errors import Unprocessable
from app.i18n import N_
from app.reminders.models import ReminderPreference
from app.reminders.planner import QuietHours


@dataclass(frozen=True, slots=True)
class Prefs:
    """The dispatcher's read-only view of one client's choices."""

    quiet: QuietHours | None = None
    muted: frozenset[str] = frozenset()
    email_enabled: bool = False
    email_muted: frozenset[str] = frozenset()
    paused_from: date | None = None
    paused_until: date | None = None

    def paused_on(self, day: date) -> bool:
        if self.paused_from is None:
            return False
        return self.paused_from <= day and (self.paused_until is None or day <= self.paused_until)

    def email_for(self, kind: str) -> bool:
        return self.email_enabled and kind not in self.email_muted


def _kinds(text: str) -> frozenset[str]:
    return frozenset(k for k in text.split(",") if k)


def view(row: ReminderPreference | None) -> Prefs:
    if row is None:
        return Prefs()
    quiet = None
    if row.quiet_start and row.quiet_end:
        quiet = QuietHours(time.fromisoformat(row.quiet_start), time.fromisoformat(row.quiet_end))
    return Prefs(
        quiet=quiet,
        muted=_kinds(row.muted_kinds),
        email_enabled=row.email_enabled,
        email_muted=_kinds(row.email_muted_kinds),
        paused_from=row.paused_from,
        paused_until=row.paused_until,
    )


def load_many(session: Session, client_ids: set[uuid.UUID]) -> dict[uuid.UUID, Prefs]:
    rows = session.exec(
        select(ReminderPreference).where(col(ReminderPreference.client_id).in_(client_ids))
    )
    found = {row.client_id: view(row) for row in rows}
    return {cid: found.get(cid, Prefs()) for cid in client_ids}


def get_row(session: Session, client_id: uuid.UUID) -> ReminderPreference:
    return session.get(ReminderPreference, client_id) or ReminderPreference(client_id=client_id)


def save(
    *,
    session: Session,
    client_id: uuid.UUID,
    quiet_start: time | None,
    quiet_end: time | None,
    muted_kinds: set[str],
    email_enabled: bool,
    email_muted_kinds: set[str],
    paused_from: date | None,
    paused_until: date | None,
) -> ReminderPreference:
    """Store the settings page's choices; Unprocessable, naming the field, when a range is
    half-given or backwards. Commits."""
    if (quiet_start is None) != (quiet_end is None):
        raise Unprocessable(
            N_("Give both a start and an end for quiet hours, or neither."), field="quiet_end"
        )
    if paused_until and not paused_from:
        raise Unprocessable(N_("Give the first day of the pause."), field="paused_until")
    if paused_from and paused_until and paused_until < paused_from:
        raise Unprocessable(
            N_("The pause must end on or after the day it starts."), field="paused_until"
        )
    row = get_row(session, client_id)
    row.quiet_start = quiet_start.strftime("%H:%M") if quiet_start else None
    row.quiet_end = quiet_end.strftime("%H:%M") if quiet_end else None
    row.muted_kinds = ",".join(sorted(muted_kinds))
    row.email_enabled = email_enabled
    row.email_muted_kinds = ",".join(sorted(email_muted_kinds))
    row.paused_from, row.paused_until = paused_from, paused_until
    row.updated_at = clock.now()
    session.add(row)
    session.commit()
    return row


def unsubscribe_email(*, session: Session, client_id: uuid.UUID, kind: str) -> None:
    """One-click unsubscribe: stop emails of one kind (push and inbox are unchanged). Commits."""
    row = get_row(session, client_id)
    row.email_muted_kinds = ",".join(sorted(_kinds(row.email_muted_kinds) | {kind}))
    row.updated_at = clock.now()
    session.add(row)
    session.commit()
