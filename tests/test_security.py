"""The security review's checks (docs/security.md) other than SQL injection (test_sql_injection.py)
and SSRF (test_fetch.py): path traversal in ingest, watch, the readers, export and the web app's
static files; the API token; and the limits on request heads and bodies."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from sitrep import web
from sitrep.api import create_app, write
from sitrep.ingest import read_input
from sitrep.models import Document, Extraction
from sitrep.service import expand_inputs
from sitrep.store import Store

TOKEN = "s3cret-t0ken-for-tests"
# Written for these tests, about real places.
REPORT = ("Russian forces shelled Nikopol from across the Dnipro on Sunday, damaging a school, "
          "the regional governor said.")
SECRET = "PRIVATE-NOTE: the analyst's own file, never to be ingested"


class StorePlainly:
    """A stand-in for the pipeline: documents stored with no claims (the paths are under test, not spaCy)."""

    def __init__(self, settings: object = None) -> None:
        pass

    def pipe(self, documents):
        return (Extraction(document=document) for document in documents)


@pytest.fixture()
def planted(tmp_path) -> tuple[Path, Path]:
    """An inbox with one report and links: to a secret outside it, to a folder outside it, and to the
    report itself (inside, so allowed)."""
    inbox, outside = tmp_path / "inbox", tmp_path / "outside"
    inbox.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    (inbox / "nikopol.txt").write_text(REPORT, encoding="utf-8")
    (inbox / "leak.txt").symlink_to(outside / "secret.txt")
    (inbox / "more").symlink_to(outside, target_is_directory=True)
    (inbox / "again.txt").symlink_to(inbox / "nikopol.txt")
    return inbox, outside


def all_text(store: Store) -> str:
    return "\n".join(document.text for document in store.documents())


# --- ingest: a directory walk does not follow links out of it -------------------------------------

def test_walk_refuses_links_out_of_the_directory_and_names_them(planted):
    inbox, _ = planted
    files, errors = expand_inputs([str(inbox)])
    assert files == [str(inbox / "again.txt"), str(inbox / "nikopol.txt")]
    refused = {error.source: error.message for error in errors}
    assert set(refused) == {str(inbox / "leak.txt"), str(inbox / "more")}
    assert all("symbolic link" in why and "outside" in why and "\n" not in why for why in refused.values())


def test_a_link_named_on_the_command_line_is_read(planted):
    inbox, _ = planted
    files, errors = expand_inputs([str(inbox / "leak.txt")])
    assert files == [str(inbox / "leak.txt")] and errors == []


def test_cli_ingest_of_a_planted_directory_stores_the_report_not_the_secret(planted, tmp_path, monkeypatch):
    from sitrep import pipeline as pipeline_module
    from sitrep.cli import app

    monkeypatch.setattr(pipeline_module, "Pipeline", StorePlainly)
    inbox, _ = planted
    db = tmp_path / "store.db"
    result = CliRunner().invoke(app, ["ingest", str(inbox), "--db", str(db), "--no-cluster"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "leak.txt" in result.output and "symbolic link" in result.output
    with Store.open(f"sqlite:///{db}") as store:
        assert store.counts()["documents"] == 1 and SECRET not in all_text(store)


def test_watch_refuses_a_planted_link_once_and_ingests_the_rest(planted, tmp_path, settings):
    from sitrep import watch

    inbox, _ = planted
    for path in inbox.iterdir():
        os.utime(path, (time.time() - 60,) * 2, follow_symlinks=False)  # settled: no waiting
    announced: list = []
    with Store.open(f"sqlite:///{tmp_path / 'watch.db'}") as store:
        report = watch.watch(str(inbox), store, StorePlainly, settings, once=True, on_ingest=announced.append)
        again = watch.watch(str(inbox), store, StorePlainly, settings, max_polls=2, interval=0.01)
        assert SECRET not in all_text(store) and store.counts()["documents"] == 1
        recorded = {error.source for error in store.errors()}
    assert report.errors == 2 and again.errors == 2  # each watcher names each link once
    refused = [error for ingested in announced for error in ingested.errors]
    assert {error.source for error in refused} == {str(inbox / "leak.txt"), str(inbox / "more")}
    assert {str(inbox / "leak.txt"), str(inbox / "more")} <= recorded


# --- the readers never open a path named inside the data ------------------------------------------

def test_feed_external_entities_are_not_read(tmp_path, settings):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    feed = tmp_path / "feed.xml"
    feed.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY leak SYSTEM "{secret.as_uri()}">]>
<rss version="2.0"><channel><title>Desk</title>
<item><guid>1</guid><title>Nikopol</title><description>{REPORT} &leak;</description></item>
</channel></rss>""", encoding="utf-8")
    dtd = tmp_path / "leak.dtd"
    dtd.write_text(f'<!ENTITY leak SYSTEM "{secret.as_uri()}">', encoding="utf-8")
    external = tmp_path / "external.xml"
    external.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE rss SYSTEM "{dtd.as_uri()}">
