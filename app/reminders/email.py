"""Email channel: plain text + HTML over SMTP, with a one-click unsubscribe per reminder kind.

RFC 8058 one-click unsubscribe: ``List-Unsubscribe`` carries an https URL and
``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` tells the mail client it may POST to it
without showing a page. The URL holds a signed token (client id + kind), so it works without a
login and cannot be forged to switch off someone else's reminders.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import smtplib
import ssl
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from html import escape
from uuid import UUID

from app.i18n import current_language, gettext, use_language

_KIND_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz_")
log = logging.getLogger("groundwork.reminders")
# A connection idle longer than this is checked with NOOP before use: relays drop idle sessions.
_IDLE_CHECK = 5.0


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str
    port: int
    from_addr: str
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 10.0  # per SMTP command: a stuck relay fails one message, not the batch
    connections: int = 4  # parallel connections per process, each reused for many messages


@dataclass(frozen=True, slots=True)
class EmailReminder:
    to_addr: str
    subject: str
    title: str
    body: str
    open_url: str
    unsubscribe_url: str
    kind_label: str
    language: str = "en"  # the client's: the words around the reminder are in it


class EmailError(Exception):
    """Sending failed; ``permanent`` says whether retrying can help (5xx reply vs network/4xx)."""

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


def _sig(secret: bytes, client_id: UUID, kind: str) -> str:
    mac = hmac.new(secret, f"unsubscribe:{client_id}:{kind}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()[:18]).decode()


def unsubscribe_token(secret: bytes, client_id: UUID, kind: str) -> str:
    """A URL-safe token that switches off email for one kind of reminder for one client."""
    return f"{client_id.hex}.{kind}.{_sig(secret, client_id, kind)}"


def read_unsubscribe_token(secret: bytes, token: str) -> tuple[UUID, str] | None:
    """(client_id, kind) for a genuine token, else None (never raises on junk input)."""
    parts = token.split(".")
    if len(parts) != 3 or len(token) > 200:
        return None
    raw_id, kind, sig = parts
    if not kind or not set(kind) <= _KIND_CHARS:
        return None
    try:
        client_id = UUID(hex=raw_id)
    except ValueError:
        return None
    if not hmac.compare_digest(sig, _sig(secret, client_id, kind)):
        return None
    return client_id, kind


def build_message(reminder: EmailReminder, from_addr: str) -> EmailMessage:
    """The MIME message: text/plain first, text/html alternative, unsubscribe headers."""
    msg = EmailMessage()
    msg["From"] = from_addr
    msg["To"] = reminder.to_addr
    msg["Subject"] = reminder.subject
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = make_msgid(domain=from_addr.rpartition("@")[2] or None)
    msg["List-Unsubscribe"] = f"<{reminder.unsubscribe_url}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["Auto-Submitted"] = "auto-generated"
    with use_language(reminder.language):
        lang = current_language()
        open_it = gettext("Open it")
        why = gettext(
            "You get this because email reminders for %(kind)s are on.", kind=reminder.kind_label
        )
        stop = gettext("Stop emails for %(kind)s", kind=reminder.kind_label)
    text = (
        f"{reminder.title}\n\n{reminder.body}\n\n{open_it}: {reminder.open_url}\n\n"
        f"{why}\n{stop}: {reminder.unsubscribe_url}\n"
    )
    msg.set_content(text)
    html = f"""<!doctype html>
