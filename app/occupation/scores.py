"""Self-rated activities: each activity is rated 1-10 for importance, how well it goes
(performance) and satisfaction; a round's scores are the means over its activities, and a change
of 2 or more between two rounds is shown as meaningful.

Pure functions, so the rule is tested without a database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.i18n import gettext as _

MAX_ACTIVITIES = 5
LOW, HIGH = 1, 10
# The smallest change, on the 1-10 scales, that we show as meaningful to the person.
MEANINGFUL_CHANGE = 2.0


@dataclass(frozen=True, slots=True)
class Rating:
    importance: int
    performance: int
    satisfaction: int


@dataclass(frozen=True, slots=True)
class RoundScore:
    """Mean performance and satisfaction over a round's activities (one decimal)."""

    performance: float
    satisfaction: float
    activities: int


@dataclass(frozen=True, slots=True)
class Change:
    before: float
    after: float

    @property
    def delta(self) -> float:
        return round(self.after - self.before, 1)

    @property
    def meaningful(self) -> bool:
        return is_meaningful(self.before, self.after)

    @property
    def words(self) -> str:
        """Plain words, never a judgement: a drop is said as plainly as a rise. Whether it is
        meaningful is shown beside it, not folded into the words. In the language being rendered."""
        if self.delta == 0:
            return _("no change")
        if self.delta > 0:
            return _("up %(points)s", points=format(self.delta, "g"))
        return _("down %(points)s", points=format(-self.delta, "g"))


def is_meaningful(before: float, after: float) -> bool:
    """A change of at least 2 points either way, between scores as shown (one decimal).

    Compared in whole tenths, so float error (6.3 - 4.3 = 1.999...) never decides the answer."""
    return abs(round(after * 10) - round(before * 10)) >= round(MEANINGFUL_CHANGE * 10)


def round_score(ratings: Sequence[Rating]) -> RoundScore | None:
    if not ratings:
        return None
    n = len(ratings)
    return RoundScore(
        performance=round(sum(r.performance for r in ratings) / n, 1),
        satisfaction=round(sum(r.satisfaction for r in ratings) / n, 1),
        activities=n,
    )


def compare(before: RoundScore, after: RoundScore) -> tuple[Change, Change]:
    """Performance and satisfaction change between two rounds."""
    return (
        Change(before.performance, after.performance),
        Change(before.satisfaction, after.satisfaction),
    )
