"""Write the hostile-input corpus: inputs that are empty, binary, wrongly encoded, truncated, oddly typed,
huge, deeply nested or booby-trapped, with good reports mixed in.

    python tests/hostile/make_corpus.py OUTDIR

writes ``OUTDIR/ingest/`` (the folder that ``sitrep ingest`` reads whole) and ``OUTDIR/imports/`` (GeoNames
dumps with coordinates out of range, for ``sitrep gazetteer add``). Nothing of it is kept in git: the tests
generate it into a temporary folder (tests/test_hostile.py).

Each entry of ``CORPUS`` declares what ingesting it must give: the good documents it holds (their text, so
that the test computes their ids itself), the errors (for the file as a whole or for one item in it, with a
word the message must contain) and the warnings. The reports are written for this corpus; the places are real.
"""

from __future__ import annotations

import codecs
import json
import os
import random
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

INGEST_DIR = "ingest"
IMPORTS_DIR = "imports"
# The size of the huge text file: three times the 20 MB default of SITREP_MAX_FILE_MB.
HUGE_FILE_BYTES = 60 * 1024 * 1024
# The length of the one long sentence: long for a sentence, well under the 1,000,000-character document limit.
LONG_SENTENCE_CHARS = 100_000
# Levels of nesting in the deep HTML page and feed entry; libxml2 stops at 256.
DEEP_NESTING = 20_000
SEED = 8  # issue #8


@dataclass(frozen=True)
class Good:
    """A good document the file holds. ``exact``: the reader's text is ``text`` itself, so the stored id is
    ``document_id(text)``; otherwise (HTML pages) each paragraph of ``text`` must be in the stored text."""

    text: str
    exact: bool = True


@dataclass(frozen=True)
class Expected:
    """An error or warning: ``item`` is what follows the file name in its locator ("" for the file as a
    whole, ":3" for line 3, "#message=7" for a Telegram message), ``word`` must be in its message."""

    item: str
    word: str


@dataclass(frozen=True)
class Entry:
    name: str
    data: bytes
    about: str
    good: tuple[Good, ...] = ()
    errors: tuple[Expected, ...] = ()
    warnings: tuple[Expected, ...] = ()
    repeat: int = 1  # the file is ``data`` this many times over (the huge file, without holding it in memory)
    link_to: str | None = None  # a symbolic link to this path instead of a file
    fifo: bool = False  # a named pipe instead of a file


FILE = ""  # Expected.item for an error about the whole file


# --- good reports, written for this corpus ---------------------------------------------------------------------

KHERSON = ("Russian artillery shelled the Dniprovskyi district of Kherson on Tuesday morning, the regional "
           "administration said. Two houses and a power line were damaged, and one woman was taken to hospital "
           "with shrapnel wounds.\n")
ODESA_NUL = ("Ukrainian air defence shot down eleven drones over the Odesa region overnight, the Southern Defence "
             "Forces said. Debris fell on a warehouse near the port but caused no injuries.\n")
KUPIANSK_RU = ("Российская артиллерия ночью обстреляла окраины Купянска, сообщил глава районной администрации. "
               "Пострадавших нет, повреждены два жилых дома и линия электропередачи.\n")
NIKOPOL_UK = ("Російські війська вночі обстріляли Нікополь з важкої артилерії, повідомив голова обласної військової "
              "адміністрації. Пошкоджено газогін і чотири приватні будинки, люди не постраждали. Ґанок місцевої "
              "школи зруйновано, її подвір'я засипане уламками.\n")
AVDIIVKA_UK = ("Сили оборони відбили дві атаки поблизу Авдіївки, повідомив Генеральний штаб. Бої тривають на "
               "підступах до міста, ворог зазнав втрат.\n")
ROBOTYNE_RU = ("Министерство обороны России заявило, что его подразделения отразили атаку у Работино. Украинская "
               "сторона эти сведения не подтвердила и сообщила о продвижении южнее села.\n")
