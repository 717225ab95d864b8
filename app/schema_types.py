"""Types for what crosses HTTP: bounded, NUL-free strings and strict JSON numbers.

PostgreSQL rejects NUL bytes in text where SQLite stores them, so they are refused at the edge.
JSON numbers and booleans are strict (FastAPI would otherwise accept `false` as 0); HTML forms
validate the same schemas with `strict=False` so "7" from a form field still means 7.
"""

from __future__ import annotations

import re
from datetime import time
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StrictBool,
    StrictFloat,
    StrictInt,
    StringConstraints,
)

from app.i18n import N_


def _wall_clock(value: time) -> time:
    """A local time of day has no offset; one sent with it would be silently misread, so refuse it."""
    if value.tzinfo is not None:
        raise ValueError(N_("Give a time of day without a time zone."))
    return value


def _iso_time(value: time) -> str:
    return value.isoformat()


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError(N_("Contains a character that is not allowed."))
    return value


Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=80),
    AfterValidator(_no_nul),
]
Title = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_no_nul),
]
ShortText = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=500), AfterValidator(_no_nul)
]
LongText = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=5000), AfterValidator(_no_nul)
]
Password = Annotated[str, StringConstraints(min_length=10, max_length=256), AfterValidator(_no_nul)]
# No spaces and no control characters (NUL, which PostgreSQL refuses, among them) anywhere.
EMAIL_PATTERN = r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$"
_EMAIL = re.compile(EMAIL_PATTERN)


def _email(value: str) -> str:
    if not _EMAIL.match(value):
        raise ValueError(N_("Enter an email address, like name@example.com."))
    return value


# The one email type: every email field (log in, sign up, invites, resets, the CLI) uses it.
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_lower=True, min_length=3, max_length=254),
    AfterValidator(_email),
    Field(json_schema_extra={"pattern": EMAIL_PATTERN}),
]
Code = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64),
    AfterValidator(_no_nul),
]

Int = StrictInt
Float = StrictFloat
Bool = StrictBool
Rating10 = Annotated[StrictInt, Field(ge=0, le=10)]
Rating5 = Annotated[StrictInt, Field(ge=1, le=5)]


class ApiModel(BaseModel):
    """Base for request bodies: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class PublicModel(BaseModel):
    """Base for responses (read from ORM rows)."""

    model_config = ConfigDict(from_attributes=True)


# A client's wall-clock time of day (reminder at 08:30, quiet hours from 22:00). In: an ISO time
# without an offset. Out: "HH:MM:SS", declared as a plain string, because JSON Schema's "time"
# format demands an offset that a local time of day does not have.
LocalTime = Annotated[
    time, AfterValidator(_wall_clock), PlainSerializer(_iso_time, return_type=str)
]
