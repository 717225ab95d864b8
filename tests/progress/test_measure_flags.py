"""Measurement-based care: a PHQ-9 total of 20+ or a GAD-7 total of 15+ flags the therapist even
with item 9 at 0, and so does a rise of 5+ points since the previous answer; plainly worded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session

from app import clock
from app.accounts.models import User
from app.progress import dashboard, measure_service, measures
from app.progress.schemas import ResponseCreate, ScheduleCreate
from tests.homework.helpers import principal

FIRST = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
SECOND = FIRST + timedelta(days=14)


@pytest.mark.parametrize(
    ("code", "total", "flagged"),
    [
        ("phq9", 19, False),
        ("phq9", 20, True),
        ("phq9", 27, True),
        ("gad7", 14, False),
        ("gad7", 15, True),
    ],
)
def test_a_total_in_the_highest_range_is_flagged(code: str, total: int, flagged: bool) -> None:
    kinds = [f.kind for f in measures.score_flags(code, total, None)]
    assert kinds == (["severe"] if flagged else [])


@pytest.mark.parametrize(
    ("previous", "total", "flagged"),
    [(4, 9, True), (4, 8, False), (None, 12, False), (12, 6, False)],
)
def test_a_rise_of_five_points_since_the_previous_answer_is_flagged(
    previous: int | None, total: int, flagged: bool
) -> None:
    flags = measures.score_flags("phq9", total, previous)
    assert [f.kind for f in flags] == (["rise"] if flagged else [])
    if flagged:
        assert (
            flags[0].text
            == f"PHQ-9 up {total - previous} points since the previous answer ({previous} to {total})"
        )  # type: ignore[operator]


def _answer(
    session: Session, client: User, therapist: User, code: str, answers: list[int], at: datetime
) -> None:
    with clock.frozen_at(at):
        measure_service.schedule(
            session,
            therapist=principal(session, therapist),
            client=client,
            data=ScheduleCreate(code=code, every_days=14),
        )
        measure_service.submit(
            session,
            client=principal(session, client),
            code=code,
            data=ResponseCreate(answers=answers),
        )


def _flags(session: Session, therapist: User, client: User, at: datetime) -> dict[str, Any]:
    with clock.frozen_at(at):
        rows = dashboard.rows(session, therapist_id=therapist.id, now=clock.now())
    (row,) = [r for r in rows if r.client_id == client.id]
    return {f.code: f for f in row.flags}


def test_severe_totals_with_item_9_at_zero_flag_the_therapist(
    session: Session, therapist: User, client_user: User
) -> None:
    _answer(session, client_user, therapist, "phq9", [3, 3, 3, 3, 3, 3, 2, 1, 0], FIRST)
    _answer(session, client_user, therapist, "gad7", [3, 3, 3, 3, 3, 0, 0], FIRST)
    flags = _flags(session, therapist, client_user, FIRST + timedelta(hours=1))
    assert "phq9_item9" not in flags
    severe = flags["measure_severe"]
    assert severe.severity == "attention"
    assert severe.reason == (
        "01 Dec: PHQ-9 total 21 of 27, in the highest range; "
        "01 Dec: GAD-7 total 15 of 21, in the highest range. Please review this with them."
    )
    assert "measure_rise" not in flags


def test_a_rise_since_the_previous_answer_flags_until_reviewed(
    http: Any, session: Session, therapist: User, client_user: User
) -> None:
    _answer(session, client_user, therapist, "phq9", [1, 1, 1, 1, 0, 0, 0, 0, 0], FIRST)
    assert "measure_rise" not in _flags(session, therapist, client_user, FIRST)
    _answer(session, client_user, therapist, "phq9", [2, 2, 2, 1, 1, 1, 0, 0, 0], SECOND)
    flags = _flags(session, therapist, client_user, SECOND + timedelta(hours=1))
    assert flags["measure_rise"].reason == (
        "15 Dec: PHQ-9 up 5 points since the previous answer (4 to 9). "
        "Please review this with them."
    )
    assert "measure_severe" not in flags
    page = http.as_(therapist).get(f"/caseload/{client_user.id}/progress/measures")
    assert "Please review: PHQ-9" in page.text
    assert "PHQ-9 up 5 points since the previous answer (4 to 9)." in page.text
    (latest, _flags_) = measure_service.to_review(
        measure_service.responses(session, client_id=client_user.id)
    )[0]
    done = http.post(f"/caseload/{client_user.id}/progress/responses/{latest.id}/acknowledge")
    assert done.status_code == 303
    assert "measure_rise" not in _flags(
        session, therapist, client_user, SECOND + timedelta(hours=2)
    )
    assert "Please review" not in http.get(f"/caseload/{client_user.id}/progress/measures").text


def test_a_rise_of_four_or_a_fall_raises_no_flag(
    session: Session, therapist: User, client_user: User
) -> None:
    _answer(session, client_user, therapist, "gad7", [2, 2, 2, 2, 1, 1, 0], FIRST)
    _answer(session, client_user, therapist, "gad7", [3, 3, 3, 2, 1, 1, 1], SECOND)
    flags = _flags(session, therapist, client_user, SECOND + timedelta(hours=1))
    assert "measure_rise" not in flags
    assert "measure_severe" not in flags
