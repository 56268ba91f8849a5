"""The store: extraction records in SQLite (or PostgreSQL) through SQLAlchemy Core.

``Store.open(settings.db_url)`` opens (and creates or migrates) a database; ``add`` stores one
extraction record, and re-adding a document already stored is a no-op, so re-ingesting a folder
costs nothing. Every failure of the database reaches the caller as one ``StoreError`` line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from types import TracebackType
from typing import Any, TypeVar

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from sitrep.errors import NotFound, StoreError
from sitrep.models import Contradiction, Document, EventSummary, EventView, Extraction, ItemError
from sitrep.store import crossdoc
from sitrep.store import engine as engines
from sitrep.store import rows, spatial
from sitrep.store.crossdoc import EventFilter
from sitrep.store.integrity import integrity_problems
from sitrep.store.release import Release
from sitrep.store.migrations import current_version, migrate
from sitrep.store.queries import (ClaimFilter, StoredClaim, iter_claims, iter_documents, page_claims,
                                  page_documents)
from sitrep.store.schema import claims, documents, ingest_errors, metadata, places

__all__ = ["MIN_PREFIX", "ClaimFilter", "EventFilter", "Store", "StoredClaim"]

# Like git: shorter prefixes of 16-hex-digit ids match too many documents to be worth looking up.
MIN_PREFIX = 6

_T = TypeVar("_T")


class Store:
    """One database. Open with ``Store.open(url)`` or ``Store.memory()``; close with ``close()``."""

    def __init__(self, engine: Engine):
        """Use ``open`` or ``memory``: they configure the engine and migrate the database."""
        self.engine = engine
        self.name = engines.describe(engine.url)

    @classmethod
    def open(cls, url: str) -> Store:
        """Open the database at ``url`` (a SQLAlchemy URL), creating or migrating it as needed."""
        return cls._migrated(engines.create(url))

    @classmethod
    def memory(cls) -> Store:
        """A fresh in-memory SQLite store, for tests and one-off runs."""
        return cls._migrated(engines.create_memory())

    @classmethod
    def _migrated(cls, engine: Engine) -> Store:
        store = cls(engine)
        try:
            migrate(engine)
            spatial.prepare(engine)
        except SQLAlchemyError as error:
            engine.dispose()
            raise StoreError(f"cannot open database {store.name}: {engines.cause(error)}") from error
        except StoreError:
            engine.dispose()
            raise
        return store

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.name!r})"

    # Writing

    def add(self, extraction: Extraction) -> bool:
        """Store a record's document, places and claims in one transaction.

        Returns False, writing nothing, when the document is already stored: the id is the hash of
        the text, so the same text was already extracted. A failure part-way stores nothing.
        """
        document = extraction.document
        try:
            with self.engine.begin() as connection:
                if not _insert_document(self.engine, connection, extraction):
                    return False
                _insert_places(connection, extraction)
                _insert_claims(connection, extraction)
        except SQLAlchemyError as error:
            raise StoreError(f"cannot store document {document.id} in {self.name}: {engines.cause(error)}") from error
        return True

    def record_error(self, source: str, message: str) -> None:
        """Keep an input failure for ``errors()``; the same source and message are kept once."""
        statement = (
            engines.conflict_insert(self.engine)(ingest_errors)
            .values(source=source, message=message, occurred_at=dt.datetime.now(dt.UTC))
            .on_conflict_do_nothing(index_elements=["source", "message"])
        )
        try:
            with self.engine.begin() as connection:
                connection.execute(statement)
        except SQLAlchemyError as error:
            raise StoreError(f"cannot record an error in {self.name}: {engines.cause(error)}") from error

    # Reading

    def has_document(self, doc_id: str) -> bool:
        """Whether a document with exactly this id is stored (no prefixes: callers ask before adding)."""
        with self._reading() as connection:
            found = connection.execute(select(documents.c.id).where(documents.c.id == doc_id)).first()
        return found is not None

    def get_document(self, doc_id: str) -> Document:
        """The document with this id, or with the only id that starts with it (6 characters or more)."""
        with self._reading() as connection:
            full_id = self._resolve(connection, doc_id)
            row = connection.execute(select(documents).where(documents.c.id == full_id)).mappings().one()
        return rows.document_from_row(row)

    def get_extraction(self, doc_id: str) -> Extraction:
        """The stored record of a document (id or unique prefix), rebuilt as it was added."""
        with self._reading() as connection:
            full_id = self._resolve(connection, doc_id)
            document_row = connection.execute(select(documents).where(documents.c.id == full_id)).mappings().one()
            place_rows = connection.execute(
                select(places).where(places.c.document_id == full_id).order_by(places.c.idx)
            ).mappings()
            stored_places = [rows.place_from_row(row) for row in place_rows]
            claim_rows = connection.execute(
                select(claims.c.record).where(claims.c.document_id == full_id).order_by(claims.c.idx)
            ).mappings()
            stored_claims = [rows.claim_from_row(row) for row in claim_rows]
        return Extraction(
            pipeline=document_row["pipeline_version"],
            document=rows.document_from_row(document_row),
            places=stored_places,
            claims=stored_claims,
        )

    def documents(self, limit: int | None = None) -> Iterator[Document]:
        """All documents by publication date (undated last), then id."""
        return self._guarded(iter_documents(self.engine, limit))

    def claims(
        self,
        place: str | None = None,
        source: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        event_type: str | None = None,
        document_id: str | None = None,
        limit: int | None = None,
    ) -> Iterator[StoredClaim]:
        """Stored claims matching every filter given, by publication date, document and position.

        ``place``: a place inside the claim, or its event's place, whose name or mention is this
        (any case). ``source``: part of the source's name (any case). ``since``/``until``: the
        event's dates, or the publication date where the claim has none, overlap them (inclusive).
        ``event_type``: exactly this type. ``document_id``: a full id or unique prefix.
        """
        if document_id is not None:
            with self._reading() as connection:
                document_id = self._resolve(connection, document_id)
        wanted = ClaimFilter(place, source, since, until, event_type, document_id)
        return self._guarded(iter_claims(self.engine, wanted, limit))

    def errors(self) -> list[ItemError]:
        """Recorded input failures, oldest first."""
        query = select(ingest_errors.c.source, ingest_errors.c.message).order_by(ingest_errors.c.id)
        with self._reading() as connection:
            return [ItemError(source=row.source, message=row.message) for row in connection.execute(query)]

    def counts(self) -> dict[str, int]:
        """Rows per kind: documents, claims, places, errors."""
        tables = {"documents": documents, "claims": claims, "places": places, "errors": ingest_errors}
        with self._reading() as connection:
            return {
                name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for name, table in tables.items()
            }

    def row_count(self, table: str) -> int:
        """Rows in one table ("documents", "events", ...): what /api/health needs, without counting
        every table on each call."""
        with self._reading() as connection:
            return connection.execute(select(func.count()).select_from(metadata.tables[table])).scalar_one()

    def derived_counts(self) -> dict[str, int]:
        """Rows the cross-document stage derived: events, contradictions, control signals, documents seen."""
        with self._reading() as connection:
            return crossdoc.counts(connection)

    def schema_version(self) -> int:
        with self._reading() as connection:
            return current_version(connection)

    def integrity_check(self) -> list[str]:
        """Problems found in the database, one line each; an empty list means none.

        Checks: SQLite's own ``PRAGMA integrity_check`` (on SQLite only); then, on every backend,
        places and claims whose document is missing; place and claim spans outside their
        document's text; claims whose event names a place the document does not have; events
        whose claim count disagrees with their claims.
        """
        with self._reading() as connection:
            return integrity_problems(connection)

    def events(self, wanted: EventFilter | None = None, limit: int | None = None) -> Iterator[EventView]:
        """Events clustered from the claims (``sitrep.corroborate``), filtered; see ``EventFilter``."""
        return self._guarded(crossdoc.iter_events(self.engine, wanted or EventFilter(), limit))

    def contradictions(self, wanted: EventFilter | None = None, limit: int | None = None) -> Iterator[Contradiction]:
        """Contradictions found between claims, filtered; see ``crossdoc.iter_contradictions``."""
        return self._guarded(crossdoc.iter_contradictions(self.engine, wanted or EventFilter(), limit))

    # Pages for the API: one query each, keyset-paginated. ``after`` is the key a previous page
    # returned; each returns (items, key of the next page or None).

    def event_page(self, wanted: EventFilter, limit: int, after: tuple[Any, ...] | None = None,
                   with_claims: bool = False) -> tuple[list[EventSummary], tuple[Any, ...] | None]:
        with self._reading() as connection:
            return crossdoc.page_events(connection, wanted, limit, after, with_claims)

    def event_record_page(self, wanted: EventFilter, limit: int, after: tuple[Any, ...] | None = None
                          ) -> tuple[list[str], tuple[Any, ...] | None]:
        """``event_page`` as stored EventSummary JSON texts (by alias), unparsed: for the API."""
        with self._reading() as connection:
            return crossdoc.page_event_records(connection, wanted, limit, after)

    def event(self, event_id: str) -> tuple[EventView, list[Contradiction]]:
        """One event with its claims, and the contradictions that touch it; NotFound if absent."""
        with self._reading() as connection:
            found = crossdoc.get_event(connection, event_id)
            if found is None:
                raise NotFound(f"no event with id {event_id} in {self.name}")
            return found, crossdoc.contradictions_of_event(connection, event_id)

    def claim_page(self, wanted: ClaimFilter, limit: int, after: tuple[Any, ...] | None = None
                   ) -> tuple[list[StoredClaim], tuple[Any, ...] | None]:
        with self._reading() as connection:
            if wanted.document_id is not None:
                wanted = replace(wanted, document_id=self._resolve(connection, wanted.document_id))
            return page_claims(connection, wanted, limit, after)

    def document_page(self, limit: int, after: tuple[Any, ...] | None = None,
                      released: Release | None = None) -> tuple[list[Document], tuple[Any, ...] | None]:
        """``released``: list only the documents it lets out (OPSEC's delay, sitrep.opsec)."""
        with self._reading() as connection:
            return page_documents(connection, limit, after, released)

    def contradiction_page(self, wanted: EventFilter, limit: int, after: tuple[Any, ...] | None = None
                           ) -> tuple[list[Contradiction], tuple[Any, ...] | None]:
        with self._reading() as connection:
            return crossdoc.page_contradictions(connection, wanted, limit, after)

    # Helpers

    def reading(self) -> Any:
        """A read connection (context manager) whose database errors become one StoreError line."""
        return self._reading()

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        """A connection for reads whose database errors become one StoreError line."""
        try:
            with self.engine.connect() as connection:
                yield connection
        except SQLAlchemyError as error:
            raise StoreError(f"cannot read {self.name}: {engines.cause(error)}") from error

    def _resolve(self, connection: Connection, doc_id: str) -> str:
        """The full id for ``doc_id``: itself if stored, else the one id it is a prefix of."""
        if connection.execute(select(documents.c.id).where(documents.c.id == doc_id)).first():
            return doc_id
        if len(doc_id) >= MIN_PREFIX:
            # substr, not LIKE: LIKE ignores case in SQLite but not in PostgreSQL, and treats % and _ specially.
            prefix_matches = func.substr(documents.c.id, 1, len(doc_id)) == doc_id
            found = list(connection.execute(select(documents.c.id).where(prefix_matches).limit(2)).scalars())
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                raise NotFound(f"document id prefix {doc_id} is ambiguous in {self.name}; give more characters")
        raise NotFound(f"no document with id {doc_id} in {self.name}")

    def _guarded(self, results: Iterator[_T]) -> Iterator[_T]:
        try:
            yield from results
        except SQLAlchemyError as error:
            raise StoreError(f"cannot read {self.name}: {engines.cause(error)}") from error


def _insert_document(engine: Engine, connection: Connection, extraction: Extraction) -> bool:
    """Insert the document row unless its id is stored; True when it was inserted."""
    row = rows.document_row(extraction.document, extraction.pipeline, dt.datetime.now(dt.UTC))
    statement = engines.conflict_insert(engine)(documents).values(row).on_conflict_do_nothing(index_elements=["id"])
    return connection.execute(statement).rowcount == 1


def _insert_places(connection: Connection, extraction: Extraction) -> None:
    document_id = extraction.document.id
    if extraction.places:
        connection.execute(
            insert(places), [rows.place_row(document_id, idx, place) for idx, place in enumerate(extraction.places)]
        )


def _insert_claims(connection: Connection, extraction: Extraction) -> None:
    document_id, pipeline = extraction.document.id, extraction.pipeline
    claim_rows = [rows.claim_row(document_id, idx, claim, pipeline) for idx, claim in enumerate(extraction.claims)]
    if claim_rows:
        connection.execute(insert(claims), claim_rows)
