"""Train the event-typing classifier of sitrep.extract.events on the team's own sentences.

    .venv/bin/python scripts/train_events.py [--data FILE] [--out FILE] [--folds 5] [--seed 13] [--sweep]
                                             [--real FILE | --no-real] [--corpus FILE]

Data: src/sitrep/extract/lang/en/events_train.jsonl, one {"text", "label"} per line, written by the team from
ACLED's codebook (label: a sub-event type of events.yaml, or NONE); and real sentences of ISW's
daily assessments labelled by the team, kept as stand-off annotations in
src/sitrep/extract/lang/en/events_real.jsonl (report id, offsets, label) whose text is read at training time
from the shared corpus (../shared/data/corpora/isw-2022-h1/reports.jsonl; see
scripts/events_real.py). The real sentences are used by default with the default --data; a missing
corpus is an error (exit 2), never a silent fallback; --no-real trains on the team's sentences
alone. The reports that feed the claims gold set (day of month % 5 == 3) are never read. No
evaluation set is read here.
Features: ``sitrep.extract.events.features`` (words, word pairs, rule cue hits), so training and typing
share one definition. Model: multinomial logistic regression with an L2 penalty, fitted by
full-batch Adam for a fixed number of steps from zero weights; the only randomness is the fold
split, seeded, so a run is reproducible. Features seen in fewer than MIN_COUNT sentences are
dropped, which keeps the model file small.

Prints stratified k-fold cross-validation on the training set: the classifier alone, and the
combined decision (``sitrep.extract.events.decide``: rules and classifier) at the packaged constants;
--sweep also prints a grid over L2, NONE_THRESHOLD and DECISIVE_RULE_SCORE, from which those
constants were chosen. Then trains on every sentence and writes the model JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from sitrep.extract import events
from sitrep.errors import ConfigError

sys.path.insert(0, str(Path(__file__).resolve().parent))
import events_real  # noqa: E402  (scripts/events_real.py: the stand-off real sentences)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "sitrep" / "extract" / "lang" / "en" / "events_train.jsonl"
OUT = ROOT / "src" / "sitrep" / "extract" / "lang" / "en" / events.MODEL_FILE
# A feature must occur in this many training sentences to get weights: a word seen once is mostly
# a place name, and dropping such words halves the model file at no cost in cross-validated accuracy.
MIN_COUNT = 2
# L2 penalty on the mean cross-entropy; picked by the --sweep cross-validation: classifier-alone
# accuracy 0.882 (3e-4), 0.877 (1e-3), 0.865 (3e-3) on the 1,688 sentences.
L2 = 3e-4
STEPS = 300
LEARNING_RATE = 0.05
SWEEP_L2 = (3e-4, 1e-3, 3e-3)
SWEEP_NONE = (0.4, 0.5, 0.6, 0.7)
SWEEP_DECISIVE = (5.0,)
SWEEP_VETO = (1.01, 0.9, 0.8)
SWEEP_OVER = (3.0,)
# The constants of sitrep.extract.events that a cross-validation setting fixes, in the order of a setting.
SETTING_NAMES = ("NONE_THRESHOLD", "DECISIVE_RULE_SCORE", "NONE_VETO", "RULE_OVER_NO_EVENT")
WEIGHT_DECIMALS = 4


def read_examples(path: Path) -> list[tuple[str, str]]:
    """(text, label) pairs; a bad line or an unknown label is a ConfigError naming the line."""
    known = set(events.subtypes()) | {events.NONE_LABEL}
    examples = []
    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the training set ({error})") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            text, label = row["text"], row["label"]
        except (ValueError, KeyError, TypeError):
            raise ConfigError(f"{path}:{number}: expected a JSON object with text and label") from None
        if label not in known:
            raise ConfigError(f"{path}:{number}: unknown label {label!r}; use a sub-type of events.yaml or NONE")
        examples.append((text, label))
    if not examples:
        raise ConfigError(f"{path}: no training sentences")
    return examples


def fit(featured: list[list[str]], labels: list[str], label_names: tuple[str, ...],
        l2: float = L2) -> events.EventModel:
    """Logistic regression on binary features, by full-batch Adam from zero weights."""
    counts = Counter(name for names in featured for name in set(names))
    vocabulary = sorted(name for name, count in counts.items() if count >= MIN_COUNT)
    index = {name: row for row, name in enumerate(vocabulary)}
    x = np.zeros((len(featured), len(vocabulary)), dtype=np.float32)
    for row, names in enumerate(featured):
        x[row, [index[name] for name in names if name in index]] = 1.0
    y = np.zeros((len(labels), len(label_names)), dtype=np.float32)
    y[np.arange(len(labels)), [label_names.index(label) for label in labels]] = 1.0
    params = [np.zeros((len(vocabulary), len(label_names)), np.float32), np.zeros(len(label_names), np.float32)]
    moments = [[np.zeros_like(p), np.zeros_like(p)] for p in params]
    for step in range(1, STEPS + 1):
        logits = x @ params[0] + params[1]
        logits -= logits.max(axis=1, keepdims=True)
        probabilities = np.exp(logits)
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        error = (probabilities - y) / len(labels)
        grads = [x.T @ error + l2 * params[0], error.sum(axis=0)]
        for param, grad, (first, second) in zip(params, grads, moments):
            first[:] = 0.9 * first + 0.1 * grad
            second[:] = 0.999 * second + 0.001 * grad * grad
            param -= LEARNING_RATE * (first / (1 - 0.9 ** step)) / (np.sqrt(second / (1 - 0.999 ** step)) + 1e-8)
    return events.EventModel(label_names, index, params[0], params[1])


def folds_of(labels: list[str], folds: int, seed: int) -> list[int]:
    """A fold number per example, stratified by label and shuffled with ``seed``."""
    rng = random.Random(seed)
    fold = [0] * len(labels)
    for label in sorted(set(labels)):
        members = [i for i, value in enumerate(labels) if value == label]
        rng.shuffle(members)
        for position, member in enumerate(members):
            fold[member] = position % folds
    return fold


def macro_f1(gold: list[str], predicted: list[str], labels: list[str]) -> float:
    scores = []
    for label in labels:
        tp = sum(g == p == label for g, p in zip(gold, predicted))
        guessed, actual = predicted.count(label), gold.count(label)
        precision, recall = (tp / guessed if guessed else 0.0), (tp / actual if actual else 0.0)
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores)


def combined(texts: list[str], model: events.EventModel, setting: tuple[float, ...]) -> list[str]:
    """sitrep.extract.events.decide's labels with the given constants (SETTING_NAMES order)."""
    names = SETTING_NAMES
    saved = [getattr(events, name) for name in names]
    for name, value in zip(names, setting):
        setattr(events, name, value)
    try:
        return [decision[0] if (decision := events.decide(text, model)) else events.NONE_LABEL for text in texts]
    finally:
        for name, value in zip(names, saved):
            setattr(events, name, value)