SUMY_UK = ("Ворожий дрон атакував енергетичний об'єкт у Сумах, повідомила міська рада. Частина міста тимчасово "
           "залишилася без світла, аварійні бригади працюють на місці.\n")
# Zero-width space, right-to-left override and its pop, word joiner, zero-width joiner and a left-to-right
# mark inside a good report: they must neither break it nor make a copy of it count as another document.
KHARKIV_INVISIBLE = ("The governor of Kharkiv said Russian\u200b missiles hit an industrial site in the city"
                     "\u202e overnight\u202c. Rescue\u2060 crews put out the fire by dawn, and nobody\u200d was "
                     "hurt\u200e.\n")
KUPIANSK_UK = ("Окупанти обстріляли Куп'янськ із реактивних систем залпового вогню, повідомила поліція "
               "Харківщини. Поранено двох чоловіків, пошкоджено магазин і автобусну зупинку.\n")
SUMY_BORDER = ("date 2023-02-31\nUkrainian border guards said Russian helicopters fired rockets at villages in "
               "the Sumy region near the border. The brigade's own statement was dated 31 February, a date that "
               "does not exist. Local officials reported no casualties.\n")
MARKUP_NAME = ("Police in Pokrovsk said a Russian guided bomb hit the outskirts of the town before noon. "
               "Windows were blown out in a dozen flats.\n")


@lru_cache(maxsize=1)
def long_sentence() -> str:
    """One sentence of at least LONG_SENTENCE_CHARS characters: clauses joined by commas, one full stop."""
    rng = random.Random(SEED)
    places = ["Bakhmut", "Chasiv Yar", "Klishchiivka", "Andriivka", "Kurdiumivka", "Toretsk", "Marinka",
              "Vuhledar", "Orikhiv", "Huliaipole", "Kupiansk", "Lyman", "Siversk", "Kreminna"]
    verbs = ["shelled", "attacked", "struck with drones", "fired rockets at", "tried to storm", "mined roads near"]
    clauses = ["The General Staff said that Russian forces"]
    length = len(clauses[0])
    while length < LONG_SENTENCE_CHARS:
        clauses.append(f"{rng.choice(verbs)} positions near {rng.choice(places)}")
        length += len(clauses[-1]) + 2
    return ", ".join(clauses) + "."


# --- plain text and encodings ------------------------------------------------------------------------------------

