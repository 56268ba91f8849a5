"""Property-based tests (hypothesis): the readers, cleaning and its offsets, date parsing, and the
whole pipeline, on generated input.

Two kinds of input for the readers: raw bytes (random, or text in the encodings we meet), and
structured input (JSON Lines records, Telegram exports, HTML pages, RSS and Atom feeds) built from
random text, random JSON and random nesting, so that the examples get past the first refusal and
into the code that reads fields, entries and messages.

The example counts keep the file well under two minutes on two busy cores; set
SITREP_HYPOTHESIS_EXAMPLES=N to run N examples of every test instead (a longer local run).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import os
import re
import string
from email.utils import format_datetime
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, note
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from sitrep.extract.clean import PARAGRAPH_BREAK, clean, normalise, paragraphs
from sitrep.errors import InputError
from sitrep.ingest import READERS, detect_format, read_input
from sitrep.ingest.base import document_id, has_text, has_words
from sitrep.ingest.document import make_document
from sitrep.ingest.html import MAX_HTML_DEPTH
from sitrep.models import Document, EventDate, Extraction, ItemError
from sitrep.extract.timeparse import PRECISION_ORDER, DateResolver

_EXAMPLES_OVERRIDE = os.environ.get("SITREP_HYPOTHESIS_EXAMPLES")
# The suite's run (make test, CI) draws the same examples every time, as Hypothesis advises for CI: a
# red run is then a change in the code, and it reproduces. SITREP_HYPOTHESIS_RANDOM=1 draws new ones,
# for exploring (with SITREP_HYPOTHESIS_EXAMPLES to run more).
_RANDOM = os.environ.get("SITREP_HYPOTHESIS_RANDOM") == "1"


def bounded(examples: int):
    """Hypothesis settings for a test worth ``examples`` examples here (or SITREP_HYPOTHESIS_EXAMPLES).

    A failure prints a ``@reproduce_failure`` blob: the failing example, rerun exactly.
    """
    return hypothesis_settings(
        max_examples=int(_EXAMPLES_OVERRIDE) if _EXAMPLES_OVERRIDE else examples, deadline=None, print_blob=True,
        **({} if _RANDOM else {"derandomize": True, "database": None}),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
                               HealthCheck.function_scoped_fixture],
    )


# --- fragments of reports: real places, actors, verbs, quotes, numbers, in the team's own words ---

PLACES = ["Bakhmut", "Klishchiivka", "Robotyne", "Kherson", "Odesa", "Avdiivka", "Kupiansk", "Zaporizhzhia region",
          "Moscow", "Kyiv", "Donetsk", "Marinka", "Staromaiorske", "Belgorod", "Crimea", "Бахмут", "Херсон",
          "Работино", "Kharkiv oblast", "the Dnipro river"]
ACTORS = ["Russian forces", "Ukrainian troops", "The General Staff", "Russia's Defence Ministry", "Wagner fighters",
          "The 3rd Assault Brigade", "A military blogger", "The regional governor", "Kremlin", "Зеленський",
          "Російські війська", "local officials"]
VERBS = ["shelled", "captured", "repelled attacks near", "advanced towards", "struck", "withdrew from",
         "said they still hold", "claimed to have taken", "launched drones at", "denied losing", "обстріляли"]
TIMES = ["yesterday", "on Monday", "last week", "on 31 February", "two days ago", "in May 2023", "since June",
         "on 9 July", "overnight", "the winter of 2022-23", "99 years ago", "on 2023-07-14", "earlier this week"]
TAILS = ["killing 12 people", "destroying three tanks", "according to the governor", "officials said",
         "but the claim could not be verified", "wounding at least 40", "within 2 km of the front",
         "a spokesman told Reuters", "вбивши двох людей"]
QUOTES = ['"We will not give up a metre," he said.', '"The enemy is retreating," the commander claimed',
          '«Противник отступает», — заявил Рыбарь.', '"They shelled us all night']
LINES = ["Advertisement", "KYIV, July 9 (Reuters) -", "date 2023-07-14", "Smoke rises over Kherson - AP",
         "A destroyed tank near Robotyne. Photo: Oleh Petrenko/AFP via Getty Images", "Share this article",
         "Read more: Kyiv says it has retaken ground near Robotyne"]
# Characters that copy-paste, hostile posts and odd tools put into text: zero-width, bidi controls,
# exotic spaces and line ends, a soft hyphen, combining marks, an emoji with a variation selector.
NOISE = ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
         "\u2066", "\u2069", "\u2060", "\ufeff", "\u00ad", "\u00a0", "\u2009", "\u3000", "\t", "\r\n", "\r",
         "\u2028", "\u2029", "\u0301", "\u0308", "\u26a1\ufe0f", "\x0b", "\x0c", "  ", "\n", "\n\n\n"]

# Text without control characters other than tab and line ends, and without surrogates: what a
# text file holds. Control characters are left to the raw-bytes tests.
plain_characters = st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n\r")
plain_text = st.text(plain_characters, max_size=80)
# One line of a file: no line ends, and no byte-order mark (a file's first line would lose it).
line_text = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff",
                                  whitelist_characters="\t"), max_size=60)


@st.composite
def sentences(draw) -> str:
    """One report-like sentence or line: actor, verb, place, time and a tail, or a quote, or a fixed line."""
    kind = draw(st.sampled_from(["claim", "claim", "claim", "quote", "line", "random"]))
    if kind == "quote":
        return draw(st.sampled_from(QUOTES))
    if kind == "line":
        return draw(st.sampled_from(LINES))
    if kind == "random":
        return draw(plain_text)
    parts = [draw(st.sampled_from(ACTORS)), draw(st.sampled_from(VERBS)), draw(st.sampled_from(PLACES))]
    parts += draw(st.lists(st.sampled_from(TIMES + TAILS + PLACES), max_size=3))
    return " ".join(parts) + draw(st.sampled_from([".", ".", "", "!", ";", ",", " -", "..."]))


@st.composite
def noisy(draw, text: str) -> str:
    """``text`` with noise characters inserted at random places."""
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(NOISE)) + text[at:]
    return text


@st.composite
def report_texts(draw) -> str:
    """A report: sentences joined into paragraphs by odd whitespace, with noise characters."""
    separators = st.sampled_from([" ", " ", "\n", "\n\n", "\r\n\r\n", "  ", "\t", "\n \n", "\u2029"])
    pieces = draw(st.lists(sentences(), min_size=1, max_size=8))
    text = "".join(piece + draw(separators) for piece in pieces)
    return draw(noisy(text))


# --- JSON -----------------------------------------------------------------------------------------

# A number longer than Python parses into an int (4,300 digits): a ValueError from json.loads that is
# no JSONDecodeError. It stands in the generated values as a marker that `dumps` writes out, because
# hypothesis cannot print such an int when it reports a failing example.
HUGE_NUMBER = "\x00huge-number\x00"
json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | plain_text | st.just(HUGE_NUMBER)
json_values = st.recursive(json_scalars, lambda children: st.lists(children, max_size=4)
                           | st.dictionaries(st.text(max_size=8), children, max_size=4), max_leaves=10)


def dumps(value: object, ascii_only: bool = True, indent: int | None = None) -> str:
    return json.dumps(value, ensure_ascii=ascii_only, indent=indent).replace(json.dumps(HUGE_NUMBER), "9" * 4301)


# --- checks shared by the reader tests ------------------------------------------------------------

LANGUAGES = {None, "en", "uk", "ru"}


def check_item(item: object, source: str, guessed_language: bool = True) -> None:
    """An item is a well-formed Document or ItemError, printable on one line."""
    assert isinstance(item, (Document, ItemError)), type(item)
    assert item.source.startswith(source)
    if isinstance(item, ItemError):
        assert item.message and "\n" not in item.message, item.message
        return
    assert item.text.strip(), item
    assert item.id == document_id(item.text)
    assert item.published is None or isinstance(item.published, dt.date)
    if guessed_language:
        assert item.language in LANGUAGES
    assert Document.model_validate_json(item.model_dump_json()) == item


def read_all(reader, data: bytes, source: str = "input.bin", guessed_language: bool = True) -> list | None:
    """The reader's items, each checked; None when the whole input was refused with `InputError`."""
    note(f"input: {data!r}")  # the bytes for a regression test, should the example fail
    try:
        items = list(reader(data, source))
    except InputError as error:
        assert error.cause and "\n" not in error.cause, error.cause
        note(f"refused: {error}")
        return None
    for item in items:
        check_item(item, source, guessed_language)
    return items


