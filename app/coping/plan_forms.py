"""Reading a plan form (client's or therapist's): what was typed, and an error per bad section."""

from __future__ import annotations

from typing import Literal

from fastapi import Request

from app.coping import plans
from app.forms import read_form

PlanKind = Literal["safety", "wellness"]


async def read_plan_form(request: Request, kind: PlanKind) -> tuple[dict[str, str], dict[str, str]]:
    """The plan's sections as typed, and an error per section that cannot be saved."""
    values = await read_form(request)
    sections = {s.key: str(values.get(s.key, "")) for s in plans.SECTIONS[kind]}
    errors = {
        k: "Please keep this under 5,000 characters." for k, v in sections.items() if len(v) > 5000
    }
    errors |= {
        k: "Contains a character that is not allowed." for k, v in sections.items() if "\x00" in v
    }
    return sections, errors
