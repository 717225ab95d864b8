"""The app's routes as (method, path) pairs. FastAPI keeps included routers nested, so `app.routes`
is not flat; `iter_route_contexts` is FastAPI's own way to walk them (it builds OpenAPI with it)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from starlette.routing import Mount


def route_table(app: FastAPI) -> frozenset[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, Mount) or not context.path:
            continue
        for method in context.methods or ():
            if method != "HEAD":
                found.add((method, context.path))
    return frozenset(found)


def page_paths(app: FastAPI) -> frozenset[str]:
    """Paths served with GET (navigation and the offline pre-cache list only show what exists)."""
    cached = getattr(app.state, "page_paths", None)
    if cached is None:
        cached = frozenset(path for method, path in route_table(app) if method == "GET")
        app.state.page_paths = cached
    return cached
