"""Ingest: inputs (files, directories, standard input) to `Document`s, one reader per format.

    for path in iter_inputs(["reports/", "-"]):
        for item in read_input(path, settings):
            ...  # a Document, or an ItemError for one unreadable item

A whole input that cannot be read raises `InputError`; one bad item inside an input is an `ItemError`,
and the other items are still read.
"""

from __future__ import annotations

import errno
import logging
import os
import stat
import sys
from collections import Counter
from collections.abc import Iterator
from typing import BinaryIO

from sitrep.errors import InputError
from sitrep.ingest.base import Reader, ReadResult, document_id, has_words
from sitrep.ingest.decode import decode_bytes
from sitrep.ingest.detect import SNIFF_BYTES, detect_format
from sitrep.ingest.feed import read_feed
from sitrep.ingest.html import read_html
from sitrep.ingest.jsonl import read_jsonl
from sitrep.ingest.language import guess_language
from sitrep.ingest.telegram import read_telegram
from sitrep.ingest.text import read_text
from sitrep.models import Document, ItemError
from sitrep.settings import Settings

__all__ = [
    "READERS", "SKIPPED_NO_WORDS", "STDIN", "Reader", "ReadResult", "decode_bytes", "detect_format", "document_id",
    "guess_language", "has_words", "iter_inputs", "read_input",
]

READERS: dict[str, Reader] = {
    "text": read_text,
    "html": read_html,
    "feed": read_feed,
    "telegram": read_telegram,
    "jsonl": read_jsonl,
}
# Formats that hold one report; the others are containers of many, with a larger size limit.
SINGLE_DOCUMENT_FORMATS = frozenset({"text", "html"})
STDIN = "-"
STDIN_SOURCE = "<stdin>"
_MB = 1024 * 1024
# Why a readable item is no document (the key of ``read_input``'s ``skipped`` counter).
SKIPPED_NO_WORDS = "no words (only emoji, links, digits or symbols)"

log = logging.getLogger(__name__)


def iter_inputs(paths: list[str], refused: list[InputError] | None = None) -> Iterator[str]:
    """The files to read: directories expanded recursively in sorted order, hidden entries skipped.

    "-" stands for standard input and is passed through. A path that does not exist raises `InputError`.
    Inside a directory, a symbolic link that resolves outside it is not followed (a planted link must
    not pull in ~/.ssh or another folder): it goes to ``refused`` as an `InputError` naming the link,
    or is raised when no list is given. A file named on the command line is read wherever it points:
    that is the user's choice.
    """
    for path in paths:
        if path == STDIN or os.path.isfile(path):
            yield path
        elif os.path.isdir(path):
            yield from _walk(path, refused)
        else:
            raise InputError(path, "no such file or directory")


def link_outside(path: str, root: str) -> str | None:
    """Why ``path``, met inside the folder whose real path is ``root``, is not followed: it is a
    symbolic link that resolves outside ``root``. None for anything else."""
    if not os.path.islink(path):
        return None
    target = os.path.realpath(path)
    if os.path.commonpath([target, root]) == root:
        return None
    return f"a symbolic link to {target}, outside {root}; not followed (name the file itself to read it)"


def _walk(directory: str, refused: list[InputError] | None) -> Iterator[str]:
    root = os.path.realpath(directory)
    for current, dirnames, filenames in os.walk(directory):
        # Pruned in place, so os.walk neither enters hidden directories (.git) nor visits them out of order.
        # It never enters linked directories either; one that points outside is still reported.
        dirnames[:] = sorted(name for name in dirnames if not name.startswith("."))
        for name in dirnames + sorted(name for name in filenames if not name.startswith(".")):
            path = os.path.join(current, name)
            problem = link_outside(path, root)
            if problem is not None:
                if refused is None:
                    raise InputError(path, problem)
                refused.append(InputError(path, problem))
            elif name in filenames:
                yield path


