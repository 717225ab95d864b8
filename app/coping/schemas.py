"""What crosses HTTP for Calm: strict JSON, bounded NUL-free strings."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, Field, StringConstraints

from app.schema_types import ApiModel, Bool, Int, LongText, Rating10, ShortText, Title

Place = Literal["home", "work_school", "public", "in_bed"]
Minutes = Literal[1, 5, 15]
StrategyKey = Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{1,64}$")]


class EpisodeCreate(ApiModel):
    id: uuid.UUID
    strategy_key: StrategyKey
    before: Rating10
    after: Rating10
    seconds: Annotated[Int, Field(ge=0, le=4 * 3600)]
    started_at: AwareDatetime
    place: Place | None = None
    minutes_available: Minutes | None = None


class EpisodePublic(BaseModel):
    id: uuid.UUID
    strategy_key: str
    strategy_title: str
    before: int
    after: int
    seconds: int
    place: str | None
    minutes_available: int | None
    started_at: datetime


class SuggestionPublic(BaseModel):
    strategy: dict[str, Any]
    reason: str
    note: str
    expected_drop: float


class PreferenceUpdate(ApiModel):
    favourite: Bool | None = None
    hidden: Bool | None = None


class ToolboxPublic(BaseModel):
    strategy_key: str
    favourite: bool
    hidden: bool
    recommended: bool
    note: str


class Recommendation(ApiModel):
    on: Bool = True
    note: ShortText = ""


class PlanUpdate(ApiModel):
    sections: dict[Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,40}$")], LongText] = Field(
        max_length=12
    )
    version: Annotated[Int, Field(ge=0, le=2_000_000_000)] | None = Field(
        default=None,
        description="The version you edited from (like If-Match); 0 for a plan not made yet.",
    )


class PlanPublic(BaseModel):
    kind: str
    version: int
    updated_at: datetime | None
    sections: dict[str, str]


class EffectivenessPublic(BaseModel):
    strategy_key: str
    title: str
    uses: int
    mean_before: float
    mean_after: float
    mean_drop: float


class UsagePublic(BaseModel):
    uses: int
    mean_drop: float
    helped: int


class FitPublic(BaseModel):
    seeks: list[str]
    avoids: list[str]
    overwhelmed: list[str]
    kit: list[str]


class SyncPublic(BaseModel):
    """Everything the phone keeps for the calm flow to work with no network."""

    library_version: int
    seed: str
    strategies: list[dict[str, Any]]
    usage: dict[str, UsagePublic]
    toolbox: list[ToolboxPublic]
    fit: FitPublic | None
    safety_plan: list[dict[str, str]]
    crisis: dict[str, Any]


class StrategyCreate(ApiModel):
    title: Title
    steps: Annotated[list[ShortText], Field(min_length=1, max_length=8)]
    minutes: Annotated[Int, Field(ge=1, le=60)] = 5
    kind: Literal["activity", "body_sensory", "movement", "connecting", "thinking", "grounding"] = (
        "activity"
    )
    level_max: Annotated[Int, Field(ge=0, le=10)] | None = None


class RecommendForm(ApiModel):
    strategy_key: StrategyKey
    note: ShortText | None = None
    on: Bool = True


PhoneNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9+ ()-]{3,32}$")
]


class ClinicLineForm(ApiModel):
    name: Title
    description: ShortText | None = None
    phone: PhoneNumber | None = None
    sms: PhoneNumber | None = None


class MyStrategyForm(ApiModel):
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=80)]
    steps: Annotated[LongText, StringConstraints(min_length=2, max_length=1200)]
    minutes: Annotated[Int, Field(ge=1, le=60)] = 5
    kind: Literal["activity", "body_sensory", "movement", "connecting", "thinking"] = "activity"
