"""Benchmark: bbox and date queries over 1,000,000 synthetic events in SQLite (issue #6: p95 < 50 ms).

1. Fill a temporary SQLite file with ``--events`` events (sitrep.synthetic, 1,000,000 by default).
2. Run ``--queries`` random queries the map makes: the box of an oblast (about 2.5 x 2 degrees) or
   a 50 km box, over a 7 to 60 day window, with limit 100 or 1000, half of them in the compact view:
   once through the store (``Store.event_page``) and once through the ASGI app (httpx TestClient,
   so routing, validation and JSON are included).
3. Run the same number of primary-key lookups (``GET /api/events/{id}``) as the reference: the
   cheapest query the store answers, measured in the same process on the same file.

Prints p50/p95/p99 in ms for each, the ratios to the reference, matches per query and the peak RSS.
Run: ``.venv/bin/python bench/api.py [--events N] [--queries N] [--seed N] [--db PATH]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from sitrep.api import create_app
from sitrep.store import EventFilter, Store
from sitrep.synthetic import fill_events

BBOX = (22.0, 44.0, 40.5, 52.5)  # Ukraine's extent, as fill_events spreads events over it
SINCE = dt.date(2022, 2, 24)
DAYS = 700
OBLAST = (2.5, 2.0)  # degrees of longitude and latitude of a typical oblast's box
KM_PER_DEGREE = 111.2
TARGET_P95_MS = 50.0


def random_query(rng: random.Random) -> tuple[tuple[float, float, float, float], dt.date, dt.date, int, bool]:
    """A box (an oblast or 50 km), a 7-60 day window, a limit and whether the view is compact."""
    if rng.random() < 0.5:
        width, height = OBLAST
    else:
        height = 50 / KM_PER_DEGREE
        width = height / math.cos(math.radians(48.5))
    west = rng.uniform(BBOX[0], BBOX[2] - width)
    south = rng.uniform(BBOX[1], BBOX[3] - height)
    start = SINCE + dt.timedelta(days=rng.randrange(DAYS - 60))
    end = start + dt.timedelta(days=rng.randint(7, 60))
    return (west, south, west + width, south + height), start, end, rng.choice([100, 1000]), rng.random() < 0.5


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return (time.perf_counter() - started) * 1000, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--db", help="Use (and keep) this SQLite file; filled only when new.")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(args.db) if args.db else Path(scratch) / "bench.db"
        fresh = not path.exists()
        store = Store.open(f"sqlite:///{path}")
        if fresh:
            seconds, _ = timed(lambda: fill_events(store, args.events, seed=args.seed, bbox=BBOX, since=SINCE,
                                                   days=DAYS))
            print(f"filled {args.events:,} events in {seconds / 1000:.1f} s")
        client = TestClient(create_app(store=store))
        rng = random.Random(args.seed + 1)
        queries = [random_query(rng) for _ in range(args.queries)]
        store_ms, api_ms, matches = [], [], []
        by_class: dict[str, list[float]] = {}
        for bbox, since, until, limit, compact in queries:
            wanted = EventFilter(bbox=bbox, since=since, until=until)
            elapsed, (found, _) = timed(lambda: store.event_page(wanted, limit))
            store_ms.append(elapsed)
            matches.append(len(found))
            query = {"bbox": ",".join(f"{value:.4f}" for value in bbox), "since": str(since), "until": str(until),
                     "limit": limit, "view": "compact" if compact else "full"}
            elapsed, response = timed(lambda: client.get("/api/events", params=query))
            assert response.status_code == 200, response.text
            api_ms.append(elapsed)
            box = "oblast" if bbox[2] - bbox[0] >= OBLAST[0] else "50 km"
            by_class.setdefault(f"{box}, limit {limit}", []).append(elapsed)
        ids = [event.id for event in store.event_page(EventFilter(), 5000)[0]]
        reference_ms = []
        for _ in range(args.queries):
            event_id = rng.choice(ids)
            elapsed, response = timed(lambda: client.get(f"/api/events/{event_id}"))
            assert response.status_code == 200
            reference_ms.append(elapsed)
        report(store_ms, api_ms, reference_ms, matches)
        for name, samples in sorted(by_class.items()):
            print(f"  API {name:20s} n={len(samples):3d}  p50 {statistics.median(samples):7.2f} ms  "
                  f"p95 {percentiles(samples)[1]:7.2f} ms")
        store.close()
        return 0 if percentiles(api_ms)[1] < TARGET_P95_MS else 1


def report(store_ms: list[float], api_ms: list[float], reference_ms: list[float], matches: list[int]) -> None:
    reference = percentiles(reference_ms)
    for name, samples in (("store bbox+date", store_ms), ("API bbox+date", api_ms),
                          ("API by id (reference)", reference_ms)):
        p50, p95, p99 = percentiles(samples)
        print(f"{name:24s} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  p99 {p99:7.2f} ms  "
              f"(p95 x{p95 / reference[1]:.1f} the reference)")
    print(f"items per query: median {statistics.median(matches):.0f}, max {max(matches)}")
    print(f"API p95 target < {TARGET_P95_MS:.0f} ms: {'met' if percentiles(api_ms)[1] < TARGET_P95_MS else 'MISSED'}")
    print(f"peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