def read_detected(data: bytes, settings) -> list | None:
    """Read ``data`` as standard input, its format detected from the content."""
    return read_all(lambda content, _: read_input("-", settings, stdin=io.BytesIO(content)), data, "<stdin>",
                    guessed_language=False)


# --- raw bytes ------------------------------------------------------------------------------------

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1251", "koi8_u", "latin_1", "cp1252"]


@st.composite
def encoded_texts(draw) -> bytes:
    text = draw(st.one_of(report_texts(), st.text(max_size=200)))
    return text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")


raw_inputs = st.one_of(st.binary(max_size=3000), encoded_texts())


@pytest.mark.parametrize("reader_name", sorted(READERS))
@bounded(120)
@given(data=raw_inputs)
def test_any_bytes_give_documents_item_errors_or_an_input_error(reader_name, data):
    read_all(READERS[reader_name], data, guessed_language=reader_name != "jsonl")


@bounded(150)
@given(data=raw_inputs, name=st.sampled_from(["report.txt", "page.html", "export.json", "lines.jsonl", "feed.xml",
                                              "feed.atom", "noextension", "x.HTM", "x.ndjson", "x.rss"]))
def test_any_file_read_with_detection_gives_valid_items(settings, tmp_path_factory, data, name):
    path = tmp_path_factory.mktemp("input") / name
    path.write_bytes(data)
    read_all(lambda _, source: read_input(source, settings), data, str(path), guessed_language=False)
    read_detected(data, settings)


