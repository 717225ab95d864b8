"""Plain-words emails about a closing account, sent after the closure has committed.

Like the digest, email carries a first name and what happened, never health information, and the
subject line has no name (it shows on lock screens).
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from datetime import datetime

from app import mailer
from app.accounts.models import User
from app.config import get_settings
from app.my_data.closure import Closed
from app.my_data.models import AccountClosure


def _secret() -> bytes:
    return get_settings().secret_key.encode()


def _sig(closure_id: uuid.UUID) -> str:
    return hmac.new(
        _secret(), f"account-restore:{closure_id}".encode(), hashlib.sha256
    ).hexdigest()[:32]


def restore_token(closure_id: uuid.UUID) -> str:
    """Single-purpose: restores this one closing, only while it is restorable (checked on use)."""
    return f"{closure_id.hex}.{_sig(closure_id)}"


def read_restore_token(token: str) -> uuid.UUID | None:
    head, _, sig = token.partition(".")
    try:
        closure_id = uuid.UUID(hex=head)
    except ValueError:
        return None
    return closure_id if hmac.compare_digest(sig, _sig(closure_id)) else None


def _day(at: datetime) -> str:
    return f"{at:%A} {at.day} {at:%B %Y}"


def first_name(user: User) -> str:
    return (user.preferred_name.split() or ["Your client"])[0]


def tell_therapist(therapist: User, client: User, closure: AccountClosure) -> bool:
    if not therapist.email:
        return False
    how = "asked your clinic, by letter, to close" if closure.source == "post" else "closed"
    text = (
        f"Hello {first_name(therapist)},\n\n"
        f"{first_name(client)} has {how} their Groundwork account. You can no longer open their "
        f"record, and they won't get reminders.\n\n"
        f"Nothing is deleted until {_day(closure.erase_after)}, in case they change their mind. "
        "After that their personal information is deleted, except the records your clinic must "
        "keep (session notes, questionnaire answers, goals), which stay locked.\n\n"
        "You don't need to do anything. If you had planned a session, you may want to contact "
        "them in the usual way.\n"
    )
    return mailer.send(
        mailer.build(
            to=therapist.email, subject="A client closed their Groundwork account", text=text
        )
    )


def tell_client(client: User, closure: AccountClosure) -> bool:
    if not client.email:
        return False
    link = f"{get_settings().base_url}/account/restore/{restore_token(closure.id)}"
    text = (
        f"Hello {first_name(client)},\n\n"
        "Your Groundwork account is closed. You've been logged out everywhere, and reminders "
        "have stopped.\n\n"
        f"If you change your mind, you can bring everything back until {_day(closure.erase_after)}:"
        f"\n\n{link}\n\n"
        "After that date your information is deleted, except the records your clinic must keep by "
        "law, which stay locked.\n\n"
        "If you didn't ask for this, open the link above and then change your password.\n"
    )
    return mailer.send(
        mailer.build(to=client.email, subject="Your Groundwork account is closed", text=text)
    )


def tell_everyone(closed: Closed, client: User) -> bool:
    """The therapists in plain words; the client with their restore link. True if the client's
    email went out (the page then says to look for it)."""
    for therapist in closed.therapists:
        tell_therapist(therapist, client, closed.closure)
    return tell_client(client, closed.closure)
