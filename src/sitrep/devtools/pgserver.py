"""A throwaway PostgreSQL server on loopback, for the tests and the benchmarks.

``running()`` runs ``initdb`` into a temporary directory, starts the server on a free loopback port
with durability off (fsync, synchronous commit and full-page writes: nothing here must survive a
crash), and stops it with ``pg_ctl stop -m immediate`` when the block ends, however it ends.
``attach(url)`` uses a server that already runs instead (SITREP_TEST_PG_URL in the tests).

initdb refuses to run as root, and CI runs as root: as root the server runs as the ``postgres``
user (Debian's package creates it) through ``runuser``, in a temporary directory that user owns.
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import URL, make_url

# The superuser that initdb creates; the tests connect as it over loopback with trust auth.
ROLE = "sitrep"

# Where Debian's packages put the server programs, one folder per major version.
DEBIAN_BIN_GLOB = "/usr/lib/postgresql/*/bin"

# Set this to the folder holding initdb and pg_ctl when they are elsewhere.
BIN_ENV = "SITREP_PG_BIN"

# initdb and the first start take 1-3 s on a 2-core machine; 60 s means something is wrong.
START_TIMEOUT_S = 60

# Another process may take the free port between our probe and the server's bind: try again.
START_ATTEMPTS = 3

# No durability: the server lives for one test run. -k puts the socket in our own folder, since
# /var/run/postgresql may not exist or be writable.
SERVER_OPTIONS = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100"

# The run-as user when started as root.
SERVICE_USER = "postgres"


class ServerUnavailable(RuntimeError):
    """No PostgreSQL server programs were found, or the server would not start."""


@dataclass
class PgServer:
    """A running server: ``url`` is its base SQLAlchemy URL (no database name)."""

    url: str
    admin_database: str = "postgres"
    _stop: list = field(default_factory=list, repr=False)

    def database_url(self, name: str) -> str:
        return make_url(self.url).set(database=name).render_as_string(hide_password=False)

    def create_database(self, prefix: str = "sitrep_test") -> str:
        """A new empty database (from template0); returns its SQLAlchemy URL."""
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\'')
        return self.database_url(name)

    def drop_database(self, url: str) -> None:
        name = make_url(url).database
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        while self._stop:
            self._stop.pop()()

    def _admin(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(_conninfo(make_url(self.url).set(database=self.admin_database)), autocommit=True) as db:
            db.execute(statement)


def find_bin_dir() -> Path | None:
    """The folder with initdb and pg_ctl: SITREP_PG_BIN, else Debian's newest, else the PATH's."""
    configured = os.environ.get(BIN_ENV)
    if configured:
        return Path(configured)
    debian = sorted(glob.glob(DEBIAN_BIN_GLOB), key=_major_version)
    for folder in reversed(debian):
        if (Path(folder) / "initdb").exists():
            return Path(folder)
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found else None


def attach(url: str) -> PgServer:
    """An existing server at ``url``; its database (if any) is where new databases are created from."""
    parsed = make_url(url)
    return PgServer(url=parsed.set(database=None).render_as_string(hide_password=False) + "/",
                    admin_database=parsed.database or "postgres")


@contextmanager
def running() -> Iterator[PgServer]:
    """A fresh server for the duration of the block; stopped and deleted afterwards."""
    server = start()
    try:
        yield server
    finally:
        server.stop()


def start() -> PgServer:
    """Start a fresh server; call ``stop()`` on it (also run at exit if forgotten)."""
    bin_dir = find_bin_dir()
    if bin_dir is None or not (bin_dir / "initdb").exists():
        raise ServerUnavailable(f"no PostgreSQL server programs found (initdb; looked in {BIN_ENV}, "
                                f"{DEBIAN_BIN_GLOB} and PATH); install Debian's postgresql package")
    workdir = Path(tempfile.mkdtemp(prefix="sitrep-pg-"))
    user = _run_as_user()
    if user is not None:
        os.chown(workdir, user.pw_uid, user.pw_gid)
    runner = _Runner(bin_dir, workdir, user)
    try:
        runner.initdb()
        port = runner.start()
    except BaseException:
        runner.remove()
        raise
    server = PgServer(url=URL.create("postgresql+psycopg", username=ROLE, host="127.0.0.1", port=port)
                      .render_as_string(hide_password=False) + "/")
    server._stop.append(runner.stop_and_remove)
    atexit.register(server.stop)
    return server


@dataclass
class _Runner:
    bin_dir: Path
    workdir: Path
    user: pwd.struct_passwd | None
    started: bool = False

    @property
    def data_dir(self) -> Path:
        return self.workdir / "data"

    def initdb(self) -> None:
        self._run("initdb", "-D", str(self.data_dir), "--auth=trust", "-U", ROLE, "--encoding=UTF8",
                  "--locale=C.UTF-8", "--no-sync")

    def start(self) -> int:
        """Start on a free port (retrying when another process took it); returns the port."""
        last_error = ""
        for _ in range(START_ATTEMPTS):
            port = _free_port()
            options = f"-k {self.workdir} -p {port} -h 127.0.0.1 {SERVER_OPTIONS}"
            try:
                self._run("pg_ctl", "start", "-w", "-t", str(START_TIMEOUT_S), "-D", str(self.data_dir),
                          "-l", str(self.workdir / "server.log"), "-o", options)
            except ServerUnavailable as error:
                last_error = f"{error}; log: {self._log_tail()}"
                continue
            self.started = True
            return port
        raise ServerUnavailable(f"the PostgreSQL server would not start: {last_error}")

    def stop_and_remove(self) -> None:
        if self.started:
            self.started = False
            try:
                self._run("pg_ctl", "stop", "-m", "immediate", "-w", "-D", str(self.data_dir))
            except ServerUnavailable:
                pass  # already gone: nothing left to stop
        self.remove()

    def remove(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)

    def _run(self, program: str, *arguments: str) -> None:
        command = [str(self.bin_dir / program), *arguments]
        if self.user is not None:
            command = ["runuser", "-u", self.user.pw_name, "--", *command]
        done = subprocess.run(command, cwd=self.workdir, capture_output=True, text=True,
                              timeout=START_TIMEOUT_S + 30, check=False)
        if done.returncode != 0:
            output = " ".join((done.stderr or done.stdout).split())[-500:]
            raise ServerUnavailable(f"{program} failed (exit {done.returncode}): {output}")

    def _log_tail(self) -> str:
        try:
            return " ".join((self.workdir / "server.log").read_text(errors="replace").split()[-40:])
        except OSError:
            return "(no log)"


def _run_as_user() -> pwd.struct_passwd | None:
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(SERVICE_USER)
    except KeyError:
        raise ServerUnavailable(f"running as root, and initdb refuses root, but there is no {SERVICE_USER!r} "
                                "user to run the server as; install Debian's postgresql package") from None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _major_version(folder: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", folder)) or (0,)


def _conninfo(url: URL) -> str:
    """The libpq form of a SQLAlchemy URL (psycopg does not know the '+psycopg' driver suffix)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)
