"""Helpers of the SIGKILL tests (tests/test_crash.py): start a command in its own process group,
watch its progress in the store or the shard folder, and kill the whole group at a chosen point.

A kill point is drawn by a seeded generator, using a profile of one undisturbed run: a random
time after launch (imports, spaCy, or whatever a rerun does first), a random time after a new
database appears (migrations), or a random time after the run has made a random amount of
progress (documents stored and then clustered, shards written). Most kills wait for progress
rather than for the clock alone, so they land in the work whatever the machine's speed.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from sitrep.store.migrations import LATEST_VERSION

# How often progress is read while waiting for a kill point: well under the time a file's burst of
# documents takes to store (tens of ms), and one read (~1 ms of CPU) every 20 ms costs the run
# under test little.
POLL_S = 0.02

# A run not finished by then is stuck (a lock never released, a hung worker): an undisturbed run
# of the test's input takes well under a minute even on a loaded 2-core machine.
RUN_TIMEOUT_S = 300

# After SIGKILL, how long the kernel may take to tear the group down before a live member counts
# as an orphan.
GROUP_EXIT_TIMEOUT_S = 10

# Relative weights of the kill phases: "opening" (only while the database is new: between its
# appearing and its last migration, as long as the reference run took), "launch" (a random time
# after launch, up to the reference run's first progress) and "working" (a random moment of the
# work that is left). Opening kills can only start a round (after one the database exists), so
# they weigh more: about half of the rounds start with one.
PHASE_WEIGHTS = {"opening": 5, "launch": 1, "working": 4}

# A working kill lands in the next this-much (a share of the reference run's work, from its first
# progress to its last) of what is left, so each kill lets the run get on by about a tenth of its
# work (and a step) and a round walks the whole run in several kills: the more kills per round,
# the fewer rounds, each of which costs a run to the end.
WORK_WINDOW = 0.2


class Watch(Protocol):
    """Progress of a run as the test can see it from outside the process."""

    def units(self) -> int:
        """Work units done so far (documents stored plus documents clustered, shards written)."""

    def opened(self) -> bool:
        """Whether the run has started creating its database (always True where there is none)."""

    def migrated(self) -> bool:
        """Whether the database has all of its migrations (always True where there is none)."""


@dataclass(frozen=True)
class Profile:
    """How one undisturbed run went: when (seconds after launch) each count of units was first
    seen, and when it exited."""

    timeline: tuple[tuple[float, int], ...]
    total_s: float
    opening_s: float = 0.0  # from the database appearing to its last migration

    @property
    def startup_s(self) -> float:
        """Launch to the first unit: imports, opening the store, loading spaCy."""
        return self.timeline[0][0]

    @property
    def work_s(self) -> float:
        """From the first unit to the last."""
        return self.timeline[-1][0] - self.timeline[0][0]


@dataclass(frozen=True)
class KillPoint:
    """Kill ``delay_s`` after launch ("launch"), after the database appears ("opening"), or after
    ``units`` units are done ("working")."""

    phase: str
    units: int | None
    delay_s: float

    def describe(self) -> str:
        after = {"launch": "launch", "opening": "the database appeared"}.get(self.phase, f"{self.units} units")
        return f"{self.phase} kill, {self.delay_s:.2f} s after {after}"


@dataclass(frozen=True)
class Kill:
    """A kill that happened: where it was aimed, and the units done when it struck."""

    point: KillPoint
    units_at_kill: int
    seconds: float  # after launch


@dataclass
class Tally:
    """Kills of one scenario, for the assertions and the printed summary."""

    kills: list[Kill] = field(default_factory=list)
    completions: list[float] = field(default_factory=list)  # seconds each run to the end took
    temporaries_left: int = 0  # kills after which a half-written file was found

    def by_phase(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for kill in self.kills:
            counts[kill.point.phase] = counts.get(kill.point.phase, 0) + 1
        return counts


def command_line(*arguments: str) -> list[str]:
    """``sitrep ARGUMENTS`` with the interpreter running the tests."""
    script = Path(sys.executable).with_name("sitrep")
    if script.exists():
        return [str(script), *arguments]
    return [sys.executable, "-c", "from sitrep.cli import main; main()", *arguments]


def start(command: list[str], environment: dict[str, str], log: Path) -> subprocess.Popen:
    """Start ``command`` as the leader of a new session (so of a new process group: Dask's workers
    join it), its output going to ``log`` (a pipe nobody reads could block it)."""
    with open(log, "ab") as output:
        return subprocess.Popen(command, env=environment, stdout=output, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL every process of the group that ``process`` leads, reap it, and fail if any member
    outlives it (an orphaned Dask worker would go on writing shards)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()
    assert_group_gone(process.pid)


def assert_group_gone(group: int) -> None:
    """Fail if a process of ``group`` is still running once the kernel has had time to end it."""
    deadline = time.monotonic() + GROUP_EXIT_TIMEOUT_S
    while (alive := live_members(group)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive, f"processes {alive} of killed group {group} are still running"


def live_members(group: int) -> list[int]:
    """Processes of ``group`` that are not zombies. Orphans are re-parented to PID 1, which in a
    container may never reap them, so a dead orphan can linger as a zombie: that is not a leak."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # it exited while we looked
        # "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after it.
        state, _ppid, pgrp = stat.rsplit(")", 1)[1].split()[:3]
        if int(pgrp) == group and state not in ("Z", "X"):
            members.append(int(entry.name))
    return members


