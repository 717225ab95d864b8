"""JSON API for self-care. Thin: the service does the work.

Clients: /api/v1/habits…, /api/v1/mood-logs; therapists: /api/v1/clients/{client_id}/…; objects by
id are policy-checked for both roles."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from app.accounts.dependencies import (
    AccessibleClient,
    ClientSharingMood,
    CurrentClient,
    CurrentPrincipal,
    CurrentTherapist,
)
from app.accounts.models import User
from app.db import SessionDep
from app.errors import NotFound, Unprocessable
from app.i18n import gettext as _
from app.self_care import levels, library, mood, pauses, service
from app.self_care.dependencies import (
    ManagedHabit,
    ManagedSuggestion,
    OwnHabit,
    OwnHabitToCheckIn,
    OwnSuggestion,
    VisibleHabit,
)
from app.self_care.grading import GradingSettings
from app.self_care.models import HabitSuggestion
from app.self_care.public import habit_public, ladder_public
from app.self_care.schemas import (
    BoundsSet,
    CheckInCreate,
    CheckInPublic,
    ClinicLadderCreate,
    GradingPublic,
    GradingUpdate,
    HabitFromLadder,
    HabitPublic,
    LadderPublic,
    LevelSet,
    MoodCreate,
    MoodPublic,
    PauseCreate,
    PauseResult,
    PersonalHabitCreate,
    ResumeResult,
    SuggestionOverride,
    SuggestionPublic,
)

router = APIRouter(tags=["self-care"])
NO_STORE = {"Cache-Control": "no-store"}


@router.get("/habit-ladders", response_model=list[LadderPublic])
def ladders(session: SessionDep, principal: CurrentPrincipal) -> list[LadderPublic]:
    clinic = library.clinic_of(session=session, user=principal.user)
    return [ladder_public(x) for x in library.library(session=session, organisation_id=clinic)]


@router.post("/habit-ladders", status_code=status.HTTP_201_CREATED, response_model=LadderPublic)
def clinic_ladder(
    body: ClinicLadderCreate, session: SessionDep, therapist: CurrentTherapist
) -> LadderPublic:
    if therapist.organisation_id is None:
        raise NotFound()
    row = library.create_clinic_ladder(session=session, therapist=therapist.user, data=body)
    found = library.find(
        session=session, organisation_id=therapist.organisation_id, key=f"clinic:{row.id}"
    )
    assert found is not None
    return ladder_public(found)


@router.get("/habits", response_model=list[HabitPublic])
def my_habits(
    session: SessionDep, principal: CurrentClient, response: Response
) -> list[HabitPublic]:
    response.headers.update(NO_STORE)
    return [habit_public(session, h) for h in service.active_habits(session, principal.id)]


@router.post("/habits", status_code=status.HTTP_201_CREATED, response_model=HabitPublic)
def start_habit(
    body: HabitFromLadder, session: SessionDep, principal: CurrentClient
) -> HabitPublic:
    clinic = library.clinic_of(session=session, user=principal.user)
    ladder = library.find(session=session, organisation_id=clinic, key=body.ladder)
    if ladder is None:
        raise Unprocessable(_("There is no ladder with that name in your library."))
    habit = service.start_from_ladder(
        session=session,
        actor=principal.user,
        client=principal.user,
        ladder=ladder,
        level=body.level,
        reminder_time=body.reminder_time,
    )
    return habit_public(session, habit)


@router.post("/habits/personal", status_code=status.HTTP_201_CREATED, response_model=HabitPublic)
def personal_habit(
    body: PersonalHabitCreate, session: SessionDep, principal: CurrentClient
) -> HabitPublic:
    habit = service.create_personal(session=session, client=principal.user, data=body)
    return habit_public(session, habit)


@router.get("/habits/{habit_id}", response_model=HabitPublic)
def habit_detail(habit: VisibleHabit, session: SessionDep, response: Response) -> HabitPublic:
    response.headers.update(NO_STORE)
    return habit_public(session, habit)


@router.delete("/habits/{habit_id}", status_code=status.HTTP_204_NO_CONTENT)
def stop_habit(habit: OwnHabit, session: SessionDep) -> Response:
    service.archive(session=session, habit=habit)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/habits/{habit_id}/check-ins",
    status_code=status.HTTP_201_CREATED,
    response_model=CheckInPublic,
)
def check_in(
    body: CheckInCreate, own: OwnHabitToCheckIn, session: SessionDep, principal: CurrentClient
) -> CheckInPublic:
    row = service.check_in(
        session=session, client=principal.user, habit=own.habit, data=body, basis=own.basis
    )
    return CheckInPublic.model_validate(row)


@router.delete("/habits/{habit_id}/check-ins/{check_in_id}", status_code=status.HTTP_204_NO_CONTENT)
def undo_check_in(
    check_in_id: uuid.UUID, habit: OwnHabit, session: SessionDep, principal: CurrentClient
) -> Response:
    """Undo the habit's latest check-in, made today; already undone is fine (a retried undo)."""
    service.undo_check_in(
        session=session, client=principal.user, habit=habit, check_in_id=check_in_id
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/habits/{habit_id}/pause", status_code=status.HTTP_201_CREATED, response_model=PauseResult
)
def pause_habit(
    body: PauseCreate, habit: OwnHabit, session: SessionDep, principal: CurrentClient
) -> PauseResult:
    row = pauses.pause(session=session, client=principal.user, habit=habit, data=body)
    return PauseResult(id=row.id, starts_on=row.starts_on, ends_on=row.ends_on)


