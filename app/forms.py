"""HTML forms validated with the same pydantic schemas as the API, errors kept per field.

`submit_form` is the one way a page handles a posted form: read, validate, save, and on any problem
show the same page again (422) with each error beside its field and what was typed kept."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError

from app.errors import AppError, Message, describe_errors

M = TypeVar("M", bound=BaseModel)

# Never echoed back into a page, even when the form is shown again with errors.
SECRET_FIELDS = frozenset(
    {"password", "password_confirm", "current_password", "code", "csrf_token"}
)
# Where a refusal that names no field is kept: listed at the top of the form, beside no field.
WHOLE_FORM = "form"
F = TypeVar("F", bound="FormResult[Any] | None")


@dataclass
class FormResult(Generic[M]):
    values: dict[str, Any]
    data: M | None = None
    errors: dict[str, str] = field(default_factory=dict)
    # A refusal's response headers (a throttle's Retry-After), for `show` to send with the page.
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Errors are shown in the reader's language: each is kept as a Message (a str, English).
        self.errors = {name: Message(problem) for name, problem in self.errors.items()}

    @property
    def ok(self) -> bool:
        return self.data is not None and not self.errors

    def add_error(self, name: str, problem: str) -> None:
        """`problem` is a catalog message (marked with `N_`) or a `Message` with placeholders;
        the page shows it in its reader's language."""
        self.errors[name] = Message(problem)
        self.data = None

    def add_refusal(self, exc: AppError, *, otherwise: str = WHOLE_FORM) -> None:
        """A service's refusal, beside the field it names (`AppError.field`); one that names
        none goes beside `otherwise`, the field this form's refusals are about."""
        self.add_error(exc.field or otherwise, exc.detail)
        self.headers = exc.headers


def worded(form: F) -> F:
    """The form as shown again, each error in the reader's language (adopted by the request with
    its principal): a `Message` words itself, and an error set straight into `errors` as catalog
    text is looked up too."""
    if form is not None and form.errors:
        form.errors = {name: Message(problem).translated() for name, problem in form.errors.items()}
    return form


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


async def submit_form(
    request: Request,
    model: type[M],
    *,
    save: Callable[[M], Response],
    show: Callable[[FormResult[M], int], Response],
    values: dict[str, Any] | None = None,
    otherwise: str = WHOLE_FORM,
    refusal_status: int | None = 422,
) -> Response:
    """Read the posted form (or take `values`, already read and reshaped), validate it with
    `model`, then `finish_form`."""
    form = validate(model, await read_form(request) if values is None else values)
    return finish_form(
        form, save=save, show=show, otherwise=otherwise, refusal_status=refusal_status
    )


def finish_form(
    form: FormResult[M],
    *,
    save: Callable[[M], Response],
    show: Callable[[FormResult[M], int], Response],
    otherwise: str = WHOLE_FORM,
    refusal_status: int | None = 422,
) -> Response:
    """Hand valid data to `save`. Invalid input, or an `AppError` from `save`, calls
    `show(form, status)`: the same page again, errors beside their fields, what was typed kept.
    Invalid input is a 422; a refusal is `refusal_status`, or its own status when that is None
    (a 409 when, say, care has ended and the form no longer applies). Anything else `save`
    raises is not the form's problem and propagates. Use this directly when a form needs more
    than `validate` (an upload checked, values reshaped after)."""
    status = 422
    if form.ok and form.data is not None:
        try:
            return save(form.data)
        except AppError as exc:
            form.add_refusal(exc, otherwise=otherwise)
            status = exc.status if refusal_status is None else refusal_status
    return show(form, status)


async def finish_form_awaiting(
    form: FormResult[M],
    *,
    save: Callable[[M], Awaitable[Response]],
    show: Callable[[FormResult[M], int], Response],
    otherwise: str = WHOLE_FORM,
    refusal_status: int | None = 422,
) -> Response:
    """`finish_form` for a `save` that must await before the page answers (a notification sent
    off the event loop), so such a form needs no copy of the read-validate-show steps."""
    if not (form.ok and form.data is not None):
        return show(form, 422)
    try:
        return await save(form.data)
    except AppError as exc:
        form.add_refusal(exc, otherwise=otherwise)
        return show(form, exc.status if refusal_status is None else refusal_status)
