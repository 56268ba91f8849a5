"""Batch extraction on Dask: ``Pipeline.pipe`` mapped over partitions of the inputs, one Parquet
shard per partition; and ``load``, which puts the shards into a store.

The worker holds no logic of its own. It reads its files with the same readers as ``sitrep
ingest`` (``service.read_documents``), runs the same ``Pipeline(settings).pipe`` and writes what
came out. What makes a rerun cheap and a crash harmless:

- ``plan`` is deterministic: the same files (paths, sizes, mtimes) and the same pipeline version
  give the same partitions with the same ids, hence the same shard names.
- A shard is written to a hidden temporary name and renamed into place (``os.replace`` is atomic
  on POSIX), so a shard that exists is complete. The errors shard of a partition is renamed first
  and the data shard last: the data shard is the partition's "finished" mark.
- A worker that dies leaves at most a hidden ``.part-*.tmp`` file, which ``load`` never reads and
  the next ``run`` removes before it resubmits the partition.
- ``load`` relies on ``Store.add`` being idempotent (the document id is the hash of its text), so
  loading twice, or loading shards that overlap, changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import ValidationError

from sitrep import service
from sitrep.errors import ConfigError, InputError
from sitrep.models import PIPELINE_VERSION, Document, Extraction, ItemError
from sitrep.settings import Settings, get_settings

# Files per partition. A partition is the unit of retry and of progress: 20 text reports take a
# worker ~5-10 s at ~4,500 words/s, short enough that a crash loses little and the bar moves, long
# enough that scheduling (~ms per task) and one Parquet write per partition cost nothing.
DEFAULT_PARTITION_SIZE = 20

SHARD_FORMAT = "sitrep/shard/v1"
MANIFEST = "_manifest.json"
_SHARD_GLOB = "part-*.parquet"
_ERRORS_SUFFIX = ".errors.parquet"
_TEMP_PREFIX = ".part-"
_TEMP_SUFFIX = ".tmp"

# Explicit, so that every shard has the same columns and types whatever its rows. ``record`` is the
# whole Extraction as JSON (lossless); the flat columns are there for a quick look with any Parquet tool.
SHARD_SCHEMA = pa.schema(
    [
        pa.field("document_id", pa.string(), nullable=False),
        pa.field("source", pa.string(), nullable=False),
        pa.field("pipeline", pa.string(), nullable=False),
        pa.field("published", pa.date32()),
        pa.field("outlet", pa.string()),
        pa.field("places", pa.int32(), nullable=False),
        pa.field("claims", pa.int32(), nullable=False),
        pa.field("record", pa.large_string(), nullable=False),
    ],
    metadata={"sitrep": SHARD_FORMAT},
)
ERRORS_SCHEMA = pa.schema(
    [pa.field("source", pa.string(), nullable=False), pa.field("message", pa.string(), nullable=False)],
    metadata={"sitrep": SHARD_FORMAT},
)

Progress = Callable[[int, int], None]  # (partitions done, partitions to run)


@dataclass(frozen=True)
class Partition:
    """A fixed set of input files, and the names its shards will have."""

    index: int
    id: str
    paths: tuple[str, ...]

    @property
    def shard_name(self) -> str:
        return f"part-{self.index:05d}-{self.id}.parquet"

    @property
    def errors_name(self) -> str:
        return f"part-{self.index:05d}-{self.id}{_ERRORS_SUFFIX}"


@dataclass
class ShardResult:
    """What one partition produced (returned from the worker, so plain values only)."""

    index: int
    id: str
    shard: str
    documents: int = 0
    claims: int = 0
    words: int = 0
    errors: list[ItemError] = field(default_factory=list)
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # of the worker process: the rate per core, whatever else shares the machine
    worker_pid: int = 0


@dataclass
class BatchReport:
    out_dir: str
    partitions: int = 0
    skipped: int = 0
    results: list[ShardResult] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)  # partition index -> why (e.g. the worker died)
    input_errors: list[ItemError] = field(default_factory=list)
    startup_seconds: float = 0.0
    run_seconds: float = 0.0

    @property
    def documents(self) -> int:
        return sum(result.documents for result in self.results)

    @property
    def words(self) -> int:
        return sum(result.words for result in self.results)

    @property
    def errors(self) -> list[ItemError]:
        return self.input_errors + [error for result in self.results for error in result.errors]

    @property
    def ok(self) -> bool:
        return not self.errors and not self.failed


@dataclass
class LoadReport:
    shards: int = 0
    documents_new: int = 0
    documents_unchanged: int = 0
    errors: int = 0
    clustering: Any = None  # sitrep.corroborate.UpdateReport


# Planning


def plan(inputs: list[str], partition_size: int = DEFAULT_PARTITION_SIZE) -> list[Partition]:
    """The inputs' files, sorted and cut into partitions of ``partition_size`` files.

    A partition's id hashes its members' paths, sizes and mtimes and the pipeline version, so a
    rerun over unchanged inputs finds the same partitions, and a changed file or a new sitrep gives
    a new id (and a new shard). Missing inputs are left out here; ``run`` reports them.
    """
    if partition_size < 1:
        raise ConfigError(f"--partition-size {partition_size} must be at least 1")
    if "-" in inputs:
        raise ConfigError("batch cannot read standard input; give files or directories")
    files, _missing = service.expand_inputs(inputs)
    files = sorted({os.path.abspath(path) for path in files if path != "-"})
    return [
        Partition(index=number, id=_partition_id(chunk), paths=tuple(chunk))
        for number, chunk in enumerate(_chunks(files, partition_size))
    ]


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _partition_id(paths: list[str]) -> str:
    digest = hashlib.sha256(PIPELINE_VERSION.encode())
    for path in paths:
        try:
            status = os.stat(path)
            stamp = f"{status.st_size}:{status.st_mtime_ns}"
        except OSError:
            stamp = "missing"
        digest.update(f"\0{path}\0{stamp}".encode())
    return digest.hexdigest()[:16]


# On the worker

_PIPELINES: dict[Settings, Any] = {}


def _pipeline(settings: Settings) -> Any:
    """One Pipeline per worker process and settings: spaCy and the gazetteer load once, not per task."""
    if settings not in _PIPELINES:
        from sitrep.pipeline import Pipeline

        _PIPELINES[settings] = Pipeline(settings)
    return _PIPELINES[settings]


def run_partition(partition: Partition, out_dir: str, settings: Settings | None = None) -> ShardResult:
    """Read, extract and write one partition's shards; what cannot be read or extracted goes to the
    errors shard, so one bad document never fails the partition. Without ``settings``, the worker's
    own environment's."""
    settings = settings or get_settings()
    started, cpu_started = time.perf_counter(), time.process_time()
    errors: list[ItemError] = []
    documents = _read_partition(partition, settings, errors)
    extractions = _extract(_pipeline(settings), documents, errors) if documents else []
    if errors:
        _write_atomic(_errors_table(errors), Path(out_dir) / partition.errors_name)
    _write_atomic(_shard_table(extractions), Path(out_dir) / partition.shard_name)
    return ShardResult(
        index=partition.index, id=partition.id, shard=partition.shard_name, documents=len(extractions),
        claims=sum(len(extraction.claims) for extraction in extractions),
        words=sum(len(extraction.document.text.split()) for extraction in extractions),
        errors=errors, seconds=time.perf_counter() - started, cpu_seconds=time.process_time() - cpu_started,
        worker_pid=os.getpid(),
    )


