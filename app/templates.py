"""The Jinja2 environment (web/templates): globals every page needs, and one `render` helper."""

from __future__ import annotations

import hashlib
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from markupsafe import Markup, escape

from app import i18n
from app.i18n import N_, friendly_date
from app.routes import page_paths

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
STATIC_DIR = WEB_DIR / "static"

templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))
env = templates.env
env.trim_blocks = True
env.lstrip_blocks = True
# {% trans %} / _() / ngettext() read the language of the render under way (a context variable, set
# by `render`), so the one shared environment holds no per-person state.
env.add_extension("jinja2.ext.i18n")
env.policies["ext.i18n.trimmed"] = True


def _filled(text: str, autoescape: bool, variables: dict[str, Any]) -> str:
    """What jinja2.ext.i18n's newstyle gettext makes of a translated text: safe markup in an
    autoescaped template (the variables escaped), always `%`-formatted (so `%%` shows as `%`)."""
    return (Markup(text) if autoescape else text) % variables


@lru_cache(maxsize=8192)
def _catalog_text(language: str, message: str, autoescape: bool) -> str:
    """`_(message)` with no variables, worked out once per language and message."""
    return _filled(i18n.translations(language).ugettext(message), autoescape, {})


@pass_eval_context
def _gettext(eval_ctx: EvalContext, message: object, **variables: Any) -> str:
    """`_(x)` and `{% trans %}` in a template: a catalog message in the language of the render
    under way, or a text already translated where it was made (a lazy text from Python, a
    person's own words), shown as it is.

    jinja2.ext.i18n's own newstyle `gettext` does the same through three `Context.call`s and a
    Markup `%` per call: on Today (~140 messages a render) that was a fifth of the request's
    CPU (issue #19, `python -m bench.profile`), so the result of a call without variables is
    cached, and this function is installed directly as `_` and `gettext`. It takes the evaluation
    context, not the whole context: for a function that takes the context, Jinja copies the
    context for each call inside a loop that sets a variable (`Context.derived`)."""
    autoescape = eval_ctx.autoescape
    if not isinstance(message, str):
        text = str(message)
    elif not variables:
        return _catalog_text(i18n.current_language(), message, autoescape)
    else:
        text = i18n.translations(i18n.current_language()).ugettext(message)
    return _filled(text, autoescape, variables)


@pass_eval_context
def _ngettext(eval_ctx: EvalContext, singular: str, plural: str, num: int, **variables: Any) -> str:
    """`ngettext(...)` and `{% trans count=n %}`: as jinja2.ext.i18n's newstyle one, called directly."""
    variables.setdefault("num", num)
    text = i18n.translations(i18n.current_language()).ungettext(singular, plural, num)
    return _filled(text, eval_ctx.autoescape, variables)


class _MessageCalls(Context):
    """Every call in a template goes through `Context.call`, which asks each callable how it
    wants to be called (four attribute lookups) before calling it. A page calls `_()` far more
    than anything else (Today: ~160 of its ~210 calls), so those two are called at once, with
    what their `pass_eval_context` asks for: the same call, without the questions."""

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # Jinja's own names
        if __obj is _gettext or __obj is _ngettext:
            kwargs.pop("_loop_vars", None)
            kwargs.pop("_block_vars", None)
            return __obj(__self.eval_ctx, *args, **kwargs)
        return Context.call(__self, __obj, *args, **kwargs)


env.context_class = _MessageCalls
env.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
    gettext=_gettext, ngettext=_ngettext, newstyle=True
)
# Installed as they are, not wrapped again by the extension (see `_gettext`).
env.globals.update(_=_gettext, gettext=_gettext, ngettext=_ngettext)


@dataclass(frozen=True)
class NavItem:
    label: str
    path: str
    icon: str


CLIENT_NAV = (
    NavItem(N_("Today"), "/today", "sun"),
    NavItem(N_("Routines"), "/routines", "list"),
    NavItem(N_("Self-care"), "/self-care", "leaf"),
    NavItem(N_("Calm"), "/calm", "wave"),
    NavItem(N_("More"), "/more", "more"),
)
THERAPIST_NAV = (
    NavItem(N_("Dashboard"), "/dashboard", "list"),
    NavItem(N_("Caseload"), "/caseload", "people"),
    NavItem(N_("Library"), "/library", "book"),
    NavItem(N_("Settings"), "/settings", "gear"),
)
ADMIN_NAV = (
    NavItem(N_("Clinic"), "/admin", "people"),
    NavItem(N_("Audit log"), "/admin/audit", "book"),
    NavItem(N_("Settings"), "/settings", "gear"),
)


