"""Synthetic events for benchmarks and page-load tests: ``fill_events(store, n)``.

Each event gets what ``/api/events/{id}`` needs to answer in full: a document, a place, a claim and
the claim's membership of the event; the documents are marked clustered, so ``corroborate.update``
leaves them alone. Rows are written in bulk, with records built as JSON text directly (building a
million pydantic models would take longer than inserting them); ``tests/test_api.py`` checks that
they read back as the models.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from typing import Any

from sqlalchemy import insert

from sitrep.models import PIPELINE_VERSION
from sitrep.store import Store, search
from sitrep.store.schema import claims, clustered_documents, documents, event_claims, events, places

# Rows per INSERT batch: large enough that statement overhead vanishes, small enough to keep memory flat.
BATCH_ROWS = 20_000
# SQLite page cache during a bulk load (KiB): the random-order keys of a million rows touch pages all
# over the tables' B-trees; with SQLite's default 2 MB they are read back from disk again and again.
BULK_CACHE_KIB = 512 * 1024
# Distinct settlements the events fall on: events pile up on places as real reporting does.
SETTLEMENTS = 20_000
# First GeoNames-like id of the synthetic settlements, far above GeoNames' real ids.
FIRST_GEONAMEID = 90_000_000

# (event type, sub-event type, words of the claim)
KINDS = [
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", "shelled {place} overnight with artillery"),
    ("Explosions/Remote violence", "Air/drone strike", "a drone struck a depot in {place}"),
    ("Battles", "Armed clash", "fighting continued on the outskirts of {place}"),
    ("Battles", "Government regains territory", "troops retook positions near {place}"),
    ("Violence against civilians", "Attack", "civilians were attacked in {place}"),
    ("Strategic developments", "Disrupted weapons use", "air defence shot down missiles over {place}"),
]
SOURCES = [("General Staff of Ukraine", "military", "UA"), ("Russian Ministry of Defence", "military", "RU"),
           ("regional governor", "official", "UA"), ("Rybar", "milblogger", "RU"),
           ("Institute for the Study of War", "analyst", "third-party"), ("Reuters", "wire", "unknown")]
OUTLETS = ["Kyiv Independent", "Ukrainska Pravda", "Reuters", "TASS", "Meduza"]
ACTORS = {"UA": ("Armed Forces of Ukraine", "Military Forces of Ukraine (2019-)"),
          "RU": ("Armed Forces of the Russian Federation", "Military Forces of Russia (2000-)")}


def fill_events(store: Store, n: int, *, seed: int = 0,
                bbox: tuple[float, float, float, float] = (22.0, 44.0, 40.5, 52.5), since: dt.date = dt.date(2022, 2, 24), days: int = 700) -> None:
    """Write ``n`` events spread over ``bbox`` (west, south, east, north) and ``days`` from ``since``."""
    rng = random.Random(seed)
    settlements = _settlements(rng, bbox)
    now = dt.datetime.now(dt.UTC)
    rows = (_event_rows(rng, seed, index, settlements, since, days, now) for index in range(n))
    with store.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _bulk_pragmas(connection, loading=True)
        try:
            # One transaction: all the events or none, and the deferred indexes cover them all.
            with connection.begin(), search.deferred_indexing(connection):
                for batch in _batched(rows, BATCH_ROWS):
                    for table in TABLES:
                        if sqlite:
                            _insert_raw(connection, table, [row[table.name] for row in batch])
                        else:
                            connection.execute(insert(table), [row[table.name] for row in batch])
        finally:
            if sqlite:
                _bulk_pragmas(connection, loading=False)


TABLES = (documents, places, claims, clustered_documents, events, event_claims)


def _insert_raw(connection: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    """executemany on the driver itself: SQLAlchemy's per-row parameter processing costs as much
    as SQLite's insert. Values are converted as SQLAlchemy's SQLite types store them."""
    names = [column.name for column in table.columns]
    statement = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    cursor = connection.connection.driver_connection.cursor()
    cursor.executemany(statement, [tuple(_sqlite_value(row[name]) for name in names) for row in rows])
    cursor.close()


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def _bulk_pragmas(connection: Any, loading: bool) -> None:
    """SQLite settings for a bulk load: every row here is made consistent by construction, so the
    foreign-key checks are skipped, and a large page cache keeps the hashed keys' B-trees in memory."""
    raw = connection.connection.driver_connection
    raw.execute("PRAGMA foreign_keys=" + ("OFF" if loading else "ON"))
    raw.execute("PRAGMA cache_size=" + (str(-BULK_CACHE_KIB) if loading else "-2000"))
    raw.execute("PRAGMA synchronous=" + ("OFF" if loading else "FULL"))


def _settlements(rng: random.Random, bbox: tuple[float, float, float, float]) -> list[tuple[int, str, float, float]]:
    west, south, east, north = bbox
    return [(FIRST_GEONAMEID + number, f"Synthetic {number}", round(rng.uniform(south, north), 5),
             round(rng.uniform(west, east), 5)) for number in range(SETTLEMENTS)]


