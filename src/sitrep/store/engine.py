"""Connecting to the database: engine settings per backend, and database errors as one line.

SQLite and PostgreSQL are the backends in mind. Everything that differs between them lives here, so
the rest of the store is written once in SQLAlchemy Core.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Engine, create_engine, event, false
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.pool import StaticPool
from sqlalchemy.sql.functions import GenericFunction
from sqlalchemy.types import Text

from sitrep.errors import StoreError

# Writers from parallel batch workers queue for SQLite's single write lock instead of failing at
# once; 30 s is far longer than one add() takes (a few ms), so hitting it means a stuck process.
SQLITE_BUSY_TIMEOUT_MS = 30_000

# Execution option that makes a transaction take the store's write lock at BEGIN. On SQLite that is
# BEGIN IMMEDIATE: a transaction that reads and then writes (a migration) would otherwise fail with
# "database is locked" without waiting. On PostgreSQL it is an advisory lock (below).
WRITE_LOCK = "sitrep_write_lock"

# The PostgreSQL advisory lock that write_transaction takes: migrations and clustering hold it, so
# two processes never cluster the same pending documents or migrate at once; Store.add never takes
# it (unique keys and ON CONFLICT DO NOTHING make concurrent adds safe). Any constant works as long
# as nothing else in the database uses it: this one is "sitrep" in ASCII.
PG_WRITE_LOCK_KEY = 0x736974726570

# A server that does not answer fails Store.open after this long, instead of hanging on a dead host.
PG_CONNECT_TIMEOUT_S = 10

# URL schemes users write for PostgreSQL, and the driver sitrep installs (psycopg 3).
_PG_SCHEMES = ("postgresql", "postgres")
_PG_DRIVER = "postgresql+psycopg"

# Each dialect's INSERT that can skip rows whose key already exists (ON CONFLICT DO NOTHING).
_CONFLICT_INSERTS: dict[str, Callable[..., Any]] = {
    "sqlite": sqlite.insert,
    "postgresql": postgresql.insert,
}


def create(url: str) -> Engine:
    """An engine for ``url``; a SQLite file's directory is created first. Connects lazily."""
    parsed = _parse(url)
    if parsed.get_backend_name() not in _CONFLICT_INSERTS:
        raise StoreError(
            f"cannot open database {describe(parsed)}: backend {parsed.get_backend_name()!r} is not supported;"
            " use a sqlite:/// path or a postgresql:// URL"
        )
    if parsed.get_backend_name() == "sqlite":
        _make_parent_directory(parsed)
    options: dict[str, Any] = {}
    if parsed.get_backend_name() == "postgresql":
        options["connect_args"] = {"connect_timeout": PG_CONNECT_TIMEOUT_S}
        # psycopg 3.3 resets a cursor's rowcount to -1 when it closes, and SQLAlchemy closes the
        # cursor of an INSERT before the caller reads rowcount: without this, every
        # "INSERT ... ON CONFLICT DO NOTHING" would look as if it skipped its row.
        options["execution_options"] = {"preserve_rowcount": True}
    try:
        engine = create_engine(parsed, **options)
    except ImportError as error:
        raise StoreError(
            f"cannot open database {describe(parsed)}: its driver is missing ({cause(error)});"
            " install it, e.g. pip install 'psycopg[binary]' for PostgreSQL"
        ) from error
    except SQLAlchemyError as error:
        raise StoreError(f"cannot open database {describe(parsed)}: {cause(error)}") from error
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    else:
        event.listen(engine, "connect", _on_postgresql_connect)
        event.listen(engine, "begin", _on_postgresql_begin)
    return engine


def create_memory() -> Engine:
    """A private in-memory SQLite database; one shared connection keeps it alive between calls."""
    engine = create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool)
    _configure_sqlite(engine)
    return engine


def describe(url: URL | str) -> str:
    """The database as a user knows it: a SQLite path, or the URL without its password."""
    url = make_url(url) if isinstance(url, str) else url
    if url.get_backend_name() == "sqlite":
        return url.database if url.database not in (None, "", ":memory:") else ":memory:"
    # Without the driver suffix (+psycopg): the user wrote, or thinks of, postgresql://.
    return url.set(drivername=url.get_backend_name()).render_as_string(hide_password=True)


def cause(error: BaseException) -> str:
    """The driver's own message (``unable to open database file``), on one line."""
    inner = error.orig if isinstance(error, DBAPIError) and error.orig is not None else error
    text = str(inner).strip() or type(inner).__name__
    return text.splitlines()[0]


def conflict_insert(engine: Engine) -> Callable[..., Any]:
    """The ``insert`` of the engine's dialect, which offers ``on_conflict_do_nothing()``."""
    return _CONFLICT_INSERTS[engine.dialect.name]


