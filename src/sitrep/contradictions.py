"""Pairs of statements that cannot both be true, within a document or across documents.

Three sources of conflict, each a rule in ``data/corroboration.yaml``:

- **Control signals** at one settlement on overlapping days (``sitrep.signals``): "advanced" against
  "attacks repelled", "captured" against "holding", "withdrew" against "holding", both sides
  claiming the place. A statement and its denial ("did not withdraw") conflict too.
- **Death tolls** of one event that differ by more than a tolerance.
- **Status** within one event: one claim says it happened, another denies it.

One speaker does not contradict itself here: a channel that said "holding" on Monday and admits a
withdrawal on Friday changed its report, and the control timeline weighs both. Two speakers
disagreeing about one place and day is one contradiction, however many outlets repeat them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml
from sqlalchemy import select
from sqlalchemy.engine import Connection, RowMapping

from sitrep.gazetteer.regions import event_place
from sitrep.models import Claim, Contradiction, ControlSignal, EventPlace, Place, Statement
from sitrep.store import crossdoc as sql
from sitrep.store.schema import contradictions, events

RULES_FILE = "corroboration.yaml"
OPPOSITE = {"UA": "RU", "RU": "UA"}


@dataclass(frozen=True)
class ConflictRule:
    effects: frozenset[str]
    actors: str  # "same" or "opposite"
    kind: str


@dataclass(frozen=True)
class AttackRule:
    families: frozenset[str]
    unnamed_gains: frozenset[str]
    kind: str


@dataclass(frozen=True)
class Rules:
    signal_conflicts: tuple[ConflictRule, ...]
    casualty_ratio: float
    casualty_min_difference: int
    attack_conflict: AttackRule


@lru_cache(maxsize=1)
def rules() -> Rules:
    raw = yaml.safe_load(resources.files("sitrep.data").joinpath(RULES_FILE).read_text("utf-8"))
    conflicts = tuple(ConflictRule(frozenset(rule["effects"]), rule["actors"], rule["kind"])
                      for rule in raw["signal_conflicts"])
    attack = raw["attack_conflict"]
    return Rules(conflicts, float(raw["casualty_ratio"]), int(raw["casualty_min_difference"]),
                 AttackRule(frozenset(attack["families"]), frozenset(attack["unnamed_gains"]), attack["kind"]))


def signal_conflict(first: ControlSignal, second: ControlSignal) -> str | None:
    """The kind of conflict between two signals about one place and time, or None."""
    negated = (first.status == "negated", second.status == "negated")
    if any(negated):
        if negated[0] != negated[1] and first.effect == second.effect and _same_actor(first, second, lenient=True):
            return "status"
        return None
    effects = frozenset((first.effect, second.effect))
    for rule in rules().signal_conflicts:
        if rule.effects != effects:
            continue
        if rule.actors == "same" and _same_actor(first, second):
            return rule.kind
        if rule.actors == "opposite" and _opposite_actors(first, second):
            return rule.kind
    return None


def _same_actor(first: ControlSignal, second: ControlSignal, lenient: bool = False) -> bool:
    known = {first.actor_side, second.actor_side} - {"unknown", "third-party"}
    if lenient and len(known) <= 1:
        return True
    return first.actor_side == second.actor_side and first.actor_side in ("UA", "RU")


def _opposite_actors(first: ControlSignal, second: ControlSignal) -> bool:
    return {first.actor_side, second.actor_side} == {"UA", "RU"}


def casualties_conflict(first: int, second: int) -> bool:
    low, high = sorted((first, second))
    return high - low >= rules().casualty_min_difference and high > rules().casualty_ratio * low


def for_signal(connection: Connection, signal: ControlSignal, place: Place, speaker: str,
               low: dt.date, high: dt.date) -> list[str]:
    """Store the contradictions between a new signal and those stored at its place and days;
    returns the claim ids involved."""
    involved: list[str] = []
    for row in sql.signals_at(connection, place.geonameid, low, high):
        if row["speaker"] == speaker or (row["claim_id"], row["start_offset"]) == (signal.claim_id, signal.start):
            continue
        other = ControlSignal.model_validate_json(row["record"])
        kind = signal_conflict(other, signal)
        if kind is None:
            continue
        date_start, date_end = max(low, row["date_start"]), min(high, row["date_end"])
        identity = (kind, place.geonameid, date_start.isoformat(), *sorted((row["speaker"], speaker)))
        if _store(connection, kind, (other, signal), event_place(place), date_start, date_end, None, identity):
            involved.extend((other.claim_id, signal.claim_id))
    return involved


def within_event(connection: Connection, event_id: str, new_claims: list[str]) -> list[str]:
    """Store the contradictions between newly added claims and the other claims of their event
    (death tolls, asserted against denied); returns the claim ids involved."""
    rows = sql.conflict_fields(connection, event_id)
    if not any(row["fatalities"] is not None or row["status"] == "negated" for row in rows):
        return []  # the common case: nothing in the event could conflict this way
    claims = {row["claim_id"]: row for row in rows}
    involved: list[str] = []
    for claim_id in new_claims:
        for other_id, other in claims.items():
            if other_id == claim_id or (other_id in new_claims and other_id > claim_id):
                continue  # each pair of new claims once
            if claims[claim_id]["speaker"] == other["speaker"]:
                continue
            kind = _claim_conflict(other, claims[claim_id])
            if kind is None:
                continue
            pair = tuple(Claim.model_validate_json(sql.claim_record(connection, key)) for key in (other_id, claim_id))
            identity = (kind, event_id, *sorted((other["speaker"], claims[claim_id]["speaker"])))
            if _store(connection, kind, pair, None, None, None, event_id, identity):
                involved.extend((other_id, claim_id))
    return involved


def attack_conflict(connection: Connection, event_id: str) -> list[str]:
    """Store the conflict inside one battle between a side's report of its own attack and the
    other side's report that the attack failed ("stormed the trenches" against "repelled three
    attacks"), which control signals miss when the words name no gain; returns the claim ids.
    One per event and pair of sides, between the first report of each: every later statement and
    outlet repeats the same two accounts. None when signals already found that conflict there."""
    rule = rules().attack_conflict
    family = connection.execute(select(events.c.family).where(events.c.id == event_id)).scalar()
    if family not in rule.families:
        return []
    members = sql.members(connection, event_id)
    if not members:
        return []
    records = {row["claim_id"]: Claim.model_validate_json(row["record"]) for row in members}
    # The first report of each: by publication day, then by place in its document.
    members = sorted(members, key=lambda row: (row["published"] or dt.date.max, row["document_id"],
                                               records[row["claim_id"]].start))
    attacks = [row for row in members if _own_attack(row, records[row["claim_id"]])]
    failed = [row for row in members if row["status"] == "failed" and row["source_side"] in OPPOSITE]
    involved: list[str] = []
    for side in sorted({row["source_side"] for row in attacks}):
        attack = next(row for row in attacks if row["source_side"] == side)
        repelled = next((row for row in failed if row["source_side"] == OPPOSITE[side]), None)
        if repelled is None or _sides_in_conflict(connection, members, rule.kind, side):
            continue
        pair = (records[attack["claim_id"]], records[repelled["claim_id"]])
        identity = (rule.kind, event_id, *sorted((side, OPPOSITE[side])))
        if _store(connection, rule.kind, pair, None, None, None, event_id, identity):
            involved.extend((attack["claim_id"], repelled["claim_id"]))
    return involved


def _own_attack(row: RowMapping, claim: Claim) -> bool:
    """Whether the claim is a side's report that its own forces attacked: asserted, and the
    attacker (the event's first actor) of the speaker's side or, for a gain of ground, named by
    no one: a side's channel names the enemy when it reports the enemy's gains ("the enemy
    pushed into ..."), and leaves its own forces unnamed ("regained two positions")."""
    if row["status"] != "asserted" or row["source_side"] not in OPPOSITE or claim.event is None:
        return False
    actor = claim.event.actor1
    if actor is None:
        return claim.event.sub_event_type in rules().attack_conflict.unnamed_gains
    return actor.side == row["source_side"]


def _sides_in_conflict(connection: Connection, members: list[RowMapping], kind: str, side: str) -> bool:
    """Whether a contradiction of ``kind`` between two members said by ``side`` and its opposite
    is stored already (found from control signals, or by an earlier batch)."""
    sides = {row["claim_id"]: row["source_side"] for row in members}
    query = select(contradictions.c.claim_a, contradictions.c.claim_b).where(
        contradictions.c.kind == kind, contradictions.c.claim_a.in_(list(sides)), contradictions.c.claim_b.in_(list(sides)))
    return any({sides[row.claim_a], sides[row.claim_b]} == {side, OPPOSITE[side]} for row in connection.execute(query))


def _claim_conflict(first: RowMapping, second: RowMapping) -> str | None:
    """Conflict between two members of one event, from their membership rows."""
    a, b = first["fatalities"], second["fatalities"]
    if a is not None and b is not None and casualties_conflict(a, b):
        return "casualties"
    if {first["status"], second["status"]} == {"asserted", "negated"}:
        return "status"
    return None


def _store(connection: Connection, kind: str, pair: tuple[Claim | ControlSignal, Claim | ControlSignal],
           place: EventPlace | None, date_start: dt.date | None, date_end: dt.date | None,
           event_id: str | None, identity: tuple[object, ...]) -> bool:
    """Store one contradiction. Its id hashes ``identity``: the kind, the place and day (or the
    event) and the two speakers, so the same two voices disagreeing again through reposts and
    quotes in other outlets is one contradiction, stored with the first pair of statements."""
    ids = [_claim_id(item) for item in pair]
    context = sql.claim_context(connection, ids)
    statements = sorted((_statement(item, context[_claim_id(item)]) for item in pair),
                        key=lambda statement: (statement.claim_id, statement.start))
    contradiction_id = "cx-" + hashlib.sha1("|".join(map(str, identity)).encode()).hexdigest()[:16]
    record = Contradiction(id=contradiction_id, kind=kind, place=place, date_start=date_start, date_end=date_end,
                           event_id=event_id, statements=statements)
    return sql.add_contradiction(connection, {
        "id": contradiction_id, "kind": kind, "claim_a": statements[0].claim_id, "claim_b": statements[1].claim_id,
        "event_id": event_id, "geonameid": place.geonameid if place else None,
        "place_name": place.name if place else None, "date_start": date_start, "date_end": date_end,
        "record": record.model_dump_json(),
    })


def _claim_id(item: Claim | ControlSignal) -> str:
    return item.claim_id if isinstance(item, ControlSignal) else item.id


def _statement(item: Claim | ControlSignal, row: RowMapping) -> Statement:
    claim = Claim.model_validate_json(row["record"])
    common = {"claim_id": claim.id, "document_id": row["document_id"], "text": claim.text,
              "outlet": row["outlet"], "published": row["published"]}
    if isinstance(item, ControlSignal):
        return Statement(**common, start=item.start, end=item.end, words=item.text, source=item.source,
                         reading=f"{item.actor_side} {item.effect}" + (" (denied)" if item.status == "negated" else ""))
    event = claim.event
    reading = f"{event.fatalities} killed" if event.fatalities is not None else f"{event.sub_event_type}, {event.status}"
    return Statement(**common, start=claim.start, end=claim.end, words=claim.text, source=claim.source,
                     reading=reading)
