"""`sitrep events`, `sitrep contradictions`, `sitrep control` and `sitrep cluster`: thin wrappers
over sitrep.corroborate, sitrep.control and the store's listings."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from sitrep import render_crossdoc as render
from sitrep.commands.common import EXIT_USAGE, check_choice, err, fail, guarded, out, parse_date
from sitrep.settings import get_settings
from sitrep.store import EventFilter, Store

SIDES = ("UA", "RU", "third-party", "unknown")

DbOption = Annotated[Optional[str], typer.Option("--db", help="Database path or URL (default: SITREP_DB, "
                                                 "else SITREP_HOME/sitrep.db).")]
FormatOption = Annotated[str, typer.Option("--format", help="table, jsonl or csv.")]
PlaceOption = Annotated[Optional[str], typer.Option(help="Events at the settlement or region with this name.")]
SinceOption = Annotated[Optional[str], typer.Option(help="From this date (YYYY-MM-DD).")]
UntilOption = Annotated[Optional[str], typer.Option(help="Up to this date (YYYY-MM-DD).")]
TypeOption = Annotated[Optional[str], typer.Option("--type", help="ACLED event type.")]
SideOption = Annotated[Optional[str], typer.Option(help="An actor or a source on this side: UA, RU, third-party.")]
SourceOption = Annotated[Optional[str], typer.Option(help="A claim whose source name contains this.")]
LimitOption = Annotated[Optional[int], typer.Option(help="At most this many.")]


def _store(db: str | None) -> Store:
    return Store.open(get_settings().with_overrides(db=db).db_url)


def _filter(place, since, until, type, side, source, contradicted=None) -> EventFilter:
    if side is not None and side not in SIDES:
        fail(f"--side {side!r} is not one of: {', '.join(SIDES)}", EXIT_USAGE)
    return EventFilter(place=place, since=parse_date("--since", since), until=parse_date("--until", until),
                       event_type=type, side=side, source=source, contradicted=contradicted)


@guarded
def events(db: DbOption = None, place: PlaceOption = None, since: SinceOption = None, until: UntilOption = None,
           type: TypeOption = None, side: SideOption = None, source: SourceOption = None,
           contradicted: Annotated[Optional[bool], typer.Option("--contradicted/--uncontradicted",
                                                                help="Only events with (or without) a contradiction.")] = None,
           format: FormatOption = "table", limit: LimitOption = None) -> None:
    """List events clustered from the claims of all documents, with their claims and sources."""
    check_choice("--format", format, ("table", "jsonl", "csv"))
    wanted = _filter(place, since, until, type, side, source, contradicted)
    with _store(db) as store:
        found = store.events(wanted, limit)
        if format == "jsonl":
            for event in found:
                sys.stdout.write(event.model_dump_json(by_alias=True) + "\n")
        elif format == "csv":
            render.events_csv(sys.stdout, found)
        else:
            render.events_table(out, list(found))


@guarded
def contradictions(db: DbOption = None, place: PlaceOption = None, since: SinceOption = None,
                   until: UntilOption = None, type: TypeOption = None, side: SideOption = None,
                   source: SourceOption = None, format: FormatOption = "table", limit: LimitOption = None) -> None:
    """List pairs of claims that cannot both be true, with both claims and their sources."""
    check_choice("--format", format, ("table", "jsonl", "csv"))
    wanted = _filter(place, since, until, type, side, source)
    with _store(db) as store:
        found = store.contradictions(wanted, limit)
        if format == "jsonl":
            for item in found:
                sys.stdout.write(item.model_dump_json() + "\n")
        elif format == "csv":
            render.contradictions_csv(sys.stdout, found)
        else:
            render.contradictions_table(out, list(found))


@guarded
def control(place: Annotated[Optional[str], typer.Argument(help="Settlement name or GeoNames id.")] = None,
            region: Annotated[Optional[str], typer.Option(help="Every settlement with evidence in this region "
                                                                "(a part of its admin1 name).")] = None,
            on: Annotated[Optional[str], typer.Option(help="The day (YYYY-MM-DD); without it, a place's whole "
                                                           "timeline.")] = None,
            db: DbOption = None,
            format: Annotated[str, typer.Option("--format", help="table, json, jsonl, csv or geojson.")] = "table"
            ) -> None:
    """Who holds a settlement (or each settlement of a region) on a day, with the evidence."""
    from sitrep import control as timeline

    check_choice("--format", format, ("table", "json", "jsonl", "csv", "geojson"))
    if (place is None) == (region is None):
        fail("give a PLACE or --region NAME (not both)", EXIT_USAGE)
    day = parse_date("--on", on)
    if region is not None and day is None:
        fail("--region needs --on DATE", EXIT_USAGE)
    with _store(db) as store:
        days = timeline.timeline(store, place, day) if place is not None else timeline.region(store, region, day)
    if format == "json":
        sys.stdout.write("[" + ",".join(item.model_dump_json() for item in days) + "]\n"
                         if len(days) != 1 else days[0].model_dump_json() + "\n")
    elif format == "jsonl":
        for item in days:
            sys.stdout.write(item.model_dump_json() + "\n")
    elif format == "csv":
        render.control_csv(sys.stdout, days)
    elif format == "geojson":
        sys.stdout.write(render.control_geojson(days) + "\n")
    else:
        render.control_table(out, days)


@guarded
def cluster(db: DbOption = None,
            rebuild: Annotated[bool, typer.Option("--rebuild", help="Forget all events, signals and "
                                                  "contradictions and derive them again.")] = False) -> None:
    """Cluster the claims of new documents into events (ingest does this itself); --rebuild redoes all."""
    from sitrep import corroborate

    with _store(db) as store:
        report = (corroborate.rebuild if rebuild else corroborate.update)(store)
    err.print(f"{report.documents} documents clustered: {report.claims} claims, {report.events_new} new events, "
              f"{report.signals} control signals, {report.contradictions} new contradictions",
              markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    for command in (events, contradictions, control, cluster):
        app.command()(command)
