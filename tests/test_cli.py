"""The CLI through Typer's runner, on the bundled sample reports."""

import csv
import io
import json
import shutil

import pytest
from typer.testing import CliRunner

from conftest import SAMPLES

from sitrep.cli import app


@pytest.fixture()
def runner():
    return CliRunner()


@pytest.fixture()
def db(tmp_path):
    return str(tmp_path / "sitrep.db")


def run(runner, *args):
    return runner.invoke(app, [str(arg) for arg in args], catch_exceptions=False)


def test_ingest_samples_then_reingest_is_a_no_op(runner, db):
    first = run(runner, "ingest", SAMPLES, "--db", db)
    assert first.exit_code == 0, first.output
    assert "0 failed" in first.output
    documents = run(runner, "documents", "--db", db, "--format", "jsonl").stdout.splitlines()
    assert len(documents) >= 40
    second = run(runner, "ingest", SAMPLES, "--db", db)
    assert second.exit_code == 0
    assert "0 files ingested" in second.output and "0 new documents" in second.output
    assert len(run(runner, "documents", "--db", db, "--format", "jsonl").stdout.splitlines()) == len(documents)


def test_bad_file_fails_alone_and_good_documents_are_kept(runner, db, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "documents.jsonl", folder / "good.jsonl")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.jsonl").write_text('{"text": "Shelling hit Orikhiv, the governor said."}\n{"text": \n')
    result = run(runner, "ingest", folder, "--db", db)
    assert result.exit_code == 1
    assert "empty.txt: empty file" in result.output
    assert "broken.jsonl:2" in result.output
    assert "Traceback" not in result.output
    stored = [json.loads(line) for line in run(runner, "documents", "--db", db, "--format", "jsonl").stdout.splitlines()]
    good = [line for line in (SAMPLES / "documents.jsonl").read_text().splitlines() if line.strip()]
    assert len(stored) >= len(good)  # every good line, plus broken.jsonl's first line (duplicates collapse)
    assert any("Orikhiv" in document["text"] for document in stored)


def test_missing_path_is_one_line_error(runner, db):
    result = run(runner, "ingest", "no/such/file.txt", "--db", db)
    assert result.exit_code == 1
    assert "no/such/file.txt: no such file or directory" in result.output


def test_extract_jsonl_needs_no_database(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(runner, "extract", SAMPLES / "news_klishchiivka_2023-07-14.txt", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    [line] = result.stdout.splitlines()
    record = json.loads(line)
    assert record["schema"] == "sitrep/extract/v1"
    assert record["document"]["published"] == "2023-07-14"
    assert record["document"]["captions"] and record["document"]["removed"]
    assert any(place["name"] == "Bakhmut" for place in record["places"])
    assert not list(tmp_path.glob("*.db"))


def test_extract_seed(runner, seed_text, tmp_path):
    path = tmp_path / "seed.txt"
    path.write_text(seed_text, encoding="utf-8")
    record = json.loads(run(runner, "extract", path, "--format", "jsonl").stdout)
    document = record["document"]
    assert document["published"] == "2023-07-09"
    assert [caption["credit"][-3:] for caption in document["captions"]] == ["/AP"] * 3
    assert [removed["reason"] for removed in document["removed"]] == ["dateline", "ad"]


def test_extract_from_stdin_as_table(runner):
    text = "date 2023-08-15\nRussian artillery shelled Kherson on Tuesday, the regional governor said."
    result = runner.invoke(app, ["extract", "-", "--format", "table"], input=text)
    assert result.exit_code == 0, result.output
    assert "Kherson" in result.stdout and "1 claims" in result.stdout


def test_claims_filters_and_formats(runner, db):
    run(runner, "ingest", SAMPLES, "--db", db)
    all_rows = list(csv.DictReader(io.StringIO(run(runner, "claims", "--db", db, "--format", "csv").stdout)))
    assert len(all_rows) > 100
    near = [json.loads(line) for line in
            run(runner, "claims", "--db", db, "--place", "Bakhmut", "--format", "jsonl").stdout.splitlines()]
    assert near and all("Bakhmut" in item["claim"]["text"] or
                        any(p["name"] == "Bakhmut" for p in item["places"]) for item in near)
    july = [json.loads(line) for line in run(runner, "claims", "--db", db, "--since", "2023-07-01", "--until",
                                             "2023-07-31", "--format", "jsonl").stdout.splitlines()]
    assert july and all(_dated_in(item, "2023-07-01", "2023-07-31") for item in july)
    assert len(july) < len(all_rows)
    table = run(runner, "claims", "--db", db, "--limit", "5")
    assert table.exit_code == 0 and "5 claims" in table.stdout


def _dated_in(item: dict, since: str, until: str) -> bool:
    """The claim's event date range overlaps [since, until]; without an event date, its publication does."""
    event = item["claim"]["event"]
    if event and event["date"]:
        return event["date"]["end"] >= since and event["date"]["start"] <= until
    return since <= item["published"] <= until


def test_show_by_prefix_and_unknown_id(runner, db):
    run(runner, "ingest", SAMPLES / "news_klishchiivka_2023-07-14.txt", "--db", db)
    doc_id = json.loads(run(runner, "documents", "--db", db, "--format", "jsonl").stdout)["id"]
    shown = run(runner, "show", doc_id[:8], "--db", db)
    assert shown.exit_code == 0 and doc_id in shown.stdout
    missing = run(runner, "show", "ffffffffff", "--db", db)
    assert missing.exit_code == 2
    assert missing.output.count("\n") == 1 and "ffffffffff" in missing.output


@pytest.mark.parametrize("args, message", [
    (["claims", "--format", "xml"], "--format 'xml' is not one of"),
    (["claims", "--since", "yesterday"], "--since 'yesterday' is not a date"),
    (["ingest", "x", "--input-format", "pdf"], ""),
])
def test_usage_errors_are_one_line(runner, db, args, message, tmp_path):
    (tmp_path / "x").write_text("Some text about Bakhmut for the test.")
    result = run(runner, *[a if a != "x" else tmp_path / "x" for a in args], "--db", db)
    assert result.exit_code in (1, 2)
    assert message in result.output
    assert "Traceback" not in result.output


def test_unopenable_database_is_one_line(runner, tmp_path):
    result = run(runner, "documents", "--db", str(tmp_path))  # a directory, not a file
    assert result.exit_code == 2
    assert result.output.startswith("sitrep: ") and result.output.count("\n") == 1


def test_schema_command_prints_json_schema(runner):
    schema = json.loads(run(runner, "schema").stdout)
    assert schema["title"] == "sitrep extraction record"


def test_untrusted_text_is_not_rich_markup(runner, db, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # the table layout
    hostile = tmp_path / "hostile.jsonl"
    hostile.write_text(json.dumps({"text": "Shelling hit [bold red]Kherson[/bold red] today, the governor said.",
                                   "outlet": "[link=https://evil.example]Bad[/link] Outlet"}) + "\n")
    run(runner, "ingest", hostile, "--db", db)
    for args in (["claims"], ["documents"]):
        result = run(runner, *args, "--db", db)
        assert result.exit_code == 0
        assert "[link=https://evil.example]" in result.stdout or "[bold red]" in result.stdout
