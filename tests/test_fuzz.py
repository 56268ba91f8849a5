"""The atheris harness (fuzz/fuzz_readers.py) runs for a bounded time and finds no crash.

SITREP_FUZZ_SECONDS sets the fuzzing time (default 30 s; start-up comes on top); `make fuzz` runs
longer and keeps its corpus between runs.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ROOT

pytest.importorskip("atheris")

HARNESS = ROOT / "fuzz" / "fuzz_readers.py"
DICTIONARY = ROOT / "fuzz" / "readers.dict"
FUZZ_SECONDS = int(os.environ.get("SITREP_FUZZ_SECONDS", "30"))
# A fixed seed makes the run's first mutations the same each time; SITREP_FUZZ_SEED=0 lets libFuzzer pick one.
FUZZ_SEED = int(os.environ.get("SITREP_FUZZ_SEED", "1"))
# libFuzzer reads its RSS from getrusage's high-water mark, which Linux carries over from the pytest
# process that started the harness (2.2 GB late in the suite, with spaCy and the servers loaded):
# its default 2,048 MB limit then reports an "out-of-memory" before the first input. A runaway
# reader still passes this limit quickly.
RSS_LIMIT_MB = 8192
# One input taking longer than this is a hang, reported as a crash (a hostile file must not stall
# an ingest). The slowest seed, a sample HTML page, takes under a second of CPU, but this runs beside
# the rest of the suite on two cores, where one such page took 11 s of wall time.
PER_INPUT_TIMEOUT_S = 120
# What libFuzzer writes for a failure; it also writes "slow-unit-*" files, which are no failure.
FAILURE_PREFIXES = ("crash-", "timeout-", "oom-", "leak-")
# Start-up (instrumenting trafilatura, feedparser and the readers) and the final report, on top of
# the fuzzing time: the subprocess is killed past this, so the test itself cannot hang.
GRACE_S = 180


def _harness(*arguments: str, cwd) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(HARNESS), *arguments], cwd=cwd, capture_output=True, text=True,
                          timeout=FUZZ_SECONDS + GRACE_S)


def test_the_seed_corpus_comes_from_the_projects_own_samples(tmp_path):
    result = _harness("--make-corpus", str(tmp_path / "corpus"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    seeds = sorted(path.name for path in (tmp_path / "corpus").iterdir())
    # Each sample twice: for its own reader and for format detection.
    assert "documents.jsonl.4" not in seeds and "documents.4" in seeds and "documents.5" in seeds
    assert len(seeds) >= 2 * 15


def test_readers_survive_a_bounded_fuzz_run(tmp_path):
    corpus, artifacts = tmp_path / "corpus", tmp_path / "crashes"
    artifacts.mkdir()
    _harness("--make-corpus", str(corpus), cwd=tmp_path)
    result = _harness(str(corpus), f"-max_total_time={FUZZ_SECONDS}", f"-seed={FUZZ_SEED}", f"-rss_limit_mb={RSS_LIMIT_MB}",
                      f"-timeout={PER_INPUT_TIMEOUT_S}",
                      f"-dict={DICTIONARY}", f"-artifact_prefix={artifacts}/", "-print_final_stats=1", cwd=tmp_path)
    crashes = sorted(path.name for path in artifacts.iterdir() if path.name.startswith(FAILURE_PREFIXES))
    assert result.returncode == 0 and not crashes, f"crash inputs {crashes}:\n{result.stderr[-4000:]}"
    assert "Done " in result.stderr, result.stderr[-2000:]
