"""Readers, format detection and input handling of `sitrep.ingest`. All fixtures are written here."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from collections import Counter
from pathlib import Path

import pytest

from sitrep.errors import InputError
from sitrep.ingest import READERS, detect_format, iter_inputs, read_input
from sitrep.ingest.base import document_id
from sitrep.ingest.decode import decode_bytes
from sitrep.ingest.feed import read_feed
from sitrep.ingest.html import MAX_HTML_DEPTH, read_html
from sitrep.ingest.jsonl import read_jsonl
from sitrep.ingest.language import guess_language
from sitrep.ingest.telegram import SKIPPED_EMPTY, SKIPPED_SERVICE, read_telegram
from sitrep.ingest.text import read_text
from sitrep.models import Document, ItemError
from sitrep.settings import Settings

UKRAINIAN_LINE = "Бахмут, Кліщіївка, Донецька область"
UKRAINIAN_REPORT = (
    "Сили оборони просунулися на південь від Роботиного.\n"
    "Ворог обстріляв Куп'янськ, поранено двох цивільних. Бахмут, Кліщіївка, Донецька область."
)
RUSSIAN_REPORT = "Обстрел Купянска продолжается, сообщили в штабе. Жители остаются в укрытиях."
ENGLISH_REPORT = (
    "KYIV, Aug 21 - Ukrainian troops advanced south of Robotyne on Monday, the general staff said.\n\n"
    "Russian artillery shelled Kupiansk overnight, wounding two civilians, regional officials said."
)

ARTICLE_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Assaults near Klishchiivka continue | Eastern Front Monitor</title>
<meta property="og:title" content="Assaults near Klishchiivka continue">
<meta property="og:site_name" content="Eastern Front Monitor">
<meta name="author" content="Iryna Bondar">
<meta property="article:published_time" content="2023-09-17T08:15:00+00:00">
<link rel="canonical" href="https://monitor.example/2023/09/klishchiivka">
</head><body>
<nav><a href="/">Home</a> <a href="/frontline">Frontline</a> <a href="/maps">Maps</a></nav>
<article>
<h1>Assaults near Klishchiivka continue</h1>
<p>Ukrainian brigades kept up their attacks on the high ground around Klishchiivka, south of Bakhmut,
for a third day on Sunday, according to a statement from the eastern command.</p>
<p>The command said its units had cleared two tree lines near the railway embankment and were
holding them under heavy artillery fire.</p>
<p>Russian officials claimed the attacks had been repelled.<br>Neither account could be verified.</p>
</article>
<footer>Contact us | Privacy</footer>
</body></html>
"""

RSS_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>Frontline Wire</title><link>https://wire.example/</link><description>Daily war updates</description>
<item>
  <title>Drone strike on Kupiansk rail depot</title>
  <link>https://wire.example/kupiansk-depot</link>
  <guid>https://wire.example/kupiansk-depot</guid>
  <pubDate>Tue, 22 Aug 2023 06:40:00 GMT</pubDate>
  <description>&lt;p&gt;A drone hit the &lt;b&gt;rail depot&lt;/b&gt; in Kupiansk before dawn.&lt;/p&gt;&lt;p&gt;No casualties were reported.&lt;/p&gt;</description>
</item>
<item>
  <title>Fighting east of Robotyne</title>
  <link>https://wire.example/robotyne-east</link>
  <pubDate>Wed, 23 Aug 2023 18:05:00 GMT</pubDate>
  <description>Ukrainian units reported small gains east of Robotyne.</description>
</item>
<item>
  <title>Photo gallery</title>
  <link>https://wire.example/gallery</link>
