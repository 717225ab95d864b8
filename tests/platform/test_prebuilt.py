"""Prebuilt statements see the session's pending changes, as the ORM selects they replace did."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlmodel import Session, col

from app import prebuilt
from app.accounts.models import Organisation

_NAMED = select(col(Organisation.name)).where(col(Organisation.name) == bindparam("name"))


def test_pending_changes_are_flushed_before_a_prebuilt_read(session: Session) -> None:
    session.add(Organisation(name="Pending Clinic"))
    assert prebuilt.scalar(session, _NAMED, name="Pending Clinic") == "Pending Clinic"


def test_no_autoflush_is_respected(session: Session) -> None:
    with session.no_autoflush:
        session.add(Organisation(name="Held Clinic"))
        assert prebuilt.rows(session, _NAMED, name="Held Clinic") == []
    assert prebuilt.first(session, _NAMED, name="Held Clinic") is not None