def _read_partition(partition: Partition, settings: Settings, errors: list[ItemError]) -> list[Document]:
    """The partition's documents, each text once (the same text twice is one document)."""
    documents: dict[str, Document] = {}
    for path in partition.paths:
        outcome = service.FileOutcome(path)
        for document in service.read_documents(path, settings, None, outcome):
            documents.setdefault(document.id, document)
        errors.extend(outcome.errors)
    return list(documents.values())


def _extract(pipeline: Any, documents: list[Document], errors: list[ItemError]) -> list[Extraction]:
    """``pipeline.pipe`` over all documents; if it fails, again one document at a time, so that only
    the documents that fail are lost (to the errors shard)."""
    try:
        return list(pipeline.pipe(documents))
    except Exception:  # noqa: BLE001 - isolate the culprit below, whatever it raised
        pass
    extractions = []
    for document in documents:
        try:
            extractions.append(pipeline.process(document))
        except Exception as error:  # noqa: BLE001 - one bad document must not fail the partition
            errors.append(ItemError(source=document.source, message=f"extraction failed: {type(error).__name__}: {error}"))
    return extractions


def _shard_table(extractions: list[Extraction]) -> pa.Table:
    columns: dict[str, list[Any]] = {name: [] for name in SHARD_SCHEMA.names}
    for extraction in extractions:
        document = extraction.document
        columns["document_id"].append(document.id)
        columns["source"].append(document.source)
        columns["pipeline"].append(extraction.pipeline)
        columns["published"].append(document.published)
        columns["outlet"].append(document.outlet)
        columns["places"].append(len(extraction.places))
        columns["claims"].append(len(extraction.claims))
        columns["record"].append(extraction.to_json())
    return pa.table(columns, schema=SHARD_SCHEMA)


def _errors_table(errors: list[ItemError]) -> pa.Table:
    return pa.table({"source": [e.source for e in errors], "message": [e.message for e in errors]},
                    schema=ERRORS_SCHEMA)


