"""Sending email over SMTP. Failures are logged and reported, never raised into a page."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from app.config import get_settings

log = logging.getLogger("groundwork.mail")


def build(
    *,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    headers: dict[str, str] | None = None,
    language: str | None = None,
) -> EmailMessage:
    """One email. Its words are the caller's, already in the recipient's language (build it
    inside `app.i18n.use_language(user.language)`); `language` labels it (Content-Language)."""
    settings = get_settings()
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    if language:  # after set_content, which replaces every Content-* header
        message["Content-Language"] = language
    if html:
        message.add_alternative(html, subtype="html")
    return message


def send(message: EmailMessage) -> bool:
    """Send one message; True when the SMTP server accepted it."""
    settings = get_settings()
    try:
        with smtplib.SMTP(
            settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds
        ) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.smtp_password)
            smtp.send_message(message)
        return True
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("email not sent: %s", type(exc).__name__)
        return False
