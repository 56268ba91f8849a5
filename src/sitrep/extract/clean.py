"""Cleaning: normalise the text, drop boilerplate, keep captions apart, read the dateline.

Input: a ``Document`` whose ``text`` is what the reader decoded. Output: the same document with
``text`` rebuilt as paragraphs separated by blank lines, ``captions`` pointing into that text,
``removed`` listing every dropped line with its reason, and ``published`` filled from a dateline
when the reader had no date. All later offsets refer to this cleaned text.

The rules (dateline, boilerplate and caption patterns) are data: ``extract/lang/en/cleaning.yaml``.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import yaml

from sitrep.extract.lang import resource
from sitrep.models import Caption, Document, Removed

log = logging.getLogger(__name__)

PARAGRAPH_BREAK = "\n\n"
# A line this long that ends without sentence punctuation is a hard wrap inside a paragraph
# (e-mail style text wrapped at 60-100 columns); shorter unpunctuated lines are headings or labels.
WRAP_MIN_CHARS = 55
# ... and it must reach this share of the document's line width (see _wrap_width), measured at this
# quantile of its line lengths.
WRAP_SHARE, WIDTH_QUANTILE = 0.6, 0.9

_QUOTES = str.maketrans({
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
})
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u00ad\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_HSPACE = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_YEAR = re.compile(r"\d{4}")
_SENTENCE_END = re.compile(r"""[.!?:;"')\]]$""")


@dataclass(frozen=True)
class Rules:
    datelines: list[tuple[str, re.Pattern[str]]]
    boilerplate: list[tuple[str, re.Pattern[str]]]
    caption: re.Pattern[str]


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    raw = yaml.safe_load(resource("cleaning.yaml").read_text("utf-8"))
    flags = re.IGNORECASE
    datelines = [(rule["name"], re.compile(rule["pattern"], flags if rule["name"] not in CASE_SENSITIVE_DATELINES else 0))
                 for rule in raw["datelines"]]
    boilerplate = [(rule["reason"], re.compile(rule["pattern"], flags)) for rule in raw["boilerplate"]]
    return Rules(datelines, boilerplate, _caption_pattern(raw["captions"]))


def _caption_pattern(spec: dict) -> re.Pattern[str]:
    """'<caption text> - <credit>' where the credit names an agency or is 'Name/AGENCY'."""
    agencies = "|".join(re.escape(name) for name in sorted(spec["agencies"], key=len, reverse=True))
    agency = rf"(?:{agencies}|[A-Z]{{2,10}})"
    credit = (
        rf"(?:{spec['credit_prefixes']})?"
        rf"(?:[\w.'\- ]{{1,40}}/\s?)?(?:{agency})(?:\s+(?:via|for|/)\s+[\w.' -]{{2,40}})?"
        rf"|(?:{spec['credit_prefixes']})[\w.' /-]{{2,60}}"
    )
    return re.compile(
        rf"^(?P<text>.{{8,{spec['max_caption_chars']}}}?\S){spec['separators']}"
        rf"(?P<credit>(?=.{{2,{spec['max_credit_chars']}}}$)(?:{credit}))\.?$"
    )


# Latin letters that look like Cyrillic ones, typed inside Cyrillic words with the wrong keyboard layout
# ("обстрiляли Нiкополь" with a Latin i): in a word that has Cyrillic letters they are read as Cyrillic,
# one letter for one, so that offsets do not move. A word wholly in Latin letters ("Bakhmut") is untouched.
_LOOKALIKES = str.maketrans("aceopxyiACEHIKMOPTXBY", "асеорхуіАСЕНІКМОРТХВУ")
_MIXED_WORD = re.compile(r"\w*[\u0400-\u04ff]\w*")


def _cyrillic_letters(match: re.Match[str]) -> str:
    word = match.group(0)
    return word.translate(_LOOKALIKES) if word.isalpha() or any("a" <= char.lower() <= "z" for char in word) else word