def write_transaction(engine: Engine) -> Any:
    """``engine.begin()`` that holds the store's write lock from the start: SQLite's BEGIN
    IMMEDIATE, PostgreSQL's ``pg_advisory_xact_lock(PG_WRITE_LOCK_KEY)``. Both are released at
    commit or rollback. For read-then-write work that must not run twice at once (migrations,
    clustering); plain inserts use ``engine.begin()`` and stay lock-free."""
    return engine.execution_options(**{WRITE_LOCK: True}).begin()


class lower_text(GenericFunction[str]):  # noqa: N801 - SQL function names are lower case
    """``lower()`` that folds every script: SQLite's built-in folds ASCII only, so 'Харків' would
    not match 'харків'. PostgreSQL's ``lower`` already folds Unicode."""

    type = Text()
    inherit_cache = True
    name = "lower_text"


@compiles(lower_text)
def _lower_default(element: lower_text, compiler: Any, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(lower_text, "sqlite")
def _lower_sqlite(element: lower_text, compiler: Any, **kw: Any) -> str:
    return f"sitrep_lower({compiler.process(element.clauses, **kw)})"


def holds_text(column: Any, text: str, fold: bool = True) -> ColumnElement[bool]:
    """A condition: ``column`` holds ``text`` literally, in any case (``fold=False`` when the column
    is lower-cased already); ``%``, ``_`` and the escape character are plain characters.

    Text with a NUL matches nothing: SQLite's LIKE stops reading its pattern at a NUL, so
    ``'%' || x'00' || '%'`` would match every row; and no stored text is meant to hold one
    (PostgreSQL cannot store it, the text readers drop it)."""
    if "\x00" in text:
        return false()
    return (lower_text(column) if fold else column).contains(text.lower(), autoescape=True)


def _parse(url: str) -> URL:
    """The URL, with a bare postgresql:// (or postgres://) given the psycopg 3 driver that sitrep
    installs; SQLAlchemy's default for it would be psycopg2."""
    try:
        parsed = make_url(url)
    except SQLAlchemyError as error:
        raise StoreError(f"cannot open database {url}: not a database URL or path ({cause(error)})") from error
    return parsed.set(drivername=_PG_DRIVER) if parsed.drivername in _PG_SCHEMES else parsed


def _make_parent_directory(url: URL) -> None:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    # No expanduser: SQLite opens the path as written, and Settings.db_url has already expanded '~'.
    parent = Path(database).parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        reason = error.strerror or str(error)
        raise StoreError(f"cannot open database {database}: cannot create directory {parent}: {reason}") from error


def _configure_sqlite(engine: Engine) -> None:
    """WAL, busy timeout and foreign keys on every new connection, and transactions that we begin.

    The sqlite3 module of Python 3.11 emits BEGIN only before INSERT/UPDATE/DELETE, so CREATE TABLE
    in a migration would commit on its own. Turning its control off and emitting BEGIN ourselves
    (SQLAlchemy's documented recipe) makes DDL and reads transactional too.
    """
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", _on_sqlite_begin)


def _on_sqlite_connect(connection: sqlite3.Connection, _record: object) -> None:
    connection.isolation_level = None
    cursor = connection.cursor()
    try:
        # The busy timeout first: switching a new file to WAL takes a lock, and without the timeout
        # a second process opening the file at that moment fails at once with "database is locked".
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS:d}")
        _use_wal(cursor)
        # Off by default in SQLite; without it ON DELETE CASCADE and the foreign keys do nothing.
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()
    connection.create_function("sitrep_lower", 1, _unicode_lower, deterministic=True)


def _use_wal(cursor: sqlite3.Cursor) -> None:
    """Switch the file to WAL, which lets readers (the API, an export) run while a batch writes.

    The mode is stored in the file, so only the first connection to a new file switches it. That
    switch needs an exclusive lock, and SQLite may answer "database is locked" without calling the
    busy handler when several processes open the new file at once: retry until the busy timeout.
    In-memory databases answer 'memory' and stay as they are.
    """
    if cursor.execute("PRAGMA journal_mode").fetchone()[0] in ("wal", "memory"):
        return
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _on_sqlite_begin(connection: Connection) -> None:
    immediate = connection.get_execution_options().get(WRITE_LOCK, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _unicode_lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def _on_postgresql_connect(connection: Any, _record: object) -> None:
    connection.adapters.register_dumper(str, _nul_free_dumper())


@lru_cache(maxsize=1)
def _nul_free_dumper() -> type:
    """psycopg's text dumper, dropping NUL characters: PostgreSQL's text cannot hold them (SQLite's
    can), so a NUL in a search word or a metadata field would fail the whole statement. Document
    text never has one (the readers remove it, and offsets count from that text)."""
    from psycopg.types.string import StrDumperUnknown

    class NulFreeStrDumper(StrDumperUnknown):
        def dump(self, obj: str) -> Any:
            return super().dump(obj.replace("\x00", "") if "\x00" in obj else obj)

    return NulFreeStrDumper


def _on_postgresql_begin(connection: Connection) -> None:
    if connection.get_execution_options().get(WRITE_LOCK, False):
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_WRITE_LOCK_KEY:d})")
