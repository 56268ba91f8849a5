"""Throughput of `sitrep batch` with 1 and 2 Dask workers on the same input, and peak RSS per worker.

    .venv/bin/python bench/batch.py [--reports 200] [--partition-size 10] [--workers 1 2] [--repeat 3]

Input: ``--reports`` multi-paragraph reports generated here (real place names, invented events),
written to a temporary directory. For each worker count: a LocalCluster of N single-threaded
processes is started (timed and reported as start-up) and every worker builds its Pipeline (timed as
warm-up). Then ``sitrep.batch.run`` runs ``--repeat`` times per cluster, interleaved between the
clusters, each over a fresh output directory; only these runs are timed, and the best one counts
(this machine's 2 cores are shared with other work). Besides wall-clock rates it prints words per
CPU-second of the workers, the per-core rate that the extrapolation in docs/scale.md starts from. Prints docs/s and words/s per configuration, the speedup of the
largest worker count over the smallest, and each worker's peak RSS (ru_maxrss, asked of the worker).
Then times ``sitrep load`` of the last run's shards into a new SQLite file (adding, then clustering).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

PLACES = [
    ("Kupiansk", "Kharkiv"), ("Vovchansk", "Kharkiv"), ("Bakhmut", "Donetsk"), ("Avdiivka", "Donetsk"),
    ("Marinka", "Donetsk"), ("Vuhledar", "Donetsk"), ("Klishchiivka", "Donetsk"), ("Lyman", "Donetsk"),
    ("Kreminna", "Luhansk"), ("Robotyne", "Zaporizhzhia"), ("Orikhiv", "Zaporizhzhia"), ("Nikopol", "Dnipropetrovsk"),
    ("Kherson", "Kherson"), ("Beryslav", "Kherson"), ("Odesa", "Odesa"), ("Izmail", "Odesa"),
    ("Sumy", "Sumy"), ("Chernihiv", "Chernihiv"), ("Kramatorsk", "Donetsk"), ("Pokrovsk", "Donetsk"),
]
SPEAKERS = [
    "the regional governor said on Telegram", "Ukraine's General Staff said in its morning update",
    "the Russian Defence Ministry claimed", "a spokesman for the Ukrainian army's eastern grouping said",
    "the head of the regional military administration said", "local officials told reporters",
]
OPENINGS = [
    "Russian artillery shelled {place} on {day}, damaging {target}, {speaker}.",
    "A Russian drone struck {target} in {place} overnight, killing {n} civilians, {speaker}.",
    "Ukrainian forces repelled {n} Russian assaults near {place} on {day}, {speaker}.",
    "Russian missiles hit {target} in {place} early on {day}, {speaker}.",
    "Ukrainian troops advanced up to {km} km south of {place}, {speaker}.",
]
FOLLOW_UPS = [
    "{n} people were wounded and rescuers worked through the night to clear the rubble.",
    "Fighting also continued around {other}, where both sides reported heavy losses.",
    "The claim could not be independently verified.",
    "Residents of villages near {other} were urged to leave for safer parts of the {region} region.",
    "Air defences shot down {n} of the drones launched towards the {region} region, the air force said.",
    "Moscow said its forces had struck Ukrainian positions near {other} with artillery and drones.",
    "Power was cut to several districts of {place} after the strike, the local energy company said.",
]
TARGETS = ["a school", "a grain warehouse", "an apartment block", "a hospital", "port infrastructure",
           "a railway depot", "a market", "an industrial site"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def make_report(rng: random.Random, number: int) -> str:
    """A dateline, then four to six paragraphs of two to four sentences, about two or three places."""
    place, region = rng.choice(PLACES)
    month, day = rng.choice([("Jul", 7), ("Aug", 8), ("Sep", 9)]), rng.randint(1, 28)
    paragraphs = [f"{region.upper()}, Ukraine ({month[0]} {day}, 2023) - "]
    for index in range(rng.randint(4, 6)):
        here, here_region = (place, region) if index == 0 else rng.choice(PLACES)
        other = rng.choice(PLACES)[0]
        values = dict(place=here, region=here_region, other=other, day=rng.choice(DAYS), n=rng.randint(2, 19),
                      km=rng.randint(1, 3), target=rng.choice(TARGETS), speaker=rng.choice(SPEAKERS))
        sentences = [rng.choice(OPENINGS).format(**values)]
        sentences += [rng.choice(FOLLOW_UPS).format(**values) for _ in range(rng.randint(1, 3))]
        paragraphs.append(" ".join(sentences))
    paragraphs[0] += paragraphs.pop(1)
    return "\n\n".join(paragraphs) + f"\n\n(Report {number:04d})\n"


def write_reports(directory: Path, count: int, seed: int = 7) -> int:
    """Write ``count`` reports; return their total words."""
    rng, words = random.Random(seed), 0
    directory.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        text = make_report(rng, number)
        (directory / f"report-{number:04d}.txt").write_text(text, encoding="utf-8")
        words += len(text.split())
    return words


def worker_peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def start_cluster(workers: int, settings) -> dict:
    """A warm LocalCluster: started (timed), then every worker builds its Pipeline (timed)."""
    from distributed import Client, LocalCluster

    from sitrep import batch

    started = time.perf_counter()
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                           scheduler_kwargs={"dashboard_address": "127.0.0.1:0"})
    client = Client(cluster)
    startup = time.perf_counter() - started
    started = time.perf_counter()
    client.run(batch._pipeline, settings)  # spaCy and the gazetteer, once per worker
    return {"workers": workers, "cluster": cluster, "client": client, "startup": startup,
            "warmup": time.perf_counter() - started, "runs": []}


def measure(inputs: Path, out: Path, config: dict, partition_size: int, settings) -> None:
    """One timed ``batch.run`` on a warm cluster, into a fresh output directory."""
    from sitrep import batch

    started = time.perf_counter()
    report = batch.run([str(inputs)], str(out), scheduler=config["cluster"].scheduler_address,
                       partition_size=partition_size, settings=settings)
    seconds = time.perf_counter() - started
    if report.failed or report.documents == 0:
        sys.exit(f"bench: the run failed: {report.failed or 'no documents'}")
    cpu = sum(result.cpu_seconds for result in report.results)
    shard_bytes = sum(path.stat().st_size for path in out.glob("part-*.parquet"))
    config["runs"].append({"seconds": seconds, "cpu": cpu, "documents": report.documents, "words": report.words,
                           "shard_bytes": shard_bytes})


def measure_load(out: Path, database: Path) -> dict:
    """``sitrep load`` of one run's shards into a new SQLite file: adding, then clustering, timed apart."""
    from sitrep import batch, corroborate
    from sitrep.store import Store

    with Store.open(f"sqlite:///{database}") as store:
        started = time.perf_counter()
        report = batch.load(str(out), store, cluster=False)
        added = time.perf_counter() - started
        started = time.perf_counter()
        corroborate.update(store)
        clustered = time.perf_counter() - started
        claims = store.counts()["claims"]
    return {"documents": report.documents_new, "claims": claims, "add": added, "cluster": clustered}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--partition-size", type=int, default=10)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=3, help="Runs per worker count, interleaved; the best counts.")
    args = parser.parse_args()
    from sitrep.pipeline import Pipeline
    from sitrep.settings import get_settings

    settings = get_settings()
    Pipeline(settings)  # build the gazetteer cache once, before the workers read it
    with tempfile.TemporaryDirectory(prefix="sitrep-bench-batch-") as temporary:
        root = Path(temporary)
        words = write_reports(root / "in", args.reports)
        print(f"input: {args.reports} generated reports, {words:,} words, partition size {args.partition_size}; "
              f"load average before: {os.getloadavg()[0]:.2f}")
        configs = [start_cluster(n, settings) for n in args.workers]
        for repeat in range(args.repeat):
            for config in configs:  # interleaved, so that a burst of load elsewhere hits every configuration
                measure(root / "in", root / f"out-{config['workers']}-{repeat}", config, args.partition_size, settings)
        for config in configs:
            config["rss"] = sorted(config["client"].run(worker_peak_rss_mb).values())
            config["client"].close()
            config["cluster"].close()
        loading = measure_load(root / f"out-{args.workers[-1]}-0", root / "store.db")
    report(configs, loading)
    print(f"load average after: {os.getloadavg()[0]:.2f} (the machine's other work slows every figure above)")


