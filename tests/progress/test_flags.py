"""Caseload flags with reasons, merged from several domains; sorting and filtering rows."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from app.progress.flags import (
    FLAG_LABELS,
    SAME_AS_DERIVED,
    Row,
    build_rows,
    derive_flags,
    filter_rows,
    merge,
    sort_rows,
)

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


@dataclass(frozen=True)
class Ad:
    planned: int
    done: int
    planned_prev: int
    done_prev: int


@dataclass(frozen=True)
class Dist:
    episodes: int
    episodes_prev: int
    mean_before: float | None
    mean_before_prev: float | None
    max_before: int | None


@dataclass(frozen=True)
class Fl:
    code: str
    reason: str
    severity: str


@dataclass(frozen=True)
class Sig:
    last_activity_at: datetime | None = None
    adherence: Mapping[str, Ad] = field(default_factory=dict)
    distress: Dist | None = None
    flags: Sequence[Fl] = ()


def _flags(*parts: Sig) -> dict[str, str]:
    cid = uuid4()
    merged = merge([{cid: p} for p in parts])
    return {f.code: f.reason for f in derive_flags(merged[cid], now=NOW)}


def test_quiet_client_has_no_flags() -> None:
    assert _flags(Sig(NOW - timedelta(hours=5), {"routines": Ad(5, 4, 7, 6)})) == {}


def test_no_activity_for_three_days() -> None:
    assert _flags(Sig(NOW - timedelta(days=3, hours=1))) == {
        "no_activity": "No activity for 3 days"
    }
    assert _flags(Sig(NOW - timedelta(days=2, hours=23))) == {}


def test_never_active_is_flagged() -> None:
    assert _flags(Sig(None)) == {"no_activity": "No activity recorded yet"}


def test_latest_activity_across_domains_wins() -> None:
    assert _flags(Sig(NOW - timedelta(days=6)), Sig(NOW - timedelta(hours=1))) == {}


def test_falling_adherence_sums_every_domain() -> None:
    flags = _flags(Sig(NOW, {"routines": Ad(4, 1, 5, 5)}), Sig(NOW, {"habits": Ad(4, 2, 5, 3)}))
    assert flags == {"falling_adherence": "Adherence 38% this week, down from 80% last week"}


def test_small_adherence_drop_or_too_few_planned_is_not_flagged() -> None:
    assert _flags(Sig(NOW, {"routines": Ad(10, 7, 10, 8)})) == {}
    assert _flags(Sig(NOW, {"routines": Ad(2, 0, 7, 7)})) == {}


def test_rising_distress_by_episodes() -> None:
    flags = _flags(Sig(NOW, distress=Dist(4, 1, 6.0, 6.0, 7)))
    assert flags == {"rising_distress": "4 distress episodes this week, 1 last week"}


def test_rising_distress_by_mean_before() -> None:
    flags = _flags(Sig(NOW, distress=Dist(2, 2, 7.0, 5.5, 7)))
    assert flags == {"rising_distress": "Average distress before a strategy 7.0, up from 5.5"}


def test_episode_at_eight_or_more() -> None:
    assert _flags(Sig(NOW, distress=Dist(1, 1, 8.0, 8.0, 8))) == {
        "high_distress": "Distress reached 8 of 10 this week"
    }
    assert _flags(Sig(NOW, distress=Dist(1, 1, 7.0, 7.0, 7))) == {}


def test_domain_flags_pass_through_most_severe_first() -> None:
    cid = uuid4()
    merged = merge(
        [
            {cid: Sig(NOW, flags=[Fl("homework_overdue", "1 homework overdue", "attention")])},
            {cid: Sig(NOW, flags=[Fl("reminders_failing", "Push stopped", "info")])},
            {cid: Sig(NOW, flags=[Fl("phq9_item9", "PHQ-9 item 9 answered 2", "urgent")])},
        ]
    )
    flags = derive_flags(merged[cid], now=NOW)
    assert [f.code for f in flags] == ["phq9_item9", "homework_overdue", "reminders_failing"]
    assert flags[0].label == "PHQ-9 item 9"


def test_duplicate_domain_flags_are_shown_once() -> None:
    flag = Fl("homework_overdue", "x", "attention")
    assert list(_flags(Sig(NOW, flags=[flag]), Sig(NOW, flags=[flag]))) == ["homework_overdue"]


def test_calm_flags_fold_into_the_derived_distress_flags() -> None:
    """Calm's own "distress 8+" and "rising" say what the derived flags say: one card each."""
    calm = [
        Fl("calm_high", "Distress reached 9 this week", "attention"),
        Fl("calm_rising", "Distress is rising: 5.0 → 7.0", "attention"),
    ]
    both = _flags(Sig(NOW, distress=Dist(3, 1, 7.0, 5.0, 9), flags=calm))
    assert both == {
        "rising_distress": "3 distress episodes this week, 1 last week",
        "high_distress": "Distress reached 9 of 10 this week",
    }
    # Calm's rise rule can fire where the derived one does not: it is kept, under the shared name.
    only_calm = _flags(Sig(NOW, distress=Dist(2, 2, 7.0, 6.5, 7), flags=calm[1:]))
    assert only_calm == {"rising_distress": "Distress is rising: 5.0 → 7.0"}


