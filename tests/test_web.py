"""The analyst web map in a real headless Chromium (Debian's), driven by Playwright over a live server.

The store is filled with hand-built records (no spaCy), each written for these tests with real place
names. Expected counts come from the API itself, so the page is checked against the server's own
filters rather than against numbers written here. The first tests need no browser: the page's headers,
the missing-assets page and the tile setting.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from sitrep import corroborate, web
from sitrep.errors import ConfigError
from sitrep.ingest.base import document_id
from sitrep.models import Actor, Claim, Document, Event, EventDate, Extraction, Place, Source
from sitrep.store import Store

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
LOCAL_HOST = "127.0.0.1"
READY = "body[data-ready=true]"


def _browser_missing() -> str | None:
    if not CHROMIUM.exists():
        return "no /usr/bin/chromium: run make setup (scripts/setup-system.sh installs Debian's chromium)"
    if not web.assets_built():
        return "web assets not built: run make setup (scripts/build-web.sh)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed: pip install -e '.[test]'"
    return None


def _skip_without_browser() -> None:
    """Skip, or fail where ``make test`` set SITREP_REQUIRE_BROWSER=1 (its setup installed Chromium)."""
    missing = _browser_missing()
    if missing is None:
        return
    if os.environ.get("SITREP_REQUIRE_BROWSER", "") not in ("", "0"):
        pytest.fail(f"SITREP_REQUIRE_BROWSER is set but the browser tests cannot run: {missing}", pytrace=False)
    pytest.skip(missing)


# ---- records -------------------------------------------------------------------------------------

def place(geonameid: int, name: str, admin1: str, lat: float, lon: float) -> dict:
    return {"geonameid": geonameid, "name": name, "feature": "PPL", "admin1": admin1, "country": "UA",
            "lat": lat, "lon": lon, "precision": 1}


# Real towns, far enough apart that at zoom 8 no two markers cluster; the ids are the tests' own.
BAKHMUT = place(9100001, "Bakhmut", "Donetsk", 48.5956, 38.0003)
ORIKHIV = place(9100002, "Orikhiv", "Zaporizhzhia", 47.5675, 35.7848)
KUPIANSK = place(9100003, "Kupiansk", "Kharkiv", 49.7106, 37.6156)
KHERSON = place(9100004, "Kherson", "Kherson", 46.6354, 32.6169)
VUHLEDAR = place(9100005, "Vuhledar", "Donetsk", 47.7808, 37.2478)
KHARKIV = place(9100006, "Kharkiv", "Kharkiv", 49.9935, 36.2304)

MOD = Source(name="Russian Ministry of Defence", kind="military", side="RU")
GOVERNOR = Source(name="regional governor", kind="official", side="UA", role="head of the military administration")
BLOGGER = Source(name="Southern Front Z", kind="milblogger", side="RU", channel="telegram")
NARRATOR = Source(name="narrator", kind="narrator")
SYNIEHUBOV = Source(name="Олег Синєгубов", name_latin="Oleh Syniehubov", kind="government", side="UA",
                    role="начальник Харківської ОВА")

HOSTILE_SOURCE = '<script>alert("source")</script>Brigade <img src=x onerror=alert(2)>'
HOSTILE_OUTLET = '<img src=x onerror=alert(1)>Frontline <b>News</b>'
HOSTILE_URL = "javascript:alert(document.domain)"
# The quote sits after an emoji and a hostile tag: offsets count code points (Python), and the page
# must still mark exactly the claim's words.
HOSTILE_TEXT = ("\U0001F6A8\U0001F525 Breaking <img src=x onerror=alert(3)><script>alert(4)</script>\n"
                "Shelling hit the railway station in Kupiansk overnight, the channel said. "
                "<a href=\"javascript:alert(5)\">more</a>")
HOSTILE_SENTENCE = "Shelling hit the railway station in Kupiansk overnight, the channel said."


def record(text: str, sentence: str, source: Source, where: dict | None, day: dt.date, *, outlet: str = "Test Wire",
           url: str | None = None, event_type: str = "Battles", sub_type: str = "Armed clash",
           fatalities: int | None = None, actor1: str | None = None, mention: str | None = None) -> Extraction:
    """A one-claim extraction record: ``sentence`` inside ``text``, its event at ``where`` on ``day``."""
    doc_id = document_id(text)
    start = text.index(sentence)
    places = []
    if where is not None:
        mention = mention or where["name"]
        at = text.index(mention)
        places.append(Place(mention=mention, start=at, end=at + len(mention), **where))
    event = Event(event_type=event_type, sub_event_type=sub_type, fatalities=fatalities,
                  place=0 if places else None, date=EventDate(start=day, end=day, precision="day"),
                  actor1=Actor(name=actor1, side=actor1) if actor1 else None)
    claim = Claim(id=f"{doc_id}:{start}-{start + len(sentence)}", start=start, end=start + len(sentence),
                  text=sentence, confidence=0.7, source=source, event=event)
    document = Document(id=doc_id, source=f"test#{doc_id[:6]}", text=text, published=day, outlet=outlet, url=url,
                        channel="web")
    return Extraction(document=document, places=places, claims=[claim])


def sample_records() -> list[Extraction]:
    shelling = {"event_type": "Explosions/Remote violence", "sub_type": "Shelling/artillery/missile attack"}
    low = "Two civilians were killed when Russian rockets hit Orikhiv, the regional governor said."
    high = "More than thirty soldiers were killed when rockets hit Orikhiv, a Russian channel claimed."
    bakhmut = "Russian troops captured Bakhmut after months of fighting, the Russian defence ministry claimed."
    kherson = "Artillery struck a residential quarter of Kherson in the afternoon, local officials reported."
    vuhledar = "Ukrainian troops repelled a mechanised assault south of Vuhledar, a brigade officer said."
    # A Ukrainian report: the map shows its original words and its speaker in both scripts.
    kharkiv = "Ракета пошкодила склад на околиці Харкова перед світанком, написав Олег Синєгубов."
    unplaced = "Heavy fighting went on along the whole front, the narrator wrote."
    return [
        record(bakhmut, bakhmut, MOD, BAKHMUT, dt.date(2023, 5, 20), outlet="Wire One", actor1="RU"),
        record(low, low, GOVERNOR, ORIKHIV, dt.date(2023, 6, 10), fatalities=2, outlet="Paper A",
               url="https://example.org/orikhiv-a", **shelling),
        record(high, high, BLOGGER, ORIKHIV, dt.date(2023, 6, 10), fatalities=30, outlet="Channel B", **shelling),
        record(HOSTILE_TEXT, HOSTILE_SENTENCE, Source(name=HOSTILE_SOURCE, kind="milblogger", side="unknown"),
               KUPIANSK, dt.date(2023, 7, 5), outlet=HOSTILE_OUTLET, url=HOSTILE_URL, **shelling),
        record(kharkiv, kharkiv, SYNIEHUBOV, KHARKIV, dt.date(2023, 7, 21), outlet="Paper C",
               url="https://example.org/kharkiv", mention="Харкова", **shelling),
        record(kherson, kherson, NARRATOR, KHERSON, dt.date(2023, 8, 3), outlet="Paper D", **shelling),
        record(vuhledar, vuhledar, NARRATOR, VUHLEDAR, dt.date(2023, 9, 14), outlet="Paper E", actor1="UA"),
        record(unplaced, unplaced, NARRATOR, None, dt.date(2023, 9, 20), outlet="Paper F"),
    ]


# ---- live server ---------------------------------------------------------------------------------

class LiveServer:
    """uvicorn in a thread over create_app(store=...), on 127.0.0.1 and a free port."""

    def __init__(self, store: Store):
        import uvicorn

        from sitrep.api import create_app

        with socket.socket() as probe:
            probe.bind((LOCAL_HOST, 0))
            self.port = probe.getsockname()[1]
        self.database = store.name  # the path that no answer may name (issue #16)
        config = uvicorn.Config(create_app(store=store), host=LOCAL_HOST, port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{LOCAL_HOST}:{self.port}"

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def api(self, path: str, **params: str) -> dict:
        response = httpx.get(self.url + path, params=params, timeout=10)
        response.raise_for_status()
        return response.json()

    def mapped_events(self, **filters: str) -> list[dict]:
        """Every event the API lists for these filters that has coordinates (what the map can show)."""
        items, cursor = [], None
        while True:
            page = self.api("/api/events", view="compact", limit="5000", **filters, **({"cursor": cursor} if cursor else {}))
            items += page["items"]
            cursor = page["next"]
            if not cursor:
                return [item for item in items if item["lat"] is not None and item["lon"] is not None]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    _skip_without_browser()
    # A SQLite file, as `sitrep serve` uses: the page sends requests in parallel, and an in-memory
    # store shares one connection between the server's threads.
    with Store.open(f"sqlite:///{tmp_path_factory.mktemp('web')}/web.db") as store:
        for extraction in sample_records():
            store.add(extraction)
        corroborate.update(store)
        with LiveServer(store) as live:
            yield live


@pytest.fixture(scope="module")
def browser():
    _skip_without_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Guarded:
    """A browser page that records dialogs, page errors, CSP reports and every request that would
    leave 127.0.0.1 (those are aborted)."""

    def __init__(self, browser, width: int = 1280, height: int = 800):
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.off_host: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", self._console)

    def _route(self, route) -> None:
        if urlsplit(route.request.url).hostname == LOCAL_HOST:
            route.continue_()
        else:
            self.off_host.append(route.request.url)
            route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _console(self, message) -> None:
        if message.type == "error" or "Content Security Policy" in message.text:
            self.errors.append(message.text)

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_selector(READY, state="attached", timeout=20_000)

    def count(self) -> int:
        return int(self.page.get_attribute("#count", "data-count"))

    def markers_on_map(self) -> int:
        """Events drawn: single markers plus the events inside each cluster icon."""
        singles = self.page.locator(".leaflet-marker-icon.ev").count()
        clustered = sum(int(text) for text in self.page.locator(".marker-cluster span").all_inner_texts() if text.strip())
        return singles + clustered

    def query(self) -> dict[str, str]:
        return {key: values[0] for key, values in parse_qs(urlsplit(self.page.url).query).items()}

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def guarded(browser):
    page = Guarded(browser)
    yield page
    try:
        assert page.off_host == [], f"requests left {LOCAL_HOST}: {page.off_host}"
        assert page.dialogs == [], f"a dialog fired: {page.dialogs}"
        assert page.errors == [], f"the page logged errors: {page.errors}"
    finally:
        page.close()


def open_event(guarded: Guarded, server: LiveServer, event_id: str) -> None:
    """Click the event's marker on the map (zoomed so that it stands alone) and wait for its quote."""
    event = next(item for item in server.mapped_events() if item["id"] == event_id)
    guarded.open(f"{server.url}/?lat={event['lat']}&lon={event['lon']}&z=9")
    guarded.page.locator(f".leaflet-marker-icon[data-event-id='{event_id}']").click()
    guarded.page.wait_for_selector("#panel .claim mark", timeout=10_000)


