"""Occupation bench data and scenarios: the client's activity diary (page and one-tap write) and
the therapist's care-plan review page.

The bench therapist's 60 clients get a profile, three rated activities with three rounds of
ratings and a diary running over the last four weeks (every part of most days); the bench client's
diary week is running today. Other clients with a therapist get a profile and one round.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from typing import Any

from app.occupation import diary
from app.occupation.models import (
    ActivityRating,
    DiaryEntry,
    DiaryWeek,
    OccupationProfile,
    RatedActivity,
    RatingRound,
)
from bench.harness import BenchData, ClientRef, Scenario

KINDS = [key for key, _label, _hint in diary.CATEGORIES]
TITLES = ["Cooking a meal", "Taking the bus", "Paying bills"]


def populate(data: BenchData) -> None:
    caseload = {c.id for c in data.caseload_clients()}
    profiles: list[dict[str, Any]] = []
    activities: list[dict[str, Any]] = []
    rounds: list[dict[str, Any]] = []
    ratings: list[dict[str, Any]] = []
    weeks: list[dict[str, Any]] = []
    created = datetime.combine(data.today - timedelta(days=60), time(10), tzinfo=UTC)
    for client in data.clients:
        if client.therapist_id is None:
            continue
        rich = client.id in caseload
        profiles.append(
            {
                "id": data.uuid(),
                "client_id": client.id,
                "version": 1,
                "roles": data.words(4),
                "typical_day": data.words(12),
                "what_matters": data.words(8),
                "strengths": data.words(6),
                "supports": data.words(5),
                "environment": data.words(6),
                "hopes": data.words(8),
                "author_id": client.id,
                "created_at": created,
            }
        )
        acts = [
            {
                "id": data.uuid(),
                "client_id": client.id,
                "title": t,
                "created_at": created,
                "archived_at": None,
            }
            for t in TITLES
        ]
        activities.extend(acts)
        for weeks_ago in (8, 4, 0) if rich else (4,):
            rid = data.uuid()
            at = datetime.combine(data.today - timedelta(weeks=weeks_ago), time(11), tzinfo=UTC)
            rounds.append(
                {
                    "id": rid,
                    "client_id": client.id,
                    "rated_on": at.date(),
                    "version": 1,
                    "updated_by_id": client.therapist_id,
                    "created_at": at,
                    "updated_at": at,
                }
            )
            for a in acts:
                ratings.append(
                    {
                        "id": data.uuid(),
                        "round_id": rid,
                        "activity_id": a["id"],
                        "client_id": client.id,
                        "importance": data.rng.randint(6, 10),
                        "performance": data.rng.randint(2, 8),
                        "satisfaction": data.rng.randint(2, 8),
                    }
                )
        if rich:
            for weeks_ago in (3, 2, 1, 0):
                weeks.append(
                    {
                        "id": data.uuid(),
                        "client_id": client.id,
                        "starts_on": data.today - timedelta(days=7 * weeks_ago + 2),
                        "created_by_id": client.therapist_id,
                        "created_at": created,
                    }
                )
    data.insert(OccupationProfile, profiles)
    data.insert(RatedActivity, activities)
    data.insert(RatingRound, rounds)
    data.insert(ActivityRating, ratings)
    data.insert(DiaryWeek, weeks)
    data.insert(DiaryEntry, _entries(data, [c for c in data.clients if c.id in caseload]))


def _entries(data: BenchData, clients: list[ClientRef]) -> Iterator[dict[str, Any]]:
    """Four weeks of diary up to yesterday, most parts of most days filled in."""
    for client in clients:
        for day in data.days(data.today - timedelta(days=30)):
            if day >= data.today:
                continue
            for block, _label in diary.BLOCKS:
                if data.rng.random() < 0.8:
                    yield {
                        "id": data.uuid(),
                        "client_id": client.id,
                        "done_on": day,
                        "block": block,
                        "category": data.rng.choice(KINDS),
                        "activity": data.rng.choice(
                            ["Walk", "TV", "Cooking", "Emails", "Shower", "Reading", "Nap"]
                        ),
                        "pleasure": data.rng.randint(0, 10),
                        "mastery": data.rng.randint(0, 10),
                        "updated_at": datetime.combine(day, time(21), tzinfo=UTC),
                    }


SCENARIOS = [
    Scenario(
        name="client activity diary",
        path="/occupation/diary",
        as_user="client",
        min_throughput_ratio=0.08,
        max_p50_multiple=20,
        note="The running diary week: the 7 x 4 grid, occupational balance and what lifts mood.",
    ),
    Scenario(
        name="client taps a diary block",
        path="/api/v1/occupation/diary",
        method="POST",
        body={"id": "{{uuid}}", "done_on": "{today}", "block": "morning", "category": "rest"},
        as_user="client",
        expect_status=201,
        min_throughput_ratio=0.08,
        max_p50_multiple=20,
        note="One tap on Today: a fresh id each time, so the morning block is replaced, not replayed.",
    ),
    Scenario(
        name="therapist care-plan review",
        path="/caseload/{bench_client_id}/occupation/review",
        as_user="therapist",
        min_throughput_ratio=0.03,
        max_p50_multiple=40,
        note="GAS ratings, three rounds of activity ratings, PHQ-9/GAD-7 and every domain's "
        "adherence side by side; the read is audit-logged.",
    ),
]
