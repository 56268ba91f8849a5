"""What the commands do, as library functions: read inputs, run the pipeline, store or emit records.

The CLI (and later the API and batch runs) call these; they print nothing themselves. Progress
is reported through an optional callback so that a caller can draw a bar, or not.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sitrep.errors import InputError
from sitrep.extract.language import LanguageTally
from sitrep.ingest import iter_inputs, read_input
from sitrep.models import Document, Extraction, ItemError
from sitrep.pipeline import Pipeline
from sitrep.settings import Settings
from sitrep.store import Store

Progress = Callable[[str], None]


@dataclass
class FileOutcome:
    """What became of one input file."""

    path: str
    new: int = 0
    unchanged: int = 0
    errors: list[ItemError] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # items that are no documents, by reason

    @property
    def status(self) -> str:
        if self.errors:
            return "failed"
        if not self.new and not self.unchanged and self.skipped:
            return "skipped"
        return "ingested" if self.new else "unchanged"


@dataclass
class IngestReport:
    files: list[FileOutcome] = field(default_factory=list)
    clustering: Any = None  # sitrep.corroborate.UpdateReport when the run clustered
    languages: LanguageTally = field(default_factory=LanguageTally)  # of the documents extracted in this run

    @property
    def skipped(self) -> Counter[str]:
        return sum((outcome.skipped for outcome in self.files), Counter())

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.files if outcome.status == status)

    @property
    def documents_new(self) -> int:
        return sum(outcome.new for outcome in self.files)

    @property
    def documents_unchanged(self) -> int:
        return sum(outcome.unchanged for outcome in self.files)

    @property
    def errors(self) -> list[ItemError]:
        return [error for outcome in self.files for error in outcome.errors]

    @property
    def ok(self) -> bool:
        return not self.errors


def expand_inputs(paths: list[str]) -> tuple[list[str], list[ItemError]]:
    """The files named by ``paths`` (directories recursively); a missing path, or a link out of a
    directory, is an error, not a stop."""
    files: list[str] = []
    refused: list[InputError] = []
    for path in paths:
        try:
            files.extend(iter_inputs([path], refused))
        except InputError as error:
            refused.append(error)
    return files, [ItemError(source=error.source, message=error.cause) for error in refused]


def read_documents(path: str, settings: Settings, input_format: str | None, outcome: FileOutcome) -> Iterator[Document]:
    """The documents of one input; what cannot be read goes to ``outcome.errors``."""
    try:
        for item in read_input(path, settings, input_format, skipped=outcome.skipped):
            if isinstance(item, ItemError):
                outcome.errors.append(item)
            else:
                yield item
    except InputError as error:
        outcome.errors.append(ItemError(source=error.source, message=error.cause))


def ingest(paths: list[str], store: Store, pipeline_factory: Callable[[], Pipeline], settings: Settings,
           input_format: str | None = None, progress: Progress | None = None) -> IngestReport:
    """Read, extract and store every input. Documents already stored are skipped before the
    pipeline runs, so re-ingesting is cheap; each new document is stored in its own transaction.
    The pipeline is built only when a new document needs it."""
    files, missing = expand_inputs(paths)
    report = IngestReport(files=[FileOutcome(error.source, errors=[error]) for error in missing])
    pipeline: Pipeline | None = None
    for path in files:
        outcome = FileOutcome(path)
        report.files.append(outcome)
        fresh: dict[str, Document] = {}
        for document in read_documents(path, settings, input_format, outcome):
            if document.id in fresh or store.has_document(document.id):
                outcome.unchanged += 1
            else:
                fresh[document.id] = document
        if fresh:
            pipeline = pipeline or pipeline_factory()
            before = _languages(pipeline).copy()
            for extraction in pipeline.pipe(fresh.values()):
                # add() is False when another writer stored the same document meanwhile.
                if store.add(extraction):
                    outcome.new += 1
                else:
                    outcome.unchanged += 1
            report.languages.add_tally(_languages(pipeline).since(before))
        for error in outcome.errors:
            store.record_error(error.source, error.message)
        if progress:
            progress(path)
    return report


def extract(paths: list[str], pipeline_factory: Callable[[], Pipeline], settings: Settings,
            input_format: str | None = None, errors: list[ItemError] | None = None,
            languages: LanguageTally | None = None) -> Iterator[Extraction]:
    """Extraction records for every input, with no database; unreadable parts go to ``errors``, and the
    documents and paragraphs extracted are counted by language in ``languages``."""
    files, missing = expand_inputs(paths)
    if errors is not None:
        errors.extend(missing)
    pipeline: Pipeline | None = None
    for path in files:
        outcome = FileOutcome(path)
        documents = list(read_documents(path, settings, input_format, outcome))
        if errors is not None:
            errors.extend(outcome.errors)
        if documents:
            pipeline = pipeline or pipeline_factory()
            before = _languages(pipeline).copy()
            yield from pipeline.pipe(documents)
            if languages is not None:
                languages.add_tally(_languages(pipeline).since(before))


def _languages(pipeline) -> LanguageTally:
    """The pipeline's tally of languages; a stand-in pipeline without one (tests, plug-ins) counts nothing."""
    return getattr(pipeline, "languages", None) or LanguageTally()
