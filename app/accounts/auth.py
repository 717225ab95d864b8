"""Logging in and out, password resets and TOTP two-factor."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, select

from app import clock, mailer
from app.accounts import sessions, throttle, two_factor
from app.accounts.models import AuthSession, PasswordReset, Role, User
from app.accounts.security import (
    hash_password,
    needs_rehash,
    new_token,
    token_hash,
    verify_password,
)
from app.audit import service as audit
from app.config import get_settings
from app.errors import Conflict, NotFound, Unprocessable
from app.i18n import N_, gettext, ngettext, use_language
from app.web_security import Principal

# One message whatever went wrong, so nobody can learn which accounts exist.
BAD_LOGIN = N_("That email and password do not match. Check them and try again.")


class LoginFailed(Exception):
    def __init__(self, message: str = BAD_LOGIN) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class LoginResult:
    issued: sessions.IssuedSession
    user: User

    @property
    def needs_second_factor(self) -> bool:
        return self.issued.record.mfa_pending


def login(
    session: Session,
    *,
    email: str,
    password: str,
    ip: str,
    user_agent: str,
    previous_session_id: uuid.UUID | None = None,
) -> LoginResult:
    """Check the password (throttled) and start a new session. Raises LoginFailed or TooManyRequests."""
    email = email.strip().lower()
    throttle.check(session, email=email, ip=ip)
    user = session.exec(select(User).where(User.email == email)).first()
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        throttle.record_failure(session, email=email, ip=ip)
        audit.add(
            session,
            actor=user,
            action="auth.login_failed",
            detail="unknown account" if user is None else "",
        )
        session.commit()
        raise LoginFailed()
    assert user.password_hash is not None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        session.add(user)
    if previous_session_id is not None:
        sessions.revoke(session, previous_session_id)
    throttle.clear_account(session, email=email)
    issued = sessions.create(
        session, user=user, user_agent=user_agent, ip_address=ip, mfa_pending=user.totp_enabled
    )
    audit.add(
        session, actor=user, action="auth.login" if not user.totp_enabled else "auth.password_ok"
    )
    session.commit()
    return LoginResult(issued=issued, user=user)


def start_session(session: Session, *, user: User, ip: str, user_agent: str) -> LoginResult:
    """Log in someone who just proved themselves another way (a confirmed sign-up link)."""
    issued = sessions.create(session, user=user, user_agent=user_agent, ip_address=ip)
    audit.add(session, actor=user, action="auth.login")
    session.commit()
    return LoginResult(issued=issued, user=user)


def verify_second_factor(
    session: Session, *, auth: AuthSession, user: User, code: str, ip: str, user_agent: str
) -> sessions.IssuedSession:
    """Swap the half-open session for a full one (a new token) once the second factor checks out:
    a TOTP code not used before, or one of the person's unused recovery codes."""
    throttle.check(session, email=user.email or str(user.id), ip=ip)
    recovery = two_factor.looks_like_recovery_code(code)
    if recovery:
        ok = two_factor.use_recovery_code(session, user=user, code=code)
    else:
        ok = user.totp_enabled and two_factor.accept_code(session, user=user, code=code)
    if not ok:
        throttle.record_failure(session, email=user.email or str(user.id), ip=ip)
        audit.add(session, actor=user, action="auth.totp_failed")
        session.commit()
        raise LoginFailed(
            N_(
                "That code did not match, or was already used. Check the time on your phone, "
                "wait for the next code and try again."
            )
        )
    sessions.revoke(session, auth.id)
    issued = sessions.create(session, user=user, user_agent=user_agent, ip_address=ip)
    if recovery:
        audit.add(session, actor=user, action="auth.recovery_code_used")
    audit.add(session, actor=user, action="auth.login")
    session.commit()
    if recovery:
        left = two_factor.recovery_codes_left(session, user.id)
        with use_language(user.language):
            _security_notice(
                user,
                gettext("A recovery code was used to log in"),
                ngettext(
                    "Someone logged in to your Groundwork account with one of your recovery "
                    "codes. You have %(num)s left; you can make new ones under Settings, "
                    "Two-step login.",
                    "Someone logged in to your Groundwork account with one of your recovery "
                    "codes. You have %(num)s left; you can make new ones under Settings, "
                    "Two-step login.",
                    left,
                ),
            )
    return issued