def measure(command: list[str], environment: dict[str, str], log: Path, watch: Watch) -> Profile:
    """Run ``command`` once undisturbed, watching its progress; fail if it fails."""
    started = time.monotonic()
    process = start(command, environment, log)
    timeline: list[tuple[float, int]] = []
    opened_at = migrated_at = None
    while process.poll() is None:
        now = time.monotonic() - started
        if opened_at is None and watch.opened():
            opened_at = now
        if opened_at is not None and migrated_at is None and watch.migrated():
            migrated_at = now
        units = watch.units()
        if units > (timeline[-1][1] if timeline else 0):
            timeline.append((now, units))
        _check_timeout(process, started, log)
        time.sleep(POLL_S)
    total = time.monotonic() - started
    assert process.returncode == 0, f"{command} exited {process.returncode}: {log.read_text()[-2000:]}"
    assert_group_gone(process.pid)
    assert timeline, f"{command} made no progress that the test could see"
    opening = (migrated_at if migrated_at is not None else total) - (opened_at if opened_at is not None else 0.0)
    return Profile(tuple(timeline), total, opening)


def choose(rng: random.Random, profile: Profile, done: int, new_database: bool) -> KillPoint | None:
    """A kill point drawn from ``rng``: its phase by ``PHASE_WEIGHTS``, then where in that phase.
    None when the run has only its last step left (after it the run only exits)."""
    ahead = [(seconds, count) for seconds, count in profile.timeline if count > done]
    if len(ahead) < 2:
        return None
    weights = {phase: weight for phase, weight in PHASE_WEIGHTS.items() if phase != "opening" or new_database}
    phase = rng.choices(list(weights), weights=list(weights.values()))[0]
    if phase == "opening":
        return KillPoint(phase, None, rng.uniform(0, max(profile.opening_s, POLL_S)))
    if phase == "launch":
        return KillPoint(phase, None, rng.uniform(0, profile.startup_s))
    # A moment of the reference run's work still ahead, drawn from the next WORK_WINDOW of it, and
    # found again in this run as "so long after the last progress seen before that moment".
    first, last = ahead[0][0], ahead[-1][0]
    moment = rng.uniform(first, min(last, first + WORK_WINDOW * profile.work_s))
    anchor_s, anchor_units = max(point for point in ahead if point[0] <= moment)
    return KillPoint(phase, anchor_units, moment - anchor_s)


def attempt(command: list[str], environment: dict[str, str], log: Path, watch: Watch,
            point: KillPoint | None) -> Kill | float:
    """Run ``command`` and kill its group at ``point``; when it finishes first (it must then have
    succeeded), the seconds it took. With no point, run it to the end."""
    started = time.monotonic()
    process = start(command, environment, log)
    armed_at = None if point is None else _armed_at(point, started)
    try:
        while process.poll() is None:
            now = time.monotonic()
            if armed_at is None and point is not None and _reached(point, watch):
                armed_at = now + point.delay_s
            if armed_at is not None and now >= armed_at:
                kill_group(process)
                return Kill(point, watch.units(), now - started)
            _check_timeout(process, started, log)
            time.sleep(POLL_S)
    finally:
        if process.poll() is None:  # the test itself failed: leave nothing running
            kill_group(process)
    assert process.returncode == 0, f"{command} exited {process.returncode}: {log.read_text()[-2000:]}"
    assert_group_gone(process.pid)
    return time.monotonic() - started


