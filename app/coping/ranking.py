"""Rank calming strategies for one person, right now. Pure, deterministic, fast.

Inputs are plain values (no database): the candidate strategies, the situation (distress level,
place, minutes available), the client's per-strategy usage summaries, their toolbox and their sensory
fit. The same rules are ported to web/static/coping/ranking.js for offline use; keep the two in step
(tests/coping/test_ranking_js.py runs both on the same cases).

Scoring, in points of expected distress drop so the parts are comparable:
- expected drop: the client's own mean drop shrunk toward the library prior while they have few uses
  (empirical-Bayes style: (n * own + K * prior) / (n + K)), so one lucky or unlucky try does not
  dominate, but a steady record does;
- therapist recommended, favourite: fixed bonuses;
- sensory fit: sought senses up, avoided senses down, overwhelmed senses never shown;
- kit: needing something the client has not got counts against (only once they have filled in their
  kit, and never for a strategy that has already helped them); time: longer than available too;
- strong distress: strategies made for it get a nudge at levels 7 and above;
- variety: a small jitter from a hash of (seed, id) — seeded by client and day — and a penalty for
  repeating a kind, so the list is not always identical nor five breathing exercises.
Hard rules: hidden never appear; thinking-only strategies never at high distress; the level must be in
the strategy's range; the place must be one where it can be done.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from app.coping.library import Strategy
from app.coping.vocabulary import HIGH_DISTRESS
from app.i18n import DEFAULT_LANGUAGE, N_, ngettext, use_language
from app.i18n import gettext as _

SHRINK_K = 3.0  # pseudo-uses given to the prior
DEFAULT_PRIOR_DROP = 2.0  # library-wide mean drop when no better figure is known
W_RECOMMENDED = 4.0  # above the largest sum of other bonuses, so a suggestion leads until own history says otherwise
W_FAVOURITE = 1.5
W_SEEK = 0.75  # per sought sense, at most two
W_AVOID = 1.5  # per avoided sense
W_MISSING_KIT = 2.0
W_HAS_KIT = 0.5
W_TOO_LONG = 3.0
W_STRONG = 0.75
STRONG_MIN = 5  # a strategy whose range starts here or higher is "made for strong distress"
VARIETY = 0.6
SAME_KIND = 0.75
ENOUGH_USES = 2  # own history is quoted in the reason from this many uses

# Message ids, the same as web/static/coping/ranking.js says them (translated where worded).
SENSE_WORDS = {
    "visual": N_("sight"),
    "auditory": N_("sound"),
    "tactile": N_("touch"),
    "proprioceptive": N_("pressure and muscle work"),
    "vestibular": N_("movement"),
    "olfactory": N_("smell"),
    "gustatory": N_("taste"),
    "interoceptive": N_("breathing"),
}


@dataclass(frozen=True, slots=True)
class Candidate:
    id: str
    kind: str
    systems: frozenset[str]
    minutes: int
    level_min: int
    level_max: int
    places: frozenset[str]
    needs: frozenset[str] = frozenset()
    prior_drop: float | None = None
    # `systems` in the strategy's own order, main channel first: a reason names the first sought
    # one, so "Spend time with a pet" is never said to use "pressure and muscle work".
    channels: tuple[str, ...] = ()

    @classmethod
    def from_strategy(cls, s: Strategy, prior_drop: float | None = None) -> Candidate:
        return cls(
            id=s.id,
            kind=s.kind,
            systems=frozenset(s.systems),
            minutes=s.minutes,
            level_min=s.distress.min,
            level_max=s.distress.max,
            places=frozenset(s.places),
            needs=frozenset(s.needs),
            prior_drop=prior_drop,
            channels=tuple(s.systems),
        )


@dataclass(frozen=True, slots=True)
class Usage:
    """One client's summary for one strategy (kept current on write)."""

    uses: int
    mean_drop: float
    helped: int = 0  # uses where distress went down


@dataclass(frozen=True, slots=True)
class Toolbox:
    favourites: frozenset[str] = frozenset()
    hidden: frozenset[str] = frozenset()
    recommended: frozenset[str] = frozenset()


