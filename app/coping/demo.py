"""Demo history for Calm: two weeks of distress episodes, toolboxes, plans, a clinic crisis line.

Rows are added directly (no service commits): the demo seeder commits once for every domain.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from app.accounts.models import User
from app.coping.catalog import builtin_by_id
from app.coping.models import (
    ClinicCrisisLine,
    DistressEpisode,
    Plan,
    PlanVersion,
    StrategyStats,
    ToolboxEntry,
)
from app.coping.plans import SAFETY_SECTIONS, WELLNESS_SECTIONS
from app.demo import CLIENTS, DemoContext

# Per demo client: (recommended with note, favourites, hidden, {strategy: typical drop}).
PROFILES: list[tuple[dict[str, str], list[str], list[str], dict[str, float]]] = [
    (
        {
            "long-out-breath": "When it gets strong, start with slow out-breaths. One minute is enough.",
            "five-four-three-two-one": "Good on the bus: nobody can tell you're doing it.",
        },
        ["listen-to-music", "hand-massage"],
        ["count-backwards"],
        {
            "long-out-breath": 3.5,
            "five-four-three-two-one": 2.5,
            "listen-to-music": 2.0,
            "tipp-cold-water": 4.0,
            "write-it-down": 1.0,
        },
    ),
    (
        {"wall-push": "Heavy work before meetings helps you, as we found in session."},
        ["squeeze-a-ball"],
        ["body-scan"],
        {"wall-push": 3.0, "squeeze-a-ball": 2.5, "box-breathing": 1.0, "short-walk": 2.5},
    ),
    (
        {"paced-breathing": "Breathe out longer than in."},
        ["call-someone", "stroke-a-pet"],
        [],
        {"paced-breathing": 2.0, "call-someone": 3.0, "stroke-a-pet": 2.5, "colour-hunt": 1.5},
    ),
    (
        {"feet-on-the-floor": "For when you feel far away from yourself."},
        ["sour-sweet"],
        ["safe-place-imagery"],
        {"feet-on-the-floor": 2.5, "sour-sweet": 3.5, "five-four-three-two-one": 2.0},
    ),
]

SAFETY_SAM = {
    "warning_signs": "Not sleeping. Staying in my room. Thinking nobody would notice if I was gone.",
    "coping_alone": "Cold water on my face. Slow out-breaths. Music with headphones on.",
    "distractions": "The library on Mill Street. My sister's kitchen.",
    "ask_for_help": "Jo (sister) 07700 900123. Sam B. from football 07700 900456.",
    "professionals": "Ruth (OT), weekdays. My GP surgery 01632 960 001. Samaritans 116 123.",
    "safe_surroundings": "Jo keeps my spare medication. I leave the car keys with her on bad days.",
    "reasons_for_living": "My niece Lily. Finishing the bike I'm building. The dog.",
}
WELLNESS_SAM = {
    "when_well": "Chatty, up early, out on the bike at weekends.",
    "daily": "Breakfast, a walk, one message to someone, bed by eleven.",
    "triggers": "Money letters: open them with Jo. Arguments at work: take a break outside.",
    "early_signs": "Skipping meals, not answering my phone. Then: tell Ruth, use my toolbox daily.",
    "breaking_down": "Not leaving my room. Jo will call the crisis team; I will use my safety plan.",
}


def seed(ctx: DemoContext) -> None:
    session, rng = ctx.session, ctx.rng
    titles = {k: v["title"] for k, v in builtin_by_id().items()}
    for i, client in enumerate(ctx.clients):
        recommended, favourites, hidden, drops = PROFILES[i % len(PROFILES)]
        therapist = ctx.therapists[CLIENTS[i][4] if i < len(CLIENTS) else 0]
        for key, note in recommended.items():
            session.add(
                ToolboxEntry(
                    client_id=client.id,
                    strategy_key=key,
                    recommended=True,
                    note=note,
                    recommended_by_id=therapist.id,
                )
            )
        for key in favourites:
            session.add(ToolboxEntry(client_id=client.id, strategy_key=key, favourite=True))
        for key in hidden:
            session.add(ToolboxEntry(client_id=client.id, strategy_key=key, hidden=True))
        stats: dict[str, StrategyStats] = {}
        for day in range(14, 0, -1):
            for _ in range(rng.choice((0, 1, 1, 2))):
                key = rng.choice(list(drops))
                before = rng.randint(4, 9)
                after = max(0, min(10, before - round(rng.gauss(drops[key], 1.2))))
                at = ctx.now - timedelta(
                    days=day, hours=rng.randint(0, 12), minutes=rng.randint(0, 59)
                )
                session.add(
                    DistressEpisode(
                        id=uuid.uuid4(),
                        client_id=client.id,
                        strategy_key=key,
                        strategy_title=titles[key],
                        before=before,
                        after=after,
                        seconds=rng.randint(60, 600),
                        place=rng.choice(("home", "public", None)),
                        started_at=at,
                        created_at=at,
                    )
                )
                s = stats.setdefault(key, StrategyStats(client_id=client.id, strategy_key=key))
                s.uses += 1
                s.helped += int(after < before)
                s.sum_before += before
                s.sum_after += after
                s.last_used_at = at
        session.add_all(stats.values())
        if i < 2:
            _plan(ctx, client, therapist, "safety", SAFETY_SAM, [s.key for s in SAFETY_SECTIONS])
        if i == 0:
            _plan(
                ctx, client, therapist, "wellness", WELLNESS_SAM, [s.key for s in WELLNESS_SECTIONS]
            )
    session.add(
        ClinicCrisisLine(
            organisation_id=ctx.clinic.id,
            name="Riverside crisis team",
            description="Our local mental-health crisis team, 24 hours.",
            phone="01632 960 000",
            created_by_id=ctx.admin.id,
        )
    )


def _plan(
    ctx: DemoContext,
    client: User,
    therapist: User,
    kind: str,
    text: dict[str, str],
    keys: list[str],
) -> None:
    """Version 1 written with the therapist in session; version 2 the client's own later edit."""
    first = {k: text[k] for k in keys[:4]} | dict.fromkeys(keys[4:], "")
    plan = Plan(
        client_id=client.id,
        kind=kind,
        sections=text,
        version=2,
        updated_at=ctx.now - timedelta(days=3),
        updated_by_id=client.id,
    )
    ctx.session.add(plan)
    ctx.session.flush()
    ctx.session.add(
        PlanVersion(
            plan_id=plan.id,
            version=1,
            sections=first,
            created_at=ctx.now - timedelta(days=10),
            created_by_id=therapist.id,
        )
    )
    ctx.session.add(
        PlanVersion(
            plan_id=plan.id,
            version=2,
            sections=text,
            created_at=ctx.now - timedelta(days=3),
            created_by_id=client.id,
        )
    )
