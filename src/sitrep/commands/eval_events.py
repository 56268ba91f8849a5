"""``sitrep eval events --corpus case2021 PATH``: event typing against CASE 2021 (measuring only)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sitrep.commands.common import EXIT_USAGE, fail, guarded, out

CORPORA = ("case2021",)


@guarded
def events(path: Annotated[Path, typer.Argument(help="The CASE 2021 folder or its labelled TSV.")],
           corpus: Annotated[str, typer.Option("--corpus", help="Gold set: case2021.")] = "case2021") -> None:
    """Macro-F1 of event sub-types over ACLED's 25, per label, top confusions, non-events left uncoded."""
    if corpus not in CORPORA:
        fail(f"--corpus {corpus!r} is not one of: {', '.join(CORPORA)}", EXIT_USAGE)
    from sitrep.evaluation.events import evaluate_case2021, read_case2021  # spaCy loads only here
    from sitrep.extract.nlp import load_model
    from sitrep.settings import get_settings

    read_case2021(path)  # a wrong path fails before the model loads
    report = evaluate_case2021(load_model(get_settings().spacy_model), path)
    _print_report(report)


def _print_report(report) -> None:
    out.print(f"CASE 2021: {report.items} snippets", markup=False, highlight=False)
    out.print(f"{'label':32} {'P':>6} {'R':>6} {'F1':>6} {'n':>5}", markup=False, highlight=False)
    for label in report.labels:
        out.print(f"{label.label:32} {label.precision:6.3f} {label.recall:6.3f} {label.f1:6.3f} {label.support:5d}",
                  markup=False, highlight=False)
    out.print("top confusions (gold -> predicted):", markup=False, highlight=False)
    for gold, predicted, count in report.confusions:
        out.print(f"  {count:4d}  {gold} -> {predicted}", markup=False, highlight=False)
    out.print(f"accuracy on ACLED snippets: {report.accuracy:.3f}", markup=False, highlight=False)
    out.print(f"non-ACLED snippets left uncoded: {report.non_acled_uncoded}/{report.non_acled} "
              f"({report.uncoded_share:.3f})", markup=False, highlight=False)
    out.print(f"macro-F1 over the 25 ACLED sub-types: {report.macro_f1:.3f}", markup=False, highlight=False)
