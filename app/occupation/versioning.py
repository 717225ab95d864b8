"""Stale-save protection for records both the client and the therapist edit (profile, ratings).

Kept to one function so it can later be replaced by the shared record-versions module: a save says
which version it was based on; if the record has moved on since, it is refused with 409 and the
person is asked to look at the newer version first, so neither person's words are silently lost.
"""

from __future__ import annotations

from app.errors import Conflict


class StaleSave(Conflict):
    title = "Changed since you opened it"
    type_slug = "stale-save"


def check(*, current: int, based_on: int, what: str) -> None:
    """Raise StaleSave unless the save was based on the current version (0: nothing saved yet)."""
    if based_on != current:
        raise StaleSave(
            f"The {what} was changed by someone else (now version {current}, you opened version "
            f"{based_on}). Please look at the newer version and make your change again."
        )