def test_every_domain_flag_has_a_plain_label() -> None:
    """No code like "self_care.low_mood" ever reaches a therapist's screen."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "app"
    codes: set[str] = set()
    for path in root.glob("*/*.py"):
        text = path.read_text()
        codes |= set(re.findall(r'Flag\(\s*(?:code=)?"([a-z0-9_.]+)"', text))
    assert {"phq9_item9", "self_care.low_mood", "calm_still_high"} <= codes
    unlabelled = {c for c in codes if c not in FLAG_LABELS and c not in SAME_AS_DERIVED}
    assert unlabelled == set()


def _rows() -> list[Row]:
    ids: list[UUID] = [uuid4() for _ in range(4)]
    parts = [
        {
            ids[0]: Sig(NOW - timedelta(days=5), {"routines": Ad(4, 1, 4, 4)}),
            ids[1]: Sig(NOW, {"routines": Ad(4, 4, 4, 4)}, Dist(3, 1, 6, 6, 9)),
            ids[2]: Sig(
                NOW - timedelta(hours=3),
                {"habits": Ad(2, 1, 2, 2)},
                flags=[Fl("phq9_item9", "PHQ-9 item 9 answered 1", "urgent")],
            ),
        }
    ]
    clients = [(ids[0], "Bea"), (ids[1], "alex"), (ids[2], "Cam"), (ids[3], "Dee")]
    return build_rows(clients, merge(parts), now=NOW)


def test_rows_carry_adherence_and_trend() -> None:
    rows = {r.name: r for r in _rows()}
    assert rows["Bea"].adherence == 0.25
    assert rows["Bea"].adherence_prev == 1.0
    assert rows["alex"].distress_trend == "up"
    assert rows["alex"].episodes == 3
    assert rows["Dee"].adherence is None
    assert rows["Dee"].last_activity_at is None


@pytest.mark.parametrize(
    ("key", "descending", "expected"),
    [
        ("flags", False, ["Cam", "alex", "Bea", "Dee"]),
        ("name", False, ["alex", "Bea", "Cam", "Dee"]),
        ("name", True, ["Dee", "Cam", "Bea", "alex"]),
        ("last_activity", False, ["Bea", "Cam", "alex", "Dee"]),
        ("last_activity", True, ["alex", "Cam", "Bea", "Dee"]),
        ("adherence", False, ["Bea", "Cam", "alex", "Dee"]),
        ("distress", True, ["alex", "Bea", "Cam", "Dee"]),
    ],
)
def test_sorting(key: str, descending: bool, expected: list[str]) -> None:
    assert [r.name for r in sort_rows(_rows(), key, descending=descending)] == expected


def test_filtering_by_flag_name_and_flagged() -> None:
    rows = _rows()
    assert [r.name for r in filter_rows(rows, flag="phq9_item9")] == ["Cam"]
    assert [r.name for r in filter_rows(rows, query="AL")] == ["alex"]
    assert {r.name for r in filter_rows(rows, flagged_only=True)} == {"Bea", "alex", "Cam", "Dee"}
    assert filter_rows(rows, flag="no_activity", query="bea")[0].name == "Bea"