</item>
</channel></rss>
"""

ATOM_FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Zaporizhzhia Front Notes</title>
<id>urn:uuid:front-notes</id><updated>2023-08-30T12:00:00Z</updated>
<entry>
  <title>Robotyne cleared, command says</title>
  <id>urn:uuid:entry-1</id>
  <link href="https://notes.example/robotyne"/>
  <updated>2023-08-28T21:00:00Z</updated>
  <author><name>Taras Melnyk</name></author>
  <content type="html">&lt;p&gt;The command said Robotyne had been cleared.&lt;/p&gt;&lt;p&gt;Fighting moved south toward Novoprokopivka.&lt;/p&gt;</content>
</entry>
<entry>
  <title>Shelling in Orikhiv</title>
  <id>urn:uuid:entry-2</id>
  <link href="https://notes.example/orikhiv"/>
  <published>2023-08-29T07:30:00Z</published>
  <updated>2023-08-30T09:00:00Z</updated>
  <summary>Orikhiv was shelled again overnight, the regional governor said.</summary>
</entry>
</feed>
"""

BILLION_LAUGHS_FEED = """<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss version="2.0"><channel><title>&lol4;</title>
<item><title>x</title><description>&lol4;</description></item></channel></rss>
"""

# 2023-07-09 22:30 UTC, which is already 10 July in Kyiv: `date` (local time) and `date_unixtime` disagree.
LATE_EVENING_UNIXTIME = "1688941800"


def telegram_chat(**extra: object) -> dict:
    """A one-chat export: text as a string, text as entities, a service message, a photo with no caption."""
    return {
        "name": "Donbas Frontline",
        "type": "public_channel",
        "id": 1722334455,
        "messages": [
            {"id": 101, "type": "service", "date": "2023-07-08T09:00:00", "actor": "Donbas Frontline",
             "action": "pin_message", "text": ""},
            {"id": 102, "type": "message", "date": "2023-07-10T01:30:00", "date_unixtime": LATE_EVENING_UNIXTIME,
             "from": "Donbas Frontline", "from_id": "channel1722334455",
             "text": "Heavy fighting continues on the southern flank of Bakhmut near Klishchiivka."},
            {"id": 103, "type": "message", "date": "2023-07-11T14:00:00", "from": "Donbas Frontline",
             "text": ["Update: ", {"type": "bold", "text": "Kupiansk"},
                      " was shelled again, details ", {"type": "text_link", "text": "here", "href": "https://t.me/x"},
                      "."]},
            {"id": 104, "type": "message", "date": "2023-07-11T15:00:00", "from": "Donbas Frontline",
             "photo": "photos/photo_1.jpg", "text": ""},
        ],
        **extra,
    }


def write(tmp_path: Path, name: str, content: bytes | str) -> str:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return str(path)


def split_results(items: list) -> tuple[list[Document], list[ItemError]]:
    return [i for i in items if isinstance(i, Document)], [i for i in items if isinstance(i, ItemError)]


def png_bytes() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + random.Random(7).randbytes(4000)


# --- decoding ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (UKRAINIAN_LINE, "cp1251"),
        (UKRAINIAN_LINE, "koi8_u"),
        (UKRAINIAN_REPORT, "cp1251"),
        (UKRAINIAN_REPORT, "koi8_u"),
        (RUSSIAN_REPORT, "cp1251"),
        (RUSSIAN_REPORT, "koi8_r"),
        ("café Zürich", "latin_1"),
        ("Le café à Zürich était fermé.", "cp1252"),
        (UKRAINIAN_REPORT, "utf-8"),
        (UKRAINIAN_REPORT, "utf-8-sig"),
        (UKRAINIAN_REPORT, "utf-16"),  # Python's utf-16 codec writes a byte-order mark
        (ENGLISH_REPORT, "utf-16"),
        (ENGLISH_REPORT, "utf-16-le"),  # no byte-order mark
    ],
)
def test_decode_round_trips(text: str, encoding: str) -> None:
    assert decode_bytes(text.encode(encoding), "report.txt") == text


def test_decode_utf16_big_endian_with_bom() -> None:
    data = b"\xfe\xff" + UKRAINIAN_LINE.encode("utf-16-be")
    assert decode_bytes(data, "be.txt") == UKRAINIAN_LINE


