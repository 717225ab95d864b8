"""JSON API: /api/v1/sensory/… for a client's own data, /api/v1/clients/{client_id}/sensory/… for
their therapist (and themself); diet items by id for both, policy-checked."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Response
from sqlmodel import Session

from app import clock, versioning
from app.accounts.dependencies import (
    AccessibleClient,
    ClientSharingSensory,
    CurrentClient,
    CurrentPrincipal,
)
from app.accounts.models import User
from app.db import SessionDep
from app.errors import Unprocessable
from app.i18n import use_language
from app.sensory import diet_queries, diet_service, service
from app.sensory.dependencies import OwnedDietItem
from app.sensory.diet_service import DietInput
from app.sensory.models import SensoryDietItem
from app.sensory.profile import ProfileError, summarize, validate_answers
from app.sensory.schemas import (
    ActivityPublic,
    CheckoffIn,
    CheckoffPublic,
    DietItemIn,
    DietItemPublic,
    DueItemPublic,
    KitIn,
    KitPublic,
    ProfileIn,
    ProfilePublic,
    ProfileView,
    ReportPublic,
)
from app.sensory.words import activities_in
from app.web_security import Principal

router = APIRouter(tags=["sensory"])


def item_public(row: SensoryDietItem) -> DietItemPublic:
    return DietItemPublic(
        id=row.id,
        activity_id=row.activity_id,
        title=row.title,
        local_time=row.local_time,
        days=sorted(diet_service.days_of(row.days_mask)),
        minutes=row.minutes,
        effect=row.effect,
        course=row.course,
        notes=row.notes,
        remind=row.remind,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        cautions=diet_service.cautions_for(row),
        version=row.version,
    )


def _profile_view(session: Session, client: User, viewer: Principal) -> ProfileView:
    """Clients read "You tend to…"; their therapist reads the client's name."""
    row = service.latest_profile(session, client.id)
    name = client.preferred_name if viewer.id != client.id else None
    with use_language(viewer.user.language):  # the summary is worded for the one reading it
        summary = list(summarize(service.answers_of(row), name=name).lines)
    return ProfileView(
        profile=ProfilePublic.model_validate(row) if row else None,
        summary=summary,
    )


def _save_profile(
    session: Session, principal: Principal, client: User, body: ProfileIn
) -> ProfileView:
    try:
        answers = validate_answers(
            responses={str(k): str(v) for k, v in body.responses.items()},
            triggers=body.triggers,
            calming=body.calming,
            alerting=body.alerting,
            notes=body.notes,
        )
    except ProfileError as err:
        raise Unprocessable(f"{err.field}: {err.message}") from None
    service.save_profile(session, principal=principal, client_id=client.id, answers=answers)
    return _profile_view(session, client, principal)


def _kit_public(session: Session, client: User) -> KitPublic:
    kit = service.get_kit(session, client.id)
    if kit is None:
        return KitPublic(items=[], corner_items=[], corner_location="", corner_notes="")
    return KitPublic.model_validate(kit)


def _save_kit(session: Session, principal: Principal, client: User, body: KitIn) -> KitPublic:
    try:
        service.save_kit(
            session,
            principal=principal,
            client_id=client.id,
            items=body.items,
            corner_items=body.corner_items,
            corner_location=body.corner_location,
            corner_notes=body.corner_notes,
        )
    except ValueError:
        raise Unprocessable("items: unknown kit item") from None
    return _kit_public(session, client)


def diet_input(body: DietItemIn) -> DietInput:
    return DietInput(
        local_time=body.local_time,
        days=frozenset(body.days),
        activity_id=body.activity_id,
        title=body.title,
        minutes=body.minutes,
        effect=body.effect,
        course=body.course,
        notes=body.notes,
        remind=body.remind,
    )


@router.get("/sensory/activities", response_model=list[ActivityPublic])
def list_activities(principal: CurrentPrincipal) -> list[ActivityPublic]:
    """The library with its words in the reader's language (ids and rules are the same)."""
    library = activities_in(principal.user.language)
    return [ActivityPublic.model_validate(a) for a in library.values()]


@router.get("/sensory/profile", response_model=ProfileView)
def my_profile(session: SessionDep, me: CurrentClient) -> ProfileView:
    return _profile_view(session, me.user, me)


@router.put("/sensory/profile", response_model=ProfileView)
def put_my_profile(body: ProfileIn, session: SessionDep, me: CurrentClient) -> ProfileView:
    return _save_profile(session, me, me.user, body)


@router.get("/clients/{client_id}/sensory/profile", response_model=ProfileView)
def client_profile(
    client: ClientSharingSensory, session: SessionDep, principal: CurrentPrincipal
) -> ProfileView:
    return _profile_view(session, client, principal)


@router.put("/clients/{client_id}/sensory/profile", response_model=ProfileView)
def put_client_profile(
    body: ProfileIn, client: ClientSharingSensory, session: SessionDep, principal: CurrentPrincipal
) -> ProfileView:
    return _save_profile(session, principal, client, body)


@router.get("/sensory/kit", response_model=KitPublic)
def my_kit(session: SessionDep, me: CurrentClient) -> KitPublic:
    return _kit_public(session, me.user)


