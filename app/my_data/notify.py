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
from app.i18n import format_date, gettext, use_language
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
    """ "Wednesday 2 December 2026" in the current language (the pattern is translated: Spanish
    says "miércoles 2 de diciembre de 2026")."""
    return format_date(at, gettext("EEEE d MMMM y"))


def first_name(user: User) -> str:
    return (user.preferred_name.split() or ["Your client"])[0]


def tell_therapist(therapist: User, client: User, closure: AccountClosure) -> bool:
    if not therapist.email:
        return False
    with use_language(therapist.language):
        name = first_name(client)
        what = (
            gettext(
                "%(name)s has asked your clinic, by letter, to close their Groundwork account. "
                "You can no longer open their record, and they won't get reminders.",
                name=name,
            )
            if closure.source == "post"
            else gettext(
                "%(name)s has closed their Groundwork account. You can no longer open their "
                "record, and they won't get reminders.",
                name=name,
            )
        )
        paragraphs = [
            gettext("Hello %(name)s,", name=first_name(therapist)),
            what,
            gettext(
                "Nothing is deleted until %(day)s, in case they change their mind. After that "
                "their personal information is deleted, except the records your clinic must keep "
                "(session notes, questionnaire answers, goals), which stay locked.",
                day=_day(closure.erase_after),
            ),
            gettext(
                "You don't need to do anything. If you had planned a session, you may want to "
                "contact them in the usual way."
            ),
        ]
        subject = gettext("A client closed their Groundwork account")
    text = "\n\n".join(paragraphs) + "\n"
    return mailer.send(mailer.build(to=therapist.email, subject=subject, text=text))


def tell_client(client: User, closure: AccountClosure) -> bool:
    if not client.email:
        return False
    link = f"{get_settings().base_url}/account/restore/{restore_token(closure.id)}"
    with use_language(client.language):
        paragraphs = [
            gettext("Hello %(name)s,", name=first_name(client)),
            gettext(
                "Your Groundwork account is closed. You've been logged out everywhere, and "
                "reminders have stopped."
            ),
            gettext(
                "If you change your mind, you can bring everything back until %(day)s:",
                day=_day(closure.erase_after),
            ),
            link,
            gettext(
                "After that date your information is deleted, except the records your clinic must "
                "keep by law, which stay locked."
            ),
            gettext(
                "If you didn't ask for this, open the link above and then change your password."
            ),
        ]
        subject = gettext("Your Groundwork account is closed")
    text = "\n\n".join(paragraphs) + "\n"
    return mailer.send(mailer.build(to=client.email, subject=subject, text=text))


def tell_everyone(closed: Closed, client: User) -> bool:
    """The therapists in plain words; the client with their restore link. True if the client's
    email went out (the page then says to look for it)."""
    for therapist in closed.therapists:
        tell_therapist(therapist, client, closed.closure)
    return tell_client(client, closed.closure)
