"""OPSEC (sitrep.opsec, docs/opsec.md): coordinates rounded to a grid and recent records held back,
in every read of the API and in the exports; a box never tells more than the rounded points do."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import random
import xml.etree.ElementTree as ET

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from sitrep import corroborate, opsec
from sitrep.api import create_app
from sitrep.cli import app as cli
from sitrep.errors import ConfigError
from sitrep.ingest.base import document_id
from sitrep.models import Actor, Claim, Document, Event, EventDate, Extraction, Place, Source
from sitrep.opsec import OpsecPolicy, release_line, release_time, snap
from sitrep.settings import get_settings
from sitrep.store import Store
from sitrep.synthetic import fill_events

STEP = 0.1
KML = "{http://www.opengis.net/kml/2.2}"
EXPORT_FORMATS = ("acled-csv", "geojson", "kml", "parquet", "jsonl")

# Real settlements near the front, with their points (none on a 0.1° grid) and GeoNames-like ids.
ORIKHIV = {"geonameid": 698428, "name": "Orikhiv", "feature": "PPLA3", "admin1": "Zaporizhzhia", "country": "UA",
           "lat": 47.5675, "lon": 35.7848, "precision": 1}
VUHLEDAR = {"geonameid": 689558, "name": "Vuhledar", "feature": "PPL", "admin1": "Donetsk", "country": "UA",
            "lat": 47.7808, "lon": 37.2486, "precision": 1}
KUPIANSK = {"geonameid": 704202, "name": "Kupiansk", "feature": "PPLA2", "admin1": "Kharkiv", "country": "UA",
            "lat": 49.7106, "lon": 37.6156, "precision": 1}
ROBOTYNE = {"geonameid": 697012, "name": "Robotyne", "feature": "PPL", "admin1": "Zaporizhzhia", "country": "UA",
            "lat": 47.4453, "lon": 35.8379, "precision": 1}
MARINKA = {"geonameid": 702972, "name": "Marinka", "feature": "PPL", "admin1": "Donetsk", "country": "UA",
           "lat": 47.9436, "lon": 37.5028, "precision": 1}
HULIAIPOLE = {"geonameid": 707688, "name": "Huliaipole", "feature": "PPL", "admin1": "Zaporizhzhia",
              "country": "UA", "lat": 47.6627, "lon": 36.2566, "precision": 1}
GOVERNOR = Source(name="regional governor", kind="official", side="UA")
CHANNEL = Source(name="Southern Front Z", kind="milblogger", side="RU")
SHELLING = {"event_type": "Explosions/Remote violence", "sub_type": "Shelling/artillery/missile attack"}
CAPTURE = {"event_type": "Strategic developments", "sub_type": "Government regains territory"}

TODAY = dt.datetime.now(dt.UTC).date()
OLD = TODAY - dt.timedelta(days=30)
RECENT = TODAY - dt.timedelta(days=1)
THREE_DAYS_AGO = TODAY - dt.timedelta(days=3)
TWO_DAYS_AGO = TODAY - dt.timedelta(days=2)


# Rounding


@pytest.mark.parametrize(("value", "step", "limit", "expected"), [
    (47.5675, 0.1, 90, 47.6), (-47.5675, 0.1, 90, -47.6), (35.7848, 0.01, 180, 35.78),
    (-35.7848, 0.01, 180, -35.78), (37.6156, 1, 180, 38.0), (-37.4, 1, 180, -37.0),
    (0.5, 1, 180, 1.0), (-0.5, 1, 180, 0.0),  # a tie goes up, on both sides of zero
    (179.97, 0.1, 180, 180.0), (-179.97, 0.1, 180, -180.0), (180.0, 0.25, 180, 180.0),
    (89.96, 0.1, 90, 90.0), (-90.0, 0.1, 90, -90.0), (89.6, 1, 90, 90.0),
    (89.0, 7, 90, 90.0), (-89.0, 7, 90, -90.0),  # 91 and -91 are multiples of 7, but off the globe
    (178.0, 7, 180, 175.0), (179.0, 7, 180, 180.0), (12.3456, 0.0001, 180, 12.3456),
])
def test_snap_rounds_to_the_nearest_multiple_within_the_limits(value, step, limit, expected):
    assert snap(value, step, limit) == expected


def test_snap_never_gives_minus_zero():
    assert repr(snap(-0.04, 0.1, 90)) == "0.0"


@pytest.mark.parametrize("step", [1.0, 0.5, 0.25, 0.1, 0.05, 0.01, 0.003])
def test_snapped_points_lie_on_the_grid_within_half_a_step(step):
    rng = random.Random(step)
    for _ in range(2000):
        lat, lon = rng.uniform(-90, 90), rng.uniform(-180, 180)
        snapped_lat, snapped_lon = opsec.snap_point(lat, lon, step)
        for raw, snapped, limit in ((lat, snapped_lat, 90), (lon, snapped_lon, 180)):
            assert -limit <= snapped <= limit
            assert on_grid(snapped, step) or abs(snapped) == limit
            assert abs(snapped - raw) <= step / 2 + 1e-9
            assert snap(snapped, step, limit) == snapped  # rounding twice changes nothing


# The delay


@pytest.mark.parametrize("hours", [24.0, 0.5, 72.0])
def test_a_day_is_released_delay_hours_after_its_end(hours):
    day = dt.date(2023, 8, 12)
    due = release_time(day, dt.datetime(2023, 8, 12, 9, tzinfo=dt.UTC), hours)
    assert due == dt.datetime(2023, 8, 13, tzinfo=dt.UTC) + dt.timedelta(hours=hours)
    second = dt.timedelta(seconds=1)
    assert day <= release_line(due, hours).last_day  # out at that very moment
    assert day > release_line(due - second, hours).last_day  # held one second before
    assert day <= release_line(due + second, hours).last_day


def test_an_undated_record_is_released_delay_hours_after_its_ingestion():
    ingested = dt.datetime(2023, 8, 12, 9, 30, tzinfo=dt.UTC)
    assert release_time(None, ingested, 24) == dt.datetime(2023, 8, 13, 9, 30, tzinfo=dt.UTC)
    line = release_line(dt.datetime(2023, 8, 13, 9, 30, tzinfo=dt.UTC), 24)
    assert line.ingested_by == ingested


def test_policy_checks_its_values():
    assert OpsecPolicy(round_deg=0).round_deg is None  # 0 is off
    for bad in ({"round_deg": -0.1}, {"round_deg": 91}, {"round_deg": math.nan}, {"delay_hours": -1},
                {"delay_hours": math.inf}):
        with pytest.raises(ConfigError):
            OpsecPolicy(**bad)


# A store on each backend. A month ago: a shelling of Orikhiv with two death tolls, a battle at
# Vuhledar (a control signal) and Robotyne said to be captured and to be held (two signals and a
# contradiction with a place). Yesterday: a battle at Kupiansk (a signal) and a shelling of Vuhledar
# with two death tolls. Three days ago: shelling in Marinka, to which a report of today adds that
# it went on all week (a claim that outlasts its event's day). Undated: a strike on Huliaipole from
# a report with no date at all.


def report(sentence: str, source: Source, place: dict, day: dt.date | None, outlet: str,
           fatalities: int | None = None, event_type: str = "Battles", sub_type: str = "Armed clash",
           actor1: str | None = None, until: dt.date | None = None) -> Extraction:
    """A one-sentence report, published on ``until`` or ``day``, whose claim is an event at
    ``place`` on ``day`` (from ``day`` to ``until``, a week's precision, with ``until``)."""
    doc_id = document_id(sentence)
    at = sentence.index(place["name"])
    places = [Place(mention=place["name"], start=at, end=at + len(place["name"]), **place)]
    actor = Actor(name=f"{actor1} forces", side=actor1) if actor1 else None
    date = EventDate(start=day, end=until or day, precision="week" if until else "day") if day else None
    event = Event(event_type=event_type, sub_event_type=sub_type, fatalities=fatalities, place=0, actor1=actor,
                  date=date)
    claim = Claim(id=f"{doc_id}:0-{len(sentence)}", start=0, end=len(sentence), text=sentence, confidence=0.7,
                  source=source, event=event)
    document = Document(id=doc_id, source=f"test#{doc_id[:6]}", text=sentence, published=until or day,
                        outlet=outlet)
    return Extraction(document=document, places=places, claims=[claim])


def fill(store: Store) -> None:
    reports = [
        report("Two civilians died when rockets hit Orikhiv, the regional governor wrote.", GOVERNOR, ORIKHIV,
               OLD, "Ukrinform", 2, actor1="RU", **SHELLING),
        report("Thirty soldiers died when rockets hit Orikhiv, a Russian channel boasted.", CHANNEL, ORIKHIV,
               OLD, "Telegram", 30, **SHELLING),
        report("Ukrainian troops repelled an assault by Russian infantry near Vuhledar.", GOVERNOR, VUHLEDAR,
               OLD, "Kyiv Independent", actor1="RU"),
        report("Russian troops captured Robotyne, a Russian channel claimed.", CHANNEL, ROBOTYNE, OLD, "Telegram",
               actor1="RU", **CAPTURE),
        report("Ukrainian forces still hold Robotyne, the regional governor wrote.", GOVERNOR, ROBOTYNE, OLD,
               "Ukrinform", actor1="UA", **CAPTURE),
        report("Ukrainian defenders repelled an assault by Russian infantry near Kupiansk.", GOVERNOR,
               KUPIANSK, RECENT, "Kyiv Independent", actor1="RU"),
        report("Three people died when shells hit Vuhledar, the regional governor wrote.", GOVERNOR, VUHLEDAR,
               RECENT, "Ukrinform", 3, actor1="RU", **SHELLING),
        report("Twenty soldiers died when shells hit Vuhledar, a Russian channel boasted.", CHANNEL, VUHLEDAR,
               RECENT, "Telegram", 20, **SHELLING),
        report("Artillery shells hit Marinka, the regional governor wrote.", GOVERNOR, MARINKA, THREE_DAYS_AGO,
               "Ukrinform", actor1="RU", **SHELLING),
        # Dated from two days ago only: a claim over more than three days is a campaign that joins no
        # single day's event (docs/corroboration.md), and this one must join Marinka's.
        report("Shelling of Marinka went on all week, a Russian channel claimed.", CHANNEL, MARINKA,
               TWO_DAYS_AGO, "Telegram", actor1="RU", until=TODAY, **SHELLING),
        report("A drone struck a fuel depot in Huliaipole, a Russian channel claimed.", CHANNEL, HULIAIPOLE,
               None, "Telegram", event_type="Explosions/Remote violence", sub_type="Air/drone strike"),
    ]
    for item in reports:
        store.add(item)
    corroborate.update(store)


@pytest.fixture()
def front(db_url):
    with Store.open(db_url) as store:
        fill(store)
        yield store


def RELEASED(ids: dict[str, str]) -> set[str]:  # noqa: N802 - reads as the constant it stands for
    """The events out with a day's delay: last month's, and Marinka's of three days ago."""
    return {ids["Orikhiv old"], ids["Vuhledar old"], ids["Robotyne old"], ids["Marinka mixed"]}


def client_for(store: Store, clock: dt.datetime | None = None, round_deg: float | None = STEP,
               delay_hours: float = 24) -> TestClient:
    now = clock or dt.datetime.now(dt.UTC)
    policy = OpsecPolicy(round_deg=round_deg, delay_hours=delay_hours, clock=lambda: now)
    return TestClient(create_app(store=store, opsec=policy), raise_server_exceptions=False)


def event_ids(store: Store) -> dict[str, str]:
    """Event ids by "place day" ("Kupiansk recent"); the undated one is "Huliaipole undated"."""
    labels = {OLD: "old", RECENT: "recent", THREE_DAYS_AGO: "mixed", None: "undated"}
    return {f"{event.place.name} {labels[event.date.start if event.date else None]}": event.id
            for event in store.events()}


def on_grid(value: float, step: float = STEP) -> bool:
    return abs(value / step - round(value / step)) < 1e-6


def coordinates(body) -> list[float]:
    """Every number under a lat/lon/latitude/longitude/coordinates key, anywhere in a JSON body."""
    found: list[float] = []
    if isinstance(body, dict):
        for key, value in body.items():
            if key in ("lat", "lon", "latitude", "longitude") and isinstance(value, (int, float)):
                found.append(value)
            elif key == "coordinates":
                found.extend(value)
            else:
                found.extend(coordinates(value))
    elif isinstance(body, list):
        for value in body:
            found.extend(coordinates(value))
    return found


def assert_on_grid(body) -> None:
    found = coordinates(body)
    assert found, "no coordinates to check"
    assert all(on_grid(value) or abs(value) in (90, 180) for value in found), found


def test_the_fixture_has_what_the_tests_assume(front):
    # Without OPSEC: every event, exact points.
    assert set(event_ids(front)) == {"Orikhiv old", "Vuhledar old", "Robotyne old", "Kupiansk recent",
                                     "Vuhledar recent", "Marinka mixed", "Huliaipole undated"}
    marinka = next(event for event in front.events() if event.place.name == "Marinka")
    assert marinka.claim_count == 2
    body = client_for(front, round_deg=None, delay_hours=0).get("/api/events", params={"view": "compact"}).json()
    assert not all(on_grid(value) for value in coordinates(body))
    assert len(body["items"]) == 7
    assert front.derived_counts()["contradictions"] == 3


def test_events_are_rounded_and_recent_ones_held_back(front):
    ids = event_ids(front)
    client = client_for(front)
    for view in ("full", "compact"):
        body = client.get("/api/events", params={"view": view}).json()
        assert {item["id"] for item in body["items"]} == RELEASED(ids)
        assert_on_grid(body)
    orikhiv = client.get(f"/api/events/{ids['Orikhiv old']}").json()
    assert_on_grid(orikhiv)
    assert orikhiv["event"]["place"]["lat"] == 47.6 and orikhiv["event"]["place"]["lon"] == 35.8
    assert orikhiv["event"]["place"]["precision"] == 3  # blurred beyond the settlement
    assert len(orikhiv["event"]["claims"]) == 2 and len(orikhiv["contradictions"]) == 1
    marinka = client.get(f"/api/events/{ids['Marinka mixed']}").json()["event"]
    assert [claim["text"] for claim in marinka["claims"]] == ["Artillery shells hit Marinka, the regional governor "
                                                               "wrote."]
    assert marinka["claim_count"] == 2  # counts stay as clustered (docs/opsec.md)
    for held in ("Kupiansk recent", "Vuhledar recent", "Huliaipole undated"):
        response = client.get(f"/api/events/{ids[held]}")
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_an_embargoed_event_answers_like_an_unknown_one(front):
    held = event_ids(front)["Kupiansk recent"]
    client = client_for(front)
    answer = client.get(f"/api/events/{held}").json()["error"]
    unknown = client.get("/api/events/ev-0000000000000000").json()["error"]
    assert answer["message"] == unknown["message"].replace("ev-0000000000000000", held)


def test_the_delay_boundary_to_the_second(front):
    held = event_ids(front)["Kupiansk recent"]
    due = release_time(RECENT, dt.datetime.now(dt.UTC), 24)
    assert client_for(front, clock=due).get(f"/api/events/{held}").status_code == 200
    assert client_for(front, clock=due - dt.timedelta(seconds=1)).get(f"/api/events/{held}").status_code == 404
    listed = client_for(front, clock=due).get("/api/events").json()["items"]
    assert held in {item["id"] for item in listed}


def test_an_undated_report_waits_from_its_ingestion(front):
    undated = event_ids(front)["Huliaipole undated"]
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=25)
    assert client_for(front, clock=later).get(f"/api/events/{undated}").status_code == 200
    assert client_for(front, clock=later, delay_hours=48).get(f"/api/events/{undated}").status_code == 404


