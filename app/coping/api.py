"""Calm JSON API. Thin: access through the policy dependencies, behaviour in the services.

Health data: every response is `Cache-Control: no-store` (the phone keeps its own copy in IndexedDB).
"""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from pydantic import TypeAdapter

from app import versioning
from app.accounts.dependencies import (
    AccessibleClient,
    ClientSharingCalm,
    CurrentClient,
    CurrentTherapist,
)
from app.coping import kept_lists, plans, service, sync, toolbox
from app.coping.ranking import Situation, say
from app.coping.schemas import (
    EffectivenessPublic,
    EpisodeCreate,
    EpisodePublic,
    Place,
    PlanPublic,
    PlanUpdate,
    PreferenceUpdate,
    Recommendation,
    StrategyKey,
    SuggestionPublic,
    SyncPublic,
    ToolboxPublic,
)
from app.db import SessionDep
from app.i18n import current_language
from app.transactions import brief_read

router = APIRouter(tags=["calm"])
NO_STORE = {"Cache-Control": "no-store"}
PlanKind = Literal["safety", "wellness"]
# The ranked list is the calm flow's hot path: its models are built (and so validated) here, then
# serialised once. Returning a Response skips FastAPI's second validation of the same list, which
# for a sync route is one more threadpool hop per request.
SUGGESTIONS = TypeAdapter(list[SuggestionPublic])


def _no_store(response: Response) -> None:
    response.headers["Cache-Control"] = "no-store"


@router.get("/calm/suggestions", response_model=list[SuggestionPublic])
@brief_read
def suggestions(
    session: SessionDep,
    principal: CurrentClient,
    level: Annotated[int, Query(ge=0, le=10)],
    place: Place | None = None,
    minutes: Annotated[int | None, Query(ge=1, le=60)] = None,
    limit: Annotated[int, Query(ge=3, le=10)] = 5,
) -> Response:
    situation = Situation(level, place, minutes)
    client = principal.user

    def make() -> bytes:
        found = service.suggestions(
            session=session, client=client, situation=situation, limit=limit
        )
        # The reason in the person's language (the ranking is the same for every language).
        ranked = [
            SuggestionPublic(
                strategy=s.strategy,
                reason=say(s.ranked.why[0]) if s.ranked.why else s.ranked.reason,
                note=s.note,
                expected_drop=s.ranked.expected_drop,
            )
            for s in found
        ]
        return SUGGESTIONS.dump_json(ranked)

    key = (service.seed_for(client), current_language(), situation, limit)
    body = kept_lists.answer(session, client, key, make)
    return Response(body, media_type="application/json", headers=NO_STORE)


@router.get("/calm/sync", response_model=SyncPublic)
def sync_bundle(session: SessionDep, principal: CurrentClient, response: Response) -> SyncPublic:
    _no_store(response)
    return sync.bundle(session, principal.user)


@router.post("/calm/episodes", response_model=EpisodePublic, status_code=201)
def create_episode(
    body: EpisodeCreate, session: SessionDep, principal: CurrentClient, response: Response
) -> EpisodePublic:
    _no_store(response)
    episode = service.record_episode(
        session=session, client=principal.user, data=service.EpisodeInput(**body.model_dump())
    )
    return EpisodePublic.model_validate(episode, from_attributes=True)


@router.get("/calm/episodes", response_model=list[EpisodePublic])
def my_episodes(
    session: SessionDep, principal: CurrentClient, response: Response
) -> list[EpisodePublic]:
    _no_store(response)
    rows = service.recent_episodes(session, client_id=principal.user.id, limit=100)
    return [EpisodePublic.model_validate(r, from_attributes=True) for r in rows]


@router.put("/calm/toolbox/{strategy_key}", response_model=ToolboxPublic)
def set_preference(
    strategy_key: StrategyKey, body: PreferenceUpdate, session: SessionDep, principal: CurrentClient
) -> ToolboxPublic:
    entry = toolbox.set_preference(
        session=session,
        client=principal.user,
        strategy_key=strategy_key,
        favourite=body.favourite,
        hidden=body.hidden,
    )
    return ToolboxPublic.model_validate(entry, from_attributes=True)