<html lang="{lang}"><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1f2933">
<h1 style="font-size:1.25rem">{escape(reminder.title)}</h1>
<p>{escape(reminder.body)}</p>
<p><a href="{escape(reminder.open_url)}" style="display:inline-block;padding:12px 18px;background:#2f5d50;color:#fff;border-radius:8px;text-decoration:none">{escape(open_it)}</a></p>
<p style="font-size:.875rem;color:#52606d">{escape(why)}
<a href="{escape(reminder.unsubscribe_url)}">{escape(stop)}</a>.</p>
</body></html>"""
    msg.add_alternative(html, subtype="html")
    return msg


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    try:
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.username and settings.password:
            smtp.login(settings.username, settings.password)
    except BaseException:
        smtp.close()
        raise
    return smtp


def _deliver(smtp: smtplib.SMTP, msg: EmailMessage) -> None:
    """One message on an open connection, SMTP errors turned into EmailError."""
    try:
        smtp.send_message(msg)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        raise EmailError(
            f"recipient refused: {codes}", permanent=all(c >= 500 for c in codes)
        ) from exc
    except smtplib.SMTPResponseException as exc:
        raise EmailError(f"SMTP {exc.smtp_code}", permanent=exc.smtp_code >= 500) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise EmailError(f"{type(exc).__name__}: {exc}", permanent=False) from exc


def send(settings: SmtpSettings, reminder: EmailReminder) -> str:
    """Send one reminder on a connection of its own; returns the Message-ID. Raises EmailError."""
    msg = build_message(reminder, settings.from_addr)
    try:
        smtp = _connect(settings)
    except (smtplib.SMTPException, OSError) as exc:
        raise EmailError(f"{type(exc).__name__}: {exc}", permanent=False) from exc
    with smtp:
        _deliver(smtp, msg)
    return str(msg["Message-ID"])


@dataclass(eq=False)
class _Conn:
    smtp: smtplib.SMTP
    used_at: float


class EmailSender:
    """Sends reminders over ``settings.connections`` SMTP connections, each reused for many
    messages (one TCP + TLS + login per connection, not per message).

    Why parallel: a relay answering each message after ~1 s would need 400 s for 400 emails on one
    connection; four connections per process (and two processes sharing the backlog) bring that
    under a minute. A connection that failed mid-message is closed and never reused (its state is
    unknown); a message is never retried on another connection here (the relay may have taken it),
    the dispatcher's retry schedule decides.
    """

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._size = max(1, settings.connections)
        self._pool = ThreadPoolExecutor(self._size, thread_name_prefix="smtp")
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: set[_Conn] = set()
        self.connects = 0

    def _take(self) -> _Conn:
        conn: _Conn | None = getattr(self._local, "conn", None)
        if conn is not None and time.monotonic() - conn.used_at > _IDLE_CHECK:
            try:
                conn.smtp.noop()
            except (smtplib.SMTPException, OSError):
                self._drop(conn)
                conn = None
        if conn is None:
            try:
                conn = _Conn(_connect(self.settings), time.monotonic())
            except (smtplib.SMTPException, OSError) as exc:
                raise EmailError(f"{type(exc).__name__}: {exc}", permanent=False) from exc
            self._local.conn = conn
            with self._lock:
                self._open.add(conn)
                self.connects += 1
        return conn

    def _drop(self, conn: _Conn) -> None:
        self._local.conn = None
        with self._lock:
            self._open.discard(conn)
        conn.smtp.close()

    def send(self, reminder: EmailReminder) -> str:
        """Send one reminder on this thread's connection; returns the Message-ID."""
        msg = build_message(reminder, self.settings.from_addr)
        conn = self._take()
        try:
            _deliver(conn.smtp, msg)
        except EmailError as exc:
            if exc.permanent and isinstance(exc.__cause__, smtplib.SMTPRecipientsRefused):
                conn.used_at = time.monotonic()  # smtplib reset the transaction: still usable
            else:
                self._drop(conn)
            raise
        conn.used_at = time.monotonic()
        return str(msg["Message-ID"])

    def submit(
        self, reminder: EmailReminder, should_send: Callable[[], bool] = lambda: True
    ) -> Future[str | None]:
        """Queue one reminder; the future gives its Message-ID, None when ``should_send`` said
        no at the moment a connection was free (the claim was lost), or raises EmailError."""

        def task() -> str | None:
            return self.send(reminder) if should_send() else None

        return self._pool.submit(task)

    def send_many(self, reminders: Sequence[EmailReminder]) -> list[str | EmailError]:
        """Send all, ``connections`` at a time; Message-IDs or errors in the input order."""
        results: list[str | EmailError] = []
        for future in [self.submit(r) for r in reminders]:
            try:
                results.append(future.result() or "")
            except EmailError as exc:
                results.append(exc)
        return results

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        with self._lock:
            conns, self._open = list(self._open), set()
        for conn in conns:
            try:
                conn.smtp.quit()
            except (smtplib.SMTPException, OSError):
                conn.smtp.close()

    def __enter__(self) -> EmailSender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
