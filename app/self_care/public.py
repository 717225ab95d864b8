"""Building API responses from rows and computed progress."""

from __future__ import annotations

from sqlmodel import Session

from app.accounts.models import User
from app.self_care import progress, service
from app.self_care.library import LibraryLadder
from app.self_care.models import Habit
from app.self_care.schemas import (
    HabitPublic,
    LadderPublic,
    LevelPublic,
    SuggestionPublic,
    WeekPublic,
)


def habit_public(session: Session, habit: Habit) -> HabitPublic:
    client = session.get(User, habit.client_id)
    assert client is not None
    p = progress.habit_progress(session, habit, service.today_for(client))
    return HabitPublic(
        id=habit.id,
        title=habit.title,
        life_area=habit.life_area,
        level=habit.level,
        lowest_level=habit.lowest_level,
        highest_level=habit.highest_level,
        levels=[
            LevelPublic(number=lv.number, description=lv.description, target=text)
            for lv, text in p.steps
        ],
        target=p.target.describe(),
        strength=p.strength,
        this_week=WeekPublic(
            start=p.this_week.start,
            planned=p.this_week.planned,
            done=p.this_week.done,
            met=p.this_week.met,
        ),
        paused_today=p.paused_today,
        suggestion=SuggestionPublic.model_validate(p.suggestion) if p.suggestion else None,
    )


def ladder_public(ladder: LibraryLadder) -> LadderPublic:
    return LadderPublic(
        key=ladder.key,
        life_area=ladder.life_area.value,
        title=ladder.title,
        summary=ladder.summary,
        levels=[
            LevelPublic(number=i, description=lv.description, target=lv.target.describe())
            for i, lv in enumerate(ladder.levels, start=1)
        ],
        clinic=ladder.clinic,
    )
