"""How often Russian Telegram posts that are not about politics or the war get an event (issue #15).

Reads ../shared/data/corpora/telegram-ru-2024/posts.jsonl.gz (22,099 real posts of 24 general channels; text stays
in ../shared), draws a seeded sample, splits each post into sentences with the Russian pipeline and types every
sentence with sitrep's Russian lexicon. A post counts as coded when any sentence gets an event. Posts whose topic
label (assigned by the data set's authors with a language model, not gold) is not "political" are the non-war
candidates; the coded ones are printed for checking by hand, because some of them do report the war (drones shot
down over Moscow, an arrest for sabotage), and the rate that matters is of posts that are truly not about it.

    .venv/bin/python scripts/ru_nonwar_rate.py [--sample 3000] [--seed 7] [--show 100]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
from collections import Counter
from pathlib import Path

import spacy

from sitrep.extract.events import classify

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "corpora" / "telegram-ru-2024" / "posts.jsonl.gz"
MAX_CHARS = 3000  # a post's first characters: long posts are digests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--sample", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--show", type=int, default=100, help="coded non-political posts to print for a hand check")
    args = parser.parse_args()
    with gzip.open(args.corpus, "rt", encoding="utf-8") as handle:
        posts = [json.loads(line) for line in handle]
    sample = random.Random(args.seed).sample(posts, min(args.sample, len(posts)))
    nlp = spacy.blank("ru")
    nlp.add_pipe("sentencizer")
    total, coded, shown = Counter(), Counter(), []
    for post in sample:
        label = post.get("topic_label") or "none"
        total[label] += 1
        for sentence in nlp((post.get("text") or "")[:MAX_CHARS]).sents:
            typing = classify(sentence)
            if typing is not None:
                coded[label] += 1
                if label != "political":
                    shown.append((post.get("id"), typing.sub_event_type, typing.trigger, sentence.text[:160]))
                break
    for label in sorted(total, key=lambda name: -total[name]):
        print(f"{label:14} {coded[label]:4} / {total[label]:4} coded = {coded[label] / total[label]:.3f}")
    others = sum(total.values()) - total["political"]
    print(f"not 'political': {len(shown)} of {others} coded = {len(shown) / others:.3f}")
    for item in shown[:args.show]:
        print(" | ".join(str(part).replace("\n", " ") for part in item))


if __name__ == "__main__":
    main()
