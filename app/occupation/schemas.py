"""What crosses HTTP for occupation: requests forbid unknown fields; numbers are strict in JSON."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints

from app.i18n import N_
from app.occupation.diary import Block, Category
from app.schema_types import ApiModel, Bool, Int, Name, PublicModel, Rating10, _no_nul

ProfileText = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=2000), AfterValidator(_no_nul)
]
DiaryText = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=80), AfterValidator(_no_nul)
]
Score10 = Annotated[Int, Field(ge=1, le=10)]
Version = Annotated[Int, Field(ge=0, le=1_000_000)]
Outcome = Literal["achieved", "partly", "not_yet", "changed"]
SupportKind = Literal["routine", "habit", "homework", "sensory", "calm"]

OUTCOME_LABELS: dict[str, str] = {
    "achieved": N_("Goal reached"),
    "partly": N_("Part of the way"),
    "not_yet": N_("Not yet: keep going"),
    "changed": N_("Goal changed"),
}


class ProfileIn(ApiModel):
    version: Version | None = Field(
        default=None,
        description="The version you edited from (0 when there is none yet); or send If-Match",
    )
    roles: ProfileText = ""
    typical_day: ProfileText = ""
    what_matters: ProfileText = ""
    strengths: ProfileText = ""
    supports: ProfileText = ""
    environment: ProfileText = ""
    hopes: ProfileText = ""


class ProfilePublic(PublicModel):
    version: int
    roles: str
    typical_day: str
    what_matters: str
    strengths: str
    supports: str
    environment: str
    hopes: str
    created_at: datetime | None


class ActivityIn(ApiModel):
    title: Name


class RatingIn(ApiModel):
    activity_id: uuid.UUID
    importance: Score10
    performance: Score10
    satisfaction: Score10


class RoundIn(ApiModel):
    id: uuid.UUID | None = None
    rated_on: date | None = None
    ratings: list[RatingIn] = Field(min_length=1, max_length=5)


class RoundUpdate(ApiModel):
    version: Version | None = Field(
        default=None, description="The version you edited from; or send If-Match"
    )
    ratings: list[RatingIn] = Field(min_length=1, max_length=5)


class RatingPublic(PublicModel):
    activity_id: uuid.UUID
    importance: int
    performance: int
    satisfaction: int


class RoundPublic(PublicModel):
    id: uuid.UUID
    rated_on: date
    version: int
    performance: float | None
    satisfaction: float | None
    ratings: list[RatingPublic]


class ActivityPublic(PublicModel):
    id: uuid.UUID
    title: str


class ChangePublic(PublicModel):
    before: float
    after: float
    delta: float
    meaningful: bool


class PerformancePublic(PublicModel):
    activities: list[ActivityPublic]
    rounds: list[RoundPublic]
    performance_change: ChangePublic | None
    satisfaction_change: ChangePublic | None


class DiaryEntryIn(ApiModel):
    id: uuid.UUID | None = None
    done_on: date
    block: Block
    category: Category
    activity: DiaryText = ""
    pleasure: Rating10 | None = None
    mastery: Rating10 | None = None


class DiaryEntryPublic(PublicModel):
    id: uuid.UUID
    done_on: date
    block: str
    category: str
    activity: str
    pleasure: int | None
    mastery: int | None


class BalancePublic(PublicModel):
    category: str
    label: str
    blocks: int
    share: float


class LiftPublic(PublicModel):
    activity: str
    times: int
    pleasure: float
    mastery: float | None


class DiaryWeekPublic(PublicModel):
    starts_on: date
    entries: list[DiaryEntryPublic]
    balance: list[BalancePublic]
    lifts_mood: list[LiftPublic]


class InterestIn(ApiModel):
    name: Name
    past: Bool = False
    present: Bool = False
    want_to_try: Bool = False


class PlanGoalIn(ApiModel):
    goal_id: uuid.UUID
    review_on: date


class SupportIn(ApiModel):
    kind: SupportKind
    ref: Annotated[str, StringConstraints(min_length=1, max_length=64), AfterValidator(_no_nul)]


class ReviewIn(ApiModel):
    outcome: Outcome
    notes: Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=5000), AfterValidator(_no_nul)
    ] = ""
    next_review_on: date | None = None


class DischargeIn(ApiModel):
    discharged_on: date | None = None
    what_helped: ProfileText = ""
    client_words: ProfileText = ""
    keep_going: ProfileText = ""
