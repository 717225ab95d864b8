"""The routine builder, shared by the client's routes (/routines, in pages.py) and a therapist's
(/caseload/{client_id}/routines, in therapist_pages.py): same forms, same service, different scope.
No routes here: each audience's module declares its own and hands over its `Scope`."""

from __future__ import annotations

import uuid
from datetime import date, time
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app import clock, versioning
from app.errors import Unprocessable
from app.forms import FormResult, read_form
from app.i18n import N_, lazy_gettext
from app.i18n import gettext as _
from app.routines import edits, forms, photos, queries, recurrence, service
from app.routines.dependencies import Scope, routine_in_scope
from app.routines.models import Routine
from app.routines.schemas import MAX_REMINDER_TIMES, RoutineCreate
from app.routines.templates_library import PARTS_OF_DAY
from app.templates import render

# Labels are marked here and translated where they are shown (`_(label)` in the templates).
PART_LABELS = {
    "morning": N_("Morning"),
    "afternoon": N_("Afternoon"),
    "evening": N_("Evening"),
    "anytime": N_("Any time"),
}
KIND_LABELS = {
    "daily": N_("Every day"),
    "weekdays": N_("Weekdays (Monday to Friday)"),
    "days": N_("Chosen days"),
    "every_n": N_("Every few days"),
    "rrule": N_("Custom repeat rule (RRULE)"),
}


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _common(scope: Scope) -> dict[str, Any]:
    return {
        "scope": scope,
        "base": scope.base,
        "part_labels": PART_LABELS,
        "part_options": [(p, lazy_gettext(PART_LABELS[p])) for p in PARTS_OF_DAY],
        "kind_labels": KIND_LABELS,
        "weekdays": recurrence.WEEKDAY_NAMES,
        "describe": recurrence.describe,
    }


