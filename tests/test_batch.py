"""Batch extraction on Dask (sitrep.batch): shards, reruns, dead workers, load and the CLI.

One LocalCluster of two worker processes serves the module; its workers keep their Pipeline
between tasks, so after the first run each test costs little.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from sitrep import batch
from sitrep.errors import InputError
from sitrep.store import Store

# Written for these tests: short wire-style reports about real places, one per file.
REPORTS = {
    "kupiansk.txt": (
        "KHARKIV, Ukraine (Aug 9, 2023) - Russian artillery shelled Kupiansk on Tuesday, damaging a school "
        "and two apartment blocks, the regional governor Oleh Syniehubov said on Telegram.\n\n"
        "He said one man was wounded. Local authorities ordered the evacuation of families with children "
        "from villages east of the Oskil river."
    ),
    "kherson.txt": (
        "KHERSON, Ukraine (Aug 14, 2023) - A Russian drone struck a bus stop in the Dniprovskyi district of "
        "Kherson on Monday morning, killing two civilians, the regional military administration said.\n\n"
        "Russian forces also shelled the village of Bilozerka during the night, according to the same statement."
    ),
    "zaporizhzhia.txt": (
        "ZAPORIZHZHIA, Ukraine (Aug 2, 2023) - Russian missiles hit an industrial site in Zaporizhzhia "
        "overnight, the city council said on Wednesday.\n\n"
        "Ukraine's General Staff said its troops repelled Russian attacks near Robotyne in the Zaporizhzhia "
        "region and advanced south of the village."
    ),
    "avdiivka.txt": (
        "DONETSK REGION, Ukraine (Jul 18, 2023) - Russian troops attacked Ukrainian positions near Avdiivka "
        "and Marinka on Monday, the General Staff of the Armed Forces of Ukraine said.\n\n"
        "The mayor of Avdiivka, Vitaliy Barabash, said Russian shelling destroyed a warehouse in the town."
    ),
    "bakhmut.txt": (
        "KYIV (Jul 12, 2023) - Ukrainian forces advanced on the southern flank of Bakhmut near Klishchiivka, "
        "Deputy Defence Minister Hanna Maliar said on Wednesday.\n\n"
        "She said fighting continued around Andriivka, where Russian forces were bringing up reserves."
    ),
    "odesa.txt": (
        "ODESA, Ukraine (Jul 20, 2023) - Russian missiles and drones struck port infrastructure in Odesa "
        "for a third night, the head of the regional administration, Oleh Kiper, said.\n\n"
        "Air defences shot down most of the drones over the Odesa region, the Ukrainian air force said."
    ),
}
BAD_FILE = "scrambled.txt"
PARTITION_SIZE = 2


def write_reports(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in REPORTS.items():
        (directory / name).write_text(text, encoding="utf-8")
    (directory / BAD_FILE).write_bytes(bytes(range(32)) * 40)  # binary: the text reader refuses it
    return directory


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      scheduler_kwargs={"dashboard_address": "127.0.0.1:0"}) as local:
        yield local


@pytest.fixture(scope="module")
def first_run(cluster, tmp_path_factory, pipeline):
    # Depends on `pipeline` so the gazetteer cache is built once, here, not by both workers at once.
    from sitrep.settings import get_settings

    root = tmp_path_factory.mktemp("batch")
    inputs, out = write_reports(root / "in"), root / "out"
    report = batch.run([str(inputs)], str(out), scheduler=cluster.scheduler_address,
                       partition_size=PARTITION_SIZE, settings=get_settings())
    return inputs, out, report


def shard_mtimes(out: Path) -> dict[str, int]:
    return {path.name: path.stat().st_mtime_ns for path in out.glob("part-*.parquet")}


def test_plan_is_deterministic_and_follows_file_changes(tmp_path):
    inputs = write_reports(tmp_path / "in")
    first, again = batch.plan([str(inputs)], 3), batch.plan([str(inputs)], 3)
    assert first == again
    assert [len(partition.paths) for partition in first] == [3, 3, 1]
    assert sorted(path for partition in first for path in partition.paths) == [
        str(path) for path in sorted(inputs.iterdir())]
    changed = inputs / sorted(os.listdir(inputs))[4]
    changed.write_text("Russian forces shelled Nikopol on Sunday, officials said.", encoding="utf-8")
    later = batch.plan([str(inputs)], 3)
    assert [p.id == q.id for p, q in zip(first, later)] == [True, False, True]


@pytest.mark.parametrize(("inputs", "size", "message"), [
    (["-"], 5, "standard input"),
    (["reports"], 0, "at least 1"),
])
def test_plan_refuses_what_it_cannot_partition(inputs, size, message):
    from sitrep.errors import ConfigError

    with pytest.raises(ConfigError, match=message):
        batch.plan(inputs, size)


def test_a_document_that_breaks_the_pipeline_goes_to_the_errors_alone(make_document):
    from sitrep.models import Extraction

    class Fragile:
        """Fails on one text, as a pipeline bug triggered by one odd document would."""

        def process(self, document):
            if "Tokmak" in document.text:
                raise ValueError("span out of range")
            return Extraction(document=document)

        def pipe(self, documents):
            return (self.process(document) for document in documents)

    documents = [make_document(text, source=f"r{number}.txt") for number, text in enumerate(
        ["Shelling hit Orikhiv.", "Drones struck Tokmak.", "Missiles hit Dnipro."])]
    errors: list = []
    extractions = batch._extract(Fragile(), documents, errors)
    assert [extraction.document.source for extraction in extractions] == ["r0.txt", "r2.txt"]
    assert [(error.source, error.message) for error in errors] == [
        ("r1.txt", "extraction failed: ValueError: span out of range")]


def test_missing_input_is_reported_without_starting_a_cluster(tmp_path):
    report = batch.run([str(tmp_path / "nowhere")], str(tmp_path / "out"), workers=2)
    assert report.partitions == 0 and report.startup_seconds == 0 and not report.ok
    assert [error.message for error in report.errors] == ["no such file or directory"]
    manifest = json.loads((tmp_path / "out" / batch.MANIFEST).read_text())
    assert manifest["partitions"] == [] and manifest["input_errors"][0]["source"].endswith("nowhere")


def test_batch_writes_one_shard_per_partition_and_an_errors_shard(first_run):
    _inputs, out, report = first_run
    assert report.partitions == 4 and report.skipped == 0 and not report.failed
    assert report.documents == len(REPORTS)
    assert [error.source for error in report.errors] == [str(_inputs / BAD_FILE)]
    data_shards = batch.finished_shards(str(out))
    assert len(data_shards) == 4
    errors_shards = list(out.glob("*.errors.parquet"))
    assert len(errors_shards) == 1
    rows = pq.read_table(errors_shards[0]).to_pylist()
    assert rows[0]["source"].endswith(BAD_FILE) and "binary" in rows[0]["message"]
    table = pa.concat_tables(pq.read_table(path) for path in data_shards)
    assert table.schema.equals(batch.SHARD_SCHEMA, check_metadata=False)
    assert sorted(Path(source).name for source in table.column("source").to_pylist()) == sorted(REPORTS)
    assert sum(table.column("claims").to_pylist()) > 0
    manifest = json.loads((out / batch.MANIFEST).read_text())
    assert [entry["status"] for entry in manifest["partitions"]] == ["done"] * 4
    assert not list(out.glob(".*"))  # no temporary file left behind


def test_worker_processes_did_the_work(first_run):
    _inputs, _out, report = first_run
    assert os.getpid() not in {result.worker_pid for result in report.results}


def test_rerun_skips_finished_partitions(first_run, cluster):
    inputs, out, _report = first_run
    before = shard_mtimes(out)
    # No partition size given: the rerun takes the one recorded in the manifest.
    again = batch.run([str(inputs)], str(out), scheduler=cluster.scheduler_address)
    assert again.skipped == again.partitions == 4
    assert again.results == [] and again.documents == 0
    assert shard_mtimes(out) == before


def test_dead_worker_leaves_a_temporary_that_the_rerun_replaces(first_run, cluster, tmp_path):
    inputs, out, _report = first_run
    work = tmp_path / "out"
    shutil.copytree(out, work)
    victim = batch.finished_shards(str(work))[1]
    # What a worker killed mid-write leaves: a hidden temporary and no shard.
    temporary = victim.with_name(f".{victim.name}.deadbeef.tmp")
    temporary.write_bytes(victim.read_bytes()[:100])
    victim.unlink()
    assert len(batch.finished_shards(str(work))) == 3
    untouched = shard_mtimes(work)
    rerun = batch.run([str(inputs)], str(work), scheduler=cluster.scheduler_address, partition_size=PARTITION_SIZE)
    assert rerun.skipped == 3 and [result.shard for result in rerun.results] == [victim.name]
    assert victim.exists() and not temporary.exists()
    assert {name: mtime for name, mtime in shard_mtimes(work).items() if name in untouched} == untouched


def test_load_twice_changes_nothing(first_run, db_url):
    _inputs, out, _report = first_run
    with Store.open(db_url) as store:  # both backends (conftest's db_url)
        loaded = batch.load(str(out), store)
        counts, derived = store.counts(), store.derived_counts()
        again = batch.load(str(out), store)
        assert (store.counts(), store.derived_counts()) == (counts, derived)
    assert loaded.documents_new == len(REPORTS) and loaded.errors == 1
    assert again.documents_new == 0 and again.documents_unchanged == len(REPORTS)
    assert counts["documents"] == len(REPORTS) and counts["errors"] == 1 and counts["claims"] > 0


def test_loaded_records_equal_a_local_extraction(first_run, pipeline, settings):
    """The shard carries the whole record: what load stores is what the pipeline makes here."""
    from sitrep.ingest import read_input

    inputs, out, _report = first_run
    [document] = read_input(str(inputs / "kherson.txt"), settings)
    expected = pipeline.process(document)
    with Store.memory() as store:
        batch.load(str(out), store, cluster=False)
        stored = store.get_extraction(document.id)
    assert stored.to_json() == expected.to_json()


@pytest.mark.parametrize("damage", ["truncated", "garbage", "wrong_schema", "bad_record"])
def test_corrupt_shard_fails_load_naming_it(first_run, tmp_path, damage):
    _inputs, out, _report = first_run
    work = tmp_path / "out"
    shutil.copytree(out, work)
    shard = batch.finished_shards(str(work))[2]
    if damage == "truncated":
        shard.write_bytes(shard.read_bytes()[: shard.stat().st_size // 2])
    elif damage == "garbage":
        shard.write_bytes(b"this is not parquet at all\n" * 20)
    elif damage == "wrong_schema":
        pq.write_table(pa.table({"document_id": ["x"], "text": ["y"]}), shard)
    else:
        table = pq.read_table(shard)
        records = ['{"schema": "sitrep/extract/v1", "document": {}}'] * table.num_rows
        pq.write_table(table.set_column(table.schema.get_field_index("record"), batch.SHARD_SCHEMA.field("record"),
                                        pa.array(records, pa.large_string())), shard)
    with Store.memory() as store:
        with pytest.raises(InputError) as caught:
            batch.load(str(work), store)
        if damage != "bad_record":  # schemas are checked before anything is written
            assert store.counts()["documents"] == 0
    message = str(caught.value)
    assert str(shard) in message and "\n" not in message


def test_load_of_missing_directory_is_an_input_error(tmp_path):
    with Store.memory() as store, pytest.raises(InputError, match="no such directory"):
        batch.load(str(tmp_path / "nowhere"), store)


def test_cli_batch_on_a_local_cluster_then_load_twice(tmp_path, pipeline):
    # `pipeline` builds the gazetteer cache here first, so the two new workers only read it.
    from sitrep.cli import app

    inputs = write_reports(tmp_path / "in")
    for name in list(REPORTS)[2:]:
        (inputs / name).unlink()
    out, db = tmp_path / "out", tmp_path / "store.db"
    runner = CliRunner()
    result = runner.invoke(app, ["batch", str(inputs), "--out", str(out), "--workers", "2", "--partition-size", "1"])
    assert result.exit_code == 1, result.output  # the scrambled file failed; the others were extracted
    assert "3 partitions" in result.output and BAD_FILE in result.output
    first = runner.invoke(app, ["load", str(out), "--db", str(db)])
    second = runner.invoke(app, ["load", str(out), "--db", str(db)])
    assert first.exit_code == second.exit_code == 0, first.output + second.output
    assert "2 new documents" in first.output and "0 new documents, 2 already stored" in second.output
    with Store.open(f"sqlite:///{db}") as store:
        assert store.counts()["documents"] == 2


def test_cli_refuses_workers_and_scheduler_together(tmp_path):
    from sitrep.cli import app

    result = CliRunner().invoke(app, ["batch", str(tmp_path), "--out", str(tmp_path / "o"), "--workers", "2",
                                      "--scheduler", "tcp://127.0.0.1:1"])
    assert result.exit_code == 2 and "not both" in result.output


def test_cli_load_of_corrupt_shard_is_one_line(tmp_path):
    from sitrep.cli import app

    (tmp_path / "part-00000-0000000000000000.parquet").write_bytes(b"PAR1 broken")
    result = CliRunner().invoke(app, ["load", str(tmp_path), "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 2
    assert "part-00000-0000000000000000.parquet" in result.output and "Traceback" not in result.output


def _crash_when_writing(index: int) -> None:
    """Runs on a worker: writing partition ``index``'s data shard leaves half a temporary file and
    kills the process, as a worker killed mid-write would. The restarted worker is unpatched."""
    import sitrep.batch as worker_batch

    write = worker_batch._write_atomic

    def crashing(table, target):
        if target.name.startswith(f"part-{index:05d}-") and not target.name.endswith(".errors.parquet"):
            target.with_name(f".{target.name}.crashed0.tmp").write_bytes(b"PAR1 half a shard")
            os._exit(1)
        write(table, target)

    worker_batch._write_atomic = crashing


def test_worker_killed_mid_write_leaves_no_partial_shard(tmp_path, pipeline):
    import sys

    import cloudpickle
    from distributed import Client, LocalCluster

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the worker cannot import this test module
    inputs, out = write_reports(tmp_path / "in"), tmp_path / "out"
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                      scheduler_kwargs={"dashboard_address": "127.0.0.1:0"}) as local, Client(local) as client:
        [first_pid] = client.run(os.getpid).values()
        client.run(_crash_when_writing, 1)
        report = batch.run([str(inputs)], str(out), scheduler=local.scheduler_address, partition_size=PARTITION_SIZE)
    assert [error.source for error in report.errors] == [str(inputs / BAD_FILE)]
    assert not report.failed and report.documents == len(REPORTS)
    assert {result.index: result.worker_pid != first_pid for result in report.results}[1]  # redone after the death
    assert len(batch.finished_shards(str(out))) == 4 and not list(out.glob(".*"))
    with Store.memory() as store:
        assert batch.load(str(out), store, cluster=False).documents_new == len(REPORTS)
