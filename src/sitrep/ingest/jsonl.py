"""JSON Lines: one report per line, as other tools and scrapers write them.

Fields: ``text`` (required), and optionally ``id``, ``published`` (a date or an ISO datetime), ``title``,
``url``, ``outlet``, ``channel``, ``author`` and ``language``. Other fields are ignored. A line given an
``id`` is located by it (``file#id=...``), else by its line number (``file:12``); the document's own id
is always the hash of its text, so the same report under two ids is one document.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sitrep.ingest.base import ReadResult, has_text
from sitrep.ingest.decode import decode_bytes
from sitrep.ingest.document import drop_date, is_impossible_date, make_document
from sitrep.models import Document, ItemError

OPTIONAL_STRING_FIELDS = ("title", "url", "outlet", "channel", "author", "language")
# json.loads raises a plain ValueError, not a JSONDecodeError, for an integer longer than Python
# converts (sys.get_int_max_str_digits(), 4,300 digits): no report has one, a hostile file may.
NUMBER_TOO_LONG = "a number with more than 4,300 digits"


class MalformedLine(ValueError):
    """A line that is JSON but not a report; reported as an `ItemError` for that line."""


def read_jsonl(data: bytes, source: str) -> ReadResult:
    """Yield a document per line, and an `ItemError` for each line that cannot be read; blank lines are skipped."""
    # split("\n"), not splitlines(): JSON strings may hold a raw U+2028, which splitlines() breaks at.
    for line_number, line in enumerate(decode_bytes(data, source).split("\n"), start=1):
        if line.strip():
            yield _line_document(line, source, line_number)


def _line_document(line: str, source: str, line_number: int) -> Document | ItemError:
    line_locator = f"{source}:{line_number}"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return ItemError(source=line_locator, message=f"invalid JSON: {error.msg} at column {error.colno}")
    except RecursionError:
        return ItemError(source=line_locator, message="invalid JSON: nested too deeply to read")
    except ValueError:  # not a JSONDecodeError: an integer past Python's 4,300-digit limit
        return ItemError(source=line_locator, message=f"invalid JSON: {NUMBER_TOO_LONG}")
    if not isinstance(record, dict):
        return ItemError(source=line_locator, message="not a JSON object")
    try:
        return _record_document(record, line_locator, source)
    except MalformedLine as error:
        return ItemError(source=line_locator, message=str(error))


def _record_document(record: dict[str, Any], line_locator: str, source: str) -> Document:
    text = record.get("text")
    if not isinstance(text, str) or not has_text(text):
        raise MalformedLine('no "text"' if text is None else '"text" is not a non-empty string')
    record_id = record.get("id")
    if record_id is not None and not isinstance(record_id, (str, int)):
        raise MalformedLine('"id" is not a string or a number')
    fields = {name: _optional_string(record, name) for name in OPTIONAL_STRING_FIELDS}
    locator = f"{source}#id={record_id}" if record_id not in (None, "") else line_locator
    return make_document(text, locator, published=_published(record.get("published"), locator), **fields)


def _optional_string(record: dict[str, Any], name: str) -> str | None:
    value = record.get(name)
    if value is not None and not isinstance(value, str):
        raise MalformedLine(f'"{name}" is not a string')
    return value or None


def _published(value: Any, locator: str) -> dt.date | None:
    """A date from "2023-07-09" or an ISO datetime such as "2023-07-09T10:00:00Z" (its calendar date).

    A day that does not exist ("2023-02-31") is dropped with a warning and the report kept.
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
        try:
            return dt.datetime.fromisoformat(value).date()
        except ValueError:
            pass
        if is_impossible_date(value):
            drop_date(locator, value)
            return None
    raise MalformedLine(f'"published" {value!r} is not a date (2023-07-09) or an ISO datetime')