@router.put("/sensory/kit", response_model=KitPublic)
def put_my_kit(body: KitIn, session: SessionDep, me: CurrentClient) -> KitPublic:
    return _save_kit(session, me, me.user, body)


@router.get("/clients/{client_id}/sensory/kit", response_model=KitPublic)
def client_kit(client: AccessibleClient, session: SessionDep) -> KitPublic:
    return _kit_public(session, client)


@router.put("/clients/{client_id}/sensory/kit", response_model=KitPublic)
def put_client_kit(
    body: KitIn, client: AccessibleClient, session: SessionDep, principal: CurrentPrincipal
) -> KitPublic:
    return _save_kit(session, principal, client, body)


@router.get("/sensory/diet", response_model=list[DietItemPublic])
def my_diet(session: SessionDep, me: CurrentClient) -> list[DietItemPublic]:
    return [item_public(r) for r in diet_service.list_items(session, client=me.user)]


@router.post("/sensory/diet", response_model=DietItemPublic, status_code=201)
def add_my_diet_item(body: DietItemIn, session: SessionDep, me: CurrentClient) -> DietItemPublic:
    row = diet_service.create_item(
        session, principal=me, client=me.user, data=diet_input(body), item_id=body.id
    )
    return item_public(row)


@router.get("/sensory/diet/today", response_model=list[DueItemPublic])
def my_diet_today(session: SessionDep, me: CurrentClient) -> list[DueItemPublic]:
    day = clock.local_today(me.user.time_zone)
    return [
        DueItemPublic(
            item=item_public(r.item),
            checkoff=CheckoffPublic.model_validate(r.checkoff) if r.checkoff else None,
        )
        for r in diet_queries.due_rows(session, me.user, day)
    ]


@router.get("/clients/{client_id}/sensory/diet", response_model=list[DietItemPublic])
def client_diet(client: AccessibleClient, session: SessionDep) -> list[DietItemPublic]:
    return [item_public(r) for r in diet_service.list_items(session, client=client)]


@router.post("/clients/{client_id}/sensory/diet", response_model=DietItemPublic, status_code=201)
def add_client_diet_item(
    body: DietItemIn, client: AccessibleClient, session: SessionDep, principal: CurrentPrincipal
) -> DietItemPublic:
    row = diet_service.create_item(
        session, principal=principal, client=client, data=diet_input(body), item_id=body.id
    )
    return item_public(row)


@router.get("/clients/{client_id}/sensory/report", response_model=ReportPublic)
def client_report(client: AccessibleClient, session: SessionDep) -> ReportPublic:
    rep = diet_queries.report(session, client)
    return ReportPublic.model_validate(
        {
            "start": rep.start,
            "end": rep.end,
            "total": rep.total,
            "items": [
                {
                    "item": item_public(r.item),
                    "adherence": r.adherence,
                    "pattern": r.pattern,
                    "description": r.description,
                }
                for r in rep.items
            ],
        }
    )


@router.get("/sensory/diet/{item_id}", response_model=DietItemPublic)
def get_diet_item(owned: OwnedDietItem, response: Response) -> DietItemPublic:
    response.headers.update(versioning.etag_headers(owned.item.version))
    return item_public(owned.item)


@router.put("/sensory/diet/{item_id}", response_model=DietItemPublic)
def put_diet_item(
    body: DietItemIn,
    owned: OwnedDietItem,
    session: SessionDep,
    principal: CurrentPrincipal,
    response: Response,
    if_match: versioning.IfMatch = None,
) -> DietItemPublic:
    row = diet_service.update_item(
        session,
        principal=principal,
        client=owned.client,
        item=owned.item,
        data=diet_input(body),
        expected=versioning.parse_if_match(if_match),
    )
    response.headers.update(versioning.etag_headers(row.version))
    return item_public(row)


@router.delete("/sensory/diet/{item_id}", status_code=204)
def delete_diet_item(
    owned: OwnedDietItem,
    session: SessionDep,
    principal: CurrentPrincipal,
    if_match: versioning.IfMatch = None,
) -> Response:
    diet_service.end_item(
        session,
        principal=principal,
        client=owned.client,
        item=owned.item,
        expected=versioning.parse_if_match(if_match),
    )
    return Response(status_code=204)


@router.post("/sensory/diet/{item_id}/checkoffs", response_model=CheckoffPublic, status_code=201)
def check_off_item(
    body: CheckoffIn, owned: OwnedDietItem, session: SessionDep, principal: CurrentPrincipal
) -> CheckoffPublic:
    row = diet_service.check_off(
        session,
        principal=principal,
        client=owned.client,
        item=owned.item,
        felt_after=body.felt_after,
        felt_before=body.felt_before,
        on=body.on,
        checkoff_id=body.id,
        tapped_at=body.tapped_at,
    )
    return CheckoffPublic.model_validate(row)


@router.delete("/sensory/diet/{item_id}/checkoffs/{on}", status_code=204)
def undo_check_off(owned: OwnedDietItem, on: date, session: SessionDep) -> Response:
    diet_service.undo_check_off(session, client=owned.client, item=owned.item, on=on)
    return Response(status_code=204)
