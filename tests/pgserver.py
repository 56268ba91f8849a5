"""The PostgreSQL fixtures: one throwaway server per test session, one fresh database per test.

The server comes from ``sitrep.devtools.pgserver`` (initdb into a temporary folder, loopback port,
stopped at the end of the session). SITREP_TEST_PG_URL uses an existing server instead. Without
PostgreSQL's programs the tests that need them skip, unless SITREP_REQUIRE_PG=1 (``make test``
sets it), where a missing server fails the run instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from sitrep.devtools import pgserver

URL_ENV = "SITREP_TEST_PG_URL"
REQUIRE_ENV = "SITREP_REQUIRE_PG"


def _unavailable(reason: str) -> None:
    if os.environ.get(REQUIRE_ENV, "") not in ("", "0"):
        pytest.fail(f"{REQUIRE_ENV} is set but PostgreSQL is unavailable: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL is unavailable: {reason} (set {URL_ENV} to use a running server)")


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[pgserver.PgServer]:
    """A PostgreSQL server for the whole session, as a ``PgServer`` that can make databases."""
    existing = os.environ.get(URL_ENV)
    if existing:
        yield pgserver.attach(existing)
        return
    try:
        server = pgserver.start()
    except pgserver.ServerUnavailable as error:
        _unavailable(str(error))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pg_server(pg_cluster: pgserver.PgServer) -> str:
    """The session's server as a base URL: ``postgresql+psycopg://sitrep@127.0.0.1:PORT/``."""
    return pg_cluster.url


@pytest.fixture()
def pg_url(pg_cluster: pgserver.PgServer) -> Iterator[str]:
    """The SQLAlchemy URL of a new, empty database, dropped after the test."""
    url = pg_cluster.create_database()
    yield url
    pg_cluster.drop_database(url)