@bounded(100)
@given(text=st.one_of(report_texts(), st.text(plain_characters, min_size=1, max_size=300)))
def test_utf8_text_is_read_exactly(text):
    items = read_all(READERS["text"], text.encode("utf-8"))
    if not has_text(text):  # whitespace and invisible characters only
        assert items is None
    elif items is None:
        # Refused as binary: only for control characters (a vertical tab) in more than 2% of a short text.
        assert any(ord(character) < 32 and character not in "\t\n\r\x0c" for character in text)
    else:
        assert [item.text for item in items] == [text.removeprefix("\ufeff")]


@bounded(60)
@given(pieces=st.lists(st.sampled_from(["Російські війська обстріляли Херсон уночі.", "Бої тривають біля Бахмута.",
                                        "Противник отступает от Работино, сообщил блогер.", "Загинули двоє людей.",
                                        "Зеленський подякував бійцям 3-ї штурмової бригади."]), min_size=2, max_size=6),
       encoding=st.sampled_from(["cp1251", "koi8_u", "utf-16", "utf-8"]))
def test_cyrillic_reports_in_legacy_encodings_are_decoded(pieces, encoding):
    text = " ".join(pieces)
    assert [item.text for item in read_all(READERS["text"], text.encode(encoding))] == [text]


# --- JSON Lines -----------------------------------------------------------------------------------

@st.composite
def jsonl_records(draw) -> dict:
    """A well-formed record: text and any of the optional fields, with the right types."""
    record: dict = {"text": draw(report_texts().filter(has_text))}
    for name in ("title", "url", "outlet", "channel", "author", "language"):
        if draw(st.booleans()):
            record[name] = draw(line_text)
    if draw(st.booleans()):
        record["id"] = draw(st.one_of(st.integers(), line_text))
    if draw(st.booleans()):
        moment = draw(st.datetimes(timezones=st.none() | st.just(dt.timezone.utc)))
        record["published"] = draw(st.sampled_from([moment.date().isoformat(), moment.isoformat()]))
    return record


