"""Registering diet items with the reminders service (seam 4)."""

from __future__ import annotations

from sqlmodel import Session

from app.accounts.models import User
from app.i18n import gettext as _
from app.i18n import ngettext, use_language
from app.reminders import service as reminders_service
from app.sensory import diet
from app.sensory.models import SensoryDietItem
from app.sensory.words import activity_title

KIND = "sensory_diet"


def available() -> bool:
    """Reminders ship with the app; kept as a question so pages can ask it in one place."""
    return True


def sync(session: Session, *, client: User, item: SensoryDietItem) -> None:
    """Tell reminders the item's local time and days; inactive when reminders are off or it ended."""
    days = [d for d in range(7) if item.days_mask & (1 << d)]
    # The reminder is for the client: worded in their language when it is scheduled.
    with use_language(client.language):
        title = _("Time for: %(title)s", title=activity_title(item.activity_id, item.title))
        body = ngettext(
            "About %(num)s minute. Check it off on Today when you're done.",
            "About %(num)s minutes. Check it off on Today when you're done.",
            item.minutes,
        )
    reminders_service.sync_schedule(
        session=session,
        client_id=client.id,
        kind=KIND,
        source_id=item.id,
        title=title,
        body=body,
        url="/today#h-sensory",
        local_times=[item.local_time],
        rrule=diet.weekly_rrule(days),
        only_if_not_done=True,
        active=item.remind and item.ends_on is None,
    )


def remove(session: Session, *, item: SensoryDietItem) -> None:
    reminders_service.remove_schedule(session=session, kind=KIND, source_id=item.id)
