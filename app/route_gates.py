"""Route gates: a domain's routes are tried only for paths one of them matches.

FastAPI keeps included routers nested and tries them in order, and it matches the chosen branch
again on the way down (each level's `handle` re-runs its `_match`). With ~340 routes in 20 domain
routers, a request to a late domain was tested against ~115 route patterns, one Python call and
regex each, before its own; a therapist's `/caseload/{id}/…` page against over 200.

A gate holds one domain router and one regular expression: the alternation of the path patterns
of every route in it, compiled the way Starlette compiles each route. A path the expression does
not match cannot match any route behind the gate, so the gate refuses it in one C-level match.
A path it admits is matched by FastAPI exactly as before: a gate never changes which route
answers, it only skips routers that cannot.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter
from fastapi.routing import iter_route_contexts
from starlette._utils import get_route_path
from starlette.routing import Match, Mount, compile_path
from starlette.types import Scope

from app.transactions import wrap_router

_NAMED_GROUP = re.compile(r"\(\?P<\w+>")


def path_pattern(path: str, *, mount: bool = False) -> str:
    """Starlette's pattern for a route (a mount also matches everything below it), with its
    named groups made anonymous so that patterns can be joined into one alternation."""
    regex, _format, _convertors = compile_path(path.rstrip("/") + "/{path:path}" if mount else path)
    return _NAMED_GROUP.sub("(?:", regex.pattern)


class RouteGate(APIRouter):
    """Holds one included router and refuses paths that no route in it could match."""

    def __init__(self, inner: APIRouter, *, prefix: str = "", **include: Any) -> None:
        super().__init__()
        wrap_router(inner)  # before inclusion, which builds the serving routes from endpoints
        self.include_router(inner, prefix=prefix, **include)
        patterns = sorted(
            {
                path_pattern(prefix + c.path, mount=isinstance(c.original_route, Mount))
                for c in iter_route_contexts(inner.routes)
                if c.path is not None  # typed optional; every Starlette route has a path
            }
        )
        self.pattern = re.compile("|".join(f"(?:{p})" for p in patterns))

    def admits(self, path: str) -> bool:
        """False only when no route behind the gate could match `path`."""
        return self.pattern.match(path) is not None

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if not self.admits(get_route_path(scope)):
            return Match.NONE, {}
        return super().matches(scope)