def event_at(server: LiveServer, name: str) -> dict:
    return next(item for item in server.mapped_events() if item["place"] == name)


# ---- without a browser ---------------------------------------------------------------------------

@pytest.fixture()
def client():
    from sitrep.api import create_app

    with Store.memory() as store:
        yield TestClient(create_app(store=store))


def test_page_has_security_headers(client, monkeypatch):
    monkeypatch.setattr(web, "assets_built", lambda: True)
    response = client.get("/")
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "http" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    scripts = re.findall(r"<script\b[^>]*>", response.text)
    assert scripts and all(re.search(r'src="/(static|vendor)/', tag) for tag in scripts)  # no inline script
    assert client.get("/static/app.js").headers["x-content-type-options"] == "nosniff"


def test_missing_assets_page_says_what_to_run(client, monkeypatch):
    monkeypatch.setattr(web, "assets_built", lambda: False)
    response = client.get("/")
    assert response.status_code == 503
    assert "web assets missing: run make setup" in response.text
    assert client.get("/web-config.json").json()["assets"] is False


def test_tiles_are_off_by_default_and_only_their_host_is_allowed(monkeypatch):
    from fastapi import FastAPI

    monkeypatch.delenv(web.TILES_ENV, raising=False)
    plain = FastAPI()
    web.mount(plain)
    assert TestClient(plain).get("/web-config.json").json()["tiles"] is None
    monkeypatch.setenv(web.TILES_ENV, "https://tiles.example.org/{z}/{x}/{y}.png")
    tiled = FastAPI()
    web.mount(tiled)
    client = TestClient(tiled)
    assert client.get("/web-config.json").json()["tiles"] == "https://tiles.example.org/{z}/{x}/{y}.png"
    assert "img-src 'self' data: https://tiles.example.org;" in client.get("/static/app.js").headers[
        "content-security-policy"]