class FitLike(Protocol):
    """Seam 6's SensoryFit shape (app/sensory/vocabulary.py); any object with these fields."""

    @property
    def seeks(self) -> frozenset[str]: ...
    @property
    def avoids(self) -> frozenset[str]: ...
    @property
    def overwhelmed(self) -> frozenset[str]: ...
    @property
    def kit(self) -> frozenset[str]: ...


@dataclass(frozen=True, slots=True)
class Fit:
    """A plain FitLike, for tests and for callers without the sensory domain."""

    seeks: frozenset[str] = frozenset()
    avoids: frozenset[str] = frozenset()
    overwhelmed: frozenset[str] = frozenset()
    kit: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Situation:
    level: int
    place: str | None = None
    minutes: int | None = None


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a strategy is on the list, as data: `say()` words it in the reader's language with the
    messages web/static/coping/ranking.js uses, so a memoised ranking serves every language."""

    key: str
    n: int = 0
    drop: float = 0.0
    sense: str = ""


@dataclass(frozen=True, slots=True)
class Ranked:
    id: str
    score: float
    expected_drop: float
    reason: str
    reasons: tuple[str, ...] = field(default=())
    why: tuple[Reason, ...] = field(default=())


def fnv1a(text: str) -> int:
    """32-bit FNV-1a: a tiny hash that JavaScript reproduces exactly (Python's hash() is salted)."""
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


@lru_cache(maxsize=65536)
def jitter(seed: str, strategy_id: str) -> float:
    """Cached: a client's seed is stable for a day, so repeat requests skip the hashing."""
    return VARIETY * (fnv1a(f"{seed}|{strategy_id}") / 0xFFFFFFFF)


def shrunk_drop(uses: int, mean_drop: float, prior: float, k: float = SHRINK_K) -> float:
    return (uses * mean_drop + k * prior) / (uses + k)


def eligible(c: Candidate, s: Situation, toolbox: Toolbox, fit: FitLike | None) -> bool:
    if c.id in toolbox.hidden:
        return False
    if s.level >= HIGH_DISTRESS and c.kind == "thinking":
        return False
    if not c.level_min <= s.level <= c.level_max:
        return False
    if s.place is not None and s.place not in c.places:
        return False
    return not (fit is not None and c.systems & fit.overwhelmed)


def _points(drop: float) -> str:
    # floor(x + 0.5), not round(): JavaScript's Math.round does the same, Python's round() does not.
    n = max(1, math.floor(drop + 0.5))
    return ngettext("about %(num)s point", "about %(num)s points", n)


def _times(n: int) -> str:
    if n == 1:
        return _("once")
    if n == 2:
        return _("twice")
    return ngettext("%(num)s time", "%(num)s times", n)


def _score(
    c: Candidate,
    s: Situation,
    usage: Usage | None,
    toolbox: Toolbox,
    fit: FitLike | None,
    prior: float,
) -> tuple[float, float]:
    """Score before variety, and the expected drop. Numbers only: reasons are worded later, for
    the few strategies that are shown."""
    base = c.prior_drop if c.prior_drop is not None else prior
    expected = shrunk_drop(usage.uses, usage.mean_drop, base) if usage and usage.uses > 0 else base
    score = expected
    if c.id in toolbox.recommended:
        score += W_RECOMMENDED
    if c.id in toolbox.favourites:
        score += W_FAVOURITE
    if fit is not None:
        sought = len(c.systems & fit.seeks)
        score += W_SEEK * min(2, sought) - W_AVOID * len(c.systems & fit.avoids)
        if c.needs:
            score += _kit_points(c, usage, fit)
    if s.level >= HIGH_DISTRESS and c.level_min >= STRONG_MIN:
        score += W_STRONG
    if s.minutes is not None and c.minutes > s.minutes:
        score -= W_TOO_LONG
    return score, expected


def _kit_points(c: Candidate, usage: Usage | None, fit: FitLike) -> float:
    """Having the kit counts for; lacking it counts against only when the client has filled in
    their kit (an empty kit is "not told yet") and the strategy has not already helped them (then
    they evidently have the thing): a steady record must not drop out of the list for a form."""
    if c.needs <= fit.kit:
        return W_HAS_KIT
    if not fit.kit or (usage is not None and usage.helped > 0):
        return 0.0
    return -W_MISSING_KIT


def _reasons(
    c: Candidate, s: Situation, usage: Usage | None, toolbox: Toolbox, fit: FitLike | None
) -> tuple[Reason, ...]:
    """Why this strategy is on the list, most personal first."""
    reasons: list[Reason] = []
    if c.id in toolbox.recommended:
        reasons.append(Reason("recommended"))
    helped = bool(
        usage and usage.uses >= ENOUGH_USES and usage.helped > 0 and usage.mean_drop >= 0.5
    )
    if usage and helped:
        reasons.append(Reason("helped", n=usage.helped, drop=usage.mean_drop))
    if c.id in toolbox.favourites:
        reasons.append(Reason("favourite"))
    if fit is not None:
        sought = [x for x in (c.channels or sorted(c.systems)) if x in fit.seeks]
        if sought:
            reasons.append(Reason("sense", sense=sought[0]))
        if c.needs and c.needs <= fit.kit:
            reasons.append(Reason("kit"))
    if s.level >= HIGH_DISTRESS and c.level_min >= STRONG_MIN:
        reasons.append(Reason("strong"))
    if usage and usage.uses > 0 and not helped:
        reasons.append(Reason("tried", n=usage.uses))
    reasons.append(Reason("duration", n=c.minutes))
    return tuple(reasons)


def say(reason: Reason) -> str:
    """A reason in the current language (app.i18n.use_language)."""
    match reason.key:
        case "recommended":
            return _("Your therapist suggested this")
        case "helped":
            return _(
                "Helped you %(times)s, %(points)s on average",
                times=_times(reason.n),
                points=_points(reason.drop),
            )
        case "favourite":
            return _("One of your favourites")
        case "sense":
            return _("Uses %(sense)s, which suits you", sense=_(SENSE_WORDS[reason.sense]))
        case "kit":
            return _("Uses something from your kit")
        case "strong":
            return _("Good for strong distress")
        case "tried":
            return _("You have tried this %(times)s", times=_times(reason.n))
        case _:
            return ngettext("Takes about %(num)s minute", "Takes about %(num)s minutes", reason.n)


def _in_english(why: tuple[Reason, ...]) -> tuple[str, ...]:
    with use_language(DEFAULT_LANGUAGE):
        return tuple(say(r) for r in why)


def rank(
    candidates: Iterable[Candidate],
    situation: Situation,
    *,
    usage: Mapping[str, Usage] | None = None,
    toolbox: Toolbox | None = None,
    fit: FitLike | None = None,
    seed: str = "",
    prior: float = DEFAULT_PRIOR_DROP,
    limit: int = 5,
) -> list[Ranked]:
    """The best `limit` strategies for this situation, best first, each with a plain reason.

    With no usage, toolbox or fit (a logged-out person) only the level and context count.
    """
    usage = usage or {}
    box = toolbox or Toolbox()
    pool: list[tuple[float, Candidate, float]] = []
    for c in candidates:
        if not eligible(c, situation, box, fit):
            continue
        score, expected = _score(c, situation, usage.get(c.id), box, fit, prior)
        pool.append((score + jitter(seed, c.id), c, expected))
    return [
        Ranked(c.id, score, expected, reasons[0], reasons, why)
        for c, score, expected in _pick(pool, limit)
        for why in [_reasons(c, situation, usage.get(c.id), box, fit)]
        for reasons in [_in_english(why)]
    ]


def _pick(
    pool: Sequence[tuple[float, Candidate, float]], limit: int
) -> list[tuple[Candidate, float, float]]:
    """Greedy selection: after each pick, others of the same kind lose SAME_KIND points."""
    remaining = list(pool)
    kinds: dict[str, int] = {}
    chosen: list[tuple[Candidate, float, float]] = []
    while remaining and len(chosen) < limit:
        best_i = 0
        best_key: tuple[float, str] | None = None
        for i, (score, c, _expected) in enumerate(remaining):
            key = (score - SAME_KIND * kinds.get(c.kind, 0), c.id)
            if (
                best_key is None
                or key[0] > best_key[0]
                or (key[0] == best_key[0] and key[1] < best_key[1])
            ):
                best_i, best_key = i, key
        _, c, expected = remaining.pop(best_i)
        kinds[c.kind] = kinds.get(c.kind, 0) + 1
        final = round(best_key[0], 3) if best_key else 0.0
        chosen.append((c, final, round(expected, 2)))
    return chosen
