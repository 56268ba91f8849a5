"""The gazetteer: the built-in layer, GeoNames imports (atomic, idempotent, validated) and the CLI."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.errors import InputError
from sitrep.gazetteer import Entry, Layer, load_builtin, load_gazetteer, prior
from sitrep.gazetteer.builtin import distance_km
from sitrep.gazetteer.geonames import add_country, read_layer
from sitrep.settings import get_settings

UA_ZIP = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "gazetteer" / "UA.zip"


def dump_row(geonameid, name, lat, lon, feature="PPL", country="UA", admin1="05", alternates="", population=0):
    """One line of a GeoNames dump (19 tab-separated columns)."""
    feature_class = "A" if feature.startswith(("ADM", "PCL")) else "P"
    columns = [str(geonameid), name, name, alternates, str(lat), str(lon), feature_class, feature, country, "",
               admin1, "", "", "", str(population), "", "200", "Europe/Kyiv", "2024-01-01"]
    return "\t".join(columns) + "\n"


# Real places, typed for these tests from memory of a map (not copied from any dump).
SMALL_DUMP = (dump_row(709716, "Donetsk Oblast", 48.0, 37.7, "ADM1", alternates="Donetsk,Donechchyna")
              + dump_row(704508, "Kramatorsk", 48.723, 37.556, alternates="Краматорськ", population=150000)
              + dump_row(712451, "Bilozerske", 48.49, 37.06, population=15000)
              + dump_row(709717, "Donetsk", 48.023, 37.802, "PPLA", population=900000))


@pytest.fixture()
def home(tmp_path, monkeypatch):
    """A SITREP_HOME of its own, with a tiny built-in layer so that merging takes milliseconds."""
    monkeypatch.setenv("SITREP_HOME", str(tmp_path))
    get_settings.cache_clear()
    builtin = Layer("builtin")
    builtin.add(Entry(690791, "Ukraine", "PCLI", None, "UA", 49.0, 32.0, 40_000_000), ["Ukraina"])
    region = builtin.add(Entry(709716, "Donetsk Oblast", "ADM1", "05", "UA", 48.0, 37.7), ["Donbas oblast"])
    builtin.region_short["donetsk"] = region
    builtin.demonyms["ukrainian"] = 0
    monkeypatch.setattr("sitrep.gazetteer.load_builtin_layer", lambda cache_dir: builtin)
    yield tmp_path
    get_settings.cache_clear()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.skipif(not UA_ZIP.exists(), reason=f"the GeoNames UA dump is not at {UA_ZIP} (it lives in ../shared)")
def test_import_ua_finds_klishchiivka(home):
    result = add_country("UA", str(UA_ZIP), get_settings())
    assert result.entries > 30_000
    places = load_gazetteer(get_settings()).candidates("Klishchiivka")
    assert any(distance_km(p.lat, p.lon, 48.53, 37.97) < 8 for p in places)


def test_import_is_idempotent(home, tmp_path):
    source = write(tmp_path / "UA.txt", SMALL_DUMP)
    first = add_country("UA", str(source), get_settings())
    second = add_country("ua", str(source), get_settings())
    assert (first.entries, first.names) == (second.entries, second.names) == (4, second.names)
    assert sorted(p.name for p in (home / "gazetteer").iterdir()) == ["UA.layer"]


def test_imported_entry_replaces_builtin_and_keeps_its_names(home, tmp_path):
    add_country("UA", str(write(tmp_path / "UA.txt", SMALL_DUMP)), get_settings())
    gazetteer = load_gazetteer(get_settings())
    regions = [e for e in gazetteer.entries if e.geonameid == 709716]
    assert len(regions) == 1 and regions[0].feature == "ADM1"
    assert gazetteer.candidates("donbas oblast") == regions  # a built-in alias carried over
    assert gazetteer.entries[gazetteer.region_short["donetsk"]] == regions[0]
    assert "donetsk" not in {e.name.lower() for e in gazetteer.candidates("donetsk") if e.is_region}
    kramatorsk = gazetteer.candidates("краматорськ")[0]
    assert gazetteer.region_of(kramatorsk) == regions[0]
    assert gazetteer.country_of(kramatorsk).name == "Ukraine"


def test_zip_import_reads_the_country_member(home, tmp_path):
    archive = tmp_path / "UA.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("readme.txt", "not the data\n")
        zipped.writestr("UA.txt", SMALL_DUMP)
    assert add_country("UA", str(archive), get_settings()).entries == 4


def _truncated_zip(tmp_path: Path) -> Path:
    good = tmp_path / "good.zip"
    with zipfile.ZipFile(good, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("UA.txt", SMALL_DUMP * 50)
    data = good.read_bytes()
    return Path(tmp_path / "UA.zip").write_bytes(data[: len(data) // 2]) and tmp_path / "UA.zip"


@pytest.mark.parametrize("make_bad, expected", [
    (lambda d: write(d / "UA.zip", "this is not a zip"), "corrupt"),
    (_truncated_zip, "zip"),
    (lambda d: write(d / "UA.txt", SMALL_DUMP + SMALL_DUMP[:40]), "UA.txt:5"),
    (lambda d: write(d / "UA.txt", SMALL_DUMP + "1\tBroken\t48.0\n"), "columns"),
    (lambda d: write(d / "UA.txt", SMALL_DUMP + dump_row(1, "Nowhere", 48.0, 37.0, country="XX")), "country"),
    (lambda d: write(d / "UA.txt", SMALL_DUMP + dump_row(2, "Offmap", 123.0, 37.0)), "out of range"),
    (lambda d: write(d / "UA.txt", dump_row("x1", "Bad id", 48.0, 37.0)), "bad number"),
])
def test_bad_dump_is_refused_and_previous_layer_kept(home, tmp_path, make_bad, expected):
    add_country("UA", str(write(tmp_path / "good.txt", SMALL_DUMP)), get_settings())
    layer_file = home / "gazetteer" / "UA.layer"
    before = layer_file.read_bytes()
    bad_dir = tmp_path / "bad"
    bad_dir.mkdir()
    with pytest.raises(InputError) as caught:
        add_country("UA", str(make_bad(bad_dir)), get_settings())
    assert expected in str(caught.value) and "\n" not in str(caught.value)
    assert layer_file.read_bytes() == before
    assert len(read_layer(layer_file).entries) == 4
    assert load_gazetteer(get_settings()).candidates("kramatorsk")


def test_unknown_country_argument(home, tmp_path):
    with pytest.raises(InputError, match="country code"):
        add_country("QQ", str(write(tmp_path / "QQ.txt", SMALL_DUMP)), get_settings())


def test_cli_add_info_lookup(home, tmp_path):
    from sitrep.cli import app

    runner = CliRunner()
    added = runner.invoke(app, ["gazetteer", "add", "UA", "--from", str(write(tmp_path / "UA.txt", SMALL_DUMP))])
    assert added.exit_code == 0, added.output
    info = runner.invoke(app, ["gazetteer", "info"])
    assert info.exit_code == 0 and "geonames:UA" in info.output and "builtin" in info.output
    found = runner.invoke(app, ["gazetteer", "lookup", "Donetsk", "--format", "jsonl"])
    rows = [json.loads(line) for line in found.output.splitlines() if line.strip()]
    assert [row["geonameid"] for row in rows] == [709717]  # the oblast needs "region" after "Donetsk"
    assert rows[0]["score"] == pytest.approx(prior(Entry(709717, "Donetsk", "PPLA", "05", "UA", 48.0, 37.8, 900000)),
                                             abs=1e-3)
    bad = runner.invoke(app, ["gazetteer", "add", "UA", "--from", str(write(tmp_path / "x.zip", "junk"))])
    assert bad.exit_code == 2 and "Traceback" not in bad.output


def test_prior_orders_feature_classes():
    def entry(feature, population=1000):
        return Entry(1, "X", feature, None, "UA", 0.0, 0.0, population)

    ranked = sorted(["PPL", "PCLI", "PPLC", "ADM1", "PPLA", "CONT"], key=lambda f: -prior(entry(f)))
    assert ranked.index("PCLI") < ranked.index("ADM1") < ranked.index("PPLC") < ranked.index("PPLA") < ranked.index("PPL")
    assert prior(entry("PPL", 100_000)) > prior(entry("PPL", 1_000))


# --- the built-in layer (built once per test session, shared with test_geoparse) -------------------------
@pytest.fixture(scope="module")
def builtin(settings):
    return load_builtin(settings.home / "cache")


@pytest.mark.parametrize("name, feature, country", [
    ("Europe", "CONT", None), ("Turkey", "PCLI", "TR"), ("United Kingdom", "PCLI", "GB"),
    ("Illinois", "ADM1", "US"), ("Cook County", "ADM2", "US"), ("Bakhmut Raion", "ADM2", "UA"),
    ("Bavaria", "ADM1", "DE"), ("Kramatorsk", "PPL", "UA"), ("Chicago", "PPL", "US"),
])
def test_builtin_has_the_world(builtin, name, feature, country):
    found = [(e.feature, e.country) for e in builtin.candidates(name)]
    assert (feature, country) in found


@pytest.mark.parametrize("demonym, country", [("turkish", "TR"), ("syrian", "SY"), ("ukrainians", "UA"),
                                              ("british", "GB")])
def test_builtin_demonyms(builtin, demonym, country):
    assert builtin.entries[builtin.demonyms[demonym]].country == country


def test_builtin_regions_have_points_and_parents(builtin):
    [illinois] = [e for e in builtin.candidates("illinois") if e.is_region]
    assert 37 < illinois.lat < 43 and -92 < illinois.lon < -87
    chicago = max(builtin.candidates("chicago"), key=lambda e: e.population)
    assert builtin.region_of(chicago) == illinois and builtin.country_of(chicago).name == "United States"
    assert builtin.entries[builtin.region_short["donetsk"]].name == "Donetsk Oblast"


def test_automaton_yields_end_and_key(builtin):
    text = "shelling near kramatorsk and in illinois"
    found = {key for end, key in builtin.automaton.iter(text) if text[end - len(key) + 1:end + 1] == key}
    assert {"kramatorsk", "illinois"} <= found


# --- country aliases, unions, peoples of continents, alternate names, region points ---------------------
@pytest.mark.parametrize("alias", ["US", "U.S.", "USA", "America"])
def test_short_country_names_outrank_villages(builtin, alias):
    best = max(builtin.candidates(alias), key=prior)
    assert (best.feature, best.country) == ("PCLI", "US")


def test_the_eu_is_a_union_with_a_point(builtin):
    best = max(builtin.candidates("EU"), key=prior)
    assert best.name == "European Union" and best.lat is not None and best.country is None


@pytest.mark.parametrize("demonym, name", [("european", "Europe"), ("africans", "Africa"),
                                           ("latin american", "South America")])
def test_peoples_of_continents(builtin, demonym, name):
    assert builtin.entries[builtin.demonyms[demonym]].name == name


def test_alternate_names_are_marked_and_survive_a_merge():
    from sitrep.gazetteer.index import merge

    layer = Layer("test")
    layer.add(Entry(1, "Harare", "PPLC", "10", "ZW", -17.8, 31.0, 1_500_000), ["Salisbury"], primary=[])
    layer.add(Entry(2, "Salisbury", "PPL", "ENG", "GB", 51.07, -1.79, 40_000), ["Sarum"], primary=["Sarum"])
    update = Layer("update")
    update.add(Entry(1, "Harare", "PPLC", "10", "ZW", -17.8, 31.0, 1_600_000), ["Harare City"])
    gazetteer = merge([layer, update])
    marked = {entry.name: alternate for entry, alternate in gazetteer.marked_candidates("salisbury")}
    assert marked == {"Harare": True, "Salisbury": False}
    assert [alternate for _entry, alternate in gazetteer.marked_candidates("harare city")] == [False]


def test_code_like_alternates_are_dropped_outside_variant_countries():
    from sitrep.gazetteer.builtin import usable_names

    assert "CUN" not in usable_names("Cancún", ["CUN", "Cancun"], 600_000, "MX")
    assert "Cancun" in usable_names("Cancún", ["CUN", "Cancun"], 600_000, "MX")
    assert "KBP" in usable_names("Boryspil", ["KBP"], 600_000, "UA")


def test_region_point_is_the_middle_of_its_places_not_of_its_people():
    from sitrep.gazetteer.builtin import region_point

    # 50 small towns spread over a square of 4 degrees, and one big city in its north-east corner
    places = [{"latitude": 40 + (i % 10) * 0.4, "longitude": -100 + (i // 10) * 0.8, "population": 1_000}
              for i in range(50)]
    places.append({"latitude": 43.6, "longitude": -96.0, "population": 5_000_000})
    lat, lon = region_point(places)
    assert distance_km(lat, lon, 41.8, -98.4) < 30  # the population-weighted centroid is 190 km off
