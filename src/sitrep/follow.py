"""Following a feed: ``sitrep ingest --follow FEED_URL_OR_FILE`` polls an RSS or Atom feed and
ingests the entries it has not seen before.

The entries seen are kept per feed in the store (``store/feeds.py``), so a restarted follower
does not ingest them again. An entry is known by its id (guid), else its link, else the hash of
its text: an entry edited in place keeps its id and is not ingested twice. A poll that fails (the
network, a broken feed, a redirect to a private address) is a one-line warning, and the next poll
tries again. A feed URL is fetched under sitrep.fetch's policy: http(s) only, and no loopback or
private address unless the user allows it; a URL refused for what it says stops the follower at once.
"""

from __future__ import annotations

import functools
import io
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import feedparser

from sitrep import corroborate
from sitrep.errors import InputError
from sitrep.fetch import UrlPolicy, check_url, fetch_url
from sitrep.ingest.feed import read_feed
from sitrep.models import Document, ItemError
from sitrep.settings import Settings
from sitrep.store import Store
from sitrep.store.engine import write_transaction
from sitrep.store.feeds import mark_seen, seen_entries

if TYPE_CHECKING:
    from sitrep.pipeline import Pipeline

DEFAULT_INTERVAL_S = 300.0
# A news feed is tens of kB; 20 MB is far beyond any real one and keeps a hostile server from
# filling memory.
MAX_FEED_BYTES = 20 * 1024 * 1024
# Long enough for a slow server, short enough that one dead feed does not stall the loop for long.
FETCH_TIMEOUT_S = 20.0
# "scheme://": what a URL looks like, so that file:// or ftp:// is refused as a URL, not read as a path.
_URL_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")

Warn = Callable[[str], None]


@dataclass
class PollReport:
    entries: int = 0
    new: int = 0
    documents_new: int = 0
    errors: list[ItemError] = field(default_factory=list)


@dataclass
class FollowReport:
    polls: int = 0
    failed_polls: int = 0
    documents_new: int = 0
    entries_new: int = 0
    errors: list[ItemError] = field(default_factory=list)


def follow(feed: str, store: Store, pipeline_factory: Callable[[], Pipeline], settings: Settings, *,
           interval: float = DEFAULT_INTERVAL_S, max_polls: int | None = None, stop: threading.Event | None = None,
           warn: Warn | None = None, on_poll: Callable[[PollReport], None] | None = None,
           cluster: bool = True) -> FollowReport:
    """Poll ``feed`` every ``interval`` seconds until ``stop`` is set or ``max_polls`` polls are done."""
    if _is_url(feed):
        check_url(feed, url_policy(settings))  # a refused URL stops here; a failing fetch is retried below
    stop = stop or threading.Event()
    build = functools.cache(pipeline_factory)  # spaCy loads at the first new entry, and only once
    report = FollowReport()
    while not stop.is_set():
        report.polls += 1
        try:
            polled = poll(feed, store, build, settings, cluster=cluster)
        except InputError as error:
            report.failed_polls += 1
            if warn:
                warn(f"{error}; trying again in {interval:g} s")
        else:
            report.entries_new += polled.new
            report.documents_new += polled.documents_new
            report.errors.extend(polled.errors)
            if on_poll:
                on_poll(polled)
        if max_polls is not None and report.polls >= max_polls:
            break
        stop.wait(interval)
    return report


def poll(feed: str, store: Store, pipeline_factory: Callable[[], Pipeline], settings: Settings, *,
         cluster: bool = True) -> PollReport:
    """Fetch the feed once and ingest its unseen entries; then cluster them into events (``cluster``).

    Steps: fetch; read it with the feed reader (one item per entry, in feed order); drop the entries
    already seen; extract and store the new documents; mark the entries seen (after storing, so a
    crash in between re-reads them, which ``Store.add`` makes harmless); cluster.
    """
    key = feed_key(feed)
    data = fetch(feed, settings)
    items = list(read_feed(data, key))
    identities = _entry_ids(data, items)
    with store.reading() as connection:
        seen = seen_entries(connection, key)
    report = PollReport(entries=len(items))
    fresh = [(entry_id, item) for entry_id, item in zip(identities, items) if entry_id not in seen]
    report.new = len(fresh)
    documents = _documents(fresh, settings, report.errors)
    report.documents_new = _store_new(documents, store, pipeline_factory)
    for error in report.errors:
        store.record_error(error.source, error.message)
    with write_transaction(store.engine) as connection:
        mark_seen(store.engine, connection, key,
                  [(entry_id, item.id if isinstance(item, Document) else None) for entry_id, item in fresh])
    if cluster and report.documents_new:
        corroborate.update(store)
    return report


def feed_key(feed: str) -> str:
    """How the store knows a feed: its URL as given, or the absolute path of a file."""
    return feed if _is_url(feed) else os.path.abspath(feed)


def fetch(feed: str, settings: Settings, policy: UrlPolicy | None = None) -> bytes:
    """The feed's bytes, from a URL (with a timeout, a size cap and the SSRF policy of sitrep.fetch;
    ``policy`` defaults to the settings' one) or a local file."""
    if not _is_url(feed):
        try:
            with open(feed, "rb") as file:
                data = file.read(MAX_FEED_BYTES + 1)
        except OSError as error:
            raise InputError(feed, f"cannot read the feed file ({(error.strerror or str(error)).lower()})") from None
    else:
        data = fetch_url(feed, policy or url_policy(settings), max_bytes=MAX_FEED_BYTES, timeout=FETCH_TIMEOUT_S)
    if len(data) > MAX_FEED_BYTES:
        raise InputError(feed, f"the feed is over {MAX_FEED_BYTES // (1024 * 1024)} MB; refused")
    return data


def url_policy(settings: Settings) -> UrlPolicy:
    return UrlPolicy(allow_private=settings.allow_private_urls)


def _is_url(feed: str) -> bool:
    return bool(_URL_LIKE.match(feed))


def _entry_ids(data: bytes, items: list[Document | ItemError]) -> list[str]:
    """Each entry's id, guid first. ``read_feed`` yields one item per entry in feed order, so the
    entries of a second parse line up with its items; if they ever do not, fall back to the text hash."""
    entries = feedparser.parse(io.BytesIO(data)).entries
    if len(entries) != len(items):
        return [_fallback_id(item) for item in items]
    return [entry.get("id") or entry.get("link") or _fallback_id(item) for entry, item in zip(entries, items)]


def _fallback_id(item: Document | ItemError) -> str:
    return f"text:{item.id}" if isinstance(item, Document) else f"source:{item.source}"


def _documents(fresh: list[tuple[str, Any]], settings: Settings, errors: list[ItemError]) -> list[Document]:
    documents = []
    for _entry_id, item in fresh:
        if isinstance(item, ItemError):
            errors.append(item)
        elif len(item.text) > settings.max_document_chars:
            errors.append(ItemError(source=item.source, message=f"text is {len(item.text):,} characters, over the "
                                    f"{settings.max_document_chars:,} limit"))
        else:
            documents.append(item)
    return documents


def _store_new(documents: list[Document], store: Store, pipeline_factory: Callable[[], Pipeline]) -> int:
    """Extract and store the documents not stored yet (the same text may have come from elsewhere)."""
    unique = {document.id: document for document in documents if not store.has_document(document.id)}
    if not unique:
        return 0
    return sum(1 for extraction in pipeline_factory().pipe(unique.values()) if store.add(extraction))
