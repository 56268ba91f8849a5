"""Geoparsing evaluation: the corpus readers, the metrics, the counting rules and the CLI.

The fixtures under tests/fixtures/geoparse are team-written texts in the GeoWebNews and LGL formats;
the expected figures below are counted by hand from them and from the fake system's answers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import SHARED

from sitrep.errors import InputError
from sitrep.evaluation.geoparse import (
    ACCURACY_KM, GoldMention, baseline_places, evaluate, haversine_km, is_covered, match_exact, match_overlap,
    median, most_populous, prf, read_corpus, report_dict, score_resolution,
)
from sitrep.models import Place

FIXTURES = Path(__file__).parent / "fixtures" / "geoparse"
GRITTA = SHARED / "data" / "eval" / "geoparsing_gritta"
KHARKIV, KYIV, DNIPRO = (49.98081, 36.25272, 706483), (50.45466, 30.5238, 703448), (48.4593, 35.03865, 709930)
ZAPORIZHZHIA, LVIV = (47.82289, 35.19031, 687700), (49.83826, 24.02324, 702550)
IRELAND = (53.0, -8.0, 2963597)
DNIPRO_MOUTH = (46.5, 32.0, None)  # a wrong answer for "Dnipro": the river's mouth, ~300 km away


@dataclass(frozen=True)
class FakeEntry:
    geonameid: int | None
    name: str
    lat: float | None
    lon: float | None
    population: int = 0
    feature: str = "PPL"


class FakeGazetteer:
    def __init__(self, entries: dict[str, list[FakeEntry]]):
        self.entries = entries

    def candidates(self, name: str) -> list[FakeEntry]:
        return self.entries.get(name.lower(), [])


def entry(name: str, point: tuple, population: int) -> FakeEntry:
    return FakeEntry(point[2], name, point[0], point[1], population)


@pytest.fixture()
def gazetteer() -> FakeGazetteer:
    return FakeGazetteer({
        "kharkiv": [entry("Kharkiv", KHARKIV, 1_400_000)],
        "kyiv": [entry("Kyiv", KYIV, 2_900_000)],
        "dnipro": [entry("Dnipro", DNIPRO, 990_000), entry("Dnipro", DNIPRO_MOUTH, 0)],
        "zaporizhzhia": [entry("Zaporizhzhia", ZAPORIZHZHIA, 720_000)],
        "lviv": [entry("Lviv", LVIV, 720_000)],
        "odesa": [entry("Odesa", (46.47747, 30.73262, 698740), 1_000_000)],
    })


def place(text: str, word: str, point: tuple | None, kind: str = "toponym", nth: int = 0) -> Place:
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    lat, lon, geonameid = point or (None, None, None)
    return Place(mention=word, start=start, end=start + len(word), lat=lat, lon=lon, geonameid=geonameid,
                 kind=kind, unresolved=None if point else "not in gazetteer")


class FakeSystem:
    """Answers chosen to exercise every counting rule (see the expected figures in the tests)."""

    resolutions = {"kharkiv": KHARKIV, "dnipro": DNIPRO, "zaporizhzhia": ZAPORIZHZHIA, "lviv": LVIV,
                   "odesa": (46.47747, 30.73262, 698740)}

    def geoparse(self, text: str) -> list[Place]:
        if text.startswith("Shelling"):
            return [place(text, "Kharkiv", KHARKIV), place(text, "Monday", KYIV),
                    place(text, "Irish", IRELAND, kind="demonym"), place(text, "Dnipro", DNIPRO_MOUTH),
                    place(text, "Zaporizhzhia overnight", ZAPORIZHZHIA), place(text, "Kharkiv Tractor Plant", KHARKIV),
                    place(text, "Ukrainians", (49.0, 32.0, 690791), kind="demonym"), place(text, "city", None)]
        return [place(text, word, self.resolutions[word.lower()]) for word in ("Lviv", "Odesa") if word in text]

    def resolve(self, text: str, spans: list[tuple[int, int]]) -> list[Place]:
        answers = []
        for start, end in spans:
            word = text[start:end]
            answers.append(place(text[:start] + word, word, self.resolutions.get(word.lower()),
                                 nth=text[:start + 1].count(word) - 1))
        return answers


# ---------------------------------------------------------------- metrics

def test_haversine_matches_known_distances():
    assert haversine_km(*KYIV[:2], *KYIV[:2]) == 0
    assert haversine_km(0, 0, 1, 0) == pytest.approx(111.195, abs=0.01)  # one degree of a great circle
    assert haversine_km(*KYIV[:2], *LVIV[:2]) == pytest.approx(468, abs=5)
    assert haversine_km(*KYIV[:2], *LVIV[:2]) == pytest.approx(haversine_km(*LVIV[:2], *KYIV[:2]))
    assert haversine_km(0, 0, 0, 180) == pytest.approx(20015, abs=1)  # antipodes do not overflow asin


@pytest.mark.parametrize("gold, predicted, exact, overlap", [
    ([(0, 5)], [(0, 5)], 1, 1),
    ([(0, 5)], [(0, 9)], 0, 1),
    ([(0, 5)], [(5, 9)], 0, 0),  # touching is not overlapping
    ([(0, 5), (6, 9)], [(0, 9)], 0, 1),  # one prediction pairs with one gold span only
    ([(0, 5), (0, 5)], [(0, 5)], 1, 1),
    ([(0, 5), (6, 9)], [(6, 9), (0, 5)], 2, 2),
    ([(0, 9)], [(0, 3), (0, 9)], 1, 1),  # the exact one is preferred
    ([], [(0, 3)], 0, 0),
])
def test_span_matching_is_one_to_one(gold, predicted, exact, overlap):
    assert len(match_exact(gold, predicted)) == exact
    assert len(match_overlap(gold, predicted)) == overlap
    assert match_overlap([(0, 9)], [(0, 3), (0, 9)]) == [(0, 1)]


@pytest.mark.parametrize("tp, predicted, gold, expected", [
    (5, 8, 10, (0.625, 0.5, 0.5556)),
    (0, 0, 0, (0.0, 0.0, 0.0)),
    (0, 3, 4, (0.0, 0.0, 0.0)),
    (4, 4, 4, (1.0, 1.0, 1.0)),
])
def test_prf(tp, predicted, gold, expected):
    assert prf(tp, predicted, gold) == pytest.approx(expected, abs=1e-4)


def test_median():
    assert median([]) is None
    assert median([3.0, 1.0, 2.0]) == 2.0
    assert median([4.0, 1.0]) == 2.5


def test_resolution_counts_unresolved_as_wrong_and_skips_gold_without_point():
    gold = [GoldMention(0, 4, "Kyiv", lat=KYIV[0], lon=KYIV[1], geonameid=KYIV[2]),
            GoldMention(5, 9, "Lviv", lat=LVIV[0], lon=LVIV[1], geonameid=LVIV[2]),
            GoldMention(10, 15, "Odesa"),
            GoldMention(16, 22, "Dnipro", lat=DNIPRO[0], lon=DNIPRO[1])]
    predicted = [Place(mention="Kyiv", start=0, end=4, lat=KYIV[0], lon=KYIV[1], geonameid=KYIV[2]),
                 Place(mention="Lviv", start=5, end=9, unresolved="not in gazetteer"),
                 Place(mention="Odesa", start=10, end=15, lat=0.0, lon=0.0),
                 Place(mention="Dnipro", start=16, end=22, lat=DNIPRO_MOUTH[0], lon=DNIPRO_MOUTH[1])]
    score = score_resolution(zip(gold, predicted))
    assert (score.mentions, score.within, score.resolved) == (3, 1, 2)
    assert score.acc161 == pytest.approx(1 / 3)
    assert (score.with_id, score.id_correct) == (2, 1)
    assert score.median_km == pytest.approx(haversine_km(*DNIPRO[:2], *DNIPRO_MOUTH[:2]) / 2)
    assert haversine_km(*DNIPRO[:2], *DNIPRO_MOUTH[:2]) > ACCURACY_KM


# ---------------------------------------------------------------- readers

@pytest.mark.parametrize("corpus, name", [("gwn", "GWN.xml"), ("lgl", "lgl.xml")])
def test_readers_accept_the_file_or_its_folder_and_offsets_cover_the_names(corpus, name):
    from_folder, from_file = read_corpus(corpus, FIXTURES), read_corpus(corpus, FIXTURES / name)
    assert from_folder.articles == from_file.articles
    for article in from_file.articles:
        for mention in article.mentions:
            assert article.text[mention.start:mention.end] == mention.name


def test_gwn_reader_keeps_toponym_types_and_ignores_demonyms():
    corpus = read_corpus("gwn", FIXTURES)
    first = corpus.articles[0]
    assert [m.type for m in first.mentions] == [
        "Literal", "Non_Literal_Modifier", "Literal", "Literal", "Metonymic", "Embedded_Literal"]
    assert [first.text[s:e] for s, e in first.ignored] == ["Ukrainians"]
    assert corpus.dropped == 1  # the annotation whose offsets miss its words
    assert first.mentions[2].geonameid is None and first.mentions[2].has_point
    assert not corpus.articles[1].mentions[1].has_point


def test_lgl_reader_reads_gaztags():
    corpus = read_corpus("lgl", FIXTURES, limit=1)
    assert len(corpus.articles) == 1
    lviv, _, vynnyky = corpus.articles[0].mentions
    assert (lviv.geonameid, lviv.lat, lviv.lon) == (LVIV[2], LVIV[0], LVIV[1])
    assert vynnyky.name == "Vynnyky" and not vynnyky.has_point


@pytest.mark.parametrize("corpus, path, words", [
    ("gwn", FIXTURES / "missing", "no GWN.xml here"),
    ("lgl", FIXTURES / "GWN.xml", "is this the lgl corpus"),
    ("gwn", FIXTURES / "lgl.xml", "is this the gwn corpus"),
    ("nope", FIXTURES, "unknown corpus"),
])
def test_readers_fail_with_one_line(corpus, path, words):
    with pytest.raises(InputError, match=words) as error:
        read_corpus(corpus, path)
    assert "\n" not in str(error.value)


def test_unparseable_corpus_is_an_input_error(tmp_path):
    (tmp_path / "GWN.xml").write_text("<articles><article>", encoding="utf-8")
    with pytest.raises(InputError, match="cannot read the corpus XML"):
        read_corpus("gwn", tmp_path)


# ---------------------------------------------------------------- baseline, coverage, evaluation

def test_baseline_takes_the_most_populous_entry_of_exactly_that_name(gazetteer):
    assert most_populous(gazetteer, "DNIPRO").geonameid == DNIPRO[2]
    assert most_populous(gazetteer, "Dnipropetrovsk") is None
    text = "From Dnipro to Kherson."
    dnipro, kherson = baseline_places(text, [(5, 11), (15, 22)], gazetteer)
    assert (dnipro.lat, dnipro.lon, dnipro.mention) == (DNIPRO[0], DNIPRO[1], "Dnipro")
    assert kherson.lat is None and kherson.unresolved


def test_coverage_needs_an_entry_of_that_name_near_the_gold_point(gazetteer):
    near = GoldMention(0, 6, "Dnipro", lat=DNIPRO_MOUTH[0], lon=DNIPRO_MOUTH[1])
    far = GoldMention(0, 4, "Lviv", lat=KYIV[0], lon=KYIV[1])
    unnamed = GoldMention(0, 5, "Irish", lat=IRELAND[0], lon=IRELAND[1])
    assert is_covered(gazetteer, near)
    assert not is_covered(gazetteer, far) and not is_covered(gazetteer, unnamed)


def test_evaluation_applies_the_counting_rules(gazetteer):
    report = evaluate(read_corpus("gwn", FIXTURES), FakeSystem(), gazetteer)
    recognition = report.recognition
    assert (recognition.gold, recognition.predicted, report.ignored_predictions) == (8, 9, 1)
    assert (recognition.exact, recognition.overlap) == (5, 7)
    assert recognition.exact_prf[:2] == pytest.approx((5 / 9, 5 / 8))
    assert recognition.overlap_prf[:2] == pytest.approx((7 / 9, 7 / 8))
    assert report.type_recall["Metonymic"] == (0, 1) and report.type_recall["Literal"] == (5, 5)
    # "Monday" (its annotation was dropped) and "city" (a cue word); the demonym "Ukrainians" is ignored
    assert report.false_positives == {"Literal_Expression": 1, "unannotated": 1}

    resolution = report.resolution
    assert (resolution["sitrep/gold"].mentions, resolution["sitrep/gold"].within) == (7, 5)
    assert (resolution["sitrep/gold"].with_id, resolution["sitrep/gold"].id_correct) == (6, 4)
    assert resolution["baseline/gold"].within == 6
    assert (resolution["sitrep/end_to_end"].mentions, resolution["sitrep/end_to_end"].within) == (6, 5)
    assert resolution["baseline/end_to_end"].within == 3  # on sitrep's spans, which carry extra words
    assert report.coverage == (6, 7)
    assert (resolution["sitrep/covered"].mentions, resolution["sitrep/covered"].within) == (6, 5)
    assert resolution["baseline/covered"].acc161 == 1.0


def test_report_dict_is_json_and_proportions(gazetteer):
    data = json.loads(json.dumps(report_dict(evaluate(read_corpus("lgl", FIXTURES), FakeSystem(), gazetteer))))
    assert data["recognition"]["gold"] == 4
    assert all(0 <= value <= 1 for value in _proportions(data))


def _proportions(data: dict) -> list[float]:
    recognition = data["recognition"]
    values = [*recognition["exact"].values(), *recognition["overlap"].values(), data["coverage"]["share"]]
    for score in data["resolution"].values():
        values += [score["acc161"], score["id_accuracy"]]
    return values


# ---------------------------------------------------------------- the command

def invoke(*args):
    from sitrep.cli import app

    return CliRunner().invoke(app, ["eval", "geoparse", *map(str, args)], catch_exceptions=False)


@pytest.fixture()
def cli(monkeypatch, pipeline):
    """Runs ``sitrep eval geoparse`` with the session's pipeline, so spaCy loads once."""
    monkeypatch.setattr("sitrep.pipeline.Pipeline", lambda settings=None: pipeline)
    return invoke


