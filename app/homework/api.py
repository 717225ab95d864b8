"""Homework JSON API: clients act on their own homework, therapists on their caseload's."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import Response

from app import versioning
from app.accounts.dependencies import (
    AccessibleClient,
    CurrentClient,
    CurrentPrincipal,
    CurrentTherapist,
)
from app.accounts.models import Role
from app.db import SessionDep
from app.homework import queries, service
from app.homework.dependencies import ClientAssignment, OwnedAssignment, TherapistAssignment
from app.homework.models import HomeworkAssignment
from app.homework.schemas import (
    AssignmentCreate,
    AssignmentPublic,
    AssignmentUpdate,
    ClientAction,
    CompletionCreate,
    CompletionPublic,
    HomeworkDetail,
    MessageCreate,
    MessagePublic,
    NoticePublic,
)
from app.homework.states import Role as Role_

router = APIRouter(tags=["homework"])
NO_STORE = {"Cache-Control": "no-store"}


def _listing(session: SessionDep, client_id: uuid.UUID, role: Role_) -> list[AssignmentPublic]:
    rows = queries.for_client(session, client_id)
    attached = queries.attachment_ids(session, [a.id for a in rows])
    closed = queries.closed_ids(session, client_id, rows)
    return [
        queries.public(a, role=role, has_attachment=a.id in attached, closed=a.id in closed)
        for a in rows
    ]


def _one(session: SessionDep, a: HomeworkAssignment, role: Role_) -> AssignmentPublic:
    return queries.public(
        a,
        role=role,
        has_attachment=queries.attachment(session, a.id) is not None,
        closed=service.is_closed_for_client(session, a),
    )


@router.get("/homework", response_model=list[AssignmentPublic])
def my_homework(
    session: SessionDep, client: CurrentClient, response: Response
) -> list[AssignmentPublic]:
    response.headers.update(NO_STORE)
    return _listing(session, client.id, "client")


@router.get("/clients/{client_id}/homework", response_model=list[AssignmentPublic])
def client_homework(
    client: AccessibleClient, session: SessionDep, _t: CurrentTherapist, response: Response
) -> list[AssignmentPublic]:
    response.headers.update(NO_STORE)
    return _listing(session, client.id, "therapist")


@router.post("/clients/{client_id}/homework", response_model=AssignmentPublic, status_code=201)
def assign(
    data: AssignmentCreate,
    client: AccessibleClient,
    session: SessionDep,
    therapist: CurrentTherapist,
) -> AssignmentPublic:
    a = service.assign(session, therapist=therapist, client=client, data=data)
    return _one(session, a, "therapist")


@router.get("/homework/{assignment_id}", response_model=HomeworkDetail)
def homework_detail(
    assignment: OwnedAssignment,
    session: SessionDep,
    principal: CurrentPrincipal,
    response: Response,
) -> HomeworkDetail:
    response.headers.update(NO_STORE | versioning.etag_headers(assignment.version))
    role: Role_ = "client" if principal.role == Role.client else "therapist"
    return HomeworkDetail(
        assignment=_one(session, assignment, role),
        completions=[
            CompletionPublic.model_validate(c)
            for c in queries.completions(session, [assignment.id])
        ],
        messages=[
            MessagePublic.model_validate(m) for m in queries.messages(session, assignment.id)
        ],
    )


@router.put("/homework/{assignment_id}", response_model=AssignmentPublic)
def revise(
    data: AssignmentUpdate,
    assignment: TherapistAssignment,
    session: SessionDep,
    principal: CurrentPrincipal,
    response: Response,
    if_match: versioning.IfMatch = None,
) -> AssignmentPublic:
    a = service.revise(
        session,
        therapist=principal,
        assignment=assignment,
        data=data,
        expected=versioning.parse_if_match(if_match),
    )
    response.headers.update(versioning.etag_headers(a.version))
    return _one(session, a, "therapist")


@router.post("/homework/{assignment_id}/cancel", response_model=AssignmentPublic)
def cancel(
    assignment: TherapistAssignment, session: SessionDep, principal: CurrentPrincipal
) -> AssignmentPublic:
    return _one(
        session, service.cancel(session, therapist=principal, assignment=assignment), "therapist"
    )


@router.post("/homework/{assignment_id}/actions", response_model=AssignmentPublic)
def act(
    data: ClientAction,
    assignment: ClientAssignment,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> AssignmentPublic:
    a = service.client_action(session, client=principal, assignment=assignment, data=data)
    return _one(session, a, "client")


@router.post(
    "/homework/{assignment_id}/completions", response_model=CompletionPublic, status_code=201
)
def complete(
    data: CompletionCreate,
    assignment: ClientAssignment,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> CompletionPublic:
    row = service.complete(session, client=principal, assignment=assignment, data=data)
    return CompletionPublic.model_validate(row)


@router.post("/homework/{assignment_id}/messages", response_model=MessagePublic, status_code=201)
def message(
    data: MessageCreate,
    assignment: OwnedAssignment,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> MessagePublic:
    msg = service.post_message(session, principal=principal, assignment=assignment, body=data.body)
    return MessagePublic.model_validate(msg)


@router.get("/homework-notices", response_model=list[NoticePublic])
def notices(
    session: SessionDep, therapist: CurrentTherapist, response: Response
) -> list[NoticePublic]:
    response.headers.update(NO_STORE)
    return [NoticePublic.model_validate(n) for n in service.notices(session, therapist.id)]
