"""``sitrep eval claims [PATH]``: sources, events and statuses against the team's gold set.

The counting rules are in ``sitrep.evaluation.claims``; this command reads, runs and prints.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from sitrep.commands.common import EXIT_USAGE, err, fail, guarded, out

FORMATS = ("table", "json")
# Targets from issue #4: what the pipeline must reach on the gold set.
SOURCE_TARGET = 0.95
STATUS_TARGET = 0.90


@guarded
def claims(path: Annotated[Path, typer.Argument(help="The gold set (JSON Lines).")] = Path("tests/gold/claims.jsonl"),
           format: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
           mistakes: Annotated[int, typer.Option("--mistakes", min=0,
                                                 help="Also list up to N disagreements with the gold set.")] = 0,
           ) -> None:
    """Source, event presence, types, status, actors, place and date accuracy on the claims gold set."""
    from sitrep.evaluation.claims import read_gold, report_dict

    if format not in FORMATS:
        fail(f"--format {format!r} is not one of: {', '.join(FORMATS)}", EXIT_USAGE)
    gold = read_gold(path)  # a wrong path or a bad line fails before the model loads
    report = _run(path, len(gold))
    if format == "json":
        data = report_dict(report, mistakes=bool(mistakes))
        if mistakes:
            data["mistakes"] = data["mistakes"][:mistakes]
        out.print(json.dumps(data, indent=2), markup=False, highlight=False, soft_wrap=True)
        return
    _print_table(report)
    if mistakes:
        _print_mistakes(report, mistakes)


def _run(path: Path, total: int):
    from sitrep.evaluation.claims import evaluate_gold
    from sitrep.pipeline import Pipeline
    from sitrep.settings import get_settings

    pipeline = Pipeline(get_settings())
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("eval claims", total=total)
        return evaluate_gold(pipeline, path, progress=lambda document: bar.advance(task))


def _print_table(report) -> None:
    precision, recall, f1 = report.detection
    out.print(f"{report.path}: {report.documents} reports, {report.claims} gold sentences, {report.events} "
              f"gold events, {report.unaligned} sentences without a system claim", markup=False, highlight=False,
              soft_wrap=True)
    table = Table(show_edge=False, pad_edge=False)
    for column, justify in (("field", "left"), ("all", "right"), ("n", "right"), ("matched", "right"),
                            ("n", "right")):
        table.add_column(column, justify=justify)
    for name, score in report.source.items():
        table.add_row(name, f"{score.accuracy:.3f}", str(score.total), "", "")
    table.add_row("event presence", f"{report.presence.accuracy:.3f}", str(report.presence.total), "", "")
    for name, score in report.all.items():
        matched = report.matched[name]
        table.add_row(name, f"{score.accuracy:.3f}", str(score.total), f"{matched.accuracy:.3f}",
                      str(matched.total))
    out.print(table)
    out.print(f"event detection: P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}", markup=False, highlight=False)
    out.print(f"headline: source attribution (name) {report.source_accuracy:.3f} (target {SOURCE_TARGET}), "
              f"status over all gold events {report.status_accuracy:.3f} (target {STATUS_TARGET}), "
              f"status over coded events {report.matched['status'].accuracy:.3f}",
              markup=False, highlight=False, soft_wrap=True)
    calibration = ", ".join(f"{confidence:.2f}: {score.accuracy:.3f} of {score.total}"
                            for confidence, score in sorted(report.calibration.items()))
    out.print(f"calibration (claim confidence: share coded right): {calibration}", markup=False,
              highlight=False, soft_wrap=True)


def _print_mistakes(report, limit: int) -> None:
    for mistake in report.mistakes[:limit]:
        out.print(f"{mistake.document} {mistake.field}: gold {mistake.gold!r}, system {mistake.system!r} | "
                  f"{mistake.sentence[:90]}", markup=False, highlight=False, soft_wrap=True)
