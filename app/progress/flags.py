"""Caseload flags and dashboard rows, computed from every domain's merged signals.

Each domain's signals.py reports plain numbers (last activity, adherence this and last week, distress)
and its own flags (homework overdue, reminders failing, PHQ-9 item 9). This module merges them per
client, derives the cross-domain flags (no activity, falling adherence, rising distress, high
distress), and gives every flag a reason a therapist can act on. Pure: no database, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from typing import Literal, Protocol
from uuid import UUID

from app.i18n import N_, gettext
from app.progress.lazy import lazy_gettext

Severity = Literal["info", "attention", "urgent"]
SEVERITY_RANK: dict[str, int] = {"urgent": 3, "attention": 2, "info": 1}

NO_ACTIVITY_DAYS = 3
# Adherence must fall by 20 points, over enough planned items in both weeks to mean something.
ADHERENCE_DROP = 0.20
MIN_PLANNED = 3
HIGH_DISTRESS = 8
DISTRESS_RISE_POINTS = 1.0

# Labels are catalog messages, translated where they are shown (`{{ _(f.label) }}`).
FLAG_LABELS: dict[str, str] = {
    "phq9_item9": N_("PHQ-9 item 9"),
    "measure_severe": N_("Score in highest range"),
    "measure_rise": N_("Score up 5+"),
    "no_activity": N_("No activity"),
    "falling_adherence": N_("Falling adherence"),
    "rising_distress": N_("Rising distress"),
    "high_distress": N_("Distress 8+"),
    "homework_overdue": N_("Homework overdue"),
    "reminders_failing": N_("Reminders failing"),
    "reminders_device_gone": N_("Notifications stopped"),
    "calm_still_high": N_("Still distressed after calming"),
    "routines_quiet": N_("Routines quiet"),
    "self_care.low_mood": N_("Low mood"),
    "self_care.suggestion": N_("Habit step-up waiting"),
}
# The adherence labels each domain's signals use (`LABEL` in their signals.py), shown on the
# dashboard as `{{ _(label) }}`: marked here so the catalog has them.
ADHERENCE_LABELS = (N_("Routines"), N_("Self-care habits"), N_("Sensory diet"), N_("homework"))
# Other domains' fixed reasons (their signals.py), shown as `CaseFlag.text`: marked here
# so the catalog has them. A reason with numbers in it is translated only if its domain makes it
# with `lazy_gettext` (as this module does).
OTHER_REASONS = (
    N_(
        "Phone notifications stopped reaching this client this week: their device no longer "
        "accepts them. They can turn them on again in Reminders."
    ),
    N_("No routine steps recorded last week."),
    N_("Mood logged as low on most days this week"),
    N_("A level suggestion is waiting"),
)
# Domain flags that say what a flag derived here already says: they are folded into it (one
# card per concern, filterable under one name), keeping the domain's reason only when the
# derived flag is absent.
SAME_AS_DERIVED: dict[str, str] = {"calm_high": "high_distress", "calm_rising": "rising_distress"}


class FlagLike(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def reason(self) -> str: ...
    @property
    def severity(self) -> str: ...


class AdherenceLike(Protocol):
    @property
    def planned(self) -> float: ...
    @property
    def done(self) -> float: ...
    @property
    def planned_prev(self) -> float: ...
    @property
    def done_prev(self) -> float: ...


class DistressLike(Protocol):
    @property
    def episodes(self) -> int: ...
    @property
    def episodes_prev(self) -> int: ...
    @property
    def mean_before(self) -> float | None: ...
    @property
    def mean_before_prev(self) -> float | None: ...
    @property
    def max_before(self) -> int | None: ...


class SignalsLike(Protocol):
    @property
    def last_activity_at(self) -> datetime | None: ...
    @property
    def adherence(self) -> Mapping[str, AdherenceLike]: ...
    @property
    def distress(self) -> DistressLike | None: ...
    @property
    def flags(self) -> Sequence[FlagLike]: ...


@dataclass(frozen=True, slots=True)
class CaseFlag:
    code: str
    reason: str
    severity: Severity

    @property
    def label(self) -> str:
        return FLAG_LABELS.get(self.code, self.code.replace("_", " ").capitalize())

    @property
    def text(self) -> str:
        """The reason in the language of the render: a lazy reason translates itself, a domain's
        fixed reason is looked up (`OTHER_REASONS`); anything else is shown as it came. Not
        Jinja's `_()`: that formats with `%` even without values, and a reason may hold "40%"."""
        return gettext(str(self.reason))


