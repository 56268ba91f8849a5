"""``sitrep eval scenario [DIR]``: the cross-document stage against a scenario's intended truth."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sitrep.commands.common import EXIT_USAGE, fail, guarded, out

DEFAULT = Path("tests/scenario")


@guarded
def scenario(path: Annotated[Path, typer.Argument(help="A folder with reports.jsonl and truth.yaml.")] = DEFAULT,
             misses: Annotated[bool, typer.Option("--misses", help="List what was missed.")] = False) -> None:
    """Ingest the scenario into a fresh in-memory store, cluster it, and score clusters, source
    counts, contradictions and control states against truth.yaml (import UA first for villages)."""
    if not (path / "reports.jsonl").is_file() or not (path / "truth.yaml").is_file():
        fail(f"{path}: needs reports.jsonl and truth.yaml", EXIT_USAGE)
    from sitrep import corroborate, service
    from sitrep.evaluation.scenario import evaluate, load_truth
    from sitrep.pipeline import Pipeline
    from sitrep.settings import get_settings
    from sitrep.store import Store

    settings = get_settings()
    with Store.memory() as store:
        service.ingest([str(path / "reports.jsonl")], store, lambda: Pipeline(settings), settings)
        corroborate.update(store)
        scores = evaluate(store, load_truth(path / "truth.yaml"))
    lines = [
        f"claims located: {scores.claims_found}/{scores.claims_total}",
        f"clustering (pairwise): P {scores.pair_precision:.3f} R {scores.pair_recall:.3f} F1 {scores.pair_f1:.3f}",
        f"independent-source counts exact: {scores.source_counts_exact}/{scores.source_counts_total}",
        f"contradictions: planted found {scores.contradictions_found}/{scores.contradictions_planted}, "
        f"precision {scores.contradiction_precision:.3f} over {scores.contradictions_system} found",
        f"control states (days with evidence): {scores.control_correct}/{scores.control_total}",
    ]
    if misses:
        lines += ["source counts:", *scores.source_count_misses, "contradictions:", *scores.contradiction_misses,
                  "control:", *scores.control_misses]
    for line in lines:
        out.print(line, markup=False, highlight=False)
