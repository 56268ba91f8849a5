"""The store: add, read back, filter, migrate, check, and fail in one line.

Tests that take ``store`` or ``db_url`` (fixtures in conftest.py) run on both backends, a SQLite
file and a database on the test PostgreSQL server: ``test_x[sqlite]``, ``test_x[postgresql]``.
The reports below are short pieces written for these tests, not quotations of real articles.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, insert, inspect, select, text

import sitrep.store as store_module
from sitrep.errors import NotFound, StoreError
from sitrep.models import (
    Actor,
    Caption,
    Claim,
    Document,
    Event,
    EventDate,
    Extraction,
    ItemError,
    Place,
    Removed,
    Source,
)
from sitrep.store import Store, StoredClaim, queries
from sitrep.store import migrations
from sitrep.store.migrations import LATEST_VERSION, Migration, migrate
from sitrep.store.schema import documents, schema_version

# Fixtures: three short reports with their places and claims, offsets computed from the text.

KHARKIV_SENTENCES = (
    "Russian forces hit Kharkiv overnight with guided aerial bombs, the regional governor said.",
    "Two people were hurt in the Kyivskyi district.",
    "The General Staff said a drone attack near Kupiansk was repelled.",
)
KHARKIV_TEXT = " ".join(KHARKIV_SENTENCES)
ROBOTYNE_SENTENCES = (
    "The Russian defence ministry claimed its troops had taken positions west of Robotyne last week.",
    "A Ukrainian brigade spokesman denied this and said the village remained contested.",
)
ROBOTYNE_TEXT = " ".join(ROBOTYNE_SENTENCES)
KHERSON_TEXT = "Окупанти знову обстріляли Херсон з лівого берега. Пошкоджено житловий будинок."


def _document_id(text_: str) -> str:
    return hashlib.sha256(text_.encode()).hexdigest()[:16]


def _span(text_: str, phrase: str) -> tuple[int, int]:
    start = text_.index(phrase)
    return start, start + len(phrase)


def _place(text_: str, mention: str, **fields: object) -> Place:
    start, end = _span(text_, mention)
    return Place(mention=mention, start=start, end=end, **fields)


def _claim(doc_id: str, text_: str, sentence: str, source: Source, **fields: object) -> Claim:
    start, end = _span(text_, sentence)
    return Claim(id=f"{doc_id}:{start}-{end}", start=start, end=end, text=sentence, source=source, **fields)


def kharkiv_record() -> Extraction:
    doc_id = _document_id(KHARKIV_TEXT)
    first, second, third = KHARKIV_SENTENCES
    governor = Source(name="Kharkiv regional governor", kind="official", side="UA", role="governor")
    staff = Source(name="General Staff of the Armed Forces of Ukraine", kind="military", side="UA")
    return Extraction(
        pipeline="sitrep/0.1.0",
        document=Document(
            id=doc_id,
            source="reports/kharkiv.html",
            url="https://example.org/kharkiv-strike",
            outlet="Frontline Notes",
            channel="web",
            title="Guided bombs hit Kharkiv",
            author="O. Petrenko",
            published=dt.date(2024, 3, 10),
            language="en",
            text=KHARKIV_TEXT,
            captions=[Caption(start=0, end=10, text="Russian fo", credit="Photo: press service")],
            removed=[Removed(text="Subscribe to our newsletter", reason="newsletter")],
        ),
        places=[
            _place(KHARKIV_TEXT, "Kharkiv", geonameid=706483, name="Kharkiv", feature="PPLA",
                   admin1="Kharkivska", country="UA", lat=49.98081, lon=36.25272, precision=1),
            _place(KHARKIV_TEXT, "Kyivskyi district", name="Kharkiv", feature="PPLA", country="UA",
                   lat=49.98081, lon=36.25272, precision=2),
            _place(KHARKIV_TEXT, "Kupiansk", geonameid=704422, name="Kupiansk", feature="PPL",
                   admin1="Kharkivska", country="UA", lat=49.71055, lon=37.61517, precision=2),
        ],
        claims=[
            _claim(doc_id, KHARKIV_TEXT, first, governor, confidence=0.9,
                   event=Event(event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
                               actor1=Actor(name="Military Forces of Russia", side="RU"), place=0,
                               date=EventDate(start=dt.date(2024, 3, 9), end=dt.date(2024, 3, 10),
                                              precision="day"))),
            _claim(doc_id, KHARKIV_TEXT, second, governor, confidence=0.8,
                   event=Event(event_type="Explosions/Remote violence", place=0, fatalities=0)),
            _claim(doc_id, KHARKIV_TEXT, third, staff, confidence=0.7, quote=None,
                   event=Event(event_type="Battles", status="failed", place=2)),
        ],
    )


def robotyne_record() -> Extraction:
    doc_id = _document_id(ROBOTYNE_TEXT)
    first, second = ROBOTYNE_SENTENCES
    ministry = Source(name="Russian Ministry of Defence", kind="government", side="RU")
    spokesman = Source(name="Brigade spokesman", kind="military", side="UA", role="spokesman")
    return Extraction(
        pipeline="sitrep/0.1.0",
        document=Document(
            id=doc_id, source="feeds/south.xml#item-4", outlet="Southern Dispatch", channel="feed",
            published=dt.date(2024, 3, 12), language="en", text=ROBOTYNE_TEXT,
        ),
        places=[_place(ROBOTYNE_TEXT, "Robotyne", geonameid=696643, name="Robotyne", feature="PPL",
                       admin1="Zaporizka", country="UA", lat=47.4449, lon=35.8361, precision=2)],
        claims=[
            _claim(doc_id, ROBOTYNE_TEXT, first, ministry, confidence=0.6,
                   event=Event(event_type="Battles", sub_event_type="Non-state actor overtakes territory",
                               place=0, date=EventDate(start=dt.date(2024, 3, 4), end=dt.date(2024, 3, 10),
                                                       precision="week"))),
            _claim(doc_id, ROBOTYNE_TEXT, second, spokesman, confidence=0.6,
                   event=Event(event_type="Battles", status="negated", place=0)),
        ],
    )


def kherson_record() -> Extraction:
    """An undated Telegram post in Ukrainian: no publication date, no event date."""
    doc_id = _document_id(KHERSON_TEXT)
    first, second = "Окупанти знову обстріляли Херсон з лівого берега.", "Пошкоджено житловий будинок."
    channel = Source(name="Херсонська ОВА", kind="official", side="UA", channel="telegram")
    return Extraction(
        pipeline="sitrep/0.1.0",
        document=Document(id=doc_id, source="exports/kherson.json#17", channel="telegram", language="uk",
                          text=KHERSON_TEXT),
        places=[_place(KHERSON_TEXT, "Херсон", geonameid=706448, name="Kherson", feature="PPLA",
                       admin1="Khersonska", country="UA", lat=46.65581, lon=32.6178, precision=1)],
        claims=[
            _claim(doc_id, KHERSON_TEXT, first, channel, confidence=0.85,
                   event=Event(event_type="Explosions/Remote violence",
                               sub_event_type="Shelling/artillery/missile attack", place=0)),
            _claim(doc_id, KHERSON_TEXT, second, channel, confidence=0.5),
        ],
    )


ALL_RECORDS = (kharkiv_record, robotyne_record, kherson_record)


@pytest.fixture
def memory_store():
    store = Store.memory()
    yield store
    store.close()


@pytest.fixture
def file_store(tmp_path: Path):
    store = Store.open(f"sqlite:///{tmp_path / 'nested' / 'sitrep.db'}")
    yield store
    store.close()


@pytest.fixture
def full_store(store: Store) -> Store:
    for record in ALL_RECORDS:
        assert store.add(record())
    return store


def _name(store: Store) -> str:
    return re.escape(store.name)


# Adding


def test_add_then_readd_stores_once(store: Store):
    assert store.add(kharkiv_record()) is True
    before = store.counts()
    assert store.add(kharkiv_record()) is False
    assert store.counts() == before == {"documents": 1, "claims": 3, "places": 3, "errors": 0}


def test_memory_store_adds_and_reads_back(memory_store: Store):
    assert memory_store.add(kharkiv_record()) is True
    assert memory_store.get_extraction(kharkiv_record().document.id) == kharkiv_record()


def test_file_store_runs_in_wal_with_timeout_and_foreign_keys(file_store: Store):
    with file_store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_open_creates_the_database_directory(tmp_path: Path):
    path = tmp_path / "a" / "b" / "sitrep.db"
    with Store.open(f"sqlite:///{path}") as store:
        store.add(robotyne_record())
    assert path.is_file()


def test_ingested_at_is_utc(store: Store):
    store.add(robotyne_record())
    with store.engine.connect() as connection:
        ingested_at = connection.execute(select(documents.c.ingested_at)).scalar_one()
    assert ingested_at.tzinfo == dt.UTC
    assert abs(dt.datetime.now(dt.UTC) - ingested_at) < dt.timedelta(minutes=5)


def test_failure_halfway_stores_nothing(store: Store, monkeypatch: pytest.MonkeyPatch):
    def crash(*_args: object) -> None:
        raise RuntimeError("disk pulled out")

    monkeypatch.setattr(store_module, "_insert_claims", crash)
    with pytest.raises(RuntimeError, match="disk pulled out"):
        store.add(kharkiv_record())
    assert not store.has_document(kharkiv_record().document.id)
    assert store.counts() == {"documents": 0, "claims": 0, "places": 0, "errors": 0}


def test_constraint_violation_stores_nothing_and_says_which_document(store: Store):
    record = kharkiv_record()
    broken = record.model_copy(update={"claims": [record.claims[0], record.claims[0]]})
    unique = "(UNIQUE constraint failed|duplicate key value violates unique constraint)"
    with pytest.raises(StoreError, match=f"^cannot store document {record.document.id} in {_name(store)}: {unique}"):
        store.add(broken)
    assert store.counts()["documents"] == 0
    assert store.add(record) is True


# Reading back


@pytest.mark.parametrize("make_record", ALL_RECORDS, ids=lambda make: make.__name__)
def test_round_trip_gives_the_same_record(store: Store, make_record):
    record = make_record()
    store.add(record)
    assert store.get_extraction(record.document.id) == record
    assert store.get_document(record.document.id) == record.document


def test_round_trip_survives_reopening(db_url: str):
    with Store.open(db_url) as store:
        store.add(kharkiv_record())
    with Store.open(db_url) as store:
        assert store.get_extraction(kharkiv_record().document.id) == kharkiv_record()


def test_document_found_by_unique_prefix(full_store: Store):
    doc_id = kharkiv_record().document.id
    assert full_store.get_document(doc_id[:6]).id == doc_id
    assert full_store.get_extraction(doc_id[:9]).document.id == doc_id
    assert full_store.has_document(doc_id) and not full_store.has_document(doc_id[:6])


def test_short_prefix_is_not_looked_up(full_store: Store):
    with pytest.raises(NotFound, match="no document with id"):
        full_store.get_document(kharkiv_record().document.id[:5])


def test_ambiguous_prefix_says_so(store: Store):
    for suffix in ("01", "02"):
        record = robotyne_record()
        document = record.document.model_copy(update={"id": f"abcdef00000000{suffix}"})
        store.add(record.model_copy(update={"document": document, "claims": []}))
    with pytest.raises(NotFound, match=f"prefix abcdef is ambiguous in {_name(store)}"):
        store.get_document("abcdef")
    assert store.get_document("abcdef0000000002").id == "abcdef0000000002"


def test_missing_document_names_the_id_and_database(store: Store):
    with pytest.raises(NotFound) as raised:
        store.get_extraction("0123456789abcdef")
    assert str(raised.value) == f"no document with id 0123456789abcdef in {store.name}"
    assert store.name.endswith("sitrep.db") or store.name.startswith("postgresql://sitrep@127.0.0.1:")


def test_documents_ordered_by_publication_undated_last(full_store: Store):
    ids = [document.id for document in full_store.documents()]
    assert ids == [make().document.id for make in ALL_RECORDS]
    assert [document.id for document in full_store.documents(limit=1)] == [kharkiv_record().document.id]


# Claims and their filters


def _claim_texts(results: list[StoredClaim]) -> list[str]:
    return [result.claim.text[:30] for result in results]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["Russian forces hit Kharkiv ove", "Two people were hurt in the Ky", "The General Staff said a drone",
              "The Russian defence ministry c", "A Ukrainian brigade spokesman ",
              "Окупанти знову обстріляли Херс", "Пошкоджено житловий будинок."]),
        # place: a mention inside the claim, or the event's place, by name or mention, any case
        ({"place": "kharkiv"}, ["Russian forces hit Kharkiv ove", "Two people were hurt in the Ky"]),
        ({"place": "Kyivskyi District"}, ["Two people were hurt in the Ky"]),
        ({"place": "ROBOTYNE"}, ["The Russian defence ministry c", "A Ukrainian brigade spokesman "]),
        ({"place": "херсон"}, ["Окупанти знову обстріляли Херс"]),
        ({"place": "Kherson"}, ["Окупанти знову обстріляли Херс"]),
        ({"place": "Kyiv"}, []),
        # source: part of the name, any case; % and _ are not wildcards
        ({"source": "general staff"}, ["The General Staff said a drone"]),
        ({"source": "ова"}, ["Окупанти знову обстріляли Херс", "Пошкоджено житловий будинок."]),
        ({"source": "%"}, []),
        # since/until: the event's range where there is one, else the publication day
        ({"since": dt.date(2024, 3, 10), "until": dt.date(2024, 3, 10)},
         ["Russian forces hit Kharkiv ove", "Two people were hurt in the Ky", "The General Staff said a drone",
          "The Russian defence ministry c"]),
        ({"until": dt.date(2024, 3, 9)}, ["Russian forces hit Kharkiv ove", "The Russian defence ministry c"]),
        ({"since": dt.date(2024, 3, 11)}, ["A Ukrainian brigade spokesman "]),
        ({"event_type": "Battles"},
         ["The General Staff said a drone", "The Russian defence ministry c", "A Ukrainian brigade spokesman "]),
        ({"event_type": "battles"}, []),
        ({"event_type": "Battles", "source": "ministry", "place": "robotyne", "since": dt.date(2024, 3, 1)},
         ["The Russian defence ministry c"]),
        ({"limit": 2}, ["Russian forces hit Kharkiv ove", "Two people were hurt in the Ky"]),
    ],
    ids=lambda value: repr(value)[:40] if isinstance(value, dict) else None,
)
def test_claims_filters(full_store: Store, filters: dict, expected: list[str]):
    assert _claim_texts(list(full_store.claims(**filters))) == expected


def test_claims_by_document_prefix(full_store: Store):
    record = robotyne_record()
    found = list(full_store.claims(document_id=record.document.id[:8]))
    assert [result.claim for result in found] == record.claims
    with pytest.raises(NotFound):
        list(full_store.claims(document_id="ffffffffffffffff"))


def test_stored_claim_carries_its_document_and_places(full_store: Store):
    record = kharkiv_record()
    first, second, third = full_store.claims(document_id=record.document.id)
    assert first == StoredClaim(claim=record.claims[0], document_id=record.document.id, outlet="Frontline Notes",
                                published=dt.date(2024, 3, 10), places=[record.places[0]])
    # The event's place (Kharkiv) comes with the district mentioned inside the sentence.
    assert second.places == [record.places[0], record.places[1]]
    assert third.places == [record.places[2]]


def test_claims_read_page_by_page_in_the_same_order(full_store: Store, monkeypatch: pytest.MonkeyPatch):
    everything = list(full_store.claims())
    documents_all = list(full_store.documents())
    monkeypatch.setattr(queries, "PAGE_SIZE", 2)
    assert list(full_store.claims()) == everything
    assert list(full_store.claims(limit=5)) == everything[:5]
    assert list(full_store.documents()) == documents_all


# Errors of inputs


def test_errors_are_kept_once(store: Store):
    store.record_error("feeds/south.xml#item-9", "entry has no text")
    store.record_error("feeds/south.xml#item-9", "entry has no text")
    store.record_error("exports/kherson.json#3", "not a JSON object")
    assert store.errors() == [
        ItemError(source="feeds/south.xml#item-9", message="entry has no text"),
        ItemError(source="exports/kherson.json#3", message="not a JSON object"),
    ]
    assert store.counts()["errors"] == 2


# Migrations


def test_migrate_twice_changes_nothing(store: Store):
    assert store.schema_version() == LATEST_VERSION
    assert migrate(store.engine) == LATEST_VERSION
    assert migrate(store.engine) == LATEST_VERSION
    with store.engine.connect() as connection:
        versions = connection.execute(select(schema_version.c.version, schema_version.c.description)).all()
    assert [version for version, _ in versions] == list(range(1, LATEST_VERSION + 1))


def test_version_1_database_is_upgraded_and_its_places_still_read(db_url: str, monkeypatch: pytest.MonkeyPatch):
    url = db_url
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:1])
    monkeypatch.setattr(migrations, "LATEST_VERSION", 1)
    with Store.open(url) as store, store.engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE places DROP COLUMN record")  # as version 1 made it
    monkeypatch.undo()
    extraction = kharkiv_record()
    with Store.open(url) as store:
        assert store.schema_version() == LATEST_VERSION
        store.add(extraction)
        assert store.get_extraction(extraction.document.id).places == extraction.places


def test_database_newer_than_the_code_is_refused(db_url: str):
    with Store.open(db_url) as store, store.engine.begin() as connection:
        connection.execute(insert(schema_version).values(
            version=70, description="from the future", applied_at=dt.datetime.now(dt.UTC)))
    with pytest.raises(StoreError) as raised:
        Store.open(db_url)
    assert str(raised.value) == (
        f"{store.name}: database schema version 70 is newer than this sitrep (knows {LATEST_VERSION});"
        " upgrade sitrep"
    )


def test_failed_migration_is_rolled_back_whole(db_url: str, monkeypatch: pytest.MonkeyPatch):
    def half_done(connection) -> None:
        connection.execute(text("CREATE TABLE control_changes (id INTEGER PRIMARY KEY)"))
        raise RuntimeError("step 2 broke")

    url = db_url
    Store.open(url).close()
    following = LATEST_VERSION + 1
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, Migration(following, "control", half_done)))
    monkeypatch.setattr(migrations, "LATEST_VERSION", following)
    with pytest.raises(RuntimeError, match="step 2 broke"):
        Store.open(url)
    monkeypatch.undo()
    with Store.open(url) as store, store.engine.connect() as connection:
        assert store.schema_version() == LATEST_VERSION
        assert "control_changes" not in inspect(connection).get_table_names()


def test_processes_opening_a_new_database_at_once_migrate_it_once(db_url: str):
    url = db_url

    def open_and_count(_: int) -> int:
        with Store.open(url) as store:
            return store.schema_version()

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert list(pool.map(open_and_count, range(6))) == [LATEST_VERSION] * 6
    with Store.open(url) as store, store.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(schema_version)).scalar_one() == LATEST_VERSION


# Integrity


def test_integrity_check_passes_on_good_data(full_store: Store):
    assert full_store.integrity_check() == []


def test_integrity_check_reports_a_claim_span_outside_the_text(full_store: Store):
    claim_id = robotyne_record().claims[1].id
    with full_store.engine.begin() as connection:
        connection.execute(text("UPDATE claims SET end_offset = :end WHERE id = :id"), {"end": 9999, "id": claim_id})
    problems = full_store.integrity_check()
    assert len(problems) == 1
    assert problems[0].startswith(f"claim {claim_id}: span ") and "outside the document's text" in problems[0]


def test_integrity_check_reports_orphans_and_unknown_places(full_store: Store):
    record = kherson_record()
    doc_id = record.document.id
    _delete_without_foreign_keys(full_store, doc_id)
    with full_store.engine.begin() as connection:
        connection.execute(
            text("UPDATE claims SET place_idx = 5 WHERE id = :id"), {"id": robotyne_record().claims[0].id}
        )
    problems = full_store.integrity_check()
    assert f"place 0 of document {doc_id}: the document is missing" in problems
    assert f"claim {record.claims[0].id}: its document {doc_id} is missing" in problems
    assert any("names place 5" in problem for problem in problems)


def test_integrity_check_reports_an_event_whose_count_disagrees_with_its_claims(full_store: Store):
    from sitrep import corroborate

    corroborate.update(full_store)
    assert full_store.integrity_check() == []
    with full_store.engine.begin() as connection:
        event_id = connection.execute(text("SELECT id FROM events ORDER BY id LIMIT 1")).scalar_one()
        connection.execute(text("UPDATE events SET claim_count = 99 WHERE id = :id"), {"id": event_id})
    assert full_store.integrity_check() == [f"event {event_id}: counts 99 claims but has 1"]


def _delete_without_foreign_keys(store: Store, doc_id: str) -> None:
    """Delete a document the way a tool with foreign keys off would: leaving its rows behind.
    (Foreign keys would cascade the delete; the sqlite3 shell leaves them off by default, and
    PostgreSQL's replica role skips them, as a restore with triggers disabled does.)"""
    if store.engine.dialect.name == "sqlite":
        raw = store.engine.raw_connection()
        try:
            raw.execute("PRAGMA foreign_keys=OFF")
            raw.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
            raw.execute("PRAGMA foreign_keys=ON")
        finally:
            raw.close()
        return
    with store.engine.begin() as connection:
        connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
        connection.execute(text("DELETE FROM documents WHERE id = :id"), {"id": doc_id})


# Opening


@pytest.mark.parametrize(
    "where",
    [
        pytest.param(lambda tmp: str(tmp), id="a directory"),
        pytest.param(lambda tmp: "/proc/sitrep-missing/x/sitrep.db", id="under /proc"),
        pytest.param(lambda tmp: _write(tmp / "notes.db", "not a database, just notes\n" * 200), id="not sqlite"),
    ],
)
def test_unopenable_database_is_one_line_naming_it(tmp_path: Path, where):
    path = where(tmp_path)
    with pytest.raises(StoreError) as raised:
        Store.open(f"sqlite:///{path}")
    message = str(raised.value)
    assert message.startswith(f"cannot open database {path}: ")
    assert "\n" not in message


def _write(path: Path, content: str) -> str:
    path.write_text(content)
    return str(path)


def test_read_failure_is_a_store_error(store: Store):
    with store.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE ingest_errors")
    missing = '(no such table: ingest_errors|relation "ingest_errors" does not exist)'
    with pytest.raises(StoreError, match=f"^cannot read {_name(store)}: {missing}$"):
        store.errors()


def test_unsupported_backend_is_refused():
    with pytest.raises(StoreError, match="backend 'mysql' is not supported"):
        Store.open("mysql://sitrep:secret@db.example/sitrep")


def test_memory_store_repr_names_it(memory_store: Store):
    assert repr(memory_store) == "Store(':memory:')"