@dataclass(slots=True)
class Merged:
    last_activity_at: datetime | None = None
    adherence: dict[str, AdherenceLike] = field(default_factory=dict)
    distress: DistressLike | None = None
    flags: list[FlagLike] = field(default_factory=list)


def merge(parts: Iterable[Mapping[UUID, SignalsLike]]) -> dict[UUID, Merged]:
    """Fold each domain's signals into one record per client (latest activity wins)."""
    merged: dict[UUID, Merged] = {}
    for part in parts:
        for client_id, signals in part.items():
            _fold(merged.setdefault(client_id, Merged()), signals)
    return merged


def merge_one(signals: Iterable[SignalsLike | None]) -> Merged:
    """One client's signals, one per domain in domain order (None: that domain said nothing),
    folded as `merge` folds them."""
    m = Merged()
    for one in signals:
        if one is not None:
            _fold(m, one)
    return m


def latest_activity(signals: Iterable[SignalsLike | None]) -> datetime | None:
    """The latest activity any domain reports: what `merge` keeps as `last_activity_at`."""
    return max(
        (s.last_activity_at for s in signals if s is not None and s.last_activity_at),
        default=None,
    )


def _fold(m: Merged, signals: SignalsLike) -> None:
    if signals.last_activity_at and (
        m.last_activity_at is None or signals.last_activity_at > m.last_activity_at
    ):
        m.last_activity_at = signals.last_activity_at
    m.adherence.update(signals.adherence)
    if signals.distress is not None and m.distress is None:
        m.distress = signals.distress
    m.flags.extend(signals.flags)


def _rate(done: float, planned: float) -> float | None:
    return min(done, planned) / planned if planned else None


def adherence_totals(m: Merged) -> tuple[float, float, float, float]:
    """(done, planned, done_prev, planned_prev) summed over routines, habits and homework."""
    a = m.adherence.values()
    return (
        sum(x.done for x in a),
        sum(x.planned for x in a),
        sum(x.done_prev for x in a),
        sum(x.planned_prev for x in a),
    )


def time_key(last_activity_at: datetime | None, *, now: datetime) -> int | None:
    """All that a client's row takes from the time: whole days since their last activity (None if
    there was none). Two moments with the same key give the same row from the same signals, so
    `row_memo` may reuse it; whatever else of `now` a rule here starts to read must join this key."""
    return None if last_activity_at is None else (now - last_activity_at).days


def derive_flags(m: Merged, *, now: datetime) -> list[CaseFlag]:
    """Every flag for one client, most severe first, each with its reason."""
    flags: list[CaseFlag] = []
    idle_days = time_key(m.last_activity_at, now=now)
    if idle_days is None:
        flags.append(CaseFlag("no_activity", lazy_gettext("No activity recorded yet"), "attention"))
    elif idle_days >= NO_ACTIVITY_DAYS:
        reason = lazy_gettext("No activity for %(days)s days", days=idle_days)
        flags.append(CaseFlag("no_activity", reason, "attention"))
    done, planned, done_prev, planned_prev = adherence_totals(m)
    rate, rate_prev = _rate(done, planned), _rate(done_prev, planned_prev)
    if (
        rate is not None
        and rate_prev is not None
        and planned >= MIN_PLANNED
        and planned_prev >= MIN_PLANNED
        and rate_prev - rate >= ADHERENCE_DROP
    ):
        flags.append(
            CaseFlag(
                "falling_adherence",
                lazy_gettext(
                    "Adherence %(now)s this week, down from %(before)s last week",
                    now=format(rate, ".0%"),
                    before=format(rate_prev, ".0%"),
                ),
                "attention",
            )
        )
    d = m.distress
    if d is not None:
        rise = (
            d.mean_before is not None
            and d.mean_before_prev is not None
            and d.mean_before - d.mean_before_prev >= DISTRESS_RISE_POINTS
        )
        if d.episodes > d.episodes_prev and d.episodes >= 2:
            flags.append(
                CaseFlag(
                    "rising_distress",
                    lazy_gettext(
                        "%(count)s distress episodes this week, %(previous)s last week",
                        count=d.episodes,
                        previous=d.episodes_prev,
                    ),
                    "attention",
                )
            )
        elif rise and d.mean_before is not None and d.mean_before_prev is not None:
            flags.append(
                CaseFlag(
                    "rising_distress",
                    lazy_gettext(
                        "Average distress before a strategy %(now)s, up from %(before)s",
                        now=format(d.mean_before, ".1f"),
                        before=format(d.mean_before_prev, ".1f"),
                    ),
                    "attention",
                )
            )
        if d.max_before is not None and d.max_before >= HIGH_DISTRESS:
            flags.append(
                CaseFlag(
                    "high_distress",
                    lazy_gettext("Distress reached %(level)s of 10 this week", level=d.max_before),
                    "attention",
                )
            )
    seen = {f.code for f in flags}
    for f in m.flags:
        code = SAME_AS_DERIVED.get(f.code, f.code)
        if code not in seen and f.severity in SEVERITY_RANK:
            seen.add(code)
            flags.append(CaseFlag(code, f.reason, f.severity))  # type: ignore[arg-type]  # severity is one of SEVERITY_RANK's keys (checked just above)
    flags.sort(key=lambda f: -SEVERITY_RANK[f.severity])
    return flags


