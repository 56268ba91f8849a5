"""The Robotyne scenario (reports.jsonl) and its written truth (truth.yaml) agree with each other.

These tests check the data, not the pipeline: a quote that no longer names one sentence, a count of
origins that disagrees with its list, or a day missing from the control timeline makes the scenario
useless for measuring issue #5, so it fails here first.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from sitrep.ingest.jsonl import read_jsonl
from sitrep.models import ItemError

HERE = Path(__file__).resolve().parent
REPORTS_PATH = HERE / "reports.jsonl"
TRUTH_PATH = HERE / "truth.yaml"

FIRST_DAY = dt.date(2023, 8, 10)
LAST_DAY = dt.date(2023, 8, 24)
CHANNELS = {"telegram", "web", "wire", "statement"}
ACLED_EVENT_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians", "Protests",
                     "Riots", "Strategic developments"}
CONTROL_STATES = {"UA", "RU", "contested"}
CONTRADICTION_KINDS = {"control", "advance-vs-repelled", "casualties", "status"}
# A sentence ends at ., ! or ? followed by a space; a quote containing one spans two sentences.
SENTENCE_BREAK = re.compile(r"[.!?]\s")
FORWARD_LINE = "Forwarded from "


def _reports() -> list[dict]:
    return [json.loads(line) for line in REPORTS_PATH.read_text(encoding="utf-8").splitlines() if line.strip()]


REPORTS = _reports()
REPORTS_BY_ID = {report["id"]: report for report in REPORTS}
TRUTH = yaml.safe_load(TRUTH_PATH.read_text(encoding="utf-8"))
EVENT_CLAIMS = [(event["id"], claim) for event in TRUTH["events"] for claim in event["claims"]]
ALL_REFERENCES = (
    [claim for _, claim in EVENT_CLAIMS]
    + [pair[side] for pair in TRUTH["contradictions"] for side in ("a", "b")]
    + TRUTH["control_claims"]
)


def _days() -> list[dt.date]:
    return [FIRST_DAY + dt.timedelta(days=offset) for offset in range((LAST_DAY - FIRST_DAY).days + 1)]


def _sentences(text: str) -> list[str]:
    return [piece.strip() for piece in re.split(r"(?<=[.!?])\s+", text) if piece.strip()]


def test_reports_are_read_by_the_jsonl_reader_without_errors():
    items = list(read_jsonl(REPORTS_PATH.read_bytes(), str(REPORTS_PATH)))
    assert [item for item in items if isinstance(item, ItemError)] == []
    assert len(items) == len(REPORTS) >= 34


def test_report_ids_are_unique():
    duplicates = [report_id for report_id, count in Counter(r["id"] for r in REPORTS).items() if count > 1]
    assert duplicates == []


@pytest.mark.parametrize("report", REPORTS, ids=lambda report: report["id"])
def test_report_metadata(report):
    assert report["channel"] in CHANNELS
    assert report["outlet"] and report["title"] and report["text"].strip()
    assert FIRST_DAY <= dt.datetime.fromisoformat(report["published"]).date() <= LAST_DAY
    assert urlparse(report["url"]).hostname.split(".")[-2] == "example"


@pytest.mark.parametrize("reference", ALL_REFERENCES, ids=lambda ref: f"{ref['report']}:{ref['quote'][:30]}")
def test_every_quote_names_exactly_one_sentence(reference):
    text = REPORTS_BY_ID[reference["report"]]["text"]
    assert text.count(reference["quote"]) == 1
    assert not SENTENCE_BREAK.search(reference["quote"])


def _sentence_of(reference: dict) -> tuple[str, str]:
    """The report and the sentence that a {report, quote} reference names."""
    text = REPORTS_BY_ID[reference["report"]]["text"]
    return reference["report"], next(s for s in _sentences(text) if reference["quote"] in s)


def test_a_sentence_reports_at_most_one_event():
    counts = Counter(_sentence_of(claim) for _, claim in EVENT_CLAIMS)
    assert [key for key, count in counts.items() if count > 1] == []


@pytest.mark.parametrize("event", TRUTH["events"], ids=lambda event: event["id"])
def test_event_is_well_formed(event):
    assert event["event_type"] in ACLED_EVENT_TYPES
    assert event["place"] in TRUTH["places"]
    start, end = event["dates"]
    assert FIRST_DAY <= start <= end <= LAST_DAY
    assert event["claims"]
    # Reports are published on or after the day of the event they report.
    for claim in event["claims"]:
        published = dt.datetime.fromisoformat(REPORTS_BY_ID[claim["report"]]["published"]).date()
        assert published >= start, claim


@pytest.mark.parametrize("event", TRUTH["events"], ids=lambda event: event["id"])
def test_independent_sources_match_the_listed_origins(event):
    origin_names = [origin["name"] for origin in event["origins"]]
    assert len(set(origin_names)) == len(origin_names) == event["independent_sources"]
    assert {origin["side"] for origin in event["origins"]} <= {"UA", "RU", "third-party"}
    # Copies never add origins, so an event cannot have more origins than reports.
    assert event["independent_sources"] <= len({claim["report"] for claim in event["claims"]})


def test_every_report_carries_at_least_one_truth_sentence():
    used = {reference["report"] for reference in ALL_REFERENCES}
    assert sorted(set(REPORTS_BY_ID) - used) == []


@pytest.mark.parametrize("pair", TRUTH["contradictions"], ids=lambda pair: f"{pair['a']['report']}~{pair['b']['report']}")
def test_contradiction_joins_two_known_statements(pair):
    assert pair["kind"] in CONTRADICTION_KINDS
    statements = [_sentence_of(claim) for _, claim in EVENT_CLAIMS] + [_sentence_of(c) for c in TRUTH["control_claims"]]
    assert _sentence_of(pair["a"]) in statements
    assert _sentence_of(pair["b"]) in statements
    assert _sentence_of(pair["a"]) != _sentence_of(pair["b"])


def test_control_timeline_covers_every_place_and_day_once():
    rows = Counter((row["place"], row["date"]) for row in TRUTH["control"])
    assert set(rows) == {(place, day) for place in TRUTH["places"] for day in _days()}
    assert set(rows.values()) == {1}
    assert {row["state"] for row in TRUTH["control"]} <= CONTROL_STATES


@pytest.mark.parametrize("claim", TRUTH["control_claims"], ids=lambda claim: f"{claim['report']}:{claim['place']}")
def test_control_claim_is_well_formed(claim):
    assert claim["place"] in TRUTH["places"]
    assert claim["state"] in CONTROL_STATES
    assert FIRST_DAY <= claim["date"] <= LAST_DAY


def test_control_changes_only_where_the_scenario_says():
    """Robotyne changes hands once (the capture); every other settlement keeps its state."""
    changes = []
    for place in TRUTH["places"]:
        states = [row["state"] for row in sorted(TRUTH["control"], key=lambda row: row["date"]) if row["place"] == place]
        changes += [(place, before, after) for before, after in zip(states, states[1:]) if before != after]
    capture = next(event for event in TRUTH["events"] if event["sub_event_type"] == "Government regains territory")
    assert changes == [(capture["place"], "contested", "UA")]


def test_forwards_repeat_their_original_verbatim():
    forwards = [report for report in REPORTS if report["text"].startswith(FORWARD_LINE)]
    assert len(forwards) >= 2
    for forward in forwards:
        body = forward["text"].split("\n\n", 1)[1]
        originals = [r for r in REPORTS if r["text"] == body and r["outlet"] == forward["text"][len(FORWARD_LINE):].split("\n")[0]]
        assert len(originals) == 1, forward["id"]


def test_wire_republications_add_exactly_one_sentence_and_change_the_headline():
    wire = REPORTS_BY_ID["wire-cp-2023-08-16"]
    wire_sentences = set(_sentences(wire["text"]))
    copies = [r for r in REPORTS if r["id"] != wire["id"] and len(wire_sentences & set(_sentences(r["text"]))) >= 3]
    assert len(copies) == 2
    for copy in copies:
        assert copy["title"] != wire["title"]
        added = set(_sentences(copy["text"])) - wire_sentences
        # The near-verbatim copy also rewrites a dateline and a capital; count sentences absent from the
        # wire after lower-casing and dropping datelines.
        added = {s for s in added if s.lower().split("— ")[-1] not in {w.lower().split("— ")[-1] for w in wire_sentences}}
        assert len(added) == 1, (copy["id"], added)
