"""HTML forms validated with the same pydantic schemas as the API, errors kept per field."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError

from app.errors import describe_errors

M = TypeVar("M", bound=BaseModel)

# Never echoed back into a page, even when the form is shown again with errors.
SECRET_FIELDS = frozenset(
    {"password", "password_confirm", "current_password", "code", "csrf_token"}
)


@dataclass
class FormResult(Generic[M]):
    values: dict[str, Any]
    data: M | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.data is not None and not self.errors

    def add_error(self, name: str, problem: str) -> None:
        self.errors[name] = problem
        self.data = None


async def read_form(request: Request) -> dict[str, Any]:
    form = await request.form()
    values: dict[str, Any] = {}
    for key in form:
        items = [v for v in form.getlist(key) if isinstance(v, str)]
        values[key] = items if len(items) > 1 else (items[0] if items else "")
    values.pop("csrf_token", None)
    return values


def _shown(value: Any) -> Any:
    """What was typed, to show again: without NUL bytes (refused anyway, and no page should carry one)."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_shown(v) for v in value]
    return value


def validate(model: type[M], values: dict[str, Any]) -> FormResult[M]:
    """Lax mode: form fields arrive as strings ("7" means 7). Empty optional fields become None."""
    cleaned = {k: (None if v == "" else v) for k, v in values.items()}
    shown = {k: _shown(v) for k, v in values.items() if k not in SECRET_FIELDS}
    try:
        return FormResult(values=shown, data=model.model_validate(cleaned, strict=False))
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for err in describe_errors(list(exc.errors())):
            errors.setdefault(err["field"], err["problem"])
        return FormResult(values=shown, errors=errors)