@pytest.mark.parametrize(
    ("data", "cause"),
    [
        (b"", "empty file"),
        (png_bytes(), "binary content, not text (a PNG image)"),
        (random.Random(3).randbytes(3000).replace(b"\x00", b"\x01"), "control characters"),
        (b"Bakhmut report" + b"\x00" * 400 + b"more text", "binary content, not text (found 400 NUL bytes)"),
    ],
    ids=["empty", "png", "random-bytes", "nul-bytes"],
)
def test_decode_refuses(data: bytes, cause: str) -> None:
    with pytest.raises(InputError) as raised:
        decode_bytes(data, "bad.txt")
    assert str(raised.value) == f"bad.txt: {raised.value.cause}"
    assert cause in raised.value.cause


def test_decode_drops_a_few_stray_nul_bytes() -> None:
    assert decode_bytes(b"Shelling in Kupiansk.\x00\n\x00", "stray.txt") == "Shelling in Kupiansk.\n"


# --- text -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "encoding", "language"),
    [
        (ENGLISH_REPORT, "utf-8", "en"),
        (UKRAINIAN_REPORT, "utf-16", "uk"),
        (UKRAINIAN_REPORT, "cp1251", "uk"),
        (UKRAINIAN_REPORT, "koi8_u", "uk"),
        (RUSSIAN_REPORT, "cp1251", "ru"),
        ("Reporting from a café in Zürich on the Robotyne offensive.", "latin_1", "en"),
    ],
)
def test_text_reader_gives_one_document(tmp_path: Path, text: str, encoding: str, language: str) -> None:
    path = write(tmp_path, "report.txt", text.encode(encoding))
    [document] = read_input(path, Settings())
    assert document.text == text
    assert document.id == document_id(text)
    assert (document.source, document.language) == (path, language)
    assert (document.channel, document.outlet, document.title, document.published) == (None, None, None, None)


def test_text_reader_keeps_the_dateline_for_cleaning() -> None:
    [document] = read_text(ENGLISH_REPORT.encode(), "dateline.txt")
    assert document.text.startswith("KYIV, Aug 21 - Ukrainian troops")


def test_text_reader_refuses_whitespace_only() -> None:
    with pytest.raises(InputError, match="only whitespace"):
        list(read_text(b"  \n\n\t ", "blank.txt"))


# --- HTML -----------------------------------------------------------------------------------------------


def test_html_reader_extracts_article_and_metadata() -> None:
    [document] = read_html(ARTICLE_HTML.encode(), "klishchiivka.html")
    paragraphs = document.text.split("\n\n")
    assert paragraphs[0] == "Assaults near Klishchiivka continue"
    assert paragraphs[1].startswith("Ukrainian brigades kept up their attacks on the high ground around Klishchiivka")
    assert paragraphs[3] == (
        "Russian officials claimed the attacks had been repelled.\nNeither account could be verified."
    )
    assert len(paragraphs) == 4
    assert "Privacy" not in document.text and "Maps" not in document.text
    assert document.title == "Assaults near Klishchiivka continue"
    assert document.author == "Iryna Bondar"
    assert document.outlet == "Eastern Front Monitor"
    assert document.url == "https://monitor.example/2023/09/klishchiivka"
    assert document.published == dt.date(2023, 9, 17)
    assert (document.channel, document.language, document.id) == ("web", "en", document_id(document.text))


def test_html_reader_honours_declared_legacy_charset() -> None:
    page = (
        '<html><head><meta charset="windows-1251"><title>Зведення</title></head>'
        f"<body><p>{UKRAINIAN_LINE}</p></body></html>"
    )
    [document] = read_html(page.encode("cp1251"), "svodka.html")
    assert document.text == UKRAINIAN_LINE
    assert document.language == "uk"


def test_html_reader_refuses_a_page_without_text() -> None:
    page = b"<html><head><title>x</title></head><body><script>var a = 1;</script><img src='a.png'></body></html>"
    with pytest.raises(InputError, match="no readable text in the HTML page"):
        list(read_html(page, "empty.html"))


