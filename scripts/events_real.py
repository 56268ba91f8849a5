"""Real sentences for the event classifier: read ISW reports from ../shared, never copy them.

    .venv/bin/python scripts/events_real.py candidates [--corpus FILE] [--n 600] [--seed 7] > candidates.tsv

The labels live in src/sitrep/extract/lang/en/events_real.jsonl as stand-off annotations, one per line:
``{"report": <report id>, "start": <char offset>, "end": <char offset>, "label": <sub-type or NONE>}``;
the sentence is ``text[start:end]`` of that report in the corpus (ISW's daily assessments,
../shared/data/corpora/isw-2022-h1/reports.jsonl). No real text is stored in the repository.

Held out: reports published on a day of the month with ``day % 5 == 3`` (3, 8, 13, 18, 23, 28) feed
the team's claims gold set. They are never offered here, and ``load`` refuses an annotation on one.

``candidates`` prints tab-separated ``report, start, end, sentence`` rows for labelling: a seeded
sample of the other reports' sentences (40 to 400 characters, duplicates dropped).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "data" / "corpora" / "isw-2022-h1" / "reports.jsonl"
ANNOTATIONS = ROOT / "src" / "sitrep" / "extract" / "lang" / "en" / "events_real.jsonl"
MIN_CHARS, MAX_CHARS = 40, 400
# A sentence ends at . ! ? (optionally closed by a quote or bracket) before whitespace and a
# capital, digit or quote; or at a line break.
SENTENCE_END = re.compile(r"(?<=[.!?])[”\"’)]?\s+(?=[A-Z0-9“\"])|\n+")


class RealDataError(Exception):
    """The shared corpus or the annotation file is missing or does not fit."""


def held_out(report_id: str, published: str) -> bool:
    """Whether a report belongs to the gold set's days and must never be read for training."""
    day = int((published or report_id[-10:])[8:10])
    return day % 5 == 3


def read_reports(corpus: Path = CORPUS) -> dict[str, str]:
    """Report id -> text of every report that is not held out."""
    if not corpus.is_file():
        raise RealDataError(f"{corpus}: the ISW corpus is not there; the real training sentences are read "
                            "from ../shared/data/corpora/isw-2022-h1/reports.jsonl (pass --corpus FILE, "
                            "or --no-real to train on the team's sentences alone)")
    reports = {}
    with corpus.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                if not held_out(row["id"], row.get("published", "")):
                    reports[row["id"]] = row["text"]
    return reports


def sentences(text: str):
    """(start, end) of each sentence of a report, stripped of surrounding space."""
    start = 0
    for match in [*SENTENCE_END.finditer(text), None]:
        end = match.start() if match else len(text)
        piece = text[start:end]
        left = len(piece) - len(piece.lstrip())
        right = len(piece.rstrip())
        if right > left:
            yield start + left, start + right
        if match:
            start = match.end()


def load(annotations: Path = ANNOTATIONS, corpus: Path = CORPUS) -> list[tuple[str, str]]:
    """(sentence, label) of every stand-off annotation, the text read from the shared corpus."""
    reports = read_reports(corpus)
    examples = []
    for number, line in enumerate(annotations.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        report = row["report"]
        if held_out(report, ""):
            raise RealDataError(f"{annotations}:{number}: {report} is a held-out (gold) report")
        if report not in reports:
            raise RealDataError(f"{annotations}:{number}: report {report} is not in {corpus}")
        text = reports[report][row["start"]:row["end"]]
        if not text.strip() or row["end"] > len(reports[report]):
            raise RealDataError(f"{annotations}:{number}: offsets {row['start']}-{row['end']} fall outside {report}")
        examples.append((text, row["label"]))
    return examples


def candidates(corpus: Path, n: int, seed: int) -> list[tuple[str, int, int, str]]:
    seen, rows = set(), []
    for report, text in sorted(read_reports(corpus).items()):
        for start, end in sentences(text):
            sentence = text[start:end]
            if MIN_CHARS <= len(sentence) <= MAX_CHARS and sentence not in seen:
                seen.add(sentence)
                rows.append((report, start, end, sentence))
    random.Random(seed).shuffle(rows)
    return rows[:n]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["candidates", "check"])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--n", type=int, default=600)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    try:
        if args.command == "candidates":
            for report, start, end, sentence in candidates(args.corpus, args.n, args.seed):
                print(f"{report}\t{start}\t{end}\t{sentence}")
        else:
            examples = load(ANNOTATIONS, args.corpus)
            print(f"{len(examples)} real sentences read from {args.corpus}")
    except RealDataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
