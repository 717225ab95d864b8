"""Client pages for self-care: my habits, the library, a habit, check-in, pauses, mood log."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from babel.support import LazyProxy
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.accounts.dependencies import CurrentClient
from app.db import SessionDep
from app.errors import AppError, NotFound
from app.forms import FormResult, read_form, submit_form, validate
from app.i18n import N_, lazy_gettext
from app.self_care import (
    levels,
    library,
    mood,
    mood_reminders,
    pauses,
    progress,
    service,
    therapist_pages,
    words,
)
from app.self_care.dependencies import OwnHabit, OwnSuggestion
from app.self_care.schemas import (
    CheckInCreate,
    MoodCreate,
    PauseCreate,
    PersonalHabitCreate,
    Reason,
)
from app.self_care.targets import TargetKind, unit_words
from app.self_care.views import (
    REASON_LABELS,
    area_choices,
    area_groups,
    chart,
    next_page,
    wall_clock,
    week_days,
)
from app.templates import render

router = APIRouter()
router.include_router(therapist_pages.router)


def _see(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


@router.get("/self-care", response_class=HTMLResponse)
def index(request: Request, session: SessionDep, principal: CurrentClient) -> Response:
    today = service.today_for(principal.user)
    habits = [
        progress.habit_progress(session, h, today)
        for h in service.active_habits(session, principal.id)
    ]
    return render(
        request,
        "self_care/index.html",
        {
            "habits": habits,
            "all_paused": pauses.all_paused_on(session, principal.id, today),
            "mood_today": mood.logged_today(session, principal.id, today),
        },
    )


@router.get("/self-care/library", response_class=HTMLResponse)
def library_page(request: Request, session: SessionDep, principal: CurrentClient) -> Response:
    clinic = library.clinic_of(session=session, user=principal.user)
    return render(
        request,
        "self_care/library.html",
        {
            "groups": area_groups(library.library(session=session, organisation_id=clinic)),
        },
    )


@router.get("/self-care/library/{ladder_key}", response_class=HTMLResponse)
def ladder_page(
    ladder_key: str, request: Request, session: SessionDep, principal: CurrentClient
) -> Response:
    clinic = library.clinic_of(session=session, user=principal.user)
    ladder = library.find(session=session, organisation_id=clinic, key=ladder_key)
    if ladder is None:
        raise NotFound()
    return render(request, "self_care/ladder.html", {"ladder": ladder})


@router.post("/self-care/library/{ladder_key}")
async def start_ladder(
    ladder_key: str, request: Request, session: SessionDep, principal: CurrentClient
) -> Response:
    clinic = library.clinic_of(session=session, user=principal.user)
    ladder = library.find(session=session, organisation_id=clinic, key=ladder_key)
    if ladder is None:
        raise NotFound()
    values = await read_form(request)
    try:
        level = int(values.get("level") or 1)
    except ValueError:
        level = 0
    try:
        habit = service.start_from_ladder(
            session=session,
            actor=principal.user,
            client=principal.user,
            ladder=ladder,
            level=level,
        )
    except AppError as exc:
        return render(
            request,
            "self_care/ladder.html",
            {"ladder": ladder, "error": exc.detail},
            status_code=exc.status,
        )
    return _see(f"/self-care/habits/{habit.id}?started=1")


@router.get("/self-care/habits/new", response_class=HTMLResponse)
def personal_form(request: Request, principal: CurrentClient) -> Response:
    del principal
    form: FormResult[PersonalHabitCreate] = FormResult(
        values={"target_kind": "days", "days": [str(d) for d in range(7)]}
    )
    return _personal(request, form)


def _personal(
    request: Request, form: FormResult[PersonalHabitCreate], status_code: int = 200
) -> Response:
    return render(
        request,
        "self_care/personal.html",
        {
            "form": form,
            "areas": area_choices(),
            "kinds": [
                (TargetKind.DAYS.value, lazy_gettext("Yes or no, on the days I choose")),
                (TargetKind.WEEKLY.value, lazy_gettext("A number of times a week")),
                (TargetKind.AMOUNT.value, lazy_gettext("An amount each day (glasses, minutes…)")),
            ],
            "week_days": week_days(),
        },
        status_code=status_code,
    )


@router.post("/self-care/habits/new")
async def personal_create(
    request: Request, session: SessionDep, principal: CurrentClient
) -> Response:
    values = await read_form(request)
    if isinstance(values.get("days"), str):
        values["days"] = [values["days"]]

    def save(data: PersonalHabitCreate) -> Response:
        habit = service.create_personal(session=session, client=principal.user, data=data)
        return _see(f"/self-care/habits/{habit.id}?started=1")

    return await submit_form(
        request,
        PersonalHabitCreate,
        values=values,
        save=save,
        show=lambda form, status: _personal(request, form, status),
        otherwise="target_kind",
    )


@router.get("/self-care/habits/{habit_id}", response_class=HTMLResponse)
def habit_page(
    habit: OwnHabit, request: Request, session: SessionDep, principal: CurrentClient
) -> Response:
    today = service.today_for(principal.user)
    return render(
        request,
        "self_care/habit.html",
        {
            "p": progress.habit_progress(session, habit, today),
            "history": levels.step_history(session, habit.id),
            "today": today,
            "started": request.query_params.get("started") == "1",
            "form_id": str(uuid.uuid4()),
        },
    )


@router.get("/self-care/habits/{habit_id}/check-in", response_class=HTMLResponse)
def check_in_form(
    habit: OwnHabit, request: Request, session: SessionDep, principal: CurrentClient
) -> Response:
    today = service.today_for(principal.user)
    day = today - timedelta(days=1) if request.query_params.get("day") == "yesterday" else today
    form: FormResult[CheckInCreate] = FormResult(
        values={"id": str(uuid.uuid4()), "on": day.isoformat()}
    )
    return _check_in(request, session, habit, form, today)


def _check_in(
    request: Request,
    session: SessionDep,
    habit: OwnHabit,
    form: FormResult[CheckInCreate],
    today: Any,
    status_code: int = 200,
) -> Response:
    target = service.current_target(session, habit)
    return render(
        request,
        "self_care/check_in.html",
        {
            "habit": habit,
            # Read while the page renders, so in the reader's language.
            "habit_title": LazyProxy(
                words.habit_title, habit.source, habit.title, enable_cache=False
            ),
            "habit_authored": not words.is_builtin(habit.source, habit.title),
            "unit": LazyProxy(unit_words, target.unit, enable_cache=False),
            "target": target,
            "form": form,
            "today": today,
            "yesterday": today - timedelta(days=1),
            "reasons": [(r.value, REASON_LABELS[r]) for r in Reason],
        },
        status_code=status_code,
    )


@router.post("/self-care/habits/{habit_id}/check-in")
async def check_in(
    habit: OwnHabit, request: Request, session: SessionDep, principal: CurrentClient
) -> Response:
    values = await read_form(request)
    back = next_page(values, f"/self-care/habits/{habit.id}")
    today = service.today_for(principal.user)

    def save(data: CheckInCreate) -> Response:
        service.check_in(session=session, client=principal.user, habit=habit, data=data)
        return _see(back + (f"#habit-{habit.id}" if back == "/today" else ""))

    return await submit_form(
        request,
        CheckInCreate,
        values=values,
        save=save,
        show=lambda form, status: _check_in(request, session, habit, form, today, status),
        refusal_status=None,
    )


@router.post("/self-care/habits/{habit_id}/check-ins/{check_in_id}/undo")
async def undo_check_in(
    check_in_id: uuid.UUID,
    habit: OwnHabit,
    request: Request,
    session: SessionDep,
    principal: CurrentClient,
) -> Response:
    back = next_page(await read_form(request), f"/self-care/habits/{habit.id}")
    service.undo_check_in(
        session=session, client=principal.user, habit=habit, check_in_id=check_in_id
    )
    if back == "/today":  # Today says "Undone" beside the habit (web/static/self_care/checkin.js)
        return _see(f"/today?undone={habit.id}#habit-{habit.id}")
    return _see(back)


@router.post("/self-care/habits/{habit_id}/pause")
async def pause_habit(
    habit: OwnHabit, request: Request, session: SessionDep, principal: CurrentClient
) -> Response:
    values = await read_form(request)
    form = validate(PauseCreate, values)
    if form.data is not None:
        pauses.pause(session=session, client=principal.user, habit=habit, data=form.data)
    return _see(f"/self-care/habits/{habit.id}")


@router.post("/self-care/habits/{habit_id}/resume")
def resume_habit(habit: OwnHabit, session: SessionDep, principal: CurrentClient) -> Response:
    pauses.resume(session=session, client=principal.user, habit=habit)
    return _see(f"/self-care/habits/{habit.id}")


@router.post("/self-care/habits/{habit_id}/reminder")
async def habit_reminder(habit: OwnHabit, request: Request, session: SessionDep) -> Response:
    values = await read_form(request)
    at = None if values.get("off") else wall_clock(values)
    service.set_reminder(session=session, habit=habit, at=at)
    return _see(f"/self-care/habits/{habit.id}")


@router.post("/self-care/habits/{habit_id}/stop")
def stop_habit(habit: OwnHabit, session: SessionDep) -> Response:
    service.archive(session=session, habit=habit)
    return _see("/self-care")


@router.post("/self-care/pause")
async def pause_all(request: Request, session: SessionDep, principal: CurrentClient) -> Response:
    form = validate(PauseCreate, await read_form(request))
    if form.data is not None:
        pauses.pause(session=session, client=principal.user, habit=None, data=form.data)
    return _see("/self-care")


@router.post("/self-care/resume")
def resume_all(session: SessionDep, principal: CurrentClient) -> Response:
    pauses.resume(session=session, client=principal.user, habit=None)
    return _see("/self-care")


def _answer(
    session: SessionDep, principal: CurrentClient, suggestion: OwnSuggestion, state: str
) -> Response:
    habit = service.get_habit_for(session, client_id=principal.id, habit_id=suggestion.habit_id)
    levels.decide(
        session=session, actor=principal.user, suggestion=suggestion, habit=habit, state=state
    )
    return _see(f"/self-care/habits/{habit.id}")


@router.post("/self-care/suggestions/{suggestion_id}/accept")
def accept(suggestion: OwnSuggestion, session: SessionDep, principal: CurrentClient) -> Response:
    return _answer(session, principal, suggestion, "accepted")


@router.post("/self-care/suggestions/{suggestion_id}/decline")
def decline(suggestion: OwnSuggestion, session: SessionDep, principal: CurrentClient) -> Response:
    return _answer(session, principal, suggestion, "declined")


@router.post("/self-care/mood/reminder")
async def mood_reminder(
    request: Request, session: SessionDep, principal: CurrentClient
) -> Response:
    values = await read_form(request)
    at = None if values.get("off") else wall_clock(values)
    mood_reminders.set_time(session=session, client=principal.user, at=at)
    return _see("/self-care/mood")


@router.get("/self-care/mood", response_class=HTMLResponse)
def mood_page(request: Request, session: SessionDep, principal: CurrentClient) -> Response:
    form: FormResult[MoodCreate] = FormResult(values={"id": str(uuid.uuid4())})
    return _mood(request, session, principal.user, form)


def _mood(
    request: Request,
    session: SessionDep,
    user: Any,
    form: FormResult[MoodCreate],
    status_code: int = 200,
) -> Response:
    today = service.today_for(user)
    logs = mood.recent(session, user.id, today, days=28)
    return render(
        request,
        "self_care/mood.html",
        {
            "form": form,
            "faces": mood.MOOD_FACES,
            "energy_labels": mood.ENERGY_LABELS,
            "today_log": mood.logged_today(session, user.id, today),
            "charts": [
                chart(N_("Mood"), mood.series(logs, today, 28, "mood"), 5, N_("out of 5")),
                chart(N_("Energy"), mood.series(logs, today, 28, "energy"), 5, N_("out of 5")),
                chart(N_("Sleep"), mood.series(logs, today, 28, "hours_slept"), 12, N_("hours")),
            ],
            "observation": mood.observation(session, user.id, today),
            "saved": request.query_params.get("saved") == "1",
        },
        status_code=status_code,
    )


@router.post("/self-care/mood")
async def mood_log(request: Request, session: SessionDep, principal: CurrentClient) -> Response:
    values = await read_form(request)
    back = next_page(values, "/self-care/mood?saved=1")

    def save(data: MoodCreate) -> Response:
        mood.log(session=session, client=principal.user, data=data)
        return _see(back)

    return await submit_form(
        request,
        MoodCreate,
        values=values,
        save=save,
        show=lambda form, status: _mood(request, session, principal.user, form, status),
        refusal_status=None,
    )
