"""``sitrep eval notes [PATH]``: sitrep on ACLED-style event notes (the team's development set).

The counting rules are in ``sitrep.evaluation.notes``; this command reads, runs and prints.
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
# The lead's targets on the held-out real ACLED notes.
TARGETS = {"event_type": 0.95, "sub_event_type": 0.90, "place": 0.90, "date": 0.98, "actor1_side": 0.95}


@guarded
def notes(path: Annotated[Path, typer.Argument(help="The notes (JSON Lines).")] = Path("tests/gold/notes/notes.jsonl"),
          format: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
          mistakes: Annotated[int, typer.Option("--mistakes", min=0, help="Also list up to N misses.")] = 0,
          limit: Annotated[int, typer.Option("--limit", min=0, help="Only the first N notes (0: all).")] = 0,
          ) -> None:
    """Event type, sub-type, place within 10 km, date and actor1 side on ACLED-style notes."""
    from sitrep.evaluation.notes import read_notes, report_dict

    if format not in FORMATS:
        fail(f"--format {format!r} is not one of: {', '.join(FORMATS)}", EXIT_USAGE)
    total = len(read_notes(path))  # a wrong path or a bad line fails before the model loads
    report = _run(path, min(total, limit) if limit else total, limit or None)
    if format == "json":
        out.print(json.dumps(report_dict(report, mistakes=mistakes), indent=2), markup=False, highlight=False,
                  soft_wrap=True)
        return
    _print_table(report)
    if mistakes:
        _print_mistakes(report, mistakes)


def _run(path: Path, total: int, limit: int | None):
    from sitrep.evaluation.notes import evaluate_notes
    from sitrep.pipeline import Pipeline
    from sitrep.settings import get_settings

    pipeline = Pipeline(get_settings())
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("eval notes", total=total)
        return evaluate_notes(pipeline, path, limit=limit, progress=lambda note: bar.advance(task))


def _print(text: str) -> None:
    out.print(text, markup=False, highlight=False, soft_wrap=True)


def _print_table(report) -> None:
    _print(f"{report.path}: {report.notes} notes, {report.with_event} with an event claim")
    table = Table(show_edge=False, pad_edge=False)
    for column, justify in (("field", "left"), ("sitrep", "right"), ("correct", "right"), ("n", "right"),
                            ("target", "right"), ("baseline", "right")):
        table.add_column(column, justify=justify)
    for name, score in report.scores.items():
        baseline = report.baseline.get(name)
        label = "place within 10 km" if name == "place" else name
        table.add_row(label, f"{score.accuracy:.3f}", str(score.correct), str(score.total), f"{TARGETS[name]:.2f}",
                      f"{baseline.accuracy:.3f}" if baseline else "")
    out.print(table)
    median = report.median_km
    _print(f"place: median error {median:.1f} km over {len(report.errors_km)} located event places; "
           f"some place of the record within 10 km: {report.place_anywhere.accuracy:.3f} "
           f"({report.place_anywhere.correct}/{report.place_anywhere.total})" if median is not None else
           "place: no event place with coordinates")
    _print("baseline: the ten keyword rules of sitrep.evaluation.notes.BASELINE, sub-type and its event type")
    _print("place misses: " + ", ".join(f"{kind} {n}" for kind, n in report.place_classes.most_common()))
    _print("place by tag: " + ", ".join(f"{tag} {score.accuracy:.2f} ({score.correct}/{score.total})"
                                        for tag, score in sorted(report.by_tag.items())))
    _print("sub-type by gold: " + ", ".join(f"{name} {score.correct}/{score.total}"
                                            for name, score in sorted(report.by_subtype.items())))
    if report.confusions:
        _print("sub-type confusions (gold -> system): " + ", ".join(
            f"{gold} -> {system} {n}" for (gold, system), n in report.confusions.most_common()))


def _print_mistakes(report, limit: int) -> None:
    for mistake in report.mistakes[:limit]:
        kind = f" [{mistake.kind}]" if mistake.kind else ""
        _print(f"{mistake.note} {mistake.field}{kind}: gold {mistake.gold!r}, system {mistake.system!r} | "
               f"{mistake.text[:110]}")
