"""Therapist pages: a client's self-care (audited through the policy dependency) and clinic ladders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.accounts import policy
from app.accounts.dependencies import CurrentTherapist
from app.accounts.models import RecordKind, User
from app.db import SessionDep
from app.errors import AppError, NotFound
from app.forms import WHOLE_FORM, FormResult, finish_form, read_form, submit_form, validate
from app.i18n import N_, gettext
from app.self_care import levels, library, mood, progress, service
from app.self_care.dependencies import ClientsHabit, ClientsSuggestion, TherapistClient
from app.self_care.grading import GradingSettings
from app.self_care.models import Habit
from app.self_care.schemas import ClinicLadderCreate, GradingUpdate
from app.self_care.views import CHANGE_REASONS, area_choices, chart
from app.templates import render

router = APIRouter()
MAX_LEVELS = 5
# The grading rules' fields, named as the form labels them (a refusal names the rule).
RULE_LABELS = {
    "window_weeks": N_("Recent weeks looked at"),
    "weeks_met_to_step_up": N_("Weeks met to suggest a step up"),
    "min_confidence": N_("Average confidence needed (0 to 10)"),
    "weeks_missed_to_step_down": N_("Hard weeks in a row to suggest a step down"),
    "hard_week_below": N_("A week is hard under this share done (0 to 1)"),
    "quiet_days_after_decline": N_("Days of quiet after a suggestion is declined"),
}


def _see(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def _client_page(
    request: Request,
    session: SessionDep,
    client: User,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    today = service.today_for(client)
    habits = [
        (
            progress.habit_progress(session, h, today),
            levels.level_history(session, h.id),
            GradingSettings.model_validate(h.grading or {}),
        )
        for h in service.active_habits(session, client.id)
    ]
    # A mood log the client keeps private is, here, as if nothing were logged.
    shared = RecordKind.mood not in policy.private_kinds(session, client.id)
    logs = mood.recent(session, client.id, today, days=28) if shared else []
    return render(
        request,
        "self_care/therapist_client.html",
        {
            "client": client,
            "habits": habits,
            "change_reasons": CHANGE_REASONS,
            "charts": [
                chart(N_("Mood"), mood.series(logs, today, 28, "mood"), 5, N_("out of 5")),
                chart(N_("Energy"), mood.series(logs, today, 28, "energy"), 5, N_("out of 5")),
                chart(N_("Sleep"), mood.series(logs, today, 28, "hours_slept"), 12, N_("hours")),
            ],
            "error": error,
        },
        status_code=status_code,
    )


@router.get("/caseload/{client_id}/self-care", response_class=HTMLResponse)
def client_self_care(client: TherapistClient, request: Request, session: SessionDep) -> Response:
    return _client_page(request, session, client)


def _act_on_habit(
    request: Request, session: SessionDep, client: User, habit: Habit, change: Callable[[], None]
) -> Response:
    """A one-button change to a habit's grading: back to its card, or the page again with the
    service's refusal named by habit (a card has no field of its own to show it beside)."""
    try:
        change()
    except AppError as exc:
        return _client_page(request, session, client, f"{habit.title}: {exc.detail}", exc.status)
    return _see(f"/caseload/{client.id}/self-care#habit-{habit.id}")


def _int(values: dict[str, Any], name: str) -> int:
    try:
        return int(values.get(name) or 0)
    except (TypeError, ValueError):
        return 0


@router.post("/caseload/{client_id}/self-care/habits/{habit_id}/level")
async def set_level(
    habit: ClientsHabit,
    client: TherapistClient,
    request: Request,
    session: SessionDep,
    therapist: CurrentTherapist,
) -> Response:
    values = await read_form(request)

    def change() -> None:
        levels.change_level(
            session=session,
            actor=therapist.user,
            habit=habit,
            to_level=_int(values, "level"),
            reason="set_by_therapist",
        )

    return _act_on_habit(request, session, client, habit, change)


@router.post("/caseload/{client_id}/self-care/habits/{habit_id}/grading")
async def set_grading(
    habit: ClientsHabit, client: TherapistClient, request: Request, session: SessionDep
) -> Response:

    def save(data: GradingUpdate) -> Response:
        settings = GradingSettings.model_validate(data.model_dump())
        levels.set_grading(session=session, habit=habit, settings=settings)
        return _see(f"/caseload/{client.id}/self-care#habit-{habit.id}")

    def show(form: FormResult[GradingUpdate], status: int) -> Response:
        # One habit's card among many: the problems go in the page's notice, named by setting.
        problems = "; ".join(
            v if k == WHOLE_FORM else f"{gettext(RULE_LABELS.get(k, k))}: {v}"
            for k, v in form.errors.items()
        )
        return _client_page(request, session, client, f"{habit.title}: {problems}", status)

    return await submit_form(request, GradingUpdate, save=save, show=show, refusal_status=None)


