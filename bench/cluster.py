"""Benchmark: the share of ingest time that cross-document clustering takes, on a store that is
already large.

1. Build a store of ``--base-claims`` claims (100,000 by default) from synthetic records, written
   straight into the store (no spaCy: only the size of the store matters here), and cluster them.
2. Ingest ``--reports`` new reports (10,000 by default) through the real pipeline, timed, then
   cluster them, timed: ``sitrep ingest`` does exactly these two steps.

Prints both times and the ratio clustering / (extraction and storing + clustering), which issue #5
wants under 0.20, and the peak RSS. Run: ``.venv/bin/python bench/cluster.py [--reports N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from sitrep import corroborate, service
from sitrep.ingest.base import document_id
from sitrep.models import Actor, Claim, Document, Event, EventDate, Extraction, Place, Source
from sitrep.pipeline import Pipeline
from sitrep.settings import get_settings
from sitrep.store import Store

# Real settlements of the front (name, lat, lon), for the reports the pipeline reads.
PLACES = [("Robotyne", 47.4419, 35.8394), ("Verbove", 47.4483, 35.9467), ("Orikhiv", 47.5675, 35.7848),
          ("Bakhmut", 48.5956, 38.0003), ("Avdiivka", 48.1394, 37.7497), ("Marinka", 47.9436, 37.5036),
          ("Kupiansk", 49.7106, 37.6156), ("Kreminna", 49.0497, 38.2178), ("Vuhledar", 47.7811, 37.2486),
          ("Staromaiorske", 47.6767, 36.7569), ("Klishchiivka", 48.5333, 38.0333), ("Andriivka", 48.5083, 38.0167),
          ("Lyman", 48.9853, 37.8064), ("Siversk", 48.8656, 38.1011), ("Toretsk", 48.3978, 37.8469),
          ("Huliaipole", 47.6636, 36.2581), ("Kherson", 46.6354, 32.6169), ("Nikopol", 47.5667, 34.4)]
SOURCES = [("the General Staff of Ukraine", "UA"), ("Russia's defence ministry", "RU"),
           ("the regional governor", "UA"), ("a Russian military blogger", "RU"), ("the Institute for the "
                                                                                  "Study of War", "third-party")]
TEMPLATES = [
    "{source_cap} said on {weekday} that Russian forces shelled {place} overnight, damaging several houses. "
    "Two civilians were wounded, according to local officials.",
    "Ukrainian troops advanced near {place} on {weekday}, {source} said, adding that fighting continued "
    "on the southern outskirts of the village.",
    "{source_cap} said that its units repelled three attacks near {place} on {weekday}. "
    "The enemy lost up to {n} servicemen, it said.",
    "A drone struck a fuel depot in {place} on {weekday}, {source} reported. No casualties were reported.",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def synthetic_record(index: int, rng: random.Random, claims_per_document: int) -> Extraction:
    """A document of ``claims_per_document`` one-sentence claims at random places and days."""
    day = dt.date(2022, 3, 1) + dt.timedelta(days=rng.randrange(900))
    sentences, places, claims = [], [], []
    offset = 0
    text_parts = []
    for number in range(claims_per_document):
        settlement = rng.randrange(3000)
        name = f"Selo{settlement}"
        sentence = f"Report {index}-{number}: fighting near {name} was reported by sources."
        start = offset
        text_parts.append(sentence)
        at = start + sentence.index(name)
        places.append(Place(mention=name, start=at, end=at + len(name), geonameid=10_000_000 + settlement,
                            name=name, feature="PPL", admin1="Donetsk", country="UA",
                            lat=47.0 + (settlement % 60) * 0.05, lon=35.0 + (settlement // 60) * 0.06, precision=1))
        sentences.append((start, sentence))
        offset += len(sentence) + 1
    text = " ".join(text_parts)
    doc_id = document_id(text)
    for number, (start, sentence) in enumerate(sentences):
        side = rng.choice(["UA", "RU"])
        claims.append(Claim(
            id=f"{doc_id}:{start}-{start + len(sentence)}", start=start, end=start + len(sentence), text=sentence,
            confidence=0.6, source=Source(name=f"Channel {rng.randrange(200)}", kind="milblogger", side=side),
            event=Event(event_type="Battles", sub_event_type="Armed clash", place=number,
                        actor1=Actor(name=side, side=side),
                        date=EventDate(start=day, end=day, precision="day"))))
    document = Document(id=doc_id, source=f"synthetic#{index}", text=text, published=day, outlet="Synthetic")
    return Extraction(document=document, places=places, claims=claims)


def report_lines(count: int, rng: random.Random) -> list[str]:
    import json

    lines = []
    for index in range(count):
        name, _, _ = rng.choice(PLACES)
        source, _ = rng.choice(SOURCES)
        text = rng.choice(TEMPLATES).format(source=source, source_cap=source[0].upper() + source[1:], place=name,
                                            weekday=rng.choice(WEEKDAYS), n=rng.randrange(20, 200))
        published = dt.date(2023, 8, 1) + dt.timedelta(days=rng.randrange(60))
        lines.append(json.dumps({"id": f"bench-{index}", "published": published.isoformat(),
                                 "outlet": f"Outlet {rng.randrange(30)}", "text": f"{text} (ref {index})"}))
    return lines


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-claims", type=int, default=100_000)
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    settings = get_settings()
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(f"sqlite:///{folder}/bench.db")
        started = time.perf_counter()
        for index in range(args.base_claims // 5):
            store.add(synthetic_record(index, rng, 5))
        built = time.perf_counter() - started
        started = time.perf_counter()
        corroborate.update(store)
        base_clustering = time.perf_counter() - started
        claims = store.counts()["claims"]
        print(f"base store: {claims:,} claims written in {built:.1f} s, clustered in {base_clustering:.1f} s")
        inputs = Path(folder) / "reports.jsonl"
        inputs.write_text("\n".join(report_lines(args.reports, rng)) + "\n", encoding="utf-8")
        pipeline = Pipeline(settings)
        pipeline.pipe([Document(id="warm", source="warm", text="Russian forces shelled Orikhiv.")])
        started = time.perf_counter()
        report = service.ingest([str(inputs)], store, lambda: pipeline, settings)
        ingest_seconds = time.perf_counter() - started
        started = time.perf_counter()
        clustering = corroborate.update(store)
        cluster_seconds = time.perf_counter() - started
        store.close()
    total = ingest_seconds + cluster_seconds
    print(f"new reports: {report.documents_new:,} documents, {clustering.claims:,} clustered claims, "
          f"{clustering.events_new:,} new events, {clustering.signals:,} signals, "
          f"{clustering.contradictions:,} contradictions")
    print(f"extract+store {ingest_seconds:.1f} s ({report.documents_new / ingest_seconds:.1f} docs/s), "
          f"clustering {cluster_seconds:.1f} s ({report.documents_new / cluster_seconds:.1f} docs/s)")
    print(f"clustering share of ingest time: {cluster_seconds / total:.3f} (target < 0.20)")
    print(f"peak RSS {peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
