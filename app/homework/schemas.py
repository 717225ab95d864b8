"""What crosses HTTP for homework: assignments, client actions, completions, messages."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from app.i18n import N_
from app.schema_types import (
    ApiModel,
    Bool,
    LongText,
    PublicModel,
    Rating5,
    Rating10,
    ShortText,
    Title,
)
from app.schema_types import _no_nul as no_nul

KindKey = Literal["routine", "habit", "coping", "sensory", "reflection", "activation", "task"]
Frequency = Literal["once", "daily", "weekly"]
Question = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
    AfterValidator(no_nul),
]
Message = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=2000),
    AfterValidator(no_nul),
]
Reflection = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=2000), AfterValidator(no_nul)
]
Weekday = Annotated[int, Field(ge=0, le=6, strict=True)]


class AssignmentCreate(ApiModel):
    id: uuid.UUID | None = None
    kind: KindKey
    title: Title
    instructions: LongText = ""
    target: ShortText | None = Field(
        default=None, description="The routine, habit, strategy or activity"
    )
    level: Annotated[int, Field(ge=1, le=20, strict=True)] | None = None
    questions: list[Question] = Field(default_factory=list, max_length=6)
    frequency: Frequency = "once"
    start_on: date | None = None
    due_on: date
    weekdays: list[Weekday] = Field(default_factory=list, max_length=7)
    reminder_time: (
        Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] | None
    ) = None

    @model_validator(mode="after")
    def _kind_needs(self) -> AssignmentCreate:
        if self.kind == "reflection" and not self.questions:
            raise ValueError(N_("Add at least one question."))
        if self.kind == "habit" and self.level is None:
            raise ValueError(N_("Say which level to keep the habit at."))
        return self


class AssignmentUpdate(AssignmentCreate):
    """A revision replaces what the client sees; the client accepts it again."""


class ClientAction(ApiModel):
    action: Literal["accept", "ask_change", "decline", "start"]
    reason: ShortText | None = None
    predicted_mood: Rating10 | None = None


class CompletionCreate(ApiModel):
    id: uuid.UUID | None = None
    difficulty: Rating5 | None = None
    helpfulness: Rating5 | None = None
    reflection: Reflection = ""
    stuck: ShortText = ""
    answers: list[ShortText] = Field(default_factory=list, max_length=6)
    mood_after: Rating10 | None = None
    pleasure: Rating10 | None = None
    mastery: Rating10 | None = None
    finished: Bool = False


class MessageCreate(ApiModel):
    body: Message


class AssignmentPublic(PublicModel):
    id: uuid.UUID
    client_id: uuid.UUID
    kind: str
    kind_label: str
    title: str
    instructions: str
    details: dict[str, object]
    frequency: str
    weekdays: list[int]
    start_on: date
    due_on: date
    schedule_text: str
    state: str
    state_label: str
    fhir_status: str
    client_reason: str
    revision: int
    version: int = Field(description="Send it back as If-Match (it is also the ETag).")
    predicted_mood: int | None
    has_attachment: bool
    closed: bool  # the care link with its therapist ended: read-only, nothing can be sent
    allowed_actions: list[str]
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None


class CompletionPublic(PublicModel):
    id: uuid.UUID
    assignment_id: uuid.UUID
    done_on: date
    created_at: datetime
    difficulty: int | None
    helpfulness: int | None
    reflection: str
    stuck: str
    answers: dict[str, object]
    final: bool


class MessagePublic(PublicModel):
    id: uuid.UUID
    assignment_id: uuid.UUID
    author_role: str
    body: str
    created_at: datetime


class NoticePublic(PublicModel):
    id: uuid.UUID
    client_id: uuid.UUID
    assignment_id: uuid.UUID
    kind: str
    text: str
    created_at: datetime
    read_at: datetime | None


class HomeworkDetail(PublicModel):
    assignment: AssignmentPublic
    completions: list[CompletionPublic]
    messages: list[MessagePublic]
