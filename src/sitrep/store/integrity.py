"""Checks that a database still holds what ``Store.add`` wrote: one line per problem found.

Foreign keys and transactions prevent these problems while sitrep writes; the checks catch a
database edited by hand, written with foreign keys off, or damaged on disk.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.engine import Connection, Row

from sitrep.store.schema import claims, documents, event_claims, events, places

# Problems listed per check; the rest are counted, so a badly damaged database gives a short report.
MAX_LISTED = 20

# SQLite stops its own check after this many problems.
_SQLITE_MAX_ERRORS = 100


def integrity_problems(connection: Connection) -> list[str]:
    """SQLite's own check (on SQLite only), then the checks that read the same on every backend."""
    problems = _sqlite_problems(connection)
    for query, describe in _CHECKS:
        problems.extend(_listed(connection, query(), describe))
    return problems


def _sqlite_problems(connection: Connection) -> list[str]:
    if connection.dialect.name != "sqlite":
        return []
    found = [row[0] for row in connection.exec_driver_sql(f"PRAGMA integrity_check({_SQLITE_MAX_ERRORS:d})")]
    return [] if found == ["ok"] else [f"sqlite integrity_check: {message}" for message in found]


def _listed(connection: Connection, query: Select[Any], describe: Callable[[Row[Any]], str]) -> list[str]:
    listed = [describe(row) for row in connection.execute(query.limit(MAX_LISTED))]
    if len(listed) == MAX_LISTED:
        total = connection.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        if total > MAX_LISTED:
            listed.append(f"... and {total - MAX_LISTED} more like the above")
    return listed


def _document_missing(table: Any) -> Any:
    return ~exists().where(documents.c.id == table.c.document_id)


def _span_outside(table: Any) -> Any:
    return or_(
        table.c.start_offset < 0,
        table.c.end_offset < table.c.start_offset,
        table.c.end_offset > func.length(documents.c.text),
    )


def _orphan_places() -> Select[Any]:
    return select(places.c.document_id, places.c.idx).where(_document_missing(places)).order_by(
        places.c.document_id, places.c.idx
    )


def _orphan_claims() -> Select[Any]:
    return select(claims.c.id, claims.c.document_id).where(_document_missing(claims)).order_by(claims.c.id)


def _places_outside_text() -> Select[Any]:
    return (
        select(places.c.document_id, places.c.idx, places.c.start_offset, places.c.end_offset,
               func.length(documents.c.text).label("length"))
        .join(documents, documents.c.id == places.c.document_id)
        .where(_span_outside(places))
        .order_by(places.c.document_id, places.c.idx)
    )


def _claims_outside_text() -> Select[Any]:
    return (
        select(claims.c.id, claims.c.start_offset, claims.c.end_offset, func.length(documents.c.text).label("length"))
        .join(documents, documents.c.id == claims.c.document_id)
        .where(_span_outside(claims))
        .order_by(claims.c.id)
    )


def _claims_with_unknown_place() -> Select[Any]:
    known = exists().where(places.c.document_id == claims.c.document_id, places.c.idx == claims.c.place_idx)
    return select(claims.c.id, claims.c.place_idx).where(claims.c.place_idx.is_not(None), ~known).order_by(claims.c.id)


def _events_miscounted() -> Select[Any]:
    # An event's summary is rewritten in the transaction that adds its claims; a different count
    # means a summary lost to a concurrent writer, or rows edited by hand.
    members = func.count(event_claims.c.claim_id)
    return (select(events.c.id, events.c.claim_count, members.label("members"))
            .join(event_claims, event_claims.c.event_id == events.c.id, isouter=True)
            .group_by(events.c.id, events.c.claim_count)
            .having(members != events.c.claim_count)
            .order_by(events.c.id))


_CHECKS: tuple[tuple[Callable[[], Select[Any]], Callable[[Row[Any]], str]], ...] = (
    (_orphan_places, lambda row: f"place {row.idx} of document {row.document_id}: the document is missing"),
    (_orphan_claims, lambda row: f"claim {row.id}: its document {row.document_id} is missing"),
    (
        _places_outside_text,
        lambda row: f"place {row.idx} of document {row.document_id}: span {row.start_offset}-{row.end_offset}"
        f" lies outside the document's text ({row.length} characters)",
    ),
    (
        _claims_outside_text,
        lambda row: f"claim {row.id}: span {row.start_offset}-{row.end_offset} lies outside the document's text"
        f" ({row.length} characters)",
    ),
    (
        _claims_with_unknown_place,
        lambda row: f"claim {row.id}: its event names place {row.place_idx}, which the document does not have",
    ),
    (
        _events_miscounted,
        lambda row: f"event {row.id}: counts {row.claim_count} claims but has {row.members}",
    ),
)