def test_claims_documents_and_contradictions_are_held_back_and_rounded(front):
    client = client_for(front)
    claims = client.get("/api/claims").json()["items"]
    assert {item["published"] for item in claims} == {OLD.isoformat(), THREE_DAYS_AGO.isoformat()}
    assert len(claims) == 6 and not any("all week" in item["claim"]["text"] for item in claims)
    assert_on_grid(claims)
    documents = client.get("/api/documents").json()["items"]
    assert {document["published"] for document in documents} == {OLD.isoformat(), THREE_DAYS_AGO.isoformat()}
    recent = next(document.id for document in front.documents() if document.published == RECENT)
    assert client.get(f"/api/documents/{recent}").status_code == 404
    assert client.get(f"/api/documents/{recent[:8]}").status_code == 404
    contradictions = client.get("/api/contradictions").json()["items"]
    assert sorted(item["kind"] for item in contradictions) == ["captured-vs-holding", "casualties"]
    assert all("Orikhiv" in statement["text"] or "Robotyne" in statement["text"]
               for item in contradictions for statement in item["statements"])
    assert_on_grid(contradictions)
    assert {(item["place"]["lat"], item["place"]["lon"]) for item in contradictions if item["place"]} == {
        (47.4, 35.8)}


def test_places_count_only_released_events(front):
    client = client_for(front)
    places = client.get("/api/places").json()["items"]
    assert {place["name"]: place["events"] for place in places} == {"Orikhiv": 1, "Vuhledar": 1, "Robotyne": 1,
                                                                          "Marinka": 1}
    assert_on_grid(places)
    assert client.get("/api/places", params={"q": "Kupiansk"}).json()["items"] == []


