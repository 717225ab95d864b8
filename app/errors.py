"""One error vocabulary: RFC 9457 problem details for /api, a calm page (or fragment) for HTML.

FastAPI's default 422 echoes the submitted input (passwords, distress notes) into responses and logs;
ours names the field and the problem, never the value.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from markupsafe import escape
from pydantic import ValidationError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app import i18n
from app.i18n import N_

log = logging.getLogger("groundwork.errors")

PROBLEM_JSON = "application/problem+json"


class Message(str):
    """Text decided now and shown later, in the language of whoever reads it: a form error, a
    refusal's detail. It is the English text (placeholders filled), so it compares, logs and
    serialises as before; a template shows it translated (`{{ err }}` calls `__html__` in the
    language of that render), and `translated()` gives it in the current language.

    `Message(N_("Please wait %(wait)s and try again."), wait=...)`: the message id is the
    catalog's, the params fill its placeholders (a param may itself be lazy, e.g. a duration
    worded in the reader's language)."""

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, **params: Any) -> Message:
        if isinstance(msgid, Message) and not params:
            return msgid
        text = str(msgid) % params if params else str(msgid)
        made = super().__new__(cls, text)
        made.msgid, made.params = str(msgid), params
        return made

    def translated(self) -> str:
        return i18n.gettext(self.msgid, **self.params)

    def __html__(self) -> str:
        return str(escape(self.translated()))


def shown(text: str) -> str:
    """`text` in the current language: a `Message` with its placeholders, else a catalog message
    (anything not in the catalog passes through unchanged)."""
    return text.translated() if isinstance(text, Message) else i18n.gettext(text)


class AppError(Exception):
    status = 400
    title = N_("Bad request")
    type_slug = "bad-request"
    # Problem-details extension members (RFC 9457 section 3.2), e.g. an edit conflict's versions.
    extra: dict[str, Any] | None = None
    # The input this refusal is about, when it is about one: a page shows it beside that field and
    # the API names it in `errors`, so nobody has to read the message to know where it belongs.
    field: str | None = None

    def __init__(
        self,
        detail: str | None = None,
        *,
        field: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        # A Message: shown in the reader's language wherever it ends up (page, form, problem).
        self.detail = Message(detail or self.title)
        self.headers = headers or {}
        if field is not None:
            self.field = field

    def problem_extra(self) -> dict[str, Any] | None:
        """Extension members: `extra`, plus `errors` naming the field (the validation shape)."""
        if self.field is None or (self.extra and "errors" in self.extra):
            return self.extra
        return (self.extra or {}) | {
            "errors": [{"field": self.field, "problem": shown(self.detail)}]
        }


class BadRequest(AppError):
    pass


class Unauthorized(AppError):
    status, title, type_slug = 401, N_("Please log in"), "unauthorized"


class Forbidden(AppError):
    status, title, type_slug = 403, N_("Not allowed"), "forbidden"


class SecondFactorRequired(AppError):
    status, title, type_slug = 403, N_("Two-step login needed"), "second-factor-required"


class NotFound(AppError):
    """Also the answer for another person's object: its existence is not confirmed (never 403)."""

    status, title, type_slug = 404, N_("Not found"), "not-found"


class Conflict(AppError):
    status, title, type_slug = 409, N_("Conflict"), "conflict"


class PayloadTooLarge(AppError):
    status, title, type_slug = 413, N_("Too large"), "too-large"


class Unprocessable(AppError):
    status, title, type_slug = 422, N_("Check the form"), "validation"


class TooManyRequests(AppError):
    status, title, type_slug = 429, N_("Too many attempts"), "rate-limited"


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path in {"/healthz", "/healthz/live"}


def problem(
    request: Request,
    *,
    status: int,
    title: str,
    detail: str,
    type_slug: str,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    if wants_json(request):
        # Titles and fixed details are catalog messages; anything else passes through unchanged.
        with i18n.use_language(i18n.request_language(request)):
            title, detail = shown(title), shown(detail)
        body: dict[str, Any] = {
            "type": f"/problems/{type_slug}",
            "title": title,
            "status": status,
            "detail": detail,
            "instance": request.url.path,
        }
        if extra:
            body.update(extra)
        return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)
    if type_slug == "second-factor-required":
        from fastapi.responses import RedirectResponse

        return RedirectResponse("/settings/two-factor?required=1", status_code=303)
    if status == 401:
        from urllib.parse import quote

        from fastapi.responses import RedirectResponse

        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    from app.templates import render  # late: templates import errors for their own guards

    with i18n.use_language(i18n.request_language(request)):
        title, detail = shown(title), shown(detail)
    return render(
        request,
        "error.html",
        {"status": status, "title": title, "detail": detail},
        status_code=status,
        headers=headers,
    )


def describe_errors(errors: list[Any]) -> list[dict[str, str]]:
    """Field and problem only: `input` and `ctx` may hold what the person typed. Each problem is a
    `Message` (English; shown translated), see `translate_errors` for an answer's language."""
    described = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "form")]
        described.append({"field": ".".join(loc) or "request", "problem": _plain(err)})
    return described