@st.composite
def jsonl_lines(draw) -> tuple[str, dict | None]:
    """One line and, for a well-formed record, the record; others are messy records, other JSON, or not JSON."""
    kind = draw(st.sampled_from(["record", "record", "messy", "json", "text", "blank"]))
    ascii_only = draw(st.booleans())
    if kind == "record":
        record = draw(jsonl_records())
        return dumps(record, ascii_only), record
    if kind == "messy":
        record = draw(jsonl_records())
        for name in draw(st.lists(st.sampled_from(["text", "id", "published", "title", "url", "language"]))):
            record[name] = draw(json_values)
        return dumps(record, ascii_only), None
    if kind == "json":
        return dumps(draw(json_values), ascii_only), None
    if kind == "text":
        return draw(line_text), None
    return draw(st.sampled_from(["", " ", "\t", "\r"])), None


@bounded(120)
@given(lines=st.lists(jsonl_lines(), max_size=8), line_end=st.sampled_from(["\n", "\r\n"]))
def test_jsonl_gives_one_item_per_nonblank_line(lines, line_end):
    data = line_end.join(line for line, _ in lines).encode("utf-8")
    items = read_all(READERS["jsonl"], data, "lines.jsonl", guessed_language=False)
    if items is None:  # refused whole: only a file with no text at all
        assert not data.strip()
        return
    expected = [record for line, record in lines if line.strip()]
    assert len(items) == len(expected)
    for item, record in zip(items, expected):
        if record is not None:
            assert isinstance(item, Document), item
            assert item.text == record["text"]
            assert item.title == (record.get("title") or None)
            published = record.get("published")
            assert item.published == (dt.datetime.fromisoformat(published).date() if published else None)


# --- Telegram exports -----------------------------------------------------------------------------

@st.composite
def message_texts(draw) -> tuple[object, str]:
    """A message's "text": a string or a list of strings and entities; with the plain text it stands for."""
    text = draw(report_texts())
    if draw(st.booleans()):
        return text, text
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=4)))
    pieces = [text[start:end] for start, end in zip([0, *cuts], [*cuts, len(text)])]
    entities = [piece if draw(st.booleans()) else {"type": draw(st.sampled_from(["bold", "hashtag", "link", "plain"])),
                                                      "text": piece} for piece in pieces]
    return entities, text


@st.composite
def telegram_messages(draw, message_id: int) -> tuple[dict, tuple[str, dt.date] | None]:
    """A message and the text and date it should give, or None when it may give anything (skipped, an error)."""
    text_value, text = draw(message_texts())
    moment = draw(st.datetimes(min_value=dt.datetime(1971, 1, 1), max_value=dt.datetime(2037, 1, 1),
                               timezones=st.just(dt.timezone.utc)))
    message = {"id": message_id, "type": "message", "date": moment.replace(tzinfo=None).isoformat(),
               "date_unixtime": str(int(moment.timestamp())), "from": draw(line_text), "text": text_value}
    expected = (text, moment.date()) if has_text(text) else None
    if draw(st.integers(0, 3)) == 0:  # a message as an odd exporter might write it
        for key in draw(st.lists(st.sampled_from(["type", "date", "date_unixtime", "from", "text"]), min_size=1)):
            if draw(st.booleans()):
                message[key] = draw(json_values)
            else:
                message.pop(key, None)
        expected = None
    return message, expected


@st.composite
def telegram_chats(draw, first_id: int) -> tuple[dict, dict[int, tuple[str, dt.date] | None]]:
    messages = [draw(telegram_messages(first_id + number)) for number in range(draw(st.integers(0, 5)))]
    chat = {"name": draw(line_text), "type": "public_channel", "id": first_id, "messages": [m for m, _ in messages]}
    if draw(st.booleans()):
        chat["username"] = draw(st.text(string.ascii_letters, min_size=1, max_size=12))
    return chat, {message["id"]: expected for message, expected in messages}


@st.composite
def telegram_exports(draw) -> tuple[dict, dict[int, tuple[str, dt.date] | None]]:
    """A single-chat or whole-account export, and the expected text and date of each message by its id."""
    if draw(st.booleans()):
        return draw(telegram_chats(1000))
    chats = [draw(telegram_chats(1000 * (number + 1))) for number in range(draw(st.integers(0, 3)))]
    expected = {key: value for _, texts in chats for key, value in texts.items()}
    split = draw(st.integers(0, len(chats)))
    export = {"about": draw(line_text), "chats": {"about": "", "list": [chat for chat, _ in chats[:split]]},
              "left_chats": {"about": "", "list": [chat for chat, _ in chats[split:]]}}
    return export, expected