def _write_atomic(table: pa.Table, target: Path) -> None:
    """Write to a hidden temporary name in the same directory, flush it to disk, then rename."""
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}{_TEMP_SUFFIX}")
    try:
        with open(temporary, "wb") as file:
            pq.write_table(table, file, compression="zstd")
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


# On the client


def run(inputs: list[str], out_dir: str, *, workers: int | None = None, scheduler: str | None = None,
        partition_size: int | None = None, progress: Progress | None = None,
        settings: Settings | None = None) -> BatchReport:
    """Extract every input into shards under ``out_dir``, on a local cluster or an existing one.

    Steps: plan the partitions; skip those whose data shard exists; remove temporary files left by
    dead workers; start (or attach to) the cluster; submit one task per remaining partition and
    collect them as they complete; write ``_manifest.json``. A partition whose task fails (its
    worker died twice, say) is reported in ``failed`` and the others go on; a rerun retries it.

    Without ``partition_size``, a rerun uses the size recorded in the manifest, so that it finds
    the same partitions. Workers of a local cluster get ``settings``; workers of an existing cluster
    (``scheduler``) read their own environment (SITREP_HOME, SITREP_SPACY_MODEL), because the
    client's paths need not exist on their machines.
    """
    settings = settings or get_settings()
    directory = _prepare_out_dir(out_dir)
    if partition_size is None:
        partition_size = _recorded_partition_size(directory) or DEFAULT_PARTITION_SIZE
    partitions = plan(inputs, partition_size)
    report = BatchReport(out_dir=str(directory), partitions=len(partitions),
                         input_errors=service.expand_inputs(inputs)[1])
    pending = [partition for partition in partitions if not (directory / partition.shard_name).exists()]
    report.skipped = len(partitions) - len(pending)
    _remove_temporaries(directory)
    if pending:
        _run_pending(pending, directory, settings, report, workers=workers, scheduler=scheduler, progress=progress)
        # Dask reran the tasks of workers that died; what those left half-written goes now.
        _remove_temporaries(directory)
    _write_manifest(directory, partitions, report, partition_size)
    return report


def _run_pending(pending: list[Partition], directory: Path, settings: Settings, report: BatchReport, *,
                 workers: int | None, scheduler: str | None, progress: Progress | None) -> None:
    from distributed import as_completed

    started = time.perf_counter()
    with _client(workers, scheduler) as client:
        report.startup_seconds = time.perf_counter() - started
        started = time.perf_counter()
        worker_settings = settings if scheduler is None else None
        futures = {client.submit(run_partition, partition, str(directory), worker_settings, pure=False,
                                 key=f"sitrep-partition-{partition.index}-{partition.id}-{uuid.uuid4().hex[:6]}"):
                   partition for partition in pending}
        if progress:
            progress(0, len(pending))
        for done, future in enumerate(as_completed(futures), start=1):
            try:
                report.results.append(future.result())
            except Exception as error:  # noqa: BLE001 - a lost partition is reported, the rest go on
                report.failed[futures[future].index] = f"{type(error).__name__}: {error}".splitlines()[0]
            if progress:
                progress(done, len(pending))
        report.run_seconds = time.perf_counter() - started
    report.results.sort(key=lambda result: result.index)


@contextmanager
def _client(workers: int | None, scheduler: str | None) -> Iterator[Any]:
    """A client on a new LocalCluster of ``workers`` single-threaded processes, or on ``scheduler``."""
    from distributed import Client, LocalCluster

    if scheduler is not None:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as error:
            raise ConfigError(f"cannot reach the Dask scheduler at {scheduler}: {error}; is it running?") from None
        with client:
            yield client
        return
    if workers is not None and workers < 1:
        raise ConfigError(f"--workers {workers} must be at least 1")
    # One thread per process: spaCy holds the GIL, so threads would only share a core. No dashboard;
    # the scheduler's small HTTP server still starts, on a free loopback port rather than 8787, which
    # another cluster (a notebook's) may hold.
    with LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                      dashboard_address=None, scheduler_kwargs={"dashboard_address": "127.0.0.1:0"}) as cluster, \
            Client(cluster) as client:
        yield client


def _prepare_out_dir(out_dir: str) -> Path:
    directory = Path(out_dir).resolve()  # workers may run elsewhere: no path relative to our cwd
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(out_dir, f"cannot create the output directory ({error.strerror or error})") from None
    return directory


def _recorded_partition_size(directory: Path) -> int | None:
    try:
        size = json.loads((directory / MANIFEST).read_text(encoding="utf-8")).get("partition_size")
    except (OSError, ValueError, AttributeError):
        return None
    return size if isinstance(size, int) and size > 0 else None


def _remove_temporaries(directory: Path) -> None:
    # Only a dead worker, or a client killed while writing the manifest, leaves these; one run per
    # output directory at a time is assumed.
    for pattern in (f"{_TEMP_PREFIX}*{_TEMP_SUFFIX}", f".{MANIFEST}.*{_TEMP_SUFFIX}"):
        for temporary in directory.glob(pattern):
            temporary.unlink(missing_ok=True)


