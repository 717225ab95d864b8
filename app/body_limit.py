"""Request bodies are limited before they are read (docs/operations.md, "Request size limits").

Every route takes at most `GW_BODY_LIMIT_BYTES` (64 KB: any form or JSON document a person types);
a route taking an upload declares its own limit with `openapi_extra={BODY_LIMIT: n}`. The limit is
enforced from `Content-Length` before a byte is read (anything over the largest limit of any route
is refused before routing; over the route's own limit, at the route's first read) and again while
the body streams in, for chunked bodies or a wrong length. Refusal is `413` problem details, at
once: nothing (the CSRF check's form parsing included) buffers a huge body first.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.routing import iter_route_contexts
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import get_settings
from app.errors import PayloadTooLarge, problem

BODY_LIMIT = "x-body-limit"
"""`openapi_extra` key: this route's body limit in bytes (it also documents it in OpenAPI)."""

# A multipart upload carries boundaries, headers and the form's other fields around the file.
MULTIPART_OVERHEAD = 64 * 1024


# A clinical note may be 20,000 characters; as a form, every non-ASCII byte is sent as %XX.
LONG_TEXT = {BODY_LIMIT: 256 * 1024}
"""`openapi_extra` for routes taking a long clinical text (the default fits anything shorter)."""


def upload_limit(file_bytes: int) -> dict[str, Any]:
    """`openapi_extra` for a route taking one file of at most `file_bytes`."""
    return {BODY_LIMIT: file_bytes + MULTIPART_OVERHEAD}


class _TooLarge(Exception):
    """Raised into the app from `receive`; the middleware answers 413 in its place."""


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.default = get_settings().body_limit_bytes
        self._largest: int | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        largest = self._largest_limit(scope)
        if declared is not None and declared > largest:
            await _refuse(scope, receive, send, largest)
            return
        refused = False
        started = False
        received = 0
        limit: int | None = None

        async def limited_receive() -> Message:
            nonlocal refused, received, limit
            if limit is None:
                # The first read comes after routing, so the route's own limit is known.
                limit = self._route_limit(scope)
                if declared is not None and declared > limit:
                    refused = True
                    raise _TooLarge
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    refused = True
                    raise _TooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refused:
                return  # whatever the app made of the interrupted read; the 413 goes instead
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except _TooLarge:
            pass
        except Exception:
            if not refused:
                raise
        if refused and not started:
            await _refuse(scope, receive, send, limit or self.default)

    def _route_limit(self, scope: Scope) -> int:
        route = scope.get("route")
        extra = getattr(route, "openapi_extra", None) or {}
        return int(extra.get(BODY_LIMIT, self.default))

    def _largest_limit(self, scope: Scope) -> int:
        if self._largest is None:
            app = scope.get("app")
            limits = [self.default]
            if isinstance(app, FastAPI):
                for context in iter_route_contexts(app.routes):
                    extra = getattr(context.original_route, "openapi_extra", None) or {}
                    if BODY_LIMIT in extra:
                        limits.append(int(extra[BODY_LIMIT]))
            self._largest = max(limits)
        return self._largest


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _size(limit: int) -> str:
    mb = 1024 * 1024
    return f"{limit // mb} MB" if limit >= mb else f"{limit // 1024} KB"


async def _refuse(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    exc = PayloadTooLarge(
        f"This is too large: this page takes at most {_size(limit)}. Please send something smaller."
    )
    response = problem(
        Request(scope),
        status=exc.status,
        title=exc.title,
        detail=exc.detail,
        type_slug=exc.type_slug,
        # The rest of the body is not read: the client should not reuse this connection.
        headers={"Connection": "close"},
    )
    await response(scope, receive, send)
