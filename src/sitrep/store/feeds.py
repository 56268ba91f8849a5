"""What `sitrep ingest --follow` has seen of each feed, kept across restarts.

One row per (feed, entry): a restarted follower asks this table, not its memory, which entries are
new. Entries whose text could not be read are kept too (with no document), so that a broken entry
warns once rather than on every poll.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Column, Engine, String, Table, Text, select
from sqlalchemy.engine import Connection

from sitrep.store import engine as engines
from sitrep.store.schema import UTCDateTime, metadata

feed_entries = Table(
    "feed_entries",
    metadata,
    Column("feed", Text, primary_key=True, comment="The feed's URL, or the absolute path of a feed file."),
    Column("entry_id", Text, primary_key=True, comment="The entry's id (guid), else its link, else its text hash."),
    Column("document_id", String(64), comment="The document stored from the entry; null when it had no text."),
    Column("seen_at", UTCDateTime, nullable=False),
)


def create_feed_tables(connection: Connection) -> None:
    """Migration 5: the table of feed entries already ingested."""
    feed_entries.create(connection, checkfirst=True)


def seen_entries(connection: Connection, feed: str) -> set[str]:
    """The entry ids of ``feed`` already ingested."""
    query = select(feed_entries.c.entry_id).where(feed_entries.c.feed == feed)
    return set(connection.execute(query).scalars())


def mark_seen(engine: Engine, connection: Connection, feed: str, entries: Iterable[tuple[str, str | None]]) -> int:
    """Record (entry id, document id) pairs of ``feed`` as seen; pairs already recorded are kept
    as they are (a second follower of the same feed may have been first). Returns rows added."""
    now = dt.datetime.now(dt.UTC)
    rows = [{"feed": feed, "entry_id": entry_id, "document_id": document_id, "seen_at": now}
            for entry_id, document_id in entries]
    if not rows:
        return 0
    statement = (engines.conflict_insert(engine)(feed_entries)
                 .on_conflict_do_nothing(index_elements=["feed", "entry_id"]))
    return sum(connection.execute(statement.values(row)).rowcount for row in rows)
