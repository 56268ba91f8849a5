"""Who holds each settlement, day by day, and the evidence for it.

The timeline is computed when asked, from the stored control signals (``sitrep.signals``), so it
always reflects every document stored and the current weights in ``data/timeline.yaml``. For one
day D each signal whose date ends on or before D (within the horizon) counts

    weight = source_kind x interest x effect x status x 0.5 ** (age_days / half_life)

towards the state it supports: UA, RU or contested. Evidence for a side halves slowly
(``half_life_days``); fighting inside the place halves fast (``contest_half_life_days``). Whether there is enough
evidence at all is judged on the weights before they decay: a settlement keeps its last known state
until contrary evidence comes (memory), with a confidence that falls as the evidence ages. The
state is contested when a recent advance into the place is at least ``contest_share`` of the
weighed evidence; otherwise the side with at least ``decisive_share`` of the sides' evidence and
enough evidence of its own; failing that, contested when fighting inside the place is recent and a
holder is named, else unknown. Either contest needs ``contest_voices`` recent voices.
docs/control.md explains each factor and how to tune it.
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
    contest_half_life_days: float
    memory_half_life_days: float
    horizon_days: int
    min_evidence: float
    decisive_share: float
    contest_share: float
    contest_min: float
    contest_voices: int
    contest_recent_days: int
    lone_partisan: float
    evidence_scale: float


@lru_cache(maxsize=1)
def weights() -> Weights:
    raw: dict[str, Any] = yaml.safe_load(resources.files("sitrep.data").joinpath(WEIGHTS_FILE).read_text("utf-8"))
    raw.pop("version")
    return Weights(**raw)


# Effects that are good news for the side that did them; the others (withdrew, failed_attack) are bad news.
FAVOURABLE = frozenset({"captured", "holding", "repelled", "advancing", "contested"})


def interest(signal: ControlSignal) -> str:
    """Whether the speaker's statement goes against its own side's interest, for it, or neither:
    a side reporting its own capture, hold or advance speaks for itself; one reporting its own
    withdrawal or failure, or the enemy's success, admits it."""
    speaker = signal.source.side
    if speaker == "third-party":
        return "neutral"
    if speaker not in ("UA", "RU"):
        return "unknown_side"
    if signal.actor_side in ("UA", "RU"):
        favourable = signal.effect in FAVOURABLE
        return "own_success" if favourable == (signal.actor_side == speaker) else "admission"
    if signal.state in ("UA", "RU"):
        return "own_success" if signal.state == speaker else "admission"
    return "neutral"


def effect_key(signal: ControlSignal) -> str:
    """The row of the effect table: an advance towards or around a place (its state is the other
    side's) is weighed apart from an advance into it."""
    if signal.effect == "advancing" and signal.state in ("UA", "RU"):
        return "advancing_near"
    return signal.effect


def base_weight(signal: ControlSignal) -> float:
    """The weight of a statement before it ages: who says it, for whom, what, how surely."""
    table = weights()
    return (table.source_kind.get(signal.source.kind, table.source_kind["unknown"])
            * table.interest[interest(signal)] * table.effect[effect_key(signal)]
            * table.status.get(signal.status, 0.0))


def memory_weight(signal: ControlSignal, on: dt.date) -> float:
    """The weight that says whether a settlement's last known state still stands: it ages slowly."""
    age = max(0, (on - signal.date.end).days)
    return base_weight(signal) * 0.5 ** (age / weights().memory_half_life_days)


def signal_weight(signal: ControlSignal, on: dt.date) -> float:
    table = weights()
    age = max(0, (on - signal.date.end).days)
    half_life = table.contest_half_life_days if signal.state == "contested" else table.half_life_days
    return base_weight(signal) * 0.5 ** (age / half_life)