def test_control_shows_no_state_from_held_back_signals(front):
    client = client_for(front)
    on = TODAY.isoformat()
    days = client.get("/api/control", params={"on": on}).json()["items"]
    assert [day["place"]["name"] for day in days] == ["Robotyne", "Vuhledar"]
    assert_on_grid(days)
    evidence = [item for day in days for item in day["evidence"]]
    assert evidence and all(item["date"]["end"] == OLD.isoformat() for item in evidence)
    assert client.get("/api/control", params={"on": on, "place": "Kupiansk"}).status_code == 404
    one = client.get("/api/control", params={"on": on, "place": "Vuhledar"}).json()
    assert_on_grid(one)
    # Without the delay, Kupiansk's signal is there: the fixture has one to hold back.
    open_days = client_for(front, delay_hours=0).get("/api/control", params={"on": on}).json()["items"]
    assert {day["place"]["name"] for day in open_days} == {"Robotyne", "Vuhledar", "Kupiansk"}


def test_health_says_which_policy_is_in_force(front):
    assert client_for(front).get("/api/health").json()["opsec"] == {
        "round_deg": 0.1, "delay_hours": 24.0,
        "description": "coordinates rounded to a 0.1° grid; records published 24 h after the end of their day"}
    assert "opsec" not in client_for(front, round_deg=None, delay_hours=0).get("/api/health").json()