def read_input(
    path: str, settings: Settings, input_format: str | None = None, stdin: BinaryIO | None = None,
    skipped: Counter[str] | None = None,
) -> ReadResult:
    """Read one input ("-" for standard input) with the reader for its format, given or detected.

    The size limits are checked before the input is read whole: text and HTML against
    ``settings.max_file_bytes``, containers against ``settings.max_container_bytes``. The call raises
    `InputError` for an unreadable or oversized input; iterating may raise it too, when the reader finds
    the whole input unreadable. A document longer than ``settings.max_document_chars`` becomes an `ItemError`.
    An item without words (an emoji-only post, a post that is only a link) is no document: it is left out,
    logged and counted in ``skipped`` (SKIPPED_NO_WORDS), and is no error.
    """
    if input_format is not None and input_format not in READERS:
        valid = ", ".join(sorted(READERS))
        raise InputError(path, f"unknown input format {input_format!r}; use one of: {valid}")
    if path == STDIN:
        source, data, input_format = _read_stdin(stdin or sys.stdin.buffer, settings, input_format)
    else:
        source, data, input_format = path, *_read_file(path, settings, input_format)
    items = _limit_document_length(READERS[input_format](data, source), settings.max_document_chars)
    return _without_wordless(items, Counter() if skipped is None else skipped)


def _without_wordless(items: ReadResult, skipped: Counter[str]) -> ReadResult:
    for item in items:
        if isinstance(item, Document) and not has_words(item.text):
            log.info("%s: skipped, %s", item.source, SKIPPED_NO_WORDS)
            skipped[SKIPPED_NO_WORDS] += 1
        else:
            yield item


def _read_file(path: str, settings: Settings, input_format: str | None) -> tuple[bytes, str]:
    try:
        with _open_regular_file(path) as file:
            size = os.fstat(file.fileno()).st_size
            head = file.read(SNIFF_BYTES + 1)
            input_format = input_format or detect_format(head, path)
            _check_size(path, size, input_format, settings)
            return head + file.read(), input_format
    except OSError as error:
        raise InputError(path, (error.strerror or str(error)).lower()) from None


def _open_regular_file(path: str) -> BinaryIO:
    """Open a file for reading, refusing what is no regular file: a folder walk may meet a named pipe, whose
    open() would wait for a writer forever, or a link to a device such as /dev/zero, which never ends."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
        raise InputError(path, "not a regular file (a named pipe, socket or device); pass its content on "
                               "standard input (-) instead")
    return os.fdopen(descriptor, "rb")


def _read_stdin(stream: BinaryIO, settings: Settings, input_format: str | None) -> tuple[str, bytes, str]:
    # Standard input has no size to check beforehand: read one byte past the largest limit and stop there.
    most = max(settings.max_file_bytes, settings.max_container_bytes)
    data = stream.read(most + 1)
    input_format = input_format or detect_format(data, None)
    _check_size(STDIN_SOURCE, len(data), input_format, settings)
    return STDIN_SOURCE, data, input_format


def _check_size(source: str, size: int, input_format: str, settings: Settings) -> None:
    if input_format in SINGLE_DOCUMENT_FORMATS:
        limit, variable = settings.max_file_bytes, "SITREP_MAX_FILE_MB"
    else:
        limit, variable = settings.max_container_bytes, "SITREP_MAX_CONTAINER_MB"
    if size > limit:
        raise InputError(
            source, f"file is {size / _MB:.1f} MB, over the {limit / _MB:.1f} MB limit for {input_format} "
            f"input; raise {variable} to ingest it"
        )


def _limit_document_length(items: ReadResult, max_chars: int) -> ReadResult:
    for item in items:
        if isinstance(item, Document) and len(item.text) > max_chars:
            yield ItemError(
                source=item.source, message=f"text is {len(item.text):,} characters, over the {max_chars:,} limit"
            )
        else:
            yield item
