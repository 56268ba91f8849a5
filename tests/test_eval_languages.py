"""The Ukrainian and Russian gold sets (tests/gold/uk_ru/) and ``sitrep eval languages``.

The team file holds its own text. The Telegram annotations are standoff into the real posts of ../shared;
the checks that read the posts skip when ../shared is absent.
"""

from __future__ import annotations

import importlib.util
import json
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from sitrep.evaluation import languages
from sitrep.evaluation.claims import ACLED_SUBTYPES
from sitrep.evaluation.languages import (check_team, check_telegram, evaluate_team, evaluate_telegram, read_posts,
                                         read_team, read_telegram, sentence_aligned, telegram_split)
from sitrep.evaluation.realtext import GoldSentence, label_problems
from sitrep.models import Extraction

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold" / "uk_ru"
TEAM = GOLD / "team.jsonl"
TELEGRAM = GOLD / "telegram_ru.jsonl"
POSTS = ROOT.parent / "shared" / "data" / "corpora" / "telegram-ru-2024" / "posts.jsonl.gz"
UA_DUMP = ROOT.parent / "shared" / "data" / "gazetteer" / "UA.zip"
needs_posts = pytest.mark.skipif(not POSTS.exists(), reason=f"the Telegram corpus is not at {POSTS} (../shared)")


@pytest.fixture(scope="module")
def team():
    return read_team(TEAM)


@pytest.fixture(scope="module")
def telegram():
    return read_telegram(TELEGRAM)


@pytest.fixture(scope="module")
def posts(telegram):
    if not POSTS.exists():
        pytest.skip(f"the Telegram corpus is not at {POSTS} (it lives in ../shared)")
    return read_posts(POSTS, {item.doc for item in telegram})


# ------------------------------------------------------------------ the files

def test_team_file_is_valid(team):
    assert check_team(team) == []


def test_team_counts_per_language_and_split(team):
    counts = Counter((item.language, item.split) for item in team)
    for language in ("uk", "ru"):
        assert counts[language, "dev"] + counts[language, "test"] >= 150
        assert counts[language, "test"] >= 50
    kinds = Counter((item.language, bool(item.events)) for item in team)
    assert all(kinds[language, has] >= 40 for language in ("uk", "ru") for has in (True, False))


@pytest.mark.parametrize("path", [TEAM, TELEGRAM], ids=["team", "telegram"])
def test_labels_are_acled_subtypes_with_their_type(path):
    for line in path.read_text(encoding="utf-8").splitlines():
        for event in json.loads(line)["events"]:
            assert ACLED_SUBTYPES.get(event["sub_event_type"]) == event["event_type"], line[:80]


def test_team_generator_rewrites_the_same_bytes(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("make_team", GOLD / "make_team.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "OUT", tmp_path / "team.jsonl")
    module.main()
    assert (tmp_path / "team.jsonl").read_bytes() == TEAM.read_bytes()


@pytest.mark.skipif(not UA_DUMP.exists(), reason=f"the GeoNames dump of Ukraine is not at {UA_DUMP} (../shared)")
def test_team_places_are_settlements_of_the_ukrainian_dump(team):
    places = {event["place"]["geonameid"]: event["place"] for item in team for event in item.events}
    rows = {}
    with zipfile.ZipFile(UA_DUMP) as archive:
        for line in archive.read("UA.txt").decode("utf-8").splitlines():
            columns = line.split("\t")
            if int(columns[0]) in places:
                rows[int(columns[0])] = columns
    for geonameid, place in places.items():
        row = rows[geonameid]
        assert (row[1], row[6]) == (place["name"], "P"), place
        assert abs(float(row[4]) - place["lat"]) < 0.01 and abs(float(row[5]) - place["lon"]) < 0.01, place


def test_telegram_file_is_standoff_only_and_counts(telegram):
    for line in TELEGRAM.read_text(encoding="utf-8").splitlines():
        assert set(json.loads(line)) == {"doc", "start", "end", "split", "events", "source"}
    assert len(telegram) >= 150
    assert Counter(item.split for item in telegram)["test"] >= 40
    with_events = sum(bool(item.events) for item in telegram)
    assert 40 <= with_events <= len(telegram) - 60  # war reports and non-war sentences both
    assert all(item.split == telegram_split(item.doc) for item in telegram)


def test_telegram_refuses_a_line_with_text(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"doc": "-1-3", "start": 0, "end": 4, "split": "test", "events": [],
                                "source": {"name": "X", "kind": "outlet", "side": "unknown"}, "text": "copy"}) + "\n")
    with pytest.raises(Exception, match="not allowed"):
        read_telegram(path)


@needs_posts
def test_telegram_offsets_lie_inside_the_posts_and_are_sentences(telegram, posts):
    assert check_telegram(telegram, posts) == []


