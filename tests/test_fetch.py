"""Fetching URLs (sitrep.fetch) and following feeds without SSRF: no loopback, private or other
non-public address unless allowed, on the first request and on every redirect; http(s) only; the
connection pinned to the address that was checked."""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from sitrep import follow
from sitrep.errors import InputError
from sitrep.fetch import UrlPolicy, UrlRefused, address_problem, check_url, fetch_url
from sitrep.models import Extraction

# Written for these tests, about real places.
FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Dnipro Desk</title><link>https://dnipro-desk.example/</link>
<item><guid>dd-7</guid><title>Strike on Pavlohrad</title><pubDate>Tue, 12 Sep 2023 08:00:00 GMT</pubDate>
<description>A Russian missile struck an industrial site in Pavlohrad overnight, the regional governor
said on Tuesday. Two workers were injured.</description></item>
</channel></rss>
"""
LOOPBACK_ONLY = UrlPolicy(allowed_networks=(ipaddress.ip_network("127.0.0.1/32"),))


class FeedServer:
    """A tiny HTTP server on 127.0.0.1: ``routes`` maps a path to (status, headers, body)."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {"/feed.xml": (200, {}, FEED)}
        self.hosts: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                server.hosts.append(self.headers.get("Host", ""))
                status, headers, body = server.routes.get(self.path, (404, {}, b"not here"))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"

    def redirect(self, path: str, target: str) -> None:
        self.routes[path] = (302, {"Location": target}, b"")


@pytest.fixture()
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    thread = threading.Thread(target=server.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


# --- which addresses ------------------------------------------------------------------------------

@pytest.mark.parametrize(("address", "kind"), [
    ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"),
    ("10.0.0.5", "private"), ("172.16.3.4", "private"), ("192.168.1.1", "private"), ("fd12:3456::1", "private"),
    ("169.254.169.254", "link-local"), ("fe80::1", "link-local"), ("fe80::1%eth0", "link-local"),
    ("224.0.0.251", "multicast"), ("ff02::1", "multicast"),
    ("0.0.0.0", "unspecified"), ("::", "unspecified"), ("240.0.0.1", "reserved"), ("255.255.255.255", "reserved"),
    ("100.64.0.1", "non-public"), ("192.0.2.10", "private"), ("198.18.0.1", "private"),
    ("::ffff:127.0.0.1", "loopback"), ("::ffff:10.1.1.1", "private"), ("2002:a9fe:a9fe::1", "link-local"),
    ("64:ff9b::c0a8:101", "private"), ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "private"),
])
def test_non_public_addresses_are_refused(address, kind):
    why = UrlPolicy().problem(address)
    assert why is not None and kind in why


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2001:4860:4860::8888", "::ffff:8.8.4.4",
                                     "64:ff9b::808:808", "2002:808:808::1"])
def test_public_addresses_pass(address):
    assert UrlPolicy().problem(address) is None
    assert address_problem(ipaddress.ip_address(address)) is None


def test_allowing_private_addresses_lifts_the_check():
    assert UrlPolicy(allow_private=True).problem("127.0.0.1") is None
    assert LOOPBACK_ONLY.problem("127.0.0.1") is None and LOOPBACK_ONLY.problem("127.0.0.2") is not None


# --- what a URL says ------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://ftp.example.org/feed.xml", "gopher://example.org/",
                                 "data://text/plain,hello", "jar:http://example.org/x", "http:///feed.xml",
                                 "http://[::1]:8080/feed.xml", "http://[::ffff:7f00:1]/feed.xml",
                                 "http://169.254.169.254/latest/meta-data/", "https://10.0.0.1/feed",
                                 "http://example.org:99999/feed"])
def test_urls_refused_by_what_they_say(url):
    with pytest.raises(UrlRefused) as refused:
        check_url(url, UrlPolicy())
    assert refused.value.source == url and "refused" in refused.value.cause


@pytest.mark.parametrize("url", ["http://localhost:9/feed.xml", "http://0x7f000001:9/feed.xml",
                                 "http://2130706433:9/feed.xml", "http://127.1:9/feed.xml"])
def test_names_and_odd_spellings_of_loopback_are_refused_after_resolving(url):
    # The system resolver turns these into 127.0.0.1 (or ::1); nothing is connected to.
    with pytest.raises(UrlRefused, match="loopback"):
        fetch_url(url, UrlPolicy(), max_bytes=1000, timeout=2)


def test_a_name_resolving_to_a_private_address_is_refused():
    calls: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        calls.append(host)
        return ["93.184.215.14", "10.20.30.40"]  # one public, one private answer: refused

    with pytest.raises(UrlRefused) as refused:
        fetch_url("http://feeds.dnipro-desk.example/rss", UrlPolicy(resolver=resolver), max_bytes=1000, timeout=2)
    message = str(refused.value)
    assert calls == ["feeds.dnipro-desk.example"]
    assert message.startswith("http://feeds.dnipro-desk.example/rss: refused")
    assert "10.20.30.40" in message and "private" in message and "SITREP_ALLOW_PRIVATE_URLS=1" in message
    assert "\n" not in message


# --- against a real server on loopback ------------------------------------------------------------

def test_loopback_feed_is_refused_by_default_and_read_when_allowed(feed_server, settings):
    url = f"{feed_server.base}/feed.xml"
    with pytest.raises(UrlRefused, match="--allow-private-urls"):
        follow.fetch(url, settings)
    assert feed_server.hosts == []  # refused before connecting
    assert follow.fetch(url, settings.with_overrides(allow_private_urls=True)) == FEED