def exported(data: bytes, format: str) -> tuple[set[str], list[float], list[str]]:
    """The event ids, coordinates and geo-precision values in an export."""
    if format == "acled-csv":
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
        return ({row["tags"].split("; ")[0].removeprefix("sitrep ") for row in rows},
                [float(row[key]) for row in rows for key in ("latitude", "longitude")],
                [row["geo_precision"] for row in rows])
    if format == "geojson":
        features = json.loads(data)["features"]
        return ({feature["id"] for feature in features},
                [value for feature in features for value in feature["geometry"]["coordinates"]],
                [str(feature["properties"]["geo_precision"]) for feature in features])
    if format == "kml":
        marks = ET.fromstring(data).iter(f"{KML}Placemark")
        found = [(mark.get("id"), mark.find(f"{KML}Point/{KML}coordinates").text,
                  mark.find(f"{KML}ExtendedData/{KML}Data[@name='geo_precision']/{KML}value").text) for mark in marks]
        return ({mark_id for mark_id, _, _ in found},
                [float(value) for _, point, _ in found for value in point.split(",")], [code for *_, code in found])
    if format == "parquet":
        table = pq.read_table(io.BytesIO(data)).to_pylist()
        return ({row["id"] for row in table}, [row[key] for row in table for key in ("latitude", "longitude")],
                [str(row["geo_precision"]) for row in table])
    events = [json.loads(line) for line in data.decode("utf-8").splitlines()]
    return ({event["id"] for event in events}, [event["place"][key] for event in events for key in ("lat", "lon")],
            [str(event["place"]["precision"]) for event in events])


