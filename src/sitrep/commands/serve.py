"""`sitrep serve`: the REST API and the web map over a store (sitrep.api)."""

from __future__ import annotations

import errno
import socket
from typing import Annotated, Optional

import typer

from sitrep.commands.common import EXIT_USAGE, err, fail, guarded
from sitrep.settings import get_settings


@guarded
def serve(db: Annotated[Optional[str], typer.Option("--db", help="Database path or URL (default: SITREP_DB, "
                                                    "else SITREP_HOME/sitrep.db).")] = None,
          host: Annotated[str, typer.Option(help="Address to listen on; 0.0.0.0 opens it to the network.")]
          = "127.0.0.1",
          port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
          tiles: Annotated[Optional[str], typer.Option(
              "--tiles", envvar="SITREP_TILES", help="An online tile layer for the map, as a URL template "
              "(https://host/{z}/{x}/{y}.png); off by default: the map needs no network.")] = None) -> None:
    """Serve the REST API (/api, /openapi.json) and the web map (/) over a database."""
    import os

    import uvicorn

    from sitrep.api import create_app

    if tiles:
        # The page reads the setting when the app is built (sitrep.web.configured_tiles).
        os.environ["SITREP_TILES"] = tiles

    _check_port_free(host, port)
    settings = get_settings().with_overrides(db=db)
    app = create_app(db_url=settings.db_url, settings=settings)
    shown = f"[{host}]" if ":" in host else host
    err.print(f"sitrep: serving {app.state.store.name} at http://{shown}:{port}/ (API at /api, "
              f"OpenAPI at /openapi.json); Ctrl-C stops", markup=False, highlight=False)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _check_port_free(host: str, port: int) -> None:
    """Fail with one line before the app opens anything, rather than with uvicorn's log and exit."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                fail(f"port {port} on {host} is already in use; pick another with --port", EXIT_USAGE)
            fail(f"cannot listen on {host}:{port}: {error.strerror or error}", EXIT_USAGE)


def register(app: typer.Typer) -> None:
    app.command()(serve)