@bounded(120)
@given(export=telegram_exports(), ascii_only=st.booleans(), indent=st.sampled_from([None, 1]))
def test_telegram_export_gives_a_document_per_text_message(settings, export, ascii_only, indent):
    content, expected = export
    data = dumps(content, ascii_only, indent).encode("utf-8")
    items = read_all(READERS["telegram"], data, "result.json")
    if items is None:  # a number JSON cannot hold in Python makes the whole file unreadable
        assert b"9" * 4301 in data
        return
    by_id = {int(re.search(r"message=(\d+)$", item.source).group(1)): item for item in items}
    assert len(by_id) == len(items) <= len(expected)
    for message_id, text_and_date in expected.items():
        if text_and_date is not None:
            assert (by_id[message_id].text, by_id[message_id].published) == text_and_date
    assert detect_format(data, None) == "telegram"
    detected = read_detected(data, settings)
    assert [item.text for item in detected if isinstance(item, Document)] == \
        [item.text for item in items if isinstance(item, Document) and has_words(item.text)]


@bounded(60)
@given(value=json_values, wrap=st.sampled_from(["messages", "chats", "left_chats", "list", "text", "id", None]))
def test_telegram_export_with_unexpected_types(value, wrap):
    """Any JSON where the export expects a list, an object or a string: an item error or a refusal."""
    if wrap in ("messages", "chats", "left_chats"):
        content: object = {wrap: value}
    elif wrap == "list":
        content = {"chats": {"list": [value, {"messages": [value]}]}}
    elif wrap == "text":
        content = {"messages": [{"id": 1, "type": "message", "text": value, "date_unixtime": value}]}
    elif wrap == "id":
        content = {"chats": {"list": [{"id": value, "messages": [{"id": value, "text": "Kherson was shelled."}]}]}}
    else:
        content = value
    read_all(READERS["telegram"], dumps(content).encode("utf-8"), "result.json")


# --- HTML pages -----------------------------------------------------------------------------------

BLOCK_TAGS = ["p", "div", "article", "section", "main", "header", "footer", "nav", "aside", "blockquote", "figure",
              "figcaption", "h1", "h2", "ul", "ol", "li", "table", "tr", "td", "th", "pre", "form"]
INLINE_TAGS = ["span", "b", "i", "em", "strong", "a", "time", "script", "style", "noscript", "svg", "iframe",
               "template"]
VOID_TAGS = ["br", "hr", "img", "meta", "input", "wbr"]
ATTRIBUTES = ['class="story-body"', 'id="main"', 'href="https://example.org/a"', 'dir="rtl"', 'hidden',
              'itemprop="articleBody"', 'datetime="2023-07-14"', 'class="ad-slot"']


@st.composite
def html_texts(draw) -> str:
    text = draw(st.one_of(sentences(), plain_text))
    return html.escape(text) if draw(st.integers(0, 5)) else text  # now and then raw <, > and &


@st.composite
def html_elements(draw, children) -> str:
    tag = draw(st.sampled_from(BLOCK_TAGS + INLINE_TAGS))
    attributes = "".join(" " + attribute for attribute in draw(st.lists(st.sampled_from(ATTRIBUTES), max_size=2)))
    inner = "".join(draw(st.lists(children, max_size=4)))
    closing = f"</{tag}>" if draw(st.integers(0, 6)) else ""  # now and then left open
    return f"<{tag}{attributes}>{inner}{closing}"


html_nodes = st.recursive(
    st.one_of(html_texts(), st.sampled_from(VOID_TAGS).map(lambda tag: f"<{tag}>"), st.just("<!-- comment -->")),
    html_elements, max_leaves=25,
)


