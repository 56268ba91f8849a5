"""Streaming ingest of a directory: ``sitrep watch DIR`` ingests files as they land.

The directory is polled with ``os.stat`` (no extra dependency, and it works the same on network
file systems where inotify does not). A file is read only once its size and mtime are stable, so a
report still being copied in is not read half-way. Writers that can should still land files
atomically (write ``name.tmp`` or a dotfile, then rename): those names are ignored here.

What has been ingested is remembered by the store itself: document ids are hashes of the text, so
a restarted watcher re-reads the directory but runs the pipeline only on texts it has not stored.
"""

from __future__ import annotations

import functools
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitrep import corroborate, service
from sitrep.errors import InputError
from sitrep.ingest import link_outside
from sitrep.models import ItemError
from sitrep.settings import Settings
from sitrep.store import Store

if TYPE_CHECKING:
    from sitrep.pipeline import Pipeline

DEFAULT_INTERVAL_S = 1.0
# A file whose mtime is this old is taken as complete without waiting for a second look: copies and
# downloads touch the mtime at least every few hundred ms while they write. Files younger than this
# must look the same on two polls in a row.
SETTLED_AFTER_S = 2.0
# Files ingested per poll at most: a directory that starts with thousands of files is worked off in
# batches, between which a stop request is seen and clustering makes the first events queryable.
FILES_PER_BATCH = 50
# Names that writers use while a file is incomplete (rsync, curl, browsers, editors).
IGNORED_SUFFIXES = (".tmp", ".part", ".partial", ".crdownload", ".swp", "~")

Stat = tuple[int, int]  # (size, mtime_ns)
OnIngest = Callable[[service.IngestReport], None]


@dataclass
class WatchReport:
    polls: int = 0
    files: int = 0
    documents_new: int = 0
    errors: int = 0


@dataclass
class _Watcher:
    """The state between polls: what each file looked like last time, and when it was ingested."""

    directory: Path
    last_seen: dict[str, Stat] = field(default_factory=dict)
    ingested: dict[str, Stat] = field(default_factory=dict)
    # Links out of the directory, each reported once while it stays there (path -> why).
    refused: dict[str, str] = field(default_factory=dict)
    fresh_refusals: list[ItemError] = field(default_factory=list)  # those the last ``ready`` found first

    def ready(self, now: float) -> tuple[list[str], bool]:
        """Files new or changed since they were ingested and settled; and whether others are still settling."""
        ready, settling = [], False
        current: dict[str, Stat] = {}
        outside: dict[str, str] = {}
        for path, found in _scan(self.directory):
            if isinstance(found, str):
                outside[path] = found
            else:
                current[path] = found
        self.fresh_refusals = [ItemError(source=path, message=why) for path, why in sorted(outside.items())
                               if path not in self.refused]
        self.refused = outside
        for path, stat in current.items():
            if self.ingested.get(path) == stat:
                continue
            if self.last_seen.get(path) == stat or now - stat[1] / 1e9 >= SETTLED_AFTER_S:
                ready.append(path)
            else:
                settling = True
        self.last_seen = current
        # Forget files that were removed, so that a long-running watcher's memory stays bounded.
        self.ingested = {path: stat for path, stat in self.ingested.items() if path in current}
        return sorted(ready), settling


def watch(directory: str, store: Store, pipeline_factory: Callable[[], Pipeline], settings: Settings, *,
          interval: float = DEFAULT_INTERVAL_S, once: bool = False, stop: threading.Event | None = None,
          max_polls: int | None = None, on_ingest: OnIngest | None = None) -> WatchReport:
    """Poll ``directory`` every ``interval`` seconds and ingest what lands, until ``stop`` is set.

    With ``once``, ingest what is there now (waiting for files still being written to settle) and
    return. Each batch of ready files goes through ``service.ingest`` and then
    ``corroborate.update``, so its events are queryable when ``on_ingest`` is called.
    """
    if not os.path.isdir(directory):
        raise InputError(directory, "no such directory to watch")
    stop = stop or threading.Event()
    build = functools.cache(pipeline_factory)  # service.ingest asks for a pipeline on every call
    watcher, report = _Watcher(Path(directory)), WatchReport()
    while not stop.is_set():
        report.polls += 1
        ready, settling = watcher.ready(time.time())
        if watcher.fresh_refusals:
            _refuse(watcher.fresh_refusals, store, report, on_ingest)
        batch, backlog = ready[:FILES_PER_BATCH], ready[FILES_PER_BATCH:]
        if batch:
            _ingest(batch, store, build, settings, watcher, report, on_ingest)
        if (once and not settling and not backlog) or (max_polls is not None and report.polls >= max_polls):
            break
        if not backlog:
            stop.wait(interval)
    return report


def _ingest(paths: list[str], store: Store, build: Callable[[], Pipeline], settings: Settings,
            watcher: _Watcher, report: WatchReport, on_ingest: OnIngest | None) -> None:
    ingested = service.ingest(paths, store, build, settings)
    ingested.clustering = corroborate.update(store)
    for path in paths:
        # Remember the stat seen before reading: a file rewritten meanwhile differs and is read again.
        watcher.ingested[path] = watcher.last_seen[path]
    report.files += len(paths)
    report.documents_new += ingested.documents_new
    report.errors += len(ingested.errors)
    if on_ingest:
        on_ingest(ingested)


def _refuse(refusals: list[ItemError], store: Store, report: WatchReport, on_ingest: OnIngest | None) -> None:
    """Report links that point out of the watched directory, as failed files (they are not read)."""
    for refusal in refusals:
        store.record_error(refusal.source, refusal.message)
    report.errors += len(refusals)
    if on_ingest:
        on_ingest(service.IngestReport(files=[service.FileOutcome(refusal.source, errors=[refusal])
                                              for refusal in refusals]))


def _scan(directory: Path) -> Iterator[tuple[str, Stat | str]]:
    """Every regular file under ``directory`` that is not hidden or a writer's temporary, with its stat;
    a symbolic link that resolves outside ``directory`` comes with the reason it is not read instead.

    A drop folder is where a planted link is likeliest: one to ~/.ssh/id_ed25519 would otherwise be
    ingested and served by the API to anyone who can read the store."""
    root = os.path.realpath(directory)
    for current, dirnames, filenames in os.walk(directory):
        dirnames[:] = [name for name in dirnames if not name.startswith(".")]
        for name in dirnames + filenames:
            if name.startswith(".") or name.endswith(IGNORED_SUFFIXES):
                continue
            path = os.path.join(current, name)
            problem = link_outside(path, root)
            if problem is not None:
                yield path, problem
                continue
            if name not in filenames:
                continue  # a directory: os.walk enters it (not a linked one)
            try:
                status = os.stat(path)
            except OSError:
                continue  # removed between listing and stat
            yield path, (status.st_size, status.st_mtime_ns)


@contextmanager
def stop_on_signals() -> Iterator[threading.Event]:
    """An event set by SIGTERM or the first Ctrl-C, so a polling loop finishes its current file and
    returns; a second Ctrl-C interrupts at once. Outside the main thread, no handlers are installed."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def handle(signum: int, _frame: Any) -> None:
        if signum == signal.SIGINT and stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    previous = {signum: signal.signal(signum, handle) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