def text_entries() -> list[Entry]:
    rng = random.Random(SEED)
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(2000)
    nul_text = KHERSON.encode("utf-8")
    many_nuls = b"".join(nul_text[i:i + 10] + b"\x00" for i in range(0, len(nul_text), 10))
    odesa = ODESA_NUL.encode("utf-8")
    few_nuls = odesa[:20] + b"\x00" + odesa[20:60] + b"\x00\x00" + odesa[60:]
    huge_line = ("Russian forces shelled Kherson again and the city administration counted the damage. " * 8
                 + "\n").encode("utf-8")
    return [
        Entry("good_kherson.txt", KHERSON.encode("utf-8"), "a good UTF-8 report", good=(Good(KHERSON),)),
        Entry("звіт_куп'янськ.txt", KUPIANSK_UK.encode("utf-8"), "a good report with a Cyrillic file name",
              good=(Good(KUPIANSK_UK),)),
        Entry("[bold red]pokrovsk.txt", MARKUP_NAME.encode("utf-8"),
              "a good report whose file name looks like console markup", good=(Good(MARKUP_NAME),)),
        Entry("empty.txt", b"", "an empty file", errors=(Expected(FILE, "empty"),)),
        Entry("[red]empty.txt", b"", "an empty file whose name looks like console markup",
              errors=(Expected(FILE, "empty"),)),
        Entry("whitespace.txt", b" \n\t\r\n  \n", "only whitespace", errors=(Expected(FILE, "whitespace"),)),
        Entry("image.png", png, "a PNG image", errors=(Expected(FILE, "PNG"),)),
        Entry("photo_saved_as_report.txt", png, "a PNG image under a .txt name", errors=(Expected(FILE, "PNG"),)),
        Entry("random.bin", rng.randbytes(4096), "random bytes", errors=(Expected(FILE, "binary"),)),
        Entry("nul_few.txt", few_nuls, "a good report with three stray NUL bytes", good=(Good(ODESA_NUL),)),
        Entry("nul_many.txt", many_nuls, "text with a NUL byte every ten bytes", errors=(Expected(FILE, "NUL"),)),
        Entry("kupiansk_cp1251.txt", KUPIANSK_RU.encode("cp1251"), "Russian in cp1251", good=(Good(KUPIANSK_RU),)),
        Entry("nikopol_koi8u.txt", NIKOPOL_UK.encode("koi8_u"), "Ukrainian in KOI8-U (with ґ, ї, є, і)",
              good=(Good(NIKOPOL_UK),)),
        Entry("avdiivka_utf16le_bom.txt", codecs.BOM_UTF16_LE + AVDIIVKA_UK.encode("utf-16-le"),
              "Ukrainian in UTF-16 LE with a byte-order mark", good=(Good(AVDIIVKA_UK),)),
        Entry("robotyne_utf16be_bom.txt", codecs.BOM_UTF16_BE + ROBOTYNE_RU.encode("utf-16-be"),
              "Russian in UTF-16 BE with a byte-order mark", good=(Good(ROBOTYNE_RU),)),
        Entry("sumy_utf16le_nobom.txt", SUMY_UK.encode("utf-16-le"), "Ukrainian in UTF-16 LE without a mark",
              good=(Good(SUMY_UK),)),
        Entry("kharkiv_invisible.txt", KHARKIV_INVISIBLE.encode("utf-8"),
              "zero-width and bidirectional control characters inside a good report",
              good=(Good(KHARKIV_INVISIBLE),)),
        Entry("long_sentence.txt", long_sentence().encode("utf-8"), "one sentence of 100,000 characters",
              good=(Good(long_sentence()),)),
        Entry("sumy_31_february.txt", SUMY_BORDER.encode("utf-8"),
              "a dateline of 31 February, and 31 February in the text: kept, the date dropped with a warning",
              good=(Good(SUMY_BORDER),), warnings=(Expected(FILE, "2023-02-31"),)),
        Entry("named_pipe.txt", b"", "a named pipe, which nobody writes to: opening it must not wait forever",
              errors=(Expected(FILE, "regular file"),), fifo=True),
        Entry("endless.txt", b"", "a link to /dev/zero, which never ends: refused, never read",
              errors=(Expected(FILE, "/dev/zero"),), link_to="/dev/zero"),
        Entry("dangling_link.txt", b"", "a link to nothing", errors=(Expected(FILE, "no such file"),),
              link_to="no-such-report.txt"),
        Entry("huge_60mb.txt", huge_line, "a 60 MB text file, over the 20 MB limit",
              errors=(Expected(FILE, "limit"),), repeat=HUGE_FILE_BYTES // len(huge_line) + 1),
    ]


# --- Telegram exports --------------------------------------------------------------------------------------------

ORIKHIV = "Shelling of Orikhiv went on through the night; the city council reported damage to a school."
ENTITY_PIECES = ["Drones struck ", {"type": "bold", "text": "Zaporizhzhia"},
                 {"type": "custom_emoji", "text": " at dawn", "document_id": "x"},
                 {"type": "not_a_known_type", "text": ", the regional governor wrote."}]
ENTITY_TEXT = "Drones struck Zaporizhzhia at dawn, the regional governor wrote."
DNIPRO = "Air raid sirens sounded across the Dnipropetrovsk region after a missile launch was reported."
HULIAIPOLE = "Russian troops shelled Huliaipole with mortars, the local military administration said."
ROBOTYNE_TG = ("Russian forces attacked Ukrainian positions near Robotyne and were pushed back, a brigade "
               "spokesman said.")
KINBURN_TG = "The Ukrainian navy said it struck a Russian patrol boat near the Kinburn Spit."
VUHLEDAR_TG = "Fighting continued west of Vuhledar, where both sides used artillery and drones."
SIVERSK_TG = "A Ukrainian unit near Siversk said it had held its positions after two assaults."


def _channel(messages: object) -> dict[str, object]:
    return {"name": "Front notes", "type": "public_channel", "id": 1700000001, "messages": messages}


def _message(message_id: object, text: object, **fields: object) -> dict[str, object]:
    return {"id": message_id, "type": "message", "date": "2023-08-14T07:30:00", "date_unixtime": "1691998200",
            "from": "Front notes", "text": text, **fields}


def telegram_entries() -> list[Entry]:
    odd_types = _channel([
        _message(1, ORIKHIV),
        _message(2, 1234),  # text as a number
        _message(3, ENTITY_PIECES),  # entity types nobody has heard of: their text is kept
        _message(4, ["Kramatorsk ", {"type": "link", "text": 5}]),  # an entity whose text is a number
        "a string where a message should be",
        _message("m-2041", DNIPRO, date=None, date_unixtime=None),  # id as a string, a null date
        {**_message(7, "ignored"), "type": 42},  # a type that is not a string
        _message("8", HULIAIPOLE, **{"from": 99}),  # id as a string of digits, "from" as a number
        {"id": 9, "type": "service", "action": "pin_message"},  # a service message: skipped, not an error
    ])
    full = json.dumps(odd_types, ensure_ascii=False, indent=1).encode("utf-8")
    reports = [f"Report {n} from the outskirts of Bakhmut, as the channel put it." for n in range(1, 6)]
    whole = json.dumps(_channel([_message(n, text) for n, text in enumerate(reports, start=1)]),
                       indent=1).encode("utf-8")
    truncated = whole[: whole.index(b"Report 4 from") + 10]  # cut inside message 4: messages 1-3 are whole
    account = {"about": "export", "chats": {"about": "chats", "list": [
        {**_channel([_message(1, VUHLEDAR_TG)]), "id": 501},
        {"name": "Broken chat", "type": "private_supergroup", "id": 502, "messages": "oops"},
        42,
    ]}}
    dates = _channel([
        _message(1, ROBOTYNE_TG, date="2023-02-31T09:15:00", date_unixtime=None),
        _message(2, KINBURN_TG, date_unixtime="99999999999999"),
        _message(3, SIVERSK_TG),
    ])
    return [
        Entry("channel_odd_types.json", full, "a Telegram export with unexpected types",
              good=(Good(ORIKHIV), Good(ENTITY_TEXT), Good(DNIPRO), Good(HULIAIPOLE)),
              errors=(Expected("#message=2", "number"), Expected("#message=4", "item 2"),
                      Expected("#message=5", "string"), Expected("#message=7", "type"))),
        Entry("channel_truncated.json", truncated,
              "a Telegram export cut off in the middle: the complete messages before the cut are kept",
              good=tuple(Good(text) for text in reports[:3]), errors=(Expected(FILE, "truncated"),)),
        Entry("channel_messages_not_a_list.json", json.dumps(_channel({"1": ORIKHIV})).encode(),
              '"messages" is an object', errors=(Expected(FILE, "not a list"),)),
        Entry("account_export.json", json.dumps(account).encode("utf-8"),
              "a whole-account export: a good chat, a chat whose messages are a string, a chat that is a number",
              good=(Good(VUHLEDAR_TG),),
              errors=(Expected("#chat=502", "not a list"), Expected("#chat=3", "not an object"))),
        Entry("channel_impossible_dates.json", json.dumps(dates).encode("utf-8"),
              "messages dated 31 February and past the year 9999: kept, the date dropped with a warning",
              good=(Good(ROBOTYNE_TG), Good(KINBURN_TG), Good(SIVERSK_TG)),
              warnings=(Expected("#message=1", "2023-02-31"), Expected("#message=2", "99999999999999"))),
    ]


# --- JSON Lines --------------------------------------------------------------------------------------------------

KRAMATORSK_J = "Police in Kramatorsk said a Russian rocket hit a parking lot near the railway station, damaging cars."
MYKOLAIV_J = "The mayor of Mykolaiv said a night drone attack damaged a grain terminal and a residential tower."
ZAPORIZHZHIA_J = ("Emergency workers in Zaporizhzhia cleared rubble from a hotel struck by a missile, the State "
                  "Emergency Service said.")
MELITOPOL_J = "Russian-installed officials in occupied Melitopol reported explosions near the airfield."
POKROVSK_J = "A missile hit the centre of Pokrovsk in the evening, the regional governor said."
KOSTIANTYNIVKA_J = "Shelling damaged the market in Kostiantynivka, according to the city administration."
LYMAN_J = "Ukrainian forces said they repelled an attack north of Lyman."
KHERSON_NUL_ESCAPED = "Russian drones attacked the Kherson\u0000 region overnight, the regional administration said."
# A document over the 1,000,000-character limit, made of a short report said again and again.
OVERSIZED = "Russian drones attacked Kyiv overnight, the city administration said. " * 15_000


def _lines(*records: object) -> bytes:
    return "".join((record if isinstance(record, str) else json.dumps(record, ensure_ascii=False)) + "\n"
                   for record in records).encode("utf-8")


def jsonl_entries() -> list[Entry]:
    broken = '{"text": "Ukrainian troops advanced south of Bakhmut", "published": 2023-08-1'
    return [
        Entry("broken_middle.jsonl", _lines(
            {"id": "j-1", "text": KRAMATORSK_J, "published": "2023-08-10"},
            {"text": MYKOLAIV_J, "published": "2023-08-11T06:00:00Z"},
            broken,
            {"text": ZAPORIZHZHIA_J},
            {"id": 4, "text": MELITOPOL_J, "outlet": "Local channel"},
        ), "JSON Lines with a broken line in the middle",
            good=(Good(KRAMATORSK_J), Good(MYKOLAIV_J), Good(ZAPORIZHZHIA_J), Good(MELITOPOL_J)),
            errors=(Expected(":3", "invalid JSON"),)),
        Entry("impossible_dates.jsonl", _lines(
            {"text": POKROVSK_J, "published": "2023-02-31"},
            {"text": KOSTIANTYNIVKA_J, "published": "2023-02-29T12:00:00Z"},
        ), "published 31 February and 29 February 2023: kept, the date dropped with a warning",
            good=(Good(POKROVSK_J), Good(KOSTIANTYNIVKA_J)),
            warnings=(Expected(":1", "2023-02-31"), Expected(":2", "2023-02-29"))),
        Entry("odd_lines.jsonl", _lines(
            {"text": LYMAN_J},
            {"text": 5},
            [1, 2],
            "[" * 50_000 + "]" * 50_000,
            {"text": OVERSIZED},
            {"text": "Shelling of Sloviansk.", "published": "yesterday"},
        ), "lines that are JSON but no report: a number for text, a list, deep nesting, 1 MB of text, no date",
            good=(Good(LYMAN_J),),
            errors=(Expected(":2", "text"), Expected(":3", "object"), Expected(":4", "nested"),
                    Expected(":5", "limit"), Expected(":6", "published"))),
        Entry("nul_escapes.jsonl",
              _lines({"text": KHERSON_NUL_ESCAPED, "title": "Kherson\u0000", "outlet": "Wire\u0000"}),
              "NUL characters escaped in JSON strings (PostgreSQL's text type cannot hold them)",
              good=(Good(KHERSON_NUL_ESCAPED),)),
        Entry("random.jsonl", random.Random(SEED + 1).randbytes(4096), "random bytes under a .jsonl name",
              errors=(Expected(FILE, "binary"),)),
        Entry("empty.jsonl", b"", "an empty JSON Lines file", errors=(Expected(FILE, "empty"),)),
    ]


# --- HTML and feeds ----------------------------------------------------------------------------------------------

BERDIANSK_F = "Explosions were heard in Berdiansk overnight, residents wrote on social media."
MARINKA_F = "Ukrainian forces reported repelling an assault near Marinka, according to the Tavria group."
TOKMAK_F = "Russian officials said a Ukrainian drone hit a fuel depot in Tokmak."
HTML_PARAGRAPHS = (
    "Russian forces launched a large drone attack on the Lviv region overnight, the regional governor said.",
    "Air defence units shot down most of the drones, but one hit a warehouse in an industrial area on the "
    "edge of the city, starting a fire that burned until morning.",
    "Firefighters said the blaze was put out by eight o'clock and that no one was injured in the attack.",
)
HTML_PARAGRAPHS_RU = (
    "Российские войска обстреляли Херсон из реактивных систем залпового огня, сообщила областная администрация.",
    "Снаряды попали в жилой квартал и здание почты в центре города, ранены трое мирных жителей.",
    "Городские службы начали восстанавливать электроснабжение уже к вечеру того же дня.",
)
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>Laughs</title>
<item><title>lol</title><description>&lol9;</description></item>
</channel></rss>
"""


def _page(paragraphs: tuple[str, ...], title: str, charset: str = "utf-8") -> str:
    body = "\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return (f'<!DOCTYPE html>\n<html><head><meta charset="{charset}"><title>{title}</title></head>\n'
            f"<body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>\n"
            f"<article><h1>{title}</h1>\n{body}\n</article>\n<footer>All rights reserved.</footer></body></html>\n")


def _feed(items: list[str]) -> bytes:
    return ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Regional wire</title>'
            "<link>https://example.org/</link><description>Short reports</description>\n"
            + "\n".join(f"<item>{item}</item>" for item in items) + "\n</channel></rss>\n").encode("utf-8")


def html_and_feed_entries() -> list[Entry]:
    deep = "<div>" * DEEP_NESTING + "Shelling in Kharkiv." + "</div>" * DEEP_NESTING
    return [
        Entry("lviv_drones.html", _page(HTML_PARAGRAPHS, "Drone attack on Lviv").encode("utf-8"), "a good page",
              good=(Good("\n\n".join(HTML_PARAGRAPHS), exact=False),)),
        Entry("kherson_cp1251.html", _page(HTML_PARAGRAPHS_RU, "Обстрел Херсона", "windows-1251").encode("cp1251"),
              "a good page in cp1251, declared in <meta charset>",
              good=(Good("\n\n".join(HTML_PARAGRAPHS_RU), exact=False),)),
        Entry("deep_nesting.html", f"<!DOCTYPE html><html><body>{deep}</body></html>".encode(),
              f"HTML nested {DEEP_NESTING:,} levels deep", errors=(Expected(FILE, "nested"),)),
        Entry("empty.html", b"", "an empty page", errors=(Expected(FILE, "empty"),)),
        Entry("billion_laughs.xml", BILLION_LAUGHS, 'a "billion laughs" feed', errors=(Expected(FILE, "entities"),)),
        Entry("regional_wire.xml", _feed([
            f"<title>Marinka</title><description>{MARINKA_F}</description>"
            "<pubDate>Mon, 14 Aug 2023 06:00:00 GMT</pubDate>",
            f"<title>Berdiansk</title><description><![CDATA[<p>{BERDIANSK_F}</p>]]></description>",
            "<title>Nothing here</title><link>https://example.org/empty</link>",
            f"<title>Deep</title><description><![CDATA[{deep}]]></description>",
            f"<title>Tokmak</title><description>{TOKMAK_F}</description>"
            "<pubDate>Fri, 31 Feb 2023 10:00:00 GMT</pubDate>",
        ]), "a feed: two good entries, one without text, one nested 20,000 deep, one dated 31 February",
            good=(Good(MARINKA_F), Good(BERDIANSK_F), Good(TOKMAK_F)),
            errors=(Expected("#entry=3", "no text"), Expected("#entry=4", "nested")),
            warnings=(Expected("#entry=5", "31 Feb 2023"),)),
    ]


CORPUS: tuple[Entry, ...] = (*text_entries(), *telegram_entries(), *jsonl_entries(), *html_and_feed_entries())


# --- coordinates out of range, for `sitrep gazetteer add UA --from FILE` -------------------------------------------

def dump_row(geonameid: int, name: str, lat: str, lon: str) -> str:
    """One populated place as a line of a GeoNames dump (19 tab-separated columns)."""
    columns = [str(geonameid), name, name, "", lat, lon, "P", "PPL", "UA", "", "05", "", "", "", "1000", "",
               "200", "Europe/Kyiv", "2024-01-01"]
    return "\t".join(columns) + "\n"


GOOD_ROWS = dump_row(704508, "Kramatorsk", "48.723", "37.556") + dump_row(712451, "Bilozerske", "48.49", "37.06")


@dataclass(frozen=True)
class BadDump:
    name: str
    data: str
    line: int  # the line the error must name
    word: str = "out of range"


IMPORTS: tuple[BadDump, ...] = (
    BadDump("UA-latitude.txt", GOOD_ROWS + dump_row(1, "Offmap north", "123.0", "37.0"), 3),
    BadDump("UA-longitude.txt", GOOD_ROWS + dump_row(2, "Offmap east", "48.0", "-200.5"), 3),
    BadDump("UA-nan.txt", dump_row(3, "Not a number", "nan", "37.0") + GOOD_ROWS, 1),
    BadDump("UA-infinity.txt", GOOD_ROWS + dump_row(4, "Infinitely far", "48.0", "inf"), 3),
    BadDump("UA-text.txt", GOOD_ROWS + dump_row(5, "Words", "forty-eight", "37.0"), 3, "bad number"),
)


# --- writing -----------------------------------------------------------------------------------------------------

@dataclass
class Written:
    ingest: Path
    imports: Path
    files: list[Path] = field(default_factory=list)


def write_corpus(out_dir: Path) -> Written:
    """Write every entry of CORPUS under OUT/ingest and every bad dump under OUT/imports."""
    written = Written(out_dir / INGEST_DIR, out_dir / IMPORTS_DIR)
    written.ingest.mkdir(parents=True, exist_ok=True)
    written.imports.mkdir(parents=True, exist_ok=True)
    for entry in CORPUS:
        written.files.append(_write_entry(entry, written.ingest / entry.name))
    for dump in IMPORTS:
        path = written.imports / dump.name
        path.write_text(dump.data, encoding="utf-8")
        written.files.append(path)
    return written


def _write_entry(entry: Entry, path: Path) -> Path:
    path.unlink(missing_ok=True)  # a link or pipe left by an earlier run
    if entry.fifo:
        os.mkfifo(path)
    elif entry.link_to is not None:
        path.symlink_to(entry.link_to)
    else:
        with path.open("wb") as file:
            for _ in range(entry.repeat):
                file.write(entry.data)
    return path


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python tests/hostile/make_corpus.py OUTDIR", file=sys.stderr)
        return 2
    written = write_corpus(Path(argv[0]))
    good = sum(len(entry.good) for entry in CORPUS)
    errors = sum(len(entry.errors) for entry in CORPUS)
    print(f"{len(written.files)} files under {argv[0]} ({len(CORPUS)} to ingest: {good} good documents, "
          f"{errors} errors expected; {len(IMPORTS)} gazetteer dumps)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
