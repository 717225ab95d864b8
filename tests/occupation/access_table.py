"""Occupation routes and who may use them (see tests/access.py)."""

from __future__ import annotations

from app import clock
from app.occupation.models import Interest, PlanGoal, RatingRound
from app.progress.models import Goal
from tests.access import (
    CLIENT_DATA,
    CLIENT_SELF,
    THERAPIST_CLIENT_DATA,
    Route,
    World,
)

API = "/api/v1"
MINE = f"{API}/occupation"
THEIRS = f"{API}/clients/{{client_id}}/occupation"
CASE = "/caseload/{client_id}/occupation"

ROUTES = [
    # The client's own record (API)
    Route("GET", f"{MINE}/profile", CLIENT_SELF),
    Route("PUT", f"{MINE}/profile", CLIENT_SELF),
    Route("GET", f"{MINE}/ratings", CLIENT_SELF),
    Route("POST", f"{MINE}/ratings", CLIENT_SELF),
    Route("POST", f"{MINE}/activities", CLIENT_SELF),
    Route("GET", f"{MINE}/diary", CLIENT_SELF),
    Route("POST", f"{MINE}/diary", CLIENT_SELF),
    # A round of ratings by id: the client or their therapist
    Route("PUT", f"{MINE}/ratings/{{round_id}}", CLIENT_DATA),
    # The therapist about a client (API)
    Route("GET", f"{THEIRS}/profile", THERAPIST_CLIENT_DATA),
    Route("PUT", f"{THEIRS}/profile", THERAPIST_CLIENT_DATA),
    Route("GET", f"{THEIRS}/ratings", THERAPIST_CLIENT_DATA),
    Route("POST", f"{THEIRS}/ratings", THERAPIST_CLIENT_DATA),
    Route("GET", f"{THEIRS}/diary", THERAPIST_CLIENT_DATA),
    # Client pages
    Route("GET", "/occupation", CLIENT_SELF),
    Route("GET", "/occupation/profile", CLIENT_SELF),
    Route("POST", "/occupation/profile", CLIENT_SELF),
    Route("GET", "/occupation/profile/print", CLIENT_SELF),
    Route("GET", "/occupation/activities", CLIENT_SELF),
    Route("POST", "/occupation/activities", CLIENT_SELF),
    Route("POST", "/occupation/ratings", CLIENT_SELF),
    Route("GET", "/occupation/diary", CLIENT_SELF),
    Route("POST", "/occupation/diary", CLIENT_SELF),
    Route("POST", "/occupation/diary/tap", CLIENT_SELF),
    Route("POST", "/occupation/diary/start", CLIENT_SELF),
    Route("GET", "/occupation/interests", CLIENT_SELF),
    Route("POST", "/occupation/interests", CLIENT_SELF),
    Route("GET", "/occupation/discharge", CLIENT_SELF),
    # Therapist pages about a client
    Route("GET", CASE, THERAPIST_CLIENT_DATA),
    Route("GET", f"{CASE}/profile", THERAPIST_CLIENT_DATA),
    Route("POST", f"{CASE}/profile", THERAPIST_CLIENT_DATA),
    Route("GET", f"{CASE}/profile/print", THERAPIST_CLIENT_DATA),
    Route("GET", f"{CASE}/activities", THERAPIST_CLIENT_DATA),
    Route("POST", f"{CASE}/activities", THERAPIST_CLIENT_DATA),
    Route("POST", f"{CASE}/ratings", THERAPIST_CLIENT_DATA),
    Route("GET", f"{CASE}/diary", THERAPIST_CLIENT_DATA),
    Route("POST", f"{CASE}/diary/start", THERAPIST_CLIENT_DATA),
    Route("GET", f"{CASE}/interests", THERAPIST_CLIENT_DATA),
    Route("POST", f"{CASE}/interests", THERAPIST_CLIENT_DATA),
    Route("POST", f"{CASE}/interests/{{interest_id}}/routine", THERAPIST_CLIENT_DATA),
    Route("POST", f"{CASE}/interests/{{interest_id}}/homework", THERAPIST_CLIENT_DATA),
    Route("POST", f"{CASE}/plan", THERAPIST_CLIENT_DATA),
    Route("POST", f"{CASE}/plan/{{plan_goal_id}}/supports", THERAPIST_CLIENT_DATA),
    Route("GET", f"{CASE}/review", THERAPIST_CLIENT_DATA),
    Route("POST", f"{CASE}/review", THERAPIST_CLIENT_DATA),
    Route("GET", f"{CASE}/discharge", THERAPIST_CLIENT_DATA),
    Route("POST", f"{CASE}/discharge", THERAPIST_CLIENT_DATA),
    Route("GET", f"{CASE}/discharge/print", THERAPIST_CLIENT_DATA),
    Route("GET", f"{CASE}/discharge.pdf", THERAPIST_CLIENT_DATA),
    Route("GET", f"{CASE}/discharge.fhir.json", THERAPIST_CLIENT_DATA),
]


def build(world: World) -> dict[str, str]:
    """An interest, a plan goal (on a progress goal) and a round of ratings of the own client."""
    client, therapist = world.own_client, world.therapist
    goal = Goal(
        client_id=client.id,
        created_by_id=therapist.id,
        title="Cook a meal",
        level_m2="a",
        level_m1="b",
        level_0="c",
        level_p1="d",
        level_p2="e",
    )
    interest = Interest(client_id=client.id, name="Gardening", want_to_try=True)
    round_ = RatingRound(
        client_id=client.id, rated_on=clock.local_today(client.time_zone), updated_by_id=client.id
    )
    world.session.add_all([goal, interest, round_])
    world.session.flush()
    plan_goal = PlanGoal(
        client_id=client.id,
        goal_id=goal.id,
        review_on=clock.local_today(client.time_zone),
        created_by_id=therapist.id,
    )
    world.session.add(plan_goal)
    world.session.flush()
    return {
        "interest_id": str(interest.id),
        "plan_goal_id": str(plan_goal.id),
        "round_id": str(round_.id),
    }