def state_on(place: EventPlace, signals: list[ControlSignal], on: dt.date,
             speakers: list[str] | None = None) -> ControlDay:
    """The control state of one settlement on one day, from its signals. With ``speakers`` (one
    voice key per signal), a voice counts once per state: its strongest statement, so a speaker
    repeating itself, or quoted by several outlets, does not pile up weight."""
    table = weights()
    keys = speakers or [f"{signal.claim_id}@{signal.start}" for signal in signals]
    strongest: dict[tuple[str, str], tuple[ControlSignal, float, float]] = {}
    for signal, key in zip(signals, keys, strict=True):
        if not _counts_on(signal, on):
            continue
        weight, base = signal_weight(signal, on), memory_weight(signal, on)
        if base <= 0:
            continue
        held = strongest.get((key, signal.state))
        if held is None or (weight, base) > (held[1], held[2]):
            strongest[(key, signal.state)] = (signal, weight, base)
    weighed = [(signal, weight * _partisan(signal, strongest), base * _partisan(signal, strongest))
               for signal, weight, base in strongest.values()]
    scores = {"UA": 0.0, "RU": 0.0, "contested": 0.0}
    memory = {"UA": 0.0, "RU": 0.0, "contested": 0.0}
    entered = 0.0
    for signal, weight, base in weighed:
        scores[signal.state] += weight
        memory[signal.state] += base
        if signal.effect == "advancing" and signal.state == "contested":
            entered += weight  # one side's advance into the place: both sides are in it
    total = sum(scores.values())
    state, share = _decide(scores, total, memory, entered, _fighting_voices(weighed, on))
    confidence = share * (1 - math.exp(-total / table.evidence_scale)) if state != "unknown" else 0.0
    evidence = [_evidence(signal, weight, state) for signal, weight, _ in
                sorted(weighed, key=lambda item: (-item[1], item[0].claim_id, item[0].start))]
    return ControlDay(place=place, date=on, state=state, confidence=round(confidence, 3),
                      scores={key: round(value, 3) for key, value in scores.items()}, evidence=evidence)


def _partisan(signal: ControlSignal, strongest: dict[tuple[str, str], tuple[ControlSignal, float, float]]) -> float:
    """``lone_partisan`` for a side's statement of its own success when it is the only voice for
    that state: one partisan claim alone does not decide (docs/control.md); 1 otherwise."""
    if signal.state not in ("UA", "RU") or interest(signal) != "own_success":
        return 1.0
    voices = [item for (_, state), (item, _, _) in strongest.items() if state == signal.state]
    return weights().lone_partisan if len(voices) == 1 else 1.0


def _counts_on(signal: ControlSignal, on: dt.date) -> bool:
    """A statement counts from the last day it speaks of: one dated by a range ("in the past week",
    "throughout May") says what held by the range's end, not on its first day."""
    if signal.status in ("negated", "hypothetical", "planned") or signal.state == "unknown":
        return False
    return signal.date.end <= on and (on - signal.date.end).days <= weights().horizon_days


def _fighting_voices(weighed: list[tuple[ControlSignal, float, float]], on: dt.date) -> int:
    """How many voices report fighting in the place, or an advance into it, within the last
    ``contest_recent_days``."""
    recent = weights().contest_recent_days
    return sum(1 for signal, _, _ in weighed if signal.state == "contested" and (on - signal.date.end).days <= recent)


def _decide(scores: dict[str, float], total: float, memory: dict[str, float], entered: float = 0.0,
            fighting_voices: int = 0) -> tuple[str, float]:
    """The state and the share of the evidence behind it. ``memory`` holds each state's total
    aged slowly: old evidence still says who held the place last; ``entered`` is the part of the
    contested score that comes from advances into the place; ``fighting_voices`` counts the voices
    that recently reported fighting in it.

    Steps: not enough evidence at all (``min_evidence`` on the memory) is unknown; contested needs
    both sides in the place, recently, said by at least ``contest_voices`` voices: an advance into it
    (the attacker is inside, the defender still there) that is at least ``contest_share`` of the
    weighed evidence, or fighting inside it while the two sides' claims are in balance or the one
    holder named has too little evidence of its own (below). A side needs ``decisive_share`` of
    the sides' recent evidence, and its own memory must reach
    ``min_evidence``: old evidence for the other side does not make a faint recent claim enough. A
    report of fighting in a place by itself says where the front is, not that the holder changes:
    it names no state."""
    table = weights()
    if sum(memory.values()) < table.min_evidence or total <= 0:
        return "unknown", 0.0
    corroborated = fighting_voices >= table.contest_voices
    if corroborated and entered >= table.contest_min and scores["contested"] / total >= table.contest_share:
        return "contested", scores["contested"] / total
    sides = scores["UA"] + scores["RU"]
    side = max(("UA", "RU"), key=lambda key: scores[key])
    if sides > 0 and scores[side] / sides >= table.decisive_share and memory[side] >= table.min_evidence:
        return side, scores[side] / sides
    fighting = scores["contested"] >= table.contest_min  # fighting inside the place, recently
    named = (min(scores["UA"], scores["RU"]) > 0
             or (sides > 0 and scores["contested"] / total >= table.contest_share))
    if fighting and corroborated and named:
        # A fight inside the place, said by several voices, with the two sides' claims in balance
        # or a holder named whose evidence is too faint to answer for it: a contest.
        return "contested", min(1.0, (scores["contested"] + 2 * min(scores["UA"], scores["RU"])) / total)
    return "unknown", 0.0  # fighting alone, or claims in balance with no fight reported: no holder known


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
