"""Plain text: one file, one report. The dateline and boilerplate are left to the cleaning stage."""

from __future__ import annotations

from sitrep.errors import InputError
from sitrep.ingest.base import ReadResult, has_text
from sitrep.ingest.decode import decode_bytes
from sitrep.ingest.document import make_document


def read_text(data: bytes, source: str) -> ReadResult:
    """Yield the one document a text file holds."""
    text = decode_bytes(data, source)
    if not has_text(text):
        raise InputError(source, "no text (the file holds only whitespace or invisible characters)")
    yield make_document(text, source)
