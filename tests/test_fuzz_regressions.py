"""Inputs the fuzzers (tests/test_properties.py, fuzz/fuzz_readers.py) found crashing a reader, each kept
as it was found: the reader must now refuse it with `InputError` or report one `ItemError`.

Crash files from the atheris harness are kept whole under tests/fixtures/fuzz/ (without the harness's
first byte, which picked the reader), where they also seed its corpus."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import ROOT
from sitrep.extract.clean import normalise
from sitrep.errors import InputError
from sitrep.ingest import READERS, read_input
from sitrep.ingest.base import document_id
from sitrep.models import Document, ItemError

# json.loads raises a bare ValueError (no JSONDecodeError) for an integer of more than 4,300 digits.
HUGE_NUMBER = b"9" * 4301


def test_jsonl_line_with_a_huge_number_is_one_item_error():
    data = b'{"text": "Shelling hit Kherson overnight."}\n{"text": "x", "casualties": ' + HUGE_NUMBER + b"}\n"
    items = list(READERS["jsonl"](data, "lines.jsonl"))
    assert isinstance(items[0], Document) and items[0].text == "Shelling hit Kherson overnight."
    assert items[1] == ItemError(source="lines.jsonl:2", message="invalid JSON: a number with more than 4,300 digits")


def test_telegram_export_with_a_huge_number_is_refused_with_a_reason():
    data = b'{"name": "Front notes", "id": ' + HUGE_NUMBER + b', "messages": []}'
    with pytest.raises(InputError, match="a number with more than 4,300 digits"):
        list(READERS["telegram"](data, "result.json"))


@pytest.mark.parametrize("unixtime", [b"Infinity", b"-Infinity", b"NaN", b"1e400"])
def test_telegram_message_with_an_infinite_timestamp_is_one_item_error(unixtime):
    data = (b'{"name": "Front notes", "messages": ['
            b'{"id": 1, "type": "message", "text": "Drones struck Odesa.", "date_unixtime": ' + unixtime + b"},"
            b'{"id": 2, "type": "message", "text": "Kupiansk was shelled.", "date_unixtime": "1691625600"}]}')
    first, second = READERS["telegram"](data, "result.json")
    assert isinstance(first, ItemError) and first.source == "result.json#message=1"
    assert "unreadable date" in first.message
    assert isinstance(second, Document) and second.text == "Kupiansk was shelled."


# A zero-width space between a letter and its combining accent kept the pair from composing when
# invisible characters were dropped only after Unicode normalisation.
SPLIT_ACCENT = "Russian forces sh\u200b\u0308elled Bakhmut. Kyi\u2060\u0308v"


def test_a_zero_width_space_inside_an_accented_letter_does_not_change_the_document_id():
    assert document_id(SPLIT_ACCENT) == document_id(SPLIT_ACCENT.replace("\u200b", "").replace("\u2060", ""))


def test_normalising_a_zero_width_space_inside_an_accented_letter_is_idempotent():
    once = normalise(SPLIT_ACCENT)
    assert normalise(once) == once == "Russian forces s\u1e27elled Bakhmut. Ky\u00efv"


@pytest.mark.parametrize("stamp", ["0000-01-01T00:00:00Z", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"])
def test_feed_entry_dated_outside_the_calendar_keeps_its_text_without_a_date(stamp):
    """feedparser turns these into year 0 or 10000 in UTC, which no Python date holds."""
    data = (f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Front wire</title>'
            f"<entry><title>Odesa</title><updated>{stamp}</updated><content>Drones struck Odesa.</content></entry>"
            f"<entry><updated>2023-07-19T06:00:00Z</updated><content>Kherson was shelled.</content></entry></feed>")
    first, second = READERS["feed"](data.encode(), "wire.atom")
    assert (first.text, first.published) == ("Drones struck Odesa.", None)
    assert (second.text, second.published) == ("Kherson was shelled.", dt.date(2023, 7, 19))


CRASH_FILES = sorted((ROOT / "tests" / "fixtures" / "fuzz").glob("crash_*"))


@pytest.mark.parametrize("path", CRASH_FILES, ids=[path.name for path in CRASH_FILES])
@pytest.mark.parametrize("reader", [None, *sorted(READERS)])
def test_crash_files_are_read_or_refused(settings, path, reader):
    try:
        items = list(read_input(str(path), settings, reader))
    except InputError as error:
        assert "\n" not in str(error)
        return
    assert all(isinstance(item, (Document, ItemError)) for item in items)


# An XML declaration or <meta charset> naming a codec that fails on any input with a plain ValueError
# or UnicodeError ("undefined", "punycode") or a name with a NUL in it (found by atheris, see CRASH_FILES).
RSS = '<rss version="2.0"><channel><title>Front wire</title><item><description>Kherson was shelled.</description>' \
      "</item></channel></rss>"


@pytest.mark.parametrize("encoding", ["UTF-8\x04\x00", "undefined", "punycode"])
def test_feed_declaring_an_encoding_that_cannot_decode_is_refused_with_a_reason(encoding):
    data = f'<?xml version="1.0" encoding="{encoding}"?>{RSS}'.encode("latin-1")
    with pytest.raises(InputError, match="not a readable RSS or Atom feed"):
        list(READERS["feed"](data, "wire.xml"))


@pytest.mark.parametrize("encoding", ["undefined", "punycode"])
def test_html_declaring_an_encoding_that_cannot_decode_falls_back_to_guessing(encoding):
    page = f'<html><head><meta charset="{encoding}"></head><body><p>Drones struck Odesa\xe9.</p></body></html>'
    (document,) = READERS["html"](page.encode("latin-1"), "page.html")
    assert document.text == "Drones struck Odesa\xe9."


# Found by the hypothesis tests, left open by the first fix round: an item of zero-width characters
# only passed the readers' emptiness checks, so all such posts became one empty document.
ZERO_WIDTH_ONLY = "\u200b\u200d\ufeff\u2060"


@pytest.mark.parametrize(("reader", "data"), [
    ("jsonl", ('{"text": "' + ZERO_WIDTH_ONLY + '"}\n{"text": "Drones struck Odesa overnight."}\n').encode()),
    ("telegram", ('{"name": "Front notes", "messages": [{"id": 1, "type": "message", "text": "' + ZERO_WIDTH_ONLY
                  + '"}, {"id": 2, "type": "message", "text": "Drones struck Odesa overnight."}]}').encode()),
])
def test_an_item_of_invisible_characters_only_is_no_document(reader, data):
    documents = [item for item in READERS[reader](data, "input") if isinstance(item, Document)]
    assert [document.text for document in documents] == ["Drones struck Odesa overnight."]


def test_a_text_file_of_invisible_characters_only_is_refused():
    with pytest.raises(InputError, match="invisible"):
        list(READERS["text"](ZERO_WIDTH_ONLY.encode(), "empty.txt"))


def test_a_vertical_tab_from_a_word_line_break_is_text():
    [document] = READERS["text"](b"Shelling hit Kherson.\x0bThe governor said two were hurt.", "short.txt")
    assert "governor" in document.text