@pytest.mark.parametrize("format", EXPORT_FORMATS)
def test_every_export_format_is_rounded_and_held_back(front, format):
    ids = event_ids(front)
    response = client_for(front).get("/api/export", params={"format": format})
    assert response.status_code == 200, response.text
    found, points, precisions = exported(response.content, format)
    assert found == RELEASED(ids)
    assert points and all(on_grid(value) for value in points), points
    assert set(precisions) == {"3"}
    assert b"all week" not in response.content or format == "parquet"


def test_cli_export_with_opsec_options(tmp_path):
    database = tmp_path / "front.db"
    with Store.open(f"sqlite:///{database}") as store:
        fill(store)
        ids = event_ids(store)
    result = CliRunner().invoke(cli, ["export", "--db", str(database), "--format", "geojson", "--opsec-round", "0.1",
                                      "--opsec-delay", "24"])
    assert result.exit_code == 0, result.output
    features = json.loads(result.stdout)["features"]
    assert {feature["id"] for feature in features} == RELEASED(ids)
    points = {feature["properties"]["place"]: feature["geometry"]["coordinates"] for feature in features}
    assert points == {"Orikhiv": [35.8, 47.6], "Vuhledar": [37.2, 47.8], "Robotyne": [35.8, 47.4],
                      "Marinka": [37.5, 47.9]}
    # The options override the environment's policy; without them every event comes out exact.
    plain = CliRunner().invoke(cli, ["export", "--db", str(database), "--format", "geojson"])
    assert len(json.loads(plain.stdout)["features"]) == 7