@pytest.mark.parametrize("value", ["javascript:alert(1)", "tiles.example.org/{z}/{x}/{y}.png",
                                   "https://tiles.example.org/tile.png", "https:///{z}/{x}/{y}"])
def test_bad_tile_setting_is_a_config_error(value):
    with pytest.raises(ConfigError, match="tile URL"):
        web.tile_template(value)


def test_api_docs_page_names_only_this_server(client, monkeypatch):
    from sitrep.api import docs

    monkeypatch.setattr(docs, "assets_built", lambda: True)
    response = client.get("/docs")
    assert response.status_code == 200
    urls = re.findall(r'(?:src|href)="([^"]*)"|url: \'([^\']*)\'', response.text)
    assert urls and all(url.startswith("/") for pair in urls for url in pair if url), urls
    policy = response.headers["content-security-policy"]
    assert "http" not in policy and "unsafe-inline" not in policy
    # The one inline script (Swagger UI's start) runs by its hash, and only it.
    assert [f"'sha256-{digest}'" for digest in docs.inline_script_hashes(response.text)] == \
        re.findall(r"'sha256-[^']+'", policy)
    assert client.get("/redoc").status_code == 404  # FastAPI's ReDoc page loads from a CDN


def test_api_docs_without_assets_say_what_to_run(client, monkeypatch):
    from sitrep.api import docs

    monkeypatch.setattr(docs, "assets_built", lambda: False)
    response = client.get("/docs")
    assert response.status_code == 503 and "run make setup" in response.text


