"""The claims gold set (tests/gold/claims.jsonl) and its scorer (sitrep.evaluation.claims)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import get_args

import pytest

from sitrep.errors import InputError
from sitrep.evaluation.claims import (
    ACLED_SUBTYPES, EVENT_FIELDS, GoldDocument, evaluate_gold, names_match, normalise_place, read_gold,
)
from sitrep.models import (
    Actor, Claim, DatePrecision, Event, EventDate, Extraction, Place, Side, Source, SourceKind, Status,
)

GOLD = Path(__file__).resolve().parent / "gold" / "claims.jsonl"
MIN_SENTENCES = 150
ACLED_EVENT_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
                     "Strategic developments"}


def _raw_reports() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def _claims() -> list[tuple[dict, dict]]:
    return [(report, claim) for report in _raw_reports() for claim in report["claims"]]


# ------------------------------------------------------------------ the file

def test_gold_file_parses_into_records():
    documents = read_gold(GOLD)
    assert 30 <= len(documents) <= 60
    assert len({document.id for document in documents}) == len(documents)


def test_gold_has_enough_annotated_sentences():
    assert len(_claims()) >= MIN_SENTENCES


def test_every_sentence_is_an_exact_substring_of_its_text_once():
    for report, claim in _claims():
        assert report["text"].count(claim["sentence"]) == 1, (report["id"], claim["sentence"])


def test_reports_have_three_to_eight_sentences_annotated_or_not():
    for report in _raw_reports():
        assert 3 <= len(report["claims"]) <= 8, report["id"]


def test_sources_use_the_record_vocabulary():
    for report, claim in _claims():
        source = claim["source"]
        assert set(source) == {"name", "kind", "side"}, report["id"]
        assert source["name"].strip(), report["id"]
        assert source["kind"] in get_args(SourceKind), (report["id"], source)
        assert source["side"] in get_args(Side), (report["id"], source)


def test_unattributed_defaults_follow_the_outlet_rule():
    """The narrator speaks only in reports without an outlet; an outlet speaks under its own name."""
    for report, claim in _claims():
        source = claim["source"]
        if source["kind"] == "narrator":
            assert report["outlet"] is None and source["name"] == "narrator", report["id"]
        if source["kind"] == "outlet":
            assert source["name"] == report["outlet"], report["id"]


def test_events_use_acled_names_and_the_record_vocabulary():
    assert len(ACLED_SUBTYPES) == 25 and set(ACLED_SUBTYPES.values()) == ACLED_EVENT_TYPES
    for report, claim in _claims():
        event = claim["event"]
        if event is None:
            continue
        assert set(event) == {"event_type", "sub_event_type", "status", "actor1", "actor2", "place", "date"}
        assert ACLED_SUBTYPES.get(event["sub_event_type"]) == event["event_type"], (report["id"], event)
        assert event["status"] in get_args(Status), report["id"]
        for actor in (event["actor1"], event["actor2"]):
            assert actor is None or (set(actor) <= {"side", "id"} and actor["side"] in get_args(Side))
        date = event["date"]
        if date is not None:
            assert date["precision"] in get_args(DatePrecision)
            assert dt.date.fromisoformat(date["start"]) <= dt.date.fromisoformat(date["end"])


def test_gold_covers_every_status_and_the_war_taxonomy():
    events = [claim["event"] for _, claim in _claims() if claim["event"]]
    assert {event["status"] for event in events} == set(get_args(Status))
    subtypes = {event["sub_event_type"] for event in events}
    assert len(subtypes) >= 12, sorted(subtypes)
    assert sum(1 for _, claim in _claims() if claim["event"] is None) >= 30


def test_channels_and_speaker_forms_are_varied():
    reports = _raw_reports()
    assert {"web", "telegram", "feed"} <= {report["channel"] for report in reports}
    assert any(report["outlet"] is None for report in reports)
    kinds = {claim["source"]["kind"] for _, claim in _claims()}
    assert {"military", "government", "milblogger", "analyst", "outlet", "narrator", "wire"} <= kinds


# ------------------------------------------------------------------ reading errors

@pytest.mark.parametrize("line, cause", [
    ("{not json", "not valid JSON"),
    ('{"id": "x", "published": null, "outlet": null, "channel": null, "text": "A b c.", '
     '"claims": [{"sentence": "Nowhere.", "source": {"name": "n", "kind": "narrator", "side": "unknown"}, '
     '"event": null}]}', "exactly once"),
    ('{"id": "x", "published": null, "outlet": null, "channel": null, "text": "A b c.", '
     '"claims": [{"sentence": "A b c.", "source": {"name": "n", "kind": "narrator", "side": "unknown"}, '
     '"event": {"event_type": "Battles", "sub_event_type": "Arrest", "status": "asserted", "actor1": null, '
     '"actor2": null, "place": null, "date": null}}]}', "25 sub-event types"),
    ('{"id": "x", "published": null, "outlet": null, "channel": null, "text": "A b c.", '
     '"claims": [{"sentence": "A b c.", "source": {"name": "n", "kind": "blogger", "side": "unknown"}, '
     '"event": null}]}', "source.kind"),
])
def test_read_gold_names_the_line_and_the_cause(tmp_path, line, cause):
    path = tmp_path / "gold.jsonl"
    path.write_text("\n" + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_gold(path)
    assert f"{path}:2" in str(raised.value) and cause in str(raised.value)


def test_read_gold_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        read_gold(tmp_path / "absent.jsonl")


# ------------------------------------------------------------------ matching rules

@pytest.mark.parametrize("gold, system, expected", [
    ("Oleksandr Syrskyi", "Syrskyi", True),
    ("Russian military bloggers", "some Russian military bloggers", True),
    ("Ukraine's air force", "Ukraine\u2019s Air Force", True),
    ("Igor Konashenkov", "Serhiy Cherevatyi", False),
    ("Kyiv Daily", "", False),
    ("Institute for the Study of War", "the ISW", True),
])
def test_names_match(gold, system, expected):
    assert names_match(gold, system) is expected


def test_place_names_match_across_spelling_marks():
    assert normalise_place("Kup'yans'k") == normalise_place("Kupyansk")
    assert normalise_place("Chasiv-Yar") == normalise_place("chasiv yar")
    assert normalise_place("Kherson") != normalise_place("Kharkiv")


# ------------------------------------------------------------------ the scorer against stub systems

class StubPipeline:
    """Answers each gold report with claims built from the gold itself, then damaged by ``edit``."""

    def __init__(self, gold_path: Path, edit=None):
        self.gold = {document.text: document for document in read_gold(gold_path)}
        self.edit = edit or (lambda claim: claim)

    def pipe(self, documents):
        for document in documents:
            yield self._extraction(document, self.gold[document.text])

    def _extraction(self, document, gold: GoldDocument) -> Extraction:
        places: list[Place] = []
        claims = []
        for item in gold.claims:
            start = document.text.index(item.sentence)
            event = None
            if item.event is not None:
                event = _event(item.event, places)
            claim = Claim(id=f"{document.id}:{start}", start=start, end=start + len(item.sentence),
                          text=item.sentence, confidence=1.0, source=Source(**item.source.model_dump()),
                          event=event)
            claims.append(self.edit(claim))
        return Extraction(document=document, places=places, claims=claims)


def _event(gold, places: list[Place]) -> Event:
    place = None
    if gold.place is not None:
        places.append(Place(mention=gold.place, start=0, end=len(gold.place), name=gold.place, precision=1))
        place = len(places) - 1
    actors = [Actor(name="x", side=actor.side) if actor else None for actor in (gold.actor1, gold.actor2)]
    date = EventDate(start=gold.date.start, end=gold.date.end, precision=gold.date.precision) if gold.date else None
    return Event(event_type=gold.event_type, sub_event_type=gold.sub_event_type, status=gold.status,
                 actor1=actors[0], actor2=actors[1], place=place, date=date)


def test_a_system_that_agrees_with_the_gold_scores_one():
    report = evaluate_gold(StubPipeline(GOLD), GOLD)
    assert report.unaligned == 0
    assert report.source_accuracy == 1.0 and report.status_accuracy == 1.0
    assert all(score.accuracy == 1.0 for score in report.source.values())
    assert all(score.accuracy == 1.0 for score in report.all.values())
    assert report.detection == (1.0, 1.0, 1.0) and not report.mistakes


def test_missing_events_count_as_wrong_over_all_gold_events():
    report = evaluate_gold(StubPipeline(GOLD, lambda claim: claim.model_copy(update={"event": None})), GOLD)
    assert report.source_accuracy == 1.0
    for name in EVENT_FIELDS:
        assert report.all[name].accuracy == 0.0, name  # a null actor is not "right" without an event
        assert report.matched[name].total == 0
    assert report.presence.correct == report.claims - report.events
    assert report.detection[1] == 0.0


def test_wrong_source_and_status_are_counted_per_field():
    def damage(claim: Claim) -> Claim:
        event = claim.event.model_copy(update={"status": "asserted" if claim.event.status != "asserted"
                                                else "negated"}) if claim.event else None
        return claim.model_copy(update={"source": Source(name="somebody else", kind=claim.source.kind,
                                                         side=claim.source.side), "event": event})

    report = evaluate_gold(StubPipeline(GOLD, damage), GOLD)
    assert report.source_accuracy == 0.0 and report.source["source_kind"].accuracy == 1.0
    assert report.status_accuracy == 0.0 and report.all["sub_event_type"].accuracy == 1.0


# ------------------------------------------------------------------ the real pipeline

def test_real_pipeline_figures_are_proportions(pipeline):
    """Floors are pinned by the lead after integration; until then the figures must be well formed."""
    report = evaluate_gold(pipeline, GOLD)
    assert report.claims == len(_claims())
    figures = [report.source_accuracy, report.status_accuracy, report.presence.accuracy, *report.detection]
    figures += [score.accuracy for table in (report.source, report.all, report.matched) for score in table.values()]
    assert all(0.0 <= figure <= 1.0 for figure in figures)
