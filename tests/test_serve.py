"""`sitrep serve --workers N`: each uvicorn worker builds its own app in a fresh interpreter, from
the environment, and must end up with what the command was given."""

from __future__ import annotations

import socket

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from sitrep.api import create_app
from sitrep.cli import app as cli
from sitrep.opsec import OpsecPolicy
from sitrep.settings import get_settings

HANDED_DOWN = ("SITREP_DB", "SITREP_OPSEC_ROUND_DEG", "SITREP_OPSEC_DELAY_HOURS", "SITREP_ALLOWED_HOSTS")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_workers_build_their_app_from_what_the_command_was_given(tmp_path, monkeypatch, sitrep_home):
    import uvicorn

    served = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.append((app, options)))
    for name in HANDED_DOWN:  # set (and so restored afterwards) to what means "not set"
        monkeypatch.setenv(name, "")
    database = tmp_path / "served.db"
    result = CliRunner().invoke(cli, ["serve", "--db", str(database), "--port", str(_free_port()), "--workers", "3",
                                      "--opsec-round", "0.1", "--opsec-delay", "6"])
    assert result.exit_code == 0, result.output
    [(target, options)] = served
    assert (target, options["factory"], options["workers"]) == ("sitrep.api:create_app", True, 3)
    get_settings.cache_clear()  # as in a worker's fresh interpreter
    try:
        app = create_app()
        assert app.state.store.name == str(database)
        assert app.state.opsec == OpsecPolicy(round_deg=0.1, delay_hours=6)
        # Served on 127.0.0.1: each worker answers only loopback Host names (sitrep.api.hosts).
        assert TestClient(app, base_url="http://localhost").get("/api/health").status_code == 200
        assert TestClient(app, base_url="http://rebound.example").get("/api/health").status_code == 400
        app.state.store.close()
    finally:
        get_settings.cache_clear()


def test_one_worker_serves_the_app_it_built(tmp_path, monkeypatch, sitrep_home):
    import uvicorn

    served = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.append((app, options)))
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "one.db"), "--port", str(_free_port())])
    assert result.exit_code == 0, result.output
    [(app, options)] = served
    assert "workers" not in options and options["access_log"] is False
    assert app.state.store.name == str(tmp_path / "one.db")
    app.state.store.close()
