"""What only PostgreSQL has: URLs and start-up errors, SITREP_DB, and the write lock.

The store's behaviour on PostgreSQL is tested by the backend-parametrised tests (test_store.py,
test_concurrent.py); this file covers what differs. The first tests need no server: nothing
listens on port 1 of the loopback interface, so connecting there is refused at once.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from sitrep.errors import StoreError
from sitrep.models import Document, Extraction
from sitrep.settings import settings_from_env
from sitrep.store import Store
from sitrep.store import engine as engines

UNREACHABLE = "postgresql://sitrep:secret-word@127.0.0.1:1/x"


@pytest.mark.parametrize("url", [UNREACHABLE, UNREACHABLE.replace("postgresql:", "postgresql+psycopg:"),
                                 UNREACHABLE.replace("postgresql:", "postgres:")],
                         ids=["postgresql", "postgresql+psycopg", "postgres"])
def test_unreachable_server_fails_at_open_in_one_line_without_the_password(url: str):
    with pytest.raises(StoreError) as raised:
        Store.open(url)
    message = str(raised.value)
    assert message.startswith("cannot open database postgresql://sitrep:***@127.0.0.1:1/x: ")
    assert "refused" in message.lower()
    assert "secret-word" not in message and "\n" not in message


def test_cli_ingest_into_an_unreachable_database_exits_2_with_one_line(tmp_path: Path):
    report = tmp_path / "report.txt"
    report.write_text("Russian forces shelled Kherson on Monday, the regional governor said.\n", encoding="utf-8")
    done = subprocess.run([*_sitrep(), "ingest", str(report), "--db", "postgresql+psycopg://sitrep@127.0.0.1:1/x"],
                          capture_output=True, text=True, timeout=120, env=_environment())
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("sitrep: cannot open database postgresql://sitrep@127.0.0.1:1/x: ")
    assert "Traceback" not in done.stderr


def test_sitrep_db_selects_the_database(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SITREP_DB", UNREACHABLE)
    assert settings_from_env().db_url == UNREACHABLE
    monkeypatch.setenv("SITREP_DB", "relative/sitrep.db")
    assert settings_from_env().db_url == f"sqlite:///{Path('relative/sitrep.db')}"


def test_cli_uses_sitrep_db_when_no_db_is_given(pg_url: str, tmp_path: Path):
    with Store.open(pg_url) as store:
        store.add(_record("Shelling was reported in Nikopol overnight."))
    bare = make_url(pg_url).set(drivername="postgresql").render_as_string(hide_password=False)
    done = subprocess.run([*_sitrep(), "documents", "--format", "jsonl"], capture_output=True, text=True,
                          timeout=120, env={**_environment(), "SITREP_DB": bare})
    assert done.returncode == 0, done.stderr
    assert "Nikopol" in done.stdout and len(done.stdout.splitlines()) == 1


def test_write_transactions_exclude_each_other_but_adding_takes_no_lock(pg_url: str,
                                                                        monkeypatch: pytest.MonkeyPatch):
    # A second connection gives up waiting for a lock after 200 ms instead of blocking the test.
    holder = Store.open(pg_url)
    monkeypatch.setenv("PGOPTIONS", "-c lock_timeout=200")
    other = Store.open(pg_url)
    try:
        with engines.write_transaction(holder.engine):
            with pytest.raises(OperationalError, match="lock timeout"):
                with engines.write_transaction(other.engine):
                    pass
            assert other.add(_record("Air defence was active over Dnipro."))
        with engines.write_transaction(other.engine):
            pass
    finally:
        holder.close()
        other.close()


def test_text_that_postgresql_refuses_elsewhere_is_stored(store: Store):
    """NUL in a metadata field and a long language tag: SQLite takes both, PostgreSQL must too."""
    record = _record("Explosions were heard in Kryvyi Rih.", title="Night\x00report", language="en-GB-oxendict-x-long")
    assert store.add(record)
    stored = store.get_document(record.document.id)
    assert stored.title == "Nightreport"
    assert stored.language == "en-GB-oxendict-x-long"
    assert list(store.claims(source="gover\x00nor", place="Kryvyi\x00Rih")) == []


def _record(text: str, **metadata: object) -> Extraction:
    from sitrep.ingest.base import document_id

    document = Document(id=document_id(text), source="test.txt", text=text, published=dt.date(2024, 5, 1),
                        **metadata)
    return Extraction(document=document, places=[], claims=[])


def _sitrep() -> list[str]:
    script = Path(sys.executable).with_name("sitrep")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from sitrep.cli import main; main()"]


def _environment() -> dict[str, str]:
    environment = dict(os.environ)
    environment.pop("SITREP_DB", None)
    return environment
