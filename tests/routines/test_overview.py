"""The therapist's client page, Routines part: the set-based overview must say exactly what the
one-routine-at-a-time history (`queries.routine_history(days=7)`) says, for every routine, on
seeded data with partial, extra, bad and paused days, late starts and skips; and its statement
count must not grow with the number of routines or the length of the history."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session

from app.accounts.models import User
from app.routines import overview, queries, service
from app.routines.history import WeekSummary
from app.routines.models import Routine, RoutinePause, RoutineRun, RoutineStep, StepOutcome
from tests.statements import captured_statements

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)  # a Thursday
TODAY = date(2026, 11, 26)
RULES = [
    "FREQ=DAILY",
    "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    "FREQ=WEEKLY;BYDAY=TU,SA",
    "FREQ=DAILY;INTERVAL=3",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
    "FREQ=MONTHLY;BYMONTHDAY=24",
]


def _seed(session: Session, client: User, rng: random.Random, routines: int, days: int) -> None:
    """`routines` routines with `days` of history before TODAY (some started later, one paused,
    one archived), random runs and step outcomes, some steps removed."""
    for i in range(routines):
        starts = TODAY - timedelta(days=rng.choice([days, days // 2, 9, 3, 0]))
        routine = Routine(
            client_id=client.id,
            title=f"R{i}",
            icon="*",
            rrule=RULES[i % len(RULES)],
            starts_on=starts,
            step_count=rng.randint(1, 5),
            archived_at=NOW if i == routines - 1 and routines > 2 else None,
        )
        session.add(routine)
        steps = [
            RoutineStep(
                routine_id=routine.id,
                position=p,
                title=rng.choice(["Wash", "Dress", "Tea", "Walk"]),
                removed_at=NOW if p == 0 and i % 2 else None,
            )
            for p in range(routine.step_count + 1)
        ]
        session.add_all(steps)
        if i % 4 == 1:  # two pauses: the routine's row repeats per pause in the overview's read
            for first, last in ((2, 1), (5, 4)):
                session.add(
                    RoutinePause(
                        routine_id=routine.id,
                        starts_on=TODAY - timedelta(days=first),
                        ends_on=TODAY - timedelta(days=last),
                    )
                )
        session.flush()
        day = starts
        while day <= TODAY:
            if rng.random() < 0.6:
                run = RoutineRun(
                    routine_id=routine.id,
                    client_id=client.id,
                    local_day=day,
                    planned_count=rng.randint(1, 5),
                    done_count=rng.randint(0, 6),
                )
                session.add(run)
                session.flush()
                for step in rng.sample(steps, rng.randint(0, len(steps))):
                    session.add(
                        StepOutcome(
                            id=uuid.uuid4(),
                            run_id=run.id,
                            step_id=step.id,
                            status=rng.choice(["done", "skipped", "helped", "skipped"]),
                            at=NOW,
                        )
                    )
            day += timedelta(days=1)
    session.flush()


def _reference(session: Session, client: User) -> list[tuple[str, WeekSummary, str | None]]:
    out = []
    for routine in service.list_routines(session, client_id=client.id):
        h = queries.routine_history(session, routine, TODAY, days=overview.DAYS)
        out.append((routine.title, h.this_week, h.most_skipped.title if h.most_skipped else None))
    return out


def _shown(session: Session, client: User) -> list[tuple[str, WeekSummary, str | None]]:
    section = overview.client_overview(session=session, client=client, now=NOW)
    assert section is not None
    return [
        (e["routine"].title, e["week"], e["most_skipped"].title if e["most_skipped"] else None)
        for e in section.context["entries"]
    ]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_overview_matches_routine_history(session: Session, client_user: User, seed: int) -> None:
    _seed(session, client_user, random.Random(seed), routines=7, days=40)
    expected = _reference(session, client_user)
    assert len(expected) == 6
    assert any(week.steps_done for _t, week, _s in expected)  # the data exercise the summary
    assert any(skipped for _t, _w, skipped in expected)
    assert _shown(session, client_user) == expected


def test_most_skipped_counts_only_the_routines_own_window(
    session: Session, client_user: User
) -> None:
    """A step skipped before the window does not count; inside it does."""
    routine = Routine(
        client_id=client_user.id,
        title="Morning",
        rrule="FREQ=DAILY",
        starts_on=TODAY - timedelta(days=30),
        step_count=2,
    )
    session.add(routine)
    old, new = (RoutineStep(routine_id=routine.id, position=p, title=t) for p, t in enumerate("AB"))
    session.add_all([old, new])
    session.flush()
    for days_ago, step in [(20, old), (19, old), (18, old), (2, new)]:
        run = RoutineRun(
            routine_id=routine.id,
            client_id=client_user.id,
            local_day=TODAY - timedelta(days=days_ago),
            planned_count=2,
        )
        session.add(run)
        session.flush()
        session.add(
            StepOutcome(id=uuid.uuid4(), run_id=run.id, step_id=step.id, status="skipped", at=NOW)
        )
    session.flush()
    shown = _shown(session, client_user)
    assert shown == _reference(session, client_user)
    assert shown[0][2] == "B"


def _count(session: Session, client: User) -> int:
    with captured_statements(session) as seen:
        overview.client_overview(session=session, client=client, now=NOW)
    return len(seen)


def test_statements_do_not_grow_with_routines_or_history(
    session: Session, therapist: User, client_user: User
) -> None:
    from tests import factories

    other = factories.client(session, therapist=therapist)
    _seed(session, client_user, random.Random(5), routines=2, days=10)
    _seed(session, other, random.Random(6), routines=9, days=120)
    assert _count(session, client_user) == _count(session, other) == 3


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({"Tea": (2, 0), "Tea time": (2, 2), "Walk": (1, 0)}, "Tea"),  # same skips: higher rate
        ({"Tea": (2, 0), "Tea time": (2, 0), "Walk": (1, 0)}, "Tea time"),  # then the title key
        ({"Tea": (1, 0), "Walk": (3, 5)}, "Walk"),  # most skips first, whatever the rate
    ],
)
def test_most_skipped_breaks_ties_as_the_history_does(
    session: Session, client_user: User, counts: dict[str, tuple[int, int]], expected: str
) -> None:
    routine = Routine(
        client_id=client_user.id,
        title="Morning",
        rrule="FREQ=DAILY",
        starts_on=TODAY - timedelta(days=30),
        step_count=len(counts),
    )
    session.add(routine)
    steps = {
        t: RoutineStep(routine_id=routine.id, position=i, title=t) for i, t in enumerate(counts)
    }
    session.add_all(steps.values())
    session.flush()
    for back in range(6):
        run = RoutineRun(
            routine_id=routine.id,
            client_id=client_user.id,
            local_day=TODAY - timedelta(days=back),
            planned_count=len(counts),
        )
        session.add(run)
        session.flush()
        for title, (skipped, done) in counts.items():
            status = "skipped" if back < skipped else "done" if back < skipped + done else None
            if status:
                session.add(
                    StepOutcome(
                        id=uuid.uuid4(),
                        run_id=run.id,
                        step_id=steps[title].id,
                        status=status,
                        at=NOW,
                    )
                )
    session.flush()
    shown = _shown(session, client_user)
    assert shown == _reference(session, client_user)
    assert shown[0][2] == expected
