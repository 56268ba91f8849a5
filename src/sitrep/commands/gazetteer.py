"""``sitrep gazetteer add|info|lookup``: thin wrappers over sitrep.gazetteer."""

from __future__ import annotations

import typer

app = typer.Typer(help="Import, inspect and query the gazetteer.", no_args_is_help=True)