def test_check_telegram_finds_problems():
    text = "Первая строка тут.\nВторая строка, вот. Третья"
    posts = {"-1-3": {"id": "-1-3", "text": text}}
    source = {"name": "X", "kind": "outlet", "side": "unknown"}
    assert check_telegram([GoldSentence("-1-3", 0, 18, "test", (), source, 1)], posts) == []
    bad_event = {"event_type": "Battles", "sub_event_type": "Air/drone strike", "status": "asserted",
                 "actor1_side": "RU", "actor2_side": None, "place": None, "date": None}
    cases = [GoldSentence("-1-3", 0, 18, "dev", (), source, 2),            # split against the rule
             GoldSentence("-1-4", 0, 18, "dev", (), source, 3),            # no such post
             GoldSentence("-1-3", 3, 18, "test", (), source, 4),           # starts inside a word
             GoldSentence("-1-3", 0, 25, "test", (), source, 5),           # crosses the line
             GoldSentence("-1-3", 19, 33, "test", (), source, 6),          # stops before the full stop
             GoldSentence("-1-3", 0, 18, "test", (bad_event,), source, 7)]  # sub-type of another type
    for case in cases:
        assert check_telegram([case], posts), case


@pytest.mark.parametrize("start, end, aligned", [(0, 18, True), (19, 38, True), (39, 45, True), (0, 17, False),
                                                 (20, 38, False), (19, 33, False), (19, 45, False)])
def test_sentence_aligned(start, end, aligned):
    assert sentence_aligned("Первая строка тут.\nВторая строка, вот. Третья", start, end) is aligned


# ------------------------------------------------------------------ the evaluator

class _Silent:
    """A pipeline that finds nothing: every gold event is missed and every source is wrong."""

    def pipe(self, documents):
        for document in documents:
            yield Extraction(document=document)


def _proportions(report) -> None:
    assert 0.0 <= report.precision <= 1.0 and 0.0 <= report.recall <= 1.0 and 0.0 <= report.f1 <= 1.0
    for score in (*report.events.values(), *report.source.values()):
        assert 0 <= score.correct <= score.total and 0.0 <= score.accuracy <= 1.0


def test_a_pipeline_that_finds_nothing_scores_zero(team):
    items = [item for item in team if item.split == "dev"][:6]
    report = evaluate_team(_Silent(), items, TEAM)
    assert report.sentences == 6 and report.unaligned == 6
    assert report.gold_events == sum(len(item.events) for item in items) > 0
    assert report.matched == 0 and report.recall == 0.0
    assert report.source["source_name"].correct == 0 and report.source["source_name"].total == 6


def test_the_evaluator_runs_end_to_end_on_team_sentences(pipeline, team):
    items = [item for language in ("uk", "ru") for item in team if item.language == language and item.split == "dev"
             and item.events][:3]
    items += [item for item in team if item.split == "dev" and not item.events][:2]
    report = evaluate_team(pipeline, items, TEAM)
    assert report.sentences == 5 and report.gold_events == 3
    _proportions(report)
    assert report.matched >= 1  # the Ukrainian and Russian rules find something on their own genres
    assert report.source["source_name"].total == 5


@needs_posts
def test_the_evaluator_runs_end_to_end_on_real_posts(pipeline, telegram, posts):
    chosen = [item for item in telegram if item.split == "dev"]
    docs = sorted({item.doc for item in chosen})[:4]
    gold = [item for item in chosen if item.doc in docs]
    report = evaluate_telegram(pipeline, gold, posts, POSTS, TELEGRAM)
    assert report.reports == 4 and report.sentences == len(gold)
    assert report.unlocated == 0  # every annotated sentence is found again in the cleaned post
    _proportions(report)


def test_evaluate_languages_rejects_an_unknown_split(pipeline):
    with pytest.raises(ValueError):
        languages.evaluate_languages(pipeline, "train")


@pytest.mark.parametrize("system, gold", [("Kurskaya oblast'", "Kursk Oblast"), ("Rostovskaya oblast'", "Rostov Oblast"),
                                          ("Belgorodskaya oblast'", "Belgorod Oblast")])
def test_geonames_russian_region_names_match_their_english_form(system, gold):
    from sitrep.evaluation.claims import normalise_place

    assert normalise_place(system) == normalise_place(gold)
    assert normalise_place("Kurskaya oblast'") != normalise_place("Bryansk Oblast")


# The blind sets (written by helpers who never saw sitrep's rules): odd ids dev and even ids test where a
# set has a test half, dev only otherwise; every label from the record's vocabulary.
BLIND = {"blind.jsonl": True, "blind2.jsonl": False, "blind3.jsonl": True, "blind4.jsonl": False,
         "blind5.jsonl": True}


@pytest.mark.parametrize("name, halves", BLIND.items())
def test_blind_sets_are_valid_and_split_by_id(name, halves):
    items = read_team(GOLD / name)
    assert len({item.id for item in items}) == len(items) >= 150
    for item in items:
        number = int(item.id.rsplit("-", 1)[1])
        expected = ("dev" if number % 2 else "test") if halves else "dev"
        assert item.split == expected, item.id
        assert item.language in ("uk", "ru") and item.text.strip() and item.outlet.strip()
        # The first set writes a night ("у ніч на 17 липня") with precision "range" and a spring with "season",
        # which the record's vocabulary lacks; the scorer compares a date's start and end only, so those stay.
        assert [problem for problem in label_problems(item.gold())
                if "'range'" not in problem and "'season'" not in problem] == [], item.id