@pytest.fixture()
def fresh_settings():
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.parametrize(("variable", "value", "words"), [
    ("SITREP_OPSEC_ROUND_DEG", "fine", "is not a number"), ("SITREP_OPSEC_ROUND_DEG", "-0.1", "out of range"),
    ("SITREP_OPSEC_ROUND_DEG", "nan", "not a finite number"), ("SITREP_OPSEC_ROUND_DEG", "120", "out of range"),
    ("SITREP_OPSEC_DELAY_HOURS", "soon", "is not a number"), ("SITREP_OPSEC_DELAY_HOURS", "-2", "is negative"),
    ("SITREP_OPSEC_DELAY_HOURS", "inf", "not a finite number"),
])
def test_bad_settings_are_one_clear_line(tmp_path, monkeypatch, fresh_settings, variable, value, words):
    monkeypatch.setenv(variable, value)
    result = CliRunner().invoke(cli, ["export", "--db", str(tmp_path / "x.db"), "--format", "jsonl"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"sitrep: {variable}={value!r}") and words in lines[0], lines


@pytest.mark.parametrize(("option", "value"), [("--opsec-round", "a tenth"), ("--opsec-round", "-1"),
                                               ("--opsec-delay", "-24"), ("--opsec-delay", "tomorrow")])
def test_bad_options_are_one_clear_line(tmp_path, option, value):
    result = CliRunner().invoke(cli, ["export", "--db", str(tmp_path / "x.db"), "--format", "jsonl", option, value])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"sitrep: {option} {value!r}"), lines


def test_serve_says_that_opsec_is_on(tmp_path, monkeypatch):
    import socket

    import uvicorn

    served = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.append(app))
    with socket.socket() as probe:  # a port that is free now
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "x.db"), "--port", str(port),
                                      "--opsec-round", "0.05", "--opsec-delay", "12"])
    assert result.exit_code == 0, result.output
    assert "sitrep: OPSEC on: coordinates rounded to a 0.05° grid; records published 12 h after the end of " \
           "their day" in result.output
    assert served[0].state.opsec == OpsecPolicy(round_deg=0.05, delay_hours=12)
    served[0].state.store.close()


# The box is no oracle: whatever box a client asks for, the answer depends only on the rounded
# points, so two events in one grid cell are both in or both out.


