"""The installable app: manifest, service worker (from the root, so it controls every page), offline page.

The service worker is assembled from `web/sw/base.js` plus each domain's `web/sw/<domain>.js`; its cache
name carries a hash of everything it pre-caches, so a new release replaces the old cache.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from app.domains import DOMAINS, plugins
from app.routes import page_paths
from app.templates import WEB_DIR, render, static_url

router = APIRouter()

SHELL_URLS = ("/offline", "/crisis")
STATIC_FILES = ("css/app.css", "js/app.js", "icons/icon-192.png", "icons/icon.svg")


def offline_urls() -> list[str]:
    urls = list(SHELL_URLS)
    for _domain, module in plugins("pwa"):
        urls.extend(getattr(module, "OFFLINE_URLS", []))
    return urls


@lru_cache
def service_worker_source(page_urls: tuple[str, ...]) -> str:
    precache = list(page_urls) + [static_url(path) for path in STATIC_FILES]
    parts = [(WEB_DIR / "sw" / "base.js").read_text()]
    parts += [
        (WEB_DIR / "sw" / f"{d}.js").read_text()
        for d in DOMAINS
        if (WEB_DIR / "sw" / f"{d}.js").exists()
    ]
    body = "\n".join(parts)
    version = hashlib.sha256((body + json.dumps(precache)).encode()).hexdigest()[:12]
    header = f"const CACHE_VERSION = 'gw-{version}';\nconst PRECACHE = {json.dumps(precache)};\n"
    return header + body


@router.get("/sw.js")
def service_worker(request: Request) -> Response:
    paths = page_paths(request.app)
    urls = tuple(u for u in offline_urls() if u.split("?")[0] in paths)
    return Response(
        service_worker_source(urls),
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"},
    )


@router.get("/manifest.webmanifest")
def manifest() -> JSONResponse:
    return JSONResponse(
        {
            "name": "Groundwork",
            "short_name": "Groundwork",
            "description": "Daily routines, self-care and calm, with your occupational therapist.",
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "background_color": "#f6f8f4",
            "theme_color": "#2f6f66",
            "icons": [
                {"src": "/static/icons/icon-192.png", "sizes": "192x192", "type": "image/png"},
                {"src": "/static/icons/icon-512.png", "sizes": "512x512", "type": "image/png"},
                {
                    "src": "/static/icons/maskable-512.png",
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "maskable",
                },
                {"src": "/static/icons/icon.svg", "sizes": "any", "type": "image/svg+xml"},
            ],
            # A long press on the home-screen icon: calm in one tap, also offline (pre-cached).
            "shortcuts": [
                {
                    "name": "Calm now",
                    "short_name": "Calm now",
                    "description": "A guided calm exercise, ready to start.",
                    "url": "/calm",
                    "icons": [
                        {
                            "src": "/static/icons/icon-192.png",
                            "sizes": "192x192",
                            "type": "image/png",
                        }
                    ],
                },
                {
                    "name": "Crisis lines",
                    "short_name": "Crisis lines",
                    "url": "/crisis",
                    "icons": [
                        {
                            "src": "/static/icons/icon-192.png",
                            "sizes": "192x192",
                            "type": "image/png",
                        }
                    ],
                },
            ],
        },
        media_type="application/manifest+json",
    )


@router.get("/offline", response_class=HTMLResponse)
def offline(request: Request) -> Response:
    return render(request, "pwa/offline.html")