def logout(session: Session, *, principal: Principal) -> None:
    sessions.revoke(session, principal.session.id)
    audit.add(session, actor=principal.user, action="auth.logout")
    session.commit()


def logout_other_devices(session: Session, *, principal: Principal) -> int:
    count = sessions.revoke_all(session, user_id=principal.id, except_id=principal.session.id)
    audit.add(
        session, actor=principal.user, action="auth.logout_others", detail=f"{count} sessions"
    )
    session.commit()
    return count


def request_password_reset(session: Session, *, email: str, ip: str) -> str | None:
    """Always looks the same to the person asking; sends a link only if the account exists.

    Returns the link only in development when it could not be emailed, for the page to show (the
    demo has no mail server); it is never logged, because logs outlive the link's hour."""
    email = email.strip().lower()
    throttle.check(session, email="reset:" + email, ip=ip)
    throttle.record_failure(session, email="reset:" + email, ip=ip)  # counts requests, too
    user = session.exec(select(User).where(User.email == email)).first()
    token: str | None = None
    if user is not None and user.is_active and user.password_hash is not None:
        token = new_token()
        minutes = get_settings().reset_link_minutes
        session.add(
            PasswordReset(
                user_id=user.id,
                token_hash=token_hash(token),
                expires_at=clock.now() + timedelta(minutes=minutes),
            )
        )
        audit.add(session, actor=user, action="auth.reset_requested")
    session.commit()
    if user is None or token is None:
        return None
    link = f"{get_settings().base_url}/reset/{token}"
    sent = _send_reset(user, link)
    return link if not sent and get_settings().environment == "development" else None


def _send_reset(user: User, link: str) -> bool:
    """In the person's own language (their setting)."""
    minutes = get_settings().reset_link_minutes
    assert user.email is not None
    with use_language(user.language):
        text = ngettext(
            "Hello %(name)s,\n\nSomeone (hopefully you) asked to reset your Groundwork "
            "password. Open this link within %(num)s minute to choose a new one:\n\n"
            "%(link)s\n\nIf you did not ask, you can ignore this email: your password stays "
            "the same.\n",
            "Hello %(name)s,\n\nSomeone (hopefully you) asked to reset your Groundwork "
            "password. Open this link within %(num)s minutes to choose a new one:\n\n"
            "%(link)s\n\nIf you did not ask, you can ignore this email: your password stays "
            "the same.\n",
            minutes,
            name=user.preferred_name,
            link=link,
        )
        message = mailer.build(
            to=user.email,
            subject=gettext("Reset your Groundwork password"),
            text=text,
            language=user.language,
        )
    return mailer.send(message)


def find_reset(session: Session, token: str) -> PasswordReset:
    reset = session.exec(
        select(PasswordReset).where(PasswordReset.token_hash == token_hash(token))
    ).first()
    if reset is None or reset.used_at is not None or reset.expires_at <= clock.now():
        raise NotFound(
            N_("This reset link has expired or was already used. You can ask for a new one.")
        )
    return reset


def complete_password_reset(session: Session, *, reset: PasswordReset, password: str) -> User:
    user = session.get(User, reset.user_id)
    if user is None:
        raise NotFound()
    user.password_hash = hash_password(password)
    reset.used_at = clock.now()
    session.add_all([user, reset])
    sessions.revoke_all(session, user_id=user.id)
    audit.add(session, actor=user, action="auth.password_change", detail="reset by email")
    session.commit()
    return user


