"""The digest email: a plain-text part and an HTML part from web/templates/digest/email.*.

Its own Jinja environment so the text part is not HTML-escaped (a name like "Anne-Marie & Jo"
must read the same in both parts), while the HTML part is.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from jinja2 import Environment, select_autoescape

from app import i18n, mailer
from app.config import get_settings
from app.digest.items import Item, grouped
from app.templates import env as app_env

_env = Environment(
    loader=app_env.loader,
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    extensions=["jinja2.ext.i18n"],
)
_env.policies["ext.i18n.trimmed"] = True
# The recipient's language: the sender renders inside `i18n.use_language(their language)`.
_env.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
    gettext=lambda message: i18n.translations(i18n.current_language()).ugettext(message),
    ngettext=lambda singular, plural, n: i18n.translations(i18n.current_language()).ungettext(
        singular, plural, n
    ),
    newstyle=True,
)
_env.globals["current_language"] = i18n.current_language
# babel.cfg extracts *.html only: the plain-text part's own lines are marked here for the catalog.
TEXT_PART_WORDS = (
    i18n.N_("Hello %(name)s,"),
    i18n.N_("Log in to read the details and reply: %(url)s"),
    i18n.N_("Digest settings: %(url)s"),
    i18n.N_("Stop these emails: %(url)s"),
)


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    excerpts: bool


def subject(count: int) -> str:
    # No names or details in the subject: it shows on lock screens and in notification previews.
    return i18n.ngettext(
        "Groundwork: %(num)s homework update", "Groundwork: %(num)s homework updates", count
    )


def build_message(
    recipient: Recipient, items: list[Item], *, count: int, base_url: str, unsubscribe_url: str
) -> EmailMessage:
    """`count` is the number of notices (one "done" that says "I'm stuck" is two items)."""
    context = {
        "therapist_name": recipient.name,
        "count": count,
        "sections": grouped(items),
        "excerpts": recipient.excerpts,
        "login_url": f"{base_url}/login?next=/dashboard",
        "settings_url": f"{base_url}/settings/digest",
        "unsubscribe_url": unsubscribe_url,
    }
    text = _env.get_template("digest/email.txt").render(context)
    html = _env.get_template("digest/email.html").render(context)
    sender = get_settings().mail_from
    message = mailer.build(
        to=recipient.email,
        subject=subject(count),
        text=text,
        html=html,
        headers={
            "Date": formatdate(usegmt=True),
            "Message-ID": make_msgid(domain=sender.rpartition("@")[2].rstrip(">") or None),
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    return message