# ---- in the browser ------------------------------------------------------------------------------

def test_page_loads_with_every_mapped_event(guarded, server):
    guarded.open(server.url + "/")
    expected = len(server.mapped_events())
    assert expected >= 6
    assert guarded.count() == expected
    assert guarded.page.text_content("#count") == f"{expected} events shown"
    assert guarded.markers_on_map() == expected
    guarded.page.wait_for_selector(".leaflet-outlines-pane canvas", state="attached")


def test_date_inputs_filter_markers_and_count(guarded, server):
    guarded.open(server.url + "/?z=6")
    everything = guarded.count()
    guarded.page.fill("#since", "2023-06-01")
    guarded.page.fill("#until", "2023-07-31")
    guarded.page.dispatch_event("#until", "change")
    expected = len(server.mapped_events(since="2023-06-01", until="2023-07-31"))
    assert 0 < expected < everything
    guarded.page.wait_for_function("n => document.getElementById('count').dataset.count === String(n)", arg=expected)
    assert guarded.markers_on_map() == expected
    assert guarded.query()["since"] == "2023-06-01" and guarded.query()["until"] == "2023-07-31"


@pytest.mark.parametrize(("field", "value"), [("#filter-side", "RU"), ("#filter-source-kind", "official"),
                                               ("#filter-q", "railway")])
def test_filters_ask_the_api_and_count_what_it_returns(guarded, server, field, value):
    guarded.open(server.url + "/?z=6")
    everything = guarded.count()
    if field == "#filter-q":
        guarded.page.fill(field, value)
    else:
        guarded.page.select_option(field, value)
    guarded.page.click("#filters button[type=submit]")
    name = {"#filter-side": "side", "#filter-source-kind": "source_kind", "#filter-q": "q"}[field]
    expected = len(server.mapped_events(**{name: value}))
    assert 0 < expected < everything
    guarded.page.wait_for_function("n => document.getElementById('count').dataset.count === String(n)", arg=expected)
    assert guarded.markers_on_map() == expected
    assert guarded.query()[name] == value


def unmapped_in_range(server: LiveServer, since: str = "", until: str = "") -> int:
    """Events the API lists without coordinates whose days meet the range (as the page selects them)."""
    found = server.api("/api/events", view="compact", limit="5000")["items"]
    return sum(1 for item in found if item["lat"] is None and item["start"]
               and (not since or (item["end"] or item["start"]) >= since) and (not until or item["start"] <= until))


@pytest.mark.parametrize(("since", "until"), [("2023-06-01", "2023-07-31"), ("2023-09-15", "")])
def test_events_without_coordinates_are_counted_within_the_dates(guarded, server, since, until):
    guarded.open(f"{server.url}/?z=6&since={since}&until={until}")
    unmapped = unmapped_in_range(server, since, until)
    status = guarded.page.text_content("#status")
    if unmapped:
        assert status == f"{unmapped} without coordinates not mapped"
    else:
        assert "without coordinates" not in status
    assert unmapped_in_range(server) == 1  # the test's one unplaced report, dated 2023-09-20