@st.composite
def html_pages(draw) -> tuple[bytes, bool]:
    """A page (bytes) and whether it starts as detection expects an HTML page to start."""
    head = [draw(st.sampled_from(["", '<meta charset="utf-8">', '<meta charset="windows-1251">', "<meta charset=koi8-u>",
                                  '<meta charset="bogus-42">', '<meta charset="punycode">',
                                  "<meta charset=undefined>"]))]
    if draw(st.booleans()):
        head.append(f"<title>{html.escape(draw(sentences()))}</title>")
    if draw(st.booleans()):
        head.append(f'<meta property="article:published_time" content="{draw(st.dates()).isoformat()}">')
    body = "".join(draw(st.lists(html_nodes, max_size=6)))
    prologue = draw(st.sampled_from(["<!DOCTYPE html>", "<!doctype html>\n", '<?xml version="1.0"?>\n<html>', ""]))
    page = f"{prologue}<html><head>{''.join(head)}</head><body>{body}</body></html>"
    encoding = "cp1251" if "1251" in head[0] else draw(st.sampled_from(["utf-8", "utf-8", "utf-16", "koi8_u"]))
    standard_start = prologue.lower().startswith(("<!doctype html", "<html")) or not prologue
    return page.encode(encoding, errors="xmlcharrefreplace"), standard_start and encoding != "utf-16"


@bounded(100)
@given(page=html_pages())
def test_html_page_gives_one_document_or_a_clear_refusal(settings, page):
    data, standard_start = page
    items = read_all(READERS["html"], data, "page.html")
    assert items is None or len(items) == 1
    if standard_start:
        assert detect_format(data, None) == "html"


@bounded(40)
@given(depth=st.integers(MAX_HTML_DEPTH - 20, MAX_HTML_DEPTH + 20), tag=st.sampled_from(["div", "span", "section"]))
def test_html_nesting_limit(depth, tag):
    """Nested past the limit the page is refused, never read in part; below it, it is read."""
    page = f"<html><body>{f'<{tag}>' * depth}<p>Russian forces shelled Kherson overnight.</p>{f'</{tag}>' * depth}"
    items = read_all(READERS["html"], f"{page}</body></html>".encode(), "deep.html")
    levels = depth + 3  # html, body and p around the text
    if levels > MAX_HTML_DEPTH:
        assert items is None
    else:
        assert items and "Kherson" in items[0].text


# --- RSS and Atom feeds ---------------------------------------------------------------------------

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_escape(text: str) -> str:
    """Text as XML character data: escaped, and without the characters XML 1.0 forbids (the report
    generator's vertical tab and form feed), so that the feed stays well-formed."""
    return escape(_NOT_XML.sub("", text))


xml_text = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff",
                                 whitelist_characters="\t\n"), max_size=60)
# Offsets as far as they go, so that a date near the calendar's ends crosses it in UTC.
feed_zones = st.sampled_from([dt.timezone.utc] + [dt.timezone(dt.timedelta(hours=hours)) for hours in (14, -12, 5.5)])
feed_dates = st.one_of(st.datetimes(timezones=feed_zones), xml_text, st.sampled_from(
    ["0000-01-01T00:00:00Z", "Sat, 01 Jan 0000 00:00:00 GMT", "2023-02-31", "31 Feb 2023", "--01-01", "2023-W01-1"]))


@st.composite
def feed_entries(draw, atom: bool) -> str:
    fields = []
    title = draw(st.one_of(st.none(), st.builds(" ".join, st.lists(sentences(), max_size=1)), xml_text))
    if title is not None:
        fields.append(f"<title>{xml_escape(title)}</title>")
    if draw(st.booleans()):
        fields.append(f"<link>https://example.org/{draw(st.integers(0, 99))}</link>" if not atom
                      else f'<link href="https://example.org/{draw(st.integers(0, 99))}"/>')
    when = draw(feed_dates)
    if draw(st.booleans()):
        stamp = when if isinstance(when, str) else (when.isoformat() if atom else format_datetime(when))
        fields.append(f"<{'updated' if atom else 'pubDate'}>{xml_escape(stamp)}</{'updated' if atom else 'pubDate'}>")
    body_kind = draw(st.sampled_from(["text", "html", "none"]))
    if body_kind != "none":
        body = draw(report_texts()) if body_kind == "text" else "".join(draw(st.lists(html_nodes, max_size=4)))
        if atom:
            fields.append(f'<content type="{body_kind}">{xml_escape(body)}</content>')
        else:
            fields.append(f"<description>{xml_escape(body)}</description>")
    element = "entry" if atom else "item"
    return f"<{element}>{''.join(fields)}</{element}>"


