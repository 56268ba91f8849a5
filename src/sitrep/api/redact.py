"""What the API keeps to itself: the server's file paths.

A document's ``source`` is where ``sitrep ingest`` read it (``/srv/feeds/2023/result.json#message=12``)
and the store's messages name its database (``no event with id ... in /srv/sitrep/main.db``). Both
are right for the command line, where the user knows the machine, and wrong for a server, where they
tell a stranger how its disks are laid out. The API gives a source as the file's base name with its
locator (``result.json#message=12``), keeps URLs whole, and drops the database's name from messages
(docs/api.md, "Paths").
"""

from __future__ import annotations

import re

# Where a reader's locator starts inside a source (sitrep.ingest: feed entries, JSON Lines ids,
# Telegram chats and messages); what comes before it is the path of the file.
_LOCATOR = re.compile(r"#(?:id|entry|chat|message)=")
_SEPARATORS = re.compile(r"[\\/]")
_WEB_SCHEMES = ("http://", "https://")


def public_source(source: str) -> str:
    """``source`` without its directories: the file's base name and its locator; a URL as it is."""
    if source.lower().startswith(_WEB_SCHEMES):
        return source
    locator = _LOCATOR.search(source)
    path, rest = (source[:locator.start()], source[locator.start():]) if locator else (source, "")
    return _SEPARATORS.split(path)[-1] + rest


def public_message(message: str, store_name: str) -> str:
    """A store's message without the database's path or URL ("no event with id X in /srv/a.db" ->
    "no event with id X")."""
    if not store_name:
        return message
    return message.replace(f" in {store_name}", "").replace(store_name, "the database")
