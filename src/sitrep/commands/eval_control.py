"""``sitrep eval control``: control answers on real reporting against a day-by-day truth.

The counting rules are in ``sitrep.evaluation.control_eval`` and docs/eval-control.md; this command
ingests, asks and prints.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from sitrep.commands.common import EXIT_USAGE, err, fail, guarded, out, parse_date

SHARED = Path("../shared/data")
TRUTH = SHARED / "eval" / "control-2022h1" / "truth.jsonl"
REPORTS = SHARED / "corpora" / "isw-2022-h1" / "reports.jsonl"


@guarded
def control(reports: Annotated[Path, typer.Argument(help="The reports (JSON Lines).")] = REPORTS,
            truth: Annotated[Path, typer.Option("--truth", help="The truth (JSON Lines, one settlement a line).")
                             ] = TRUTH,
            db: Annotated[Optional[str], typer.Option("--db", help="Ingest into (or reuse) this database instead "
                                                      "of a fresh one in a temporary folder.")] = None,
            questions: Annotated[int, typer.Option("--questions", min=1, help="Ask at most this many questions "
                                                   "(a seeded, deterministic sample).")] = 400,
            seed: Annotated[int, typer.Option("--seed", help="The sample's seed.")] = 0,
            since: Annotated[str, typer.Option("--since", help="Questions from reports published from this day.")
                             ] = "2022-04-03",
            until: Annotated[str, typer.Option("--until", help="... up to this day.")] = "2022-07-31",
            tolerance: Annotated[int, typer.Option("--tolerance", min=0, help="Days either side of the question's "
                                                   "day in which a truth state counts.")] = 3,
            format: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
            misses: Annotated[int, typer.Option("--misses", min=0, help="Also list up to N wrong answers with "
                                                "their evidence.")] = 0) -> None:
    """Ingest the reports, ask who held each settlement they name on their day, and score the
    answers against the truth, beside the truth's own first day as a baseline."""
    from sitrep.evaluation import control_eval
    from sitrep.settings import get_settings
    from sitrep.store import Store

    if format not in ("table", "json"):
        fail(f"--format {format!r} is not one of: table, json", EXIT_USAGE)
    for path in (reports, truth):
        if not path.is_file():
            fail(f"{path}: no such file", EXIT_USAGE)
    low, high = parse_date("--since", since), parse_date("--until", until)
    try:
        places = control_eval.read_truth(truth)
    except ValueError as error:
        fail(str(error), EXIT_USAGE)
    settings = get_settings()
    with tempfile.TemporaryDirectory(prefix="sitrep-eval-control-") as folder:
        url = settings.with_overrides(db=db or str(Path(folder) / "eval.db")).db_url
        with Store.open(url) as store:
            err.print(f"ingesting {reports} into {store.name} ...", markup=False, highlight=False)
            ingested = control_eval.build_store([str(reports)], store, settings)
            for error in ingested.errors:
                err.print(f"sitrep: {error}", markup=False, highlight=False)
            report = control_eval.evaluate(store, places, questions, seed, low, high, tolerance)
    if format == "json":
        out.print(json.dumps(control_eval.report_dict(report, misses), indent=2), markup=False, highlight=False,
                  soft_wrap=True)
        return
    _print_table(report)
    if misses:
        _print_misses(report, misses)


def _pct(rate) -> str:
    return "-" if rate.value is None else f"{rate.value:.3f} ({rate.right}/{rate.total})"


def _print_table(report) -> None:
    def say(line: str) -> None:
        out.print(line, markup=False, highlight=False, soft_wrap=True)

    say(f"{report.reports} reports published {report.since}..{report.until}; {report.candidates} questions "
        f"(day, settlement named and in the truth), {report.questions} asked (seed {report.seed}), "
        f"{report.changed_questions} about places that changed hands; tolerance ±{report.tolerance} days")
    share = "-" if report.answered_share is None else f"{report.answered_share:.3f}"
    say(f"answered (not unknown): {report.answered}/{report.questions} = {share}; no control evidence at all for "
        f"the place: {report.no_evidence}; evidence: " + ", ".join(f"{key} {value}" for key, value in
                                                                   sorted(report.evidence.items()))
        + f"; answered with evidence from a report published later: {report.later}")
    table = Table(show_edge=False, pad_edge=False)
    for column, justify in (("accuracy", "left"), ("sitrep", "right"), ("baseline 2022-04-03", "right")):
        table.add_column(column, justify=justify)
    table.add_row("answered questions", _pct(report.accuracy), _pct(report.baseline_answered))
    table.add_row("  places that changed hands", _pct(report.changed), _pct(report.baseline_changed_answered))
    table.add_row("  places that never changed", _pct(report.unchanged), "")
    table.add_row("  no tolerance", _pct(report.strict), "")
    table.add_row("  answered UA or RU", _pct(report.sides), _pct(report.baseline_sides))
    table.add_row("    places that changed hands", _pct(report.sides_changed), _pct(report.baseline_sides_changed))
    for answer, rate in sorted(report.by_answer.items()):
        table.add_row(f"  answered {answer}", _pct(rate), "")
    table.add_row("all questions", "", _pct(report.baseline_all))
    table.add_row("  places that changed hands", "", _pct(report.baseline_changed_all))
    out.print(table)
    truths = sorted({truth for row in report.confusion.values() for truth in row})
    say("answer \\ truth on the day: " + "; ".join(
        f"{answer}: " + ", ".join(f"{truth} {row.get(truth, 0)}" for truth in truths)
        for answer, row in report.confusion.items()))


def _print_misses(report, limit: int) -> None:
    found = report.misses
    out.print(f"wrong answers: {len(found)} (showing {min(limit, len(found))})", markup=False, highlight=False)
    for answer in found[:limit]:
        window = "/".join(answer.window)
        claims = "; ".join(f"{item['claim_id']} {item['state']} {item['effect']} {item['words']!r} {item['date']} "
                           f"w{item['weight']}" for item in answer.claims[:4])
        more = f" (+{len(answer.claims) - 4} more)" if len(answer.claims) > 4 else ""
        out.print(f"{answer.name} ({answer.geonameid}) {answer.day} [{answer.report}]: answer {answer.answer} "
                  f"({answer.confidence:.2f}), truth {answer.truth} (window {window}) | {claims}{more}",
                  markup=False, highlight=False, soft_wrap=True)
