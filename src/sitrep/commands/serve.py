"""`sitrep serve`: the REST API and the web map over a store (sitrep.api)."""

from __future__ import annotations

import errno
import socket
from typing import Annotated, Optional

import typer

from sitrep.commands.common import EXIT_USAGE, err, fail, guarded
from sitrep.settings import Settings, get_settings

# The HTTP parser, pinned with its limit (docs/security.md): h11 answers 400 once an incomplete request
# head passes 16 KB; httptools, which uvicorn would pick when it is installed, has a fixed limit of its own.
# Bodies are limited by the endpoints that take one (sitrep.api.write: 1 MB, checked while reading).
SERVER_LIMITS = {"http": "h11", "h11_max_incomplete_event_size": 16 * 1024}

OpsecRoundOption = Annotated[Optional[str], typer.Option(
    "--opsec-round", metavar="DEG", help="Round every coordinate given out to a grid of this step in degrees "
    "(e.g. 0.1); 0 turns it off (default: SITREP_OPSEC_ROUND_DEG). See docs/opsec.md.")]
OpsecDelayOption = Annotated[Optional[str], typer.Option(
    "--opsec-delay", metavar="HOURS", help="Publish a record only this many hours after the end of its day; 0 "
    "turns it off (default: SITREP_OPSEC_DELAY_HOURS).")]


@guarded
def serve(db: Annotated[Optional[str], typer.Option("--db", help="Database path or URL (default: SITREP_DB, "
                                                    "else SITREP_HOME/sitrep.db).")] = None,
          host: Annotated[str, typer.Option(help="Address to listen on; 0.0.0.0 opens it to the network.")]
          = "127.0.0.1",
          port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
          tiles: Annotated[Optional[str], typer.Option(
              "--tiles", envvar="SITREP_TILES", help="An online tile layer for the map, as a URL template "
              "(https://host/{z}/{x}/{y}.png); off by default: the map needs no network.")] = None,
          opsec_round: OpsecRoundOption = None, opsec_delay: OpsecDelayOption = None,
          workers: Annotated[int, typer.Option(help="Server processes (uvicorn workers), each with its own "
                                               "database connections: more than one uses more cores.",
                                               min=1, max=64)] = 1,
          allowed_host: Annotated[Optional[list[str]], typer.Option(
              "--allowed-host", metavar="NAME", help="A Host name to answer (repeatable). On loopback only "
              "loopback names are answered, against DNS rebinding; on a network address any, unless names "
              "are given.")] = None) -> None:
    """Serve the REST API (/api, /openapi.json) and the web map (/) over a database."""
    import os

    import uvicorn

    from sitrep.api import create_app
    from sitrep.api.hosts import serving_hosts

    if tiles:
        # The page reads the setting when the app is built (sitrep.web.configured_tiles).
        os.environ["SITREP_TILES"] = tiles

    _check_port_free(host, port)
    settings = get_settings().with_overrides(db=db).with_opsec(opsec_round, opsec_delay)
    allowed = serving_hosts(host, allowed_host or ())
    app = create_app(db_url=settings.db_url, settings=settings, allowed_hosts=allowed or frozenset())
    if app.state.opsec.active:
        err.print(f"sitrep: OPSEC on: {app.state.opsec.describe()}", markup=False, highlight=False)
    shown = f"[{host}]" if ":" in host else host
    err.print(f"sitrep: serving {app.state.store.name} at http://{shown}:{port}/ (API at /api, "
              f"OpenAPI at /openapi.json); Ctrl-C stops", markup=False, highlight=False)
    if workers > 1:
        app.state.store.close()
        _serve_workers(settings, host, port, workers, allowed)
        return
    # No access log: below log level warning its lines are dropped anyway, after uvicorn has built them.
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, **SERVER_LIMITS)


def _serve_workers(settings: Settings, host: str, port: int, workers: int, allowed: frozenset[str] | None) -> None:
    """uvicorn starts each worker in a fresh interpreter from an import string, and each worker
    builds its app (opening the database) from the environment: the command's settings go there."""
    import os

    import uvicorn

    from sitrep.api.hosts import HOSTS_VARIABLE

    os.environ["SITREP_DB"] = settings.db_url
    os.environ["SITREP_OPSEC_ROUND_DEG"] = str(settings.opsec_round_deg or 0)
    os.environ["SITREP_OPSEC_DELAY_HOURS"] = str(settings.opsec_delay_hours)
    os.environ[HOSTS_VARIABLE] = ",".join(sorted(allowed or ()))
    uvicorn.run("sitrep.api:create_app", factory=True, host=host, port=port, workers=workers,
                log_level="warning", access_log=False, **SERVER_LIMITS)


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