def test_html_nested_20000_levels_is_refused_cleanly() -> None:
    page = "<html><body>" + "<div>" * 20_000 + "Bakhmut" + "</div>" * 20_000 + "</body></html>"
    with pytest.raises(InputError) as raised:
        list(read_html(page.encode(), "deep.html"))
    assert raised.value.cause == f"HTML nested deeper than {MAX_HTML_DEPTH} levels"


# --- feeds ----------------------------------------------------------------------------------------------


def test_rss_feed_gives_a_document_per_entry() -> None:
    documents, errors = split_results(list(read_feed(RSS_FEED.encode(), "wire.xml")))
    assert [d.title for d in documents] == ["Drone strike on Kupiansk rail depot", "Fighting east of Robotyne"]
    first, second = documents
    assert first.text == "A drone hit the rail depot in Kupiansk before dawn.\n\nNo casualties were reported."
    assert (first.url, first.published, first.source) == (
        "https://wire.example/kupiansk-depot", dt.date(2023, 8, 22), "wire.xml#entry=1"
    )
    assert (first.outlet, first.channel, first.language) == ("Frontline Wire", "feed", "en")
    assert second.text == "Ukrainian units reported small gains east of Robotyne."
    assert second.published == dt.date(2023, 8, 23)
    assert [str(e) for e in errors] == ["wire.xml#entry=3: entry has no text (no content or summary)"]


def test_atom_feed_uses_content_and_published_before_updated() -> None:
    documents = list(read_feed(ATOM_FEED.encode(), "notes.atom"))
    assert len(documents) == 2
    first, second = documents
    assert first.text == "The command said Robotyne had been cleared.\n\nFighting moved south toward Novoprokopivka."
    assert (first.author, first.url, first.published) == (
        "Taras Melnyk", "https://notes.example/robotyne", dt.date(2023, 8, 28)
    )
    assert second.published == dt.date(2023, 8, 29)
    assert second.text == "Orikhiv was shelled again overnight, the regional governor said."
    assert {d.outlet for d in documents} == {"Zaporizhzhia Front Notes"}


@pytest.mark.parametrize(
    ("data", "cause"),
    [
        (BILLION_LAUGHS_FEED.encode(), "declares XML entities"),
        (BILLION_LAUGHS_FEED.encode("utf-16"), "declares XML entities"),
        (b"this is not a feed\n", "not a readable RSS or Atom feed"),
        (b"", "empty file"),
    ],
    ids=["billion-laughs", "billion-laughs-utf16", "not-a-feed", "empty"],
)
def test_feed_refusals(data: bytes, cause: str) -> None:
    with pytest.raises(InputError) as raised:
        list(read_feed(data, "bad.xml"))
    assert raised.value.source == "bad.xml" and cause in raised.value.cause
    assert "\n" not in str(raised.value)


# --- Telegram -------------------------------------------------------------------------------------------


def test_telegram_single_chat_export() -> None:
    skipped: Counter[str] = Counter()
    documents = list(read_telegram(json.dumps(telegram_chat()).encode(), "result.json", skipped))
    assert [d.source for d in documents] == ["result.json#message=102", "result.json#message=103"]
    first, second = documents
    assert first.text == "Heavy fighting continues on the southern flank of Bakhmut near Klishchiivka."
    assert first.published == dt.date(2023, 7, 9)  # from date_unixtime (UTC), not the local date
    assert second.text == "Update: Kupiansk was shelled again, details here."
    assert second.published == dt.date(2023, 7, 11)
    assert (first.outlet, first.author, first.channel, first.url) == (
        "Donbas Frontline", "Donbas Frontline", "telegram", None
    )
    assert skipped == Counter({SKIPPED_SERVICE: 1, SKIPPED_EMPTY: 1})


def test_telegram_link_only_when_username_is_known() -> None:
    export = telegram_chat(username="donbas_frontline")
    documents = list(read_telegram(json.dumps(export).encode(), "result.json"))
    assert [d.url for d in documents] == ["https://t.me/donbas_frontline/102", "https://t.me/donbas_frontline/103"]


