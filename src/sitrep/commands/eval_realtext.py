"""``sitrep eval realtext``: claims on real ISW reports against the standoff gold set.

The counting rules are in ``sitrep.evaluation.realtext``; this command reads, runs and prints.
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


@guarded
def realtext(split: Annotated[str, typer.Option("--split", help="dev or test.")] = "test",
             reports: Annotated[Path, typer.Option("--reports", help="The ISW corpus (JSON Lines).")] = Path(
                 "../shared/data/corpora/isw-2022-h1/reports.jsonl"),
             gold: Annotated[Path, typer.Option("--gold", help="The standoff annotations (JSON Lines).")] = Path(
                 "tests/gold/isw/annotations.jsonl"),
             format: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
             mistakes: Annotated[int, typer.Option("--mistakes", min=0,
                                                   help="Also list up to N disagreements.")] = 0,
             ) -> None:
    """Event P/R, sub-type, status, place, date, actor and source accuracy on real ISW sentences."""
    from sitrep.evaluation.realtext import SPLITS, read_gold, read_reports, report_dict

    if split not in SPLITS:
        fail(f"--split {split!r} is not one of: {', '.join(SPLITS)}", EXIT_USAGE)
    if format not in FORMATS:
        fail(f"--format {format!r} is not one of: {', '.join(FORMATS)}", EXIT_USAGE)
    docs = {item.doc for item in read_gold(gold) if item.split == split}  # bad paths fail before the model loads
    texts = {doc: record["text"] for doc, record in read_reports(reports, docs).items()}
    report = _run(split, gold, reports, len(docs))
    if format == "json":
        data = report_dict(report, mistakes=mistakes, texts=texts)
        out.print(json.dumps(data, indent=2, ensure_ascii=False), markup=False, highlight=False, soft_wrap=True)
        return
    _print_table(report)
    if mistakes:
        for mistake in report.mistakes[:mistakes]:
            text = texts.get(mistake.doc, "")[mistake.start:mistake.end]
            out.print(f"{mistake.doc}:{mistake.start} {mistake.field}: gold {mistake.gold!r}, system "
                      f"{mistake.system!r} | {text[:90]}", markup=False, highlight=False, soft_wrap=True)


def _run(split: str, gold: Path, reports: Path, total: int):
    from sitrep.evaluation.realtext import evaluate_realtext
    from sitrep.pipeline import Pipeline
    from sitrep.settings import get_settings

    pipeline = Pipeline(get_settings())
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("eval realtext", total=total)
        return evaluate_realtext(pipeline, split, gold, reports, progress=lambda doc: bar.advance(task))


def _print_table(report) -> None:
    out.print(f"{report.gold_path} ({report.split}): {report.reports} reports, {report.sentences} gold sentences, "
              f"{report.gold_events} gold events; {report.unaligned} sentences without a system claim, "
              f"{report.unlocated} not found in the cleaned text", markup=False, highlight=False, soft_wrap=True)
    out.print(f"events: precision {report.precision:.3f} ({report.matched}/{report.matched + report.false_positives})"
              f"  recall {report.recall:.3f} ({report.matched}/{report.gold_events})  F1 {report.f1:.3f}; "
              f"{report.system_events} system events, {report.false_positives} false, {report.excused} excused "
              f"(non-asserted on sentences without gold events), {report.listed} further places of a listed event",
              markup=False, highlight=False, soft_wrap=True)
    table = Table(show_edge=False, pad_edge=False)
    for column, justify in (("field", "left"), ("accuracy", "right"), ("correct", "right"), ("n", "right")):
        table.add_column(column, justify=justify)
    for name, score in report.events.items():
        table.add_row(f"{name} (matched events)", f"{score.accuracy:.3f}", str(score.correct), str(score.total))
    for name, score in report.source.items():
        table.add_row(f"{name} (all sentences)", f"{score.accuracy:.3f}", str(score.correct), str(score.total))
    out.print(table)
