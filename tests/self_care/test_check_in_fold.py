"""Check-ins folded per day in SQL give bit for bit the values of the single rows (issue 15.6).

The reads group a day's check-ins by outcome and amount with a count (`history.CHECK_IN_FOLD`);
`targets.amount_total` adds amounts exactly and rounds once, so the fold, the rows one by one, and
the rows in any order all give the same float, including amounts binary floats cannot hold (0.1)."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction

import pytest
from sqlmodel import Session, col, select

from app import clock
from app.accounts.models import User
from app.self_care import history, progress
from app.self_care.models import HabitCheckIn
from app.self_care.targets import CheckIn, Outcome, amount_total, day_values
from app.self_care.today import today_section
from tests.self_care.helpers import MONDAY, noon, start

AMOUNTS = [0.1, 0.2, 0.3, 1 / 3, 0.7, 1.0, 2.5, 1e-3, 123.456]


def _exact(amounts: list[float]) -> float:
    return float(sum((Fraction(a) for a in amounts), Fraction(0)))


@pytest.mark.parametrize("seed", range(5))
def test_amount_total_is_the_exact_sum_rounded_once_in_any_order_or_grouping(seed: int) -> None:
    rng = random.Random(seed)
    amounts = [rng.choice(AMOUNTS) for _ in range(rng.randrange(1, 3000))]
    one_by_one = amount_total((a, 1) for a in amounts)
    rng.shuffle(amounts)
    shuffled = amount_total((a, 1) for a in amounts)
    grouped = amount_total((a, amounts.count(a)) for a in set(amounts))
    assert one_by_one.hex() == shuffled.hex() == grouped.hex() == _exact(amounts).hex()
    # The running sum it replaces is not order-free: that is the point.
    assert sum([0.1] * 10) != amount_total([(0.1, 10)]) == 1.0


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(8), tzinfo=UTC) + timedelta(minutes=rng.randrange(12 * 60))


def test_reads_folded_in_sql_equal_the_python_fold_of_every_row(
    session: Session, client_user: User
) -> None:
    rng = random.Random(42)
    today = MONDAY + timedelta(days=60)
    first = today - timedelta(days=45)
    with clock.frozen_at(noon(first)):
        habit = start(session, client_user, "water")  # an amount target: 2 glasses a day
    for i in range(46):
        day = first + timedelta(days=i)
        taps = 600 if day == today else rng.choice([0, 1, 2, 3, 7])
        for _ in range(taps):
            session.add(
                HabitCheckIn(
                    id=uuid.uuid4(),
                    habit_id=habit.id,
                    client_id=client_user.id,
                    done_on=day,
                    outcome=rng.choice(list(Outcome)).value,
                    level=habit.level,
                    amount=rng.choice([None, *AMOUNTS]),
                    created_at=_at(day, rng),
                )
            )
    session.commit()
    rows = session.exec(
        select(HabitCheckIn.done_on, HabitCheckIn.outcome, HabitCheckIn.amount).where(
            HabitCheckIn.habit_id == habit.id, col(HabitCheckIn.done_on) >= first
        )
    ).all()
    singles = [CheckIn(on, Outcome(o), None, a) for on, o, a in rows]
    rng.shuffle(singles)
    hist = history.load(session, habit, today, since=first)
    assert len(hist.check_ins) < len(singles) / 5  # folded: a busy day is a few rows
    assert sum(c.count for c in hist.check_ins) == len(singles)
    target = hist.target
    expected = day_values(target, singles)
    folded = day_values(target, hist.check_ins)
    assert {d: v.hex() for d, v in folded.items()} == {d: v.hex() for d, v in expected.items()}

    today_amounts = [c.amount for c in singles if c.on == today and c.amount is not None]
    with clock.frozen_at(noon(today)):
        page = progress.habit_progress(session, habit, today)
        section = today_section(session=session, client=client_user, day=today, now=clock.now())
    assert page.today_amount.hex() == _exact(today_amounts).hex()
    assert section is not None
    [shown] = [h for h in section.context["habits"] if h.id == habit.id]
    assert shown.amount.hex() == page.today_amount.hex()
