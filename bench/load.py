"""Load on `sitrep serve`: requests per second and latency of a map's reads over loopback, while
`sitrep ingest` writes to the same SQLite database (issue #8, part 4; target 1,000 requests/s for 60 s
with 0 errors).

    .venv/bin/python bench/load.py [--events 100000] [--seconds 60] [--reference-seconds 10]
        [--connections 16] [--workers 1] [--max-requests 1000000] [--reports 200] [--samples PATH]
        [--store PATH] [--json PATH]

1. Build a store: ``--events`` synthetic events (sitrep.synthetic), then ``sitrep ingest`` of
   ``--samples`` (samples/reports) for real documents, claims and full text. ``--store PATH`` keeps
   that store and copies it for each run, so every run's ingest starts from the same database.
2. Start ``sitrep serve --db X --host 127.0.0.1 --port P [--workers N]`` as a subprocess.
3. Start the ingest, a third process: ``sitrep ingest`` over batches of ``--reports`` generated reports
   (bench/batch.py's generator: real place names, invented events), batch after batch until the end;
   wait until it has stored its first document, so that the load meets a working writer.
4. The reference: ``/api/health`` alone for ``--reference-seconds``, the ingest running: the floor of
   the stack (uvicorn, FastAPI and the row counts health reads) on this machine at this moment.
5. The load: the seeded mix of reads below (MIX) for ``--seconds`` or ``--max-requests`` (each phase
   has that budget), whichever ends first, over ``--connections`` HTTP/1.1 keep-alive connections
   from this process (a small asyncio client: httpx costs more CPU per request than the server it
   would measure).

Prints, per endpoint and in total: requests/s, p50/p95/p99, non-2xx responses and connection errors
apart; the mix's rate as a ratio of the reference's; the server's peak RSS and CPU; the ingest's
progress. ``--json PATH`` writes the same. Exit 1 when any request failed, 2 when the set-up failed.
The server's CPU per request is the figure that the machine's other work disturbs least; the output
also names the server's HTTP parser (h11 or httptools).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import importlib.util
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent / "samples" / "reports"
HOST = "127.0.0.1"
TARGET_RPS = 1000
# A request still unanswered after this long counts as a connection error (a hang, not a slow page).
REQUEST_TIMEOUT_S = 30.0
# The server and the first ingested document each get this long to appear (spaCy loads first).
START_TIMEOUT_S = 180.0
# How often the ingest's progress (documents in the store) is sampled.
PROGRESS_EVERY_S = 1.0

# fill_events' defaults: Ukraine's extent and the days the synthetic events fall on.
BBOX = (22.0, 44.0, 40.5, 52.5)
SINCE = dt.date(2022, 2, 24)
DAYS = 700
OBLAST = (2.5, 2.0)  # degrees of longitude and latitude of a typical oblast's box
# Searches an analyst types: words of the synthetic claims and of the sample reports.
WORDS = ["shelled", "drone", "artillery", "repelled", "civilians", "air defence", "retook positions",
         "Robotyne", "Bakhmut", "Kherson", "General Staff", "evacuation"]
# The map's reads and their shares of the mix (weights).
MIX = {"events": 20, "events_compact": 15, "event": 25, "claims_q": 10, "places": 10, "control": 10, "health": 10}


@dataclass(frozen=True)
class Universe:
    """What the requests draw from: the store's event ids and the settlements with control evidence."""
    event_ids: list[str]
    settlements: list[str]


def read_universe(database: Path) -> Universe:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        event_ids = [row[0] for row in connection.execute("SELECT id FROM events ORDER BY id")]
        settlements = [row[0] for row in connection.execute(
            "SELECT DISTINCT place_name FROM control_signals ORDER BY place_name")]
    return Universe(event_ids, settlements)


def _box(rng: random.Random) -> str:
    west = rng.uniform(BBOX[0], BBOX[2] - OBLAST[0])
    south = rng.uniform(BBOX[1], BBOX[3] - OBLAST[1])
    return f"{west:.3f},{south:.3f},{west + OBLAST[0]:.3f},{south + OBLAST[1]:.3f}"


def _window(rng: random.Random) -> dict[str, str]:
    start = SINCE + dt.timedelta(days=rng.randrange(DAYS - 60))
    return {"since": start.isoformat(), "until": (start + dt.timedelta(days=rng.randint(7, 60))).isoformat()}


def _day(rng: random.Random) -> str:
    return (SINCE + dt.timedelta(days=rng.randrange(DAYS))).isoformat()