def translate_errors(errors: list[dict[str, str]]) -> list[dict[str, str]]:
    """The described errors with each problem in the current language (an API answer)."""
    return [err | {"problem": shown(err["problem"])} for err in errors]


# pydantic's error types -> one plain sentence each (never the input; limits are not input).
_PLAIN: dict[str, str] = {
    "missing": N_("This is required."),
    "string_too_long": N_("This is too long."),
    "too_long": N_("This is too long."),
    "string_too_short": N_("This is too short or empty."),
    "too_short": N_("This is too short or empty."),
    "extra_forbidden": N_("This field is not expected."),
    "int_parsing": N_("Enter a whole number."),
    "int_type": N_("Enter a whole number."),
    "int_from_float": N_("Enter a whole number."),
    "float_parsing": N_("Enter a number."),
    "float_type": N_("Enter a number."),
    "decimal_parsing": N_("Enter a number."),
    "bool_parsing": N_("Choose yes or no."),
    "bool_type": N_("Choose yes or no."),
    "literal_error": N_("Choose one of the options."),
    "enum": N_("Choose one of the options."),
    "date_parsing": N_("Enter a date."),
    "date_from_datetime_parsing": N_("Enter a date."),
    "date_type": N_("Enter a date."),
    "time_parsing": N_("Enter a time of day."),
    "time_type": N_("Enter a time of day."),
    "datetime_parsing": N_("Enter a date and a time."),
    "datetime_type": N_("Enter a date and a time."),
    "string_pattern_mismatch": N_("This is not in the form we expect."),
    "uuid_parsing": N_("This value is not valid."),
    "uuid_type": N_("This value is not valid."),
}
_LIMITS: dict[str, tuple[str, str]] = {
    "greater_than_equal": ("ge", N_("This must be %(limit)s or more.")),
    "greater_than": ("gt", N_("This must be more than %(limit)s.")),
    "less_than_equal": ("le", N_("This must be %(limit)s or less.")),
    "less_than": ("lt", N_("This must be less than %(limit)s.")),
}


def _plain(err: dict[str, Any]) -> Message:
    kind = err.get("type", "")
    if kind in _PLAIN:
        return Message(_PLAIN[kind])
    ctx = err.get("ctx") or {}
    if kind in _LIMITS and _LIMITS[kind][0] in ctx:
        bound, message = _LIMITS[kind]
        return Message(message, limit=ctx[bound])
    msg = str(err.get("msg", N_("This value is not valid.")))
    # pydantic messages never include the input, but custom ValueErrors might: keep only their
    # text (a catalog message when the validator marked it, so it is shown translated).
    return Message(msg.removeprefix("Value error, ").removeprefix("Assertion failed, "))


def install(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(request: Request, exc: AppError) -> Response:
        with i18n.use_language(i18n.request_language(request)):
            extra = exc.problem_extra()  # its `errors` name the problem in the reader's language
        return problem(
            request,
            status=exc.status,
            title=exc.title,
            detail=exc.detail,
            type_slug=exc.type_slug,
            extra=extra,
            headers=exc.headers,
        )

    @app.exception_handler(StaleDataError)
    async def _stale(request: Request, _exc: StaleDataError) -> Response:
        # Two saves of one versioned record passed their version check at the same moment; the
        # UPDATE's own version check stopped the second (app/versioning.py).
        return problem(
            request,
            status=409,
            title=N_("Changed by someone else"),
            detail=N_(
                "This was changed by someone else at the same moment. Nothing of yours was "
                "saved; please open it again to see the current version."
            ),
            type_slug="edit-conflict",
        )

    def _validation_problem(request: Request, raw: list[Any]) -> Response:
        with i18n.use_language(i18n.request_language(request)):
            errors = translate_errors(describe_errors(raw))
        return problem(
            request,
            status=422,
            title=N_("Some fields need attention"),
            detail="; ".join(f"{e['field']}: {e['problem']}" for e in errors),
            type_slug="validation",
            extra={"errors": errors},
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        return _validation_problem(request, list(exc.errors()))

    @app.exception_handler(ValidationError)
    async def _model_validation(request: Request, exc: ValidationError) -> Response:
        return _validation_problem(request, list(exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        titles = {404: N_("Not found"), 405: N_("Not allowed here"), 401: N_("Please log in")}
        return problem(
            request,
            status=exc.status_code,
            title=titles.get(exc.status_code, N_("Request not accepted")),
            detail=str(exc.detail)
            if exc.status_code != 404
            else N_("There is nothing at this address."),
            type_slug={404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http"),
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, _exc: Exception) -> Response:
        log.exception("unhandled error", extra={"path": request.url.path})
        return problem(
            request,
            status=500,
            title=N_("Something went wrong on our side"),
            detail=N_("Nothing you did caused this. Please try again in a moment."),
            type_slug="server-error",
        )
