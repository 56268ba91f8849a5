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
    """The text as it is hashed: invisible characters dropped, NFKC, whitespace collapsed."""
    # Dropped before NFKC: a zero-width space between a letter and its combining accent would
    # otherwise keep the pair from composing, and the copy without it would hash differently.
    text = _INVISIBLE.sub("", text)
    text = unicodedata.normalize("NFKC", text)
    return _SPACE.sub(" ", text).strip()


def has_text(text: str) -> bool:
    """Whether ``text`` holds anything beyond whitespace and invisible characters: a post made only
    of zero-width spaces is empty, and would otherwise share one id with every other such post."""
    return bool(normalise_for_id(text))


# A link as posts carry it: with a scheme, or a bare www./t.me/ address.
_LINK = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.|t\.me/)\S*", re.IGNORECASE)


def has_words(text: str) -> bool:
    """Whether ``text`` holds a word, a letter outside any link: an emoji-only post ("🔥🔥"), a post that is
    only a link, or only digits and symbols, is no report."""
    return any(char.isalpha() for char in _LINK.sub(" ", text))


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