def _write_manifest(directory: Path, partitions: list[Partition], report: BatchReport, partition_size: int) -> None:
    results = {result.index: result for result in report.results}
    entries = []
    for partition in partitions:
        result = results.get(partition.index)
        status = ("failed" if partition.index in report.failed else "done" if result else "skipped")
        entry: dict[str, Any] = {"index": partition.index, "id": partition.id, "shard": partition.shard_name,
                                 "files": list(partition.paths), "status": status}
        if result:
            entry.update(documents=result.documents, claims=result.claims, errors=len(result.errors))
        if partition.index in report.failed:
            entry["failure"] = report.failed[partition.index]
        entries.append(entry)
    manifest = {
        "format": SHARD_FORMAT, "pipeline": PIPELINE_VERSION, "partition_size": partition_size,
        "written_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "input_errors": [error.model_dump() for error in report.input_errors], "partitions": entries,
    }
    target = directory / MANIFEST
    temporary = directory / f".{MANIFEST}.{uuid.uuid4().hex[:8]}{_TEMP_SUFFIX}"
    temporary.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(temporary, target)


# Loading


def finished_shards(out_dir: str) -> list[Path]:
    """The data shards under ``out_dir``, in partition order (temporary files are hidden, so never listed)."""
    directory = Path(out_dir)
    if not directory.is_dir():
        raise InputError(out_dir, "no such directory; give the --out directory of a sitrep batch run")
    return sorted(path for path in directory.glob(_SHARD_GLOB) if not path.name.endswith(_ERRORS_SUFFIX))


def load(out_dir: str, store: Any, progress: Callable[[Path], None] | None = None, *,
         cluster: bool = True) -> LoadReport:
    """Add every finished shard's records to ``store``, record its errors shard, then cluster
    (``corroborate.update``) unless ``cluster`` is False.

    Every shard's schema is checked before anything is written, so a truncated or foreign file
    stops the load with an ``InputError`` naming it and nothing loaded; a bad record found later
    names its shard and row. Loading again adds nothing: ``Store.add`` skips stored documents.
    """
    from sitrep import corroborate

    shards = finished_shards(out_dir)
    for shard in shards:
        _check_schema(shard, SHARD_SCHEMA)
        errors_shard = shard.with_name(shard.name.removesuffix(".parquet") + _ERRORS_SUFFIX)
        if errors_shard.exists():
            _check_schema(errors_shard, ERRORS_SCHEMA)
    report = LoadReport(shards=len(shards))
    for shard in shards:
        for extraction in _read_records(shard):
            if store.add(extraction):
                report.documents_new += 1
            else:
                report.documents_unchanged += 1
        report.errors += _load_errors(shard, store)
        if progress:
            progress(shard)
    if cluster:
        report.clustering = corroborate.update(store)
    return report


def _check_schema(path: Path, expected: pa.Schema) -> None:
    try:
        found = pq.read_schema(path)
    except (pa.ArrowException, OSError) as error:
        raise InputError(str(path), f"not a readable Parquet shard ({_one_line(error)}); delete it and rerun "
                         "sitrep batch to rewrite it") from None
    if not found.equals(expected, check_metadata=False) or (found.metadata or {}).get(b"sitrep") != SHARD_FORMAT.encode():
        raise InputError(str(path), f"not a {SHARD_FORMAT} shard (columns: {', '.join(found.names)}); "
                         "remove it from the directory or rerun sitrep batch")


def _read_records(shard: Path) -> Iterator[Extraction]:
    try:
        table = pq.read_table(shard, columns=["record"])
    except (pa.ArrowException, OSError) as error:
        raise InputError(str(shard), f"not a readable Parquet shard ({_one_line(error)}); delete it and "
                         "rerun sitrep batch to rewrite it") from None
    for row, record in enumerate(table.column("record").to_pylist()):
        try:
            yield Extraction.model_validate_json(record)
        except ValidationError as error:
            raise InputError(str(shard), f"row {row} is not an extraction record "
                             f"({error.error_count()} problems, first: {error.errors()[0]['msg']})") from None


def _load_errors(shard: Path, store: Any) -> int:
    errors_shard = shard.with_name(shard.name.removesuffix(".parquet") + _ERRORS_SUFFIX)
    if not errors_shard.exists():
        return 0
    try:
        rows = pq.read_table(errors_shard).to_pylist()
    except (pa.ArrowException, OSError) as error:
        raise InputError(str(errors_shard), f"not a readable Parquet shard ({_one_line(error)})") from None
    for row in rows:
        store.record_error(row["source"], row["message"])
    return len(rows)


def _one_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]