def test_telegram_account_export_with_left_chats() -> None:
    left = {"name": "Kharkiv Watch", "type": "public_channel", "id": 99,
            "messages": [{"id": 5, "type": "message", "date": "2023-08-01T10:00:00", "text": "Kupiansk under fire."}]}
    export = {
        "about": "Here is the data you requested.",
        "personal_information": {"first_name": "Analyst"},
        "chats": {"about": "chats", "list": [telegram_chat()]},
        "left_chats": {"about": "left", "list": [left]},
    }
    documents = list(read_telegram(json.dumps(export).encode(), "export/result.json"))
    assert [d.source for d in documents] == [
        "export/result.json#chat=1722334455&message=102",
        "export/result.json#chat=1722334455&message=103",
        "export/result.json#chat=99&message=5",
    ]
    assert documents[2].outlet == documents[2].author == "Kharkiv Watch"
    assert documents[2].published == dt.date(2023, 8, 1)


def test_telegram_malformed_messages_are_item_errors() -> None:
    export = telegram_chat()
    export["messages"] += [
        {"id": 105, "type": "message", "date": "2023-07-12T09:00:00", "text": 42},
        "not a message",
        {"id": 107, "type": "message", "date": "yesterday", "text": "Robotyne"},
        {"id": 108, "type": "message", "date": "2023-07-12T10:00:00", "text": ["ok ", {"type": "bold"}]},
    ]
    documents, errors = split_results(list(read_telegram(json.dumps(export).encode(), "result.json")))
    assert len(documents) == 2
    assert [str(e) for e in errors] == [
        'result.json#message=105: "text" is a number, not a string or a list',
        "result.json#message=6: message is a string, not an object",
        "result.json#message=107: unreadable date 'yesterday'",
        'result.json#message=108: "text" item 2 is an object without string text',
    ]


@pytest.mark.parametrize(
    ("content", "cause"),
    [
        (
            json.dumps(telegram_chat(), indent=1)[:40],
            "truncated or invalid JSON at line 3 column",
        ),
        ("[1, 2, 3]", "not a Telegram export: the JSON is a list, not an object"),
        ('{"name": "x"}', 'not a Telegram export: no "messages" or "chats" key'),
        ('{"chats": {"list": 5}}', 'not a Telegram export: "chats" holds a number, not a list'),
        ('{"messages": ' + "[" * 100_000 + "]" * 100_000 + "}", "JSON nested too deeply to read"),
    ],
    ids=["truncated", "list", "no-messages", "chats-not-list", "nested-too-deep"],
)
def test_telegram_unreadable_exports(content: str, cause: str) -> None:
    with pytest.raises(InputError) as raised:
        list(read_telegram(content.encode(), "result.json"))
    assert raised.value.source == "result.json"
    assert raised.value.cause.startswith(cause)


def test_telegram_export_cut_off_keeps_the_complete_messages() -> None:
    whole = json.dumps(telegram_chat(), indent=1)
    cut = whole[: whole.index("Update: ") + 3]  # inside message 103: 101 (a service message) and 102 are whole
    *documents, error = read_telegram(cut.encode(), "result.json")
    assert [document.source for document in documents] == ["result.json#message=102"]
    assert documents[0].outlet == "Donbas Frontline"
    assert "Klishchiivka" in documents[0].text
    assert isinstance(error, ItemError) and error.source == "result.json"
    assert "truncated or invalid JSON" in error.message and "read the 2 complete messages" in error.message


def test_telegram_export_broken_before_its_messages_is_refused_whole() -> None:
    with pytest.raises(InputError, match="truncated or invalid JSON"):
        list(read_telegram(b'{"name": "Donbas Frontline", "type": "public_ch', "result.json"))
    with pytest.raises(InputError, match="truncated or invalid JSON"):  # an account export: not salvaged
        list(read_telegram(b'{"chats": {"list": [{"name": "x", "messages": [{"id": 1, "text": "Kupi', "result.json"))


