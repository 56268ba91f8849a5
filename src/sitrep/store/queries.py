"""Reading claims and documents back out, filtered and in a stable order, one page at a time.

Results are read in pages by keyset (the last row's sort key), not OFFSET, so that a long listing
neither holds a read transaction open between pages nor slows down as it goes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Engine, Select, and_, exists, func, literal, or_, select, tuple_
from sqlalchemy.engine import Connection

from sitrep.models import Claim, Document, Place, Record
from sitrep.store.engine import holds_text, lower_text
from sitrep.store.release import Release, claims_released, documents_released
from sitrep.store.rows import claim_from_row, document_from_row, place_from_row
from sitrep.store.schema import claims, documents, places

# Rows per query. Large enough that round trips do not dominate, small enough that a page of
# documents (up to a million characters each) stays well within memory.
PAGE_SIZE = 500


class StoredClaim(Record):
    """A stored claim with what a reader needs to place it: its document and its places."""

    claim: Claim
    document_id: str
    outlet: str | None = None
    published: dt.date | None = None
    places: list[Place] = []


@dataclass(frozen=True)
class ClaimFilter:
    """What ``Store.claims`` selects on; ``None`` means no condition. See ``claim_conditions``."""

    place: str | None = None
    source: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    event_type: str | tuple[str, ...] | None = None
    document_id: str | None = None
    # The API's filters: ``q`` every word in the claim (full text); ``source_kind`` exactly this
    # kind of source; ``sub_type`` exactly this ACLED sub-event type. ``event_type``, ``source_kind``
    # and ``sub_type`` also take a tuple of values, any of which matches (repeated API parameters).
    q: str | None = None
    source_kind: str | tuple[str, ...] | None = None
    sub_type: str | tuple[str, ...] | None = None
    # OPSEC's delay (sitrep.opsec): only claims that this release lets out (sitrep.store.release).
    released: Release | None = None


def one_of(column: Any, wanted: str | tuple[str, ...]) -> Any:
    """``column`` equals the value, or one of the values of a tuple (a repeated API parameter is an OR)."""
    return column == wanted if isinstance(wanted, str) else column.in_(wanted)


def claim_conditions(wanted: ClaimFilter, dialect: str = "sqlite") -> list[ColumnElement[bool]]:
    """SQL conditions for ``wanted``. Names compare case-insensitively in every script.

    A claim's date is its event's date range where it has one, else its document's publication
    day; since/until keep the claims whose date range overlaps them (bounds inclusive), so a claim
    dated "the week of 3 March" is kept by since=5 March.
    """
    conditions: list[ColumnElement[bool]] = []
    if wanted.place is not None:
        conditions.append(_mentions_place(wanted.place))
    if wanted.source is not None:
        conditions.append(holds_text(claims.c.source_name, wanted.source))
    if wanted.since is not None:
        conditions.append(func.coalesce(claims.c.event_date_end, documents.c.published) >= wanted.since)
    if wanted.until is not None:
        conditions.append(func.coalesce(claims.c.event_date_start, documents.c.published) <= wanted.until)
    if wanted.event_type is not None:
        conditions.append(one_of(claims.c.event_type, wanted.event_type))
    if wanted.document_id is not None:
        conditions.append(claims.c.document_id == wanted.document_id)
    if wanted.source_kind is not None:
        conditions.append(one_of(claims.c.source_kind, wanted.source_kind))
    if wanted.sub_type is not None:
        conditions.append(one_of(claims.c.sub_event_type, wanted.sub_type))
    if wanted.q is not None:
        from sitrep.store.search import claims_matching  # search imports this module's tables

        conditions.append(claims_matching(wanted.q, dialect))
    if wanted.released is not None:
        conditions.append(claims_released(wanted.released))
    return conditions


def iter_claims(engine: Engine, wanted: ClaimFilter, limit: int | None) -> Iterator[StoredClaim]:
    """Matching claims ordered by publication date (undated last), document id and position."""
    query = (
        select(claims.c.record, claims.c.document_id, claims.c.idx, documents.c.outlet, documents.c.published)
        .join(documents, documents.c.id == claims.c.document_id)
        .where(*claim_conditions(wanted))
    )
    sort_key = (documents.c.published, claims.c.document_id, claims.c.idx)
    for page in pages(engine, query, sort_key, limit):
        with engine.connect() as connection:
            places_by_document = _places_of(connection, {row["document_id"] for row in page})
        for row in page:
            claim = claim_from_row(row)
            yield StoredClaim(
                claim=claim,
                document_id=row["document_id"],
                outlet=row["outlet"],
                published=row["published"],
                places=places_in_claim(claim, places_by_document.get(row["document_id"], [])),
            )


CLAIM_SORT_KEY = (documents.c.published, claims.c.document_id, claims.c.idx)
DOCUMENT_SORT_KEY = (documents.c.published, documents.c.id)


def page_claims(connection: Connection, wanted: ClaimFilter, limit: int, after: tuple[Any, ...] | None = None
                ) -> tuple[list[StoredClaim], tuple[Any, ...] | None]:
    """One page of matching claims after the sort key ``after``, and the key to continue from."""
    query = (
        select(claims.c.record, claims.c.document_id, claims.c.idx, documents.c.outlet, documents.c.published)
        .join(documents, documents.c.id == claims.c.document_id)
        .where(*claim_conditions(wanted, connection.dialect.name))
    )
    found, next_key = keyset_page(connection, query, CLAIM_SORT_KEY, limit, after)
    places_by_document = _places_of(connection, {row["document_id"] for row in found})
    stored = []
    for row in found:
        claim = claim_from_row(row)
        stored.append(StoredClaim(claim=claim, document_id=row["document_id"], outlet=row["outlet"],
                                  published=row["published"],
                                  places=places_in_claim(claim, places_by_document.get(row["document_id"], []))))
    return stored, next_key


def page_documents(connection: Connection, limit: int, after: tuple[Any, ...] | None = None,
                   released: Release | None = None) -> tuple[list[Document], tuple[Any, ...] | None]:
    """One page of documents after the sort key ``after`` (only those ``released`` lets out,
    when given), and the key to continue from."""
    query = select(documents) if released is None else select(documents).where(documents_released(released))
    found, next_key = keyset_page(connection, query, DOCUMENT_SORT_KEY, limit, after)
    return [document_from_row(row) for row in found], next_key


def keyset_page(connection: Connection, query: Select[Any], sort_key: tuple[ColumnElement[Any], ...], limit: int,
                after: tuple[Any, ...] | None) -> tuple[list[Any], tuple[Any, ...] | None]:
    """Rows of ``query`` after ``after`` in ``sort_key`` order (first column NULLS LAST), at most
    ``limit``, and the last row's key when more rows follow. Reads one row more than asked to know."""
    first, *rest = sort_key
    ordered = query.order_by(first.asc().nulls_last(), *rest)
    if after is not None:
        ordered = ordered.where(_after(first, rest, after))
    found = list(connection.execute(ordered.limit(limit + 1)).mappings())
    if len(found) <= limit:
        return found, None
    found = found[:limit]
    return found, tuple(found[-1][column.name] for column in sort_key)