@pytest.mark.parametrize(("query", "message"), [("q=nothing-like-this", "no events match these filters"),
                                                ("since=2030-01-01", "no events in the selected dates")])
def test_zero_results_say_so(guarded, server, query, message):
    guarded.open(f"{server.url}/?z=6&{query}")
    assert guarded.count() == 0
    assert guarded.page.text_content("#status") == message
    if query.startswith("q="):  # the histogram is empty: it says so rather than vanish
        assert guarded.page.get_attribute("#histogram", "data-empty") == "true"


def test_count_is_hidden_while_the_events_layer_is_off(guarded, server):
    guarded.open(f"{server.url}/?z=6&layers=outlines,places")
    assert guarded.page.locator("#count").is_hidden()
    assert "without coordinates" not in guarded.page.text_content("#status")
    guarded.page.check("#layers input[name=events]")
    guarded.page.wait_for_selector("#count", state="visible")
    assert guarded.count() == len(server.mapped_events())


def test_brush_on_the_timeline_selects_a_range(guarded, server):
    guarded.open(server.url + "/?z=6")
    box = guarded.page.locator("#histogram").bounding_box()
    y = box["y"] + box["height"] / 2
    guarded.page.mouse.move(box["x"] + box["width"] * 0.30, y)
    guarded.page.mouse.down()
    guarded.page.mouse.move(box["x"] + box["width"] * 0.50, y, steps=5)
    guarded.page.mouse.move(box["x"] + box["width"] * 0.70, y, steps=5)
    guarded.page.mouse.up()
    since, until = guarded.page.input_value("#since"), guarded.page.input_value("#until")
    assert since and until and since < until
    expected = len(server.mapped_events(since=since, until=until))
    assert guarded.count() == expected == guarded.markers_on_map()
    assert (guarded.query()["since"], guarded.query()["until"]) == (since, until)


def test_clicking_a_marker_shows_its_claims_with_the_quote_highlighted(guarded, server):
    kupiansk = event_at(server, "Kupiansk")
    open_event(guarded, server, kupiansk["id"])
    detail = server.api(f"/api/events/{kupiansk['id']}")
    [claim] = detail["event"]["claims"]
    text = server.api(f"/api/documents/{claim['document_id']}")["text"]
    assert guarded.page.text_content("#panel .claim mark") == text[claim["start"]:claim["end"]]
    assert guarded.query()["event"] == kupiansk["id"]
    header = guarded.page.text_content("#panel .event-header")
    assert "Kupiansk" in header and "Explosions/Remote violence" in header


def test_a_cyrillic_report_shows_its_original_words_and_its_speaker_in_latin_letters(guarded, server):
    kharkiv = event_at(server, "Kharkiv")
    open_event(guarded, server, kharkiv["id"])
    assert guarded.page.text_content("#panel .claim mark") == \
        "Ракета пошкодила склад на околиці Харкова перед світанком, написав Олег Синєгубов."
    speaker = guarded.page.text_content("#panel .claim .source")
    assert "Олег Синєгубов" in speaker and "(Oleh Syniehubov)" in speaker


def test_enter_on_a_focused_marker_opens_the_panel(guarded, server):
    kherson = event_at(server, "Kherson")
    guarded.open(f"{server.url}/?lat={kherson['lat']}&lon={kherson['lon']}&z=9")
    guarded.page.locator(f".leaflet-marker-icon[data-event-id='{kherson['id']}']").focus()
    guarded.page.keyboard.press("Enter")
    guarded.page.wait_for_selector("#panel .claim mark")
    assert guarded.page.get_attribute("#panel", "data-event-id") == kherson["id"]


def test_contradicting_claims_appear_side_by_side(guarded, server):
    orikhiv = event_at(server, "Orikhiv")
    open_event(guarded, server, orikhiv["id"])
    statements = guarded.page.locator("#panel .contradiction .side-by-side .statement")
    assert statements.count() == 2
    first, second = (statements.nth(i).bounding_box() for i in range(2))
    assert abs(first["y"] - second["y"]) < 2 and second["x"] > first["x"] + first["width"] / 2
    readings = {text.strip() for text in guarded.page.locator("#panel .statement .reading").all_inner_texts()}
    expected = {s["reading"] for c in server.api(f"/api/events/{orikhiv['id']}")["contradictions"] for s in c["statements"]}
    assert readings == expected
    link = guarded.page.locator("#panel .claim a[href='https://example.org/orikhiv-a']")
    assert link.get_attribute("rel") == "noopener noreferrer" and link.get_attribute("target") == "_blank"


