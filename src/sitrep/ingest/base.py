"""What every reader shares: the document id and the shape of a reader."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from typing import Protocol

from sitrep.models import Document, ItemError

_SPACE = re.compile(r"\s+")
# Invisible characters that copy-paste and hostile posts add; they must not make two copies differ.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u00ad]")


def normalise_for_id(text: str) -> str:
    """The text as it is hashed: NFKC, invisible characters dropped, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    return _SPACE.sub(" ", text).strip()


def document_id(text: str) -> str:
    """A document's id: 16 hex digits of SHA-256 over its normalised text, so re-ingest is a no-op."""
    return hashlib.sha256(normalise_for_id(text).encode("utf-8")).hexdigest()[:16]


ReadResult = Iterator[Document | ItemError]


class Reader(Protocol):
    """A reader turns the bytes of one input into documents, and reports the items it cannot read.

    It raises ``InputError`` when the whole input is unreadable, and yields ``ItemError`` for one
    bad item (a broken JSON line, a malformed feed entry) so that the good items are kept.
    """

    def __call__(self, data: bytes, source: str) -> ReadResult: ...
