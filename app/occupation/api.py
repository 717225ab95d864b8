"""Occupation JSON API. Clients use /occupation/… for their own record; therapists
/clients/{client_id}/occupation/… (policy-checked and audited). Versioned saves answer 409 when stale."""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter, Query, Response

from app import versioning
from app.accounts.dependencies import CurrentClient, CurrentPrincipal
from app.accounts.models import User
from app.db import SessionDep
from app.occupation import diary_service, service
from app.occupation.dependencies import TherapistClient, VisibleRound
from app.occupation.models import OccupationProfile
from app.occupation.schemas import (
    ActivityIn,
    ActivityPublic,
    BalancePublic,
    ChangePublic,
    DiaryEntryIn,
    DiaryEntryPublic,
    DiaryWeekPublic,
    LiftPublic,
    PerformancePublic,
    ProfileIn,
    ProfilePublic,
    RatingPublic,
    RoundIn,
    RoundPublic,
    RoundUpdate,
)
from app.occupation.scores import Change
from app.web_security import Principal

router = APIRouter(tags=["occupation"])
MINE = "/occupation"
THEIRS = "/clients/{client_id}/occupation"


def _profile(row: OccupationProfile | None) -> ProfilePublic:
    """Nothing saved yet is version 0 with empty answers: the first save is based on version 0."""
    if row is None:
        return ProfilePublic(
            version=0,
            roles="",
            typical_day="",
            what_matters="",
            strengths="",
            supports="",
            environment="",
            hopes="",
            created_at=None,
        )
    return ProfilePublic.model_validate(row)


def _change(c: Change | None) -> ChangePublic | None:
    if c is None:
        return None
    return ChangePublic(before=c.before, after=c.after, delta=c.delta, meaningful=c.meaningful)


def performance_public(session: SessionDep, client_id: uuid.UUID) -> PerformancePublic:
    perf = service.performance(session, client_id)
    change = perf.change()
    return PerformancePublic(
        activities=[ActivityPublic(id=a.id, title=a.title) for a in perf.activities],
        rounds=[
            RoundPublic(
                id=v.round.id,
                rated_on=v.round.rated_on,
                version=v.round.version,
                performance=v.score.performance if v.score else None,
                satisfaction=v.score.satisfaction if v.score else None,
                ratings=[RatingPublic.model_validate(r) for r in v.ratings.values()],
            )
            for v in perf.rounds
        ],
        performance_change=_change(change[0] if change else None),
        satisfaction_change=_change(change[1] if change else None),
    )


def _week(session: SessionDep, client: User, start: date | None) -> DiaryWeekPublic:
    view = diary_service.week_view(
        session,
        client_id=client.id,
        starts_on=diary_service.week_start_for(session, client=client, asked=start),
    )
    return DiaryWeekPublic(
        starts_on=view.starts_on,
        entries=[DiaryEntryPublic.model_validate(e) for e in view.entries],
        balance=[BalancePublic.model_validate(b, from_attributes=True) for b in view.balance],
        lifts_mood=[LiftPublic.model_validate(r, from_attributes=True) for r in view.lifts_mood],
    )


def _save_profile(
    session: SessionDep,
    principal: Principal,
    client: User,
    body: ProfileIn,
    if_match: str | None,
    response: Response,
) -> ProfilePublic:
    row = service.save_profile(
        session,
        principal=principal,
        client=client,
        data=body,
        expected=versioning.expected(if_match, body.version),
    )
    response.headers.update(versioning.etag_headers(row.version))
    return _profile(row)


# --- profile ------------------------------------------------------------------------------------


def _tagged(profile: ProfilePublic, response: Response) -> ProfilePublic:
    """The version as a strong ETag, for an If-Match on the next PUT."""
    response.headers.update(versioning.etag_headers(profile.version))
    return profile


@router.get(f"{MINE}/profile", response_model=ProfilePublic)
def my_profile(session: SessionDep, me: CurrentClient, response: Response) -> ProfilePublic:
    return _tagged(_profile(service.latest_profile(session, me.id)), response)


