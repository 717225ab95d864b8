"""Optimistic concurrency for records a client and their therapist both edit.

Each such record has an integer `version` that its domain's service raises on every change a person
makes; the column is also SQLAlchemy's `version_id_col` (generator off, so the service decides what
counts as a change), which makes the UPDATE itself check the version: two saves that both pass the
check at the same moment cannot both win (the loser gets `StaleDataError`, answered 409).

The API shows the version as a strong ETag (`"7"`) and honours `If-Match` (or a `version` in the
body); forms carry it in a hidden `version` field. A save made against an older version raises
`EditConflict`: problem+json naming the current version and every field that differs, line by line
for free text. Pages show both versions side by side (`_conflict.html`) and let the person keep
theirs, the saved one, or both, then save against the current version. Nothing is overwritten
silently. Domains keep their own rules: they say which fields count and how a record reads as text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Final

from fastapi import Header, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import Column, Integer

from app.errors import BadRequest, Conflict

# A client may say which versions it holds; None means it said nothing (the write is unconditional,
# as it was before versions existed) or `*` (any current version).
Expected = frozenset[int] | None
FormValue = str | list[str]

# The `If-Match` request header of a PUT/PATCH/DELETE on a versioned record.
IfMatch = Annotated[
    str | None,
    Header(
        max_length=400,
        description='The ETag you edited from (e.g. "3"). If the record has changed since, '
        "nothing is saved and the answer is 409 naming what differs.",
    ),
]

VERSION_FIELD: Final = "version"
KEEP_PREFIX: Final = "keep__"
_TAG = re.compile(r'^(W/)?"([^"]*)"$')
_MAX_DIGITS: Final = 18  # larger can never be one of our versions (and int() of 5,000 digits fails)


def version_column() -> Column[int]:
    """A model's `version` column; pass the same object to `mapper_args` (one per model)."""
    return Column("version", Integer, nullable=False, default=1)


def mapper_args(column: Column[int]) -> dict[str, Any]:
    """The UPDATE checks the version it read; the service, not SQLAlchemy, decides when it rises
    (a change a person made, not a counter the service keeps on the row)."""
    return {"version_id_col": column, "version_id_generator": False}


def etag(version: int) -> str:
    return f'"{version}"'


def etag_headers(version: int) -> dict[str, str]:
    return {"ETag": etag(version)}


def _version_of(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and len(text) <= _MAX_DIGITS else None


def parse_if_match(header: str | None) -> Expected:
    """The versions an `If-Match` header allows. Weak tags never match (RFC 9110 compares If-Match
    strongly), nor do tags that are not one of our versions: both end in a 409 showing the current
    version. A header that is not entity tags at all is a bad request."""
    if header is None or not header.strip():
        return None
    if header.strip() == "*":
        return None
    versions: set[int] = set()
    for part in header.split(","):
        match = _TAG.match(part.strip())
        if match is None:
            raise BadRequest('If-Match must list entity tags such as "3" (from the ETag header).')
        number = None if match.group(1) else _version_of(match.group(2))
        if number is not None:
            versions.add(number)
    return frozenset(versions)


def expected(if_match: str | None, body_version: int | None = None) -> Expected:
    """If-Match when given, else the version the body says it was edited from."""
    from_header = parse_if_match(if_match)
    if from_header is not None or body_version is None:
        return from_header
    return frozenset({body_version})


def form_version(values: Mapping[str, Any]) -> Expected:
    """The hidden `version` field of a form. Absent: unconditional (a form from before versions).
    Unreadable: matches nothing, so the person is shown both versions rather than overwriting."""
    raw = values.get(VERSION_FIELD)
    if raw is None or raw == "":
        return None
    number = _version_of(raw) if isinstance(raw, str) else None
    return frozenset() if number is None else frozenset({number})


@dataclass(frozen=True)
class Field:
    """A field a person edits. `lines`: free text compared line by line (and mergeable);
    `editable`: shown as a text box on the conflict page (else chosen, not typed);
    `form_names`: the form inputs that hold it, when not just `name`."""

    name: str
    label: str
    lines: bool = False
    editable: bool = True
    form_names: tuple[str, ...] = ()

    @property
    def inputs(self) -> tuple[str, ...]:
        return self.form_names or (self.name,)


@dataclass(frozen=True)
class Difference:
    field: Field
    yours: str
    current: str

    @property
    def only_in_current(self) -> list[str]:
        return _only(self.current, self.yours) if self.field.lines else []

    @property
    def only_in_yours(self) -> list[str]:
        return _only(self.yours, self.current) if self.field.lines else []

    def public(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "field": self.field.name,
            "label": self.field.label,
            "current": self.current,
            "yours": self.yours,
        }
        if self.field.lines:
            out["only_in_current"] = self.only_in_current
            out["only_in_yours"] = self.only_in_yours
        return out


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines() if line.strip()]


def _only(a: str, b: str) -> list[str]:
    others = {line.strip() for line in _lines(b)}
    return [line for line in _lines(a) if line.strip() not in others]


