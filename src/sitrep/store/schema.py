"""The tables of the store, in SQLAlchemy Core.

These definitions are the newest schema. ``migrations.py`` builds a database up to it step by step;
a change here needs a new migration there (and migration 1 must then keep the tables as they were).

Offsets are stored as ``start_offset``/``end_offset`` because ``end`` is a reserved word in SQL and
would need quoting in every hand-written query.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Dialect,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC datetime on every backend.

    SQLite has no timezone type and SQLAlchemy's SQLite DATETIME drops the offset silently, so
    values are converted to UTC before they are written and read back as UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value.isoformat()} cannot be stored; give it a timezone")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def free_text(length: int) -> String:
    """A column for free text from the inputs (a JSONL line's ``language``, a gazetteer's codes).
    SQLite ignores VARCHAR lengths and PostgreSQL enforces them, so on PostgreSQL it is TEXT: both
    backends then accept the same documents. (SQLite's DDL is unchanged.)"""
    return String(length).with_variant(Text(), "postgresql")


# Constraint names are fixed so that later migrations can refer to them on every backend.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

documents = Table(
    "documents",
    metadata,
    Column("id", String(64), primary_key=True, comment="Hash of the normalised text."),
    Column("source", Text, nullable=False),
    Column("url", Text),
    Column("outlet", Text),
    Column("channel", Text),
    Column("title", Text),
    Column("author", Text),
    Column("published", Date),
    Column("language", free_text(16)),
    Column("text", Text, nullable=False),
    Column("captions", Text, nullable=False, comment="JSON list of Caption."),
    Column("removed", Text, nullable=False, comment="JSON list of Removed."),
    Column("pipeline_version", String(64), nullable=False),
    Column("ingested_at", UTCDateTime, nullable=False),
)

places = Table(
    "places",
    metadata,
    Column("document_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("idx", Integer, primary_key=True, comment="Index in the record's places list."),
    Column("mention", Text, nullable=False),
    Column("start_offset", Integer, nullable=False),
    Column("end_offset", Integer, nullable=False),
    Column("geonameid", Integer),
    Column("name", Text, nullable=False, comment="The gazetteer name, or the mention when unresolved."),
    Column("feature", free_text(16)),
    Column("admin1", Text),
    Column("country", free_text(2)),
    Column("lat", Float),
    Column("lon", Float),
    Column("precision", Integer, nullable=False, comment="0 for an unresolved mention."),
    Column("record", Text, comment="The whole Place as JSON (schema version 2 on)."),
)

claims = Table(
    "claims",
    metadata,
    Column("id", String(128), primary_key=True, comment="'<document id>:<start>-<end>'."),
    Column("document_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("idx", Integer, nullable=False, comment="Order of the claim in its document."),
    Column("start_offset", Integer, nullable=False),
    Column("end_offset", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("source_name", Text, nullable=False),
    Column("source_kind", String(32), nullable=False),
    Column("source_side", String(32), nullable=False),
    Column("source_role", Text),
    Column("source_channel", Text),
    Column("quote", Text),
    Column("event_type", String(64)),
    Column("sub_event_type", String(64)),
    Column("status", String(32)),
    Column("event_date_start", Date),
    Column("event_date_end", Date),
    Column("place_idx", Integer, comment="Index into the document's places; not a foreign key, see integrity_check."),
    Column("record", Text, nullable=False, comment="The whole Claim as JSON; the columns above are for queries."),
    Column("pipeline_version", String(64), nullable=False),
    Index(None, "document_id"),
    Index(None, "event_type"),
    Index(None, "source_name"),
    Index(None, "event_date_start"),
)

ingest_errors = Table(
    "ingest_errors",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", Text, nullable=False),
    Column("message", Text, nullable=False),
    Column("occurred_at", UTCDateTime, nullable=False),
    # The same failure reported by a re-run is one problem, not two.
    UniqueConstraint("source", "message"),
)

# Across documents (schema version 3): events clustered from claims, near-duplicate fingerprints,
# control signals and contradictions. All of it is derived from the tables above, so
# ``sitrep cluster --rebuild`` can drop and remake it; nothing here is the only copy of anything.

clustered_documents = Table(
    "clustered_documents",
    metadata,
    Column("document_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("origin_id", String(64), nullable=False, comment="The earliest stored near-duplicate (itself if none)."),
    Column("clustered_at", UTCDateTime, nullable=False),
    Column("pipeline_version", String(64), nullable=False),
)

# MinHash LSH bands of each document's text, kept in the database so that a new document finds its
# near-duplicates with one indexed query instead of an index rebuilt in memory on every run.
document_bands = Table(
    "document_bands",
    metadata,
    # hash first: lookups ask for a set of hashes, and the key's leading column serves them.
    Column("hash", BigInteger, primary_key=True),
    Column("band", Integer, primary_key=True),
    Column("document_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
)

events = Table(
    "events",
    metadata,
    Column("id", String(40), primary_key=True, comment="'ev-' and a hash of the first claim's id."),
    Column("family", String(64), nullable=False, comment="Sub-types that may describe one event (data/clustering.yaml)."),
    Column("event_type", String(64), nullable=False),
    Column("sub_event_type", String(64)),
    Column("geonameid", Integer),
    Column("place_name", Text),
    Column("admin1", Text),
    Column("country", free_text(2)),
    Column("lat", Float),
    Column("lon", Float),
    Column("precision", Integer, comment="ACLED geo precision; null for an event with no place."),
    Column("date_start", Date),
    Column("date_end", Date),
    Column("first_reported", Date),
    Column("last_reported", Date),
    Column("claim_count", Integer, nullable=False),
    Column("independent_sources", Integer, nullable=False),
    Column("sources_ua", Integer, nullable=False),
    Column("sources_ru", Integer, nullable=False),
    Column("sources_third", Integer, nullable=False),
    Column("sources_unknown", Integer, nullable=False),
    Column("contradicted", Boolean, nullable=False),
    Column("record", Text, nullable=False, comment="The whole EventSummary as JSON."),
    Column("pipeline_version", String(64), nullable=False),
    Index(None, "date_start"),
    Index(None, "geonameid"),
    Index(None, "lat", "lon"),
)

event_claims = Table(
    "event_claims",
    metadata,
    Column("claim_id", String(128), ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Column("event_id", String(40), ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("document_id", String(64), nullable=False),
    Column("origin_id", String(64), nullable=False, comment="The document's near-duplicate origin."),
    Column("speaker", Text, nullable=False, comment="Who speaks, normalised: the same voice in two outlets is one source."),
    Column("source_side", String(32), nullable=False),
    Column("published", Date),
    Column("fatalities", Integer),
    Column("status", String(32)),
    Column("place", Text, comment="The claim's usable place as JSON (a Place), or null."),
    Index(None, "event_id"),
    Index(None, "origin_id"),
)

control_signals = Table(
    "control_signals",
    metadata,
    Column("claim_id", String(128), ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Column("start_offset", Integer, primary_key=True),
    Column("document_id", String(64), nullable=False),
    Column("geonameid", Integer, nullable=False),
    Column("place_name", Text, nullable=False),
    Column("admin1", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("effect", String(32), nullable=False),
    Column("state", String(16), nullable=False),
    Column("status", String(32), nullable=False),
    Column("date_start", Date, nullable=False),
    Column("date_end", Date, nullable=False),
    Column("speaker", Text, nullable=False),
    Column("record", Text, nullable=False, comment="The whole ControlSignal as JSON."),
    Index(None, "geonameid", "date_start"),
    Index(None, "admin1"),
)

contradictions = Table(
    "contradictions",
    metadata,
    Column("id", String(40), primary_key=True, comment="Hash of the kind and both statements' positions."),
    Column("kind", String(32), nullable=False),
    Column("claim_a", String(128), ForeignKey("claims.id", ondelete="CASCADE"), nullable=False),
    Column("claim_b", String(128), ForeignKey("claims.id", ondelete="CASCADE"), nullable=False),
    Column("event_id", String(40), comment="The event both claims belong to, when they share one."),
    Column("geonameid", Integer),
    Column("place_name", Text),
    Column("date_start", Date),
    Column("date_end", Date),
    Column("record", Text, nullable=False, comment="The whole Contradiction as JSON."),
    Index(None, "claim_a"),
    Index(None, "claim_b"),
    Index(None, "geonameid"),
)

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("applied_at", UTCDateTime, nullable=False),
    Column("description", Text, nullable=False),
)

# Everything but the bookkeeping table, which migrate() creates before it reads the version.
DATA_TABLES = (documents, places, claims, ingest_errors)
CROSS_DOCUMENT_TABLES = (clustered_documents, document_bands, events, event_claims, control_signals, contradictions)
