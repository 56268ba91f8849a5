"""Throughput of `sitrep extract` against spaCy's full pipeline alone, on the same texts, in one run.

    .venv/bin/python bench/throughput.py [--corpus DIR] [--repeat N]

Corpus: the 200 GeoWebNews articles in ../shared/data/eval/geoparsing_gritta/Geocoding/files/.
Reference: ``spacy.load(model)`` with every component, ``nlp.pipe`` over the raw texts.
sitrep: ``Pipeline.pipe`` over the same texts as Documents (cleaning, parsing without the
lemmatizer, gazetteer geoparsing, claims and attribution). Both are warmed up on a few texts first.
Prints words/s for each, the ratio sitrep/reference (> 1 means sitrep is faster), and the peak RSS
of the process after each phase (ru_maxrss is a high-water mark, so the second figure includes the first).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "eval" / "geoparsing_gritta" / "Geocoding" / "files"
WARMUP_TEXTS = 5


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def load_corpus(directory: Path) -> list[str]:
    if not directory.is_dir():
        sys.exit(f"bench: corpus not found at {directory}; pass --corpus DIR")
    files = sorted((p for p in directory.iterdir() if p.is_file()), key=lambda p: (len(p.name), p.name))
    return [p.read_text(encoding="utf-8", errors="replace") for p in files]


def time_reference(nlp, texts: list[str]) -> float:
    list(nlp.pipe(texts[:WARMUP_TEXTS]))
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    return time.perf_counter() - start


def time_sitrep(pipeline, texts: list[str]) -> tuple[float, int, int]:
    from sitrep.ingest.base import document_id
    from sitrep.models import Document

    documents = [Document(id=document_id(text), source=f"gwn/{i}", text=text) for i, text in enumerate(texts)]
    list(pipeline.pipe(documents[:WARMUP_TEXTS]))
    start = time.perf_counter()
    claims = places = 0
    for extraction in pipeline.pipe(documents):
        claims += len(extraction.claims)
        places += len(extraction.places)
    return time.perf_counter() - start, claims, places


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=1, help="Times the corpus is fed through (default 1).")
    args = parser.parse_args()

    import spacy

    from sitrep.pipeline import Pipeline
    from sitrep.settings import get_settings

    texts = load_corpus(args.corpus) * args.repeat
    words = sum(len(text.split()) for text in texts)
    settings = get_settings()
    print(f"corpus: {len(texts)} texts, {words:,} words ({args.corpus})")
    print(f"model: {settings.spacy_model}")

    nlp = spacy.load(settings.spacy_model)
    reference = time_reference(nlp, texts)
    rss_reference = peak_rss_mb()
    print(f"reference  spaCy full pipeline: {words / reference:8,.0f} words/s  {len(texts) / reference:6.1f} docs/s"
          f"  peak RSS {rss_reference:,.0f} MB")
    del nlp

    pipeline = Pipeline(settings)
    elapsed, claims, places = time_sitrep(pipeline, texts)
    print(f"sitrep     extract:             {words / elapsed:8,.0f} words/s  {len(texts) / elapsed:6.1f} docs/s"
          f"  peak RSS {peak_rss_mb():,.0f} MB  ({claims:,} claims, {places:,} places)")
    print(f"ratio sitrep/reference: {reference / elapsed:.2f}")


if __name__ == "__main__":
    main()
