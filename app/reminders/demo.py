"""Demo history for reminders: two weeks of inbox entries and quiet hours for the demo clients."""

from __future__ import annotations

from datetime import time, timedelta
from zoneinfo import ZoneInfo

from app.demo import DemoContext
from app.i18n import N_
from app.reminders.models import ItemStatus, ReminderItem, ReminderPreference
from app.reminders.planner import local_to_utc

DAILY = [
    (
        "routine",
        time(8),
        N_("Morning routine"),
        N_("Your morning steps are ready when you are."),
        "/today",
    ),
    (
        "mood_log",
        time(20),
        N_("How was today?"),
        N_("A quick check-in on mood, energy and sleep."),
        "/today",
    ),
]


def seed(ctx: DemoContext) -> None:
    for n, client in enumerate(ctx.clients):
        zone = ZoneInfo(client.time_zone)
        today = ctx.today_for(client)
        ctx.session.add(
            ReminderPreference(
                client_id=client.id,
                quiet_start="22:00" if n % 2 == 0 else None,
                quiet_end="07:30" if n % 2 == 0 else None,
                updated_at=ctx.now,
            )
        )
        for back in range(14, 0, -1):
            day = today - timedelta(days=back)
            for kind, wall, title, body, url in DAILY:
                due = local_to_utc(day, wall, zone)
                roll = ctx.rng.random()
                status, note = ItemStatus.sent, N_("In the app (no device or email set up)")
                if roll < 0.07:
                    status, note = (
                        ItemStatus.missed,
                        N_("Not sent: the app was not running at the time"),
                    )
                ctx.session.add(
                    ReminderItem(
                        client_id=client.id,
                        kind=kind,
                        source_id=client.id,
                        occurrence_key=f"demo:{kind}:{day}",
                        local_day=day,
                        title=title,
                        body=body,
                        url=url,
                        planned_at=due,
                        due_at=due,
                        status=status,
                        delivery_note=note,
                        finished_at=due,
                        read_at=due + timedelta(hours=1),
                        acknowledged_at=due + timedelta(minutes=20) if roll > 0.45 else None,
                    )
                )
    ctx.session.flush()