def _edit_page(
    request: Request,
    session: Session,
    scope: Scope,
    routine: Routine,
    *,
    form: FormResult[Any] | None = None,
    step_form: FormResult[Any] | None = None,
    errors: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    ctx = (
        _common(scope)
        | {
            "routine": routine,
            "form": form
            or FormResult(
                values=forms.routine_values(routine)
                | {versioning.VERSION_FIELD: str(routine.version)}
            ),
            "step_form": step_form,
            "steps": service.steps_of(session, routine.id),
            "pauses": service.pauses_of(session, routine.id),
            "reminder_times": service.reminder_times_of(session, routine.id),
            "max_reminders": MAX_REMINDER_TIMES,
            "errors": errors or {},
            "saved": request.query_params.get("saved"),
            "today": clock.local_today(scope.client.time_zone),
            "pause_form": FormResult(values={}),
        }
        | (extra or {})
    )
    return render(request, "routines/builder.html", ctx, status_code=status)


def new_routine(request: Request, scope: Scope) -> Response:
    values = {"part_of_day": "morning", "schedule_kind": "daily", "icon": "⭐", "interval": "2"}
    return render(
        request, "routines/new.html", _common(scope) | {"form": FormResult(values=values)}
    )


async def create_routine(request: Request, session: Session, scope: Scope) -> Response:
    values = await read_form(request)
    result = forms.routine_form(values)
    if not result.ok or result.data is None:
        return render(
            request, "routines/new.html", _common(scope) | {"form": result}, status_code=422
        )
    routine = service.create_routine(
        session=session,
        client_id=scope.client.id,
        tz=scope.client.time_zone,
        created_by_id=scope.principal.id,
        data=RoutineCreate(**result.data.model_dump()),
    )
    return _see_other(f"{scope.base}/{routine.id}/edit")


def edit_routine(
    request: Request, session: Session, scope: Scope, *, routine_id: uuid.UUID
) -> Response:
    return _edit_page(request, session, scope, routine_in_scope(session, scope, routine_id))


async def save_routine(
    request: Request, session: Session, scope: Scope, *, routine_id: uuid.UUID
) -> Response:
    routine = routine_in_scope(session, scope, routine_id)
    values = versioning.apply_choices(
        await read_form(request),
        fields=edits.ROUTINE_FIELDS,
        current=edits.routine_form_values(routine),
    )
    result = forms.routine_form(values)
    if not result.ok or result.data is None:
        return _edit_page(request, session, scope, routine, form=result, status=422)
    url = f"{scope.base}/{routine.id}/edit"
    try:
        service.update_routine(
            session=session,
            routine=routine,
            data=result.data,
            expected=versioning.form_version(values),
        )
    except versioning.EditConflict as conflict:
        return versioning.render_conflict(
            request, conflict, title=routine.title, action=url, values=result.values, cancel=url
        )
    return _see_other(f"{url}?saved=details")


async def add_step(
    request: Request, session: Session, scope: Scope, *, routine_id: uuid.UUID
) -> Response:
    routine = routine_in_scope(session, scope, routine_id)
    values = await read_form(request)
    result = forms.step_form(values)
    if not result.ok or result.data is None:
        return _edit_page(request, session, scope, routine, step_form=result, status=422)
    try:
        service.add_step(session=session, routine=routine, data=result.data)
    except Unprocessable as exc:
        result.add_error("title", exc.detail)
        return _edit_page(request, session, scope, routine, step_form=result, status=422)
    return _see_other(f"{scope.base}/{routine.id}/edit?saved=step#steps")


def edit_step(
    request: Request, session: Session, scope: Scope, *, routine_id: uuid.UUID, step_id: uuid.UUID
) -> Response:
    routine = routine_in_scope(session, scope, routine_id)
    step = service.get_step(session, routine=routine, step_id=step_id)
    values = edits.step_form_values(step) | {versioning.VERSION_FIELD: str(step.version)}
    ctx = _common(scope) | {"routine": routine, "step": step, "form": FormResult(values=values)}
    return render(request, "routines/step.html", ctx)


async def save_step(
    request: Request, session: Session, scope: Scope, *, routine_id: uuid.UUID, step_id: uuid.UUID
) -> Response:
    routine = routine_in_scope(session, scope, routine_id)
    step = service.get_step(session, routine=routine, step_id=step_id)
    raw = await request.form()
    upload = raw.get("photo")
    values = versioning.apply_choices(
        await read_form(request),
        fields=edits.STEP_FIELDS,
        current=edits.step_form_values(step),
    )
    result = forms.step_form(values)
    photo_data = b""
    if upload is not None and not isinstance(upload, str) and upload.filename:
        photo_data = await upload.read(photos.MAX_UPLOAD_BYTES + 1)
        await upload.close()
        if len(photo_data) > photos.MAX_UPLOAD_BYTES:
            result.add_error("photo", _("This photo is over 10 MB. Please choose one under 10 MB."))
        else:
            try:
                photos.process_upload(photo_data)
            except photos.PhotoError as exc:
                result.add_error("photo", str(exc))
    if not result.ok or result.data is None:
        ctx = _common(scope) | {"routine": routine, "step": step, "form": result}
        return render(request, "routines/step.html", ctx, status_code=422)
    try:
        service.update_step(
            session=session,
            routine=routine,
            step=step,
            data=result.data,
            expected=versioning.form_version(values),
        )
    except versioning.EditConflict as conflict:
        note = _("The photo you chose was not kept: please add it again.") if photo_data else ""
        title = _("Step: %(title)s", title=step.title)
        return versioning.render_conflict(
            request,
            conflict,
            title=title,
            action=f"{scope.base}/{routine.id}/steps/{step.id}",
            values=result.values,
            cancel=f"{scope.base}/{routine.id}/edit#step-{step.id}",
            context={"note": note},
        )
    if photo_data:
        service.set_step_photo(session=session, routine=routine, step=step, data=photo_data)
    elif result.values.get("remove_photo") == "on" and step.photo_id:
        service.remove_step_photo(session=session, step=step)
    return _see_other(f"{scope.base}/{routine.id}/edit?saved=step#step-{step.id}")


async def move_step(
    request: Request, session: Session, scope: Scope, *, routine_id: uuid.UUID, step_id: uuid.UUID
) -> Response:
    routine = routine_in_scope(session, scope, routine_id)
    step = service.get_step(session, routine=routine, step_id=step_id)
    direction = (await read_form(request)).get("direction")
    service.move_step(
        session=session, routine=routine, step=step, offset=-1 if direction == "up" else 1
    )
    return _see_other(f"{scope.base}/{routine.id}/edit#step-{step.id}")


async def remove_step(
    request: Request, session: Session, scope: Scope, *, routine_id: uuid.UUID, step_id: uuid.UUID
) -> Response:
    routine = routine_in_scope(session, scope, routine_id)
    step = service.get_step(session, routine=routine, step_id=step_id)
    expected = versioning.form_version(await read_form(request))
    try:
        service.remove_step(session=session, routine=routine, step=step, expected=expected)
    except versioning.EditConflict:
        # Changed since the page was opened: show it as it is now rather than remove it.
        return _see_other(f"{scope.base}/{routine.id}/edit?saved=stale-step#step-{step.id}")
    return _see_other(f"{scope.base}/{routine.id}/edit?saved=removed#steps")


async def order_steps(
    request: Request, session: Session, scope: Scope, *, routine_id: uuid.UUID
) -> Response:
    """The drag-and-drop order, sent as a comma-separated list of step ids."""
    routine = routine_in_scope(session, scope, routine_id)
    raw = str((await read_form(request)).get("order", ""))
    try:
        ids = [uuid.UUID(part) for part in raw.split(",") if part]
    except ValueError:
        raise Unprocessable(
            N_("The new order could not be read. Please reload and try again.")
        ) from None
    service.reorder_steps(session=session, routine=routine, step_ids=ids)
    return _see_other(f"{scope.base}/{routine.id}/edit#steps")


async def add_pause(
    request: Request, session: Session, scope: Scope, *, routine_id: uuid.UUID
) -> Response:
    routine = routine_in_scope(session, scope, routine_id)
    values = await read_form(request)
    errors: dict[str, str] = {}
    try:
        starts = date.fromisoformat(str(values.get("pause_starts_on", "")))
    except ValueError:
        starts, errors["pause_starts_on"] = None, _("Choose the first day of the pause.")
    ends = None
    if values.get("pause_ends_on"):
        try:
            ends = date.fromisoformat(str(values["pause_ends_on"]))
        except ValueError:
            errors["pause_ends_on"] = _("Choose the last day, or leave it empty.")
    if starts is not None and not errors:
        try:
            service.add_pause(session=session, routine=routine, starts_on=starts, ends_on=ends)
            return _see_other(f"{scope.base}/{routine.id}/edit?saved=pause#pause")
        except Unprocessable as exc:
            errors["pause_ends_on"] = exc.detail
    return _edit_page(
        request,
        session,
        scope,
        routine,
        errors=errors,
        extra={"pause_form": FormResult(values=values, errors=errors)},
        status=422,
    )


def remove_pause(
    session: Session, scope: Scope, *, routine_id: uuid.UUID, pause_id: uuid.UUID
) -> Response:
    routine = routine_in_scope(session, scope, routine_id)
    service.remove_pause(session=session, routine=routine, pause_id=pause_id)
    return _see_other(f"{scope.base}/{routine.id}/edit?saved=pause#pause")


async def save_reminders(
    request: Request, session: Session, scope: Scope, *, routine_id: uuid.UUID
) -> Response:
    routine = routine_in_scope(session, scope, routine_id)
    values = await read_form(request)
    times = []
    raw = values.get("times", [])
    for text in raw if isinstance(raw, list) else [raw]:
        if not text:
            continue
        try:
            times.append(time.fromisoformat(str(text)))
        except ValueError:
            return _edit_page(
                request,
                session,
                scope,
                routine,
                errors={"times": N_("Use a time like 08:30.")},
                status=422,
            )
    if len(set(times)) > MAX_REMINDER_TIMES:
        errors = {"times": _("Up to %(max)s reminder times.", max=MAX_REMINDER_TIMES)}
        return _edit_page(request, session, scope, routine, errors=errors, status=422)
    service.set_reminder_times(
        session=session,
        routine=routine,
        times=times,
        only_if_not_done=values.get("only_if_not_done") == "on",
    )
    return _see_other(f"{scope.base}/{routine.id}/edit?saved=reminders#reminders")


async def archive_routine(
    request: Request, session: Session, scope: Scope, *, routine_id: uuid.UUID
) -> Response:
    routine = routine_in_scope(session, scope, routine_id)
    restore = (await read_form(request)).get("restore") == "1"
    service.archive_routine(session=session, routine=routine, archived=not restore)
    return _see_other(f"{scope.base}/{routine.id}/edit" if restore else f"{scope.base}?archived=1")


def routine_history(
    request: Request, session: Session, scope: Scope, *, routine_id: uuid.UUID
) -> Response:
    routine = routine_in_scope(session, scope, routine_id)
    today = clock.local_today(scope.client.time_zone)
    data = queries.routine_history(session, routine, today)
    ctx = _common(scope) | {"routine": routine, "history": data, "today": today}
    return render(request, "routines/history.html", ctx)