def cross_validate(examples, featured, label_names, folds: int, seed: int, sweep: bool, real_from: int | None = None) -> None:
    """Print k-fold accuracy of the classifier alone and of the combined decision; with ``real_from``
    (the index of the first real sentence), also the combined figures on the real sentences alone."""
    texts, labels = [t for t, _ in examples], [label for _, label in examples]
    fold = folds_of(labels, folds, seed)
    packaged = tuple(getattr(events, name) for name in SETTING_NAMES)
    settings = ([(t, d, v, o) for t in SWEEP_NONE for d in SWEEP_DECISIVE for v in SWEEP_VETO for o in SWEEP_OVER]
                if sweep else [packaged])
    alone: dict[float, list[str]] = {}
    joint: dict[tuple, list[str]] = {setting: [""] * len(texts) for setting in settings}
    for l2 in SWEEP_L2 if sweep else (L2,):
        alone[l2] = [""] * len(texts)
        for k in range(folds):
            train = [i for i in range(len(texts)) if fold[i] != k]
            test = [i for i in range(len(texts)) if fold[i] == k]
            model = fit([featured[i] for i in train], [labels[i] for i in train], label_names, l2)
            for i in test:
                alone[l2][i] = label_names[int(np.argmax(model.probabilities(featured[i])))]
            for setting in settings if l2 == L2 else ():
                for i, predicted in zip(test, combined([texts[i] for i in test], model, setting)):
                    joint[setting][i] = predicted
    events_only = sorted(set(labels) - {events.NONE_LABEL})
    for l2, predicted in alone.items():
        print(f"classifier alone  l2={l2:g}: accuracy {_accuracy(labels, predicted):.3f}")
    print(f"combined (rules + classifier, l2={L2:g}):")
    real = real_from is not None and real_from < len(labels)
    print("  none_threshold  decisive_rule  none_veto  rule_over_none  accuracy  macro-F1  none_kept"
          + ("  | real: accuracy  none_kept  event_acc" if real else ""))
    for (threshold, decisive, veto, over), predicted in joint.items():
        kept = sum(g == p == events.NONE_LABEL for g, p in zip(labels, predicted))
        none_kept = kept / max(1, labels.count(events.NONE_LABEL))
        line = (f"  {threshold:^14}{decisive:^15}{veto:^11}{over:^16}{_accuracy(labels, predicted):9.3f}"
                f"{macro_f1(labels, predicted, events_only):10.3f}{none_kept:10.3f}")
        if real:
            gold, guess = labels[real_from:], predicted[real_from:]
            kept = sum(g == p == events.NONE_LABEL for g, p in zip(gold, guess))
            event_pairs = [(g, p) for g, p in zip(gold, guess) if g != events.NONE_LABEL]
            line += (f"  | {_accuracy(gold, guess):14.3f}{kept / max(1, gold.count(events.NONE_LABEL)):11.3f}"
                     f"{sum(g == p for g, p in event_pairs) / max(1, len(event_pairs)):11.3f}")
        print(line)
    rules = [decision[0] if (decision := events._rule_choice(t, events._rule_hits(t))) else events.NONE_LABEL
             for t in texts]
    print(f"rules alone: accuracy {_accuracy(labels, rules):.3f}, macro-F1 {macro_f1(labels, rules, events_only):.3f}")