def start_totp(session: Session, *, principal: Principal) -> str:
    """Create (but do not yet enable) a secret, stored sealed; the plain one is returned to show once.
    It is enabled when a code proves the app has it. Refused while it is on: starting again would
    switch it off without the password and code that turning it off asks for."""
    if principal.user.totp_enabled:
        raise Conflict(
            N_(
                "Two-step login is already on. To move it to a new phone, turn it off below "
                "(you'll need a code or a recovery code), then set it up again."
            )
        )
    secret, sealed = two_factor.new_secret()
    principal.user.totp_secret = sealed
    principal.user.totp_enabled = False
    principal.user.totp_last_step = None
    session.add(principal.user)
    session.commit()
    return secret


def confirm_totp(session: Session, *, principal: Principal, code: str) -> list[str]:
    """Turn two-step login on; returns the ten recovery codes, to show once."""
    user = principal.user
    if user.totp_enabled:
        raise Conflict(N_("Two-step login is already on."))
    if not two_factor.accept_code(session, user=user, code=code):
        raise Unprocessable(
            N_("That code did not match. Check the time on your phone and try again.")
        )
    user.totp_enabled = True
    session.add(user)
    codes = two_factor.new_recovery_codes(session, user=user)
    audit.add(session, actor=user, action="auth.totp_enabled")
    session.commit()
    return codes


class ReauthFailed(Exception):
    """The password or the code given to confirm a sensitive change did not match (per field)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("re-authentication failed")
        self.errors = errors


def _reauthenticate(session: Session, *, user: User, password: str, code: str, ip: str) -> None:
    """Ask again for what logging in asks, before two-step login is weakened: a stolen session
    alone must not be enough. Throttled like logins; a code (or recovery code) is spent."""
    email = user.email or str(user.id)
    throttle.check(session, email=email, ip=ip)
    errors: dict[str, str] = {}
    if not verify_password(user.password_hash, password):
        errors["current_password"] = N_("That is not your current password.")
    elif two_factor.looks_like_recovery_code(code):
        if not two_factor.use_recovery_code(session, user=user, code=code):
            errors["code"] = N_("That recovery code did not match, or was already used.")
    elif not two_factor.accept_code(session, user=user, code=code):
        errors["code"] = N_("That code did not match, or was already used. Wait for the next one.")
    if errors:
        throttle.record_failure(session, email=email, ip=ip)
        audit.add(session, actor=user, action="auth.reauth_failed")
        session.commit()
        raise ReauthFailed(errors)


def disable_totp(
    session: Session, *, principal: Principal, password: str, code: str, ip: str
) -> None:
    """Needs the password and a current code (or a recovery code). Raises ReauthFailed."""
    _reauthenticate(session, user=principal.user, password=password, code=code, ip=ip)
    two_factor.forget(session, user=principal.user)
    audit.add(session, actor=principal.user, action="auth.totp_disabled")
    session.commit()
    with use_language(principal.user.language):
        _security_notice(
            principal.user,
            gettext("Two-step login was turned off"),
            gettext(
                "Two-step login was turned off for your Groundwork account. You can turn it on "
                "again under Settings."
            ),
        )


def _security_notice(user: User, subject: str, what: str) -> None:
    """Tell the person by email when their login gets weaker or a fallback is used (ASVS 2.2.3):
    if it was not them, they find out now rather than never. Called in the person's language."""
    if not user.email:
        return
    text = gettext(
        "Hello %(name)s,\n\n%(what)s\n\nIf this was not you, reset your password now: "
        "%(link)s — and tell your clinic.\n",
        name=user.preferred_name,
        what=what,
        link=get_settings().base_url + "/forgot",
    )
    message = mailer.build(to=user.email, subject=subject, text=text, language=user.language)
    mailer.send(message)


def renew_recovery_codes(
    session: Session, *, principal: Principal, password: str, code: str, ip: str
) -> list[str]:
    """Ten new recovery codes (the old ones stop working). Raises ReauthFailed."""
    _reauthenticate(session, user=principal.user, password=password, code=code, ip=ip)
    codes = two_factor.new_recovery_codes(session, user=principal.user)
    audit.add(session, actor=principal.user, action="auth.recovery_codes_renewed")
    session.commit()
    return codes


def staff(user: User) -> bool:
    return user.role in (Role.therapist, Role.admin)
