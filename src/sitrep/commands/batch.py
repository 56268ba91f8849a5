"""`sitrep batch`, `sitrep load` and `sitrep watch`: batch extraction on Dask and streaming ingest.

Thin wrappers over ``sitrep.batch`` and ``sitrep.watch``; they parse options, draw progress and
print one summary line. Exit codes as everywhere: 1 when some inputs failed, 2 for usage errors.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from sitrep.commands.common import EXIT_INPUT_FAILED, EXIT_USAGE, err, fail, guarded
from sitrep.settings import Settings, get_settings

DbOption = Annotated[Optional[str], typer.Option("--db", help="Database path or URL (default: SITREP_DB, "
                                                 "else SITREP_HOME/sitrep.db).")]


def register(app: typer.Typer) -> None:
    """Add this module's commands to the CLI."""
    app.command("batch")(batch)
    app.command("load")(load)
    app.command("watch")(watch)


def _settings(db: str | None = None) -> Settings:
    return get_settings().with_overrides(db=db)


def _bar(description: str) -> Progress:
    return Progress(TextColumn(description), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, transient=True, disable=not err.is_terminal)


def _say(message: str) -> None:
    err.print(message, markup=False, highlight=False)


@guarded
def batch(inputs: Annotated[list[str], typer.Argument(help="Files or directories (read recursively).")],
          out: Annotated[str, typer.Option("--out", help="Directory for the Parquet shards (created).")],
          workers: Annotated[Optional[int], typer.Option("--workers", help="Start a local Dask cluster of N "
                                                         "processes (default: one per core).")] = None,
          scheduler: Annotated[Optional[str], typer.Option("--scheduler", help="Use the Dask cluster at this "
                                                           "address, e.g. tcp://10.0.0.5:8786.")] = None,
          partition_size: Annotated[Optional[int], typer.Option("--partition-size", help="Files per partition, "
                                                                "the unit of work and of retry (default: as the "
                                                                "last run into --out, else 20).")] = None) -> None:
    """Extract reports on a Dask cluster into Parquet shards; a rerun skips finished partitions.
    Load the shards with `sitrep load`."""
    from sitrep import batch as batching

    if workers is not None and scheduler is not None:
        fail("give --workers or --scheduler, not both", EXIT_USAGE)
    with _bar("batch") as bar:
        task = bar.add_task("batch", total=None)
        report = batching.run(inputs, out, workers=workers, scheduler=scheduler, partition_size=partition_size,
                              progress=lambda done, total: bar.update(task, completed=done, total=total),
                              settings=_settings())
    for error in report.errors:
        _say(f"sitrep: {error}")
    for index, why in sorted(report.failed.items()):
        _say(f"sitrep: partition {index} failed ({why}); run the same command again to retry it")
    _say(f"batch: {report.partitions} partitions ({report.skipped} already done, {len(report.failed)} failed), "
         f"{report.documents} documents, {len(report.errors)} errors in {report.run_seconds:.1f} s "
         f"-> {report.out_dir}")
    if not report.ok:
        raise typer.Exit(EXIT_INPUT_FAILED)


@guarded
def load(directory: Annotated[str, typer.Argument(help="The --out directory of a sitrep batch run.")],
         db: DbOption = None,
         cluster: Annotated[bool, typer.Option("--cluster/--no-cluster", help="Cluster the new claims into "
                                               "events afterwards.")] = True) -> None:
    """Load the shards of a batch run into the store; loading twice changes nothing."""
    from sitrep import batch as batching
    from sitrep.store import Store

    with Store.open(_settings(db).db_url) as store:
        shards = batching.finished_shards(directory)
        with _bar("load") as bar:
            task = bar.add_task("load", total=len(shards))
            report = batching.load(directory, store, progress=lambda shard: bar.advance(task), cluster=cluster)
    events = f", {report.clustering.events_new} new events" if report.clustering else ""
    _say(f"load: {report.shards} shards, {report.documents_new} new documents, {report.documents_unchanged} "
         f"already stored, {report.errors} input errors recorded{events}")


@guarded
def watch(directory: Annotated[str, typer.Argument(help="Directory to watch (recursively).")],
          db: DbOption = None,
          interval: Annotated[float, typer.Option("--interval", help="Seconds between polls.")] = 1.0,
          once: Annotated[bool, typer.Option("--once", help="Ingest what is there now, then exit.")] = False,
          max_polls: Annotated[Optional[int], typer.Option("--max-polls", hidden=True,
                                                           help="Stop after this many polls (tests).")] = None) -> None:
    """Ingest files as they land in DIR (write them as *.tmp or dotfiles and rename, or just copy:
    a file is read once its size is stable). Stops on Ctrl-C or SIGTERM."""
    from sitrep import watch as watching
    from sitrep.pipeline import Pipeline
    from sitrep.store import Store

    if interval <= 0:
        fail(f"--interval {interval:g} must be more than 0", EXIT_USAGE)
    settings = _settings(db)

    def announce(ingested) -> None:
        _say(f"watch: {len(ingested.files)} files, {ingested.documents_new} new documents, "
             f"{len(ingested.errors)} errors")
        for error in ingested.errors:
            _say(f"sitrep: {error}")

    with Store.open(settings.db_url) as store, watching.stop_on_signals() as stop:
        if not once:
            _say(f"watch: watching {directory} every {interval:g} s into {store.name}; Ctrl-C stops")
        report = watching.watch(directory, store, lambda: Pipeline(settings), settings, interval=interval,
                                once=once, stop=stop, max_polls=max_polls, on_ingest=announce)
    _say(f"watch: stopped after {report.polls} polls; {report.files} files, {report.documents_new} new documents")
    if once and report.errors:
        raise typer.Exit(EXIT_INPUT_FAILED)


def follow_feed(feed: str | None, paths: list[str], settings: Settings, *, interval: float,
                max_polls: int | None, cluster: bool) -> None:
    """`sitrep ingest --follow FEED`: poll the feed until Ctrl-C, SIGTERM or ``max_polls``."""
    from sitrep import follow
    from sitrep import watch as watching
    from sitrep.pipeline import Pipeline
    from sitrep.store import Store

    if feed is None:
        fail("give input paths to ingest, or --follow FEED_URL_OR_FILE", EXIT_USAGE)
    if paths:
        fail("give input paths or --follow FEED_URL_OR_FILE, not both", EXIT_USAGE)
    if interval <= 0:
        fail(f"--interval {interval:g} must be more than 0", EXIT_USAGE)

    def announce(polled) -> None:
        if polled.new:
            _say(f"follow: {polled.new} new entries, {polled.documents_new} new documents, "
                 f"{len(polled.errors)} errors")

    with Store.open(settings.db_url) as store, watching.stop_on_signals() as stop:
        report = follow.follow(feed, store, lambda: Pipeline(settings), settings, interval=interval,
                               max_polls=max_polls, stop=stop, warn=lambda line: _say(f"sitrep: warning: {line}"),
                               on_poll=announce, cluster=cluster)
    _say(f"follow: stopped after {report.polls} polls ({report.failed_polls} failed); "
         f"{report.entries_new} new entries, {report.documents_new} new documents")
