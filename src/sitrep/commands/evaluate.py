"""``sitrep eval geoparse|events``: accuracy against external gold sets (measuring only)."""

from __future__ import annotations

import typer

from sitrep.commands import (eval_claims, eval_control, eval_events, eval_geoparse, eval_languages, eval_notes,
                             eval_realtext, eval_scenario)

app = typer.Typer(help="Measure accuracy on external gold sets.", no_args_is_help=True)
app.command("events")(eval_events.events)
app.command("geoparse")(eval_geoparse.geoparse)
app.command("claims")(eval_claims.claims)
app.command("scenario")(eval_scenario.scenario)
app.command("control")(eval_control.control)
app.command("notes")(eval_notes.notes)
app.command("realtext")(eval_realtext.realtext)
app.command("languages")(eval_languages.languages)