def test_cli_prints_every_figure_on_the_fixtures(cli):
    result = cli("--corpus", "gwn", FIXTURES)
    assert result.exit_code == 0, result.output
    for words in ("exact span", "overlapping span", "sitrep, gold mentions", "baseline, end to end",
                  "gazetteer coverage", "acc@161", "median km"):
        assert words in result.stdout
    data = json.loads(cli("--corpus", "lgl", FIXTURES / "lgl.xml", "--format", "json").stdout)
    assert data["articles"] == 2 and all(0 <= value <= 1 for value in _proportions(data))


@pytest.mark.parametrize("args", [
    ("--corpus", "wiktor", FIXTURES),
    ("--format", "csv", FIXTURES),
    ("--corpus", "lgl", FIXTURES / "missing.xml"),
])
def test_cli_bad_input_is_one_line_and_exit_2(args):
    result = invoke(*args)  # fails before any model loads
    assert result.exit_code == 2
    assert "Traceback" not in result.output


@pytest.mark.skipif(not (GRITTA / "GWN.xml").exists(),
                    reason=f"GeoWebNews is not at {GRITTA} (it lives in ../shared, outside the repo)")
def test_cli_on_real_geowebnews_gives_proportions(cli):
    result = cli("--corpus", "gwn", GRITTA, "--limit", 20, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["articles"] == 20 and data["recognition"]["gold"] > 0
    assert all(0 <= value <= 1 for value in _proportions(data))