def make_request(rng: random.Random, universe: Universe) -> tuple[str, str]:
    """One read of the mix: (endpoint name, path with query)."""
    name = rng.choices(list(MIX), weights=list(MIX.values()))[0]
    if name == "events":
        query = {"bbox": _box(rng), **_window(rng), "limit": 100}
    elif name == "events_compact":
        # The whole front over a window, or one oblast's box: the map's two usual views.
        box = {"bbox": _box(rng)} if rng.random() < 0.5 else {}
        query = {"view": "compact", **_window(rng), "limit": 1000, **box}
    elif name == "event":
        return name, f"/api/events/{rng.choice(universe.event_ids)}"
    elif name == "claims_q":
        query = {"q": rng.choice(WORDS), "limit": 50}
    elif name == "places":
        query = {"bbox": _box(rng), "limit": 100}
    elif name == "control":
        place = {"place": rng.choice(universe.settlements)} if universe.settlements and rng.random() < 0.7 else {}
        query = {"on": _day(rng), **place}
    else:
        return name, "/api/health"
    return name, f"/api/{name.split('_')[0]}?{urlencode(query)}"


# The client: HTTP/1.1 keep-alive over asyncio streams.

@dataclass
class Tally:
    """One endpoint's answers: latency of every response, and the failures by kind."""
    latencies_ms: list[float] = field(default_factory=list)
    non_2xx: int = 0
    connection_errors: int = 0
    statuses: Counter = field(default_factory=Counter)
    causes: Counter = field(default_factory=Counter)

    @property
    def requests(self) -> int:
        return len(self.latencies_ms) + self.connection_errors


