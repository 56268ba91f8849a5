"""Concurrent writers: several processes ingest and cluster into one database at once.

Four ``sitrep ingest`` processes take overlapping halves of twelve short reports (each report is
ingested by two of them) into one new database, with clustering on, on each backend. Afterwards
every report is stored once, every document was clustered once, every claim that reports an
event sits in exactly one event whose counts agree with its members, and the integrity check is
clean. The reports are written for this test; the places are real.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sitrep import corroborate
from sitrep.ingest.base import document_id
from sitrep.models import Actor, Claim, Document, Event, EventDate, Extraction, Place, Source
from sitrep.store import Store
from sitrep.store.schema import claims, clustered_documents, event_claims, events

PROCESSES = 4
FILES_PER_PROCESS = 6
# A worker that has not finished by then is stuck (a deadlock or a lock never released): one
# ingest of six small reports takes a few seconds, four at once on two cores well under a minute.
PROCESS_TIMEOUT_S = 180

# (day, place, region, what happened, who said it). Pairs of reports tell the same event in other
# words, so that clustering in one process joins claims that another process stored.
REPORTS = (
    ("14 July 2023", "Kherson", "Kherson", "Russian artillery shelled a residential district of {place}, "
     "wounding three civilians", "the regional military administration"),
    ("14 July 2023", "Kherson", "Kherson", "Russian troops fired on {place} from the left bank of the Dnipro, "
     "damaging a school and wounding three people", "Governor Oleksandr Prokudin"),
    ("20 July 2023", "Odesa", "Odesa", "Russian missiles struck the port of {place} overnight, destroying grain "
     "warehouses", "the Ukrainian Air Force"),
    ("20 July 2023", "Odesa", "Odesa", "a Russian missile attack hit port infrastructure in {place} during the "
     "night", "the Southern Defence Forces"),
    ("2 August 2023", "Zaporizhzhia", "Zaporizhzhia", "Russian drones attacked {place}, setting a warehouse on "
     "fire", "the regional governor"),
    ("2 August 2023", "Zaporizhzhia", "Zaporizhzhia", "a Russian drone strike on {place} caused a large fire "
     "at an industrial site", "the city council"),
    ("10 August 2023", "Kupiansk", "Kharkiv", "Russian forces shelled {place} and nearby villages, killing "
     "one man", "the Kharkiv regional governor"),
    ("10 August 2023", "Kupiansk", "Kharkiv", "Russian shelling of {place} killed a 60-year-old man",
     "the local police"),
    ("28 July 2023", "Staromaiorske", "Donetsk", "Ukrainian troops captured the village of {place}",
     "the General Staff of the Armed Forces of Ukraine"),
    ("28 July 2023", "Staromaiorske", "Donetsk", "Ukrainian marines took control of {place} after days of "
     "fighting", "a brigade spokesman"),
    ("22 June 2023", "Marinka", "Donetsk", "Russian aircraft dropped guided bombs on {place}",
     "the Ukrainian military"),
    ("22 June 2023", "Avdiivka", "Donetsk", "Russian artillery shelled {place}, wounding two civilians",
     "the head of the city military administration"),
)


def _report_text(index: int) -> str:
    day, place, region, happened, speaker = REPORTS[index]
    return (f"{day}. {happened.format(place=place)[0].upper()}{happened.format(place=place)[1:]}, "
            f"{speaker} said on {day}. Emergency crews worked at the scene in the {region} region. "
            f"Report number {index + 1} of the afternoon bulletin.\n")


@pytest.fixture(scope="module")
def report_files(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("concurrent-reports")
    paths = []
    for index in range(len(REPORTS)):
        path = folder / f"report_{index + 1:02d}.txt"
        path.write_text(_report_text(index), encoding="utf-8")
        paths.append(path)
    return paths


def _shares(paths: list[Path]) -> list[list[Path]]:
    """Process i takes six consecutive reports from 3*i, wrapping: each report goes to two processes."""
    step = len(paths) // PROCESSES
    return [[paths[(step * i + k) % len(paths)] for k in range(FILES_PER_PROCESS)] for i in range(PROCESSES)]


def _run_together(share_lists: list[list[Path]], url: str, home: Path) -> list[subprocess.CompletedProcess]:
    """Start every ``sitrep ingest`` before waiting for any; kill them all if one hangs."""
    environment = {**os.environ, "SITREP_HOME": str(home)}
    environment.pop("SITREP_DB", None)
    command = [_sitrep_script()] if _sitrep_script() else [sys.executable, "-c", "from sitrep.cli import main; main()"]
    started = [subprocess.Popen([*command, "ingest", *map(str, share), "--db", url], env=environment,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for share in share_lists]
    finished = []
    try:
        for process in started:
            stdout, stderr = process.communicate(timeout=PROCESS_TIMEOUT_S)
            finished.append(subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr))
    finally:
        for process in started:
            if process.poll() is None:
                process.kill()
                process.wait()
    return finished


def _sitrep_script() -> str | None:
    candidate = Path(sys.executable).with_name("sitrep")
    return str(candidate) if candidate.exists() else None


@pytest.fixture(scope="module")
def warm_home(sitrep_home) -> Path:
    """Build the gazetteer cache once, so that four processes do not all build it at once."""
    from sitrep.gazetteer import load_gazetteer
    from sitrep.settings import get_settings

    load_gazetteer(get_settings())
    return sitrep_home


def test_four_processes_ingest_overlapping_files_into_one_database(db_url, report_files, warm_home):
    # The database is new and empty: the four processes also race to migrate it.
    results = _run_together(_shares(report_files), db_url, warm_home)
    for result in results:
        assert result.returncode == 0, f"{result.args[-3:]} exited {result.returncode}: {result.stderr[-2000:]}"
    with Store.open(db_url) as store:
        stored = list(store.documents())
        assert sorted(document.source for document in stored) == sorted(str(path) for path in report_files)
        assert store.counts()["errors"] == 0
        assert_clustered_once(store, len(report_files))
        assert store.integrity_check() == []


def assert_clustered_once(store: Store, document_count: int) -> None:
    """Every document clustered once; every claim that reports an event in exactly one event; each
    event's stored claim count equal to its members (no update lost to a concurrent writer)."""
    rules = corroborate.rules()
    with store.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(clustered_documents)).scalar_one() == document_count
        eligible = set()
        for claim_id, record in connection.execute(select(claims.c.id, claims.c.record)):
            event = Claim.model_validate_json(record).event
            if event and event.event_type and event.status in rules.clustered_statuses:
                eligible.add(claim_id)
        members = Counter(connection.execute(select(event_claims.c.claim_id)).scalars())
        assert set(members) == eligible
        assert max(members.values(), default=1) == 1
        per_event = Counter(connection.execute(select(event_claims.c.event_id)).scalars())
        stored_counts = dict(connection.execute(select(events.c.id, events.c.claim_count)).all())
        assert stored_counts == dict(per_event)
    assert eligible, "the reports gave no claim to cluster: the test would prove nothing"


