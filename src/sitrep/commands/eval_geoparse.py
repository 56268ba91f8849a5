"""``sitrep eval geoparse --corpus gwn|lgl PATH``: geoparsing against GeoWebNews or LGL (measuring only).

The counting rules are in ``sitrep.evaluation.geoparse``; this command reads, runs and prints.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from sitrep.commands.common import EXIT_USAGE, err, fail, guarded, out

FORMATS = ("table", "json")
# Rows of the resolution table: (report key, label).
RESOLUTION_ROWS = (
    ("sitrep/gold", "sitrep, gold mentions"),
    ("baseline/gold", "baseline, gold mentions"),
    ("sitrep/end_to_end", "sitrep, end to end"),
    ("baseline/end_to_end", "baseline, end to end"),
    ("sitrep/covered", "sitrep, covered only"),
    ("baseline/covered", "baseline, covered only"),
)


@guarded
def geoparse(path: Annotated[Path, typer.Argument(help="The corpus XML file, or the folder that holds it.")],
             corpus: Annotated[str, typer.Option("--corpus", help="Gold set: gwn or lgl.")] = "gwn",
             limit: Annotated[int | None, typer.Option("--limit", min=1, help="Only the first N articles.")] = None,
             format: Annotated[str, typer.Option("--format", help="table or json.")] = "table") -> None:
    """Recognition P/R/F1, resolution acc@161, id accuracy and median error, against a baseline."""
    from sitrep.evaluation.geoparse import CORPORA, read_corpus

    if corpus not in CORPORA:
        fail(f"--corpus {corpus!r} is not one of: {', '.join(CORPORA)}", EXIT_USAGE)
    if format not in FORMATS:
        fail(f"--format {format!r} is not one of: {', '.join(FORMATS)}", EXIT_USAGE)
    gold = read_corpus(corpus, path, limit)  # a wrong path fails before the model loads
    report = _run(gold)
    if format == "json":
        from sitrep.evaluation.geoparse import report_dict

        _line(json.dumps(report_dict(report), indent=2))
    else:
        _print_table(report)


def _run(gold):
    from sitrep.evaluation.geoparse import SitrepSystem, evaluate
    from sitrep.pipeline import Pipeline
    from sitrep.settings import get_settings

    system = SitrepSystem(Pipeline(get_settings()))
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task(f"eval {gold.name}", total=len(gold.articles))
        return evaluate(gold, system, system.gazetteer, progress=lambda article: bar.advance(task))


def _line(text: str) -> None:
    out.print(text, markup=False, highlight=False, soft_wrap=True)  # a table row must not wrap


def _print_table(report) -> None:
    recognition = report.recognition
    _line(f"{report.corpus}: {report.articles} articles, {recognition.gold} gold toponyms, "
          f"{recognition.predicted} predicted ({report.ignored_predictions} ignored), "
          f"{report.dropped} annotations dropped (offsets off)")
    _line(f"{'recognition':24} {'P':>6} {'R':>6} {'F1':>6}")
    for label, (precision, recall, f1) in (("exact span", recognition.exact_prf),
                                           ("overlapping span", recognition.overlap_prf)):
        _line(f"{label:24} {precision:6.3f} {recall:6.3f} {f1:6.3f}")
    if len(report.type_recall) > 1:
        _line("recall by gold type (overlap): " + ", ".join(
            f"{kind} {hit}/{total}" for kind, (hit, total) in report.type_recall.items()))
    if report.false_positives:
        _line("false positives (overlap) by what the gold says there: " + ", ".join(
            f"{kind} {count}" for kind, count in report.false_positives.items()))
    _line(f"{'resolution':26} {'n':>6} {'acc@161':>8} {'id n':>6} {'id acc':>7} {'median km':>10} {'resolved':>9}")
    for key, label in RESOLUTION_ROWS:
        if key in report.resolution:
            r = report.resolution[key]
            median = f"{r.median_km:10.1f}" if r.median_km is not None else f"{'-':>10}"
            _line(f"{label:26} {r.mentions:6d} {r.acc161:8.3f} {r.with_id:6d} {r.id_accuracy:7.3f} {median} "
                  f"{r.resolved:9d}")
    covered, total = report.coverage
    _line(f"gazetteer coverage: {covered}/{total} gold places ({report.coverage_share:.3f}) have an entry "
          f"of that name within 161 km")
