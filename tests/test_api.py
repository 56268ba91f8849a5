"""The REST API (sitrep.api): the contract of docs/api.md, over stores filled by hand-built records
(no spaCy) and by sitrep.synthetic. Only the upload test runs the real pipeline."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from fastapi.testclient import TestClient

from sitrep import corroborate
from sitrep.api import create_app, params
from sitrep.ingest.base import document_id
from sitrep.models import Actor, Claim, Document, Event, EventDate, EventSummary, Extraction, Place, Source
from sitrep.store import EventFilter, Store
from sitrep.synthetic import fill_events

ORIKHIV = {"geonameid": 698428, "name": "Orikhiv", "feature": "PPLA3", "admin1": "Zaporizhzhia",
           "country": "UA", "lat": 47.5675, "lon": 35.7848, "precision": 1}
KUPIANSK = {"geonameid": 704202, "name": "Kupiansk", "feature": "PPLA2", "admin1": "Kharkiv", "country": "UA",
            "lat": 49.7106, "lon": 37.6156, "precision": 1}
GOVERNOR = Source(name="regional governor", kind="official", side="UA")
CHANNEL = Source(name="Southern Front Z", kind="milblogger", side="RU")
SHELLING = {"sub_type": "Shelling/artillery/missile attack", "event_type": "Explosions/Remote violence"}


def record(sentence: str, source: Source, place: dict, day: dt.date, outlet: str, fatalities: int | None = None,
           sub_type: str = "Armed clash", event_type: str = "Battles", actor1: str | None = None) -> Extraction:
    """A one-sentence report whose claim is an event at ``place`` on ``day``."""
    doc_id = document_id(sentence)
    at = sentence.index(place["name"])
    places = [Place(mention=place["name"], start=at, end=at + len(place["name"]), **place)]
    actor = Actor(name=f"{actor1} forces", side=actor1, acled=f"Military Forces of {actor1}") if actor1 else None
    event = Event(event_type=event_type, sub_event_type=sub_type, fatalities=fatalities, place=0, actor1=actor,
                  date=EventDate(start=day, end=day, precision="day"))
    claim = Claim(id=f"{doc_id}:0-{len(sentence)}", start=0, end=len(sentence), text=sentence, confidence=0.7,
                  source=source, event=event)
    document = Document(id=doc_id, source=f"test#{doc_id[:6]}", text=sentence, published=day, outlet=outlet,
                        url=f"https://example.org/{doc_id}")
    return Extraction(document=document, places=places, claims=[claim])


def fill_by_hand(store: Store) -> None:
    """A contradicted shelling in Orikhiv (2 vs 30 killed) and a battle at Kupiansk a month later."""
    day = dt.date(2023, 8, 12)
    low = "Two civilians were killed when Russian rockets hit Orikhiv, the regional governor said."
    high = "More than thirty soldiers were killed when rockets hit Orikhiv, a Russian channel claimed."
    battle = "Ukrainian defenders repelled an assault by Russian infantry near Kupiansk on Sunday."
    for item in (record(low, GOVERNOR, ORIKHIV, day, "Ukrinform", 2, actor1="RU", **SHELLING),
                 record(high, CHANNEL, ORIKHIV, day, "Telegram", 30, **SHELLING),
                 record(battle, GOVERNOR, KUPIANSK, dt.date(2023, 9, 10), "Kyiv Independent", actor1="RU")):
        store.add(item)
    corroborate.update(store)


@pytest.fixture()
def store(db_url):
    """The hand-built store on each backend (conftest's ``db_url``: SQLite, and PostgreSQL where
    its programs are installed)."""
    with Store.open(db_url) as opened:
        fill_by_hand(opened)
        yield opened


@pytest.fixture()
def client(store):
    return TestClient(create_app(store=store, token="s3cret"), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def synthetic_client():
    with Store.memory() as memory:
        fill_events(memory, 300, seed=7, bbox=(30.0, 46.0, 38.0, 51.0), since=dt.date(2023, 1, 1), days=90)
        yield TestClient(create_app(store=memory), raise_server_exceptions=False), memory


def assert_envelope(response, status: int, code: str, field: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"status", "code", "message", "details"}
    assert error["status"] == status and error["code"] == code
    assert error["message"] and "\n" not in error["message"]
    if field is not None:
        assert field in {detail["field"] for detail in error["details"]}, error
    return error


# The error envelope


def test_unknown_route_is_a_404_envelope(client):
    assert_envelope(client.get("/api/nothing-here"), 404, "not_found")


def test_unknown_event_and_document_are_404_envelopes(client):
    assert "ev-missing" in assert_envelope(client.get("/api/events/ev-missing"), 404, "not_found")["message"]
    assert_envelope(client.get("/api/documents/ffffffffffff"), 404, "not_found")


@pytest.mark.parametrize("path", ["/api/events/ev-missing", "/api/documents/ffffffffffff",
                                  "/api/control?on=2023-08-20&place=Atlantis"])
def test_not_found_messages_never_name_the_database(client, store, path):
    message = assert_envelope(client.get(path), 404, "not_found")["message"]
    assert store.name not in message and "/" not in message.split("no ", 1)[-1], message


def test_wrong_method_is_a_405_envelope(client):
    assert_envelope(client.delete("/api/events"), 405, "method_not_allowed")


@pytest.mark.parametrize("bbox", ["40,50", "a,b,c,d", "-181,40,30,50", "30,-91,35,50", "30,40,35,91",
                                  "35,40,30,50", "30,50,35,40", "nan,40,35,50"])
def test_bad_bbox_is_a_422_naming_bbox(client, bbox):
    assert_envelope(client.get("/api/events", params={"bbox": bbox}), 422, "invalid_parameter", "bbox")


@pytest.mark.parametrize("query", [{"since": "2023-13-01"}, {"until": "yesterday"}, {"limit": "0"},
                                   {"limit": "many"}, {"side": "NATO"}, {"contradicted": "perhaps"},
                                   {"since": "2023-09-01", "until": "2023-08-01"}, {"view": "tiny"}])
def test_malformed_parameters_are_422_envelopes(client, query):
    field = next(iter(query)) if "until" not in query or "since" not in query else "since"
    assert_envelope(client.get("/api/events", params=query), 422, "invalid_parameter", field)


def test_unexpected_failure_is_a_500_envelope_without_traceback(client, store, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret /srv/path in SELECT * FROM events")

    monkeypatch.setattr(Store, "event_record_page", broken)
    error = assert_envelope(client.get("/api/events"), 500, "internal_error")
    assert "secret" not in json.dumps(error) and "Traceback" not in json.dumps(error)


def test_damaged_cursor_is_a_422(client):
    assert_envelope(client.get("/api/events", params={"cursor": "not-a-cursor!"}), 422, "invalid_parameter",
                    "cursor")
    documents_cursor = params.encode_cursor("documents", (dt.date(2023, 1, 1), "abc"))
    assert_envelope(client.get("/api/events", params={"cursor": documents_cursor}), 422, "invalid_parameter",
                    "cursor")


# Reading


def test_events_list_summaries_without_claims(client):
    body = client.get("/api/events").json()
    assert body["next"] is None and len(body["items"]) == 2
    for item in body["items"]:
        EventSummary.model_validate(item)
        assert "claims" not in item
    assert [item["place"]["name"] for item in body["items"]] == ["Orikhiv", "Kupiansk"]


def test_listed_events_equal_the_stored_summaries(client, store):
    # The API passes stored records on unparsed: they must read as the models dump them.
    listed = client.get("/api/events").json()["items"]
    assert listed == [event.model_dump(mode="json", by_alias=True, exclude={"claims"}) for event in store.events()]
    assert all("third-party" in item["source_mix"] for item in listed)


def test_compact_view_has_the_map_fields(client):
    [orikhiv] = client.get("/api/events", params={"view": "compact", "place": "orikhiv"}).json()["items"]
    assert set(orikhiv) == {"id", "lat", "lon", "type", "sub_type", "start", "end", "place", "sources",
                            "contradicted", "sides"}
    assert (orikhiv["lat"], orikhiv["lon"], orikhiv["place"]) == (47.5675, 35.7848, "Orikhiv")
    assert orikhiv["contradicted"] is True and orikhiv["sources"] == 2 and orikhiv["sides"] == ["RU"]
    assert orikhiv["start"] == "2023-08-12"


def test_event_detail_has_claims_and_its_contradiction(client):
    [summary] = client.get("/api/events", params={"contradicted": "true"}).json()["items"]
    body = client.get(f"/api/events/{summary['id']}").json()
    assert body["event"]["id"] == summary["id"]
    assert {claim["outlet"] for claim in body["event"]["claims"]} == {"Ukrinform", "Telegram"}
    [contradiction] = body["contradictions"]
    assert contradiction["kind"] == "casualties"
    claim_ids = {claim["claim_id"] for claim in body["event"]["claims"]}
    assert {statement["claim_id"] for statement in contradiction["statements"]} == claim_ids


def test_uncontradicted_event_has_no_contradictions(client):
    [summary] = client.get("/api/events", params={"place": "Kupiansk"}).json()["items"]
    assert client.get(f"/api/events/{summary['id']}").json()["contradictions"] == []


@pytest.mark.parametrize(("query", "places"), [
    ({"bbox": "35,47,36,48"}, ["Orikhiv"]),
    ({"bbox": "37,49,38,50"}, ["Kupiansk"]),
    ({"bbox": "20,40,21,41"}, []),
    ({"since": "2023-09-01"}, ["Kupiansk"]),
    ({"until": "2023-08-12"}, ["Orikhiv"]),
    ({"since": "2023-08-20", "until": "2023-09-01"}, []),
    ({"type": "Battles"}, ["Kupiansk"]),
    ({"sub_type": "Shelling/artillery/missile attack"}, ["Orikhiv"]),
    ({"source_kind": "milblogger"}, ["Orikhiv"]),
    ({"source_kind": "wire"}, []),
    ({"actor": "ru forc"}, ["Orikhiv", "Kupiansk"]),
    ({"actor": "military forces of ru"}, ["Orikhiv", "Kupiansk"]),
    ({"actor": "wagner"}, []),
    ({"side": "RU"}, ["Orikhiv", "Kupiansk"]),
    ({"q": "infantry"}, ["Kupiansk"]),
    ({"q": "ROCKETS orikhiv"}, ["Orikhiv"]),
    ({"q": "rockets infantry"}, []),
    ({"contradicted": "false"}, ["Kupiansk"]),
])
def test_event_filters(client, query, places):
    found = client.get("/api/events", params=query).json()["items"]
    assert [item["place"]["name"] for item in found] == places


@pytest.mark.parametrize(("query", "places"), [
    ([("type", "Battles"), ("type", "Explosions/Remote violence")], ["Orikhiv", "Kupiansk"]),
    ([("type", "Battles"), ("type", "Riots")], ["Kupiansk"]),
    ([("type", "Riots"), ("type", "Battles")], ["Kupiansk"]),
    ([("type", "Battles"), ("type", "")], ["Kupiansk"]),
    ([("sub_type", "Armed clash"), ("sub_type", "Shelling/artillery/missile attack")], ["Orikhiv", "Kupiansk"]),
    ([("source_kind", "milblogger"), ("source_kind", "wire")], ["Orikhiv"]),
    ([("source_kind", "milblogger"), ("source_kind", "official")], ["Orikhiv", "Kupiansk"]),
])
def test_repeated_filters_are_an_or(client, query, places):
    found = client.get("/api/events", params=query).json()["items"]
    assert [item["place"]["name"] for item in found] == places


@pytest.mark.parametrize("name", sorted(params.REPEATABLE))
def test_each_repeatable_filter_gives_the_union_of_its_values(synthetic_client, name):
    client, _ = synthetic_client
    values = {"type": ["Battles", "Explosions/Remote violence"], "side": ["UA", "RU"],
              "sub_type": ["Armed clash", "Shelling/artillery/missile attack"],
              "source_kind": ["official", "milblogger"]}[name]

    def ids(query: list[tuple[str, str]]) -> set[str]:
        return {item["id"] for item in client.get("/api/events", params=[*query, ("limit", "5000")]).json()["items"]}

    first, second = ids([(name, values[0])]), ids([(name, values[1])])
    assert first and second and first != second
    assert ids([(name, value) for value in values]) == first | second


def test_repeated_types_reach_claims_contradictions_and_exports(client):
    both = [("type", "Battles"), ("type", "Explosions/Remote violence")]
    assert len(client.get("/api/claims", params=both).json()["items"]) == 3
    assert len(client.get("/api/contradictions", params=both).json()["items"]) == 1
    neither = [("type", "Battles"), ("type", "Riots")]
    assert client.get("/api/contradictions", params=neither).json()["items"] == []
    exported = client.get("/api/export", params=[("format", "jsonl"), *both])
    assert exported.status_code == 200 and len(exported.content.splitlines()) == 2


@pytest.mark.parametrize(("path", "query"), [
    ("/api/events", [("place", "Orikhiv"), ("place", "Kupiansk")]),
    ("/api/events", [("q", "rockets"), ("q", "infantry")]),
    ("/api/events", [("limit", "1"), ("limit", "2")]),
    ("/api/claims", [("source", "governor"), ("source", "channel")]),
    ("/api/export", [("format", "jsonl"), ("format", "kml")]),
])
def test_other_repeated_parameters_are_refused_not_dropped(client, path, query):
    assert_envelope(client.get(path, params=query), 422, "invalid_parameter", query[0][0])


@pytest.mark.parametrize(("query", "count"), [
    ({}, 1),
    ({"bbox": "35,47,36,48"}, 1),
    ({"bbox": "37,49,38,50"}, 0),
    ({"sub_type": "Shelling/artillery/missile attack"}, 1),
    ({"sub_type": "Armed clash"}, 0),
    ({"source_kind": "milblogger"}, 1),
    ({"source_kind": "wire"}, 0),
    ({"actor": "ru forc"}, 1),
    ({"actor": "wagner"}, 0),
    ({"q": "thirty soldiers"}, 1),
    ({"q": "infantry"}, 0),
    ({"contradicted": "true"}, 1),
    ({"contradicted": "false"}, 0),
])
def test_contradiction_filters(client, query, count):
    """Every filter /api/contradictions lists acts on it: through the events of its two claims."""
    found = client.get("/api/contradictions", params=query).json()["items"]
    assert len(found) == count
    assert all(item["kind"] == "casualties" for item in found)


@pytest.mark.parametrize("q", ['"; DROP TABLE claims; --', "NEAR(", 'rockets" OR "x', "*", "^", "AND OR NOT",
                               "col:rockets", "'", "\\", "(", "\u0000", "Харків", "a" * 500])
def test_hostile_full_text_never_fails(client, store, q):
    for path in ("/api/events", "/api/claims", "/api/contradictions"):
        response = client.get(path, params={"q": q})
        assert response.status_code == 200, (path, response.text)
    assert store.counts()["claims"] == 3  # nothing was dropped


def test_full_text_matches_the_literal_words_of_a_hostile_query(client):
    # The operators are words here: "rockets OR x" must not match every claim with "rockets".
    assert client.get("/api/claims", params={"q": "rockets OR infantry"}).json()["items"] == []
    found = client.get("/api/claims", params={"q": "rockets, (Orikhiv)!"}).json()["items"]
    assert len(found) == 2 and all("Orikhiv" in item["claim"]["text"] for item in found)


def test_claims_list_stored_claims(client):
    found = client.get("/api/claims", params={"source_kind": "official"}).json()["items"]
    assert {item["claim"]["source"]["name"] for item in found} == {"regional governor"}
    assert all(item["places"] and item["document_id"] for item in found)


def test_documents_hide_text_unless_asked(client):
    listed = client.get("/api/documents").json()["items"]
    assert len(listed) == 3 and all("text" not in item for item in listed)
    with_text = client.get("/api/documents", params={"include_text": "true"}).json()["items"]
    assert all(item["text"] for item in with_text)
    one = client.get(f"/api/documents/{listed[0]['id'][:6]}").json()
    assert one["id"] == listed[0]["id"] and one["text"] == with_text[0]["text"]


@pytest.mark.parametrize(("source", "public"), [
    ("/srv/sitrep/feeds/2023/result.json#chat=15&message=8801", "result.json#chat=15&message=8801"),
    ("/home/analyst/reports/notes.jsonl#id=mod/2023-07-28", "notes.jsonl#id=mod/2023-07-28"),
    ("/home/analyst/reports/notes.jsonl:12", "notes.jsonl:12"),
    ("samples/reports/feed.atom#entry=3", "feed.atom#entry=3"),
    ("C:\\Users\\analyst\\report.txt", "report.txt"),
    ("report.txt", "report.txt"),
    ("api", "api"),
    ("https://example.org/feeds/front.xml#entry=2", "https://example.org/feeds/front.xml#entry=2"),
])
def test_public_source_keeps_the_base_name_and_the_locator(source, public):
    from sitrep.api.redact import public_source

    assert public_source(source) == public


def test_documents_never_give_server_paths():
    text = "Shelling hit Orikhiv overnight, the regional governor said."
    document = Document(id=document_id(text), source="/srv/sitrep/private/reports/orikhiv.txt", text=text,
                        published=dt.date(2023, 8, 12))
    with Store.memory() as memory:
        memory.add(Extraction(document=document, places=[], claims=[]))
        api = TestClient(create_app(store=memory), raise_server_exceptions=False)
        [listed] = api.get("/api/documents").json()["items"]
        one = api.get(f"/api/documents/{document.id}").json()
    assert listed["source"] == one["source"] == "orikhiv.txt"
    assert "/srv/" not in json.dumps([listed, one])


def test_places_count_events_at_settlements(client):
    found = client.get("/api/places").json()["items"]
    assert {item["name"]: item["events"] for item in found} == {"Orikhiv": 1, "Kupiansk": 1}
    assert [item["name"] for item in client.get("/api/places", params={"q": "kup"}).json()["items"]] == ["Kupiansk"]
    assert client.get("/api/places", params={"bbox": "35,47,36,48"}).json()["items"][0]["name"] == "Orikhiv"


def test_control_lists_settlements_with_signals(client):
    # "repelled an assault ... near Kupiansk" is a control signal (a bearing, "east of", would not be); the Orikhiv shelling is none.
    body = client.get("/api/control", params={"on": "2023-09-20"}).json()
    assert [day["place"]["name"] for day in body["items"]] == ["Kupiansk"] and body["next"] is None
    assert client.get("/api/control", params={"on": "2023-09-20", "bbox": "35,47,36,48"}).json()["items"] == []
    one = client.get("/api/control", params={"on": "2023-09-20", "place": "kupiansk"}).json()
    assert one["place"]["geonameid"] == 704202 and one["date"] == "2023-09-20"
    assert_envelope(client.get("/api/control", params={"on": "2023-08-20", "place": "Atlantis"}), 404, "not_found")
    assert_envelope(client.get("/api/control"), 422, "invalid_parameter", "on")


def test_health_counts(client):
    assert client.get("/api/health").json() == {"status": "ok", "version": client.app.version, "documents": 3,
                                                "events": 2}


def test_export_endpoint_sends_the_file(client):
    response = client.get("/api/export", params={"format": "geojson", "place": "Orikhiv"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/geo+json")
    assert 'filename="sitrep-events.geojson"' in response.headers["content-disposition"]
    [feature] = response.json()["features"]
    assert feature["geometry"]["coordinates"] == [35.7848, 47.5675]


@pytest.mark.parametrize(("format", "media"), [("acled-csv", "text/csv"), ("kml", "application/vnd.google-earth"),
                                               ("parquet", "application/vnd.apache.parquet"),
                                               ("jsonl", "application/x-ndjson")])
def test_every_export_format_is_served(client, format, media):
    import csv
    import io
    import xml.etree.ElementTree as ET

    import pyarrow.parquet as pq

    response = client.get("/api/export", params={"format": format})
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    counted = {"acled-csv": lambda data: len(list(csv.DictReader(io.StringIO(data.decode())))),
               "kml": lambda data: len(ET.fromstring(data).findall(".//{http://www.opengis.net/kml/2.2}Placemark")),
               "parquet": lambda data: pq.read_table(io.BytesIO(data)).num_rows,
               "jsonl": lambda data: len(data.splitlines())}[format]
    assert counted(response.content) == 2


def test_unknown_export_format_names_the_allowed_ones(client):
    error = assert_envelope(client.get("/api/export", params={"format": "xlsx"}), 422, "invalid_parameter",
                            "format")
    assert "acled-csv" in error["message"] and "parquet" in error["message"]


# Pagination over synthetic events


def walk(client, path: str, query: dict) -> list[dict]:
    items, cursor, pages = [], None, 0
    while True:
        response = client.get(path, params={**query, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        pages += 1
        cursor = body["next"]
        if cursor is None:
            return items
        assert pages < 1000


def test_pagination_walks_every_event_exactly_once(synthetic_client):
    client, store = synthetic_client
    every = [event.id for event in store.events()]
    walked = [item["id"] for item in walk(client, "/api/events", {"limit": 37})]
    assert len(every) == 300 and walked == every


def test_pagination_with_filters_matches_a_plain_scan(synthetic_client):
    client, store = synthetic_client
    west, south, east, north = 32.0, 47.0, 36.0, 50.0
    since, until = dt.date(2023, 2, 1), dt.date(2023, 3, 1)
    expected = [event.id for event in store.events()
                if west <= event.place.lon <= east and south <= event.place.lat <= north
                and event.date.end >= since and event.date.start <= until]
    walked = walk(client, "/api/events", {"bbox": f"{west},{south},{east},{north}", "since": str(since),
                                          "until": str(until), "limit": 7, "view": "compact"})
    assert 10 < len(expected) < 300 and [item["id"] for item in walked] == expected


@pytest.mark.parametrize("path", ["/api/claims", "/api/documents", "/api/places"])
def test_other_listings_paginate_exactly_once(synthetic_client, path):
    client, _ = synthetic_client
    whole = client.get(path, params={"limit": 5000}).json()
    walked = walk(client, path, {"limit": 23})
    assert whole["next"] is None and walked == whole["items"] and len(walked) > 23


def test_huge_limit_is_clamped(synthetic_client, monkeypatch):
    client, _ = synthetic_client
    monkeypatch.setattr(params, "MAX_PAGE", 50)
    body = client.get("/api/events", params={"limit": 10**9}).json()
    assert len(body["items"]) == 50 and body["next"] is not None


def test_synthetic_events_read_back_as_records(synthetic_client):
    client, store = synthetic_client
    [first] = client.get("/api/events", params={"limit": 1}).json()["items"]
    detail = client.get(f"/api/events/{first['id']}").json()
    [claim] = detail["event"]["claims"]
    document = client.get(f"/api/documents/{claim['document_id']}").json()
    assert document["text"][claim["start"]:claim["end"]] == claim["text"]
    assert store.get_extraction(claim["document_id"]).claims[0].event.place == 0
    assert list(store.events(EventFilter(source_kind=claim["source"]["kind"]), limit=1))


# Writing


def test_writes_are_off_without_a_server_token(store, monkeypatch):
    monkeypatch.delenv("SITREP_API_TOKEN", raising=False)
    client = TestClient(create_app(store=store), raise_server_exceptions=False)
    error = assert_envelope(client.post("/api/documents", json={"text": "x"},
                                        headers={"Authorization": "Bearer anything"}), 403, "forbidden")
    assert "writes are off" in error["message"]


@pytest.mark.parametrize("header", [None, "Bearer wrong", "s3cret", "Basic s3cret", "Bearer "])
def test_writes_need_the_right_token(client, header):
    headers = {"Authorization": header} if header is not None else {}
    response = client.post("/api/documents", json={"text": "Shelling hit Kherson."}, headers=headers)
    assert_envelope(response, 401, "unauthorized")
    assert response.headers["www-authenticate"] == "Bearer"


def test_token_comes_from_the_environment(store, monkeypatch):
    monkeypatch.setenv("SITREP_API_TOKEN", "from-env")
    client = TestClient(create_app(store=store), raise_server_exceptions=False)
    response = client.post("/api/documents", content=b"{", headers={"Authorization": "Bearer from-env",
                                                                  "Content-Type": "application/json"})
    assert_envelope(response, 422, "invalid_body")


def test_oversized_body_is_413(client):
    response = client.post("/api/documents", json={"text": "x" * 1_100_000},
                           headers={"Authorization": "Bearer s3cret"})
    assert_envelope(response, 413, "payload_too_large")


@pytest.mark.parametrize("body", [{}, {"text": ""}, {"text": "Kherson.", "published": "last week"},
                                  {"text": "Kherson.", "colour": "red"}, ["text"]])
def test_bad_upload_bodies_are_422(client, body):
    response = client.post("/api/documents", json=body, headers={"Authorization": "Bearer s3cret"})
    assert_envelope(response, 422, "invalid_body")


def test_upload_runs_the_pipeline_and_stores_once(client, store, pipeline):
    client.app.state.writer.pipeline_factory = lambda: pipeline  # the session's pipeline: spaCy loads once
    report = {"text": "Russian forces shelled Kherson on Monday, the regional governor said.",
              "outlet": "Test Wire", "published": "2023-11-06", "url": "https://example.org/kherson"}
    headers = {"Authorization": "Bearer s3cret"}
    first = client.post("/api/documents", json=report, headers=headers)
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["created"] is True and body["claims"] >= 1
    stored = client.get(f"/api/documents/{body['document_id']}").json()
    assert stored["outlet"] == "Test Wire" and stored["published"] == "2023-11-06"
    again = client.post("/api/documents", json=report, headers=headers)
    assert again.status_code == 200 and again.json() == {**body, "created": False}
    assert store.counts()["documents"] == 4


def test_bulk_fill_indexes_its_rows_and_keeps_the_triggers():
    with Store.memory() as memory:
        fill_events(memory, 120, seed=5, bbox=(30.0, 46.0, 38.0, 51.0), since=dt.date(2023, 1, 1), days=30)
        client = TestClient(create_app(store=memory))
        drones = [item["id"] for item in walk(client, "/api/events", {"q": "drone", "limit": 50})]
        expected = [event.id for event in memory.events() if "drone" in event.claims[0].text]
        assert drones == expected and drones
        fill_by_hand(memory)  # written through the triggers after the fill
        assert [item["place"]["name"] for item in client.get("/api/events", params={
            "q": "infantry", "bbox": "37,49,38,50"}).json()["items"]] == ["Kupiansk"]