def test_reload_restores_range_filters_and_selected_event(guarded, server):
    orikhiv = event_at(server, "Orikhiv")
    open_event(guarded, server, orikhiv["id"])
    guarded.page.select_option("#filter-type", "Explosions/Remote violence")
    guarded.page.click("#filters button[type=submit]")
    guarded.page.fill("#since", "2023-06-01")
    guarded.page.fill("#until", "2023-08-31")
    guarded.page.dispatch_event("#until", "change")
    expected = len(server.mapped_events(since="2023-06-01", until="2023-08-31", type="Explosions/Remote violence"))
    guarded.page.wait_for_function("n => document.getElementById('count').dataset.count === String(n)", arg=expected)
    before = guarded.page.url
    guarded.page.reload()
    guarded.page.wait_for_selector(READY, state="attached")
    guarded.page.wait_for_selector("#panel .claim mark")
    assert guarded.page.url == before
    assert guarded.page.input_value("#since") == "2023-06-01" and guarded.page.input_value("#until") == "2023-08-31"
    assert guarded.page.input_value("#filter-type") == "Explosions/Remote violence"
    assert guarded.count() == expected
    assert guarded.page.get_attribute("#panel", "data-event-id") == orikhiv["id"]


def test_back_and_forward_walk_the_state(guarded, server):
    guarded.open(server.url + "/?z=6")
    everything = guarded.count()
    guarded.page.fill("#since", "2023-09-01")
    guarded.page.dispatch_event("#since", "change")
    later = len(server.mapped_events(since="2023-09-01"))
    guarded.page.wait_for_function("n => document.getElementById('count').dataset.count === String(n)", arg=later)
    guarded.page.go_back()
    guarded.page.wait_for_function("n => document.getElementById('count').dataset.count === String(n)", arg=everything)
    assert guarded.page.input_value("#since") == ""
    guarded.page.go_forward()
    guarded.page.wait_for_function("n => document.getElementById('count').dataset.count === String(n)", arg=later)
    assert guarded.page.input_value("#since") == "2023-09-01"


def test_hostile_text_outlet_source_and_url_render_as_text(guarded, server):
    kupiansk = event_at(server, "Kupiansk")
    open_event(guarded, server, kupiansk["id"])
    panel = guarded.page.locator("#panel")
    assert panel.locator("img, script, iframe, b, [onerror]").count() == 0
    assert guarded.page.locator("img[src=x], a[href^='javascript:' i]").count() == 0
    shown = panel.inner_text()
    assert HOSTILE_SOURCE in shown and HOSTILE_OUTLET in shown and HOSTILE_URL in shown
    assert "<img src=x onerror=alert(3)><script>alert(4)</script>" in panel.locator(".document-text").inner_text()
    marker = guarded.page.locator(f".leaflet-marker-icon[data-event-id='{kupiansk['id']}']")
    marker.hover()
    assert guarded.page.locator(".leaflet-tooltip").count() >= 1
    guarded.page.wait_for_timeout(300)  # a dialog would be raised by now; the fixture asserts none was


def test_hostile_url_parameters_are_inert(browser, server):
    page = Guarded(browser)
    try:
        hostile = "<img src=x onerror=alert(9)>"
        page.page.goto(f"{server.url}/?lat=1e309&lon=abc&z=99&since=2023-13-45&q={hostile}&event={hostile}"
                       "&layers=nonsense,events")
        page.page.wait_for_selector("#panel .error", timeout=20_000)
        assert "could not load the event" in page.page.text_content("#panel .error")
        assert page.page.input_value("#filter-q") == hostile
        assert page.page.input_value("#since") == ""
        assert page.page.locator("img[src=x]").count() == 0
        assert page.dialogs == [] and page.off_host == []
        # The only errors are the API's answers to the unknown event (404), never a script error.
        assert all("404" in error for error in page.errors), page.errors
    finally:
        page.close()


