"""``/docs``: Swagger UI over ``/openapi.json``, served from this server only.

FastAPI's own ``/docs`` and ``/redoc`` load their scripts, stylesheet and favicon from CDNs, so offline
they are blank pages. Here Swagger UI comes from the npm package ``swagger-ui-dist``, which
``scripts/build-web.sh`` copies into ``sitrep/web/vendor/swagger-ui`` (served at ``/vendor/``) beside
the map's libraries. The page gets a Content-Security-Policy that allows only this server and the one
inline script that starts Swagger UI (by its hash), so that nothing can quietly reach another host.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from fastapi import FastAPI, Response
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

SWAGGER_URL = "/vendor/swagger-ui"
SWAGGER_FILES = ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png")
# Swagger UI would send the OpenAPI document to validator.swagger.io for its badge; null turns that off.
SWAGGER_PARAMETERS = {"validatorUrl": None}

MISSING_ASSETS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>sitrep API: docs assets missing</title></head>
<body><h1>API docs assets missing: run make setup</h1>
<p>Swagger UI is built from npm into src/sitrep/web/vendor by <code>make setup</code> (or
<code>scripts/build-web.sh</code>). The OpenAPI document itself is at <a href="/openapi.json">/openapi.json</a>.</p>
</body></html>
"""


def vendor_directory() -> Path:
    # The map's vendor folder (sitrep.web.VENDOR), named here so that the API does not import the map.
    return Path(__file__).resolve().parent.parent / "web" / "vendor" / "swagger-ui"


def assets_built() -> bool:
    folder = vendor_directory()
    return all((folder / name).is_file() for name in SWAGGER_FILES)


def install(app: FastAPI) -> None:
    """Add ``GET /docs``; the app must be made with ``docs_url=None`` so that FastAPI's CDN page is not."""
    page = swagger_page(app)
    headers = security_headers(page)

    @app.get("/docs", include_in_schema=False)
    def docs() -> Response:
        if not assets_built():
            return HTMLResponse(MISSING_ASSETS_PAGE, status_code=503, headers=headers)
        return HTMLResponse(page, headers=headers)


def swagger_page(app: FastAPI) -> str:
    """The Swagger UI page, every URL in it local."""
    response = get_swagger_ui_html(
        openapi_url=app.openapi_url or "/openapi.json", title=f"{app.title} API",
        swagger_js_url=f"{SWAGGER_URL}/swagger-ui-bundle.js", swagger_css_url=f"{SWAGGER_URL}/swagger-ui.css",
        swagger_favicon_url=f"{SWAGGER_URL}/favicon-32x32.png", swagger_ui_parameters=SWAGGER_PARAMETERS)
    return bytes(response.body).decode("utf-8")


def security_headers(page: str) -> dict[str, str]:
    """The map's policy (sitrep.web), plus the hash of each inline script of ``page``: FastAPI starts
    Swagger UI with one, and a hash lets exactly that script run without 'unsafe-inline'."""
    scripts = " ".join(f"'sha256-{digest}'" for digest in inline_script_hashes(page))
    policy = (f"default-src 'self'; script-src 'self' {scripts}; style-src 'self'; "
              "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
              "frame-ancestors 'none'; form-action 'self'")
    return {"Content-Security-Policy": policy, "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}


_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def inline_script_hashes(page: str) -> list[str]:
    return [base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
            for body in _INLINE_SCRIPT.findall(page)]