def merge_lines(current: str, yours: str) -> str:
    """Both: the saved text, then each of your lines it does not already have, in your order."""
    extra = _only(yours, current)
    return "\n".join([*(_lines(current)), *extra]) if extra else current


def differences(
    fields: Sequence[Field], *, yours: Mapping[str, str], current: Mapping[str, str]
) -> list[Difference]:
    return [
        Difference(f, yours.get(f.name, ""), current.get(f.name, ""))
        for f in fields
        if yours.get(f.name, "").strip() != current.get(f.name, "").strip()
    ]


class EditConflict(Conflict):
    """A save made from an older version than the one stored, where the two differ."""

    title, type_slug = "Changed by someone else", "edit-conflict"

    def __init__(
        self,
        *,
        what: str,
        current_version: int,
        your_versions: frozenset[int],
        changes: list[Difference],
        changed_by: str = "",
    ) -> None:
        names = ", ".join(d.field.label for d in changes)
        super().__init__(
            f"This {what} was changed since you opened it (now version {current_version}). "
            f"Nothing was saved. These parts differ: {names}.",
            headers=etag_headers(current_version) | {"Cache-Control": "no-store"},
        )
        self.what = what
        self.current_version = current_version
        self.your_versions = your_versions
        self.changes = changes
        self.changed_by = changed_by
        self.extra = {
            "current_version": current_version,
            "your_version": min(your_versions) if your_versions else None,
            "changed": [d.public() for d in changes],
        }


def require(
    expected: Expected,
    *,
    what: str,
    version: int,
    fields: Sequence[Field],
    yours: Mapping[str, str],
    current: Mapping[str, str],
    changed_by: str = "",
) -> None:
    """Let the save through when it was made from the current version, or when it would leave
    every field exactly as stored (nothing to lose); otherwise raise EditConflict."""
    if expected is None or version in expected:
        return
    changes = differences(fields, yours=yours, current=current)
    if changes:
        raise EditConflict(
            what=what,
            current_version=version,
            your_versions=expected,
            changes=changes,
            changed_by=changed_by,
        )


def require_unchanged(
    expected: Expected,
    *,
    what: str,
    version: int,
    fields: Sequence[Field],
    current: Mapping[str, str],
) -> None:
    """For a removal: a record changed since the person last saw it is not removed; the conflict
    shows it as it is now (a removal has no fields of its own to compare)."""
    if expected is None or version in expected:
        return
    raise EditConflict(
        what=what,
        current_version=version,
        your_versions=expected,
        changes=[Difference(f, "", current.get(f.name, "")) for f in fields],
    )


# ------------------------------------------------------------------------------------ pages
def apply_choices(
    values: dict[str, Any], *, fields: Sequence[Field], current: Mapping[str, Any]
) -> dict[str, Any]:
    """A form sent back from the conflict page: per field, keep what the person typed ("mine"),
    the stored value ("theirs", read again now, not from the page) or, for free text, both."""
    out = {k: v for k, v in values.items() if not k.startswith(KEEP_PREFIX)}
    for f in fields:
        choice = values.get(KEEP_PREFIX + f.name)
        if choice == "theirs":
            for name in f.inputs:
                out[name] = current.get(name, "")
        elif choice == "both" and f.lines:
            out[f.name] = merge_lines(str(current.get(f.name, "")), str(out.get(f.name, "")))
    return out


@dataclass(frozen=True)
class HiddenInput:
    name: str
    value: str


@dataclass
class ConflictView:
    """What `_conflict.html` needs: the differing fields side by side, everything else the person
    sent carried along hidden, and the version to save against now."""

    conflict: EditConflict
    action: str
    hidden: list[HiddenInput] = field(default_factory=list)
    cancel: str = ""


def conflict_view(
    conflict: EditConflict, *, action: str, values: Mapping[str, Any], cancel: str = ""
) -> ConflictView:
    shown = {name for d in conflict.changes if d.field.editable for name in d.field.inputs} | {
        VERSION_FIELD
    }
    hidden = [
        HiddenInput(name, str(item))
        for name, value in values.items()
        if name not in shown and not name.startswith(KEEP_PREFIX) and name != "csrf_token"
        for item in (value if isinstance(value, list) else [value])
    ]
    return ConflictView(conflict=conflict, action=action, hidden=hidden, cancel=cancel)


def render_conflict(
    request: Request,
    conflict: EditConflict,
    *,
    title: str,
    action: str,
    values: Mapping[str, Any],
    cancel: str = "",
    context: Mapping[str, Any] | None = None,
) -> HTMLResponse:
    """The conflict page (409): yours and the saved version per field, and a form to save again."""
    from app.templates import render  # late: templates import errors, as errors import them

    view = conflict_view(conflict, action=action, values=values, cancel=cancel)
    ctx = {"title": title, "view": view, **(context or {})}
    return render(
        request, "conflict.html", ctx, status_code=409, headers={"Cache-Control": "no-store"}
    )
