"""``sitrep gazetteer add|info|lookup``: thin wrappers over sitrep.gazetteer."""

from __future__ import annotations

import json
import time
from enum import Enum

import typer

from sitrep.commands.common import guarded, out

app = typer.Typer(help="Import, inspect and query the gazetteer.", no_args_is_help=True)


class LookupFormat(str, Enum):
    table = "table"
    jsonl = "jsonl"


@app.command("add")
@guarded
def add(country: str = typer.Argument(..., help="ISO 3166 two-letter country code, e.g. UA."),
        source: str = typer.Option(None, "--from", help="A local GeoNames dump (CC.zip or CC.txt) or a URL; "
                                                        "default: GeoNames' download of CC.zip.")) -> None:
    """Import a GeoNames country dump as a gazetteer layer (re-adding replaces it)."""
    from sitrep.gazetteer.geonames import add_country
    from sitrep.settings import get_settings

    result = add_country(country, source, get_settings())
    out.print(f"{result.country}: {result.entries:,} entries, {result.names:,} names -> {result.path}",
              markup=False, highlight=False, soft_wrap=True)


@app.command("info")
@guarded
def info() -> None:
    """Show the loaded layers, their entry and name counts, build times, path and size on disk."""
    from sitrep.gazetteer import describe
    from sitrep.settings import get_settings

    summary = describe(get_settings())
    for layer in summary["layers"]:
        built = time.strftime("%Y-%m-%d %H:%M", time.localtime(layer["built"])) if layer["built"] else "-"
        out.print(f"{layer['source']:<16} {layer['entries']:>9,} entries {layer['names']:>10,} names  "
                  f"built {built}", markup=False, highlight=False, soft_wrap=True)
    out.print(f"{'total':<16} {summary['entries']:>9,} entries {summary['names']:>10,} names", markup=False,
              highlight=False, soft_wrap=True)
    out.print(f"index: {summary['path']} ({summary['bytes'] / 1e6:.1f} MB)", markup=False, highlight=False, soft_wrap=True)
    out.print(f"layers: {summary['layer_dir']}", markup=False, highlight=False, soft_wrap=True)


@app.command("lookup")
@guarded
def lookup(name: str = typer.Argument(..., help="A place name (any case)."),
           output: LookupFormat = typer.Option(LookupFormat.table, "--format", help="table or jsonl.")) -> None:
    """Show the entries called NAME, best prior first."""
    from sitrep.gazetteer import lookup_name
    from sitrep.settings import get_settings

    found = lookup_name(get_settings(), name)
    if output is LookupFormat.jsonl:
        for row in found:
            out.print(json.dumps(row, ensure_ascii=False), markup=False, highlight=False, soft_wrap=True)
        return
    if not found:
        out.print(f"no entry called {name!r}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    for row in found:
        out.print(f"{row['score']:6.2f}  {row['name']:<28} {row['feature']:<6} {row['admin1'] or '-':<5} "
                  f"{row['country'] or '-':<3} {_coordinate(row['lat']):>9} {_coordinate(row['lon']):>10} "
                  f"{row['population']:>10,}  {row['geonameid'] or '-'}", markup=False, highlight=False, soft_wrap=True)


def _coordinate(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"
