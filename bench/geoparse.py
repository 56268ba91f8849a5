"""Speed of sitrep's geoparsing against a most-populous baseline, on the same texts, in one run.

    .venv/bin/python bench/geoparse.py [--corpus PATH] [--repeat N]

Corpus: the 200 GeoWebNews texts (../shared/data/eval/geoparsing_gritta/GWN.xml).
Steps: load the gazetteer once (its cache warmed first in a child process, so the time shown is a
warm load); parse every text with spaCy as ``Pipeline.geoparse`` does (not timed) and take the place
hints; then time
  sitrep    ``find_places(text, gazetteer, hints)``: recognition and resolution in context;
  baseline  the same gazetteer automaton over the lower-cased text, capitalised matches on word
            boundaries, leftmost-longest, each resolved to the most populous entry of that name.
Both are warmed up on a few texts first. Prints articles/s for each, the ratio sitrep/baseline
(> 1 means sitrep is faster), the gazetteer load time and the peak RSS (ru_maxrss, a high-water mark).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "eval" / "geoparsing_gritta" / "GWN.xml"
UA_DUMP = ROOT.parent / "shared" / "data" / "gazetteer" / "UA.zip"
WARMUP_TEXTS = 5


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def load_texts(path: Path, repeat: int) -> list[str]:
    if not path.exists():
        sys.exit(f"bench: skipped, corpus not found at {path} (it lives in ../shared); pass --corpus PATH")
    from sitrep.evaluation.geoparse import read_corpus

    return [article.text for article in read_corpus("gwn", path).articles] * repeat


def gazetteer_of(settings):
    """The gazetteer that ``Pipeline`` would load (the merged one once it exists, else the built-in)."""
    try:
        from sitrep.gazetteer import load_gazetteer
    except ImportError:
        from sitrep.gazetteer.builtin import load_builtin

        return load_builtin(settings.home / "cache")
    return load_gazetteer(settings)


def load_gazetteer(settings) -> tuple[object, float]:
    """The gazetteer and its load time; a child process warms the cache first, so the load is warm."""
    subprocess.run([sys.executable, __file__, "--warm-cache"], check=True)
    start = time.perf_counter()
    gazetteer = gazetteer_of(settings)
    return gazetteer, time.perf_counter() - start


def parse_hints(nlp, texts: list[str]) -> list:
    """Place hints per text, parsed paragraph by paragraph as ``Pipeline.geoparse`` does. Each
    text's parse is dropped as soon as its hints are taken, as the pipeline does."""
    from itertools import groupby

    from sitrep.extract.clean import paragraphs
    from sitrep.extract.nlp import parse_paragraphs, place_hints

    items = [(index, start, paragraph) for index, text in enumerate(texts) for start, paragraph in paragraphs(text)]
    hints = [place_hints([]) for _ in texts]
    for index, group in groupby(parse_paragraphs(nlp, items), key=lambda paragraph: paragraph.document_index):
        hints[index] = place_hints(list(group))
    return hints


def with_ukraine(dump: Path) -> None:
    """Point SITREP_HOME at a temporary home holding the built-in layer and the UA dump imported,
    so that the figures are for cities500 plus Ukraine's villages."""
    import shutil
    import tempfile

    from sitrep.settings import get_settings

    default = get_settings()
    home = Path(tempfile.mkdtemp(prefix="sitrep-bench-"))
    (home / "cache").mkdir()
    for layer in (default.home / "cache").glob("builtin-layer-*"):
        shutil.copy(layer, home / "cache" / layer.name)
    os.environ["SITREP_HOME"] = str(home)
    get_settings.cache_clear()
    # The import runs in a child process, so that its memory peak is not counted as this one's.
    subprocess.run([str(Path(sys.executable).with_name("sitrep")), "gazetteer", "add", "UA", "--from", str(dump)],
                   check=True, stdout=subprocess.DEVNULL)


def baseline_geoparse(text: str, gazetteer) -> list[tuple[int, int, object]]:
    """Capitalised gazetteer names on word boundaries, leftmost-longest, resolved to the most
    populous entry of that name."""
    from sitrep.evaluation.geoparse import most_populous

    lowered = text.lower()
    matches = []
    for end_index, key in gazetteer.automaton.iter(lowered):
        start, end = end_index - len(key) + 1, end_index + 1
        if (text[start:start + 1].isupper() and (start == 0 or not text[start - 1].isalnum())
                and (end == len(text) or not text[end].isalnum())):
            matches.append((start, end))
    places, covered_to = [], 0
    for start, end in sorted(matches, key=lambda span: (span[0], -span[1])):
        if start >= covered_to:
            places.append((start, end, most_populous(gazetteer, text[start:end])))
            covered_to = end
    return places


def time_it(function, inputs: list) -> tuple[float, int]:
    for item in inputs[:WARMUP_TEXTS]:
        function(*item)
    start = time.perf_counter()
    found = sum(len(function(*item)) for item in inputs)
    return time.perf_counter() - start, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=1, help="Times the corpus is fed through (default 1).")
    parser.add_argument("--ua", type=Path, default=UA_DUMP,
                        help="GeoNames dump of Ukraine to import first (default ../shared/...; 'none' to skip).")
    parser.add_argument("--warm-cache", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    from sitrep.settings import get_settings

    if not args.warm_cache and str(args.ua) != "none":
        if not args.ua.exists():
            sys.exit(f"bench: no GeoNames dump at {args.ua}; pass --ua PATH or --ua none")
        with_ukraine(args.ua)
        print(f"gazetteer: built-in + {args.ua.name} imported")
    settings = get_settings()
    if args.warm_cache:
        gazetteer_of(settings)
        return

    from sitrep.extract.geoparse import find_places
    from sitrep.extract.nlp import load_model

    texts = load_texts(args.corpus, args.repeat)
    print(f"corpus: {len(texts)} texts, {sum(len(t.split()) for t in texts):,} words ({args.corpus})")
    gazetteer, load_seconds = load_gazetteer(settings)
    print(f"gazetteer load (warm cache): {load_seconds:.2f} s  peak RSS {peak_rss_mb():,.0f} MB")
    hints = parse_hints(load_model(settings.spacy_model), texts)
    print(f"parsed with {settings.spacy_model} (not timed)  peak RSS {peak_rss_mb():,.0f} MB")

    sitrep, places = time_it(find_places, [(text, gazetteer, hint) for text, hint in zip(texts, hints, strict=True)])
    print(f"sitrep    find_places:  {len(texts) / sitrep:8.1f} articles/s  ({places:,} places)")
    baseline, matches = time_it(baseline_geoparse, [(text, gazetteer) for text in texts])
    print(f"baseline  most populous: {len(texts) / baseline:8.1f} articles/s  ({matches:,} places)")
    print(f"ratio sitrep/baseline: {baseline / sitrep:.2f}  peak RSS {peak_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
