"""The ISW standoff gold set (tests/gold/isw/) and the scorer behind ``sitrep eval realtext``.

The annotation checks read the real reports from ../shared (present in CI). The scorer checks use
invented text only.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest

from sitrep.extract.clean import clean
from sitrep.evaluation import realtext
from sitrep.evaluation.realtext import (GoldSentence, RealReport, check_gold, evaluate_realtext, locate_clean,
                                        read_gold, read_reports, score_report, split_of)
from sitrep.ingest.document import make_document
from sitrep.models import Actor, Claim, Event, EventDate, Extraction, Place, Source

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold" / "isw" / "annotations.jsonl"
REPORTS = ROOT.parent / "shared" / "data" / "corpora" / "isw-2022-h1" / "reports.jsonl"
ISW = {"name": "Institute for the Study of War", "kind": "analyst", "side": "third-party"}


# ------------------------------------------------------------------ the annotation file

@pytest.fixture(scope="module")
def gold():
    return read_gold(GOLD)


@pytest.fixture(scope="module")
def reports(gold):
    return read_reports(REPORTS, {item.doc for item in gold})


def test_annotations_are_valid_against_the_reports(gold, reports):
    assert check_gold(gold, reports) == []


def test_annotation_counts_and_spread(gold):
    splits = Counter(item.split for item in gold)
    assert len(gold) >= 420
    assert splits["test"] >= 210
    assert set(splits) == {"dev", "test"}
    docs = {item.doc for item in gold}
    assert len(docs) >= 12
    months = {doc[-5:-3] for doc in docs}
    assert months == {"02", "03", "04", "05", "06", "07"}
    assert any(item.events for item in gold) and any(not item.events for item in gold)
    assert any(item.source["name"] != ISW["name"] for item in gold)


def test_splits_follow_the_fixed_rule_and_are_disjoint_by_report(gold):
    by_doc: dict[str, set[str]] = {}
    for item in gold:
        by_doc.setdefault(item.doc, set()).add(item.split)
    for doc, splits in by_doc.items():
        assert len(splits) == 1, doc
        day = int(doc[-2:])
        assert day % 5 == 3, doc
        assert splits == {"dev" if day in (3, 13, 23) else "test"}, doc


def test_no_report_text_in_the_gold_file():
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        assert set(json.loads(line)) == {"doc", "start", "end", "split", "events", "source"}


def test_the_second_dev_set_is_valid_standoff_from_other_days():
    # tests/gold/isw_dev2: dev only, never a gold day (3, 8, 13, 18, 23, 28), never a training sentence
    path = ROOT / "tests" / "gold" / "isw_dev2" / "annotations.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        assert set(json.loads(line)) == {"doc", "start", "end", "split", "events", "source"}
    dev2 = read_gold(path)
    assert len(dev2) >= 200 and {item.split for item in dev2} == {"dev"}
    assert all(int(item.doc[-2:]) % 5 != 3 for item in dev2)
    problems = check_gold(dev2, read_reports(REPORTS, {item.doc for item in dev2}))
    assert [problem for problem in problems if "outside the fixed gold days" not in problem] == []
    training = [json.loads(line) for line in
                (ROOT / "src" / "sitrep" / "extract" / "lang" / "en" / "events_real.jsonl").read_text("utf-8").splitlines()]
    spans = {(row["report"], row["start"], row["end"]) for row in training}
    assert not any(doc == item.doc and start < item.end and item.start < end
                   for item in dev2 for doc, start, end in spans)


def test_check_gold_finds_problems():
    text = "Invented line one.\r\nInvented line two."
    reports = {"isw-2022-04-08": {"id": "isw-2022-04-08", "text": text},
               "isw-2022-04-09": {"id": "isw-2022-04-09", "text": text}}
    good = GoldSentence("isw-2022-04-08", 0, 18, "test", (), ISW, line=1)
    assert check_gold([good], reports) == []
    bad_event = {"event_type": "Battles", "sub_event_type": "Shelling/artillery/missile attack", "status": "asserted",
                 "actor1_side": "RU", "actor2_side": None, "place": None, "date": None}
    cases = [
        GoldSentence("isw-2022-04-08", 0, 18, "dev", (), ISW, line=2),           # wrong split
        GoldSentence("isw-2022-04-09", 0, 18, "test", (), ISW, line=3),          # day outside the rule
        GoldSentence("isw-2022-04-08", 20, 99, "test", (), ISW, line=4),         # past the end
        GoldSentence("isw-2022-04-08", 0, 20, "test", (), ISW, line=5),          # crosses the line break
        GoldSentence("isw-2022-04-08", 20, 38, "test", (bad_event,), ISW, line=6),  # type does not fit
        GoldSentence("isw-2022-04-08", 20, 38, "test", (), {"name": "X", "kind": "pundit", "side": "UA"}, line=7),
    ]
    for case in cases:
        assert check_gold([case], reports), case


def test_split_of():
    assert split_of("isw-2022-04-08") == "test" and split_of("isw-2022-07-23") == "dev"
    assert split_of("isw-2022-04-09") is None and split_of("no date") is None


# ------------------------------------------------------------------ the scorer, on invented text

RAW = ("Redforce shelled Alphaville on May 2.\r\n"
       "Blueforce analysts said it was \u201cquiet\u201d.  Redforce will likely attack Betatown.\r\n"
       "Redforce shelled Alphaville on May 2.")


def _document():
    return clean(make_document(RAW, "fake.jsonl#id=isw-2022-05-08", published=dt.date(2022, 5, 8),
                               outlet="Institute for the Study of War"))


def _claim(text: str, sentence: str, source: Source, event: Event | None, nth: int = 0) -> Claim:
    start = -1
    for _ in range(nth + 1):
        start = text.index(sentence, start + 1)
    return Claim(id=f"x:{start}", start=start, end=start + len(sentence), text=sentence, confidence=0.5,
                 source=source, event=event)


def _event(subtype: str, status: str = "asserted", side: str | None = "RU", place: int | None = None,
           day: str | None = "2022-05-02") -> Event:
    return Event(event_type=realtext.ACLED_SUBTYPES[subtype], sub_event_type=subtype, status=status,
                 actor1=Actor(name="forces", side=side) if side else None, place=place,
                 date=EventDate(start=day, end=day, precision="day") if day else None)


def _gold(start_text: str, events=(), source=ISW, nth: int = 0) -> GoldSentence:
    start = -1
    for _ in range(nth + 1):
        start = RAW.index(start_text, start + 1)
    return GoldSentence("isw-2022-05-08", start, start + len(start_text), "test", tuple(events), source)


SHELLING = {"event_type": "Explosions/Remote violence", "sub_event_type": "Shelling/artillery/missile attack",
            "status": "asserted", "actor1_side": "RU", "actor2_side": "UA",
            "place": {"name": "Alphaville", "geonameid": 1, "lat": 48.0, "lon": 37.0, "role": "location"},
            "date": {"start": "2022-05-02", "end": "2022-05-02", "precision": "day"}}
CAPTURE = {"event_type": "Battles", "sub_event_type": "Government regains territory", "status": "asserted",
           "actor1_side": "RU", "actor2_side": "UA",
           "place": {"name": "Betatown", "geonameid": None, "lat": None, "lon": None, "role": "location"},
           "date": None}


def test_locate_clean_takes_the_same_occurrence():
    document = _document()
    first = _gold("Redforce shelled Alphaville on May 2.")
    second = _gold("Redforce shelled Alphaville on May 2.", nth=1)
    quoted = _gold("Blueforce analysts said it was \u201cquiet\u201d.")
    spans = [locate_clean(RAW, item.start, item.end, document.text) for item in (first, second, quoted)]
    assert spans[0][0] < spans[1][0]
    assert document.text[spans[1][0]:spans[1][1]] == "Redforce shelled Alphaville on May 2."
    assert document.text[spans[2][0]:spans[2][1]] == 'Blueforce analysts said it was "quiet".'


def test_scorer_counts_matches_false_events_excused_and_fields():
    document = _document()
    text = document.text
    isw = Source(name="Institute for the Study of War", kind="analyst", side="third-party")
    places = [Place(mention="Alphaville", start=text.index("Alphaville"), end=text.index("Alphaville") + 10,
                    name="Alphaville", geonameid=2, lat=48.05, lon=37.0, precision=1)]
    shelled = "Redforce shelled Alphaville on May 2."
    said = 'Blueforce analysts said it was "quiet".'
    will = "Redforce will likely attack Betatown."
    claims = [
        _claim(text, shelled, isw, _event("Shelling/artillery/missile attack", place=0)),   # right, 5.6 km off
        _claim(text, shelled, isw, _event("Armed clash")),                                   # extra: false event
        _claim(text, said, Source(name="Blueforce analysts", kind="analyst", side="unknown"),
               _event("Armed clash")),                                                       # asserted, no gold event
        _claim(text, will, isw, _event("Armed clash", status="assessment")),                 # excused
        _claim(text, shelled, isw, _event("Armed clash"), nth=1),                            # not annotated: ignored
    ]
    extraction = Extraction(document=document, places=places, claims=claims)
    gold = [_gold(shelled, [SHELLING]),
            _gold("Blueforce analysts said it was \u201cquiet\u201d.",
                  source={"name": "Blueforce analysts", "kind": "analyst", "side": "UA"}),
            _gold(will)]
    report = RealReport("gold", "reports", "test")
    score_report(report, gold, RAW, extraction)
    assert (report.sentences, report.unlocated, report.unaligned) == (3, 0, 0)
    assert (report.gold_events, report.system_events) == (1, 4)
    assert (report.matched, report.false_positives, report.excused) == (1, 2, 1)
    assert report.precision == pytest.approx(1 / 3) and report.recall == 1.0
    for name in ("sub_event_type", "event_type", "status", "actor1_side", "place", "date"):
        assert (report.events[name].correct, report.events[name].total) == (1, 1), name
    assert (report.source["source_name"].correct, report.source["source_name"].total) == (3, 3)
    assert (report.source["source_kind"].correct, report.source["source_kind"].total) == (3, 3)
    assert (report.source["source_side"].correct, report.source["source_side"].total) == (2, 3)


def test_scorer_pairs_events_by_agreement_and_scores_place_and_date():
    document = _document()
    text = document.text
    isw = Source(name="Institute for the Study of War", kind="analyst", side="third-party")
    places = [Place(mention="Alphaville", start=0, end=10, name="Alphaville", geonameid=3, lat=48.5, lon=37.0,
                    precision=1),
              Place(mention="Betatown", start=0, end=8, name="Betatown", precision=1)]
    shelled = "Redforce shelled Alphaville on May 2."
    # Listed capture first, shelling second: pairing must follow the sub-types, not the order.
    claims = [_claim(text, shelled, isw, _event("Government regains territory", place=1, day="2022-05-08")),
              _claim(text, shelled, isw, _event("Shelling/artillery/missile attack", place=0, day="2022-05-03"))]
    extraction = Extraction(document=document, places=places, claims=claims)
    report = RealReport("gold", "reports", "test")
    score_report(report, [_gold(shelled, [SHELLING, CAPTURE])], RAW, extraction)
    assert (report.matched, report.false_positives) == (2, 0)
    assert report.events["sub_event_type"].correct == 2
    assert (report.events["place"].correct, report.events["place"].total) == (1, 2)  # 55 km off; name match
    assert (report.events["date"].correct, report.events["date"].total) == (0, 1)  # null gold date not scored
    fields = {mistake.field for mistake in report.mistakes}
    assert fields == {"place", "date"}


def test_a_sentence_without_claims_counts_as_missed_and_wrong_source():
    document = _document()
    extraction = Extraction(document=document, places=[], claims=[])
    report = RealReport("gold", "reports", "test")
    score_report(report, [_gold("Redforce shelled Alphaville on May 2.", [SHELLING])], RAW, extraction)
    assert (report.unaligned, report.matched, report.gold_events) == (1, 0, 1)
    assert report.recall == 0.0 and report.source["source_name"].correct == 0


def test_evaluate_realtext_runs_only_the_split_reports(tmp_path):
    reports_file = tmp_path / "reports.jsonl"
    reports_file.write_text("\n".join(json.dumps(record) for record in (
        {"id": "isw-2022-05-08", "published": "2022-05-08", "outlet": "Institute for the Study of War", "text": RAW},
        {"id": "isw-2022-05-13", "published": "2022-05-13", "outlet": "Institute for the Study of War", "text": RAW},
    )) + "\n", encoding="utf-8")
    gold_file = tmp_path / "gold.jsonl"
    start = RAW.index("Redforce will")
    lines = [{"doc": "isw-2022-05-08", "start": 0, "end": 37, "split": "test", "events": [SHELLING], "source": ISW},
             {"doc": "isw-2022-05-13", "start": start, "end": start + 37, "split": "dev", "events": [],
              "source": ISW}]
    gold_file.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")

    class FakePipeline:
        seen: list[str] = []

        def pipe(self, documents):
            for document in documents:
                self.seen.append(document.source)
                cleaned = clean(document)
                sentence = "Redforce shelled Alphaville on May 2."
                start = cleaned.text.index(sentence)
                source = Source(name="Institute for the Study of War", kind="analyst", side="third-party")
                yield Extraction(document=cleaned, claims=[Claim(
                    id="x", start=start, end=start + len(sentence), text=sentence, confidence=0.5, source=source,
                    event=_event("Shelling/artillery/missile attack", day="2022-05-02"))])

    pipeline = FakePipeline()
    report = evaluate_realtext(pipeline, "test", gold_file, reports_file)
    assert pipeline.seen == ["reports.jsonl#id=isw-2022-05-08"]
    assert (report.reports, report.sentences, report.matched, report.false_positives) == (1, 1, 1, 0)
    assert report.events["place"].correct == 0  # gold Alphaville, no system place
    dev = evaluate_realtext(FakePipeline(), "dev", gold_file, reports_file)
    assert (dev.sentences, dev.gold_events, dev.unaligned) == (1, 0, 1)


def test_a_listed_place_repeating_a_matched_event_is_neither_right_nor_wrong():
    from types import SimpleNamespace

    from sitrep.evaluation.realtext import _another_listed_place

    shelled = SimpleNamespace(trigger="shelled", sub_event_type="Shelling/artillery/missile attack",
                              status="asserted", date="d", place=1)
    same_elsewhere = SimpleNamespace(**{**vars(shelled), "place": 2})
    other_kind = SimpleNamespace(**{**vars(shelled), "place": 2, "sub_event_type": "Armed clash"})
    assert _another_listed_place(same_elsewhere, [shelled])
    assert not _another_listed_place(other_kind, [shelled])
    assert not _another_listed_place(same_elsewhere, [])


def test_a_gold_place_without_a_geonames_id_matches_by_name_or_distance():
    # An annotator who could not look a place up gives its name and estimated coordinates: the name
    # decides even when GeoNames' centroid lies farther than 10 km from the estimate.
    oblast = Place(mention="Брянской областью", start=0, end=17, name="Bryanskaya oblast'", lat=52.8, lon=33.4)
    estimated = {"name": "Bryansk Oblast", "geonameid": None, "lat": 53.0, "lon": 33.6}
    assert realtext.place_outcome(estimated, oblast)[0]
    assert not realtext.place_outcome({**estimated, "name": "Kursk Oblast"}, oblast)[0]
    # With an id, the name alone is not enough: a namesake far away stays wrong.
    namesake = Place(mention="Bohdanivka", start=0, end=10, name="Bohdanivka", geonameid=1, lat=48.0, lon=37.0)
    looked_up = {"name": "Bohdanivka", "geonameid": 2, "lat": 50.6, "lon": 30.9}
    assert not realtext.place_outcome(looked_up, namesake)[0]
    assert realtext.place_outcome({**looked_up, "lat": 48.01, "lon": 37.0}, namesake)[0]
