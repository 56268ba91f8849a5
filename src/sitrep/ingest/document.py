"""Building a `Document` the same way in every reader: id from the text, language guessed."""

from __future__ import annotations

import datetime as dt
import logging
import re

from sitrep.ingest.base import document_id
from sitrep.ingest.language import guess_language
from sitrep.models import Document

log = logging.getLogger(__name__)

# A metadata date shaped like a calendar date (2023-02-31, 2023-02-29T12:00:00Z) whose day does not exist.
_DATE_SHAPE = re.compile(r"\s*\d{4}-\d{1,2}-\d{1,2}(?:[T ]|$)")


def make_document(
    text: str,
    source: str,
    *,
    url: str | None = None,
    outlet: str | None = None,
    channel: str | None = None,
    title: str | None = None,
    author: str | None = None,
    published: dt.date | None = None,
    language: str | None = None,
) -> Document:
    """A reader's document: the id hashes the text, and the language is guessed unless the input says it."""
    return Document(
        id=document_id(text),
        source=source,
        url=url,
        outlet=outlet,
        channel=channel,
        title=title,
        author=author,
        published=published,
        language=language or guess_language(text),
        text=text,
    )


def one_line(message: str) -> str:
    """An error message on one line: parsers' messages may hold newlines, and the CLI prints one line."""
    return " ".join(message.split())


def is_impossible_date(value: object) -> bool:
    """Whether a value that did not parse as a date is still shaped like one: a day that does not exist.

    Such a date is a slip in the metadata, not a sign that the record is something else, so the readers keep
    the document without it (`drop_date`); a value that is no date at all ("yesterday") stays an item error.
    """
    return isinstance(value, str) and _DATE_SHAPE.match(value) is not None


def drop_date(source: str, value: object) -> None:
    """Say that a document is kept without its date: the report is good, its metadata date is not."""
    log.warning("%s: dropped the date %r, which is not a valid date; the document is kept", source, value)
