"""Versioned schema migrations, applied in order, each in its own transaction.

The database records every applied migration in ``schema_version``; its highest version is the
database's version. To change the schema: edit ``schema.py``, then append a ``Migration`` whose
``upgrade`` takes a version-N database to the new tables (ALTER TABLE, data copies). Never edit or
reorder a migration that has been released: databases out there already ran it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, func, inspect, insert, select
from sqlalchemy.engine import Connection

from sitrep.errors import StoreError
from sitrep.store import schema
from sitrep.store.engine import describe, write_transaction
from sitrep.store.feeds import create_feed_tables
from sitrep.store.search import create_search_index


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    upgrade: Callable[[Connection], None]


def _create_v1(connection: Connection) -> None:
    # create_all builds the tables as schema.py defines them now. Once a version 2 changes one of
    # these tables, copy the version 1 definitions in here, or a new database would get the newest
    # tables from this step and then fail at step 2.
    schema.metadata.create_all(connection, tables=list(schema.DATA_TABLES), checkfirst=False)


def _add_place_record(connection: Connection) -> None:
    # Places gained fields (kind, candidates, unresolved) that only the whole record keeps. A new
    # database already has the column from step 1 (create_all builds today's tables).
    if "record" not in {column["name"] for column in inspect(connection).get_columns("places")}:
        connection.exec_driver_sql("ALTER TABLE places ADD COLUMN record TEXT")


def _create_cross_document(connection: Connection) -> None:
    schema.metadata.create_all(connection, tables=list(schema.CROSS_DOCUMENT_TABLES), checkfirst=True)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "documents, places, claims and ingest errors", _create_v1),
    Migration(2, "places keep their whole record as JSON", _add_place_record),
    Migration(3, "events, near-duplicates, control signals and contradictions across documents",
              _create_cross_document),
    Migration(4, "full-text search over claims; spatial index of events", create_search_index),
    Migration(5, "feed entries already ingested by --follow", create_feed_tables),
)

LATEST_VERSION = MIGRATIONS[-1].version


def migrate(engine: Engine) -> int:
    """Bring the database up to ``LATEST_VERSION`` and return its version.

    Steps: read the version without locking (the common case: nothing to do); refuse a database
    newer than this code; otherwise take the write lock, create ``schema_version`` if missing, and
    apply each pending migration in its own transaction, re-reading the version under the lock so
    that two processes opening a new database at once do not both run a step. The write lock is
    ``write_transaction``'s: BEGIN IMMEDIATE on SQLite, an advisory lock on PostgreSQL (whose DDL
    is transactional too, so a failed step leaves nothing behind on either).
    """
    with engine.connect() as connection:
        current = current_version(connection)
    _refuse_newer(engine, current)
    if current == LATEST_VERSION:
        return current
    with write_transaction(engine) as connection:
        schema.schema_version.create(connection, checkfirst=True)
    for migration in MIGRATIONS:
        with write_transaction(engine) as connection:
            current = current_version(connection)
            _refuse_newer(engine, current)
            if migration.version <= current:
                continue
            migration.upgrade(connection)
            connection.execute(
                insert(schema.schema_version).values(
                    version=migration.version,
                    description=migration.description,
                    applied_at=dt.datetime.now(dt.UTC),
                )
            )
    return LATEST_VERSION


def current_version(connection: Connection) -> int:
    """The highest applied migration; 0 for a new, empty database."""
    if not inspect(connection).has_table(schema.schema_version.name):
        return 0
    return connection.execute(select(func.max(schema.schema_version.c.version))).scalar_one() or 0


def _refuse_newer(engine: Engine, version: int) -> None:
    if version > LATEST_VERSION:
        raise StoreError(
            f"{describe(engine.url)}: database schema version {version} is newer than this sitrep"
            f" (knows {LATEST_VERSION}); upgrade sitrep"
        )

