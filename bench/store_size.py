"""Benchmark: the size of the store per million claims, on SQLite and on PostgreSQL.

1. Build ``--claims`` claims (20,000 by default) of synthetic extraction records, shaped like the
   records of the bundled sample reports (see the constants below), and ``Store.add`` them one
   document at a time, as ``sitrep ingest`` does. No spaCy: only the records' sizes matter here.
2. Cluster them (``corroborate.update``), since a real store also holds events, near-duplicate
   bands and the full-text index.
3. Measure the database: the SQLite file after a WAL checkpoint, and PostgreSQL's
   ``pg_database_size`` less that of an empty database (the system catalogue, ~7 MB). Extrapolate
   linearly to one million claims, and print the largest tables.

PostgreSQL runs on a throwaway server (``sitrep.devtools.pgserver``, as in the tests), or on
``--pg-url``. Run: ``.venv/bin/python bench/store_size.py [--claims N] [--backend sqlite|postgresql]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from sitrep import corroborate
from sitrep.devtools import pgserver
from sitrep.ingest.base import document_id
from sitrep.models import Actor, Claim, Document, Event, EventDate, Extraction, Place, Source
from sitrep.store import Store

# Shape of the records, from the 15 sample reports ingested into one store (samples/reports:
# 47 documents, 330 claims, 540 places): 7 claims a document, 1.6 places a claim, a claim's
# sentence ~110 characters, its JSON record ~615 bytes, a document ~800 characters.
CLAIMS_PER_DOCUMENT = 7
PLACES_PER_CLAIM = 2  # every other sentence names one place, the rest two: 1.5 a claim on average
SETTLEMENTS = 3_000

SIDES = ("UA", "RU", "third-party")
SPEAKERS = [("General Staff of the Armed Forces of Ukraine", "military", "UA", "spokesman"),
            ("Russian Ministry of Defence", "government", "RU", None),
            ("Zaporizhzhia regional governor", "official", "UA", "governor"),
            ("UK Ministry of Defence", "government", "third-party", "intelligence update"),
            ("Rybar", "milblogger", "RU", None)]
SENTENCES = [
    "{speaker} said that Russian forces shelled {a} and {b} overnight, damaging houses and a school.",
    "Ukrainian troops advanced up to {n} metres near {a}, {speaker} said, as fighting went on south of {b}.",
    "Units repelled {n} attacks near {a} during the day, {speaker} said, and the enemy lost equipment there.",
    "A drone struck a fuel depot on the outskirts of {a} early on Tuesday, {speaker} reported on Telegram.",
]


def synthetic_record(index: int, rng: random.Random) -> Extraction:
    """One document of CLAIMS_PER_DOCUMENT sentences, each a claim with an event at a place."""
    day = dt.date(2022, 3, 1) + dt.timedelta(days=rng.randrange(900))
    sentences: list[tuple[str, list[str], tuple]] = []
    for number in range(CLAIMS_PER_DOCUMENT):
        names = [f"Selo{rng.randrange(SETTLEMENTS):04d}" for _ in range(PLACES_PER_CLAIM - number % 2)]
        speaker = rng.choice(SPEAKERS)
        sentence = rng.choice(SENTENCES).format(speaker=speaker[0], a=names[0], b=names[-1], n=rng.randrange(2, 900))
        sentences.append((sentence, names, speaker))
    text_ = f"Bulletin {index}. " + " ".join(sentence for sentence, _, _ in sentences)
    doc_id = document_id(text_)
    places: list[Place] = []
    claims: list[Claim] = []
    for sentence, names, (name, kind, side, role) in sentences:
        start = text_.index(sentence)
        first_place = len(places)
        for mention in [name for name in dict.fromkeys(names) if name in sentence]:
            at = text_.index(mention, start)
            settlement = int(mention[4:])
            places.append(Place(mention=mention, start=at, end=at + len(mention), geonameid=90_000_000 + settlement,
                                name=mention, feature="PPL", admin1="Donetsk", country="UA",
                                lat=47.0 + (settlement % 60) * 0.05, lon=35.0 + (settlement // 60) * 0.06,
                                precision=1))
        actor = rng.choice(SIDES[:2])
        event = Event(event_type="Battles", sub_event_type="Armed clash", status="asserted", trigger="fighting",
                      actor1=Actor(name=f"Armed Forces of {actor}", side=actor, kind="military", acled=f"Military "
                                   f"Forces of {actor}"), place=first_place,
                      date=EventDate(start=day, end=day, precision="day", anchor="published"))
        claims.append(Claim(id=f"{doc_id}:{start}-{start + len(sentence)}", start=start, end=start + len(sentence),
                            text=sentence, confidence=0.65, source=Source(name=name, kind=kind, side=side, role=role),
                            event=event))
    document = Document(id=doc_id, source=f"synthetic/bulletin-{index}.txt", text=text_, published=day,
                        outlet=f"Outlet {rng.randrange(40)}", channel="web", language="en",
                        url=f"https://example.org/bulletin/{index}", title=f"Bulletin {index}")
    return Extraction(document=document, places=places, claims=claims)


def measure(url: str, claims_wanted: int, seed: int, size_of) -> dict[str, float]:
    """Fill, cluster and size one database; returns the figures."""
    rng = random.Random(seed)
    with Store.open(url) as store:
        empty = size_of(store)
        started = time.perf_counter()
        for index in range(-(-claims_wanted // CLAIMS_PER_DOCUMENT)):
            store.add(synthetic_record(index, rng))
        added = time.perf_counter() - started
        started = time.perf_counter()
        corroborate.update(store)
        clustered = time.perf_counter() - started
        counts = store.counts()
        full = size_of(store)
        tables = largest_tables(store)
    grown = full - empty
    return {"claims": counts["claims"], "documents": counts["documents"], "empty_mb": empty / 1e6,
            "full_mb": full / 1e6, "per_million_gb": grown / counts["claims"] * 1e6 / 1e9,
            "add_s": added, "cluster_s": clustered, "tables": tables}


def sqlite_size(store: Store) -> int:
    with store.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    path = Path(store.name)
    return sum(candidate.stat().st_size for candidate in (path, Path(f"{path}-wal")) if candidate.exists())


def postgresql_size(store: Store) -> int:
    with store.engine.connect() as connection:
        return connection.execute(text("SELECT pg_database_size(current_database())")).scalar_one()


def largest_tables(store: Store) -> list[tuple[str, float]]:
    """The five largest tables with their indexes, in MB (SQLite: dbstat, where compiled in)."""
    query = {"sqlite": "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 5",
             "postgresql": "SELECT relname, pg_total_relation_size(relid) FROM pg_catalog.pg_statio_user_tables "
                           "ORDER BY 2 DESC LIMIT 5"}[store.engine.dialect.name]
    try:
        with store.engine.connect() as connection:
            return [(name, size / 1e6) for name, size in connection.execute(text(query))]
    except Exception:  # noqa: BLE001 - dbstat is optional in SQLite builds; the totals still stand
        return []


@contextmanager
def postgresql_database(existing: str | None) -> Iterator[str]:
    server = pgserver.attach(existing) if existing else pgserver.start()
    try:
        url = server.create_database("sitrep_bench")
        yield url
    finally:
        if existing:
            server.drop_database(url)
        else:
            server.stop()


def report(backend: str, figures: dict) -> None:
    print(f"{backend}: {figures['claims']:,} claims in {figures['documents']:,} documents; "
          f"{figures['full_mb']:.1f} MB ({figures['empty_mb']:.1f} MB empty) -> "
          f"{figures['per_million_gb']:.2f} GB per million claims; "
          f"add {figures['add_s']:.1f} s ({figures['claims'] / figures['add_s']:,.0f} claims/s), "
          f"cluster {figures['cluster_s']:.1f} s")
    if figures["tables"]:
        print("  largest: " + ", ".join(f"{name} {size:.1f} MB" for name, size in figures["tables"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--pg-url", help="an existing PostgreSQL server to use instead of a throwaway one")
    args = parser.parse_args(argv)
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            report("sqlite", measure(f"sqlite:///{folder}/size.db", args.claims, args.seed, sqlite_size))
    if args.backend in ("postgresql", "both"):
        try:
            with postgresql_database(args.pg_url) as url:
                report("postgresql", measure(url, args.claims, args.seed, postgresql_size))
        except pgserver.ServerUnavailable as error:
            print(f"postgresql: skipped: {error}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
