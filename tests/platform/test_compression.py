"""Text answers are gzipped (HTML, CSS, JS, JSON); images, partial and already-encoded answers are
not; streams stay streams; fingerprinted static files are cached for a year (app/compression.py)."""

from __future__ import annotations

import asyncio
import gzip
import zlib
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route
from starlette.types import Message

from app.compression import CompressionMiddleware
from app.templates import static_url
from tests import own_loop
from tests.conftest import Http

PAGE = ("<p>Breathe in for four, out for six.</p>\n" * 200).encode()


async def _stream() -> Any:
    for n in range(3):
        yield f"row {n}," * 100 + "\n"


def _page(_request: Request) -> Response:
    return Response(PAGE, media_type="text/html")


def _tiny(_request: Request) -> Response:
    return Response("ok", media_type="text/plain")


def _png(_request: Request) -> Response:
    return Response(b"\x89PNG" + bytes(5000), media_type="image/png")


def _encoded(_request: Request) -> Response:
    return Response(
        gzip.compress(PAGE), media_type="text/html", headers={"Content-Encoding": "gzip"}
    )


def _csv(_request: Request) -> StreamingResponse:
    return StreamingResponse(_stream(), media_type="text/csv")


APP = CompressionMiddleware(
    Starlette(
        routes=[
            Route("/page", _page),
            Route("/tiny", _tiny),
            Route("/png", _png),
            Route("/encoded", _encoded),
            Route("/csv", _csv),
        ]
    )
)


def _call(path: str, accept: str = "gzip, br", method: str = "GET") -> list[Message]:
    sent: list[Message] = []
    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(b"accept-encoding", accept.encode()), (b"host", b"testserver")],
        "scheme": "http",
        "server": ("testserver", 80),
        "http_version": "1.1",
        "root_path": "",
    }

    requests = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive() -> Message:
        if requests:
            return requests.pop()
        await asyncio.Event().wait()  # no disconnect: the client stays until the end
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    own_loop.run(APP(scope, receive, send))
    return sent


def _headers(start: Message) -> dict[str, str]:
    return {k.decode(): v.decode() for k, v in start["headers"]}


def test_html_is_gzipped_with_its_compressed_length() -> None:
    start, body = _call("/page")
    headers = _headers(start)
    assert headers["content-encoding"] == "gzip"
    assert headers["vary"] == "Accept-Encoding"
    assert int(headers["content-length"]) == len(body["body"]) < len(PAGE) / 5
    assert gzip.decompress(body["body"]) == PAGE


def test_without_accept_encoding_the_page_is_sent_plain() -> None:
    start, body = _call("/page", accept="identity")
    assert "content-encoding" not in _headers(start)
    assert body["body"] == PAGE
    start, _body = _call("/page", accept="gzip;q=0")
    assert "content-encoding" not in _headers(start)


@pytest.mark.parametrize("path", ["/tiny", "/png"])
def test_small_bodies_and_images_are_not_compressed(path: str) -> None:
    start, body = _call(path)
    assert "content-encoding" not in _headers(start)
    assert int(_headers(start)["content-length"]) == len(body["body"])


def test_an_already_encoded_body_passes_untouched() -> None:
    start, body = _call("/encoded")
    assert _headers(start)["content-encoding"] == "gzip"
    assert gzip.decompress(body["body"]) == PAGE


def test_a_stream_is_compressed_chunk_by_chunk_and_each_chunk_is_readable_at_once() -> None:
    start, *bodies = _call("/csv")
    headers = _headers(start)
    assert headers["content-encoding"] == "gzip"
    assert "content-length" not in headers
    reader = zlib.decompressobj(16 + zlib.MAX_WBITS)
    rows = [reader.decompress(b["body"]) for b in bodies if b["body"]]
    # Each row is readable as soon as its chunk arrives: nothing held back for the next one.
    assert rows[:3] == [(f"row {n}," * 100 + "\n").encode() for n in range(3)]
    assert bodies[-1].get("more_body", False) is False


def test_head_is_not_compressed() -> None:
    start, *_ = _call("/page", method="HEAD")
    assert "content-encoding" not in _headers(start)


@pytest.mark.parametrize(
    ("path", "media"),
    [
        ("/calm-now", "text/html"),
        ("/manifest.webmanifest", "application/manifest+json"),
        ("/openapi.json", "application/json"),
        (static_url("css/app.css"), "text/css"),
        (static_url("js/app.js"), "text/javascript"),
    ],
)
def test_the_apps_text_answers_are_gzipped(http: Http, path: str, media: str) -> None:
    response = http.get(path, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert response.headers["content-encoding"] == "gzip"
    assert int(response.headers["content-length"]) < len(response.content)


def test_fingerprinted_static_files_are_kept_a_year_and_others_revalidated(http: Http) -> None:
    fresh = http.get(static_url("css/app.css"))
    assert fresh.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert fresh.headers["etag"].startswith('W/"')
    for stale in (
        "/static/css/app.css",
        "/static/css/app.css?v=0123456789",
        "/static/js/outbox.js",
    ):
        assert http.get(stale).headers["cache-control"] == "no-cache"
    icon = http.get(static_url("icons/icon-192.png"))
    assert icon.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert "content-encoding" not in icon.headers


def test_a_range_request_gets_the_plain_bytes_it_asked_for(http: Http) -> None:
    response = http.get("/static/css/app.css", headers={"Range": "bytes=0-99"})
    assert response.status_code == 206
    assert "content-encoding" not in response.headers
    assert len(response.content) == 100