class ProtocolError(Exception):
    pass


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response, body included; returns its status and whether the server closes."""
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *lines = head[:-4].split(b"\r\n")
    parts = status_line.split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/1.") or not parts[1].isdigit():
        raise ProtocolError(f"bad status line {status_line[:60]!r}")
    headers = {}
    for line in lines:
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip().lower()
    if b"chunked" in headers.get(b"transfer-encoding", b""):
        await _read_chunks(reader)
    elif b"content-length" in headers:
        await reader.readexactly(int(headers[b"content-length"]))
    else:
        await reader.read()  # the body runs to the end of the connection
        return int(parts[1]), True
    return int(parts[1]), headers.get(b"connection") == b"close"


async def _read_chunks(reader: asyncio.StreamReader) -> None:
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        await reader.readexactly(size + 2)
        if size == 0:
            return


@dataclass
class Drive:
    """The shared state of one phase: where the requests come from, how many are left, the tallies."""
    port: int
    next_request: Callable[[], tuple[str, str]]
    deadline: float
    budget: int
    tallies: dict[str, Tally] = field(default_factory=dict)

    def take(self) -> tuple[str, str] | None:
        if self.budget <= 0 or time.perf_counter() >= self.deadline:
            return None
        self.budget -= 1
        return self.next_request()

    def tally(self, name: str) -> Tally:
        return self.tallies.setdefault(name, Tally())


async def connection(drive: Drive) -> None:
    """One keep-alive connection: request after request until the phase ends; reconnects after a failure."""
    reader = writer = None
    while (taken := drive.take()) is not None:
        name, path = taken
        tally = drive.tally(name)
        started = time.perf_counter()
        try:
            async with asyncio.timeout(REQUEST_TIMEOUT_S):
                if writer is None:
                    reader, writer = await asyncio.open_connection(HOST, drive.port)
                writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}:{drive.port}\r\nAccept: application/json\r\n\r\n"
                             .encode())
                status, closing = await read_response(reader)
        except (OSError, EOFError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ProtocolError,
                TimeoutError, ValueError) as error:
            tally.connection_errors += 1
            tally.causes[type(error).__name__] += 1
            writer = _close(writer)
            continue
        tally.latencies_ms.append((time.perf_counter() - started) * 1000)
        tally.statuses[status] += 1
        if not 200 <= status < 300:
            tally.non_2xx += 1
        if closing:
            writer = _close(writer)
    _close(writer)


def _close(writer: asyncio.StreamWriter | None) -> None:
    if writer is not None:
        writer.close()
    return None


def run_phase(port: int, next_request: Callable[[], tuple[str, str]], connections: int, seconds: float,
              budget: int) -> tuple[dict[str, Tally], float]:
    """Drive the server for ``seconds`` or ``budget`` requests; returns the tallies and the elapsed time."""
    drive = Drive(port, next_request, time.perf_counter() + seconds, budget)

    async def all_connections() -> None:
        await asyncio.gather(*(connection(drive) for _ in range(connections)))

    started = time.perf_counter()
    asyncio.run(all_connections())
    return drive.tallies, time.perf_counter() - started


# The processes: the server, the ingest, and the store they share.

def sitrep_command() -> list[str]:
    script = Path(sys.executable).with_name("sitrep")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from sitrep.cli import main; main()"]


def build_store(database: Path, events: int, seed: int, samples: Path) -> None:
    from sitrep.store import Store
    from sitrep.synthetic import fill_events

    started = time.perf_counter()
    with Store.open(f"sqlite:///{database}") as store:
        fill_events(store, events, seed=seed, bbox=BBOX, since=SINCE, days=DAYS)
    filled = time.perf_counter() - started
    ingest = subprocess.run([*sitrep_command(), "ingest", str(samples), "--db", str(database)],
                            capture_output=True, text=True)
    if ingest.returncode != 0:
        raise SetupError(f"ingesting {samples} failed: {ingest.stderr.strip().splitlines()[-1:]}")
    print(f"store: {events:,} synthetic events in {filled:.1f} s, then {samples} ingested "
          f"({time.perf_counter() - started - filled:.1f} s)")


def prepare_store(target: Path, kept: str | None, events: int, seed: int, samples: Path) -> None:
    """Build the store at ``target``, or copy the one kept at ``kept`` (building it there first)."""
    if kept is None:
        build_store(target, events, seed, samples)
        return
    source = Path(kept)
    if not source.exists():
        build_store(source, events, seed, samples)
    for suffix in ("", "-wal"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")


class SetupError(Exception):
    pass


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Server:
    """``sitrep serve`` in a subprocess; its log goes to a file, read back when it fails."""

    def __init__(self, database: Path, workers: int, log: Path):
        self.port = free_port()
        self.log = log
        command = [*sitrep_command(), "serve", "--db", str(database), "--host", HOST, "--port", str(self.port)]
        if workers > 1:
            command += ["--workers", str(workers)]
        with open(log, "wb") as sink:
            self.process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)

    def wait_ready(self) -> None:
        given_up = time.perf_counter() + START_TIMEOUT_S
        while time.perf_counter() < given_up:
            if self.process.poll() is not None:
                raise SetupError(f"sitrep serve exited with {self.process.returncode}: {self.log_tail()}")
            try:
                with urllib.request.urlopen(f"http://{HOST}:{self.port}/api/health", timeout=5) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise SetupError(f"sitrep serve did not answer within {START_TIMEOUT_S:.0f} s: {self.log_tail()}")

    def log_tail(self) -> str:
        return " | ".join(self.log.read_text(errors="replace").strip().splitlines()[-3:])

    def processes(self) -> list:
        """The server and its workers (uvicorn's --workers are its children)."""
        import psutil

        root = psutil.Process(self.process.pid)
        return [root, *root.children(recursive=True)]

    def cpu_seconds(self) -> float:
        return sum(sum(process.cpu_times()[:2]) for process in self.processes())

    def peak_rss_mb(self) -> float:
        """The sum of each server process's high-water mark of resident memory (VmHWM), in MB."""
        total_kib = 0
        for process in self.processes():
            for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total_kib += int(line.split()[1])
        return total_kib / 1024

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def http_parser() -> str:
    """The HTTP implementation the server runs: the one ``sitrep serve`` pins, else uvicorn's own
    choice (httptools when it is importable)."""
    try:
        from sitrep.commands.serve import SERVER_LIMITS
    except ImportError:
        SERVER_LIMITS = {}
    pinned = SERVER_LIMITS.get("http", "auto")
    if pinned != "auto":
        return pinned
    return "httptools" if importlib.util.find_spec("httptools") else "h11"


def _report_generator() -> Callable[[random.Random, int], str]:
    spec = importlib.util.spec_from_file_location("bench_batch", HERE / "batch.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make_report


class Ingest(threading.Thread):
    """``sitrep ingest`` over one batch of generated reports after another, until stopped."""

    def __init__(self, database: Path, scratch: Path, batch_size: int, seed: int):
        super().__init__(daemon=True)
        self.database, self.scratch, self.batch_size = database, scratch, batch_size
        self.rng, self.make_report = random.Random(seed), _report_generator()
        self.lock, self.stopping = threading.Lock(), False
        self.process: subprocess.Popen | None = None
        self.exits: list[int] = []  # exit codes of the batches that ran to their end

    def run(self) -> None:
        batch = 0
        while True:
            directory = self._write_batch(batch)
            with self.lock:  # no new batch starts once stop() has been called
                if self.stopping:
                    return
                self.process = subprocess.Popen([*sitrep_command(), "ingest", str(directory), "--db",
                                                 str(self.database)], stdout=subprocess.DEVNULL,
                                                stderr=subprocess.DEVNULL)
            code = self.process.wait()
            with self.lock:
                if self.stopping:
                    return
                self.exits.append(code)
            batch += 1

    def _write_batch(self, batch: int) -> Path:
        directory = self.scratch / f"batch-{batch:03d}"
        directory.mkdir(parents=True)
        for number in range(batch * self.batch_size, (batch + 1) * self.batch_size):
            (directory / f"report-{number:05d}.txt").write_text(self.make_report(self.rng, number), encoding="utf-8")
        return directory

    def stop(self) -> None:
        with self.lock:
            self.stopping = True
            if self.process is not None and self.process.poll() is None:
                self.process.terminate()
        self.join(timeout=30)


class Progress(threading.Thread):
    """Documents in the store, sampled every PROGRESS_EVERY_S: the ingest's progress."""

    def __init__(self, database: Path):
        super().__init__(daemon=True)
        self.database = database
        self.samples: list[tuple[float, int]] = []
        self.done = threading.Event()

    def run(self) -> None:
        connection = sqlite3.connect(f"file:{self.database}?mode=ro", uri=True, timeout=30)
        try:
            while not self.done.is_set():
                count = connection.execute("SELECT count(*) FROM documents").fetchone()[0]
                self.samples.append((time.perf_counter(), count))
                self.done.wait(PROGRESS_EVERY_S)
        finally:
            connection.close()

    def documents_at(self, moment: float) -> int:
        """Documents stored at the last sample before ``moment``."""
        before = [count for at, count in self.samples if at <= moment]
        return before[-1] if before else self.samples[0][1]


def wait_for_first_document(progress: Progress, ingest: Ingest) -> int:
    """Documents before the ingest's first new one: waits until the ingest has stored one."""
    given_up = time.perf_counter() + START_TIMEOUT_S
    while not progress.samples:
        time.sleep(0.05)
    first = progress.samples[0][1]
    while progress.samples[-1][1] == first:
        if time.perf_counter() > given_up or any(ingest.exits) or not ingest.is_alive():
            raise SetupError(f"the ingest stored nothing within {START_TIMEOUT_S:.0f} s (exit codes: {ingest.exits})")
        time.sleep(0.1)
    return first


# Figures and the report.

def percentiles(samples: list[float]) -> dict[str, float | None]:
    if len(samples) < 2:
        value = samples[0] if samples else None
        return {"p50": value, "p95": value, "p99": value}
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98]}


