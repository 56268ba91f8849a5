"""Issue #5 end to end: the Robotyne scenario (tests/scenario/) and the seed article, through the
real pipeline with the GeoNames dump of Ukraine, into a store, then clustered.

The floors below sit just under the figures measured when they were set (README, "Accuracy"); the
issue's targets are higher and are not met yet: `sitrep eval scenario` prints the gap.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sitrep import control, corroborate, service
from sitrep.evaluation import scenario
from sitrep.store import Store

SCENARIO = Path(__file__).parent / "scenario"


@pytest.fixture(scope="module")
def scenario_store(ua_pipeline):
    with Store.memory() as store:
        service.ingest([str(SCENARIO / "reports.jsonl")], store, lambda: ua_pipeline, ua_pipeline.settings)
        corroborate.update(store)
        yield store


@pytest.fixture(scope="module")
def scores(scenario_store):
    return scenario.evaluate(scenario_store, scenario.load_truth(SCENARIO / "truth.yaml"))


def test_every_truth_sentence_is_a_stored_claim(scores):
    assert scores.claims_found == scores.claims_total


def test_clustering_floor(scores):
    assert scores.pair_precision >= 0.95
    assert scores.pair_f1 >= 0.75


def test_independent_source_counts_floor(scores):
    assert scores.source_counts_exact >= 10, scores.source_count_misses


def test_contradictions_floor(scores):
    assert scores.contradictions_found >= 7, scores.contradiction_misses
    assert scores.contradiction_precision >= 0.45


def test_control_floor(scores):
    assert scores.control_correct >= 14, scores.control_misses


def test_rerun_changes_nothing(scenario_store):
    before = scenario_store.derived_counts()
    report = corroborate.update(scenario_store)
    assert report.documents == 0
    assert scenario_store.derived_counts() == before


def test_seed_klishchiivka_is_never_ukrainian_held_and_bloggers_disagree(ua_pipeline, seed_text, make_document):
    document = make_document(seed_text, published=dt.date(2023, 7, 9), source="seed.txt")
    with Store.memory() as store:
        for extraction in ua_pipeline.pipe([document]):
            store.add(extraction)
        corroborate.update(store)
        [day] = control.timeline(store, "Klishchiivka", dt.date(2023, 7, 9))
        assert day.state in ("contested", "RU")
        assert day.evidence and all(item.document_id == document.id for item in day.evidence)
        found = list(store.contradictions())
        bloggers = [item for item in found if item.kind == "withdrew-vs-holding"]
        assert bloggers, [item.kind for item in found]
        [item] = bloggers
        assert {statement.source.side for statement in item.statements} == {"RU"}
        assert all("bloggers" in statement.text for statement in item.statements)
        words = {statement.words for statement in item.statements}
        assert len(words) == 2  # two statements inside one sentence, each with its own words
