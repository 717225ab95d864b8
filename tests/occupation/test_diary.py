"""Diary totals: occupational balance and which activities lift mood (pure: no database)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from app.occupation import diary


@dataclass
class E:
    done_on: date
    block: str
    category: str
    activity: str = ""
    pleasure: int | None = None
    mastery: int | None = None


D = date(2026, 11, 16)


def test_balance_counts_blocks_per_kind_in_a_fixed_order_with_shares() -> None:
    rows = diary.balance(
        [
            E(D, "morning", "self_care"),
            E(D, "afternoon", "productive"),
            E(D, "evening", "rest"),
            E(D, "night", "rest"),
        ]
    )
    assert [(r.category, r.blocks, r.share) for r in rows] == [
        ("self_care", 1, 0.25),
        ("productive", 1, 0.25),
        ("leisure", 0, 0.0),
        ("rest", 2, 0.5),
    ]


def test_an_empty_week_has_zero_shares_not_an_error() -> None:
    assert all(r.blocks == 0 and r.share == 0 for r in diary.balance([]))


def test_mood_lift_ranks_activities_by_mean_pleasure_ignoring_case() -> None:
    rows = diary.mood_lift(
        [
            E(D, "morning", "leisure", "Walk", pleasure=8, mastery=5),
            E(D, "evening", "leisure", "walk", pleasure=6, mastery=7),
            E(D, "afternoon", "productive", "Emails", pleasure=2, mastery=8),
            E(D, "night", "rest", "", pleasure=9),
            E(D.replace(day=17), "morning", "self_care", "Shower"),  # no pleasure: not counted
        ]
    )
    assert [(r.activity, r.times, r.pleasure, r.mastery) for r in rows] == [
        ("Rest", 1, 9.0, None),
        ("Walk", 2, 7.0, 6.0),
        ("Emails", 1, 2.0, 8.0),
    ]


@pytest.mark.parametrize(
    ("hour", "block"),
    [
        (5, "morning"),
        (11, "morning"),
        (12, "afternoon"),
        (17, "evening"),
        (21, "evening"),
        (22, "night"),
        (2, "night"),
    ],
)
def test_hours_fall_in_parts_of_the_day(hour: int, block: str) -> None:
    assert diary.block_of_hour(hour) == block


def test_a_week_is_seven_days_from_its_start() -> None:
    days = diary.week_days(D)
    assert (len(days), days[0], days[-1]) == (7, D, date(2026, 11, 22))
