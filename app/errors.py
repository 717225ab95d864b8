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
from pydantic import ValidationError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app import i18n
from app.i18n import N_

log = logging.getLogger("groundwork.errors")

PROBLEM_JSON = "application/problem+json"


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
        self.detail = detail or self.title
        self.headers = headers or {}
        if field is not None:
            self.field = field

    def problem_extra(self) -> dict[str, Any] | None:
        """Extension members: `extra`, plus `errors` naming the field (the validation shape)."""
        if self.field is None or (self.extra and "errors" in self.extra):
            return self.extra
        return (self.extra or {}) | {"errors": [{"field": self.field, "problem": self.detail}]}


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
            title, detail = i18n.gettext(title), i18n.gettext(detail)
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
        title, detail = i18n.gettext(title), i18n.gettext(detail)
    return render(
        request,
        "error.html",
        {"status": status, "title": title, "detail": detail},
        status_code=status,
        headers=headers,
    )


def describe_errors(errors: list[Any]) -> list[dict[str, str]]:
    """Field and problem only: `input` and `ctx` may hold what the person typed."""
    described = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "form")]
        described.append({"field": ".".join(loc) or "request", "problem": _plain(err)})
    return described


def _plain(err: dict[str, Any]) -> str:
    kind = err.get("type", "")
    if kind == "missing":
        return "This is required."
    if kind in {"string_too_long", "too_long"}:
        return "This is too long."
    if kind in {"string_too_short", "too_short"}:
        return "This is too short or empty."
    if kind == "extra_forbidden":
        return "This field is not expected."
    msg = str(err.get("msg", "This value is not valid."))
    # pydantic messages never include the input, but custom ValueErrors might: keep only their text.
    return msg.removeprefix("Value error, ")


def install(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(request: Request, exc: AppError) -> Response:
        return problem(
            request,
            status=exc.status,
            title=exc.title,
            detail=exc.detail,
            type_slug=exc.type_slug,
            extra=exc.problem_extra(),
            headers=exc.headers,
        )

    @app.exception_handler(StaleDataError)
    async def _stale(request: Request, _exc: StaleDataError) -> Response:
        # Two saves of one versioned record passed their version check at the same moment; the
        # UPDATE's own version check stopped the second (app/versioning.py).
        return problem(
            request,
            status=409,
            title="Changed by someone else",
            detail="This was changed by someone else at the same moment. Nothing of yours was "
            "saved; please open it again to see the current version.",
            type_slug="edit-conflict",
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors = describe_errors(list(exc.errors()))
        return problem(
            request,
            status=422,
            title="Some fields need attention",
            detail="; ".join(f"{e['field']}: {e['problem']}" for e in errors),
            type_slug="validation",
            extra={"errors": errors},
        )

    @app.exception_handler(ValidationError)
    async def _model_validation(request: Request, exc: ValidationError) -> Response:
        errors = describe_errors(list(exc.errors()))
        return problem(
            request,
            status=422,
            title="Some fields need attention",
            detail="; ".join(f"{e['field']}: {e['problem']}" for e in errors),
            type_slug="validation",
            extra={"errors": errors},
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        titles = {404: "Not found", 405: "Not allowed here", 401: "Please log in"}
        return problem(
            request,
            status=exc.status_code,
            title=titles.get(exc.status_code, "Request not accepted"),
            detail=str(exc.detail)
            if exc.status_code != 404
            else "There is nothing at this address.",
            type_slug={404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http"),
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, _exc: Exception) -> Response:
        log.exception("unhandled error", extra={"path": request.url.path})
        return problem(
            request,
            status=500,
            title="Something went wrong on our side",
            detail="Nothing you did caused this. Please try again in a moment.",
            type_slug="server-error",
        )
