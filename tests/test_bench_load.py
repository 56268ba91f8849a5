"""bench/load.py runs end to end with tiny numbers: a small store, a few hundred requests, an ingest
alongside; it reports every field and no request fails. No timing is asserted (speed is bench/'s)."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "load.py"
# One real report is enough for the store's claims, documents and full text to be real ones.
SAMPLE = BENCH.parent.parent / "samples" / "reports" / "news_klishchiivka_2023-07-14.txt"
REQUESTS = 200
# A guard against a hang: spaCy loads twice (the sample report, then the running ingest).
GIVE_UP_S = 600


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_load", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def warm_home(sitrep_home) -> Path:
    """The gazetteer cache built once for the session (other tests reuse it), not by the bench's first
    ingest: building it is most of a cold run."""
    from sitrep.gazetteer import load_gazetteer
    from sitrep.settings import get_settings

    load_gazetteer(get_settings())
    return sitrep_home


def run_bench(tmp_path: Path) -> tuple[subprocess.CompletedProcess, dict]:
    out = tmp_path / "load.json"
    finished = subprocess.run([sys.executable, str(BENCH), "--events", "300", "--seconds", "2",
                               "--reference-seconds", "1", "--max-requests", str(REQUESTS), "--connections", "4",
                               "--reports", "3", "--samples", str(SAMPLE), "--json", str(out)],
                              capture_output=True, text=True, timeout=GIVE_UP_S)
    return finished, json.loads(out.read_text()) if out.exists() else {}


def test_load_bench_finishes_with_every_field_and_no_errors(bench, tmp_path, warm_home):
    finished, result = run_bench(tmp_path)
    assert finished.returncode == 0, finished.stderr[-2000:] + finished.stdout[-2000:]
    total = result["total"]
    assert 0 < total["requests"] <= REQUESTS
    assert total["responses"] == total["requests"]
    assert total["non_2xx"] == 0 and total["connection_errors"] == 0 and result["errors"] == 0
    # The seeded mix reaches every endpoint within a couple of hundred requests.
    assert set(result["endpoints"]) == set(bench.MIX)
    assert sum(row["requests"] for row in result["endpoints"].values()) == total["requests"]
    for row in [total, result["reference"], *result["endpoints"].values()]:
        assert row["rps"] > 0
        assert row["p50_ms"] <= row["p95_ms"] <= row["p99_ms"]
    assert result["reference"]["requests"] > 0 and result["reference"]["non_2xx"] == 0
    assert result["ratio_to_reference"] > 0
    assert result["server"]["peak_rss_mb"] > 0 and result["server"]["cpu_seconds"] >= 0
    assert result["ingest"]["documents"] >= 0 and all(code == 0 for code in result["ingest"]["exit_codes"])
    for words in ("req/s", "p95", "non-2xx", "conn err", "peak RSS", "ingest:", "reference"):
        assert words in finished.stdout


def test_response_reader_handles_lengths_chunks_and_close(bench):
    async def read(raw: bytes) -> tuple[tuple[int, bool], bytes]:
        reader = asyncio.StreamReader()
        reader.feed_data(raw)
        reader.feed_eof()
        answer = await bench.read_response(reader)
        return answer, await reader.read()

    sized = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello" + b"HTTP/1.1 404 Not Found\r\n"
    assert asyncio.run(read(sized)) == ((200, False), b"HTTP/1.1 404 Not Found\r\n")
    chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nnext"
    assert asyncio.run(read(chunked)) == ((200, False), b"next")
    closing = b"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
    assert asyncio.run(read(closing)) == ((503, True), b"")
