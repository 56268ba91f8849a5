"""RSS and Atom feeds: one document per entry, read with feedparser.

A feed is often only summaries; the entry's link is kept so that the page behind it can be fetched
and read by the HTML reader, which is a separate step.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import time
from typing import Any

import feedparser

from sitrep.errors import InputError
from sitrep.ingest.base import ReadResult, has_text
from sitrep.ingest.document import drop_date, make_document, one_line
from sitrep.ingest.html import NestedTooDeep, html_fragment_to_text
from sitrep.models import Document, ItemError

log = logging.getLogger(__name__)

# An entity declaration is how a "billion laughs" feed blows up in the parser: ten nested entities of
# ten references each expand to gigabytes. No real feed declares entities, so their presence is refused
# before any parser sees the bytes. The marker is looked for in ASCII-compatible and UTF-16 encodings.
_ENTITY_MARKERS = tuple("<!ENTITY".encode(encoding) for encoding in ("utf-8", "utf-16-le", "utf-16-be"))
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def read_feed(data: bytes, source: str) -> ReadResult:
    """Yield a document for each entry with text, and an `ItemError` for each entry without."""
    _refuse_unsafe_or_empty(data, source)
    # A stream, not bytes or str: feedparser would fetch a string that looks like a URL.
    try:
        parsed = feedparser.parse(io.BytesIO(data))
    except (LookupError, ValueError) as error:  # the XML declares an encoding it cannot decode with
        raise InputError(source, f"not a readable RSS or Atom feed ({one_line(str(error))})") from None
    if not parsed.entries:
        if parsed.bozo or not parsed.version:
            cause = one_line(str(parsed.get("bozo_exception", "no RSS or Atom elements found")))
            raise InputError(source, f"not a readable RSS or Atom feed ({cause})")
        log.info("%s: the feed has no entries", source)
        return
    if parsed.bozo:
        log.warning("%s: feed is not well-formed (%s); reading the entries found", source,
                    one_line(str(parsed.get("bozo_exception"))))
    outlet = _outlet(parsed.feed)
    for number, entry in enumerate(parsed.entries, start=1):
        yield _entry_document(entry, f"{source}#entry={number}", outlet)


def _refuse_unsafe_or_empty(data: bytes, source: str) -> None:
    if not data.strip():
        raise InputError(source, "empty file")
    if any(marker in data for marker in _ENTITY_MARKERS):
        raise InputError(
            source, "the feed declares XML entities (<!ENTITY), which can expand without bound "
            "('billion laughs'); refused"
        )


def _outlet(feed: Any) -> str | None:
    try:
        return _text_of(feed.get("title_detail")) or None
    except NestedTooDeep:
        return None  # a title nested that deep names no outlet; the entries are still worth reading


def _entry_document(entry: Any, locator: str, outlet: str | None) -> Document | ItemError:
    try:
        text = _entry_text(entry)
        title = _text_of(entry.get("title_detail")) or None
    except NestedTooDeep as error:
        return ItemError(source=locator, message=f"entry {error}")
    if not has_text(text):
        return ItemError(source=locator, message="entry has no text (no content or summary)")
    return make_document(
        text, locator, url=entry.get("link") or None, outlet=outlet, channel="feed", title=title,
        author=entry.get("author") or None, published=_entry_date(entry, locator),
    )


def _entry_text(entry: Any) -> str:
    """The entry's full content where the feed carries it, else its summary."""
    for content in entry.get("content") or []:
        text = _text_of(content)
        if text:
            return text
    return _text_of(entry.get("summary_detail"))


def _text_of(detail: Any) -> str:
    """Plain text of a feedparser text construct (a dict with 'type' and 'value')."""
    if not detail or not detail.get("value"):
        return ""
    value = detail["value"]
    if detail.get("type") in _HTML_TYPES:
        return html_fragment_to_text(value)
    return value.strip()


def _entry_date(entry: Any, locator: str) -> dt.date | None:
    # feedparser gives both as UTC struct_time; the publication date is the one a report is dated by.
    parsed: time.struct_time | None = entry.get("published_parsed") or entry.get("updated_parsed")
    raw = entry.get("published") or entry.get("updated")
    if parsed:
        try:
            return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
        except ValueError:  # feedparser turns "0000-01-01T00:00:00Z" into year 0, which no date has
            drop_date(locator, raw)
            return None
    # feedparser drops a date it cannot read ("31 Feb"): say so, as the other readers do.
    if raw:
        drop_date(locator, raw)
    return None
