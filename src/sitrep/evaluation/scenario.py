"""Scores of the cross-document stage against a scenario's intended truth (tests/scenario/).

The truth names each sentence by its report id and a quote from it. Measures:

- **Clustering**: pairwise precision, recall and F1 over the truth's claims. Two claims form a
  gold pair when the truth puts them in one event, a system pair when sitrep does. A claim that
  sitrep did not put in any event is a singleton, so it costs recall.
- **Independent sources**: for each truth event, sitrep's event that holds most of its claims,
  and whether its count of independent sources is exactly the truth's.
- **Contradictions**: recall over the planted pairs and precision over what sitrep found among the
  scenario's claims. A copy of a sentence (a forward, a republished wire story) stands for it.
- **Control**: the state on each truth day for which some report spoke of the place by then.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

import yaml

from sitrep import control
from sitrep.duplicates import same_text
from sitrep.errors import NotFound
from sitrep.store import Store


@dataclass
class ScenarioScores:
    claims_found: int = 0
    claims_total: int = 0
    pair_precision: float = 0.0
    pair_recall: float = 0.0
    pair_f1: float = 0.0
    source_counts_exact: int = 0
    source_counts_total: int = 0
    source_count_misses: list[str] = field(default_factory=list)
    contradictions_found: int = 0
    contradictions_planted: int = 0
    contradiction_precision: float = 0.0
    contradictions_system: int = 0
    contradiction_misses: list[str] = field(default_factory=list)
    control_correct: int = 0
    control_total: int = 0
    control_misses: list[str] = field(default_factory=list)


def load_truth(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def evaluate(store: Store, truth: dict[str, Any]) -> ScenarioScores:
    scores = ScenarioScores()
    texts = _claims_by_report(store)
    locate = _Locator(texts, _voices(store))
    _score_clusters(store, truth, locate, scores)
    _score_contradictions(store, truth, locate, scores)
    _score_control(store, truth, scores)
    return scores


class _Locator:
    """Truth (report, quote) -> the stored claim id whose sentence holds the quote."""

    def __init__(self, texts: dict[str, list[tuple[str, str]]], voices: dict[str, set[tuple]] | None = None):
        self.texts = texts
        self.claim_text = {claim_id: text for claims in texts.values() for claim_id, text in claims}
        self.voices = voices or {}

    def __call__(self, item: dict[str, str]) -> str | None:
        for claim_id, text in self.texts.get(item["report"], []):
            if item["quote"] in text:
                return claim_id
        return None

    def copies(self, claim_id: str) -> set[str]:
        """The claim and every stored claim that stands for it: a copy of its sentence, or the same
        voice on the same event or on the same place and day (a quote of it in another outlet)."""
        text, voices = self.claim_text[claim_id], self.voices.get(claim_id, set())
        return {other for other, other_text in self.claim_text.items()
                if same_text(text, other_text) or voices & self.voices.get(other, set())}


def _voices(store: Store) -> dict[str, set[tuple]]:
    """Claim id -> (speaker, event) and (speaker, place, day) of what it says, from the store."""
    from sqlalchemy import select

    from sitrep.store.schema import control_signals, event_claims

    found: dict[str, set[tuple]] = defaultdict(set)
    with store.reading() as connection:
        for row in connection.execute(select(event_claims.c.claim_id, event_claims.c.speaker, event_claims.c.event_id)):
            found[row.claim_id].add(("event", row.speaker, row.event_id))
        for row in connection.execute(select(control_signals.c.claim_id, control_signals.c.speaker,
                                             control_signals.c.geonameid, control_signals.c.date_start)):
            found[row.claim_id].add(("place", row.speaker, row.geonameid, row.date_start))
    return found


def _claims_by_report(store: Store) -> dict[str, list[tuple[str, str]]]:
    """Report id (the ``#id=`` of its source) -> its stored claims (id, text)."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for stored in store.claims():
        document = store.get_document(stored.document_id)
        report = document.source.rpartition("#id=")[2]
        found[report].append((stored.claim.id, stored.claim.text))
    return found


def _score_clusters(store: Store, truth: dict[str, Any], locate: _Locator, scores: ScenarioScores) -> None:
    system_event = {claim.claim_id: event.id for event in store.events() for claim in event.claims}
    sources = {event.id: event.independent_sources for event in store.events()}
    gold: dict[str, str] = {}
    for event in truth["events"]:
        located = [locate(item) for item in event["claims"]]
        scores.claims_total += len(located)
        for claim_id in filter(None, located):
            gold[claim_id] = event["id"]
        members = [system_event[claim_id] for claim_id in located if claim_id in system_event]
        scores.source_counts_total += 1
        chosen = Counter(members).most_common(1)[0][0] if members else None
        if chosen is not None and sources[chosen] == event["independent_sources"]:
            scores.source_counts_exact += 1
        else:
            found = sources.get(chosen) if chosen else None
            scores.source_count_misses.append(f"{event['id']}: want {event['independent_sources']}, got {found}")
    scores.claims_found = len(gold)
    claim_ids = sorted(gold)
    both = gold_pairs = system_pairs = 0
    for first, second in combinations(claim_ids, 2):
        in_gold = gold[first] == gold[second]
        in_system = first in system_event and system_event.get(first) == system_event.get(second)
        gold_pairs += in_gold
        system_pairs += in_system
        both += in_gold and in_system
    scores.pair_precision = both / system_pairs if system_pairs else 0.0
    scores.pair_recall = both / gold_pairs if gold_pairs else 0.0
    total = scores.pair_precision + scores.pair_recall
    scores.pair_f1 = 2 * scores.pair_precision * scores.pair_recall / total if total else 0.0


def _score_contradictions(store: Store, truth: dict[str, Any], locate: _Locator, scores: ScenarioScores) -> None:
    found_pairs = [frozenset(statement.claim_id for statement in item.statements) for item in store.contradictions()]
    planted = []
    for item in truth["contradictions"]:
        a, b = locate(item["a"]), locate(item["b"])
        planted.append((item, locate.copies(a) if a else set(), locate.copies(b) if b else set()))
    scores.contradictions_planted = len(planted)
    scenario_claims = set(locate.claim_text)
    matched_system: set[int] = set()
    for item, copies_a, copies_b in planted:
        hits = [index for index, pair in enumerate(found_pairs) if _links(pair, copies_a, copies_b)]
        matched_system.update(hits)
        if hits:
            scores.contradictions_found += 1
        else:
            scores.contradiction_misses.append(f"{item['kind']}: {item['a']['quote']!r} / {item['b']['quote']!r}")
    relevant = [index for index, pair in enumerate(found_pairs) if pair <= scenario_claims]
    scores.contradictions_system = len(relevant)
    scores.contradiction_precision = (len(matched_system & set(relevant)) / len(relevant)) if relevant else 0.0


def _links(pair: frozenset[str], copies_a: set[str], copies_b: set[str]) -> bool:
    ids = list(pair)
    if len(ids) == 1:  # two statements inside one sentence
        return bool(pair & copies_a) and bool(pair & copies_b)
    first, second = ids
    return (first in copies_a and second in copies_b) or (first in copies_b and second in copies_a)


def _score_control(store: Store, truth: dict[str, Any], scores: ScenarioScores) -> None:
    spoken: dict[str, list[dt.date]] = defaultdict(list)
    for item in truth.get("control_claims", []):
        spoken[item["place"]].append(item["date"])
    for item in truth["control"]:
        if not any(day <= item["date"] for day in spoken.get(item["place"], [])):
            continue  # nothing had been reported about the place by then
        scores.control_total += 1
        try:
            days = control.timeline(store, str(truth["places"][item["place"]]), item["date"])
        except NotFound:
            days = []
        state = days[0].state if days else "unknown"
        if state == item["state"]:
            scores.control_correct += 1
        else:
            scores.control_misses.append(f"{item['place']} {item['date']}: want {item['state']}, got {state}")