@pytest.fixture()
def crowded(db_url):
    """300 events in one square degree: about three per 0.1° cell."""
    with Store.open(db_url) as store:
        fill_events(store, 300, seed=8, bbox=(30.0, 46.0, 31.0, 47.0), since=dt.date(2023, 1, 1), days=40)
        yield store


def listed(client: TestClient, path: str, box: tuple[float, ...], limit: int = 5000, **params) -> list[dict]:
    """Every item of a listing for ``box``, following the cursors."""
    items: list[dict] = []
    query = {"bbox": ",".join(f"{value:.6f}" for value in box), "limit": limit, **params}
    while True:
        body = client.get(path, params=query).json()
        items += body["items"]
        if not body["next"]:
            return items
        query["cursor"] = body["next"]


def random_boxes(rng: random.Random, count: int) -> list[tuple[float, float, float, float]]:
    boxes = []
    for _ in range(count):
        west, east = sorted(rng.uniform(29.9, 31.1) for _ in range(2))
        south, north = sorted(rng.uniform(45.9, 47.1) for _ in range(2))
        boxes.append((west, south, east, north))
    return boxes


def test_a_box_selects_whole_grid_cells(crowded):
    client = client_for(crowded, delay_hours=0)
    everything = listed(client, "/api/events", (-180, -90, 180, 90), view="compact")
    cells: dict[tuple[float, float], set[str]] = {}
    for item in everything:
        cells.setdefault((item["lat"], item["lon"]), set()).add(item["id"])
    assert len(everything) == 300 and max(len(ids) for ids in cells.values()) >= 3
    for box in random_boxes(random.Random(3), 40):
        found = {item["id"] for item in listed(client, "/api/events", box, view="compact")}
        expected = {event_id for (lat, lon), ids in cells.items() if opsec.in_box(lat, lon, box) for event_id in ids}
        assert found == expected, box


def test_a_box_around_the_exact_point_finds_nothing_off_the_grid(crowded):
    """The attack itself: boxes that hold an event's exact point but not its rounded one find
    nothing, and boxes that hold its rounded point but not its exact one find it."""
    client = client_for(crowded, delay_hours=0)
    exact = {event.id: (event.place.lat, event.place.lon) for event in crowded.events()}
    checked = 0
    for event_id, (lat, lon) in list(exact.items())[:30]:
        rounded_lat, rounded_lon = opsec.snap_point(lat, lon, STEP)
        if abs(lat - rounded_lat) < 0.002 or abs(lon - rounded_lon) < 0.002:
            continue
        tight = (lon - 0.001, lat - 0.001, lon + 0.001, lat + 0.001)
        assert event_id not in {item["id"] for item in listed(client, "/api/events", tight)}
        assert event_id not in {item["id"] for item in listed(client, "/api/events", tight, limit=1)}
        on_point = (rounded_lon - 0.001, rounded_lat - 0.001, rounded_lon + 0.001, rounded_lat + 0.001)
        assert event_id in {item["id"] for item in listed(client, "/api/events", on_point, limit=1)}
        checked += 1
    assert checked >= 10


def test_paging_a_box_one_by_one_gives_the_same_events(crowded):
    client = client_for(crowded, delay_hours=0)
    for box in random_boxes(random.Random(5), 4):
        whole = [item["id"] for item in listed(client, "/api/events", box)]
        assert [item["id"] for item in listed(client, "/api/events", box, limit=1)] == whole


def test_places_control_and_export_boxes_use_the_rounded_points(crowded):
    client = client_for(crowded, delay_hours=0)
    everything = listed(client, "/api/places", (-180, -90, 180, 90))
    for box in random_boxes(random.Random(9), 10):
        places = listed(client, "/api/places", box, limit=7)
        assert {place["geonameid"] for place in places} == {
            place["geonameid"] for place in everything if opsec.in_box(place["lat"], place["lon"], box)}
        geojson = client.get("/api/export", params={"format": "geojson", "bbox": ",".join(map(str, box))}).json()
        for feature in geojson["features"]:
            lon, lat = feature["geometry"]["coordinates"]
            assert opsec.in_box(lat, lon, box)
