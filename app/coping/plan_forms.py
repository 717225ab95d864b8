"""Reading a plan form (client's or therapist's): what was typed, an error per bad section, and the
version it was edited from (a form sent back from the conflict page has its choices applied)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from fastapi import Request

from app import versioning
from app.coping import plans
from app.coping.models import Plan
from app.forms import read_form

PlanKind = Literal["safety", "wellness"]


@dataclass(frozen=True)
class PlanForm:
    sections: dict[str, str]
    errors: dict[str, str]
    expected: versioning.Expected
    values: dict[str, Any]

    @property
    def version(self) -> str:
        """The version to carry on if the form is shown again (never the newer stored one)."""
        return str(self.values.get(versioning.VERSION_FIELD, ""))


async def read_plan_form(request: Request, kind: PlanKind, current: Plan | None) -> PlanForm:
    """The plan's sections as typed, and an error per section that cannot be saved."""
    values = versioning.apply_choices(
        await read_form(request),
        fields=plans.plan_fields(kind),
        current=current.sections if current else {},
    )
    sections = {s.key: str(values.get(s.key, "")) for s in plans.SECTIONS[kind]}
    errors = {
        k: "Please keep this under 5,000 characters." for k, v in sections.items() if len(v) > 5000
    }
    errors |= {
        k: "Contains a character that is not allowed." for k, v in sections.items() if "\x00" in v
    }
    return PlanForm(sections, errors, versioning.form_version(values), values)