def test_telegram_messages_not_a_list_is_an_item_error() -> None:
    [error] = read_telegram(b'{"name": "x", "messages": {"id": 1}}', "result.json")
    assert str(error) == 'result.json: "messages" is an object, not a list'


def test_telegram_account_export_with_a_broken_chat_keeps_the_others() -> None:
    export = {"chats": {"list": ["not a chat", telegram_chat()]}}
    documents, errors = split_results(list(read_telegram(json.dumps(export).encode(), "result.json")))
    assert [str(e) for e in errors] == ["result.json#chat=1: chat is a string, not an object"]
    assert len(documents) == 2


# --- JSON Lines -----------------------------------------------------------------------------------------


def jsonl(*records: object) -> bytes:
    return "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records).encode()


def test_jsonl_reader_reads_fields_and_dates() -> None:
    data = jsonl(
        {"id": "ua-001", "text": "Shelling of Kupiansk overnight.", "published": "2023-07-09",
         "title": "Kupiansk", "url": "https://x.example/1", "outlet": "Wire", "channel": "web",
         "author": "Desk", "shares": 12},
        "",
        {"text": "Assault near Klishchiivka repelled.", "published": "2023-07-10T23:00:00Z"},
        {"id": 7, "text": UKRAINIAN_REPORT, "language": "xx"},
    )
    first, second, third = read_jsonl(data, "batch.jsonl")
    assert (first.source, first.published, first.title, first.outlet, first.channel, first.author) == (
        "batch.jsonl#id=ua-001", dt.date(2023, 7, 9), "Kupiansk", "Wire", "web", "Desk"
    )
    assert first.id == document_id("Shelling of Kupiansk overnight.")
    assert (second.source, second.published, second.language) == ("batch.jsonl:3", dt.date(2023, 7, 10), "en")
    assert (third.source, third.language) == ("batch.jsonl#id=7", "xx")


def test_jsonl_broken_line_keeps_the_others(tmp_path: Path) -> None:
    path = write(tmp_path, "reports.jsonl", jsonl(
        {"text": "Robotyne: fighting continues."},
        '{"text": "Bakhmut: this line was cut off',
        {"text": "Kupiansk: shelling."},
        {"text": "Klishchiivka: assault repelled."},
    ))
    documents, errors = split_results(list(read_input(path, Settings())))
    assert len(documents) == 3
    [error] = errors
    assert error.source == f"{path}:2" and error.message.startswith("invalid JSON: ")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ({"title": "no text"}, 'no "text"'),
        ({"text": 5}, '"text" is not a non-empty string'),
        ({"text": "   "}, '"text" is not a non-empty string'),
        ({"text": "ok", "published": "last Tuesday"}, "\"published\" 'last Tuesday' is not a date"),
        ({"text": "ok", "title": ["a"]}, '"title" is not a string'),
        ([1, 2], "not a JSON object"),
        ("[" * 50_000 + "]" * 50_000, "invalid JSON: nested too deeply to read"),
    ],
)
def test_jsonl_item_errors(line: object, message: str) -> None:
    data = jsonl({"text": "Kupiansk: shelling."}, line)
    documents, errors = split_results(list(read_jsonl(data, "in.jsonl")))
    assert len(documents) == 1
    assert [e.source for e in errors] == ["in.jsonl:2"]
    assert errors[0].message.startswith(message)


# --- detection ------------------------------------------------------------------------------------------

TELEGRAM_PRETTY = json.dumps(telegram_chat(), indent=1)
JSONL_TWO = '{"text": "a"}\n{"text": "b"}\n'


