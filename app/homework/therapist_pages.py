"""Therapist homework pages under /caseload/{client_id}/homework: assign, review, revise, cancel.
Included by pages.py; the message thread route (both audiences) is there and shows this item page."""

from __future__ import annotations

from typing import Any

from babel.support import LazyProxy
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from app import clock, versioning
from app.accounts.dependencies import AccessibleClient, CurrentTherapist
from app.accounts.web import see_other
from app.body_limit import upload_limit
from app.db import SessionDep
from app.forms import FormResult, finish_form, validate, worded
from app.homework import edits, queries, service
from app.homework.attachments import MAX_BYTES, AttachmentError, CheckedAttachment, check
from app.homework.dependencies import ClientsAssignment
from app.homework.models import HomeworkAssignment
from app.homework.schemas import AssignmentCreate
from app.homework.views import common_context
from app.i18n import N_, gettext
from app.templates import render

router = APIRouter()


_SCALARS = (
    "kind",
    "title",
    "instructions",
    "target",
    "level",
    "frequency",
    "due_on",
    "reminder_time",
)


async def _assignment_form(
    request: Request, current: HomeworkAssignment | None = None
) -> tuple[FormResult[AssignmentCreate], CheckedAttachment | None, str]:
    """The assign / revise form. With `current` (a revision), the conflict page's choices are
    applied and `version` is kept in `form.values` for the page to carry on."""
    data = await request.form()
    sent: dict[str, Any] = {k: v for k, v in data.items() if isinstance(v, str)}
    sent["weekdays"] = [w for w in data.getlist("weekdays") if isinstance(w, str)]
    if current is not None:
        sent = versioning.apply_choices(
            sent, fields=edits.FIELDS, current=edits.form_values(current)
        )
    values: dict[str, Any] = {}
    for key in _SCALARS:
        v = sent.get(key)
        if isinstance(v, str) and v.strip():
            values[key] = v
    questions = str(sent.get("questions") or "")
    values["questions"] = [q.strip() for q in questions.splitlines() if q.strip()]
    weekdays = sent.get("weekdays") or []
    values["weekdays"] = weekdays if isinstance(weekdays, list) else [weekdays]
    form = validate(AssignmentCreate, values)
    form.values["questions"] = questions
    form.values["weekdays"] = values["weekdays"]
    if versioning.VERSION_FIELD in sent:
        form.values[versioning.VERSION_FIELD] = sent[versioning.VERSION_FIELD]
    upload = data.get("attachment")
    checked, name = None, ""
    if isinstance(upload, UploadFile) and upload.filename:
        raw = await upload.read(MAX_BYTES + 1)
        await upload.close()
        try:
            checked, name = check(raw), upload.filename
        except AttachmentError as exc:
            form.add_error("attachment", gettext(exc.message, **exc.params))
    return form, checked, name


@router.get("/caseload/{client_id}/homework", response_class=HTMLResponse)
def therapist_list(
    request: Request, session: SessionDep, client: AccessibleClient, _t: CurrentTherapist
) -> Response:
    return _therapist_list(request, session, client, None)


def _therapist_list(
    request: Request, session: SessionDep, client: Any, form: Any, status: int = 200
) -> Response:
    rows = queries.for_client(session, client.id)
    done = queries.completions(session, [a.id for a in rows])
    counts: dict[Any, int] = {}
    for c in done:
        counts[c.assignment_id] = counts.get(c.assignment_id, 0) + 1
    today = clock.local_today(client.time_zone)
    if form is None:
        form = FormResult(values={"frequency": "once", "kind": "task", "due_on": ""})
    return render(
        request,
        "homework/therapist_list.html",
        {
            "client": client,
            "rows": rows,
            "counts": counts,
            "form": worded(form),
            "today": today,
            "schedule": service.schedule_text,
            "max_mb": MAX_BYTES // (1024 * 1024),
            **common_context(),
        },
        status_code=status,
    )


@router.post(
    "/caseload/{client_id}/homework",
    response_class=HTMLResponse,
    openapi_extra=upload_limit(MAX_BYTES),
)
async def therapist_assign(
    request: Request, session: SessionDep, client: AccessibleClient, therapist: CurrentTherapist
) -> Response:
    form, checked, name = await _assignment_form(request)

    def save(data: AssignmentCreate) -> Response:
        a = service.assign(
            session,
            therapist=therapist,
            client=client,
            data=data,
            attachment=checked,
            attachment_name=name,
        )
        return see_other(f"/caseload/{client.id}/homework/{a.id}?saved=assigned")

    return finish_form(
        form,
        save=save,
        show=lambda form, status: _therapist_list(request, session, client, form, status),
        otherwise="due_on",
    )


def therapist_item_page(
    request: Request, session: SessionDep, a: HomeworkAssignment, **extra: Any
) -> Response:
    from app.accounts.models import User

    status = extra.pop("status_code", 200)
    client = session.get(User, a.client_id)
    form = extra.pop("form", None) or FormResult(
        values=edits.form_values(a) | {versioning.VERSION_FIELD: str(a.version)}
    )
    return render(
        request,
        "homework/therapist_item.html",
        {
            "client": client,
            "a": a,
            "schedule": LazyProxy(service.schedule_text, a, enable_cache=False),
            "attachment": queries.attachment(session, a.id),
            "completions": queries.completions(session, [a.id]),
            "messages": queries.messages(session, a.id),
            "form": worded(form),
            "message_form": worded(extra.pop("message_form", None)),
            "open": a.state in queries.ACTIVE or a.state == "declined",
            "saved": request.query_params.get("saved"),
            "max_mb": MAX_BYTES // (1024 * 1024),
            **common_context(),
        },
        status_code=status,
    )


@router.get("/caseload/{client_id}/homework/{assignment_id}", response_class=HTMLResponse)
def therapist_item(
    request: Request, session: SessionDep, assignment: ClientsAssignment, _t: CurrentTherapist
) -> Response:
    return therapist_item_page(request, session, assignment)


@router.post(
    "/caseload/{client_id}/homework/{assignment_id}/revise",
    response_class=HTMLResponse,
    openapi_extra=upload_limit(MAX_BYTES),
)
async def therapist_revise(
    request: Request,
    session: SessionDep,
    assignment: ClientsAssignment,
    therapist: CurrentTherapist,
) -> Response:
    form, checked, name = await _assignment_form(request, assignment)
    url = f"/caseload/{assignment.client_id}/homework/{assignment.id}"

    def save(data: AssignmentCreate) -> Response:
        try:
            service.revise(
                session,
                therapist=therapist,
                assignment=assignment,
                data=data,
                attachment=checked,
                attachment_name=name,
                expected=versioning.form_version(form.values),
            )
        except versioning.EditConflict as conflict:
            note = (
                N_("The attachment you chose was not kept: please add it again.") if checked else ""
            )
            return versioning.render_conflict(
                request,
                conflict,
                title=assignment.title,
                action=f"{url}/revise",
                values=form.values,
                cancel=url,
                context={"note": note},
            )
        return see_other(f"{url}?saved=revised")

    return finish_form(
        form,
        save=save,
        show=lambda form, status: therapist_item_page(
            request, session, assignment, form=form, status_code=status
        ),
        otherwise="due_on",
    )


@router.post("/caseload/{client_id}/homework/{assignment_id}/cancel", response_class=HTMLResponse)
def therapist_cancel(
    session: SessionDep, assignment: ClientsAssignment, therapist: CurrentTherapist
) -> Response:
    service.cancel(session, therapist=therapist, assignment=assignment)
    return see_other(f"/caseload/{assignment.client_id}/homework/{assignment.id}?saved=cancelled")