@dataclass(frozen=True, slots=True)
class Row:
    client_id: UUID
    name: str
    last_activity_at: datetime | None
    adherence: float | None
    adherence_prev: float | None
    by_label: dict[str, tuple[float, float]]
    episodes: int | None
    episodes_prev: int | None
    distress_trend: Literal["up", "down", "same"] | None
    flags: list[CaseFlag]

    @property
    def top_severity(self) -> int:
        return max((SEVERITY_RANK[f.severity] for f in self.flags), default=0)


def build_rows(
    clients: Sequence[tuple[UUID, str]], merged: Mapping[UUID, Merged], *, now: datetime
) -> list[Row]:
    return [
        build_row(client_id, name, merged.get(client_id, Merged()), now=now)
        for client_id, name in clients
    ]


def build_row(client_id: UUID, name: str, m: Merged, *, now: datetime) -> Row:
    """One client's dashboard row from their merged signals."""
    done, planned, done_prev, planned_prev = adherence_totals(m)
    d = m.distress
    trend: Literal["up", "down", "same"] | None = None
    if d is not None:
        trend = (
            "up"
            if d.episodes > d.episodes_prev
            else "down"
            if d.episodes < d.episodes_prev
            else "same"
        )
    return Row(
        client_id=client_id,
        name=name,
        last_activity_at=m.last_activity_at,
        adherence=_rate(done, planned),
        adherence_prev=_rate(done_prev, planned_prev),
        by_label={k: (v.done, v.planned) for k, v in sorted(m.adherence.items())},
        episodes=d.episodes if d else None,
        episodes_prev=d.episodes_prev if d else None,
        distress_trend=trend,
        flags=derive_flags(m, now=now),
    )


SortKey = Literal["flags", "name", "last_activity", "adherence", "distress"]
SORT_KEYS: tuple[str, ...] = ("flags", "name", "last_activity", "adherence", "distress")


def sort_rows(rows: Sequence[Row], key: str = "flags", *, descending: bool = False) -> list[Row]:
    """Stable sort; missing values always sink to the end. 'flags' puts the most urgent first."""

    def value(r: Row) -> tuple[int, float | str]:
        match key:
            case "name":
                return (0, r.name.casefold())
            case "last_activity":
                return (0, r.last_activity_at.timestamp()) if r.last_activity_at else (1, 0.0)
            case "adherence":
                return (0, r.adherence) if r.adherence is not None else (1, 0.0)
            case "distress":
                return (0, float(r.episodes)) if r.episodes is not None else (1, 0.0)
            case _:
                return (0, -(r.top_severity * 100 + len(r.flags)))

    present: list[tuple[tuple[float | str, str], Row]] = []
    missing: list[Row] = []
    for r in rows:  # each row's value once: a 200-client dashboard sorts on every view
        missing_value, v = value(r)
        if missing_value:
            missing.append(r)
        else:
            present.append(((v, r.name.casefold()), r))
    present.sort(key=itemgetter(0), reverse=descending)
    return [r for _, r in present] + sorted(missing, key=lambda r: r.name.casefold())


def filter_rows(
    rows: Iterable[Row],
    *,
    flag: str | None = None,
    query: str | None = None,
    flagged_only: bool = False,
) -> list[Row]:
    """Keep rows with the given flag code, a name containing the query, or any flag at all."""
    needle = (query or "").strip().casefold()
    out = []
    for r in rows:
        if flag and all(f.code != flag for f in r.flags):
            continue
        if flagged_only and not r.flags:
            continue
        if needle and needle not in r.name.casefold():
            continue
        out.append(r)
    return out
