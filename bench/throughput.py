"""Throughput of `sitrep extract` against spaCy's full pipeline alone, on the same texts, in one run.

    .venv/bin/python bench/throughput.py [--corpus DIR] [--repeat N] [--languages-only]

Languages first: words/s of ``Pipeline.pipe`` on the same eight team-written reports in English,
Ukrainian and Russian (bench/texts/, fed through ``LANGUAGE_COPIES`` times), each as a ratio to
English, with the peak RSS once English alone and then all three languages are loaded. This part
needs nothing from ../shared.

Corpus: the 200 GeoWebNews articles in ../shared/data/eval/geoparsing_gritta/Geocoding/files/.
Reference: ``spacy.load(model)`` with every component, ``nlp.pipe`` over the raw texts.
sitrep: ``Pipeline.pipe`` over the same texts as Documents (cleaning, parsing without the
lemmatizer, gazetteer geoparsing, claims and attribution). Both are warmed up on a few texts first.
Prints words/s for each, the ratio sitrep/reference (> 1 means sitrep is faster), and the peak RSS
of the process after each phase (ru_maxrss is a high-water mark, so the second figure includes the first).
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "eval" / "geoparsing_gritta" / "Geocoding" / "files"
LANGUAGE_TEXTS = ROOT / "bench" / "texts"
WARMUP_TEXTS = 5
# Each language's eight reports are fed through this many times (about 6,000 to 8,000 words).
LANGUAGE_COPIES = 40


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def current_rss_mb() -> float:
    """Resident memory now (Linux): unlike the peak, it shows what loading a language adds."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * resource.getpagesize() / 1024 / 1024
    except OSError:
        return float("nan")


def load_corpus(directory: Path) -> list[str] | None:
    if not directory.is_dir():
        print(f"bench: corpus not found at {directory}; pass --corpus DIR (skipping the spaCy comparison)")
        return None
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


def language_documents(language: str, copies: int) -> list:
    """The team's reports in ``language``, one document per paragraph, ``copies`` times (distinct ids)."""
    from sitrep.models import Document

    reports = [part.strip() for part in (LANGUAGE_TEXTS / f"{language}.txt").read_text("utf-8").split("\n\n")]
    return [Document(id=f"{language}{copy:03d}{number}", source=f"bench/texts/{language}.txt#{number}",
                     published=dt.date(2023, 9, 1), text=report)
            for copy in range(copies) for number, report in enumerate(reports) if report]


def time_languages(pipeline, copies: int) -> None:
    """Words/s per language, with English as the reference, and peak RSS before and after Ukrainian and
    Russian are loaded. Each language is warmed up on one report first (which loads its pipeline)."""
    rates: dict[str, float] = {}
    for language in ("en", "uk", "ru"):
        documents = language_documents(language, copies)
        list(pipeline.pipe(documents[:1]))
        if language == "en":
            rss_english = current_rss_mb()
        words = sum(len(document.text.split()) for document in documents)
        start = time.perf_counter()
        claims = sum(len(extraction.claims) for extraction in pipeline.pipe(documents))
        elapsed = time.perf_counter() - start
        rates[language] = words / elapsed
        print(f"{language}: {words:,} words  {rates[language]:8,.0f} words/s  {len(documents) / elapsed:6.1f} docs/s"
              f"  ratio to en {rates[language] / rates['en']:.2f}  ({claims} claims)")
    print(f"RSS: {rss_english:,.0f} MB with English loaded, {current_rss_mb():,.0f} MB with en, uk and ru "
          f"(peak {peak_rss_mb():,.0f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=1, help="Times the corpus is fed through (default 1).")
    parser.add_argument("--languages-only", action="store_true", help="Only the en/uk/ru comparison.")
    args = parser.parse_args()

    import spacy

    from sitrep.pipeline import Pipeline
    from sitrep.settings import get_settings

    settings = get_settings()
    print(f"languages: bench/texts, {LANGUAGE_COPIES} copies of eight reports each")
    time_languages(Pipeline(settings), LANGUAGE_COPIES)
    corpus = None if args.languages_only else load_corpus(args.corpus)
    if corpus is None:
        return
    texts = corpus * args.repeat
    words = sum(len(text.split()) for text in texts)
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
