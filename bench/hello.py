"""The pure hello world the bench divides by: one FastAPI route returning a tiny JSON object.

It is served by the same uvicorn command and flags as the app and pinned to the same core, so the
ratio of a scenario to it is the app's own cost over the bare stack (uvicorn + Starlette + FastAPI),
which `/healthz/live` is not: that still passes through every middleware of the app.
"""

from __future__ import annotations

from fastapi import FastAPI

PATH = "/hello"


def create_app() -> FastAPI:
    """No middleware, no database, no templates: the floor any FastAPI app pays per request."""
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @app.get(PATH)
    def hello() -> dict[str, str]:
        return {"hello": "world"}

    return app
