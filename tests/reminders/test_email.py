"""Email reminders over SMTP to a local aiosmtpd server, with one-click unsubscribe."""

import time
from collections.abc import Iterator
from uuid import uuid4

import pytest

from app.reminders import email
from app.reminders.email import EmailError, EmailReminder, SmtpSettings

from .smtp_server import Inbox, free_port, slow_smtp_server, smtp_server

SECRET = b"test-secret-for-unsubscribe-links"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, SmtpSettings]]:
    with smtp_server() as (inbox, port):
        yield (
            inbox,
            SmtpSettings(host="127.0.0.1", port=port, from_addr="reminders@groundwork.example"),
        )


def reminder(to: str = "sam@example.org") -> EmailReminder:
    return EmailReminder(
        to_addr=to,
        subject="Reminder: Morning routine",
        title="Morning routine",
        body="Time for your first step: <open the curtains>",
        open_url="https://app.example/routines/1",
        unsubscribe_url="https://app.example/reminders/unsubscribe/tok",
        kind_label="routines",
    )


def test_email_has_text_html_and_one_click_unsubscribe(smtp: tuple[Inbox, SmtpSettings]) -> None:
    inbox, settings = smtp
    message_id = email.send(settings, reminder())
    [received] = inbox.messages
    assert received["Message-ID"] == message_id
    assert received["List-Unsubscribe"] == "<https://app.example/reminders/unsubscribe/tok>"
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    plain, rich = received.get_body(("plain",)), received.get_body(("html",))
    assert plain is not None
    assert rich is not None
    text, html = plain.get_content(), rich.get_content()
    assert "Time for your first step: <open the curtains>" in text
    assert "https://app.example/reminders/unsubscribe/tok" in text
    assert "&lt;open the curtains&gt;" in html
    assert 'href="https://app.example/routines/1"' in html


def test_refused_recipient_is_a_permanent_failure(smtp: tuple[Inbox, SmtpSettings]) -> None:
    inbox, settings = smtp
    inbox.refuse["gone@example.org"] = 550
    with pytest.raises(EmailError) as caught:
        email.send(settings, reminder("gone@example.org"))
    assert caught.value.permanent


def test_temporary_refusal_and_unreachable_server_are_retryable(
    smtp: tuple[Inbox, SmtpSettings],
) -> None:
    inbox, settings = smtp
    inbox.refuse["busy@example.org"] = 451
    with pytest.raises(EmailError) as caught:
        email.send(settings, reminder("busy@example.org"))
    assert not caught.value.permanent
    down = SmtpSettings(
        host="127.0.0.1", port=free_port(), from_addr="r@groundwork.example", timeout=2
    )
    with pytest.raises(EmailError) as caught:
        email.send(down, reminder())
    assert not caught.value.permanent


def test_unsubscribe_token_round_trips_and_rejects_forgery() -> None:
    client_id = uuid4()
    token = email.unsubscribe_token(SECRET, client_id, "routine")
    assert email.read_unsubscribe_token(SECRET, token) == (client_id, "routine")
    forged = token.replace(".routine.", ".habit.")
    assert email.read_unsubscribe_token(SECRET, forged) is None
    assert email.read_unsubscribe_token(b"other-secret", token) is None
    for junk in ["", "a.b.c", "x" * 300, f"{client_id.hex}.Routine!.sig", "not-a-token"]:
        assert email.read_unsubscribe_token(SECRET, junk) is None


def test_reminder_emails_share_a_few_reused_connections() -> None:
    with slow_smtp_server(delay=0) as (inbox, port):
        settings = SmtpSettings("127.0.0.1", port, "reminders@groundwork.example", connections=2)
        inbox.refuse["gone@example.org"] = 550
        addresses = [f"client{k}@example.org" for k in range(9)] + ["gone@example.org"]
        with email.EmailSender(settings) as sender:
            results = sender.send_many([reminder(to) for to in addresses])
            connects = sender.connects
    sent = [r for r in results if isinstance(r, str)]
    [refused] = [r for r in results if isinstance(r, EmailError)]
    assert len(sent) == 9
    assert refused.permanent
    assert sorted(str(m["To"]) for m in inbox.messages) == sorted(addresses[:9])
    assert connects == inbox.sessions == 2  # one per connection, kept after a refused recipient


def test_a_relay_that_stops_answering_fails_one_message_after_the_timeout() -> None:
    with slow_smtp_server(delay=5) as (_inbox, port):
        settings = SmtpSettings(
            "127.0.0.1", port, "reminders@groundwork.example", timeout=0.5, connections=1
        )
        with email.EmailSender(settings) as sender:
            started = time.monotonic()
            [result] = sender.send_many([reminder()])
            waited = time.monotonic() - started
    assert isinstance(result, EmailError)
    assert not result.permanent  # retried later by the dispatcher's schedule
    assert waited < 3