@st.composite
def feeds(draw) -> tuple[bytes, int, bool]:
    """A well-formed RSS 2.0 or Atom feed, its number of entries, and whether it declares an encoding
    that cannot decode it (a codec that always fails, a name with a NUL)."""
    atom = draw(st.booleans())
    entries = [draw(feed_entries(atom)) for _ in range(draw(st.integers(0, 5)))]
    title = xml_escape(draw(xml_text))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "UTF-8", "utf8", "undefined", "punycode", "utf-8\x00"]))
    declaration = f'<?xml version="1.0" encoding="{encoding}"?>'
    if atom:
        feed = f'{declaration}<feed xmlns="http://www.w3.org/2005/Atom"><title>{title}</title>{"".join(entries)}</feed>'
    else:
        feed = f'{declaration}<rss version="2.0"><channel><title>{title}</title>{"".join(entries)}</channel></rss>'
    return feed.encode("utf-8"), len(entries), encoding.lower() not in ("utf-8", "utf8")


@bounded(100)
@given(feed=feeds())
def test_feed_gives_one_item_per_entry(settings, feed):
    data, entries, bad_encoding = feed
    items = read_all(READERS["feed"], data, "feed.xml", guessed_language=True)
    if items is None:
        assert bad_encoding
        return
    assert len(items) == entries
    assert detect_format(data, None) == "feed"
    detected = read_detected(data, settings)
    assert [item.model_dump() for item in detected] == \
        [item.model_copy(update={"source": item.source.replace("feed.xml", "<stdin>", 1)}).model_dump()
         for item in items if not isinstance(item, Document) or has_words(item.text)]


# --- cleaning and offsets -------------------------------------------------------------------------

any_text = st.one_of(report_texts(), st.text(max_size=300))
_INVISIBLE_AFTER_CLEANING = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u00ad\x00-\x08\x0b-\x1f\x7f]")


def is_subsequence(part: str, whole: str) -> bool:
    characters = iter(whole)
    return all(character in characters for character in part)


def visible(text: str) -> str:
    return "".join(text.split())


@bounded(150)
@given(text=any_text)
def test_paragraph_offsets_map_back_into_the_text(text):
    spans = paragraphs(text)
    covered = [False] * len(text)
    previous_end = 0
    for start, paragraph in spans:
        assert previous_end <= start and text[start:start + len(paragraph)] == paragraph
        assert paragraph.strip()
        previous_end = start + len(paragraph)
        covered[start:previous_end] = [True] * len(paragraph)
    # Nothing but whitespace is left out of the paragraphs.
    assert all(covered[index] for index, character in enumerate(text) if not character.isspace())


@bounded(150)
@given(text=any_text)
def test_normalising_is_idempotent_and_leaves_no_invisible_characters(text):
    once = normalise(text)
    assert normalise(once) == once
    assert not _INVISIBLE_AFTER_CLEANING.search(once)
    assert "\r" not in once and "\u2028" not in once and "\u2029" not in once


@bounded(150)
@given(text=any_text, published=st.none() | st.dates())
def test_cleaned_text_keeps_its_offsets_and_only_removes(text, published):
    document = make_document(text, "report.txt", published=published) if text.strip() else None
    if document is None:
        return
    cleaned = clean(document)
    # Every caption's offsets point at its text, in order, inside the cleaned text.
    end = 0
    for caption in cleaned.captions:
        assert end <= caption.start < caption.end <= len(cleaned.text)
        assert cleaned.text[caption.start:caption.end] == caption.text
        end = caption.end
    # Paragraphs are separated by exactly one blank line, and hold no blank line themselves.
    assert all(paragraph.strip() == paragraph and paragraph for paragraph in cleaned.text.split(PARAGRAPH_BREAK)) \
        or not cleaned.text
    assert "\n\n\n" not in cleaned.text
    # Cleaning removes lines, datelines and credits, and normalises: it never adds or reorders text.
    assert is_subsequence(visible(cleaned.text), visible(normalise(text)))
    if not cleaned.removed and not cleaned.captions:
        assert visible(cleaned.text) == visible(normalise(text))
    assert cleaned.published == (published or cleaned.published)


