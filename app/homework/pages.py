"""Homework pages for the client: the list and an item (accept, ask to change, complete, talk). The
therapist's pages are in therapist_pages.py, included here; the message thread serves both."""

from __future__ import annotations

from typing import Any

from babel.support import LazyProxy
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.accounts.dependencies import (
    CurrentClient,
    CurrentPrincipal,
)
from app.accounts.models import Role
from app.accounts.web import see_other
from app.db import SessionDep
from app.errors import NotFound
from app.forms import read_form, submit_form, worded
from app.homework import kinds, queries, service, therapist_pages
from app.homework.dependencies import ClientAssignment, OwnedAssignment
from app.homework.models import HomeworkAssignment
from app.homework.schemas import ClientAction, CompletionCreate, MessageCreate
from app.homework.states import State, allowed_actions
from app.homework.views import common_context
from app.templates import render

router = APIRouter()


# ---- client -------------------------------------------------------------------------------------
@router.get("/homework", response_class=HTMLResponse)
def homework_list(request: Request, session: SessionDep, client: CurrentClient) -> Response:
    rows = queries.for_client(session, client.id)
    ended = queries.closed_ids(session, client.id, rows)
    open_ = [a for a in rows if a.state in queries.ACTIVE and a.id not in ended]
    closed = [a for a in rows if a.state not in queries.ACTIVE or a.id in ended]
    return render(
        request,
        "homework/list.html",
        {
            "open": open_,
            "closed": closed,
            "ended": ended,
            "schedule": service.schedule_text,
            **common_context(),
        },
    )


def _client_item(
    request: Request, session: SessionDep, a: HomeworkAssignment, **extra: Any
) -> Response:
    status = extra.pop("status_code", 200)
    ended = service.is_closed_for_client(session, a)
    return render(
        request,
        "homework/item.html",
        {
            "ended": ended,
            "ended_text": service.CLOSED_WITH_CARE,
            "a": a,
            "schedule": LazyProxy(service.schedule_text, a, enable_cache=False),
            "kind": kinds.BY_KEY.get(a.kind),
            "attachment": queries.attachment(session, a.id),
            "completions": queries.completions(session, [a.id]),
            "messages": queries.messages(session, a.id),
            "allowed": []
            if ended
            else [x.value for x in allowed_actions(State(a.state), "client")],
            "form": worded(extra.pop("form", None)),
            "action_form": worded(extra.pop("action_form", None)),
            "message_form": worded(extra.pop("message_form", None)),
            **common_context(),
            **extra,
        },
        status_code=status,
    )


@router.get("/homework/{assignment_id}", response_class=HTMLResponse)
def homework_item(
    request: Request, session: SessionDep, assignment: OwnedAssignment, principal: CurrentPrincipal
) -> Response:
    if principal.role != Role.client:
        return see_other(f"/caseload/{assignment.client_id}/homework/{assignment.id}")
    return _client_item(request, session, assignment, saved=request.query_params.get("saved"))


@router.post("/homework/{assignment_id}/action", response_class=HTMLResponse)
async def homework_action(
    request: Request, session: SessionDep, assignment: ClientAssignment, principal: CurrentPrincipal
) -> Response:
    def save(data: ClientAction) -> Response:
        service.client_action(session, client=principal, assignment=assignment, data=data)
        return see_other(f"/homework/{assignment.id}?saved={data.action}")

    return await submit_form(
        request,
        ClientAction,
        save=save,
        show=lambda form, status: _client_item(
            request, session, assignment, action_form=form, status_code=status
        ),
        otherwise="reason",
    )


@router.post("/homework/{assignment_id}/complete", response_class=HTMLResponse)
async def homework_complete(
    request: Request, session: SessionDep, assignment: ClientAssignment, principal: CurrentPrincipal
) -> Response:
    raw = {k: v for k, v in (await read_form(request)).items() if v != ""}
    answers = raw.pop("answers", [])
    raw["answers"] = [answers] if isinstance(answers, str) else answers
    raw["finished"] = raw.get("finished") == "yes"

    def save(data: CompletionCreate) -> Response:
        service.complete(session, client=principal, assignment=assignment, data=data)
        return see_other(f"/homework/{assignment.id}?saved=complete")

    return await submit_form(
        request,
        CompletionCreate,
        values=raw,
        save=save,
        show=lambda form, status: _client_item(
            request, session, assignment, form=form, status_code=status
        ),
        otherwise="reflection",
    )


@router.post("/homework/{assignment_id}/messages", response_class=HTMLResponse)
async def homework_message(
    request: Request, session: SessionDep, assignment: OwnedAssignment, principal: CurrentPrincipal
) -> Response:
    therapist = principal.role != Role.client
    back = (
        f"/caseload/{assignment.client_id}/homework/{assignment.id}"
        if therapist
        else f"/homework/{assignment.id}"
    )
    item_page = therapist_pages.therapist_item_page if therapist else _client_item

    def save(data: MessageCreate) -> Response:
        service.post_message(session, principal=principal, assignment=assignment, body=data.body)
        return see_other(back + "?saved=message#thread")

    return await submit_form(
        request,
        MessageCreate,
        save=save,
        show=lambda form, status: item_page(
            request, session, assignment, message_form=form, status_code=status
        ),
        otherwise="body",
        refusal_status=None,
    )


@router.get("/homework/{assignment_id}/attachment")
def homework_attachment(assignment: OwnedAssignment, session: SessionDep) -> Response:
    file = queries.attachment(session, assignment.id)
    if file is None:
        raise NotFound()
    disposition = "inline" if file.media_type.startswith("image/") else "attachment"
    return Response(
        file.data,
        media_type=file.media_type,
        headers={
            "Content-Disposition": f'{disposition}; filename="{file.filename}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )


router.include_router(therapist_pages.router)
