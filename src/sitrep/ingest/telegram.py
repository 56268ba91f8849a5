"""Telegram Desktop exports (``result.json``): one document per message with text.

Two shapes exist: one chat at the root (``{"name", "type", "id", "messages": [...]}``), or a whole
account (``{"chats": {"list": [chat, ...]}, "left_chats": {"list": [...]}}``). Service messages (joins,
pins) and messages without text (a photo with no caption) are no reports: they are skipped, not errors,
and counted in the optional ``skipped`` counter and in the log.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from sitrep.errors import InputError
from sitrep.ingest.base import ReadResult, has_text
from sitrep.ingest.decode import decode_bytes
from sitrep.ingest.document import drop_date, is_impossible_date, make_document
from sitrep.ingest.jsonl import NUMBER_TOO_LONG
from sitrep.models import Document, ItemError

log = logging.getLogger(__name__)

SKIPPED_SERVICE = "service message"
SKIPPED_EMPTY = "message without text"


class MalformedMessage(ValueError):
    """A message whose fields have unexpected types; reported as an `ItemError` for that message."""


def read_telegram(data: bytes, source: str, skipped: Counter[str] | None = None) -> ReadResult:
    """Yield a document per text message; `skipped` (if given) counts the messages that are no reports.

    An export cut off (a failed download, a full disk) or broken part-way keeps the complete
    messages before the break: they are read, and the break is one `ItemError` for the file."""
    skipped = Counter() if skipped is None else skipped
    try:
        export = _load_json(data, source)
    except _BrokenJson as broken:
        salvaged = _salvage_chat(broken.text, broken.error.pos)
        if salvaged is None:
            raise InputError(source, broken.describe()) from None
        yield from _read_chat(salvaged, f"{source}#", skipped)
        count = len(salvaged["messages"])
        yield ItemError(source=source, message=f"{broken.describe()}; read the {count} complete message"
                        f"{'' if count == 1 else 's'} before it, the rest is lost")
        return
    for chat, locator in _chats(export, source):
        yield from _read_chat(chat, locator, skipped)
    if skipped:
        log.info("%s: skipped %s", source, ", ".join(f"{reason}: {count}" for reason, count in skipped.items()))


class _BrokenJson(Exception):
    """The export's JSON does not parse; the text is kept so that the messages before the break can be read."""

    def __init__(self, text: str, error: json.JSONDecodeError):
        super().__init__(error.msg)
        self.text, self.error = text, error

    def describe(self) -> str:
        error = self.error
        return f"truncated or invalid JSON at line {error.lineno} column {error.colno} ({error.msg})"


# The single-chat export's list of messages; in an export's text the key is never escaped, and a
# message text holding the words has its quotes escaped, so the first match is the key.
_MESSAGES_KEY = re.compile(r'"messages"\s*:\s*\[')
_HEADER_STRING = r'"{}"\s*:\s*("(?:[^"\\]|\\.)*")'


def _salvage_chat(text: str, broken_at: int) -> dict[str, Any] | None:
    """The chat of a single-chat export whose JSON breaks at ``broken_at``, with the messages that
    are complete before that point; None where nothing can be saved (an account export, or a break
    before the messages start)."""
    found = _MESSAGES_KEY.search(text, 0, broken_at)
    if found is None or '"chats"' in text[:found.start()]:
        return None
    decoder, position, messages = json.JSONDecoder(), found.end(), []
    while True:
        try:
            message, position = decoder.raw_decode(text, _skip_space(text, position))
        except (ValueError, RecursionError):
            break
        messages.append(message)
        position = _skip_space(text, position)
        if not text.startswith(",", position):
            break
        position += 1
    chat: dict[str, Any] = {"messages": messages}
    for key in ("name", "username"):
        value = re.search(_HEADER_STRING.format(key), text[:found.start()])
        if value:
            chat[key] = json.loads(value.group(1))
    return chat


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def _load_json(data: bytes, source: str) -> dict[str, Any]:
    text = decode_bytes(data, source)
    try:
        export = json.loads(text)
    except json.JSONDecodeError as error:
        raise _BrokenJson(text, error) from None
    except RecursionError:
        raise InputError(source, "JSON nested too deeply to read") from None
    except ValueError:  # not a JSONDecodeError: an integer past Python's 4,300-digit limit
        raise InputError(source, f"invalid JSON: {NUMBER_TOO_LONG}") from None
    if not isinstance(export, dict):
        raise InputError(source, f"not a Telegram export: the JSON is {_json_type(export)}, not an object")
    return export


def _chats(export: dict[str, Any], source: str) -> Iterator[tuple[Any, str]]:
    """Each chat with the locator prefix of its messages, for either shape of export."""
    if "messages" in export:
        yield export, f"{source}#"
        return
    if "chats" not in export:
        raise InputError(source, 'not a Telegram export: no "messages" or "chats" key at the top level')
    for key in ("chats", "left_chats"):
        for number, chat in enumerate(_chat_list(export.get(key), key, source), start=1):
            chat_id = chat.get("id", number) if isinstance(chat, dict) else number
            yield chat, f"{source}#chat={chat_id}&"


