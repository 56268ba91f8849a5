"""Across languages (issue #15, item 7): a Ukrainian post, a Russian briefing and an English wire story
about one capture make one event with its sources counted across languages; the Russian "repelled" is a
contradiction of the Ukrainian "liberated"; and the Ukrainian claim is evidence of who holds the village.
The three reports are the team's own, about a real village."""

import datetime as dt

import pytest

from sitrep import control, corroborate
from sitrep.ingest.base import document_id
from sitrep.models import Document
from sitrep.store import Store

DAY = dt.date(2023, 8, 28)
REPORTS = [
    ("Сили оборони звільнили Роботине, повідомив командувач угруповання військ «Таврія» Олександр Тарнавський.",
     "Суспільне"),
    ("Подразделения группировки войск «Восток» отразили три атаки штурмовых групп ВСУ в районе Работино "
     "Запорожской области.", "Минобороны России"),
    ("KYIV, Aug 28 (Reuters) - Ukrainian troops have recaptured the village of Robotyne in the southern "
     "Zaporizhzhia region, a Ukrainian commander said on Monday.", "Reuters"),
]


@pytest.fixture(scope="module")
def store(ua_pipeline):
    documents = [Document(id=document_id(text), source=f"test#{number}", text=text, published=DAY, outlet=outlet,
                          channel="telegram" if number < 2 else None) for number, (text, outlet) in enumerate(REPORTS)]
    with Store.memory() as opened:
        for extraction in ua_pipeline.pipe(documents):
            opened.add(extraction)
        corroborate.update(opened)
        yield opened


def test_the_three_languages_make_one_event_with_sources_from_both_sides(store):
    [event] = [event for event in store.events() if event.place.name == "Robotyne"]
    assert event.claim_count == 3
    # "a Ukrainian commander" in the wire story may be the commander the Ukrainian post names: one voice
    assert (event.source_mix.UA, event.source_mix.RU) == (1, 1)
    assert {claim.source.name for claim in event.claims} >= {"Олександр Тарнавський", "Минобороны России"}


def test_the_russian_repelled_contradicts_the_ukrainian_liberated(store):
    kinds = {(item.kind, frozenset(statement.source.side for statement in item.statements))
             for item in store.contradictions()}
    assert ("advance-vs-repelled", frozenset({"UA", "RU"})) in kinds


def test_a_ukrainian_claim_is_evidence_of_who_holds_the_village(store):
    [day] = control.timeline(store, "Robotyne", DAY + dt.timedelta(days=1))
    assert day.state == "UA"
    assert any(item.words == "звільнили Роботине" and item.state == "UA" for item in day.evidence)
