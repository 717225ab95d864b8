"""Calm under load: the ranked list for a client with 2,000 episodes (target ≥ 0.3× the trivial
endpoint at 32 connections), the flow page, storing an episode, and the therapist's view.

The ranked list reads per-strategy summaries kept current on write (coping_strategy_stats), never
the 2,000 episode rows, so populate() writes both, as the service would have.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any
from uuid import uuid4

from app.coping.catalog import builtin_views
from app.coping.models import DistressEpisode, StrategyStats, ToolboxEntry
from bench.harness import BenchData, Scenario

BENCH_EPISODES = 2000


def populate(data: BenchData) -> None:
    views = [v for v in builtin_views() if v["kind"] != "thinking"]
    caseload = {c.id for c in data.caseload_clients()}
    stats: dict[tuple[Any, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])

    def episodes() -> Any:
        for client in data.clients:
            if client.id == data.bench_client.id:
                n, span = BENCH_EPISODES, 364
            elif client.id in caseload:
                n, span = 60, 364
            else:
                n, span = 6, 28
            favourites = data.rng.sample(views, 8)
            for _ in range(n):
                view = data.rng.choice(favourites)
                before = data.rng.randint(3, 10)
                after = max(0, before - data.rng.randint(-1, 5))
                at = data.now - timedelta(days=data.rng.uniform(0, span))
                s = stats[(client.id, view["id"])]
                s[0] += 1
                s[1] += int(after < before)
                s[2] += before
                s[3] += after
                yield {
                    "id": uuid4(),
                    "client_id": client.id,
                    "strategy_key": view["id"],
                    "strategy_title": view["title"],
                    "before": before,
                    "after": after,
                    "seconds": data.rng.randint(60, 600),
                    "place": None,
                    "minutes_available": None,
                    "started_at": at,
                    "created_at": at,
                }

    data.insert(DistressEpisode, episodes())
    data.insert(
        StrategyStats,
        (
            {
                "client_id": cid,
                "strategy_key": key,
                "uses": s[0],
                "helped": s[1],
                "sum_before": s[2],
                "sum_after": s[3],
                "last_used_at": data.now,
            }
            for (cid, key), s in stats.items()
        ),
    )
    bench = data.bench_client.id
    data.insert(
        ToolboxEntry,
        [
            {
                "id": uuid4(),
                "client_id": bench,
                "strategy_key": "box-breathing",
                "favourite": True,
                "hidden": False,
                "recommended": False,
                "note": "",
                "recommended_by_id": None,
                "updated_at": data.now,
            },
            {
                "id": uuid4(),
                "client_id": bench,
                "strategy_key": "wall-push",
                "favourite": False,
                "hidden": False,
                "recommended": True,
                "note": data.words(8),
                "recommended_by_id": data.bench_therapist.id,
                "updated_at": data.now,
            },
            {
                "id": uuid4(),
                "client_id": bench,
                "strategy_key": "count-backwards",
                "favourite": False,
                "hidden": True,
                "recommended": False,
                "note": "",
                "recommended_by_id": None,
                "updated_at": data.now,
            },
        ],
    )
    data.values["bench_client_id"] = str(bench)


SCENARIOS = [
    Scenario(
        name="ranked calm strategies (API), client with 2,000 episodes",
        path="/api/v1/calm/suggestions?level=8&place=home&minutes=5",
        as_user="client",
        min_throughput_ratio=0.3,
        max_p50_multiple=5,
    ),
    Scenario(
        name="calm flow page",
        path="/calm",
        as_user="client",
        min_throughput_ratio=0.2,
        max_p50_multiple=8,
    ),
    Scenario(
        name="ranked calm strategies (API), in Spanish",
        path="/api/v1/calm/suggestions?level=8&place=home&minutes=5",
        as_user="client",
        language="es",
        min_throughput_ratio=0.3,
        max_p50_multiple=5,
        note="The same list with Spanish chosen: the goal is within 10% of English.",
    ),
    Scenario(
        name="calm flow page, in Spanish",
        path="/calm",
        as_user="client",
        language="es",
        min_throughput_ratio=0.2,
        max_p50_multiple=8,
        note="The page carries the scripts' Spanish strings: the goal is within 10% of English.",
    ),
    Scenario(
        name="store a distress episode",
        method="POST",
        path="/api/v1/calm/episodes",
        body={
            "id": "{{uuid}}",
            "strategy_key": "box-breathing",
            "before": 8,
            "after": 4,
            "seconds": 90,
            "started_at": "{now}",
        },
        as_user="client",
        expect_status=201,
        note="started_at is the run's start, within the window an episode may be recorded in",
    ),
    Scenario(
        name="therapist's calm view of a client",
        path="/caseload/{bench_client_id}/calm",
        as_user="therapist",
        min_throughput_ratio=0.05,
    ),
]
