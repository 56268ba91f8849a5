"""Streaming ingest: `sitrep watch` (sitrep.watch) and `sitrep ingest --follow` (sitrep.follow)."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep import follow, watch
from sitrep.store import Store
from sitrep.store.feeds import feed_entries

# Written for these tests, about real places.
SHELLING = (
    "KHARKIV, Ukraine (Sep 4, 2023) - Russian artillery shelled Kupiansk on Monday, damaging a hospital, "
    "the regional governor Oleh Syniehubov said on Telegram. He said two people were wounded."
)
DRONES = (
    "ODESA, Ukraine (Sep 5, 2023) - Russian drones struck grain silos in Izmail overnight, the head of the "
    "Odesa regional administration, Oleh Kiper, said on Tuesday."
)
ENTRIES = [
    ("nw-101", "Shelling in Nikopol", "Russian forces shelled Nikopol from across the Dnipro on Sunday, "
     "the Dnipropetrovsk regional governor said. One woman was wounded."),
    ("nw-102", "Strike on Kramatorsk", "A Russian missile hit a cafe in Kramatorsk on Tuesday evening, "
     "killing three people, the Donetsk regional military administration said."),
    ("nw-103", "Fighting near Vuhledar", "Ukraine's General Staff said its troops repelled Russian attacks "
     "near Vuhledar in the Donetsk region on Wednesday."),
]


def write_old(path: Path, text: str) -> Path:
    """A file that landed a while ago, so the watcher need not wait for it to settle."""
    path.write_text(text, encoding="utf-8")
    past = time.time() - 60
    os.utime(path, (past, past))
    return path


def rss(entries) -> str:
    items = "".join(
        f"<item><title>{title}</title><guid isPermaLink=\"false\">{guid}</guid>"
        f"<link>https://northwire.example/{guid}</link><pubDate>Mon, 04 Sep 2023 09:00:00 GMT</pubDate>"
        f"<description>{text}</description></item>"
        for guid, title, text in entries
    )
    return (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>North Wire</title>"
            f"<link>https://northwire.example/</link><description>Test feed</description>{items}</channel></rss>")


@pytest.fixture()
def store():
    with Store.memory() as memory:
        yield memory


def test_watch_once_ingests_what_is_there_and_events_are_queryable(tmp_path, store, pipeline, settings):
    write_old(tmp_path / "kupiansk.txt", SHELLING)
    report = watch.watch(str(tmp_path), store, lambda: pipeline, settings, once=True, interval=0.01)
    assert report.files == 1 and report.documents_new == 1
    assert any("Kupiansk" in stored.claim.text for stored in store.claims())
    assert list(store.events())


def test_watch_skips_temporaries_and_waits_for_a_file_to_settle(tmp_path):
    write_old(tmp_path / "report.txt.part", SHELLING)
    write_old(tmp_path / ".hidden.txt", SHELLING)
    write_old(tmp_path / "copying.tmp", SHELLING)
    fresh = tmp_path / "fresh.txt"
    fresh.write_text(DRONES[:40], encoding="utf-8")
    watcher = watch._Watcher(tmp_path)
    now = time.time()
    assert watcher.ready(now) == ([], True)  # seen once, written just now: not yet
    with fresh.open("a", encoding="utf-8") as file:
        file.write(DRONES[40:])  # the writer is still at it
    assert watcher.ready(now) == ([], True)
    assert watcher.ready(now) == ([str(fresh)], False)  # the same size and mtime twice in a row


def test_watch_loop_picks_up_a_new_file_and_a_changed_one(tmp_path, store, pipeline, settings):
    stop, landed = threading.Event(), []
    thread = threading.Thread(target=watch.watch, args=(str(tmp_path), store, lambda: pipeline, settings),
                              kwargs={"interval": 0.02, "stop": stop, "on_ingest": landed.append}, daemon=True)
    thread.start()
    try:
        write_old(tmp_path / "izmail.txt", DRONES)
        _wait_for(lambda: len(landed) >= 1)
        write_old(tmp_path / "izmail.txt", DRONES + " Air defences shot down 17 of the 23 drones.")
        _wait_for(lambda: len(landed) >= 2)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
    assert [report.documents_new for report in landed[:2]] == [1, 1]
    assert store.counts()["documents"] == 2


def _wait_for(condition, limit_s: float = 60.0) -> None:
    # A guard against hanging, not a timing assertion: the loop polls every 20 ms.
    deadline = time.monotonic() + limit_s
    while not condition():
        assert time.monotonic() < deadline, "the watcher did not ingest the file"
        time.sleep(0.02)


def test_watch_of_missing_directory_is_an_input_error(tmp_path, store, settings):
    from sitrep.errors import InputError

    with pytest.raises(InputError, match="no such directory"):
        watch.watch(str(tmp_path / "nowhere"), store, lambda: None, settings, once=True)


def test_follow_ingests_only_entries_not_seen_even_after_a_restart(tmp_path, db_url, pipeline, settings):
    feed, db = tmp_path / "north.rss", db_url  # both backends (conftest's db_url)
    feed.write_text(rss(ENTRIES[:2]), encoding="utf-8")
    with Store.open(db) as store:
        first = follow.follow(str(feed), store, lambda: pipeline, settings, max_polls=1)
        second = follow.follow(str(feed), store, lambda: pipeline, settings, max_polls=2, interval=0.01)
    assert (first.entries_new, first.documents_new) == (2, 2)
    assert (second.entries_new, second.documents_new) == (0, 0)
    feed.write_text(rss([ENTRIES[2], *ENTRIES[:2]]), encoding="utf-8")  # a new entry on top
    with Store.open(db) as store:  # a restarted follower
        third = follow.follow(str(feed), store, lambda: pipeline, settings, max_polls=1)
        assert store.counts()["documents"] == 3
        assert any("Vuhledar" in stored.claim.text for stored in store.claims())
        with store.reading() as connection:
            seen = {row.entry_id for row in connection.execute(feed_entries.select())}
    assert (third.entries_new, third.documents_new) == (1, 1)
    assert seen == {"nw-101", "nw-102", "nw-103"}


def test_follow_warns_about_a_feed_it_cannot_fetch_and_goes_on(tmp_path, store, settings):
    warnings: list[str] = []
    # Loopback is allowed here so that the fetch itself fails (nothing listens on port 9).
    report = follow.follow("http://127.0.0.1:9/feed.xml", store, lambda: None,
                           settings.with_overrides(allow_private_urls=True), max_polls=2, interval=0.01,
                           warn=warnings.append)
    missing = follow.follow(str(tmp_path / "gone.rss"), store, lambda: None, settings, max_polls=1,
                            warn=warnings.append)
    assert report.polls == 2 and report.failed_polls == 2 and missing.failed_polls == 1
    assert len(warnings) == 3 and all("\n" not in line for line in warnings)
    assert "127.0.0.1:9/feed.xml" in warnings[0] and "gone.rss" in warnings[2]


def test_follow_knows_an_entry_by_guid_else_link_else_text(settings):
    from sitrep.ingest.feed import read_feed

    data = rss(ENTRIES[:1]).replace("</channel>", (
        "<item><link>https://northwire.example/no-guid</link><description>Shelling hit Sumy.</description></item>"
        "<item><description>Drones struck Chernihiv overnight.</description></item></channel>")).encode()
    items = list(read_feed(data, "north.rss"))
    assert follow._entry_ids(data, items) == ["nw-101", "https://northwire.example/no-guid", f"text:{items[2].id}"]


def test_follow_refuses_an_oversized_feed(tmp_path, settings, monkeypatch):
    from sitrep.errors import InputError

    monkeypatch.setattr(follow, "MAX_FEED_BYTES", 100)
    feed = tmp_path / "big.rss"
    feed.write_text(rss(ENTRIES), encoding="utf-8")
    with pytest.raises(InputError, match="over"):
        follow.fetch(str(feed), settings)


def test_cli_watch_once_and_follow(tmp_path, pipeline):
    from sitrep.cli import app

    inbox, db = tmp_path / "inbox", tmp_path / "store.db"
    inbox.mkdir()
    write_old(inbox / "kupiansk.txt", SHELLING)
    feed = tmp_path / "north.rss"
    feed.write_text(rss(ENTRIES[:1]), encoding="utf-8")
    runner = CliRunner()
    watched = runner.invoke(app, ["watch", str(inbox), "--db", str(db), "--once"])
    followed = runner.invoke(app, ["ingest", "--follow", str(feed), "--db", str(db), "--max-polls", "1"])
    assert watched.exit_code == 0 and followed.exit_code == 0, watched.output + followed.output
    assert "1 new documents" in watched.output and "1 new entries" in followed.output
    with Store.open(f"sqlite:///{db}") as store:
        assert store.counts()["documents"] == 2


def test_cli_ingest_needs_paths_or_follow_not_both(tmp_path):
    from sitrep.cli import app

    runner = CliRunner()
    neither = runner.invoke(app, ["ingest", "--db", str(tmp_path / "s.db")])
    both = runner.invoke(app, ["ingest", str(tmp_path), "--follow", "x.rss", "--db", str(tmp_path / "s.db")])
    assert neither.exit_code == both.exit_code == 2
    assert "--follow" in neither.output and "not both" in both.output


def test_cli_watch_stops_cleanly_on_sigterm(tmp_path):
    import signal
    import subprocess
    import sys

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    command = [sys.executable, "-c", "from sitrep.cli import main; main()",
               "watch", str(inbox), "--db", str(tmp_path / "s.db"), "--interval", "0.05"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env={**os.environ, "COLUMNS": "200"})
    try:
        first_line = process.stderr.readline()  # printed once the store is open and the loop starts
        assert "watching" in first_line, first_line
        process.send_signal(signal.SIGTERM)
        _out, rest = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 0, rest
    assert "stopped after" in rest and "Traceback" not in rest


def test_watch_works_off_a_backlog_in_batches(tmp_path, store, pipeline, settings, monkeypatch):
    monkeypatch.setattr(watch, "FILES_PER_BATCH", 2)
    for number, place in enumerate(["Kupiansk", "Izmail", "Nikopol", "Sumy", "Kherson"]):
        write_old(tmp_path / f"r{number}.txt", f"Russian artillery shelled {place} on Monday, officials said.")
    batches: list = []
    report = watch.watch(str(tmp_path), store, lambda: pipeline, settings, once=True, interval=60,
                         on_ingest=batches.append)
    assert [len(ingested.files) for ingested in batches] == [2, 2, 1]
    assert report.documents_new == 5 and store.counts()["documents"] == 5
