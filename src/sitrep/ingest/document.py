"""Building a `Document` the same way in every reader: id from the text, language guessed."""

from __future__ import annotations

import datetime as dt

from sitrep.ingest.base import document_id
from sitrep.ingest.language import guess_language
from sitrep.models import Document


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
