"""Self sign-up that does not tell which emails have accounts.

The form always answers "check your email". A new address gets a link that makes the account when
opened (so nobody can hold an address they do not read); an address that already has an account
gets a "someone tried to sign up with your email" note instead, at most one an hour. Both cases
hash the password and send one email, so they also take about as long. Sign-ups are throttled per
address (a script made 25 accounts in 5 s).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, select

from app import clock, mailer
from app.accounts import service, throttle
from app.accounts.models import PendingSignup, Role, User
from app.accounts.security import hash_password, new_token, token_hash
from app.audit import service as audit
from app.config import get_settings
from app.errors import Conflict, NotFound
from app.i18n import N_, gettext, ngettext, use_language

LINK_HOURS = 24
WAIT_MESSAGE = N_("Too many sign-ups from this network. Please wait %(wait)s and try again.")


@dataclass(frozen=True)
class Applicant:
    kind: Role
    name: str
    email: str
    password: str
    country: str
    time_zone: str
    clinic_name: str | None = None
    # The language the sign-up page was shown in: the confirmation email is written in it.
    language: str = "en"


def request(session: Session, *, ask: Applicant, ip: str) -> str | None:
    """Answer a sign-up form. Raises TooManyRequests. Returns the confirmation link only in
    development when it could not be emailed (the page shows it, as for password resets)."""
    checks = [(throttle.SIGNUP_ADDRESS, ip)]
    throttle.require(session, checks, WAIT_MESSAGE)
    throttle.record(session, checks)
    email = ask.email.strip().lower()
    password_hash = hash_password(ask.password)  # in both cases, so both take as long
    existing = session.exec(select(User).where(User.email == email)).first()
    if existing is not None:
        notice = [(throttle.SIGNUP_NOTICE, email)]
        quiet = throttle.wait_needed(session, notice) > timedelta(0)
        if not quiet:
            throttle.record(session, notice)
        audit.add(session, actor=existing, action="account.signup_existing_email")
        session.commit()
        if not quiet:
            _send_notice(existing)
        return None
    token = new_token()
    session.add(
        PendingSignup(
            token_hash=token_hash(token),
            email=email,
            kind=ask.kind.value,
            name=ask.name,
            clinic_name=ask.clinic_name,
            country=ask.country,
            time_zone=ask.time_zone,
            password_hash=password_hash,
            expires_at=clock.now() + timedelta(hours=LINK_HOURS),
        )
    )
    session.commit()
    link = f"{get_settings().base_url}/signup/confirm/{token}"
    sent = _send_confirmation(email, ask.name, link, ask.language)
    return link if not sent and get_settings().environment == "development" else None


def find(session: Session, token: str) -> PendingSignup:
    pending = session.exec(
        select(PendingSignup).where(PendingSignup.token_hash == token_hash(token))
    ).first()
    if pending is None or pending.used_at is not None or pending.expires_at <= clock.now():
        raise NotFound(
            N_("This link has expired or was already used. You can sign up again to get a new one.")
        )
    return pending


def confirm(session: Session, *, pending: PendingSignup, language: str = "en") -> User:
    """Make the account the link was for, in the language of the browser that confirmed it.
    Raises Conflict if the email got an account meanwhile."""
    pending.used_at = clock.now()
    session.add(pending)
    if service.email_taken(session, pending.email):
        session.commit()
        raise Conflict(N_("This email already has an account. Log in, or reset the password."))
    if pending.kind == Role.therapist.value:
        return service.signup_therapist(
            session,
            clinic_name=pending.clinic_name or pending.name,
            name=pending.name,
            email=pending.email,
            password_hash=pending.password_hash,
            country=pending.country,
            time_zone=pending.time_zone,
            language=language,
        )
    return service.signup_client(
        session,
        name=pending.name,
        email=pending.email,
        password_hash=pending.password_hash,
        country=pending.country,
        time_zone=pending.time_zone,
        language=language,
    )


def prune(session: Session) -> int:
    """Forget sign-ups whose link has expired (they hold a password hash nobody can use). Commits."""
    result = session.execute(
        delete(PendingSignup).where(col(PendingSignup.expires_at) < clock.now())
    )
    session.commit()
    return int(getattr(result, "rowcount", 0) or 0)


def _send_confirmation(email: str, name: str, link: str, language: str = "en") -> bool:
    with use_language(language):
        text = ngettext(
            "Hello %(name)s,\n\nThanks for signing up to Groundwork. Open this link within "
            "%(num)s hour to finish setting up your account:\n\n%(link)s\n\n"
            "If you did not sign up, you can ignore this email: no account is made without it.\n",
            "Hello %(name)s,\n\nThanks for signing up to Groundwork. Open this link within "
            "%(num)s hours to finish setting up your account:\n\n%(link)s\n\n"
            "If you did not sign up, you can ignore this email: no account is made without it.\n",
            LINK_HOURS,
            name=name,
            link=link,
        )
        message = mailer.build(
            to=email,
            subject=gettext("Finish setting up Groundwork"),
            text=text,
            language=language,
        )
    return mailer.send(message)


def _send_notice(user: User) -> bool:
    base = get_settings().base_url
    assert user.email is not None
    with use_language(user.language):  # the account holder's own language
        text = gettext(
            "Hello %(name)s,\n\nSomeone (perhaps you) tried to sign up to Groundwork "
            "with this email address. You already have an account, so nothing was changed.\n\n"
            "To log in: %(base)s/login\nForgotten your password? %(base)s/forgot\n\n"
            "If it was not you, you do not need to do anything: your account is safe.\n",
            name=user.preferred_name,
            base=base,
        )
        message = mailer.build(
            to=user.email,
            subject=gettext("Someone tried to sign up with your email"),
            text=text,
            language=user.language,
        )
    return mailer.send(message)
