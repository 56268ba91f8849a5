"""Event typing measured against the CASE 2021 fine-grained event set (measuring only).

The gold file (``test_set_final_release_with_labels.tsv``: id, EventSnippet, SubType) labels each
snippet with one of ACLED's 25 sub-event types, in CASE's spelling (ART_MISS_ATTACK, ...), or with
one of 5 labels outside ACLED (DIPLO, ATTRIB, ORG_CRIME, NATURAL_DISASTER, MAN_MADE_DISASTER).

Scoring: each snippet is typed as one statement (``sitrep.extract.events.score`` over the whole snippet);
the predicted sub-type is mapped to its CASE label, and an uncoded snippet predicts nothing.
Per-label precision and recall count every snippet, so coding a flood as shelling is a false
positive for ART_MISS_ATTACK. The headline is the macro-F1 over the 25 ACLED labels; the share of
non-ACLED snippets left uncoded is reported beside it.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sitrep.errors import InputError
from sitrep.extract.events import score, subtypes

CASE_FILE = "test_set_final_release_with_labels.tsv"
CASE_COLUMNS = ("id", "EventSnippet", "SubType")
NON_ACLED_LABELS = ("DIPLO", "ATTRIB", "ORG_CRIME", "NATURAL_DISASTER", "MAN_MADE_DISASTER")
UNCODED = "(uncoded)"
# Snippets parsed per spaCy batch: the whole set is about a thousand short texts.
PIPE_BATCH_SIZE = 64
TOP_CONFUSIONS = 15


@dataclass(frozen=True)
class CaseItem:
    id: str
    text: str
    label: str


@dataclass(frozen=True)
class LabelScore:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class EventsReport:
    items: int
    macro_f1: float
    accuracy: float  # on ACLED-labelled snippets: predicted label equals gold
    labels: list[LabelScore]
    confusions: list[tuple[str, str, int]]  # (gold, predicted, count), most frequent first
    non_acled: int
    non_acled_uncoded: int

    @property
    def uncoded_share(self) -> float:
        return self.non_acled_uncoded / self.non_acled if self.non_acled else 0.0


def case_labels() -> list[str]:
    """The 25 ACLED labels in CASE's spelling, in the lexicon's order."""
    return [subtype.case for subtype in subtypes().values()]


def read_case2021(path: Path) -> list[CaseItem]:
    """The CASE 2021 snippets from the TSV, or from the folder that holds it."""
    path = Path(path)
    if path.is_dir():
        path = path / CASE_FILE
    if not path.is_file():
        raise InputError(str(path), f"no CASE 2021 file here; pass the folder or the {CASE_FILE} file")
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise InputError(str(path), f"cannot read the TSV: {error}") from None
    if not rows or tuple(rows[0][:3]) != CASE_COLUMNS:
        raise InputError(str(path), f"expected a header {'/'.join(CASE_COLUMNS)}; is this the CASE 2021 file?")
    items = [CaseItem(row[0], row[1], row[2].strip()) for row in rows[1:] if len(row) >= 3]
    if not items:
        raise InputError(str(path), "the file has a header but no snippets")
    return items


def predict(nlp, texts: Iterable[str]) -> list[str]:
    """The CASE label typed for each text, or UNCODED."""
    case_of = {name: subtype.case for name, subtype in subtypes().items()}
    labels = []
    for doc in nlp.pipe(texts, batch_size=PIPE_BATCH_SIZE):
        scored = score(doc[:]) if len(doc) else None
        labels.append(case_of[scored.typing.sub_event_type] if scored else UNCODED)
    return labels


def evaluate_case2021(nlp, path: Path) -> EventsReport:
    """Type every CASE 2021 snippet and score the result."""
    items = read_case2021(path)
    return score_labels([item.label for item in items], predict(nlp, (item.text for item in items)))


def score_labels(gold: list[str], predicted: list[str]) -> EventsReport:
    """Per-label P/R/F1 over the ACLED labels, macro-F1, confusions and the non-ACLED uncoded share."""
    acled = case_labels()
    labels = [_label_score(label, gold, predicted) for label in acled]
    in_acled = [(g, p) for g, p in zip(gold, predicted) if g in acled]
    outside = [p for g, p in zip(gold, predicted) if g in NON_ACLED_LABELS]
    confusions = Counter((g, p) for g, p in zip(gold, predicted) if g != p and not
                         (g in NON_ACLED_LABELS and p == UNCODED))
    return EventsReport(
        items=len(gold),
        macro_f1=sum(label.f1 for label in labels) / len(labels),
        accuracy=sum(g == p for g, p in in_acled) / len(in_acled) if in_acled else 0.0,
        labels=labels,
        confusions=[(g, p, n) for (g, p), n in confusions.most_common(TOP_CONFUSIONS)],
        non_acled=len(outside), non_acled_uncoded=sum(p == UNCODED for p in outside),
    )


def _label_score(label: str, gold: list[str], predicted: list[str]) -> LabelScore:
    true_positive = sum(g == label and p == label for g, p in zip(gold, predicted))
    predicted_count = sum(p == label for p in predicted)
    support = sum(g == label for g in gold)
    precision = true_positive / predicted_count if predicted_count else 0.0
    recall = true_positive / support if support else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return LabelScore(label, precision, recall, f1, support)