@router.get("/calm/plans/{kind}", response_model=PlanPublic)
def my_plan(
    kind: PlanKind, session: SessionDep, principal: CurrentClient, response: Response
) -> PlanPublic:
    return _plan_public(session, principal.user.id, kind, response)


@router.put("/calm/plans/{kind}", response_model=PlanPublic)
def save_my_plan(
    kind: PlanKind,
    body: PlanUpdate,
    session: SessionDep,
    principal: CurrentClient,
    response: Response,
    if_match: versioning.IfMatch = None,
) -> PlanPublic:
    plans.save_plan(
        session=session,
        actor=principal.user,
        client=principal.user,
        kind=kind,
        sections=dict(body.sections),
        expected=versioning.expected(if_match, body.version),
    )
    return _plan_public(session, principal.user.id, kind, response)


def _plan_public(
    session: SessionDep, client_id: uuid.UUID, kind: PlanKind, response: Response
) -> PlanPublic:
    """The plan, with its version as the ETag a later save sends back in If-Match."""
    plan = plans.get_plan(session, client_id, kind)
    version = plan.version if plan else 0
    _no_store(response)
    response.headers.update(versioning.etag_headers(version))
    return PlanPublic(
        kind=kind,
        version=version,
        updated_at=plan.updated_at if plan else None,
        sections={s.key: text for s, text in plans.sections_of(plan, kind)},
    )


# ----------------------------------------------------------------- therapist, per client
@router.get("/clients/{client_id}/calm/effectiveness", response_model=list[EffectivenessPublic])
def client_effectiveness(
    client: ClientSharingCalm, session: SessionDep, response: Response
) -> list[EffectivenessPublic]:
    _no_store(response)
    return [
        EffectivenessPublic(**e.__dict__) for e in service.effectiveness(session, client=client)
    ]


@router.get("/clients/{client_id}/calm/episodes", response_model=list[EpisodePublic])
def client_episodes(
    client: ClientSharingCalm, session: SessionDep, response: Response
) -> list[EpisodePublic]:
    _no_store(response)
    rows = service.recent_episodes(session, client_id=client.id, limit=200)
    return [EpisodePublic.model_validate(r, from_attributes=True) for r in rows]


@router.put(
    "/clients/{client_id}/calm/recommendations/{strategy_key}", response_model=ToolboxPublic
)
def recommend(
    strategy_key: StrategyKey,
    body: Recommendation,
    client: AccessibleClient,
    therapist: CurrentTherapist,
    session: SessionDep,
) -> ToolboxPublic:
    entry = toolbox.recommend(
        session=session,
        therapist=therapist.user,
        client=client,
        strategy_key=strategy_key,
        note=body.note,
        on=body.on,
    )
    return ToolboxPublic.model_validate(entry, from_attributes=True)


@router.get("/clients/{client_id}/calm/plans/{kind}", response_model=PlanPublic)
def client_plan(
    kind: PlanKind, client: AccessibleClient, session: SessionDep, response: Response
) -> PlanPublic:
    return _plan_public(session, client.id, kind, response)


@router.put("/clients/{client_id}/calm/plans/{kind}", response_model=PlanPublic)
def save_client_plan(
    kind: PlanKind,
    body: PlanUpdate,
    client: AccessibleClient,
    therapist: CurrentTherapist,
    session: SessionDep,
    response: Response,
    if_match: versioning.IfMatch = None,
) -> PlanPublic:
    plans.save_plan(
        session=session,
        actor=therapist.user,
        client=client,
        kind=kind,
        sections=dict(body.sections),
        expected=versioning.expected(if_match, body.version),
    )
    return _plan_public(session, client.id, kind, response)
