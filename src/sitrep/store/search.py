"""Full-text search over claims, and the spatial index of events (migration 4).

SQLite: an FTS5 table over ``claims.text`` and ``claims.source_name`` (external content, so the text
is stored once) kept in step by triggers, and an R*Tree over each event's box of longitude,
latitude and days, also kept by triggers. PostgreSQL: a GIN index on ``to_tsvector('simple', text)``;
its B-tree indexes on events serve the boxes.

User text never reaches SQL as SQL: ``fts_query`` turns it into quoted FTS5 terms, and every value
is a bound parameter. Both indexes key on SQLite's ``rowid``; ``VACUUM`` may renumber the rowids of
tables without an INTEGER PRIMARY KEY, so ``rebuild_indexes`` remakes both after one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import ColumnElement, false, func, literal_column, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction
from sqlalchemy.types import Text

from sitrep.store.schema import claims

# Terms beyond this many are dropped: a query of hundreds of words is a paste, not a search, and
# every term costs FTS5 a posting-list walk.
MAX_QUERY_TERMS = 32

# Days are stored in the R*Tree as days since 1970-01-01: R*Tree keeps 32-bit floats, exact for
# whole numbers up to 2**24, so days stay exact where Julian day numbers (~2.46 million) would not
# leave room for fractions. An undated event spans all days, so that a date filter reaches the
# exact check (which then drops it, as the query without the index does).
_UNIX_EPOCH_JULIAN = 2440587.5
_ALL_DAYS = (-1_000_000, 1_000_000)

_WORD = re.compile(r"\w+", re.UNICODE)

_SQLITE_SEARCH = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS claims_fts USING fts5("
    "text, source_name, content='claims', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS claims_fts_insert AFTER INSERT ON claims BEGIN "
    "INSERT INTO claims_fts(rowid, text, source_name) VALUES (new.rowid, new.text, new.source_name); END",
    "CREATE TRIGGER IF NOT EXISTS claims_fts_delete AFTER DELETE ON claims BEGIN "
    "INSERT INTO claims_fts(claims_fts, rowid, text, source_name) "
    "VALUES ('delete', old.rowid, old.text, old.source_name); END",
    "CREATE TRIGGER IF NOT EXISTS claims_fts_update AFTER UPDATE OF text, source_name ON claims BEGIN "
    "INSERT INTO claims_fts(claims_fts, rowid, text, source_name) "
    "VALUES ('delete', old.rowid, old.text, old.source_name); "
    "INSERT INTO claims_fts(rowid, text, source_name) VALUES (new.rowid, new.text, new.source_name); END",
]

_DAY = "coalesce(julianday({column}) - 2440587.5, {default})"
_BOX_VALUES = (
    "new.rowid, new.lon, new.lon, new.lat, new.lat, "
    + _DAY.format(column="new.date_start", default=_ALL_DAYS[0]) + ", "
    + _DAY.format(column="new.date_end", default=_ALL_DAYS[1])
)
_SQLITE_EVENT_BOXES = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS events_box USING rtree(id, min_lon, max_lon, min_lat, max_lat, "
    "min_day, max_day)",
    "CREATE TRIGGER IF NOT EXISTS events_box_insert AFTER INSERT ON events "
    "WHEN new.lat IS NOT NULL AND new.lon IS NOT NULL BEGIN "
    f"INSERT INTO events_box VALUES ({_BOX_VALUES}); END",
    "CREATE TRIGGER IF NOT EXISTS events_box_delete AFTER DELETE ON events BEGIN "
    "DELETE FROM events_box WHERE id = old.rowid; END",
    "CREATE TRIGGER IF NOT EXISTS events_box_update AFTER UPDATE OF lat, lon, date_start, date_end ON events BEGIN "
    "DELETE FROM events_box WHERE id = old.rowid; "
    f"INSERT INTO events_box SELECT {_BOX_VALUES} WHERE new.lat IS NOT NULL AND new.lon IS NOT NULL; END",
]

_POSTGRESQL = [
    "CREATE INDEX IF NOT EXISTS ix_claims_text_fts ON claims USING GIN (to_tsvector('simple', text))",
    "CREATE INDEX IF NOT EXISTS ix_events_date_end ON events (date_end)",
]


def create_search_index(connection: Connection) -> None:
    """Migration 4: the full-text index of claims and the spatial index of events, per backend."""
    if connection.dialect.name == "sqlite":
        for statement in _SQLITE_SEARCH + _SQLITE_EVENT_BOXES:
            connection.exec_driver_sql(statement)
        rebuild_indexes(connection)
    elif connection.dialect.name == "postgresql":
        for statement in _POSTGRESQL:
            connection.exec_driver_sql(statement)


def rebuild_indexes(connection: Connection) -> None:
    """Remake the SQLite indexes from their tables (after a VACUUM, or on an existing database)."""
    if connection.dialect.name != "sqlite":
        return
    connection.exec_driver_sql("INSERT INTO claims_fts(claims_fts) VALUES ('rebuild')")
    connection.exec_driver_sql("DELETE FROM events_box")
    connection.exec_driver_sql(
        f"INSERT INTO events_box SELECT {_BOX_VALUES.replace('new.', '')} FROM events "
        "WHERE lat IS NOT NULL AND lon IS NOT NULL")


@contextmanager
def deferred_indexing(connection: Connection) -> Iterator[None]:
    """SQLite, inside the caller's transaction: rows inserted in the block are indexed once at its
    end instead of row by row by the triggers (a bulk load of a million events saves about a third
    of its time). The triggers are back before the transaction commits, so other writers never see
    them missing, and a failure rolls their removal back with everything else."""
    if connection.dialect.name != "sqlite":
        yield
        return
    claims_before = connection.exec_driver_sql("SELECT coalesce(max(rowid), 0) FROM claims").scalar_one()
    events_before = connection.exec_driver_sql("SELECT coalesce(max(rowid), 0) FROM events").scalar_one()
    for trigger in _INSERT_TRIGGERS:
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")
    yield
    connection.exec_driver_sql("INSERT INTO claims_fts(rowid, text, source_name) "
                               "SELECT rowid, text, source_name FROM claims WHERE rowid > ?", (claims_before,))
    connection.exec_driver_sql(f"INSERT INTO events_box SELECT {_BOX_VALUES.replace('new.', '')} FROM events "
                               "WHERE rowid > ? AND lat IS NOT NULL AND lon IS NOT NULL", (events_before,))
    for statement in _SQLITE_SEARCH + _SQLITE_EVENT_BOXES:
        if statement.startswith("CREATE TRIGGER"):
            connection.exec_driver_sql(statement)


_INSERT_TRIGGERS = ("claims_fts_insert", "events_box_insert")


def fts_query(words: str) -> str | None:
    """User text as an FTS5 query: every word a quoted term, all required; None when it has no word.

    Quoting makes operators (NEAR, AND, OR, NOT, ``*``, ``^``, column filters) plain words, so no
    input is an FTS5 syntax error and none can change the query's meaning.
    """
    terms = _WORD.findall(words)[:MAX_QUERY_TERMS]
    if not terms:
        return None
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms)


def match_claims(q: str, dialect: str) -> Any:
    """A SELECT of the ids of claims whose text (or source name) holds every word of ``q``, or
    None when ``q`` has no word (then nothing matches)."""
    if dialect == "postgresql":
        # The config is a literal, not a parameter, so that the expression matches the GIN index's.
        simple = literal_column("'simple'")
        condition = func.to_tsvector(simple, claims.c.text).op("@@")(func.plainto_tsquery(simple, q))
        return select(claims.c.id).where(condition)
    query = fts_query(q)
    if query is None:
        return None
    return (select(claims.c.id)
            .where(literal_column("claims.rowid").in_(
                text("SELECT rowid FROM claims_fts WHERE claims_fts MATCH :fts_q").bindparams(fts_q=query))))


def claims_matching(q: str, dialect: str) -> ColumnElement[bool]:
    """Condition on ``claims``: the claim matches ``q`` (false when ``q`` has no word)."""
    if dialect == "postgresql":  # a condition on the row itself, which the GIN index serves
        simple = literal_column("'simple'")
        return func.to_tsvector(simple, claims.c.text).op("@@")(func.plainto_tsquery(simple, q))
    matched = match_claims(q, dialect)
    return false() if matched is None else claims.c.id.in_(matched)


def event_box_ids(bbox: tuple[float, float, float, float], since: dt.date | None,
                  until: dt.date | None) -> ColumnElement[bool]:
    """SQLite: a condition on ``events`` that keeps rows whose R*Tree box meets the bbox and days.

    It only narrows the search; callers still state the exact conditions, because R*Tree rounds
    its 32-bit boxes outwards."""
    west, south, east, north = bbox
    low = _unix_day(since) if since is not None else _ALL_DAYS[0]
    high = _unix_day(until) if until is not None else _ALL_DAYS[1]
    boxes = text(
        "SELECT id FROM events_box WHERE max_lon >= :box_w AND min_lon <= :box_e AND max_lat >= :box_s "
        "AND min_lat <= :box_n AND max_day >= :box_low AND min_day <= :box_high"
    ).bindparams(box_w=west, box_e=east, box_s=south, box_n=north, box_low=low, box_high=high)
    return literal_column("events.rowid").in_(boxes)


def _unix_day(day: dt.date) -> int:
    return (day - dt.date(1970, 1, 1)).days


class actor_names(GenericFunction[str]):  # noqa: N801 - SQL function names are lower case
    """The names (and ACLED names) of a stored claim record's two actors, lower-cased, in one text,
    so that a substring test finds an actor by any part of its name."""

    type = Text()
    inherit_cache = True
    name = "actor_names"


_ACTOR_PATHS = ("actor1.name", "actor1.acled", "actor2.name", "actor2.acled")


@compiles(actor_names, "sqlite")
def _actor_names_sqlite(element: actor_names, compiler: Any, **kw: Any) -> str:
    record = compiler.process(element.clauses, **kw)
    parts = [f"coalesce(json_extract({record}, '$.event.{path}'), '')" for path in _ACTOR_PATHS]
    return "sitrep_lower(" + " || '|' || ".join(parts) + ")"


@compiles(actor_names, "postgresql")
def _actor_names_postgresql(element: actor_names, compiler: Any, **kw: Any) -> str:
    record = compiler.process(element.clauses, **kw)
    parts = [f"coalesce(({record})::json #>> '{{event,{path.replace('.', ',')}}}', '')" for path in _ACTOR_PATHS]
    return "lower(" + " || '|' || ".join(parts) + ")"


@compiles(actor_names)
def _actor_names_default(element: actor_names, compiler: Any, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"