@router.post("/habits/{habit_id}/resume", response_model=ResumeResult)
def resume_habit(habit: OwnHabit, session: SessionDep, principal: CurrentClient) -> ResumeResult:
    return ResumeResult(ended=pauses.resume(session=session, client=principal.user, habit=habit))


@router.put("/habits/{habit_id}/level", response_model=HabitPublic)
def set_level(
    body: LevelSet, habit: ManagedHabit, session: SessionDep, therapist: CurrentTherapist
) -> HabitPublic:
    levels.change_level(
        session=session,
        actor=therapist.user,
        habit=habit,
        to_level=body.level,
        reason="set_by_therapist",
    )
    return habit_public(session, habit)


@router.put("/habits/{habit_id}/bounds", response_model=HabitPublic)
def set_bounds(
    body: BoundsSet, habit: ManagedHabit, session: SessionDep, therapist: CurrentTherapist
) -> HabitPublic:
    levels.set_bounds(
        session=session, actor=therapist.user, habit=habit, lowest=body.lowest, highest=body.highest
    )
    return habit_public(session, habit)


@router.put("/habits/{habit_id}/grading", response_model=GradingPublic)
def set_grading(body: GradingUpdate, habit: ManagedHabit, session: SessionDep) -> GradingPublic:
    settings = GradingSettings.model_validate(body.model_dump())
    levels.set_grading(session=session, habit=habit, settings=settings)
    return GradingPublic.model_validate(settings.model_dump())


@router.post("/habit-pauses", status_code=status.HTTP_201_CREATED, response_model=PauseResult)
def pause_all(body: PauseCreate, session: SessionDep, principal: CurrentClient) -> PauseResult:
    row = pauses.pause(session=session, client=principal.user, habit=None, data=body)
    return PauseResult(id=row.id, starts_on=row.starts_on, ends_on=row.ends_on)


@router.post("/habit-pauses/resume", response_model=ResumeResult)
def resume_all(session: SessionDep, principal: CurrentClient) -> ResumeResult:
    return ResumeResult(ended=pauses.resume(session=session, client=principal.user, habit=None))


def _decide(
    session: SessionDep,
    actor: User,
    suggestion: HabitSuggestion,
    state: str,
    level: int | None = None,
) -> SuggestionPublic:
    habit = service.get_habit(session, suggestion.habit_id)
    row = levels.decide(
        session=session, actor=actor, suggestion=suggestion, habit=habit, state=state, level=level
    )
    return SuggestionPublic.model_validate(row)


@router.post("/habit-suggestions/{suggestion_id}/accept", response_model=SuggestionPublic)
def accept(
    suggestion: OwnSuggestion, session: SessionDep, principal: CurrentClient
) -> SuggestionPublic:
    return _decide(session, principal.user, suggestion, "accepted")


@router.post("/habit-suggestions/{suggestion_id}/decline", response_model=SuggestionPublic)
def decline(
    suggestion: OwnSuggestion, session: SessionDep, principal: CurrentClient
) -> SuggestionPublic:
    return _decide(session, principal.user, suggestion, "declined")


@router.post("/habit-suggestions/{suggestion_id}/approve", response_model=SuggestionPublic)
def approve(
    suggestion: ManagedSuggestion, session: SessionDep, therapist: CurrentTherapist
) -> SuggestionPublic:
    return _decide(session, therapist.user, suggestion, "approved")


@router.post("/habit-suggestions/{suggestion_id}/override", response_model=SuggestionPublic)
def override(
    body: SuggestionOverride,
    suggestion: ManagedSuggestion,
    session: SessionDep,
    therapist: CurrentTherapist,
) -> SuggestionPublic:
    return _decide(session, therapist.user, suggestion, "overridden", body.level)


@router.post("/mood-logs", status_code=status.HTTP_201_CREATED, response_model=MoodPublic)
def log_mood(body: MoodCreate, session: SessionDep, principal: CurrentClient) -> MoodPublic:
    return MoodPublic.model_validate(mood.log(session=session, client=principal.user, data=body))


@router.get("/mood-logs", response_model=list[MoodPublic])
def my_mood(session: SessionDep, principal: CurrentClient, response: Response) -> list[MoodPublic]:
    response.headers.update(NO_STORE)
    rows = mood.recent(session, principal.id, service.today_for(principal.user), days=90)
    return [MoodPublic.model_validate(r) for r in rows]


@router.get("/clients/{client_id}/habits", response_model=list[HabitPublic])
def client_habits(
    client: AccessibleClient, session: SessionDep, response: Response
) -> list[HabitPublic]:
    response.headers.update(NO_STORE)
    return [habit_public(session, h) for h in service.active_habits(session, client.id)]


@router.get("/clients/{client_id}/mood-logs", response_model=list[MoodPublic])
def client_mood(
    client: ClientSharingMood, session: SessionDep, response: Response
) -> list[MoodPublic]:
    response.headers.update(NO_STORE)
    rows = mood.recent(session, client.id, service.today_for(client), days=90)
    return [MoodPublic.model_validate(r) for r in rows]
