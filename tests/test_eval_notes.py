"""The ACLED-style notes development set (tests/gold/notes/) and ``sitrep eval notes``' scoring.

No accuracy floors here yet: these tests check the notes file, its generator and the counting rules.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
import zipfile
from importlib import resources
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from sitrep.evaluation import notes as scoring
from sitrep.evaluation.claims import ACLED_SUBTYPES

ROOT = Path(__file__).resolve().parent.parent
NOTES_DIR = ROOT / "tests" / "gold" / "notes"
NOTES = NOTES_DIR / "notes.jsonl"
UA_DUMP = ROOT.parent / "shared" / "data" / "gazetteer" / "UA.zip"
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


def _generator():
    spec = importlib.util.spec_from_file_location("make_notes", NOTES_DIR / "make_notes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _raw() -> list[dict]:
    return [json.loads(line) for line in NOTES.read_text("utf-8").splitlines() if line.strip()]


# ------------------------------------------------------------------ the notes file

def test_notes_parse_and_labels_are_acled_names():
    notes = scoring.read_notes(NOTES)
    assert 200 <= len(notes) <= 300
    assert len({note.id for note in notes}) == len(notes)
    lexicon = yaml.safe_load(resources.files("sitrep.extract.lang.en").joinpath("events.yaml").read_text("utf-8"))
    known = {entry["name"]: entry["event_type"] for entry in lexicon["subtypes"]}
    for note in notes:
        assert known.get(note.sub_event_type) == note.event_type, note.id
        assert ACLED_SUBTYPES[note.sub_event_type] == note.event_type, note.id
        assert note.actor1_side in ("UA", "RU", None), note.id
        day = f"{note.date.day} {MONTHS[note.date.month - 1]} {note.date.year}"
        assert re.match(rf"On (?:or around |the night of )?{day}, ", note.text), note.id
        for place in note.places:
            assert place.mention in note.text, note.id
    # every sub-type the brief lists, and the hard cases in a large share
    assert len({note.sub_event_type for note in notes}) >= 15
    share = lambda tag: sum(tag in note.tags for note in notes) / len(notes)  # noqa: E731
    assert share("namesake") >= 0.3 and share("frontline") >= 0.3 and share("near_capital") >= 0.15
    assert share("two_places") > 0 and share("raion") > 0
    assert all(note.actor1_side is None for note in notes if note.event_type == "Protests")


def test_read_notes_rejects_a_wrong_label(tmp_path):
    line = _raw()[0] | {"sub_event_type": "Shelling"}
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(line) + "\n", "utf-8")
    with pytest.raises(Exception, match=r"bad\.jsonl:1.*Shelling"):
        scoring.read_notes(bad)
    wrong_type = _raw()[0] | {"event_type": "Battles", "sub_event_type": "Air/drone strike"}
    bad.write_text(json.dumps(wrong_type) + "\n", "utf-8")
    with pytest.raises(Exception, match="belongs to"):
        scoring.read_notes(bad)


@pytest.mark.skipif(not UA_DUMP.exists(), reason="the GeoNames dump of Ukraine lives in ../shared")
def test_gold_places_match_the_dump():
    wanted = {place["geonameid"] for note in _raw() for place in note["places"]}
    rows = {}
    with zipfile.ZipFile(UA_DUMP) as archive:
        for line in archive.read("UA.txt").decode("utf-8").splitlines():
            columns = line.split("\t")
            if int(columns[0]) in wanted:
                rows[int(columns[0])] = columns
    for note in _raw():
        for place in note["places"]:
            row = rows[place["geonameid"]]
            assert row[6] == "P" and row[8] == "UA", note["id"]
            assert (row[1], row[10]) == (place["name"], place["admin1"]), note["id"]
            assert (float(row[4]), float(row[5])) == (place["lat"], place["lon"]), note["id"]


@pytest.mark.skipif(not UA_DUMP.exists(), reason="the GeoNames dump of Ukraine lives in ../shared")
def test_generator_is_deterministic(tmp_path):
    out = tmp_path / "notes.jsonl"
    _generator().main(["--dump", str(UA_DUMP), "--out", str(out)])
    assert out.read_bytes() == NOTES.read_bytes()


def test_kmu_spelling():
    generator = _generator()
    assert generator.kmu_spelling("Zolotyy Kolodyaz") == "Zolotyi Kolodiaz"
    assert generator.kmu_spelling("Yasynuvata") == "Yasynuvata"


# ------------------------------------------------------------------ the scorer on a tiny fake input

def _note(subtype="Shelling/artillery/missile attack", side="RU", text=None, tags=("namesake",)):
    text = text or "On 14 March 2023, Russian forces shelled near Kurdiumivka, Donetsk. Casualties unknown."
    return scoring.Note(id="t1", text=text, date=dt.date(2023, 3, 14), event_type=ACLED_SUBTYPES[subtype],
                        sub_event_type=subtype, actor1_side=side,
                        places=(scoring.GoldPlace(703633, "Kurdyumivka", "Kurdiumivka", "05", 48.46997, 37.95717),),
                        tags=tags)


def _extraction(note, subtype="Shelling/artillery/missile attack", side="RU", place=None, day=None,
                event=True):
    from sitrep.models import Actor, Claim, Document, Event, EventDate, Extraction, Place, Source

    day = day or note.date
    places = [Place(mention="Kurdiumivka", start=41, end=52, geonameid=703633, name="Kurdyumivka",
                    feature="PPL", admin1="05", country="UA", lat=48.47, lon=37.96, precision=1)]
    if place is not None:
        places.append(place)
    coded = Event(event_type=ACLED_SUBTYPES[subtype], sub_event_type=subtype, actor1=Actor(name="forces", side=side),
                  place=len(places) - 1, date=EventDate(start=day, end=day, precision="day")) if event else None
    claim = Claim(id="d:0-10", start=0, end=len(note.text), text=note.text, confidence=0.5,
                  source=Source(name="ACLED"), event=coded)
    return Extraction(document=Document(id="d", source="t", text=note.text), places=places, claims=[claim])


def _kherson_city():
    from sitrep.models import Place

    return Place(mention="Donetsk", start=54, end=61, geonameid=709717, name="Donetsk", feature="PPLA", admin1="05",
                 country="UA", lat=48.023, lon=37.80224, precision=1)


def test_scorer_counts_right_and_wrong():
    right = _note()
    wrong = _note()
    nothing = _note(subtype="Armed clash", side="UA")
    protest = _note(subtype="Peaceful protest", side=None)
    extractions = [
        _extraction(right),
        _extraction(wrong, subtype="Air/drone strike", side="UA", place=_kherson_city(), day=dt.date(2023, 3, 21)),
        _extraction(nothing, event=False),
        _extraction(protest, subtype="Peaceful protest", side="UA"),
    ]
    report = scoring.score_notes([right, wrong, nothing, protest], extractions)
    assert report.notes == 4 and report.with_event == 3
    assert (report.scores["event_type"].correct, report.scores["event_type"].total) == (3, 4)
    assert (report.scores["sub_event_type"].correct, report.scores["sub_event_type"].total) == (2, 4)
    assert (report.scores["place"].correct, report.scores["place"].total) == (2, 4)
    assert (report.scores["date"].correct, report.scores["date"].total) == (2, 4)
    # the protest's actor1 side is not scored: its gold names none
    assert (report.scores["actor1_side"].correct, report.scores["actor1_side"].total) == (1, 3)
    assert report.place_classes == {"oblast read as capital": 1, "no event": 1}
    assert report.confusions[("Shelling/artillery/missile attack", "Air/drone strike")] == 1
    assert report.confusions[("Armed clash", "no event")] == 1
    assert report.errors_km[0] < 1 and 45 < report.errors_km[1] < 55
    assert report.place_anywhere.correct == 4  # the village is among every record's places
    assert report.by_tag["namesake"].correct == 2
    fields = {(mistake.note, mistake.field) for mistake in report.mistakes}
    assert ("t1", "place") in fields and ("t1", "actor1_side") in fields
    data = scoring.report_dict(report, mistakes=3)
    assert data["scores"]["place"] == {"accuracy": 0.5, "correct": 2, "n": 4}
    assert len(data["mistakes"]) == 3
    json.dumps(data)


def test_two_places_take_the_nearer_and_namesakes_are_named():
    from sitrep.models import Place

    note = _note()
    two = scoring.Note(**(note.__dict__ | {"places": note.places + (
        scoring.GoldPlace(1, "Far", "Far", "05", 47.0, 37.0),)}))
    report = scoring.score_notes([two], [_extraction(two)])
    assert report.scores["place"].correct == 1
    namesake = Place(mention="Kurdiumivka", start=41, end=52, geonameid=2, name="Kurdyumovka", feature="PPL",
                     admin1="RU.61", country="RU", lat=51.0, lon=39.0, precision=1)
    extraction = _extraction(note, place=namesake)
    report = scoring.score_notes([note], [extraction])
    assert report.place_classes == {"namesake in Russia": 1}


def test_first_event_claim_and_baseline():
    from types import SimpleNamespace

    later = SimpleNamespace(start=50, end=60, event="later")
    first = SimpleNamespace(start=0, end=40, event="first")
    empty = SimpleNamespace(start=0, end=10, event=None)
    assert scoring.first_event_claim(SimpleNamespace(claims=[later, empty, first])).event == "first"
    assert scoring.first_event_claim(SimpleNamespace(claims=[empty])) is None
    assert scoring.baseline_subtype("Ukrainian forces shot down a Russian drone over X.") == "Disrupted weapons use"
    assert scoring.baseline_subtype("Russian forces launched a drone strike on X.") == "Air/drone strike"
    assert scoring.baseline_subtype("Russian forces took control of X.") == "Non-state actor overtakes territory"
    assert scoring.baseline_subtype("Nothing here.") == scoring.BASELINE_DEFAULT
    assert len(scoring.BASELINE) <= 10


def test_note_document_is_published_a_week_later():
    document = scoring.note_document(_note())
    assert document.published == dt.date(2023, 3, 21) and document.text == _note().text


def test_command_is_registered_and_fails_on_a_missing_file(tmp_path):
    from sitrep.cli import app

    runner = CliRunner()
    assert runner.invoke(app, ["eval", "notes", "--help"]).exit_code == 0
    result = runner.invoke(app, ["eval", "notes", str(tmp_path / "missing.jsonl")])
    assert result.exit_code == 2
    result = runner.invoke(app, ["eval", "notes", "--format", "xml"])
    assert result.exit_code == 2
