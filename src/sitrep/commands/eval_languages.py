"""``sitrep eval languages``: claims on Ukrainian and Russian gold sentences (tests/gold/uk_ru/).

The counting rules are in ``sitrep.evaluation.languages`` (those of ``eval realtext``); this command reads, runs
and prints.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from sitrep.commands.common import EXIT_USAGE, fail, guarded, out

FORMATS = ("table", "json")


@guarded
def languages(split: Annotated[str, typer.Option("--split", help="dev or test.")] = "test",
              team: Annotated[Path, typer.Option("--team", help="The team's sentences (JSON Lines).")] = Path(
                  "tests/gold/uk_ru/team.jsonl"),
              telegram: Annotated[Path, typer.Option("--telegram", help="Standoff annotations of real posts.")] = Path(
                  "tests/gold/uk_ru/telegram_ru.jsonl"),
              posts: Annotated[Path, typer.Option("--posts", help="The Telegram corpus (JSON Lines, .gz too).")] = (
                  Path("../shared/data/corpora/telegram-ru-2024/posts.jsonl.gz")),
              format: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
              mistakes: Annotated[int, typer.Option("--mistakes", min=0,
                                                    help="Also list up to N disagreements per set.")] = 0,
              limit: Annotated[int | None, typer.Option("--limit", min=1,
                                                        help="Only the first N items of each set.")] = None,
              ) -> None:
    """Event P/R, sub-type, status, place, actor and source accuracy per language: uk, ru-team, ru-telegram."""
    from sitrep.evaluation.languages import (SPLITS, evaluate_languages, languages_dict, read_posts, read_team,
                                             read_telegram, texts_of)
    from sitrep.pipeline import Pipeline
    from sitrep.settings import get_settings

    if split not in SPLITS:
        fail(f"--split {split!r} is not one of: {', '.join(SPLITS)}", EXIT_USAGE)
    if format not in FORMATS:
        fail(f"--format {format!r} is not one of: {', '.join(FORMATS)}", EXIT_USAGE)
    read_team(team)  # bad paths fail before the model loads
    docs = {item.doc for item in read_telegram(telegram) if item.split == split}
    texts = texts_of(team, read_posts(posts, docs))
    reports = evaluate_languages(Pipeline(get_settings()), split, team, telegram, posts, limit=limit)
    if format == "json":
        data = languages_dict(reports, mistakes=mistakes, texts=texts)
        out.print(json.dumps(data, indent=2, ensure_ascii=False), markup=False, highlight=False, soft_wrap=True)
        return
    _print_table(reports, split)
    for name, report in reports.items():
        for mistake in report.mistakes[:mistakes]:
            text = texts.get(mistake.doc, "")[mistake.start:mistake.end]
            out.print(f"{name} {mistake.doc}:{mistake.start} {mistake.field}: gold {mistake.gold!r}, system "
                      f"{mistake.system!r} | {text[:100]}", markup=False, highlight=False, soft_wrap=True)


def _print_table(reports: dict, split: str) -> None:
    table = Table(title=f"tests/gold/uk_ru ({split})", show_edge=False, pad_edge=False)
    table.add_column("figure")
    for name in reports:
        table.add_column(name, justify="right")

    def row(label: str, cell) -> None:
        table.add_row(label, *(cell(report) for report in reports.values()))

    row("sentences (documents)", lambda r: f"{r.sentences} ({r.reports})")
    row("gold events", lambda r: str(r.gold_events))
    row("event precision", lambda r: f"{r.precision:.3f} ({r.matched}/{r.matched + r.false_positives})")
    row("event recall", lambda r: f"{r.recall:.3f} ({r.matched}/{r.gold_events})")
    row("event F1", lambda r: f"{r.f1:.3f}")
    row("excused / listed system events", lambda r: f"{r.excused} / {r.listed}")
    for name in ("sub_event_type", "status", "place", "actor1_side", "date"):
        row(f"{name} (matched events)", lambda r, name=name: _score(r.events[name]))
    for name in ("source_name", "source_kind", "source_side"):
        row(f"{name} (all sentences)", lambda r, name=name: _score(r.source[name]))
    out.print(table)


def _score(score) -> str:
    return f"{score.accuracy:.3f} ({score.correct}/{score.total})" if score.total else "-"
