"""Which reader an input needs, from its file extension and the first bytes of its content.

Only the head of the input is looked at (`SNIFF_BYTES`), so that the size limits can be checked before
a large file is read whole.
"""

from __future__ import annotations

import codecs
import json
import re
from pathlib import PurePath

from sitrep.models import InputFormat

# Enough for the root element of a feed after a long XML prologue, and the first lines of JSON Lines.
SNIFF_BYTES = 64 * 1024
# JSON Lines files are told from a pretty-printed JSON object by parsing their first lines, up to this many.
JSON_LINES_TO_CHECK = 20

HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml"})
FEED_EXTENSIONS = frozenset({".xml", ".rss", ".atom"})
JSONL_EXTENSIONS = frozenset({".jsonl", ".ndjson"})

_FEED_ROOT = re.compile(r"<(?:rss|feed|rdf:rdf)[\s>]")
_HTML_ROOT = re.compile(r"<(?:html|head|body)[\s>]")
_TELEGRAM_KEY = re.compile(r'"(?:messages|chats)"\s*:')


def detect_format(data: bytes, path: str | None) -> InputFormat:
    """The input's format: the extension decides where it is unambiguous, the content otherwise."""
    extension = PurePath(path).suffix.lower() if path else ""
    head = data[:SNIFF_BYTES]
    if extension in HTML_EXTENSIONS:
        return "html"
    if extension in JSONL_EXTENSIONS:
        return "jsonl"
    if extension == ".json":
        return _json_format(_head_text(head), truncated=len(data) > SNIFF_BYTES)
    return _sniff(head, truncated=len(data) > SNIFF_BYTES)


def _sniff(head: bytes, truncated: bool) -> InputFormat:
    text = _head_text(head)
    lowered = text.lower()
    if lowered.startswith("{"):
        return _json_format(text, truncated)
    if not lowered.startswith("<"):
        return "text"
    if lowered.startswith(("<!doctype html", "<html")):
        return "html"
    if _FEED_ROOT.search(lowered):
        return "feed"
    return "html" if _HTML_ROOT.search(lowered) else "text"


def _head_text(head: bytes) -> str:
    """The head as text, good enough to sniff: any BOM honoured, undecodable bytes replaced."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head.decode("utf-16", errors="ignore")
    else:
        text = head.decode("utf-8", errors="replace")
    return text.lstrip("\ufeff \t\r\n")


def _json_format(text: str, truncated: bool) -> InputFormat:
    """JSON Lines if the first lines are JSON objects each, else a Telegram export (one JSON object)."""
    lines = [line for line in text.split("\n") if line.strip()]
    if truncated and lines:
        lines.pop()  # cut off by the sniff window, so it would not parse
    lines = lines[:JSON_LINES_TO_CHECK]
    if not lines:
        # One line longer than the sniff window: a minified export, or a JSON Lines file with a long first report.
        return "telegram" if _TELEGRAM_KEY.search(text[:4096]) else "jsonl"
    objects = [parsed for parsed in map(_parse_json, lines) if isinstance(parsed, dict)]
    if len(lines) == 1 and objects:
        return "telegram" if {"messages", "chats"} & objects[0].keys() else "jsonl"
    return "jsonl" if objects and len(objects) * 2 >= len(lines) else "telegram"


def _parse_json(line: str) -> object:
    try:
        return json.loads(line)
    except ValueError:
        return None