def summarise(tally: Tally, seconds: float) -> dict:
    return {"requests": tally.requests,
            "responses": len(tally.latencies_ms), "rps": len(tally.latencies_ms) / seconds,
            **{f"{name}_ms": value for name, value in percentiles(tally.latencies_ms).items()},
            "non_2xx": tally.non_2xx, "connection_errors": tally.connection_errors,
            "statuses": {str(status): count for status, count in sorted(tally.statuses.items())},
            "error_causes": dict(tally.causes)}


def total_of(tallies: dict[str, Tally]) -> Tally:
    total = Tally()
    for tally in tallies.values():
        total.latencies_ms += tally.latencies_ms
        total.non_2xx += tally.non_2xx
        total.connection_errors += tally.connection_errors
        total.statuses.update(tally.statuses)
        total.causes.update(tally.causes)
    return total


def print_table(result: dict) -> None:
    print(f"{'endpoint':16s} {'requests':>9s} {'req/s':>8s} {'p50 ms':>8s} {'p95 ms':>8s} {'p99 ms':>8s} "
          f"{'non-2xx':>8s} {'conn err':>8s}")
    rows = [*result["endpoints"].items(), ("total", result["total"]), ("reference", result["reference"])]
    for name, row in rows:
        times = " ".join(f"{row[key]:8.1f}" if row[key] is not None else f"{'-':>8s}"
                         for key in ("p50_ms", "p95_ms", "p99_ms"))
        print(f"{name:16s} {row['requests']:9d} {row['rps']:8.1f} {times} {row['non_2xx']:8d} "
              f"{row['connection_errors']:8d}")
    server, ingest = result["server"], result["ingest"]
    print(f"the mix at {result['ratio_to_reference']:.2f}x the rate of /api/health alone (the reference, "
          f"with the ingest running too)")
    print(f"server: {server['workers']} worker(s), HTTP parser {server['http']}, peak RSS {server['peak_rss_mb']:.0f} "
          f"MB, CPU {server['cpu_seconds']:.1f} s in {result['seconds']:.1f} s ({server['cores']:.2f} cores, "
          f"{server['cpu_ms_per_request']:.2f} ms per request); load generator {result['client_cores']:.2f} cores")
    print(f"ingest: {ingest['documents']} documents stored during the load ({ingest['documents_per_s']:.2f}/s), "
          f"{ingest['batches_finished']} batches finished, exit codes {ingest['exit_codes']}")
    print(f"load average {result['load_average']['before']:.2f} before, {result['load_average']['after']:.2f} after "
          f"({os.cpu_count()} cores)")
    met = result["total"]["rps"] >= TARGET_RPS and result["errors"] == 0
    print(f"target {TARGET_RPS} req/s with 0 errors: {'met' if met else 'MISSED'} "
          f"({result['total']['rps']:.0f} req/s, {result['errors']} errors)")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000, help="Synthetic events in the store.")
    parser.add_argument("--seconds", type=float, default=60.0, help="Length of the load.")
    parser.add_argument("--reference-seconds", type=float, default=10.0, help="Length of the /api/health reference.")
    parser.add_argument("--max-requests", type=int, default=1_000_000, help="At most this many requests in the load.")
    parser.add_argument("--connections", type=int, default=16, help="Concurrent keep-alive connections.")
    parser.add_argument("--workers", type=int, default=1, help="sitrep serve --workers.")
    parser.add_argument("--reports", type=int, default=200, help="Generated reports per ingest batch.")
    parser.add_argument("--samples", default=str(SAMPLES), help="Real reports ingested into the store first.")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--store", help="Keep the built store here and copy it for each run.")
    parser.add_argument("--json", help="Write the result here.")
    return parser.parse_args(argv)