def iter_documents(engine: Engine, limit: int | None) -> Iterator[Document]:
    """Documents ordered by publication date (undated last), then id."""
    query = select(documents)
    for page in pages(engine, query, (documents.c.published, documents.c.id), limit):
        yield from (document_from_row(row) for row in page)


def places_in_claim(claim: Claim, document_places: Sequence[tuple[int, Place]]) -> list[Place]:
    """The places whose mention lies inside the claim, and the one its event names, in order."""
    event_place = claim.event.place if claim.event else None
    return [
        place
        for idx, place in document_places
        if (claim.start <= place.start and place.end <= claim.end) or idx == event_place
    ]


def _mentions_place(name: str) -> ColumnElement[bool]:
    # The same rule as places_in_claim, so a claim found by a place lists that place.
    key = name.lower()
    inside = and_(places.c.start_offset >= claims.c.start_offset, places.c.end_offset <= claims.c.end_offset)
    return exists().where(
        places.c.document_id == claims.c.document_id,
        or_(inside, places.c.idx == claims.c.place_idx),
        or_(lower_text(places.c.name) == key, lower_text(places.c.mention) == key),
    )


def _places_of(connection: Connection, document_ids: set[str]) -> dict[str, list[tuple[int, Place]]]:
    found: dict[str, list[tuple[int, Place]]] = defaultdict(list)
    if not document_ids:
        return found
    query = select(places).where(places.c.document_id.in_(document_ids)).order_by(places.c.document_id, places.c.idx)
    for row in connection.execute(query).mappings():
        found[row["document_id"]].append((row["idx"], place_from_row(row)))
    return found


def pages(
    engine: Engine, query: Select[Any], sort_key: tuple[ColumnElement[Any], ...], limit: int | None
) -> Iterator[list[Any]]:
    """Run ``query`` page by page in ``sort_key`` order; the first key column may be NULL (sorted last).

    The query must select every column of ``sort_key`` under the column's own name.
    """
    remaining = limit
    last: tuple[Any, ...] | None = None
    published, *rest = sort_key
    ordered = query.order_by(published.asc().nulls_last(), *rest)
    while remaining is None or remaining > 0:
        size = PAGE_SIZE if remaining is None else min(PAGE_SIZE, remaining)
        page_query = ordered if last is None else ordered.where(_after(published, rest, last))
        with engine.connect() as connection:
            page = list(connection.execute(page_query.limit(size)).mappings())
        if not page:
            return
        yield page
        if len(page) < size:
            return
        if remaining is not None:
            remaining -= len(page)
        last = tuple(page[-1][column.name] for column in sort_key)


def _after(first: ColumnElement[Any], rest: Sequence[ColumnElement[Any]], last: tuple[Any, ...]) -> ColumnElement[bool]:
    """Rows after ``last`` in the order (first NULLS LAST, *rest). Row values cannot compare NULL,
    so the NULL case of ``first`` is spelled out."""
    last_first, *last_rest = last
    rest_after = tuple_(*rest) > tuple_(*(literal(value) for value in last_rest))
    if last_first is None:
        return and_(first.is_(None), rest_after)
    return or_(first > last_first, and_(first == last_first, rest_after), first.is_(None))