def _registered_paths(request: Request) -> frozenset[str]:
    return page_paths(request.app)


def nav_for(request: Request, principal: Any) -> tuple[NavItem, ...]:
    """Navigation for the person's role, showing only pages this build serves."""
    if principal is None:
        return ()
    role = str(principal.role)
    items = {"client": CLIENT_NAV, "therapist": THERAPIST_NAV, "admin": ADMIN_NAV}[role]
    paths = _registered_paths(request)
    return tuple(item for item in items if item.path in paths)


@lru_cache(maxsize=256)
def static_version(path: str) -> str:
    """A static file's content hash ("0" for none, or a path outside web/static)."""
    file = (STATIC_DIR / path).resolve()
    if not file.is_relative_to(STATIC_DIR.resolve()) or not file.is_file():
        return "0"
    return hashlib.sha256(file.read_bytes()).hexdigest()[:10]


def static_url(path: str) -> str:
    """Static files get a content hash in the query, so the service worker's cache never serves stale
    code, and the browser may keep the URL for a year (app/compression.py)."""
    return f"/static/{path}?v={static_version(path)}"


def local_time(value: datetime | None, tz: str, fmt: str = "%H:%M") -> str:
    return value.astimezone(ZoneInfo(tz)).strftime(fmt) if value else ""


def in_zone(value: datetime | None, tz: str) -> datetime | None:
    """The moment on a person's own clock, for the language-aware `format_date`/`format_time`
    filters (strftime's month names are always English)."""
    return value.astimezone(ZoneInfo(tz)) if value else None


def local_datetime(value: datetime | None, tz: str, pattern: str = "d MMM HH:mm") -> str:
    """A moment in the reader's time zone and language (a CLDR pattern): "Sun 6 Dec 14:05" /
    "dom 6 dic 14:05"."""
    if value is None:
        return ""
    return i18n.format_datetime(value.astimezone(ZoneInfo(tz)), pattern)


# Imported macros do not see a template's context, but they do see globals: the CSRF token of the
# page being rendered is handed to them through this context variable.
_csrf_for_render: ContextVar[str] = ContextVar("csrf_for_render", default="")


def csrf_input() -> Markup:
    return Markup(
        f'<input type="hidden" name="csrf_token" value="{escape(_csrf_for_render.get())}">'
    )


env.globals["csrf_input"] = csrf_input
env.globals["static_url"] = static_url
env.globals["has_page"] = lambda request, path: path in _registered_paths(request)
env.filters["local_time"] = local_time
env.filters["in_zone"] = in_zone
env.filters["local_datetime"] = local_datetime
env.filters["friendly_date"] = friendly_date
env.filters["format_date"] = i18n.format_date
env.filters["format_time"] = i18n.format_time
env.filters["format_number"] = i18n.format_number
env.filters["weekday_name"] = i18n.weekday_name
env.globals["current_language"] = i18n.current_language
env.globals["js_messages_json"] = lambda: i18n.js_messages_json(i18n.current_language())


def render_fragment(name: str, context: dict[str, Any], *, language: str, csrf: str) -> Markup:
    """Part of a page rendered on its own (a Today section, `app/sections.py`), exactly as the
    page's own `{% include %}` would render it: in the page's language, with its CSRF token in
    every form. The template may read only `context` and the environment's globals."""
    token = _csrf_for_render.set(csrf)
    try:
        with i18n.use_language(language):
            return Markup(env.get_template(name).render(context))  # autoescaped
    finally:
        _csrf_for_render.reset(token)


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    principal = getattr(request.state, "principal", None)
    csrf = (
        principal.csrf_token if principal is not None else getattr(request.state, "anon_csrf", "")
    )
    ctx: dict[str, Any] = {
        "request": request,
        "principal": principal,
        "user": principal.user if principal is not None else None,
        "csrf_token": csrf,
        "nav": nav_for(request, principal),
        "current_path": request.url.path,
    }
    ctx.update(context or {})
    _csrf_for_render.set(csrf)
    language = i18n.request_language(request)
    with i18n.use_language(language):
        response = templates.TemplateResponse(
            request, name, ctx, status_code=status_code, headers=headers
        )
    # Visitors get the language their browser asks for: shared caches must keep them apart.
    response.headers.setdefault("Content-Language", language)
    response.headers.setdefault("Vary", "Accept-Language")
    # Pages can hold health data: never kept by shared caches; the service worker decides for itself.
    response.headers.setdefault("Cache-Control", "no-store")
    return response