def _chat_list(value: Any, key: str, source: str) -> list[Any]:
    # The account export wraps each list as {"about": ..., "list": [...]}; accept a bare list too.
    chats = value.get("list", []) if isinstance(value, dict) else value
    if chats is None:
        return []
    if not isinstance(chats, list):
        raise InputError(source, f'not a Telegram export: "{key}" holds {_json_type(chats)}, not a list')
    return chats


def _read_chat(chat: Any, locator: str, skipped: Counter[str]) -> ReadResult:
    if not isinstance(chat, dict):
        yield ItemError(source=locator.rstrip("#&"), message=f"chat is {_json_type(chat)}, not an object")
        return
    messages = chat.get("messages", [])
    if not isinstance(messages, list):
        yield ItemError(source=locator.rstrip("#&"), message=f'"messages" is {_json_type(messages)}, not a list')
        return
    name = chat.get("name") if isinstance(chat.get("name"), str) else None
    username = chat.get("username") if isinstance(chat.get("username"), str) else None
    for number, message in enumerate(messages, start=1):
        message_id = message.get("id", number) if isinstance(message, dict) else number
        message_locator = f"{locator}message={message_id}"
        try:
            document = _message_document(message, message_locator, name, username, skipped)
        except MalformedMessage as error:
            yield ItemError(source=message_locator, message=str(error))
            continue
        if document is not None:
            yield document


def _message_document(
    message: Any, locator: str, chat_name: str | None, username: str | None, skipped: Counter[str]
) -> Document | None:
    """The message as a document, None for a message that is no report, or `MalformedMessage`."""
    if not isinstance(message, dict):
        raise MalformedMessage(f"message is {_json_type(message)}, not an object")
    kind = message.get("type", "message")
    if not isinstance(kind, str):
        raise MalformedMessage(f'"type" is {_json_type(kind)}, not a string')
    if kind != "message":
        skipped[SKIPPED_SERVICE] += 1
        return None
    text = _message_text(message.get("text", ""))
    if not has_text(text):
        skipped[SKIPPED_EMPTY] += 1
        return None
    author = message.get("from") if isinstance(message.get("from"), str) else None
    return make_document(
        text, locator, url=_message_url(username, message.get("id")), outlet=chat_name, channel="telegram",
        author=author or chat_name, published=_message_date(message, locator),
    )


def _message_text(text: Any) -> str:
    """Plain text of a message: a string, or a list of strings and entities {"type", "text", "href"?}."""
    if isinstance(text, str):
        return text
    if not isinstance(text, list):
        raise MalformedMessage(f'"text" is {_json_type(text)}, not a string or a list')
    pieces = []
    for number, piece in enumerate(text, start=1):
        piece_text = piece.get("text") if isinstance(piece, dict) else piece
        if not isinstance(piece_text, str):
            raise MalformedMessage(f'"text" item {number} is {_json_type(piece)} without string text')
        pieces.append(piece_text)
    return "".join(pieces)


def _message_date(message: dict[str, Any], locator: str) -> dt.date | None:
    """The message's calendar date; a date that cannot exist is dropped with a warning, the message kept."""
    # date_unixtime is unambiguous (UTC seconds); date is the exporting computer's local time.
    unixtime, local = message.get("date_unixtime"), message.get("date")
    if unixtime is not None:
        return _unixtime_date(unixtime, locator)
    return _local_date(local, locator) if local is not None else None


def _unixtime_date(value: Any, locator: str) -> dt.date | None:
    try:
        seconds = int(value)
    except (ValueError, TypeError, OverflowError):  # OverflowError: JSON's Infinity
        raise MalformedMessage(f"unreadable date {value!r}") from None
    try:
        return dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc).date()
    except (ValueError, OverflowError, OSError):  # past the year 9999, or past what the platform can count
        drop_date(locator, value)
        return None


def _local_date(value: Any, locator: str) -> dt.date | None:
    try:
        return dt.datetime.fromisoformat(str(value)).date()
    except ValueError:
        if not is_impossible_date(value):
            raise MalformedMessage(f"unreadable date {value!r}") from None
    drop_date(locator, value)
    return None


def _message_url(username: str | None, message_id: Any) -> str | None:
    # Exports carry no username for most chats; a t.me link without one would point nowhere.
    if not username or not isinstance(message_id, int):
        return None
    return f"https://t.me/{username.lstrip('@')}/{message_id}"


def _json_type(value: Any) -> str:
    """The JSON type of a value with its article, for messages: "an object", "a number", "null"."""
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", int: "a number", float: "a number"}
    return "null" if value is None else names.get(type(value), f"a {type(value).__name__}")