@bounded(100)
@given(text=report_texts())
def test_document_id_ignores_invisible_characters_and_spacing(text):
    stripped = re.sub("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u00ad]", "", text)
    assert document_id(text) == document_id(stripped)
    assert document_id(text) == document_id(" ".join(text.split()))


# --- date parsing ---------------------------------------------------------------------------------

DATE_WORDS = ["yesterday", "today", "last", "next", "week", "weeks", "month", "months", "year", "years", "ago",
              "since", "on", "in", "the", "of", "early", "mid", "late", "winter", "summer", "spring", "autumn",
              "Monday", "Sunday", "May", "February", "Feb.", "Sept", "31", "29", "0", "9999", "10000", "2023", "1900",
              "2022-23", "2023-02-31", "0000-01-01", "9999-12-31", "99", "999", "twenty-first", "ninth", "hundred",
              "nine-month", "24", "hours", "days", "after", "before", "less", "than", "more", "within", "over", "past",
              "for", "overnight", "this", "morning", "night", "Bakhmut", "captured", "Wagner", ",", ".", "-", "–"]
date_sentences = st.one_of(
    st.lists(st.sampled_from(DATE_WORDS), max_size=12).map(" ".join),
    st.lists(st.sampled_from(TIMES + DATE_WORDS), max_size=6).map(" ".join),
    st.text(max_size=120),
)


@bounded(200)
@given(sentences_=st.lists(date_sentences, min_size=1, max_size=5),
       published=st.one_of(st.none(), st.dates(), st.sampled_from([dt.date.min, dt.date.max, dt.date(2024, 2, 29)])))
def test_dates_never_raise_and_are_real_ranges(sentences_, published):
    resolver = DateResolver(published)
    offset = 0
    for sentence in sentences_:
        date = resolver.resolve(sentence, offset)
        offset += len(sentence) + 1
        if date is None:
            continue
        assert isinstance(date, EventDate)
        assert isinstance(date.start, dt.date) and isinstance(date.end, dt.date)
        assert date.start <= date.end
        assert date.precision in PRECISION_ORDER
        assert date.anchor in ("published", "text", "absolute")
        if published is not None:
            assert date.end <= published


# --- the whole pipeline ---------------------------------------------------------------------------

def check_spans(extraction: Extraction) -> None:
    """Every offset of the record points into the document's text at the words it names."""
    text = extraction.document.text
    for place in extraction.places:
        assert 0 <= place.start < place.end <= len(text) and text[place.start:place.end] == place.mention
    for claim in extraction.claims:
        assert 0 <= claim.start < claim.end <= len(text) and text[claim.start:claim.end] == claim.text
        suffix = f"/{claim.part}" if claim.part else ""  # a sentence's further events (docs/extraction.md)
        assert claim.id == f"{extraction.document.id}:{claim.start}-{claim.end}{suffix}"
        event = claim.event
        if event is None:
            continue
        for actor in (event.actor1, event.actor2):
            if actor is not None and actor.start is not None:
                assert text[actor.start:actor.end] == actor.mention
        for quantity in event.quantities:
            assert text[quantity.start:quantity.end] == quantity.text
        assert event.place is None or 0 <= event.place < len(extraction.places)
    for caption in extraction.document.captions:
        assert text[caption.start:caption.end] == caption.text


@bounded(40)
@given(text=report_texts(),
       published=st.none() | st.dates(min_value=dt.date(2014, 1, 1), max_value=dt.date(2030, 1, 1)))
def test_pipeline_spans_lie_inside_the_text(pipeline, text, published):
    if not text.strip():
        return
    extraction = pipeline.process(make_document(text, "generated.txt", published=published))
    Extraction.model_validate_json(extraction.model_dump_json(by_alias=True))
    check_spans(extraction)


@bounded(30)
@given(text=report_texts())
def test_geoparse_offsets_point_into_the_raw_text(pipeline, text):
    for place in pipeline.geoparse(text):
        assert 0 <= place.start < place.end <= len(text) and text[place.start:place.end] == place.mention
