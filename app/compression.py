"""gzip for text responses (HTML, CSS, JS, JSON), and long cache lifetimes for fingerprinted files.

A person in distress may open /calm-now on a weak mobile signal: its 38 KB of HTML shrink to a
fifth. Pure ASGI rather than Starlette's GZipMiddleware because that one compresses any type
over its minimum size (PNG icons, PDFs: bytes spent for nothing) and, for a streamed response,
holds back what zlib buffers until the next chunk. Here only text types are compressed, a body
already encoded or a partial (Range) answer passes untouched, and each streamed chunk is flushed
through zlib at once (Z_SYNC_FLUSH), so a stream still arrives as it is produced.

Static files referenced by `static_url()` carry their content hash (`?v=<hash>`): when the hash
is the file's current one the URL can never name other bytes, so the browser may keep it a year
without asking. Any other static request is revalidated (`no-cache`), so an ES module imported by
its bare path (`/static/js/outbox.js`) is never stale after a release.
"""

from __future__ import annotations

import zlib
from urllib.parse import parse_qs

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.templates import static_version

MIN_SIZE = 500
"""Below this a gzip header and a round of zlib cost more than they save."""
LEVEL = 4
"""Measured on /calm-now (38.2 KB): level 1 gives 10.3 KB for 0.22 ms of CPU, 4 gives 9.1 KB for
0.84 ms, 6 (zlib's default) 8.6 KB for 1.66 ms, 9 8.6 KB for 2.6 ms. The page itself costs ~2 ms:
level 4 keeps most of the saving for half the CPU of 6 (docs/benchmarks.md)."""
COMPRESSIBLE = (
    "text/html",
    "text/css",
    "text/javascript",
    "text/plain",
    "text/csv",
    "application/javascript",
    "application/json",
    "application/problem+json",
    "application/manifest+json",
    "application/geo+json",
    "image/svg+xml",
)
IMMUTABLE = "public, max-age=31536000, immutable"


def _accepts_gzip(headers: Headers) -> bool:
    for part in headers.get("accept-encoding", "").split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "*"):
            q = params.strip().removeprefix("q=").strip() if params else "1"
            try:
                return float(q) > 0
            except ValueError:
                return True
    return False


def _compressible(headers: MutableHeaders, status: int) -> bool:
    if status < 200 or status in (204, 206, 304) or "content-encoding" in headers:
        return False
    media = headers.get("content-type", "").split(";")[0].strip().lower()
    return media in COMPRESSIBLE


def _fingerprinted(scope: Scope) -> bool:
    """Whether a /static/ request names the file's current content hash."""
    path: str = scope.get("path", "")
    if not path.startswith("/static/"):
        return False
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    wanted = query.get("v", [""])[0]
    return bool(wanted) and wanted == static_version(path.removeprefix("/static/"))


class CompressionMiddleware:
    def __init__(self, app: ASGIApp, *, minimum_size: int = MIN_SIZE) -> None:
        self.app = app
        self.minimum_size = minimum_size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        gzip_ok = scope["method"] != "HEAD" and _accepts_gzip(Headers(scope=scope))
        static = scope.get("path", "").startswith("/static/")
        immutable = static and _fingerprinted(scope)
        start: Message | None = None
        compressor: zlib._Compress | None = None

        async def send_wrapper(message: Message) -> None:
            nonlocal start, compressor
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if static and message["status"] == 200:
                    headers["cache-control"] = IMMUTABLE if immutable else "no-cache"
                # A record's strong ETag is its version, which If-Match compares strongly
                # (app/versioning.py): weakening it for gzip would refuse every save made from
                # it, so such answers (one record, small) go out as they are.
                versioned = not static and _is_strong(headers.get("etag"))
                if gzip_ok and not versioned and _compressible(headers, message["status"]):
                    start = message  # held until the first body chunk says how big it is
                    return
                await send(message)
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            body: bytes = message.get("body", b"")
            more: bool = message.get("more_body", False)
            if start is not None:  # the first chunk of a body we may compress
                held, start = start, None
                headers = MutableHeaders(scope=held)
                headers.add_vary_header("Accept-Encoding")
                if not more and len(body) < self.minimum_size:
                    await send(held)
                    await send(message)
                    return
                compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
                headers["content-encoding"] = "gzip"
                etag = headers.get("etag")
                if etag and not etag.startswith("W/"):
                    # Other bytes than the plain file: a strong tag would claim they are equal.
                    headers["etag"] = f"W/{etag}"
                if more:
                    del headers["content-length"]
                    await send(held)
                    chunk = compressor.compress(body) + compressor.flush(zlib.Z_SYNC_FLUSH)
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
                    return
                data = compressor.compress(body) + compressor.flush()
                headers["content-length"] = str(len(data))
                await send(held)
                await send({"type": "http.response.body", "body": data})
                return
            if compressor is None:  # not compressed
                await send(message)
            elif more:
                chunk = compressor.compress(body) + compressor.flush(zlib.Z_SYNC_FLUSH)
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            else:
                tail = compressor.compress(body) + compressor.flush()
                await send({"type": "http.response.body", "body": tail})

        await self.app(scope, receive, send_wrapper)


def _is_strong(etag: str | None) -> bool:
    return etag is not None and not etag.startswith("W/")