@router.put(f"{MINE}/profile", response_model=ProfilePublic)
def put_my_profile(
    body: ProfileIn,
    session: SessionDep,
    me: CurrentClient,
    response: Response,
    if_match: versioning.IfMatch = None,
) -> ProfilePublic:
    """A new version; 409 (edit-conflict, naming what differs) when saved from an older one."""
    return _save_profile(session, me, me.user, body, if_match, response)


@router.get(f"{THEIRS}/profile", response_model=ProfilePublic)
def client_profile(
    client: TherapistClient, session: SessionDep, response: Response
) -> ProfilePublic:
    return _tagged(_profile(service.latest_profile(session, client.id)), response)


@router.put(f"{THEIRS}/profile", response_model=ProfilePublic)
def put_client_profile(
    body: ProfileIn,
    client: TherapistClient,
    session: SessionDep,
    principal: CurrentPrincipal,
    response: Response,
    if_match: versioning.IfMatch = None,
) -> ProfilePublic:
    return _save_profile(session, principal, client, body, if_match, response)


# --- rated activities ---------------------------------------------------------------------------


@router.get(f"{MINE}/ratings", response_model=PerformancePublic)
def my_ratings(session: SessionDep, me: CurrentClient) -> PerformancePublic:
    return performance_public(session, me.id)


@router.post(f"{MINE}/activities", response_model=ActivityPublic, status_code=201)
def add_my_activity(body: ActivityIn, session: SessionDep, me: CurrentClient) -> ActivityPublic:
    row = service.add_activity(session, principal=me, client=me.user, data=body)
    return ActivityPublic(id=row.id, title=row.title)


@router.post(f"{MINE}/ratings", response_model=RoundPublic, status_code=201)
def rate_mine(body: RoundIn, session: SessionDep, me: CurrentClient) -> RoundPublic:
    row = service.rate(session, principal=me, client=me.user, data=body)
    return _round(session, row.client_id, row.id)


@router.get(f"{THEIRS}/ratings", response_model=PerformancePublic)
def client_ratings(client: TherapistClient, session: SessionDep) -> PerformancePublic:
    return performance_public(session, client.id)


@router.post(f"{THEIRS}/ratings", response_model=RoundPublic, status_code=201)
def rate_client(
    body: RoundIn, client: TherapistClient, session: SessionDep, principal: CurrentPrincipal
) -> RoundPublic:
    row = service.rate(session, principal=principal, client=client, data=body)
    return _round(session, row.client_id, row.id)


@router.put("/occupation/ratings/{round_id}", response_model=RoundPublic)
def update_round(
    body: RoundUpdate,
    round_: VisibleRound,
    session: SessionDep,
    principal: CurrentPrincipal,
    response: Response,
    if_match: versioning.IfMatch = None,
) -> RoundPublic:
    """Correct a round of ratings; 409 when someone saved it since it was opened and it differs."""
    row = service.update_round(
        session,
        principal=principal,
        round_=round_,
        data=body,
        expected=versioning.expected(if_match, body.version),
    )
    response.headers.update(versioning.etag_headers(row.version))
    return _round(session, row.client_id, row.id)


def _round(session: SessionDep, client_id: uuid.UUID, round_id: uuid.UUID) -> RoundPublic:
    return next(r for r in performance_public(session, client_id).rounds if r.id == round_id)


# --- diary --------------------------------------------------------------------------------------


@router.post(f"{MINE}/diary", response_model=DiaryEntryPublic, status_code=201)
def record_block(body: DiaryEntryIn, session: SessionDep, me: CurrentClient) -> DiaryEntryPublic:
    """One part of one day; the phone's own id makes an offline replay harmless."""
    return DiaryEntryPublic.model_validate(diary_service.record(session, client=me.user, data=body))


@router.get(f"{MINE}/diary", response_model=DiaryWeekPublic)
def my_diary(
    session: SessionDep, me: CurrentClient, start: date | None = Query(default=None)
) -> DiaryWeekPublic:
    return _week(session, me.user, start)


@router.get(f"{THEIRS}/diary", response_model=DiaryWeekPublic)
def client_diary(
    client: TherapistClient, session: SessionDep, start: date | None = Query(default=None)
) -> DiaryWeekPublic:
    return _week(session, client, start)
