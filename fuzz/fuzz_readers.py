"""Coverage-guided fuzzing of the readers with atheris (libFuzzer for Python).

The first byte of an input picks the reader (text, html, feed, telegram, jsonl) or format detection
through ``read_input``; the rest is the file's content. A reader may refuse an input only with
``InputError``; any other exception, or an item that is not a valid ``Document`` or ``ItemError``,
crashes the fuzzer, which writes the input to a ``crash-*`` file.

    python fuzz/fuzz_readers.py --make-corpus DIR          # seed corpus from the project's own samples
    python fuzz/fuzz_readers.py DIR -max_total_time=600 -dict=fuzz/readers.dict   # fuzz (libFuzzer's flags)
    python fuzz/fuzz_readers.py crash-1234abcd             # rerun one input, e.g. a crash file

Only the project's samples (samples/reports) and test fixtures seed the corpus, with each file once
for its own reader and once for detection; ``make fuzz`` does both steps.
"""

from __future__ import annotations

import io
import logging
import sys
from pathlib import Path

import atheris

# Instrumented: the readers and the parsers they call, so that new branches in any of them count as
# progress. Not the rest (pydantic, the standard library's email and http modules that they import):
# their branches say nothing about the readers, and instrumenting them makes start-up slower.
INSTRUMENTED = ["sitrep", "feedparser", "htmldate", "trafilatura", "justext", "charset_normalizer", "courlan"]

with atheris.instrument_imports(include=INSTRUMENTED):
    from sitrep.errors import InputError
    from sitrep.ingest import READERS, read_input
    from sitrep.ingest.base import document_id
    from sitrep.models import Document, ItemError
    from sitrep.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SEED_DIRECTORIES = (ROOT / "samples" / "reports", ROOT / "tests" / "fixtures")
FORMATS = tuple(READERS)
DETECT = len(FORMATS)  # the selector value after the readers: format detection on the bytes
# The default size limits: fuzz inputs stay far below them, so they never decide an outcome here.
SETTINGS = Settings()
SEED_FORMATS = {".txt": "text", ".html": "html", ".htm": "html", ".xml": "feed", ".atom": "feed",
                ".json": "telegram", ".jsonl": "jsonl"}


def read(data: bytes) -> list[Document | ItemError]:
    """Read one fuzz input: the first byte selects the reader, the rest is the input's content."""
    if not data:
        return []
    selector, content = data[0] % (DETECT + 1), data[1:]
    if selector == DETECT:
        return list(read_input("-", SETTINGS, stdin=io.BytesIO(content)))
    return list(READERS[FORMATS[selector]](content, "fuzz"))


def check_item(item: object) -> None:
    """A reader's item must be a well-formed Document (non-empty text, id from the text) or ItemError."""
    if isinstance(item, ItemError):
        if not item.source or not item.message:
            raise AssertionError(f"an ItemError without source or message: {item!r}")
        return
    if not isinstance(item, Document):
        raise AssertionError(f"a reader yielded {type(item).__name__}, not a Document or ItemError")
    if not item.text.strip():
        raise AssertionError(f"a Document without text: {item!r}")
    if item.id != document_id(item.text):
        raise AssertionError(f"a Document whose id is not its text's hash: {item!r}")
    Document.model_validate_json(item.model_dump_json())


def test_one_input(data: bytes) -> None:
    try:
        items = read(data)
    except InputError:
        return
    for item in items:
        check_item(item)


def make_corpus(directory: Path) -> int:
    """Write the seed corpus into ``directory``: each sample once for its reader, once for detection."""
    directory.mkdir(parents=True, exist_ok=True)
    count = 0
    for seed_directory in SEED_DIRECTORIES:
        for path in sorted(seed_directory.rglob("*")):
            reader = SEED_FORMATS.get(path.suffix.lower())
            if not path.is_file() or reader is None:
                continue
            content = path.read_bytes()
            for selector in (FORMATS.index(reader), DETECT):
                (directory / f"{path.stem}.{selector}").write_bytes(bytes([selector]) + content)
                count += 1
    return count


def main(argv: list[str]) -> None:
    if len(argv) == 3 and argv[1] == "--make-corpus":
        print(f"{make_corpus(Path(argv[2]))} seed inputs in {argv[2]}")
        return
    # The readers log each malformed feed or skipped message; at thousands of runs a second that
    # would bury libFuzzer's own report.
    logging.disable(logging.CRITICAL)
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
