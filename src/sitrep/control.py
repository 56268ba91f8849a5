"""Who holds each settlement, day by day, and the evidence for it.

The timeline is computed when asked, from the stored control signals (``sitrep.signals``), so it
always reflects every document stored and the current weights in ``data/timeline.yaml``. For one
day D each signal dated on or before D (within the horizon) counts

    weight = source_kind x interest x effect x status x 0.5 ** (age_days / half_life)

towards the state it supports: UA, RU or contested. The state is the side whose share of the total
reaches ``decisive_share``; below it the place is contested; with too little evidence it is
unknown. docs/control.md explains each factor and how to tune it.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from sitrep.errors import NotFound
from sitrep.models import ControlDay, ControlSignal, EventPlace, Evidence
from sitrep.store import Store
from sitrep.store import crossdoc as sql

WEIGHTS_FILE = "timeline.yaml"


@dataclass(frozen=True)
class Weights:
    source_kind: dict[str, float]
    interest: dict[str, float]
    effect: dict[str, float]
    status: dict[str, float]
    half_life_days: float
    horizon_days: int
    min_evidence: float
    decisive_share: float
    evidence_scale: float


@lru_cache(maxsize=1)
def weights() -> Weights:
    raw: dict[str, Any] = yaml.safe_load(resources.files("sitrep.data").joinpath(WEIGHTS_FILE).read_text("utf-8"))
    raw.pop("version")
    return Weights(**raw)


def interest(signal: ControlSignal) -> str:
    """Whether the speaker's statement goes against its own side's interest, for it, or neither."""
    speaker = signal.source.side
    if speaker == "third-party":
        return "neutral"
    if speaker not in ("UA", "RU"):
        return "unknown_side"
    if signal.state in ("UA", "RU"):
        return "own_success" if signal.state == speaker else "admission"
    if signal.actor_side in ("UA", "RU"):  # contested: whose advance or fight is it?
        return "own_success" if signal.actor_side == speaker else "admission"
    return "neutral"


def signal_weight(signal: ControlSignal, on: dt.date) -> float:
    table = weights()
    age = max(0, (on - signal.date.end).days)
    decay = 0.5 ** (age / table.half_life_days)
    return (table.source_kind.get(signal.source.kind, table.source_kind["unknown"])
            * table.interest[interest(signal)] * table.effect[signal.effect]
            * table.status.get(signal.status, 0.0) * decay)


def state_on(place: EventPlace, signals: list[ControlSignal], on: dt.date,
             speakers: list[str] | None = None) -> ControlDay:
    """The control state of one settlement on one day, from its signals. With ``speakers`` (one
    voice key per signal), a voice counts once per state: its strongest statement, so a speaker
    repeating itself, or quoted by several outlets, does not pile up weight."""
    table = weights()
    keys = speakers or [f"{signal.claim_id}@{signal.start}" for signal in signals]
    strongest: dict[tuple[str, str], tuple[ControlSignal, float]] = {}
    for signal, key in zip(signals, keys, strict=True):
        if not _counts_on(signal, on):
            continue
        weight = signal_weight(signal, on)
        if weight > 0 and weight > strongest.get((key, signal.state), (None, 0.0))[1]:
            strongest[(key, signal.state)] = (signal, weight)
    weighed = list(strongest.values())
    scores = {"UA": 0.0, "RU": 0.0, "contested": 0.0}
    for signal, weight in weighed:
        scores[signal.state] += weight
    total = sum(scores.values())
    state, share = _decide(scores, total)
    confidence = share * (1 - math.exp(-total / table.evidence_scale)) if state != "unknown" else 0.0
    evidence = [_evidence(signal, weight, state) for signal, weight in
                sorted(weighed, key=lambda item: (-item[1], item[0].claim_id, item[0].start))]
    return ControlDay(place=place, date=on, state=state, confidence=round(confidence, 3),
                      scores={key: round(value, 3) for key, value in scores.items()}, evidence=evidence)


def _counts_on(signal: ControlSignal, on: dt.date) -> bool:
    if signal.status in ("negated", "hypothetical", "planned") or signal.state == "unknown":
        return False
    return signal.date.start <= on and (on - signal.date.end).days <= weights().horizon_days


def _decide(scores: dict[str, float], total: float) -> tuple[str, float]:
    """The state and the share of the evidence behind it."""
    table = weights()
    if total < table.min_evidence:
        return "unknown", 0.0
    side = max(("UA", "RU"), key=lambda key: scores[key])
    if scores[side] / total >= table.decisive_share:
        return side, scores[side] / total
    # Fighting reported, or the two sides' claims in balance: both are evidence of a contest.
    return "contested", min(1.0, (scores["contested"] + 2 * min(scores["UA"], scores["RU"])) / total)


def _evidence(signal: ControlSignal, weight: float, state: str) -> Evidence:
    return Evidence(claim_id=signal.claim_id, document_id=signal.document_id, start=signal.start, end=signal.end,
                    words=signal.text, effect=signal.effect, actor_side=signal.actor_side, state=signal.state,
                    status=signal.status, date=signal.date, source=signal.source, weight=round(weight, 3),
                    supports=signal.state == state)


def timeline(store: Store, place: str, on: dt.date | None = None) -> list[ControlDay]:
    """The state of every settlement called ``place`` (or with that GeoNames id): on ``on``, or on
    each day with evidence when no day is given. Settlements sharing a name are listed apart."""
    with store.reading() as connection:
        found = sql.settlements(connection, name=place)
        if not found:
            raise NotFound(f"no control evidence for a settlement called {place!r} in {store.name}")
        return [day for row in found for day in _days(connection, row, on)]


def region(store: Store, name: str, on: dt.date) -> list[ControlDay]:
    """The state on ``on`` of every settlement with evidence in a region whose name contains ``name``."""
    with store.reading() as connection:
        found = sql.settlements(connection, region=name)
        if not found:
            raise NotFound(f"no control evidence for settlements in a region matching {name!r} in {store.name}")
        return [day for row in found for day in _days(connection, row, on)]


def _days(connection, row, on: dt.date | None) -> list[ControlDay]:
    place = EventPlace(name=row["place_name"], geonameid=row["geonameid"], admin1=row["admin1"], lat=row["lat"],
                       lon=row["lon"], precision=1)
    stored = sql.signals_at(connection, row["geonameid"], high=on)
    signals = [ControlSignal.model_validate_json(found["record"]) for found in stored]
    speakers = [found["speaker"] for found in stored]
    days = [on] if on is not None else sorted({signal.date.end for signal in signals})
    return [state_on(place, signals, day, speakers) for day in days]