@router.post("/caseload/{client_id}/self-care/habits/{habit_id}/bounds")
async def set_bounds(
    habit: ClientsHabit,
    client: TherapistClient,
    request: Request,
    session: SessionDep,
    therapist: CurrentTherapist,
) -> Response:
    values = await read_form(request)

    def change() -> None:
        levels.set_bounds(
            session=session,
            actor=therapist.user,
            habit=habit,
            lowest=_int(values, "lowest"),
            highest=_int(values, "highest"),
        )

    return _act_on_habit(request, session, client, habit, change)


async def _answer(
    state: str,
    suggestion: ClientsSuggestion,
    client: User,
    request: Request,
    session: SessionDep,
    therapist: User,
) -> Response:
    values = await read_form(request)
    habit = service.get_habit_for(session, client_id=client.id, habit_id=suggestion.habit_id)

    def change() -> None:
        levels.decide(
            session=session,
            actor=therapist,
            suggestion=suggestion,
            habit=habit,
            state=state,
            level=_int(values, "level") or None,
        )

    return _act_on_habit(request, session, client, habit, change)


@router.post("/caseload/{client_id}/self-care/suggestions/{suggestion_id}/approve")
async def approve(
    suggestion: ClientsSuggestion,
    client: TherapistClient,
    request: Request,
    session: SessionDep,
    therapist: CurrentTherapist,
) -> Response:
    return await _answer("approved", suggestion, client, request, session, therapist.user)


@router.post("/caseload/{client_id}/self-care/suggestions/{suggestion_id}/override")
async def override(
    suggestion: ClientsSuggestion,
    client: TherapistClient,
    request: Request,
    session: SessionDep,
    therapist: CurrentTherapist,
) -> Response:
    return await _answer("overridden", suggestion, client, request, session, therapist.user)


# The clinic ladder's fields, named as the form labels them ("levels.1.target" is step 2's target).
LADDER_FIELDS = {
    "title": N_("Title"),
    "life_area": N_("Life area"),
    "summary": N_("Summary"),
    "levels": N_("Steps"),
}


def _field_name(name: str) -> str:
    parts = name.split(".")
    if parts[0] == "levels" and len(parts) > 1 and parts[1].isdigit():
        return gettext("Step %(number)s", number=int(parts[1]) + 1)
    return gettext(LADDER_FIELDS[parts[0]]) if parts[0] in LADDER_FIELDS else name


def _ladder_form(
    request: Request, values: dict[str, Any], errors: dict[str, str], status_code: int = 200
) -> Response:
    return render(
        request,
        "self_care/clinic_ladder.html",
        {
            "values": values,
            "errors": errors,
            "areas": area_choices(),
            "slots": range(1, MAX_LEVELS + 1),
        },
        status_code=status_code,
    )


@router.get("/self-care/clinic-ladders/new", response_class=HTMLResponse)
def new_clinic_ladder(request: Request, therapist: CurrentTherapist) -> Response:
    del therapist
    return _ladder_form(request, {}, {})


def ladder_payload(values: dict[str, Any]) -> dict[str, Any]:
    """Turn the flat form (level_1_description, level_1_kind, …) into ClinicLadderCreate's shape;
    empty level rows are skipped."""
    levels = []
    for i in range(1, MAX_LEVELS + 1):
        description = str(values.get(f"level_{i}_description") or "").strip()
        if not description:
            continue
        kind = values.get(f"level_{i}_kind") or "days"
        target: dict[str, Any] = {"kind": kind}
        number = values.get(f"level_{i}_number") or None
        if kind == "weekly":
            target["times_per_week"] = number
        elif kind == "amount":
            target["amount"] = number
            target["unit"] = values.get(f"level_{i}_unit") or None
        levels.append({"description": description, "target": target})
    return {
        "life_area": values.get("life_area") or None,
        "title": values.get("title") or None,
        "summary": values.get("summary") or "",
        "levels": levels,
    }


@router.post("/self-care/clinic-ladders/new")
async def create_clinic_ladder(
    request: Request, session: SessionDep, therapist: CurrentTherapist
) -> Response:
    values = await read_form(request)
    if therapist.organisation_id is None:
        raise NotFound()
    payload = {k: v for k, v in ladder_payload(values).items() if v != ""}

    def save(data: ClinicLadderCreate) -> Response:
        library.create_clinic_ladder(session=session, therapist=therapist.user, data=data)
        return _see("/self-care/clinic-ladders/new?saved=1")

    def show(form: FormResult[ClinicLadderCreate], status: int) -> Response:
        # Beside the form's own input: a level's problem goes beside its row, naming the level.
        errors: dict[str, str] = {}
        for name, problem in form.errors.items():
            shown = problem if name == WHOLE_FORM else f"{_field_name(name)}: {problem}"
            errors.setdefault(name.split(".")[0], shown)
        return _ladder_form(request, values, errors, status)

    return finish_form(
        validate(ClinicLadderCreate, payload), save=save, show=show, refusal_status=None
    )