def normalise(text: str) -> str:
    """NFC, straight quotes, no invisible or control characters, single spaces, '\\n' line ends."""
    # Invisible characters go first, so that a letter and its combining accent that one kept apart compose.
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text)).translate(_QUOTES)
    text = _MIXED_WORD.sub(_cyrillic_letters, text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    return "\n".join(_HSPACE.sub(" ", line).strip() for line in text.split("\n"))


@dataclass
class _Line:
    text: str
    kind: str = "body"  # body | caption | blank
    credit: str | None = None


def clean(document: Document) -> Document:
    """Return the cleaned copy of ``document`` (see the module docstring)."""
    rules = load_rules()
    removed: list[Removed] = []
    lines = [_Line(line) for line in normalise(document.text).split("\n")]
    published = _take_dateline(lines, rules, removed, document.published, document.source)
    for line in lines:
        _classify(line, rules, removed)
    text, captions = _assemble(lines)
    return document.model_copy(update={
        "text": text, "captions": captions, "removed": document.removed + removed,
        "published": _reference_day(document.published, published),
    })


# Datelines whose place must be written in capitals: matched case-sensitively.
CASE_SENSITIVE_DATELINES = frozenset({"wire-dateline", "place-dateline"})
# A dateline is looked for in this many first non-blank lines, each after a line no longer than this (a
# headline, a byline, a date line above the body).
DATELINE_LINES, HEADING_MAX_CHARS = 4, 160
# A wire story carried this many days after its dateline keeps the dateline's day as its own.
DATELINE_LAG_DAYS = 7


def _reference_day(metadata: dt.date | None, dateline: dt.date | None) -> dt.date | None:
    """The day the report speaks from: its dateline's ("KYIV, Aug 29 -"), when that is at most a week
    before the page's own date (a wire story republished later), else the page's date. Relative words
    ("on Monday") count from it."""
    if metadata is None or dateline is None:
        return metadata or dateline
    return dateline if 0 <= (metadata - dateline).days <= DATELINE_LAG_DAYS else metadata


def _take_dateline(lines: list[_Line], rules: Rules, removed: list[Removed],
                   published: dt.date | None, source: str) -> dt.date | None:
    """Strip a dateline from the first non-blank line, or from one of the next few after a headline and a
    byline (short lines: "Headline / By A. Writer / KYIV, Aug 2 (Wire) - ..."); return the date it gives.

    A full date that does not exist ("date 2023-02-31") is dropped with a warning; the report is kept.
    """
    heading = [line for line in lines if line.text][:DATELINE_LINES]
    for index, first in enumerate(heading):
        previous = heading[index - 1].text if index else ""
        if index and (len(previous) > HEADING_MAX_CHARS or previous.endswith((".", "!", "?"))):
            return None  # past the headline and byline: the body's dates are the body's
        match = _match_dateline(first, rules)
        if match is not None:
            break
    else:
        return None
    removed.append(Removed(text=match.group(0).strip(), reason="dateline"))
    first.text = first.text[match.end():].strip()
    if "date" not in match.groupdict():
        return None  # a place dateline: nothing to date the report by
    date = _parse_dateline_date(match.group("date"), published)
    if date is None and _YEAR.search(match.group("date")):  # a full date, yet not a day that exists
        log.warning("%s: dropped the dateline date %r, which is not a valid date; the document is kept",
                    source, match.group("date"))
    return date


def _match_dateline(line: _Line, rules: Rules) -> re.Match[str] | None:
    """The match of the first dateline rule that fits the start of ``line``, or None."""
    return next((match for _, pattern in rules.datelines if (match := pattern.match(line.text))), None)


def _parse_dateline_date(value: str, published: dt.date | None) -> dt.date | None:
    value = value.replace(",", " ").replace(".", " ")
    value = " ".join(value.split())
    for fmt in ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y", "%A %d %B %Y", "%a %d %b %Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    # "July 9" with no year: only usable when the reader knew the year.
    for fmt in ("%B %d", "%b %d"):
        try:
            partial = dt.datetime.strptime(f"{value} 2000", f"{fmt} %Y").date()
        except ValueError:
            continue
        return partial.replace(year=published.year) if published else None
    return None


def _classify(line: _Line, rules: Rules, removed: list[Removed]) -> None:
    if not line.text:
        line.kind = "blank"
        return
    for reason, pattern in rules.boilerplate:
        if pattern.fullmatch(line.text):
            removed.append(Removed(text=line.text, reason=reason))
            line.kind, line.text = "blank", ""
            return
    match = rules.caption.match(line.text)
    if match and not _looks_like_sentence_with_quote(match.group("text")):
        line.kind, line.text, line.credit = "caption", match.group("text"), match.group("credit").strip()


def _looks_like_sentence_with_quote(text: str) -> bool:
    # A quoted remark followed by " - AP" is attribution inside the body, not a photo caption.
    return text.count('"') >= 2


def _assemble(lines: list[_Line]) -> tuple[str, list[Caption]]:
    """Join body lines into paragraphs; each caption is a paragraph of its own."""
    paragraphs: list[tuple[str, str | None, bool]] = []  # (text, credit, is_caption)
    current: list[str] = []

    def flush() -> None:
        if current:
            paragraphs.append((" ".join(current), None, False))
            current.clear()

    width = _wrap_width(lines)
    for line in lines:
        if line.kind == "caption":
            flush()
            paragraphs.append((line.text, line.credit, True))
        elif line.kind == "blank":
            flush()
        elif current and not _is_wrapped(current[-1], width):
            flush()
            current.append(line.text)
        else:
            current.append(line.text)
    flush()
    return _join(paragraphs)


def _is_wrapped(previous: str, width: int = 0) -> bool:
    return len(previous) >= max(WRAP_MIN_CHARS, width * WRAP_SHARE) and not _SENTENCE_END.search(previous)


def _wrap_width(lines: list[_Line]) -> int:
    """The document's line width: the length of its longest lines but a few. Hard-wrapped text has
    lines of 60-100 characters; a web page or report keeps each paragraph on one line, so that an
    unpunctuated line far shorter than those is a heading ("Subordinate main effort along the west
    bank of the Dnipro"), not a wrap."""
    lengths = sorted(len(line.text) for line in lines if line.kind not in ("blank", "caption") and line.text)
    return lengths[int(len(lengths) * WIDTH_QUANTILE)] if lengths else 0


def _join(paragraphs: list[tuple[str, str | None, bool]]) -> tuple[str, list[Caption]]:
    parts: list[str] = []
    captions: list[Caption] = []
    offset = 0
    for text, credit, is_caption in paragraphs:
        if parts:
            offset += len(PARAGRAPH_BREAK)
        if is_caption:
            captions.append(Caption(start=offset, end=offset + len(text), text=text, credit=credit))
        parts.append(text)
        offset += len(text)
    return PARAGRAPH_BREAK.join(parts), captions


def paragraphs(text: str) -> list[tuple[int, str]]:
    """The paragraphs of a cleaned text with their start offsets."""
    spans = []
    for match in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]*)*", text):
        if match.group(0).strip():
            spans.append((match.start(), match.group(0)))
    return spans
