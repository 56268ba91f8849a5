"""The analyst web map: one static page (``static/``) over the REST API, with its front-end libraries and
outline data served from ``vendor/`` (built from npm by ``scripts/build-web.sh``; nothing is loaded from
another host).

``mount(app)`` adds ``/`` (the page), ``/static``, ``/vendor`` and ``/web-config.json`` to a FastAPI app.
The optional online tile layer is off unless ``SITREP_TILES`` (or ``app.state.tiles``, set by
``sitrep serve --tiles``) holds a ``https://.../{z}/{x}/{y}.png`` template; its host is then the only other
host the page's Content-Security-Policy lets images come from.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Response
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles

from sitrep.errors import ConfigError

STATIC = Path(__file__).parent / "static"
VENDOR = Path(__file__).parent / "vendor"
BUILT_STAMP = VENDOR / ".built"
TILES_ENV = "SITREP_TILES"
# Paths whose responses get the page's security headers; the API sets its own.
PAGE_PREFIXES = ("/static/", "/vendor/", "/web-config.json")

MISSING_ASSETS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>sitrep: web assets missing</title></head>
<body><h1>web assets missing: run make setup</h1>
<p>The map's libraries and outlines are built from npm into src/sitrep/web/vendor by
<code>make setup</code> (or <code>scripts/build-web.sh</code>). The API under <a href="/api/health">/api/</a>
works without them.</p></body></html>
"""


def tile_template(value: str | None) -> str | None:
    """Check an online tile URL template; None or '' means no tiles (the offline default)."""
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"tile URL {value!r} must start with https:// (or http://) and name a host; "
                          f"e.g. {TILES_ENV}='https://tiles.example.org/{{z}}/{{x}}/{{y}}.png', or leave it unset")
    if not all(key in value for key in ("{z}", "{x}", "{y}")):
        raise ConfigError(f"tile URL {value!r} must hold {{z}}, {{x}} and {{y}}, "
                          "e.g. https://tiles.example.org/{z}/{x}/{y}.png")
    return value


def content_security_policy(tiles: str | None) -> str:
    """The page's CSP: everything from this server only; images may also come from the tile host."""
    images = "'self' data:"
    if tiles:
        parts = urlsplit(tiles)
        images += f" {parts.scheme}://{parts.netloc}"
    return ("default-src 'self'; script-src 'self'; style-src 'self'; "
            f"img-src {images}; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            "frame-ancestors 'none'; form-action 'self'")


def security_headers(tiles: str | None) -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(tiles),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
    }


def assets_built() -> bool:
    return BUILT_STAMP.is_file()


def mount(app: FastAPI) -> None:
    """Serve the map page at ``/`` with its static files; never fails when the vendor assets are missing."""
    tiles = tile_template(configured_tiles(app))
    headers = security_headers(tiles)

    @app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
    def index() -> Response:
        if not assets_built():
            return HTMLResponse(MISSING_ASSETS_PAGE, status_code=503, headers=headers)
        return FileResponse(STATIC / "index.html", media_type="text/html", headers=headers)

    @app.get("/web-config.json", include_in_schema=False)
    def web_config() -> Response:
        return JSONResponse(page_config(tiles))

    app.add_middleware(PageHeaders, headers=headers)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    if VENDOR.is_dir():
        app.mount("/vendor", StaticFiles(directory=VENDOR), name="vendor")
    else:
        # The app still starts (and / says what to do) before the assets are built.
        @app.get("/vendor/{path:path}", include_in_schema=False)
        def vendor_missing(path: str) -> Response:
            return PlainTextResponse("web assets missing: run make setup\n", status_code=404, headers=headers)


def configured_tiles(app: FastAPI) -> str | None:
    """The tile setting: ``app.state.tiles``, then ``app.state.settings.tiles``, then $SITREP_TILES."""
    settings = getattr(app.state, "settings", None)
    return (getattr(app.state, "tiles", None) or getattr(settings, "tiles", None)
            or os.environ.get(TILES_ENV) or None)


class PageHeaders:
    """Pure ASGI middleware adding the page's security headers to the page's files (not to the API's
    responses, which stream large pages and set their own)."""

    def __init__(self, app: Any, headers: dict[str, str]):
        self.app = app
        self.headers = [(name.lower().encode(), value.encode()) for name, value in headers.items()]

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(PAGE_PREFIXES):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                present = {name for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (name, value) for name, value in self.headers if name not in present]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def page_config(tiles: str | None) -> dict[str, Any]:
    """What the page needs to know about the server's settings (read by app.js at start)."""
    return {"tiles": tiles, "assets": assets_built()}