def test_api_docs_render_offline(guarded, server):
    from sitrep.api import docs

    assert docs.assets_built(), "Swagger UI is not in src/sitrep/web/vendor: run make setup (scripts/build-web.sh)"
    guarded.page.goto(server.url + "/docs")
    guarded.page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    assert guarded.page.text_content(".info .title").startswith("sitrep")
    paths = set(guarded.page.locator(".opblock-summary-path").all_inner_texts())
    assert {"/api/events", "/api/events/{event_id}", "/api/export", "/api/health"} <= paths
    # An operation opens with its parameters: the page works, not only its first paint.
    guarded.page.locator(".opblock-summary-path", has_text=re.compile("^/api/events$")).click()
    guarded.page.wait_for_selector(".opblock.is-open .parameters", timeout=10_000)
    assert "bbox" in guarded.page.text_content(".opblock.is-open .parameters")
    # The guarded fixture then asserts that no request left 127.0.0.1 and no CSP error was logged.


def test_an_unknown_event_is_reported_without_the_servers_paths(browser, server):
    page = Guarded(browser)
    try:
        page.page.goto(f"{server.url}/?event=ev-0123456789abcdef")
        page.page.wait_for_selector("#panel .error", timeout=20_000)
        shown = page.page.text_content("#panel .error")
        assert "no event with id ev-0123456789abcdef" in shown
        assert server.database not in shown and os.path.dirname(server.database) not in shown
        assert page.off_host == [] and all("404" in error for error in page.errors), page.errors
    finally:
        page.close()


def test_control_layer_colours_settlements(guarded, server):
    states = server.api("/api/control", on="2023-05-25")["items"]
    held_by_russia = sum(1 for day in states if day["state"] == "RU")
    assert held_by_russia >= 1  # Bakhmut, from the ministry's claim
    guarded.open(server.url + "/?z=6&layers=outlines,events,control&control=2023-05-25")
    guarded.page.wait_for_selector("path.control-RU", state="attached")
    assert guarded.page.locator("path[class*=control-]").count() == len(states)
    assert guarded.page.locator("path.control-RU").count() == held_by_russia
    # Confidence is the opacity: more confident, more opaque.
    bakhmut = next(day for day in states if day["place"]["name"] == "Bakhmut")
    opacity = float(guarded.page.locator("path.control-RU").first.get_attribute("fill-opacity"))
    assert opacity == pytest.approx(0.15 + 0.75 * bakhmut["confidence"], abs=0.01)
    assert guarded.page.input_value("#control-date") == "2023-05-25"
    assert guarded.page.locator("#layers input[name=control]").is_checked()


def test_narrow_screen_shows_map_timeline_and_panel(browser, server):
    narrow = Guarded(browser, width=390, height=844)
    try:
        open_event(narrow, server, event_at(server, "Orikhiv")["id"])
        for selector in ("#map", "#histogram", "#panel"):
            box = narrow.page.locator(selector).bounding_box()
            assert box is not None and box["width"] > 300 and box["x"] >= 0 and box["x"] + box["width"] <= 391, selector
            assert box["height"] > 40, selector
        map_box, panel_box = narrow.page.locator("#map").bounding_box(), narrow.page.locator("#panel").bounding_box()
        assert panel_box["y"] >= map_box["y"] + map_box["height"] - 1  # the panel sits below the map
        assert narrow.off_host == [] and narrow.dialogs == [] and narrow.errors == []
    finally:
        narrow.close()


def test_first_render_of_ten_thousand_events(browser, capsys, tmp_path):
    from sitrep.synthetic import fill_events

    with Store.open(f"sqlite:///{tmp_path}/ten-thousand.db") as store:
        fill_events(store, 10_000, seed=3)
        with LiveServer(store) as live:
            expected = len(live.mapped_events())
            page = Guarded(browser)
            try:
                page.open(live.url + "/")
                assert page.count() == expected
                marks = page.page.evaluate("() => Object.fromEntries(performance.getEntriesByType('mark')"
                                           ".map(mark => [mark.name, mark.startTime]))")
                assert page.off_host == [] and page.errors == []
            finally:
                page.close()
    with capsys.disabled():
        drawn, loaded = marks["sitrep:markers-drawn"], marks["sitrep:events-loaded"]
        print(f"\nweb map: first render of {expected:,} events: {drawn:.0f} ms after navigation start "
              f"(events loaded from the API at {loaded:.0f} ms, markers drawn {drawn - loaded:.0f} ms later)")
