"""Demo seed: a sensory profile, kit, calm corner and two weeks of sensory diet for each demo client."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from app.demo import DemoContext
from app.sensory import diet
from app.sensory.diet_service import days_of, mask_of
from app.sensory.models import (
    SensoryDietCheckoff,
    SensoryDietItem,
    SensoryKit,
    SensoryProfileVersion,
)

WEEKDAYS = (0, 1, 2, 3, 4)
EVERY_DAY = tuple(range(7))

# Per demo client (in app.demo.CLIENTS order): answers, ticked lists, kit, corner, diet plan.
PLANS: list[dict[str, Any]] = [
    {
        "responses": {
            "proprioceptive": "seek",
            "vestibular": "seek",
            "auditory": "avoid",
            "visual": "overwhelmed",
            "tactile": "neutral",
            "olfactory": "neutral",
        },
        "triggers": ["crowds", "bright_light", "loud_sudden_noise"],
        "calming": ["deep_pressure", "rocking", "quiet"],
        "alerting": ["cold_water", "fast_movement"],
        "kit": ["weighted_blanket", "noise_cancelling_headphones", "fidget", "cold_pack"],
        "corner": ["weighted_blanket", "rocking_chair", "eye_mask"],
        "location": "The armchair in my bedroom, curtains half closed",
        "diet": [
            ("carry_laundry", time(8), WEEKDAYS, 0.8),
            ("rocking_chair", time(15), EVERY_DAY, 0.7),
            ("weighted_blanket_rest", time(21, 30), EVERY_DAY, 0.85),
        ],
    },
    {
        "responses": {
            "gustatory": "seek",
            "tactile": "seek",
            "auditory": "neutral",
            "vestibular": "avoid",
            "interoceptive": "avoid",
        },
        "triggers": ["motion", "hunger_tiredness"],
        "calming": ["chewing", "soft_textures", "warm_drink"],
        "alerting": ["sour_taste", "crunchy_food", "upbeat_music"],
        "kit": ["chewing_gum", "sour_sweets", "stress_ball", "soft_blanket", "music_player"],
        "corner": ["soft_blanket", "music_player"],
        "location": "Sofa corner in the living room",
        "diet": [
            ("sour_sweet", time(10, 30), WEEKDAYS, 0.6),
            ("squeeze_ball", time(13), EVERY_DAY, 0.5),
            ("calming_music", time(20), EVERY_DAY, 0.75),
        ],
    },
    {
        "responses": {
            "vestibular": "seek",
            "proprioceptive": "seek",
            "olfactory": "overwhelmed",
            "visual": "neutral",
        },
        "triggers": ["strong_smells", "clutter"],
        "calming": ["heavy_work", "slow_breathing"],
        "alerting": ["fast_movement", "bright_light_on"],
        "kit": ["exercise_ball", "resistance_band", "headphones"],
        "corner": ["exercise_ball"],
        "location": "Spare room by the window",
        "diet": [
            ("brisk_walk", time(7, 30), EVERY_DAY, 0.65),
            ("resistance_band_pulls", time(16), WEEKDAYS, 0.55),
        ],
    },
    {
        "responses": {
            "auditory": "overwhelmed",
            "tactile": "avoid",
            "proprioceptive": "seek",
            "visual": "avoid",
            "gustatory": "neutral",
            "interoceptive": "neutral",
        },
        "triggers": ["background_chatter", "unexpected_touch", "textures"],
        "calming": ["deep_pressure", "dim_light", "quiet"],
        "alerting": ["stretching"],
        "kit": ["weighted_lap_pad", "earplugs", "sunglasses", "eye_mask"],
        "corner": ["weighted_lap_pad", "eye_mask", "earplugs"],
        "location": "Bed with the lamp on low",
        "diet": [
            ("wall_pushes", time(9), WEEKDAYS, 0.7),
            ("quiet_break", time(14), EVERY_DAY, 0.6),
            ("weighted_lap_pad", time(19), EVERY_DAY, 0.8),
        ],
    },
]


def _felt(rng: Any, effect: str) -> tuple[str | None, str]:
    """A plausible before/after: calming items are usually done when wound up, alerting when flat."""
    start = "too_high" if effect == "calming" else "too_low"
    before = start if rng.random() < 0.75 else "just_right"
    after = "just_right" if rng.random() < 0.7 else before
    return (before if rng.random() < 0.8 else None), after


def seed(ctx: DemoContext) -> None:
    from app.sensory.catalog import activities

    lib = activities()
    therapist_for = {
        c.id: ctx.therapists[i % len(ctx.therapists)] for i, c in enumerate(ctx.clients)
    }
    for client, plan in zip(ctx.clients, PLANS, strict=False):
        today = ctx.today_for(client)
        tz = ZoneInfo(client.time_zone)
        start = today - timedelta(days=14)
        ctx.session.add(
            SensoryProfileVersion(
                client_id=client.id,
                version=1,
                responses=plan["responses"],
                triggers=plan["triggers"],
                calming=plan["calming"],
                alerting=plan["alerting"],
                created_by_id=therapist_for[client.id].id,
                created_at=diet.local_instant(start, time(11), tz),
            )
        )
        ctx.session.add(
            SensoryKit(
                client_id=client.id,
                items=sorted(set(plan["kit"]) | set(plan["corner"])),
                corner_items=plan["corner"],
                corner_location=plan["location"],
                updated_by_id=client.id,
                updated_at=diet.local_instant(start, time(12), tz),
            )
        )
        items = []
        for activity_id, at, days, chance in plan["diet"]:
            a = lib[activity_id]
            item = SensoryDietItem(
                client_id=client.id,
                activity_id=activity_id,
                title=a.title,
                local_time=at,
                days_mask=mask_of(days),
                minutes=a.minutes,
                effect=a.effect,
                course=a.course,
                starts_on=start,
                created_by_id=therapist_for[client.id].id,
                created_at=diet.local_instant(start, time(11), tz),
                updated_at=diet.local_instant(start, time(11), tz),
            )
            ctx.session.add(item)
            items.append((item, chance))
        ctx.session.flush()
        for day in diet.days_in(start, today - timedelta(days=1)):
            for item, chance in items:
                if day.weekday() not in days_of(item.days_mask):
                    continue
                if ctx.rng.random() > chance:
                    continue
                before, after = _felt(ctx.rng, item.effect)
                done_at = diet.local_instant(day, item.local_time, tz) + timedelta(
                    minutes=item.minutes
                )
                ctx.session.add(
                    SensoryDietCheckoff(
                        item_id=item.id,
                        client_id=client.id,
                        done_on=day,
                        felt_before=before,
                        felt_after=after,
                        created_by_id=client.id,
                        created_at=done_at,
                    )
                )
    ctx.session.flush()
