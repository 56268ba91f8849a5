"""HTML news pages: trafilatura finds the article, htmldate its publication date.

Also home of `element_text`, which turns an HTML (or trafilatura XML) tree into plain text with one
blank line between paragraphs; the feed reader uses it for entries' HTML content.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

import htmldate
import trafilatura
import trafilatura.settings
from lxml import etree
from lxml import html as lxml_html

from sitrep.errors import InputError
from sitrep.ingest.base import ReadResult
from sitrep.ingest.decode import decode_bytes
from sitrep.ingest.document import make_document, one_line

log = logging.getLogger(__name__)

# libxml2, under lxml and so under trafilatura and htmldate, stops parsing a page at 256 levels of
# nesting and silently drops everything after that point. Real news pages nest 20 to 60 levels; a page
# past the limit is hostile or broken, and is refused rather than read in part.
MAX_HTML_DEPTH = 255
# The head of the file searched for a declared charset (<meta charset=...>): browsers look at 1,024 bytes.
CHARSET_SEARCH_BYTES = 2048

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# Elements whose start and end are paragraph breaks, in HTML and in trafilatura's XML output (head,
# list, item, quote, row, code).
_BLOCKS = frozenset(
    "address article aside blockquote caption dd details div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody tfoot thead tr ul "
    "head list item quote row code".split()
)
_LINE_BREAKS = frozenset({"br", "lb"})
_CELLS = frozenset({"td", "th", "cell"})
_INVISIBLE = frozenset({"script", "style", "noscript", "template", "svg", "math", "iframe", "object"})
_PARAGRAPH, _LINE = "\u2029", "\u2028"


def read_html(data: bytes, source: str) -> ReadResult:
    """Yield the one document an HTML page holds: its main text, title, author, site, URL and date."""
    markup = _XML_DECLARATION.sub("", decode_bytes(data, source, _declared_charset(data)))
    tree = _parse(markup, source)
    try:
        extracted = trafilatura.bare_extraction(
            markup, include_comments=False, include_tables=True, with_metadata=True
        )
        published = _publication_date(markup, extracted.url if extracted else None)
    except RecursionError:
        raise InputError(source, f"HTML nested deeper than {MAX_HTML_DEPTH} levels") from None
    text = element_text(extracted.body) if extracted is not None and extracted.body is not None else ""
    if not text:
        log.info("%s: trafilatura found no main text; using the whole page body", source)
        text = element_text(tree.body) if tree.find("body") is not None else ""
    if not text:
        raise InputError(source, "no readable text in the HTML page")
    text = _with_figure_captions(text, tree)
    yield make_document(text, source, channel="web", published=published, **_metadata(extracted))


def _with_figure_captions(text: str, tree: lxml_html.HtmlElement) -> str:
    """Append the page's <figcaption>s as paragraphs of their own.

    trafilatura drops figure captions, but they carry photo credits and describe what was seen; the
    cleaning stage recognises a caption line by its credit ("... - Name/AP") and keeps it as a caption.
    They go after the body because the figure's place among trafilatura's paragraphs is not known.
    """
    captions = []
    for node in tree.iter("figcaption"):
        caption = " ".join(node.text_content().split())
        if caption and caption not in text and caption not in captions:
            captions.append(caption)
    return "\n\n".join([text, *captions])


def _metadata(extracted: trafilatura.settings.Document | None) -> dict[str, str | None]:
    fields = {"url": "url", "outlet": "sitename", "title": "title", "author": "author"}
    return {ours: getattr(extracted, theirs, None) or None for ours, theirs in fields.items()}


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:CHARSET_SEARCH_BYTES])
    return match.group(1).decode("ascii") if match else None


def _parse(markup: str, source: str) -> lxml_html.HtmlElement:
    """Parse the page once ourselves, to refuse a page nested too deep for the parser to read whole."""
    parser = lxml_html.HTMLParser(encoding="utf-8")
    try:
        tree = lxml_html.document_fromstring(markup.encode("utf-8"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError) as error:
        raise InputError(source, f"not a readable HTML page ({one_line(str(error))})") from None
    too_deep = any("depth" in entry.message.lower() for entry in parser.error_log)
    if too_deep or _depth(tree) > MAX_HTML_DEPTH:
        raise InputError(source, f"HTML nested deeper than {MAX_HTML_DEPTH} levels")
    return tree


def _depth(tree: etree._Element) -> int:
    """The deepest nesting, counted without recursion (a hostile page must not exhaust the stack)."""
    depth = deepest = 0
    for event, _ in etree.iterwalk(tree, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


def _publication_date(markup: str, url: str | None) -> dt.date | None:
    # original_date: a report's first publication, not its last update. extensive_search off: the
    # loose text search is slow on long pages and mostly finds dates that are in the story, not of it.
    found = htmldate.find_date(markup, url=url, original_date=True, extensive_search=False)
    try:
        return dt.date.fromisoformat(found) if found else None
    except ValueError:
        return None


class NestedTooDeep(ValueError):
    """An HTML fragment nested past `MAX_HTML_DEPTH`, which the parser would read only in part."""


def html_fragment_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed entry's content), paragraphs kept apart.

    Raises `NestedTooDeep` for a fragment nested past the parser's limit, rather than return the part above it.
    """
    if not fragment.strip():
        return ""
    parser = lxml_html.HTMLParser()
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div", parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return ""
    if any("depth" in entry.message.lower() for entry in parser.error_log):
        raise NestedTooDeep(f"HTML nested deeper than {MAX_HTML_DEPTH} levels")
    return element_text(root)


def element_text(element: etree._Element) -> str:
    """The text under an element: blocks become paragraphs split by a blank line, line breaks stay.

    Whitespace inside a paragraph is collapsed, as a browser would show it. The walk is iterative, so
    deep trees cannot exhaust the stack.
    """
    pieces: list[str] = []
    walker = etree.iterwalk(element, events=("start", "end", "comment", "pi"))
    for event, node in walker:
        if not isinstance(node.tag, str):
            pieces.append(node.tail or "")
        elif event == "start":
            pieces.append(_opening(node))
            if node.tag in _INVISIBLE:
                walker.skip_subtree()
        else:
            pieces.append(_closing(node))
            if node is not element:
                pieces.append(node.tail or "")
    return _join_paragraphs("".join(pieces))


def _opening(node: etree._Element) -> str:
    tag = node.tag.lower()
    if tag in _LINE_BREAKS:
        return _LINE
    before = _PARAGRAPH if tag in _BLOCKS else ""
    return before + ("" if tag in _INVISIBLE else node.text or "")


def _closing(node: etree._Element) -> str:
    tag = node.tag.lower()
    if tag in _BLOCKS:
        return _PARAGRAPH
    return " " if tag in _CELLS else ""


def _join_paragraphs(raw: str) -> str:
    paragraphs = []
    for paragraph in raw.split(_PARAGRAPH):
        lines = [" ".join(line.split()) for line in paragraph.split(_LINE)]
        text = "\n".join(line for line in lines if line)
        if text:
            paragraphs.append(text)
    return "\n\n".join(paragraphs)