def _event_rows(rng: random.Random, seed: int, index: int, settlements: list[tuple[int, str, float, float]],
                since: dt.date, days: int, now: dt.datetime) -> dict[str, dict[str, Any]]:
    """The rows of one event, by table name: its document, place, claim, membership and summary."""
    geonameid, name, lat, lon = rng.choice(settlements)
    event_type, sub_type, words = rng.choice(KINDS)
    source_name, source_kind, source_side = rng.choice(SOURCES)
    start = since + dt.timedelta(days=rng.randrange(days))
    weekly = rng.random() < 0.1
    end = start + dt.timedelta(days=6 if weekly else 0)
    attacker = rng.choice(["UA", "RU"])
    sentence = f"The {source_name} said {words.format(place=name)} (report {seed}-{index})."
    # Ids in insertion order (16 hex digits like a real id: the seed, then the index): each insert
    # then appends to the tables' key B-trees. Hashed ids, as ingest makes them, land all over a
    # million-row B-tree and made the fill three times slower. The seed keeps fills apart.
    doc_id = f"{seed % 0x10000:04x}{index:012x}"
    claim_id = f"{doc_id}:0-{len(sentence)}"
    event_id = f"ev-{doc_id}"
    at = sentence.index(name)
    date = {"start": start.isoformat(), "end": end.isoformat(), "precision": "week" if weekly else "day",
            "expression": None, "anchor": "published"}
    place = {"mention": name, "start": at, "end": at + len(name), "geonameid": geonameid, "name": name,
             "feature": "PPL", "admin1": "Synthetic oblast", "country": "UA", "lat": lat, "lon": lon, "precision": 1,
             "kind": "toponym", "candidates": 1, "unresolved": None}
    actor_name, acled = ACTORS[attacker]
    source = {"name": source_name, "kind": source_kind, "side": source_side, "role": None, "channel": None}
    claim = {"id": claim_id, "start": 0, "end": len(sentence), "text": sentence, "confidence": 0.7,
             "source": source, "quote": None,
             "event": {"event_type": event_type, "sub_event_type": sub_type, "mode": None, "status": "asserted",
                       "trigger": None, "actor1": {"name": actor_name, "side": attacker, "kind": "military",
                                                   "id": None, "acled": acled, "mention": None, "start": None,
                                                   "end": None},
                       "actor2": None, "place": 0, "date": date, "fatalities": None, "quantities": []}}
    contradicted = rng.random() < 0.05
    mix = {"UA": 0, "RU": 0, "third-party": 0, "unknown": 0}
    mix[source_side] += 1
    summary = {"id": event_id, "family": sub_type, "event_type": event_type, "sub_event_type": sub_type,
               "place": {"name": name, "geonameid": geonameid, "admin1": "Synthetic oblast", "country": "UA",
                         "lat": lat, "lon": lon, "precision": 1},
               "date": date, "first_reported": end.isoformat(), "last_reported": end.isoformat(), "claim_count": 1,
               "independent_sources": 1, "source_mix": mix, "actor_sides": [attacker], "attackers": [attacker],
               "fatalities": [], "contradicted": contradicted, "pipeline": PIPELINE_VERSION}
    return {
        "documents": {"id": doc_id, "source": f"synthetic#{index}", "url": f"https://example.org/{doc_id}",
                      "outlet": rng.choice(OUTLETS), "channel": "web", "title": None, "author": None,
                      "published": end, "language": "en", "text": sentence, "captions": "[]", "removed": "[]",
                      "pipeline_version": PIPELINE_VERSION, "ingested_at": now},
        "places": {"document_id": doc_id, "idx": 0, "mention": name, "start_offset": at, "end_offset": at + len(name),
                   "geonameid": geonameid, "name": name, "feature": "PPL", "admin1": "Synthetic oblast",
                   "country": "UA", "lat": lat, "lon": lon, "precision": 1, "record": json.dumps(place)},
        "claims": {"id": claim_id, "document_id": doc_id, "idx": 0, "start_offset": 0, "end_offset": len(sentence),
                   "text": sentence, "confidence": 0.7, "source_name": source_name, "source_kind": source_kind,
                   "source_side": source_side, "source_role": None, "source_channel": None, "quote": None,
                   "event_type": event_type, "sub_event_type": sub_type, "status": "asserted",
                   "event_date_start": start, "event_date_end": end, "place_idx": 0, "record": json.dumps(claim),
                   "pipeline_version": PIPELINE_VERSION},
        "clustered_documents": {"document_id": doc_id, "origin_id": doc_id, "clustered_at": now,
                                "pipeline_version": PIPELINE_VERSION},
        "events": {"id": event_id, "family": sub_type, "event_type": event_type, "sub_event_type": sub_type,
                   "geonameid": geonameid, "place_name": name, "admin1": "Synthetic oblast", "country": "UA",
                   "lat": lat, "lon": lon, "precision": 1, "date_start": start, "date_end": end,
                   "first_reported": end, "last_reported": end, "claim_count": 1, "independent_sources": 1,
                   "sources_ua": mix["UA"], "sources_ru": mix["RU"], "sources_third": mix["third-party"],
                   "sources_unknown": mix["unknown"], "contradicted": contradicted, "record": json.dumps(summary),
                   "pipeline_version": PIPELINE_VERSION},
        "event_claims": {"claim_id": claim_id, "event_id": event_id, "document_id": doc_id, "origin_id": doc_id,
                         "speaker": source_name.lower(), "source_side": source_side, "published": end,
                         "fatalities": None, "status": "asserted", "place": json.dumps(place)},
    }


def _batched(rows: Iterator[dict[str, dict[str, Any]]], size: int) -> Iterator[list[dict[str, dict[str, Any]]]]:
    batch: list[dict[str, dict[str, Any]]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