@pytest.mark.parametrize(
    ("path", "content", "expected"),
    [
        ("page.html", "just text, but the extension decides", "html"),
        ("page.htm", ARTICLE_HTML, "html"),
        ("wire.xml", RSS_FEED, "feed"),
        ("notes.atom", ATOM_FEED, "feed"),
        ("list.rss", RSS_FEED, "feed"),
        ("data.xml", "<?xml version='1.0'?><catalog><item/></catalog>", "text"),
        ("reports.jsonl", "whatever", "jsonl"),
        ("reports.ndjson", JSONL_TWO, "jsonl"),
        ("result.json", TELEGRAM_PRETTY, "telegram"),
        ("result.json", json.dumps(telegram_chat()), "telegram"),
        ("account.json", json.dumps({"chats": {"list": []}}), "telegram"),
        ("reports.json", JSONL_TWO, "jsonl"),
        ("report.txt", ENGLISH_REPORT, "text"),
        ("notes.md", "# Robotyne\n\nNotes.", "text"),
        (None, ARTICLE_HTML, "html"),
        (None, "<html><body><p>x</p></body></html>", "html"),
        (None, RSS_FEED, "feed"),
        (None, ATOM_FEED, "feed"),
        (None, TELEGRAM_PRETTY, "telegram"),
        (None, JSONL_TWO, "jsonl"),
        ("download", "\ufeff" + JSONL_TWO, "jsonl"),
        ("saved.txt", ARTICLE_HTML, "html"),
        (None, UKRAINIAN_REPORT, "text"),
    ],
)
def test_detect_format(path: str | None, content: str, expected: str) -> None:
    assert detect_format(content.encode("utf-8"), path) == expected


def test_detect_format_utf16_feed() -> None:
    assert detect_format(RSS_FEED.encode("utf-16"), None) == "feed"


# --- read_input: errors, limits, stdin ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "cause"),
    [
        ("empty.txt", b"", "empty file"),
        ("photo.txt", png_bytes(), "binary content, not text (a PNG image)"),
        ("nuls.txt", b"Kupiansk" + b"\x00" * 64 + b"report", "binary content, not text (found 64 NUL bytes)"),
        ("result.json", json.dumps(telegram_chat(), indent=1)[:60].encode(), "truncated or invalid JSON at line"),
        ("deep.html", ("<div>" * 20_000).encode(), f"HTML nested deeper than {MAX_HTML_DEPTH} levels"),
        ("bomb.xml", BILLION_LAUGHS_FEED.encode(), "declares XML entities"),
    ],
)
def test_bad_inputs_give_one_clear_error(tmp_path: Path, name: str, content: bytes, cause: str) -> None:
    path = write(tmp_path, name, content)
    with pytest.raises(InputError) as raised:
        list(read_input(path, Settings()))
    message = str(raised.value)
    assert message.startswith(f"{path}: ") and cause in message and "\n" not in message


def test_a_60_mb_text_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as file:
        file.write(b"Bakhmut report\n")
        file.truncate(60 * 1024 * 1024)  # sparse: instant, no 60 MB written
    with pytest.raises(InputError) as raised:
        read_input(str(path), Settings())
    assert raised.value.cause == (
        "file is 60.0 MB, over the 20.0 MB limit for text input; raise SITREP_MAX_FILE_MB to ingest it"
    )


def test_containers_have_their_own_size_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "many.jsonl", jsonl(*({"text": f"Report {n} from Kupiansk."} for n in range(200))))
    settings = Settings(max_file_bytes=100, max_container_bytes=1_000_000)
    assert len(list(read_input(path, settings))) == 200
    with pytest.raises(InputError, match="raise SITREP_MAX_CONTAINER_MB"):
        read_input(path, Settings(max_container_bytes=100))


def test_over_long_document_is_an_item_error(tmp_path: Path) -> None:
    path = write(tmp_path, "two.jsonl", jsonl({"text": "Short report."}, {"text": "Robotyne " * 50}))
    documents, errors = split_results(list(read_input(path, Settings(max_document_chars=100))))
    assert [d.text for d in documents] == ["Short report."]
    assert [str(e) for e in errors] == [f"{path}:2: text is 450 characters, over the 100 limit"]


def test_a_directory_given_to_read_input_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as raised:
        read_input(str(tmp_path), Settings())
    assert str(raised.value) == f"{tmp_path}: is a directory"


