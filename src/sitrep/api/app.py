"""``create_app``: the FastAPI application over one store: the API under /api, and the web map
(``sitrep.web.mount``) at /."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from sitrep import __version__
from sitrep.api import docs, downloads, errors, hosts, read, write
from sitrep.opsec import OpsecPolicy
from sitrep.settings import Settings, get_settings
from sitrep.store import Store

TOKEN_VARIABLE = "SITREP_API_TOKEN"


def create_app(store: Store | None = None, *, db_url: str | None = None, token: str | None = None,
               settings: Settings | None = None, opsec: OpsecPolicy | None = None,
               allowed_hosts: frozenset[str] | None = None) -> FastAPI:
    """The app over ``store``, or over the database at ``db_url`` (default: the settings' database),
    which it then opens now and closes on shutdown. ``token`` (default: $SITREP_API_TOKEN) turns on
    ``POST /api/documents``; without one, writes are off. ``opsec`` (default: from the settings)
    rounds coordinates and holds recent records back in every read (sitrep.opsec).
    ``allowed_hosts`` (default: $SITREP_ALLOWED_HOSTS, else any) are the Host names answered
    (sitrep.api.hosts)."""
    settings = settings or get_settings()
    opsec = opsec or OpsecPolicy.from_settings(settings)
    owned = store is None
    if store is None:
        store = Store.open(db_url or settings.db_url)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        if owned:
            store.close()

    # FastAPI's own /docs and /redoc load from CDNs; sitrep.api.docs serves Swagger UI from this server.
    app = FastAPI(title="sitrep", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Sourced, geolocated, time-resolved events from war reporting (docs/api.md).")
    app.state.store = store
    app.state.opsec = opsec
    app.state.token = token if token is not None else (os.environ.get(TOKEN_VARIABLE) or None)
    app.state.writer = write.Writer(store, _pipeline_factory(settings))
    errors.install(app)
    app.include_router(read.router)
    app.include_router(downloads.router)
    app.include_router(write.router)
    docs.install(app)
    _mount_web(app)
    allowed_hosts = allowed_hosts if allowed_hosts is not None else hosts.hosts_from_env()
    if allowed_hosts:
        app.add_middleware(hosts.HostCheck, allowed=allowed_hosts)
    return app


def _pipeline_factory(settings: Settings) -> Any:
    def build() -> Any:
        from sitrep.pipeline import Pipeline  # spaCy loads only when the first upload needs it

        return Pipeline(settings)

    return build


def _mount_web(app: FastAPI) -> None:
    try:
        from sitrep import web
    except ImportError:  # the web map is optional: the API works without it
        return
    mount = getattr(web, "mount", None)
    if mount is not None:
        mount(app)