# Without spaCy: the same races, in threads of one process, on hand-made records.


def _record(index: int) -> Extraction:
    """A one-claim record; records 2k and 2k+1 report one battle at one village on one day."""
    villages = [("Robotyne", 695586, 47.4419, 35.8394), ("Verbove", 689965, 47.4483, 35.9467),
                ("Klishchiivka", 705242, 48.5353, 37.9619), ("Andriivka", 712843, 48.5000, 37.9700)]
    name, geonameid, lat, lon = villages[(index // 2) % len(villages)]
    day = dt.date(2023, 8, 1) + dt.timedelta(days=index // 2)
    sentence = f"Fighting went on near {name} on {day:%d %B}, source number {index} said."
    text = f"{sentence} Nothing else was reported that day."
    doc_id = document_id(text)
    at = text.index(name)
    place = Place(mention=name, start=at, end=at + len(name), geonameid=geonameid, name=name, feature="PPL",
                  admin1="Zaporizhzhia", country="UA", lat=lat, lon=lon, precision=1)
    event = Event(event_type="Battles", sub_event_type="Armed clash", status="asserted", place=0,
                  date=EventDate(start=day, end=day, precision="day"), actor1=Actor(name="UA", side="UA"))
    claim = Claim(id=f"{doc_id}:0-{len(sentence)}", start=0, end=len(sentence), text=sentence, confidence=0.7,
                  source=Source(name=f"Speaker Number{index}", kind="military", side="UA"), event=event)
    document = Document(id=doc_id, source=f"thread-test#{index}", text=text, published=day,
                        outlet=f"Outlet {index}")
    return Extraction(document=document, places=[place], claims=[claim])


def test_threads_adding_the_same_records_store_each_once(store):
    records = [_record(index) for index in range(8)]

    def add_all(offset: int) -> int:
        return sum(store.add(records[(offset + k) % len(records)]) for k in range(len(records)))

    with ThreadPoolExecutor(max_workers=PROCESSES) as pool:
        added = list(pool.map(add_all, range(PROCESSES)))
    assert sum(added) == len(records)
    assert store.counts()["documents"] == len(records)


def test_threads_clustering_at_once_cluster_each_document_once(store):
    for index in range(8):
        store.add(_record(index))
    with ThreadPoolExecutor(max_workers=PROCESSES) as pool:
        reports = list(pool.map(lambda _: corroborate.update(store), range(PROCESSES)))
    assert sum(report.documents for report in reports) == 8
    assert_clustered_once(store, 8)
    # Pairs of records report one battle: four events of two claims each.
    assert sorted(view.claim_count for view in store.events()) == [2, 2, 2, 2]
