"""`data_version.bump`: one prebuilt upsert gives every named client the same fresh version."""

from __future__ import annotations

import uuid

from sqlmodel import Session

from app import data_version


def test_bump_gives_new_and_existing_clients_one_fresh_version(session: Session) -> None:
    known, fresh = uuid.uuid4(), uuid.uuid4()
    data_version.bump(session, [known])
    before = data_version.versions(session, [known, fresh])
    assert set(before) == {known}
    data_version.bump(session, [fresh, known, fresh])  # duplicates and any order
    after = data_version.versions(session, [known, fresh])
    assert set(after) == {known, fresh}
    assert after[known] == after[fresh]
    assert after[known] != before[known]


def test_bumping_nobody_writes_nothing(session: Session) -> None:
    someone = uuid.uuid4()
    data_version.bump(session, [])
    assert data_version.versions(session, [someone]) == {}