def report(configs: list[dict], loading: dict) -> None:
    for config in configs:
        best = min(config["runs"], key=lambda run: run["seconds"])
        times = ", ".join(f"{run['seconds']:.1f}" for run in config["runs"])
        rss = ", ".join(f"{mb:.0f}" for mb in config["rss"])
        print(f"workers={config['workers']}: {best['documents'] / best['seconds']:.1f} docs/s, "
              f"{best['words'] / best['seconds']:,.0f} words/s (best of runs {times} s; cluster start-up "
              f"{config['startup']:.1f} s, pipeline warm-up {config['warmup']:.1f} s, not counted); "
              f"CPU per worker-core {best['words'] / best['cpu']:,.0f} words/s; peak RSS per worker MB: {rss}")
    run = configs[-1]["runs"][0]
    print(f"shards: {run['shard_bytes'] / run['documents'] / 1024:.1f} KiB per document (Parquet, zstd)")
    print(f"load into SQLite: {loading['documents']} documents, {loading['claims']} claims; add "
          f"{loading['documents'] / loading['add']:.0f} docs/s ({loading['add']:.1f} s), clustering "
          f"{loading['documents'] / loading['cluster']:.0f} docs/s ({loading['cluster']:.1f} s)")
    if len(configs) > 1:
        first, last = (min(config["runs"], key=lambda run: run["seconds"]) for config in (configs[0], configs[-1]))
        print(f"speedup {configs[-1]['workers']} vs {configs[0]['workers']} workers (best runs): "
              f"{first['seconds'] / last['seconds']:.2f}x")


if __name__ == "__main__":
    main()