def _accuracy(gold: list[str], predicted: list[str]) -> float:
    return sum(g == p for g, p in zip(gold, predicted)) / len(gold)


def write_model(model: events.EventModel, path: Path, examples: int) -> None:
    names = sorted(model.index, key=model.index.get)
    payload = {
        "version": 1,
        "about": "sitrep.extract.events classifier; written by scripts/train_events.py from events_train.jsonl "
                 "and the stand-off real sentences of events_real.jsonl",
        "trained_on": examples, "l2": L2, "steps": STEPS, "min_count": MIN_COUNT,
        "labels": list(model.labels), "features": names,
        "bias": [round(float(v), WEIGHT_DECIMALS) for v in model.bias],
        "weights": [round(float(v), WEIGHT_DECIMALS) for v in model.weights.ravel()],
    }
    path.write_text(json.dumps(payload, separators=(",", ":")), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds; 0 skips it")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--sweep", action="store_true", help="print the grid the constants were chosen from")
    parser.add_argument("--real", type=Path, default=None,
                        help="stand-off real sentences (default: events_real.jsonl with the default --data)")
    parser.add_argument("--no-real", action="store_true", help="train on --data alone")
    parser.add_argument("--corpus", type=Path, default=events_real.CORPUS, help="the ISW reports the real sentences point into")
    args = parser.parse_args(argv)
    real = None if args.no_real else args.real or (events_real.ANNOTATIONS if args.data == DATA else None)
    try:
        examples = read_examples(args.data)
        real_from = len(examples)
        if real is not None:
            known = set(events.subtypes()) | {events.NONE_LABEL}
            loaded = events_real.load(real, args.corpus)
            unknown = sorted({label for _, label in loaded} - known)
            if unknown:
                raise ConfigError(f"{real}: unknown labels {unknown}")
            print(f"{len(examples)} team sentences + {len(loaded)} real sentences ({real.name}, text from {args.corpus})")
            examples += loaded
    except (ConfigError, events_real.RealDataError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    labels = [label for _, label in examples]
    label_names = tuple(name for name in events.subtypes() if name in labels) + (events.NONE_LABEL,)
    featured = [events.features(text) for text, _ in examples]
    print(f"{len(examples)} sentences, {len(label_names)} labels")
    if args.folds >= 2:
        cross_validate(examples, featured, label_names, args.folds, args.seed, args.sweep, real_from)
    model = fit(featured, labels, label_names)
    write_model(model, args.out, len(examples))
    print(f"wrote {args.out} ({len(model.index)} features, {args.out.stat().st_size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