def _armed_at(point: KillPoint, started: float) -> float | None:
    """When a kill measured from launch fires; None for kills that wait for the run's progress."""
    return started + point.delay_s if point.phase == "launch" else None


def _reached(point: KillPoint, watch: Watch) -> bool:
    if point.phase == "opening":
        return watch.opened()
    return point.units is not None and watch.units() >= point.units


def _check_timeout(process: subprocess.Popen, started: float, log: Path) -> None:
    if time.monotonic() - started > RUN_TIMEOUT_S:
        kill_group(process)
        raise AssertionError(f"{process.args} ran past {RUN_TIMEOUT_S} s (stuck?): {log.read_text()[-2000:]}")


def drive(command: list[str], environment: dict[str, str], log: Path, watch: Watch, rng: random.Random,
          profile: Profile, max_kills: int, tally: Tally,
          after_kill: Callable[[], None] | None = None) -> None:
    """Kill ``command`` at random points until it finishes before its kill point, ``max_kills``
    kills are done or nothing is left to do, then run it to the end. ``after_kill`` inspects what
    each kill left behind."""
    kills = 0
    while True:
        point = choose(rng, profile, watch.units(), not watch.opened()) if kills < max_kills else None
        outcome = attempt(command, environment, log, watch, point)
        if not isinstance(outcome, Kill):
            tally.completions.append(outcome)
            return
        kills += 1
        tally.kills.append(outcome)
        if after_kill:
            after_kill()


# Watches


# Documents stored, plus documents clustered: clustering is half of the work a run does after spaCy
# has loaded, and it commits every 50 documents.
_PROGRESS = "SELECT (SELECT count(*) FROM documents) + (SELECT count(*) FROM clustered_documents)"
_MIGRATED = f"SELECT max(version) >= {LATEST_VERSION:d} FROM schema_version"


class SqliteWatch:
    """Progress in a SQLite file, read through a connection opened for each look: a connection
    held open would keep the database from being recovered by the next opener, as it is after a
    real crash."""

    def __init__(self, path: Path):
        self.path = path

    def units(self) -> int:
        return self._count(_PROGRESS)

    def opened(self) -> bool:
        return self.path.exists()

    def migrated(self) -> bool:
        return bool(self._count(_MIGRATED))

    def _count(self, query: str) -> int:
        if not self.path.exists():  # connecting would create it
            return 0
        try:
            connection = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=1)
        except sqlite3.Error:
            return 0
        try:
            return connection.execute(query).fetchone()[0] or 0
        except sqlite3.Error:  # not created yet, or locked for a moment
            return 0
        finally:
            connection.close()


class PostgresWatch:
    """Progress in a PostgreSQL database, through one autocommit connection."""

    def __init__(self, conninfo: str):
        import psycopg

        self.connection = psycopg.connect(conninfo, autocommit=True)

    def close(self) -> None:
        self.connection.close()

    def units(self) -> int:
        return self._count(_PROGRESS) if self._has("clustered_documents") else 0

    def opened(self) -> bool:
        return self._has("schema_version")

    def migrated(self) -> bool:
        return self._has("schema_version") and bool(self._count(_MIGRATED))

    def _has(self, table: str) -> bool:
        return self.connection.execute("SELECT to_regclass(%s) IS NOT NULL", (table,)).fetchone()[0]

    def _count(self, query: str) -> int:
        return self.connection.execute(query).fetchone()[0] or 0


class ShardWatch:
    """Data shards finished in a batch output folder; there is no database to open."""

    def __init__(self, directory: Path):
        self.directory = directory

    def units(self) -> int:
        if not self.directory.is_dir():
            return 0
        return sum(1 for path in self.directory.glob("part-*.parquet") if not path.name.endswith(".errors.parquet"))

    def opened(self) -> bool:
        return True

    def migrated(self) -> bool:
        return True


def temporaries(directory: Path) -> list[Path]:
    """Hidden half-written files that a batch run leaves when it is killed while writing."""
    return sorted(path for path in directory.glob(".*") if path.name.endswith(".tmp"))