<rss version="2.0"><channel><title>Desk</title>
<item><guid>2</guid><title>Nikopol</title><description>{REPORT} &leak;</description></item>
</channel></rss>""", encoding="utf-8")
    for path in (feed, external):
        try:
            items = list(read_input(str(path), settings, "feed"))
        except Exception as error:  # noqa: BLE001 - refusing the feed is fine; reading the file is not
            items = [error]
        assert all(SECRET not in (item.text if isinstance(item, Document) else str(item)) for item in items)


def test_telegram_photo_and_file_fields_are_not_opened(tmp_path, settings):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    export = {"name": "Nikopol Desk", "type": "public_channel", "id": 7, "messages": [
        {"id": 1, "type": "message", "date": "2023-09-03T10:00:00", "text": REPORT,
         "photo": "../secret.txt", "file": str(secret), "thumbnail": secret.as_uri()}]}
    path = tmp_path / "chat" / "result.json"
    path.parent.mkdir()
    path.write_text(json.dumps(export), encoding="utf-8")
    documents = [item for item in read_input(str(path), settings, "telegram") if isinstance(item, Document)]
    assert len(documents) == 1 and SECRET not in documents[0].text


# --- export ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("format", ["acled-csv", "geojson", "kml", "parquet", "jsonl"])
def test_export_file_name_carries_no_user_input(format):
    client = TestClient(create_app(store=Store.memory()), raise_server_exceptions=False)
    hostile = 'x"; filename*=UTF-8\'\'..%2F..%2Fevil.sh\r\nSet-Cookie: a=b'
    response = client.get("/api/export", params={"format": format, "place": hostile, "q": hostile, "actor": hostile})
    assert response.status_code == 200
    extension = {"acled-csv": "csv", "geojson": "geojson", "kml": "kml", "parquet": "parquet", "jsonl": "jsonl"}
    assert response.headers["content-disposition"] == f'attachment; filename="sitrep-events.{extension[format]}"'
    assert "set-cookie" not in response.headers


def test_export_format_with_a_path_is_refused():
    client = TestClient(create_app(store=Store.memory()), raise_server_exceptions=False)
    response = client.get("/api/export", params={"format": "../../etc/passwd"})
    assert response.status_code == 422 and "content-disposition" not in response.headers


def test_failed_export_leaves_the_older_file_in_place(tmp_path, monkeypatch):
    from sitrep import export as exporter
    from sitrep.cli import app

    exports = tmp_path / "exports"
    exports.mkdir()
    target = exports / "events.jsonl"
    target.write_text("the older export\n", encoding="utf-8")

    def fail_half_way(format, events, stream, *_):
        stream.write(b'{"half": ')
        raise RuntimeError("interrupted half-way")

    monkeypatch.setattr(exporter, "write", fail_half_way)
    db = f"sqlite:///{tmp_path / 'empty.db'}"
    result = CliRunner().invoke(app, ["export", "--db", db, "--format", "jsonl", "--out", str(target)])
    assert result.exit_code == 3 and "Traceback" not in result.output
    assert target.read_text(encoding="utf-8") == "the older export\n"
    assert [path.name for path in exports.iterdir()] == ["events.jsonl"]  # no temporary left behind


# --- the web app's static files -------------------------------------------------------------------

class LiveServer:
    """uvicorn in a thread, configured as ``sitrep serve`` configures it, on 127.0.0.1 and a free port."""

    def __init__(self, app) -> None:
        import uvicorn

        from sitrep.commands.serve import SERVER_LIMITS

        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="critical", **SERVER_LIMITS)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline and self.thread.is_alive(), "the server did not start"
            time.sleep(0.02)
        self.port = self.server.servers[0].sockets[0].getsockname()[1]

    def raw(self, request: bytes) -> bytes:
        """Send bytes as they are (no client normalises the path) and read the answer to the end."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as connection:
            try:
                connection.sendall(request)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server answered and closed before taking it all
            answer = b""
            while chunk := _receive(connection):
                answer += chunk
        return answer

    def get(self, target: str) -> tuple[int, bytes]:
        answer = self.raw(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        return int(answer.split(b" ", 2)[1]), answer

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def _receive(connection: socket.socket) -> bytes:
    try:
        return connection.recv(65536)
    except ConnectionResetError:
        return b""


@pytest.fixture(scope="module")
def live() -> Iterator[LiveServer]:
    with Store.memory() as store:
        server = LiveServer(create_app(store=store, token=TOKEN))
        yield server
        server.stop()


# Files next to the static folder that a traversal would reach: web/__init__.py and the package's own.
TRAVERSALS = [
    "/static/../__init__.py", "/static/../../__init__.py", "/static/..%2f__init__.py", "/static/%2e%2e/__init__.py",
    "/static/%2e%2e%2f__init__.py", "/static/%2E%2E%2F%2E%2E%2Fsettings.py", "/static/..%5c__init__.py",
    "/static/....//....//__init__.py", "/static/%252e%252e%252f__init__.py", "/static//etc/passwd",
    "/static/%2fetc%2fpasswd", "/static/%2F..%2F..%2F__init__.py", "/vendor/../__init__.py",
    "/vendor/..%2f__init__.py", "/vendor/%2e%2e%2f%2e%2e%2fsettings.py", "/static/js/../../__init__.py",
    "/static/..;/__init__.py", "/static/%00../__init__.py",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_static_files_refuse_traversal(live, target):
    status, answer = live.get(target)
    assert status in (400, 404), answer[:200]
    assert b"def mount" not in answer and b"class Settings" not in answer and b"root:" not in answer


def test_static_files_are_still_served(live):
    status, answer = live.get("/static/app.js")
    assert status == 200 and b"import" in answer


def test_static_files_refuse_links_out_of_the_folder(tmp_path, monkeypatch):
    static, outside = tmp_path / "static", tmp_path / "outside"
    static.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    (static / "index.html").write_text("<!doctype html><title>map</title>", encoding="utf-8")
    (static / "app.js").write_text("// the page", encoding="utf-8")
    (static / "leak.txt").symlink_to(outside / "secret.txt")
    (static / "up").symlink_to(outside, target_is_directory=True)
    (static / "alias.js").symlink_to(static / "app.js")
    monkeypatch.setattr(web, "STATIC", static)
    client = TestClient(create_app(store=Store.memory()), raise_server_exceptions=False)
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/alias.js").status_code == 200  # a link inside the folder is fine
    for path in ("/static/leak.txt", "/static/up/secret.txt"):
        response = client.get(path)
        assert response.status_code == 404 and SECRET not in response.text


# --- the API token --------------------------------------------------------------------------------

@pytest.fixture()
def api(monkeypatch):
    monkeypatch.delenv("SITREP_API_TOKEN", raising=False)
    with Store.memory() as store:
        client = TestClient(create_app(store=store, token=TOKEN), raise_server_exceptions=False)
        client.app.state.writer.pipeline_factory = StorePlainly
        yield client


def test_token_is_compared_in_constant_time(api, monkeypatch):
    compared: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(given, expected):
        compared.append((given, expected))
        return real(given, expected)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    api.post("/api/documents", json={"text": REPORT}, headers={"Authorization": "Bearer wrong"})
    assert compared == [(b"wrong", TOKEN.encode())]


@pytest.mark.parametrize("query", [{"token": TOKEN}, {"access_token": TOKEN}, {"api_token": TOKEN},
                                   {"authorization": f"Bearer {TOKEN}"}])
def test_token_in_the_query_string_is_not_accepted(api, query):
    response = api.post("/api/documents", params=query, json={"text": REPORT})
    assert response.status_code == 401


@pytest.mark.parametrize("header", [f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", f"bearer  {TOKEN} extra",
                                    "Bearer \u00e9t\u00e9", f"Basic {TOKEN}", "Bearer"])
def test_wrong_tokens_are_refused_and_never_echoed(api, header, caplog):
    caplog.set_level(logging.DEBUG)
    response = api.post("/api/documents", json={"text": REPORT},
                        headers={"Authorization": header.encode("utf-8")})
    assert response.status_code == 401
    shown = response.text + json.dumps(dict(response.headers))
    assert TOKEN not in shown and TOKEN[:-1] not in shown and "\u00e9t" not in shown
    assert TOKEN[:-1] not in caplog.text


def test_token_is_not_logged_when_an_upload_fails(api, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)

    def broken(document):
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(api.app.state.writer, "ingest", broken)
    response = api.post("/api/documents", json={"text": REPORT}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 500 and TOKEN not in response.text
    assert "the disk went away" in caplog.text and TOKEN not in caplog.text


def test_right_token_stores_the_upload(api):
    response = api.post("/api/documents", json={"text": REPORT}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 201, response.text


# --- request size limits --------------------------------------------------------------------------

def post_streamed(app, chunks: Iterator[bytes], headers: list[tuple[bytes, bytes]]) -> tuple[int, int]:
    """POST /api/documents straight through ASGI with a body that arrives in chunks, as uvicorn
    hands over a chunked upload; returns the status and how many body bytes the app pulled."""
    pulled = 0
    status = 0

    async def receive():
        nonlocal pulled
        chunk = next(chunks, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        pulled += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message):
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": "/api/documents", "raw_path": b"/api/documents", "root_path": "", "query_string": b"",
             "headers": [(b"host", b"testserver"), (b"content-type", b"application/json"), *headers],
             "client": ("127.0.0.1", 5000), "server": ("testserver", 80)}
    asyncio.run(app(scope, receive, send))
    return status, pulled


def test_chunked_body_over_the_limit_is_refused_while_reading(api):
    chunk = b"a" * 65536
    endless = iter([b'{"text": "'] + [chunk] * 1000)  # 65 MB offered, no Content-Length
    status, pulled = post_streamed(api.app, endless, [(b"authorization", f"Bearer {TOKEN}".encode()),
                                                      (b"transfer-encoding", b"chunked")])
    assert status == 413
    assert write.MAX_BODY_BYTES < pulled <= write.MAX_BODY_BYTES + 2 * len(chunk)  # stopped at the limit


def test_body_is_not_read_before_the_token_is_checked(api):
    status, pulled = post_streamed(api.app, iter([b"a" * 65536] * 100), [(b"transfer-encoding", b"chunked")])
    assert status == 401 and pulled == 0


def test_declared_length_over_the_limit_is_refused_unread(api):
    status, pulled = post_streamed(api.app, iter([b"a" * 65536] * 100),
                                   [(b"authorization", f"Bearer {TOKEN}".encode()),
                                    (b"content-length", str(write.MAX_BODY_BYTES + 1).encode())])
    assert status == 413 and pulled == 0


def test_chunked_upload_over_the_limit_on_a_real_server(live):
    body = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in [b"a" * 65536] * 20) + b"0\r\n\r\n"
    answer = live.raw(b"POST /api/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      + f"Authorization: Bearer {TOKEN}\r\n".encode()
                      + b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + body)
    assert answer.startswith(b"HTTP/1.1 413")


@pytest.mark.parametrize("head", [b"X-Big: " + b"a" * 1_000_000 + b"\r\n",
                                  b"".join(b"X-Many-%d: a\r\n" % number for number in range(20_000))])
def test_oversized_request_head_is_refused_and_the_server_goes_on(live, head):
    answer = live.raw(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n" + head + b"Connection: close\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400") or answer == b""  # refused, or cut off while sending
    status, _ = live.get("/api/health")
    assert status == 200


# DNS rebinding: a server on loopback answers only loopback Host names (sitrep.api.hosts)


@pytest.mark.parametrize(("listen", "extra", "expected"), [
    ("127.0.0.1", (), {"localhost", "127.0.0.1", "::1"}),
    ("::1", (), {"localhost", "127.0.0.1", "::1"}),
    ("localhost", ("Analyst.Local",), {"localhost", "127.0.0.1", "::1", "analyst.local"}),
    ("0.0.0.0", (), None),
    ("10.0.0.5", ("sitrep.example.org",), {"sitrep.example.org"}),
])
def test_served_host_names(listen, extra, expected):
    from sitrep.api.hosts import serving_hosts

    assert serving_hosts(listen, extra) == (frozenset(expected) if expected else None)


@pytest.mark.parametrize(("header", "name"), [("127.0.0.1:8000", "127.0.0.1"), ("[::1]:8000", "::1"),
                                              ("LOCALHOST", "localhost"), ("::1", "::1"), ("evil.example:80",
                                                                                         "evil.example")])
def test_host_header_name(header, name):
    from sitrep.api.hosts import host_name

    assert host_name(header) == name


def test_loopback_server_refuses_a_rebound_host_name():
    from sitrep.api.hosts import serving_hosts

    with Store.memory() as memory:
        app = create_app(store=memory, allowed_hosts=serving_hosts("127.0.0.1"))
        assert TestClient(app, base_url="http://127.0.0.1:8000").get("/api/health").status_code == 200
        assert TestClient(app, base_url="http://localhost:8000").get("/").status_code == 200
        refused = TestClient(app, base_url="http://attacker.example:8000").get("/api/health")
        assert refused.status_code == 400
        assert refused.json()["error"]["code"] == "bad_request"
        assert "attacker.example" in refused.json()["error"]["message"]
