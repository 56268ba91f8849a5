"""The command line: thin Typer wrappers over service.py, the store and the renderers.

Errors reach the user as one line on standard error (``sitrep: <file>: <cause>``), never as a
traceback; set SITREP_DEBUG=1 to see one. Exit codes: 0 ok, 1 some inputs failed (the good ones
were still processed), 2 usage or configuration error, 3 internal error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from sitrep import __version__, render, service
from sitrep.commands import batch, crossdoc, evaluate, export, gazetteer, serve
from sitrep.commands.common import EXIT_INPUT_FAILED, check_choice, err, guarded, out, parse_date
from sitrep.commands.resolve import resolve
from sitrep.extract.language import LanguageTally
from sitrep.models import Extraction
from sitrep.settings import Settings, get_settings
from sitrep.store import Store

app = typer.Typer(help="sitrep: sourced, geolocated, time-resolved event data from war reporting.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
app.add_typer(gazetteer.app, name="gazetteer")
app.add_typer(evaluate.app, name="eval")
app.command()(resolve)
crossdoc.register(app)
serve.register(app)
export.register(app)
batch.register(app)

DbOption = Annotated[Optional[str], typer.Option("--db", help="Database path or URL (default: SITREP_DB, "
                                                 "else SITREP_HOME/sitrep.db).")]
FormatOption = Annotated[Optional[str], typer.Option("--input-format", help="Override format detection: "
                                                     "text, html, feed, telegram or jsonl.")]


def _settings(db: str | None = None) -> Settings:
    return get_settings().with_overrides(db=db)


def _pipeline_factory(settings: Settings):
    from sitrep.pipeline import Pipeline  # spaCy loads only for commands that extract

    return lambda: Pipeline(settings)


@app.command()
@guarded
def ingest(paths: Annotated[Optional[list[str]], typer.Argument(help="Files, directories (read recursively) "
                                                                "or - for stdin.", show_default=False)] = None,
           db: DbOption = None, input_format: FormatOption = None,
           cluster: Annotated[bool, typer.Option("--cluster/--no-cluster", help="Cluster the new claims into "
                                                 "events afterwards (sitrep cluster does it later).")] = True,
           follow: Annotated[Optional[str], typer.Option("--follow", help="Poll this feed (URL or file) and ingest "
                                                         "entries not seen before, until Ctrl-C.")] = None,
           interval: Annotated[float, typer.Option("--interval", help="Seconds between polls of --follow.")] = 300.0,
           max_polls: Annotated[Optional[int], typer.Option("--max-polls", help="Stop --follow after this "
                                                            "many polls.")] = None,
           allow_private_urls: Annotated[bool, typer.Option("--allow-private-urls", help="Let --follow fetch from "
                                                            "loopback and private addresses (also "
                                                            "SITREP_ALLOW_PRIVATE_URLS=1); off, so that a feed "
                                                            "cannot reach your own network.")] = False) -> None:
    """Extract claims from reports, store them and cluster them into events; re-ingesting the same
    text changes nothing. With --follow, poll a feed instead; the entries seen are remembered in
    the database across restarts."""
    settings = _settings(db).with_overrides(allow_private_urls=allow_private_urls or None)
    if follow is not None or not paths:
        batch.follow_feed(follow, paths or [], settings, interval=interval, max_polls=max_polls, cluster=cluster)
        return
    with Store.open(settings.db_url) as store:
        files, _ = service.expand_inputs(paths)
        with _progress_bar() as bar:
            task = bar.add_task("ingest", total=len(files) or None)
            report = service.ingest(paths, store, _pipeline_factory(settings), settings, input_format,
                                    progress=lambda path: bar.advance(task))
        if cluster:
            from sitrep import corroborate

            report.clustering = corroborate.update(store)
    render.ingest_summary(err, report)
    if not report.ok:
        raise typer.Exit(EXIT_INPUT_FAILED)


def _progress_bar() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, transient=True, disable=not err.is_terminal)


@app.command()
@guarded
def extract(paths: Annotated[list[str], typer.Argument(help="Files, directories or - for stdin.")],
            format: Annotated[str, typer.Option("--format", help="jsonl or table.")] = "jsonl",
            input_format: FormatOption = None) -> None:
    """Print extraction records (schema sitrep/extract/v1) without touching a database."""
    _check_choice("--format", format, ("jsonl", "table"))
    settings = _settings()
    errors: list = []
    languages = LanguageTally()
    for extraction in service.extract(paths, _pipeline_factory(settings), settings, input_format, errors, languages):
        if format == "jsonl":
            sys.stdout.write(extraction.to_json() + "\n")
        else:
            render.claims_table(out, render.rows_from_extraction(extraction))
    unread = languages.unsupported_summary()
    if unread:
        err.print(f"sitrep: {unread}: marked with their language, not parsed", markup=False, highlight=False)
    for error in errors:
        err.print(f"sitrep: {error}", markup=False, highlight=False)
    if errors:
        raise typer.Exit(EXIT_INPUT_FAILED)


@app.command()
@guarded
def documents(db: DbOption = None,
              format: Annotated[str, typer.Option("--format", help="table or jsonl.")] = "table",
              limit: Annotated[Optional[int], typer.Option(help="At most this many.")] = None) -> None:
    """List stored documents: id, metadata and text."""
    _check_choice("--format", format, ("table", "jsonl"))
    with Store.open(_settings(db).db_url) as store:
        docs = list(store.documents(limit=limit))
    if format == "jsonl":
        for document in docs:
            sys.stdout.write(document.model_dump_json() + "\n")
    else:
        render.documents_table(out, docs)


@app.command()
@guarded
def claims(db: DbOption = None,
           place: Annotated[Optional[str], typer.Option(help="Claims that mention this place.")] = None,
           source: Annotated[Optional[str], typer.Option(help="Claims whose source name contains this.")] = None,
           since: Annotated[Optional[str], typer.Option(help="From this date (YYYY-MM-DD).")] = None,
           until: Annotated[Optional[str], typer.Option(help="Up to this date (YYYY-MM-DD).")] = None,
           type: Annotated[Optional[str], typer.Option("--type", help="ACLED event type.")] = None,
           format: Annotated[str, typer.Option("--format", help="table, jsonl or csv.")] = "table",
           limit: Annotated[Optional[int], typer.Option(help="At most this many.")] = None) -> None:
    """List stored claims, filtered."""
    _check_choice("--format", format, ("table", "jsonl", "csv"))
    with Store.open(_settings(db).db_url) as store:
        found = list(store.claims(place=place, source=source, since=_date("--since", since),
                                  until=_date("--until", until), event_type=type, limit=limit))
    if format == "jsonl":
        for stored in found:
            sys.stdout.write(stored.model_dump_json() + "\n")
    elif format == "csv":
        render.claims_csv(sys.stdout, found)
    else:
        render.claims_table(out, render.rows_from_store(found))


@app.command()
@guarded
def show(doc_id: Annotated[str, typer.Argument(help="Document id (or a unique prefix of 6+ characters).")],
         db: DbOption = None) -> None:
    """Print a document with its places and claims highlighted."""
    with Store.open(_settings(db).db_url) as store:
        extraction = store.get_extraction(doc_id)
    render.document_view(out, extraction)


@app.command()
@guarded
def schema(output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here, not stdout.")] = None) -> None:
    """Print the JSON Schema of the extraction record (generated from the models)."""
    text = json.dumps(Extraction.model_json_schema(by_alias=True), indent=2, ensure_ascii=False) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


@app.command()
def version() -> None:
    """Print sitrep's version."""
    out.print(f"sitrep {__version__}")


_check_choice = check_choice
_date = parse_date


def main() -> None:
    app()
