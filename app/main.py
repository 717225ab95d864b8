"""create_app(): routers, error handlers, static files, lifespan."""

from __future__ import annotations

import gc
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import swagger_ui_bundle
from fastapi import Depends, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from app import (
    errors,
    health,
    logging_setup,
    routes,
    scheduler,
    templates,
    unavailable,
    write_marks,
)
from app.admission import AdmissionMiddleware, size_thread_pool
from app.body_limit import BodyLimitMiddleware
from app.compression import CompressionMiddleware
from app.config import get_settings
from app.db import get_engine
from app.domains import plugins
from app.middleware import RequestContextMiddleware
from app.route_gates import RouteGate
from app.templates import STATIC_DIR

API_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"description": text, "content": {"application/problem+json": {}}}
    for code, text in {
        401: "Not logged in",
        403: "Not allowed, or the form's CSRF token is missing",
        404: "Not found (also: another person's data)",
        422: "Invalid input; names fields, never values",
        413: "The request body is over this route's limit",
        429: "Too many attempts",
        503: "Busy or the database is unavailable: try again after Retry-After seconds",
    }.items()
}


API_PREFIX = "/api/v1"


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    settings = get_settings()
    # What startup loaded (modules, routes, models: ~300,000 objects) lives as long as the process.
    # Frozen, the collector stops rescanning it in every full collection (~160 ms each on the bench
    # machine, about 1 ms per page request on average); only what requests create is scanned.
    gc.collect()
    gc.freeze()
    size_thread_pool()
    ticker = scheduler.start() if settings.scheduler_enabled else None
    # Each domain's start-up warm-up (e.g. the dashboard's row cache), in background threads,
    # and the navigation's route table, which FastAPI builds by walking all 333 routes (~0.45 s
    # of CPU): otherwise the first signed-in page after a restart pays for it (issue #19).
    threading.Thread(
        target=routes.page_paths, args=(_app,), name="route-table", daemon=True
    ).start()
    for _domain, module in plugins("warmup"):
        module.start()
    # The write marks (on PostgreSQL, this process's listener) open now, not at the first request.
    write_marks.wait_until_usable(get_engine(), timeout=0.0)
    try:
        yield
    finally:
        if ticker is not None:
            ticker.shutdown(wait=False)


def app_guards() -> list[Callable[..., Any]]:
    """The app-wide dependencies domains declare in `guards.py` (accounts: CSRF, then the write
    limit), in domain order."""
    return [guard for _domain, module in plugins("guards") for guard in module.APP_GUARDS]


def create_app() -> FastAPI:
    settings = get_settings()
    logging_setup.configure(settings.log_level)
    # Templates change only with a deploy in production: no stat() of every template per render.
    templates.env.auto_reload = settings.environment != "production"
    app = FastAPI(
        title="Groundwork",
        version="1",
        summary="Routines, graded self-care, calm and sensory tools for mental-health OT.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(guard) for guard in app_guards()],
    )
    errors.install(app)
    unavailable.install(app)
    # Outermost first: compression (app/compression.py), the request id and log line, the body
    # limit (before any waiting), then admission (app/admission.py). Starlette puts the last one
    # added outermost.
    app.add_middleware(AdmissionMiddleware)
    app.add_middleware(BodyLimitMiddleware)
    app.add_middleware(RequestContextMiddleware)
    app.add_middleware(CompressionMiddleware)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.mount(
        "/docs-assets", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="docs-assets"
    )
    app.include_router(health.router)
    # Each domain behind its own gate: a request is matched only against the domains whose
    # paths it could reach (see app/route_gates.py).
    for _domain, module in plugins("api"):
        app.include_router(RouteGate(module.router, prefix=API_PREFIX, responses=API_ERRORS))
    for _domain, module in plugins("pages"):
        app.include_router(RouteGate(module.router, include_in_schema=False))

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="Groundwork API",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/static/icons/icon-192.png",
        )

    return app