def measure(args: argparse.Namespace, root: Path) -> dict:
    """Steps 1-5 of the module's docstring; returns the result (see print_table)."""
    database = root / "load.db"
    prepare_store(database, args.store, args.events, args.seed, Path(args.samples))
    universe, rng = read_universe(database), random.Random(args.seed)
    server = Server(database, args.workers, root / "serve.log")
    ingest, progress = Ingest(database, root / "reports", args.reports, args.seed + 1), Progress(database)
    try:
        launched = time.perf_counter()
        progress.start()
        ingest.start()  # its spaCy loads while the server starts
        server.wait_ready()
        ready = time.perf_counter()
        wait_for_first_document(progress, ingest)
        print(f"server answering after {ready - launched:.1f} s; the ingest's first document after "
              f"{time.perf_counter() - launched:.1f} s")
        reference, reference_s = run_phase(server.port, lambda: ("health", "/api/health"), args.connections,
                                           args.reference_seconds, args.max_requests)
        cpu_before, client_before, started = server.cpu_seconds(), time.process_time(), time.perf_counter()
        tallies, seconds = run_phase(server.port, lambda: make_request(rng, universe), args.connections,
                                     args.seconds, args.max_requests)
        ended = time.perf_counter()
        cpu = server.cpu_seconds() - cpu_before
        peak_rss = server.peak_rss_mb()
        client_cores = (time.process_time() - client_before) / seconds
    finally:
        ingest.stop()
        server.stop()
        progress.done.set()
        progress.join()
    stored = progress.documents_at(ended) - progress.documents_at(started)
    return {"endpoints": {name: summarise(tallies[name], seconds) for name in MIX if name in tallies},
            "total": summarise(total_of(tallies), seconds), "reference": summarise(reference["health"], reference_s),
            "seconds": seconds, "server": {"workers": args.workers, "http": http_parser(), "peak_rss_mb": peak_rss,
                                           "cpu_seconds": cpu, "cores": cpu / seconds,
                                           "cpu_ms_per_request": cpu * 1000 / max(1, total_of(tallies).requests)},
            "client_cores": client_cores,
            "ingest": {"documents": stored, "documents_per_s": stored / (ended - started),
                       "batches_finished": len(ingest.exits), "exit_codes": sorted(set(ingest.exits)),
                       # (seconds into the load, documents in the store)
                       "progress": [(round(at - started, 1), count) for at, count in progress.samples
                                    if started <= at <= ended]}}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="sitrep-bench-load-") as scratch:
        try:
            result = measure(args, Path(scratch))
        except SetupError as error:
            print(f"bench: {error}", file=sys.stderr)
            return 2
    total, reference = result["total"], result["reference"]
    result["ratio_to_reference"] = total["rps"] / reference["rps"] if reference["rps"] else 0.0
    result["errors"] = total["non_2xx"] + total["connection_errors"]
    result["load_average"] = {"before": before, "after": os.getloadavg()[0]}
    result["config"] = {key: value for key, value in vars(args).items() if key != "json"}
    result["target"] = {"rps": TARGET_RPS, "met": total["rps"] >= TARGET_RPS and result["errors"] == 0}
    print_table(result)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