def test_unknown_format_lists_the_valid_ones(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", "text")
    with pytest.raises(InputError) as raised:
        read_input(path, Settings(), input_format="pdf")
    assert raised.value.cause == "unknown input format 'pdf'; use one of: feed, html, jsonl, telegram, text"


def test_forced_format_overrides_detection(tmp_path: Path) -> None:
    path = write(tmp_path, "page.html", ENGLISH_REPORT)
    [document] = read_input(path, Settings(), input_format="text")
    assert document.text == ENGLISH_REPORT


def test_stdin(tmp_path: Path) -> None:
    stdin = io.BytesIO(jsonl({"text": "Kupiansk: shelling."}, {"text": "Robotyne: gains."}))
    documents = list(read_input("-", Settings(), stdin=stdin))
    assert [d.source for d in documents] == ["<stdin>:1", "<stdin>:2"]


def test_stdin_size_limit() -> None:
    stdin = io.BytesIO(b"Bakhmut " * 100)
    with pytest.raises(InputError) as raised:
        read_input("-", Settings(max_file_bytes=10, max_container_bytes=20), stdin=stdin)
    assert raised.value.source == "<stdin>" and "SITREP_MAX_FILE_MB" in raised.value.cause


def test_readers_table_covers_every_format() -> None:
    assert sorted(READERS) == ["feed", "html", "jsonl", "telegram", "text"]


# --- iter_inputs ----------------------------------------------------------------------------------------


def test_iter_inputs_walks_directories_sorted_without_hidden(tmp_path: Path) -> None:
    for name in ["b/2.txt", "b/1.html", "a.jsonl", ".git/config", "c/.hidden.txt", "c/d/e.txt"]:
        write(tmp_path, name, "Robotyne")
    single = write(tmp_path / "elsewhere", "z.txt", "Bakhmut")
    found = list(iter_inputs([str(tmp_path / "b"), str(tmp_path), "-", single]))
    relative = [Path(p).relative_to(tmp_path).as_posix() if p != "-" else p for p in found]
    assert relative == [
        "b/1.html", "b/2.txt",
        "a.jsonl", "b/1.html", "b/2.txt", "c/d/e.txt", "elsewhere/z.txt",
        "-", "elsewhere/z.txt",
    ]


def test_iter_inputs_missing_path(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.txt")
    with pytest.raises(InputError) as raised:
        list(iter_inputs([missing]))
    assert str(raised.value) == f"{missing}: no such file or directory"


# --- language -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (ENGLISH_REPORT, "en"),
        (UKRAINIAN_REPORT, "uk"),
        (RUSSIAN_REPORT, "ru"),
        ("Бахмут", None),
        ("Обстрел Купянска продолжается, сообщили в штабе; подробности уточняются позже.", "ru"),
        ("", None),
        ("12:00 — 3 / 4", None),
        ("Сили оборони біля Бахмута; see also Klishchiivka", "uk"),
    ],
)
def test_guess_language(text: str, expected: str | None) -> None:
    assert guess_language(text) == expected


def test_html_figure_captions_reach_the_text_as_captions(tmp_path):
    """trafilatura drops <figcaption>; the reader appends it so cleaning can keep it as a caption."""
    from sitrep.extract.clean import clean

    page = (
        "<html><head><title>Shelling in Nikopol</title></head><body><article>"
        "<h1>Shelling in Nikopol</h1>"
        "<figure><img src='a.jpg'><figcaption>Rescuers clear rubble in Nikopol on Monday - Olena Hrytsenko/AP"
        "</figcaption></figure>"
        + "".join(f"<p>Russian artillery fired across the Dnipro at Nikopol again, paragraph {n} of the report, "
                  "the regional governor said on Monday morning.</p>" for n in range(6))
        + "</article></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    [document] = list(read_input(str(path), Settings()))
    cleaned = clean(document)
    assert [(c.text, c.credit) for c in cleaned.captions] == [
        ("Rescuers clear rubble in Nikopol on Monday", "Olena Hrytsenko/AP")]