def test_environment_variable_allows_private_addresses(monkeypatch):
    from sitrep.settings import settings_from_env

    monkeypatch.setenv("SITREP_ALLOW_PRIVATE_URLS", "1")
    assert settings_from_env().allow_private_urls
    monkeypatch.setenv("SITREP_ALLOW_PRIVATE_URLS", "0")
    assert not settings_from_env().allow_private_urls


@pytest.mark.parametrize("target", ["http://10.9.8.7/feed.xml", "http://127.0.0.2:{port}/feed.xml",
                                    "http://intranet.dnipro-desk.example:{port}/feed.xml",
                                    "ftp://127.0.0.1/feed.xml"])
def test_redirect_to_a_private_address_or_other_scheme_is_refused(feed_server, target):
    # 127.0.0.1 itself is allowed here, so only the redirect's target is at stake.
    feed_server.redirect("/moved.xml", target.format(port=feed_server.port))
    policy = UrlPolicy(allowed_networks=LOOPBACK_ONLY.allowed_networks,
                       resolver=lambda host, port: ["10.0.0.7"] if "intranet" in host else [host])
    url = f"{feed_server.base}/moved.xml"
    with pytest.raises(UrlRefused) as refused:
        fetch_url(url, policy, max_bytes=100_000, timeout=5)
    assert str(refused.value).startswith(f"{url}: refused") and "redirect" in str(refused.value)
    assert len(feed_server.hosts) == 1  # the redirect was never requested


def test_redirect_to_a_file_url_is_not_followed(feed_server, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the analyst's notes", encoding="utf-8")
    feed_server.redirect("/moved.xml", secret.as_uri())
    with pytest.raises(InputError) as failed:
        fetch_url(f"{feed_server.base}/moved.xml", LOOPBACK_ONLY, max_bytes=100_000, timeout=5)
    assert "analyst" not in str(failed.value)


def test_allowed_redirects_are_followed(feed_server):
    feed_server.redirect("/old.xml", "/feed.xml")
    assert fetch_url(f"{feed_server.base}/old.xml", LOOPBACK_ONLY, max_bytes=100_000, timeout=5) == FEED


def test_connection_goes_to_the_checked_address(feed_server):
    """Pinning: the name is resolved once, by the policy's resolver, and the socket connects to that
    address; the system resolver, which does not know the name, is never asked."""
    calls: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        calls.append(host)
        return ["127.0.0.1"]

    url = f"http://pinned.invalid:{feed_server.port}/feed.xml"
    policy = UrlPolicy(allowed_networks=LOOPBACK_ONLY.allowed_networks, resolver=resolver)
    assert fetch_url(url, policy, max_bytes=100_000, timeout=5) == FEED
    assert calls == ["pinned.invalid"] and feed_server.hosts == [f"pinned.invalid:{feed_server.port}"]


def test_a_feed_over_the_size_cap_is_cut_and_refused(feed_server, settings, monkeypatch):
    monkeypatch.setattr(follow, "MAX_FEED_BYTES", 100)
    with pytest.raises(InputError, match="over"):
        follow.fetch(f"{feed_server.base}/feed.xml", settings.with_overrides(allow_private_urls=True))


# --- the command line -----------------------------------------------------------------------------

class StorePlainly:
    """A stand-in for the pipeline: the entries' documents with no claims (the fetch is under test, not spaCy)."""

    def __init__(self, settings: object) -> None:
        pass

    def pipe(self, documents):
        return (Extraction(document=document) for document in documents)


def test_cli_follow_refuses_loopback_and_reads_it_with_the_switch(feed_server, tmp_path, monkeypatch):
    from sitrep import pipeline as pipeline_module
    from sitrep.cli import app

    monkeypatch.delenv("SITREP_ALLOW_PRIVATE_URLS", raising=False)
    monkeypatch.setattr(pipeline_module, "Pipeline", StorePlainly)
    url, db = f"{feed_server.base}/feed.xml", str(tmp_path / "store.db")
    runner = CliRunner()
    refused = runner.invoke(app, ["ingest", "--follow", url, "--db", db, "--max-polls", "1"])
    allowed = runner.invoke(app, ["ingest", "--follow", url, "--db", db, "--max-polls", "1", "--allow-private-urls",
                                  "--no-cluster"])
    assert refused.exit_code == 2 and "Traceback" not in refused.output
    line = refused.output.strip().splitlines()[-1]
    assert line.startswith(f"sitrep: {url}: refused") and "127.0.0.1 is a loopback address" in line
    assert "--allow-private-urls" in line and "SITREP_ALLOW_PRIVATE_URLS=1" in line
    assert allowed.exit_code == 0 and "1 new entries, 1 new documents" in allowed.output, allowed.output


def test_cli_follow_refuses_a_file_url(tmp_path):
    from sitrep.cli import app

    result = CliRunner().invoke(app, ["ingest", "--follow", "file:///etc/passwd", "--db", str(tmp_path / "s.db"),
                                      "--max-polls", "1"])
    assert result.exit_code == 2 and "only http and https" in result.output and "root:" not in result.output


def test_gazetteer_download_is_refused_on_loopback(feed_server, settings):
    from sitrep.gazetteer import geonames

    with pytest.raises(UrlRefused, match="loopback"):
        geonames.add_country("UA", f"{feed_server.base}/UA.zip", settings)
    assert feed_server.hosts == []
