"""Across documents: claims become events, and each event counts its independent sources.

``update(store)`` is incremental. It takes the stored documents that it has not seen yet, oldest
publication first, and for each one, in one transaction:

1. fingerprints the text (``sitrep.duplicates``) and finds the document's origin: the earliest
   stored near-duplicate, else itself;
2. places each claim that reports an event into the best compatible event, or opens a new one
   (compatible: one family of sub-types, overlapping dates, places within a distance that depends
   on their precision, no conflicting actors; see ``data/corroboration.yaml``);
3. finds the claim's control signals (``sitrep.signals``) and stores those at a settlement;
4. looks for contradictions with what is stored (``sitrep.contradictions``);
5. recomputes the summary of each event it touched.

A document is marked as seen in the same transaction, so running ``update`` again changes nothing
and a crash loses nothing: the next run redoes that document from the start. Events never merge
with each other, so a claim whose place is ambiguous can never join two events into one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.engine import Connection, RowMapping

from sitrep import contradictions
from sitrep.extract.attribution import known_speaker
from sitrep.duplicates import DOCUMENT_THRESHOLD, Fingerprint, jaccard, same_text, shingles
from sitrep.gazetteer.builtin import distance_km
from sitrep.gazetteer.regions import admin1_name, event_place
from sitrep.models import PIPELINE_VERSION, Claim, Event, EventDate, EventPlace, EventSummary, Place, Source, SourceMix
from sitrep.signals import control_signals
from sitrep.store import Store
from sitrep.store import crossdoc as sql
from sitrep.store.engine import write_transaction
from sitrep.store.schema import claims as claims_table
from sitrep.store.schema import event_claims, events

RULES_FILE = "corroboration.yaml"

# Documents per transaction: large enough to amortise a commit, small enough that a crash or a
# concurrent reader waits for little.
BATCH_DOCUMENTS = 50


@dataclass(frozen=True)
class Rules:
    family_of: dict[str, str]
    clustered_statuses: frozenset[str]
    radius_km: dict[int, float]
    publication_slack: dt.timedelta
    generic_speakers: frozenset[str]
    joins: dict[str, tuple[str, ...]]
    speaker_area: dt.timedelta
    restated: dict[str, dt.timedelta]
    max_span: dt.timedelta
    detail_sub_types: frozenset[str]
    same_day_words: frozenset[str]

    def family(self, sub_event_type: str | None, event_type: str) -> str:
        return self.family_of.get(sub_event_type or "", sub_event_type or event_type)

    def families(self, family: str) -> tuple[str, ...]:
        """The family itself first, then those its events may join."""
        return (family, *self.joins.get(family, ()))


@lru_cache(maxsize=1)
def rules() -> Rules:
    raw = yaml.safe_load(resources.files("sitrep.data").joinpath(RULES_FILE).read_text("utf-8"))
    family_of = {sub_type: family for family, sub_types in raw["families"].items() for sub_type in sub_types}
    return Rules(
        family_of=family_of,
        clustered_statuses=frozenset(raw["clustered_statuses"]),
        radius_km={int(level): float(km) for level, km in raw["place_radius_km"].items()},
        publication_slack=dt.timedelta(days=raw["publication_slack_days"]),
        generic_speakers=frozenset(name.lower() for name in raw["generic_speakers"]),
        joins={family: tuple(others) for family, others in raw["joins"].items()},
        speaker_area=dt.timedelta(days=raw["speaker_area_days"]),
        restated={sub_type: dt.timedelta(days=days) for sub_type, days in raw["restated_slack_days"].items()},
        max_span=dt.timedelta(days=raw["max_event_span_days"]),
        detail_sub_types=frozenset(raw["detail_sub_types"]),
        same_day_words=frozenset(word.lower() for word in raw["report_day_words"]),
    )


@dataclass
class UpdateReport:
    documents: int = 0
    claims: int = 0
    events_new: int = 0
    events_touched: int = 0
    signals: int = 0
    contradictions: int = 0


@dataclass
class Batch:
    """What one transaction changed: events to summarise again, and the claims each one gained."""

    touched: set[str] = field(default_factory=set)
    new_claims: dict[str, list[str]] = field(default_factory=dict)
    attackers: dict[str, set[str]] = field(default_factory=dict)  # until the events are summarised
    # Claims with no place that fit no event yet: placed again once the whole batch is in.
    deferred: list[tuple[Fact, DocumentContext]] = field(default_factory=list)


@dataclass
class DocumentContext:
    """What every claim of one document shares."""

    id: str
    origin_id: str
    outlet: str | None
    published: dt.date | None
    places: list[tuple[int, Place]]
    batch: Batch


def update(store: Store, progress: Callable[[int], None] | None = None) -> UpdateReport:
    """Bring events, signals and contradictions up to date with the stored documents."""
    report = UpdateReport()
    while True:
        with write_transaction(store.engine) as connection:
            pending = sql.pending_documents(connection, BATCH_DOCUMENTS)
            batch = Batch()
            for document in pending:
                _process_document(connection, document, batch, report)
            _finish(connection, batch, report)
        if progress and pending:
            progress(len(pending))
        if len(pending) < BATCH_DOCUMENTS:
            return report


def rebuild(store: Store, progress: Callable[[int], None] | None = None) -> UpdateReport:
    """Forget every event, signal and contradiction and derive them again (after a rules change)."""
    sql.clear(store.engine)
    return update(store, progress)


def _process_document(connection: Connection, document: RowMapping, batch: Batch, report: UpdateReport) -> None:
    origin_id, bands = _origin(connection, document)
    sql.add_fingerprint(connection, document["id"], origin_id, bands, PIPELINE_VERSION)
    claims, places = sql.document_claims(connection, document["id"])
    context = DocumentContext(document["id"], origin_id, document["outlet"] or document["channel"],
                              document["published"], places, batch)
    for claim in claims:
        if claim.event and claim.event.event_type and claim.event.status in rules().clustered_statuses:
            _cluster_claim(connection, claim, context, report)
            report.claims += 1
        _store_signals(connection, claim, context, report)
    report.documents += 1


def _finish(connection: Connection, batch: Batch, report: UpdateReport) -> None:
    """Claims deferred for want of a place, contradictions inside the events the batch added to,
    then their new summaries."""
    for fact, context in batch.deferred:
        _join(connection, fact, _choose(connection, fact, context), context, report)
    for event_id, claim_ids in sorted(batch.new_claims.items()):
        found = contradictions.within_event(connection, event_id, claim_ids)
        found += contradictions.attack_conflict(connection, event_id)
        _note_contradictions(connection, found, batch, report)
    for event_id in sorted(batch.touched):
        _summarise(connection, event_id)
    report.events_touched += len(batch.touched)


def _origin(connection: Connection, document: RowMapping) -> tuple[str, list[tuple[int, int]]]:
    """The document's near-duplicate origin, and its LSH bands."""
    fingerprint = Fingerprint(document["text"])
    bands = fingerprint.bands()
    candidates = sql.band_matches(connection, bands, document["id"])[:20]
    if not candidates:
        return document["id"], bands
    own = shingles(document["text"])
    texts = sql.document_texts(connection, candidates)
    similar = [other for other in candidates if jaccard(own, shingles(texts[other])) >= DOCUMENT_THRESHOLD]
    found = sql.origins(connection, similar)
    # The origin of the origin: copies of a copy point at the first text.
    return (min(found.values()) if found else document["id"]), bands


# Claims into events


@dataclass(frozen=True)
class Fact:
    """A claim as clustering sees it."""

    claim: Claim
    family: str
    place: Place | None
    low: dt.date | None
    high: dt.date | None
    speaker: str
    own_low: dt.date | None = None  # the claim's own days, before ``_slack``


def _cluster_claim(connection: Connection, claim: Claim, context: DocumentContext, report: UpdateReport) -> None:
    event = claim.event
    own_low, high = matching_dates(event.date, context.published)
    slack = _slack(event, context.published)
    low = own_low - slack if own_low is not None and slack else own_low
    fact = Fact(claim, rules().family(event.sub_event_type, event.event_type), _usable_place(claim, context.places),
                low, high, speaker_key(claim.source, context), own_low)
    chosen = _copied_event(connection, claim, context) or _choose(connection, fact, context)
    if chosen is None and fact.place is None:
        # A report with no place may be the first of an event that later reports of the batch
        # place: it waits for them (``_finish``).
        context.batch.deferred.append((fact, context))
        return
    _join(connection, fact, chosen, context, report)


def _join(connection: Connection, fact: Fact, chosen: str | None, context: DocumentContext,
          report: UpdateReport) -> None:
    """Add the claim to the chosen event, or to a new one."""
    claim, event = fact.claim, fact.claim.event
    if chosen is None:
        chosen = "ev-" + hashlib.sha1(claim.id.encode()).hexdigest()[:16]
        sql.insert_event(connection, _placeholder_row(chosen, fact))
        report.events_new += 1
    sql.add_member(connection, {
        "claim_id": claim.id, "event_id": chosen, "document_id": context.id, "origin_id": context.origin_id,
        "speaker": fact.speaker, "source_side": claim.source.side, "published": context.published,
        "fatalities": event.fatalities, "status": event.status,
        "place": fact.place.model_dump_json() if fact.place else None,
    })
    context.batch.touched.add(chosen)
    if event.actor1 is not None:
        context.batch.attackers.setdefault(chosen, set()).add(event.actor1.side)
    context.batch.new_claims.setdefault(chosen, []).append(claim.id)


def _slack(event: Event, published: dt.date | None) -> dt.timedelta | None:
    """How many days before its own a claim may still find its event (the event's days stay its
    own): a restated withdrawal (``restated_slack_days``), or a day the text names that is the
    report's own (``report_day_words``)."""
    restated = rules().restated.get(event.sub_event_type or "")
    if restated:
        return restated
    date = event.date
    if (date is not None and published is not None and date.start == date.end == published
            and date.expression is not None and date.expression.lower().strip() not in rules().same_day_words):
        return rules().publication_slack
    return None


def matching_dates(date: EventDate | None, published: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    """The days a claim's event may have happened on, for matching it with others."""
    if date is None:
        if published is None:
            return None, None
        return published - rules().publication_slack, published
    if date.anchor == "published" and date.expression is None:
        return date.start - rules().publication_slack, date.end
    return date.start, date.end


def _usable_place(claim: Claim, places: Sequence[tuple[int, Place]]) -> Place | None:
    """The claim's event place when it is resolved and finer than a country."""
    index = claim.event.place if claim.event else None
    if index is None:
        return None
    place = dict(places).get(index)
    if place is None or place.geonameid is None or place.lat is None or place.kind != "toponym":
        return None
    return place if (place.precision or 4) <= 3 else None


def speaker_key(source: Source, context: DocumentContext) -> str:
    """Who speaks, as one voice across documents. A known or named speaker is the same voice in
    every outlet that quotes it; the narrator is its outlet; an unnamed group ("officials",
    "others") is one voice only within the document and its copies."""
    name = source.name.strip()
    lowered = name.lower().removeprefix("the ").strip()
    if source.kind == "narrator" or lowered == "narrator":
        return f"outlet:{(context.outlet or context.origin_id).lower()}"
    key = _named_speaker(name)
    return key if key is not None else f"{lowered}@{context.origin_id}"


@lru_cache(maxsize=65536)
def _named_speaker(name: str) -> str | None:
    """The cross-document key of a known or named speaker; None for an unnamed group."""
    lowered = name.lower().removeprefix("the ").strip()
    entry = known_speaker(name)
    if entry is not None:
        return f"speaker:{entry['names'][0].lower()}"
    if lowered in rules().generic_speakers or not any(word[:1].isupper() for word in name.split()[1:]):
        return None
    if lowered.split(" ", 1)[0] in ("a", "an", "one"):
        return None  # a description ("a Russian military blogger"), not a name
    return f"speaker:{lowered}"


def _copied_event(connection: Connection, claim: Claim, context: DocumentContext) -> str | None:
    """The event of the sentence that ``claim`` copies, when its document is a copy (a forward, a
    republished wire story): a copy says what its original said, even where a later publication
    day would shift a day the original dated by its own. The copy must give the same days: a
    ministry's daily statements share a template, and "repelled three attacks ... on Saturday" is
    a lightly edited copy of "repelled five attacks ... on Tuesday" as far as its words go."""
    if context.origin_id == context.id:
        return None
    query = (select(event_claims.c.event_id, event_claims.c.claim_id, claims_table.c.text, claims_table.c.record)
             .join(claims_table, claims_table.c.id == event_claims.c.claim_id)
             .where(event_claims.c.origin_id == context.origin_id, event_claims.c.document_id != context.id))
    found = {row.event_id for row in connection.execute(query)
             if _part(row.claim_id) == claim.part and same_text(row.text, claim.text)
             and _same_days(Claim.model_validate_json(row.record), claim)}
    return found.pop() if len(found) == 1 else None


def _same_days(first: Claim, second: Claim) -> bool:
    dates = [claim.event.date if claim.event else None for claim in (first, second)]
    if dates[0] is None or dates[1] is None:
        return dates[0] is dates[1]
    return (dates[0].start, dates[0].end) == (dates[1].start, dates[1].end)


def _part(claim_id: str) -> int:
    """A claim's part from its id ('<document>:<start>-<end>/<part>')."""
    _, slash, part = claim_id.rpartition("/")
    return int(part) if slash and part.isdigit() else 0


def _choose(connection: Connection, fact: Fact, context: DocumentContext) -> str | None:
    """The best compatible event for the claim, or None to open a new one."""
    if fact.place is None:
        return _choose_placeless(connection, fact, context)
    level = fact.place.precision or 3
    radius = rules().radius_km.get(max(level, 1), rules().radius_km[3])
    scored = []
    # A settlement's claim looks as far as a "near" event can be; a region's, across the region.
    box = rules().radius_km[max(level, 2)]
    for row in sql.candidate_events(connection, rules().families(fact.family), fact.low, fact.high, fact.place, box):
        score = _place_score(fact.place, row)
        if score is None or not _actors_compatible(fact, row, context.batch) or not _spans_compatible(fact, row):
            continue
        if row["family"] != fact.family:
            score -= 1.0
        if max(level, row["precision"] or 4) >= 3 and level != (row["precision"] or 4):
            continue  # a region-level report joins a settlement's event only below, when unique
        scored.append((score + _sub_type_bonus(fact, row) - _DAY_PENALTY * _days_apart(fact, row), row["id"]))
    if scored:
        return max(scored, key=lambda item: (item[0], _reverse(item[1])))[1]
    if level >= 3:
        found = _unique_in_region(connection, fact, radius, context)
        if found is not None:
            return found
    return _same_report(connection, fact, context)


# Score lost per day between a claim's own days and an event's: of two events that the claim's
# slack reaches, the one on its own days wins (less than a sub-type bonus, so only between equals).
_DAY_PENALTY = 0.1


def _days_apart(fact: Fact, row: RowMapping) -> int:
    """Days between the claim's own days (without ``restated`` slack) and the event's; 0 when they overlap."""
    if fact.own_low is None or fact.high is None or row["date_start"] is None:
        return 0
    if row["date_end"] < fact.own_low:
        return (fact.own_low - row["date_end"]).days
    if row["date_start"] > fact.high:
        return (row["date_start"] - fact.high).days
    return 0


def _span(low: dt.date | None, high: dt.date | None) -> bool:
    """Whether [low, high] is longer than one event's days may be (a campaign, "for two weeks")."""
    return low is not None and high is not None and high - low > rules().max_span


def _spans_compatible(fact: Fact, row: RowMapping) -> bool:
    """A claim about weeks of fighting and an event of one day are not one event."""
    return _span(fact.own_low, fact.high) == _span(row["date_start"], row["date_end"])


def _reverse(key: str) -> tuple[int, ...]:
    return tuple(-ord(char) for char in key)  # ties go to the smallest id


def _place_score(place: Place, row: RowMapping) -> float | None:
    """How well an event's place fits the claim's; None when they cannot be one place."""
    if row["precision"] is None or row["lat"] is None:
        return None
    if row["geonameid"] == place.geonameid:
        return 3.0
    level = max(place.precision or 3, row["precision"])
    radius = rules().radius_km.get(level)
    if radius is None:
        return None
    if level >= 3:
        same = (row["admin1"], row["country"]) == (admin1_name(place.country, place.admin1), place.country)
        return 1.0 if same else None
    distance = distance_km(place.lat, place.lon, row["lat"], row["lon"])
    return 2.0 - distance / radius if distance <= radius else None


def _unique_in_region(connection: Connection, fact: Fact, radius: float, context: DocumentContext) -> str | None:
    """A region-level claim joins a settlement's event when it is the only candidate in the region."""
    found = [row["id"] for row in sql.candidate_events(connection, (fact.family,), fact.low, fact.high, fact.place, radius)
             if _place_score(fact.place, row) is not None and _actors_compatible(fact, row, context.batch)]
    return found[0] if len(found) == 1 else None


def _same_report(connection: Connection, fact: Fact, context: DocumentContext) -> str | None:
    """A claim that fits no event of its family joins the one event of its own report (or a copy
    of it) at the same place and days, whatever that event's type: the losses, the damage, the
    surrender or the supporting fire that a report tells next to its main event are details of it
    ("... shelled Orikhiv. Three houses were damaged."). A claim without a place does so only when
    its sub-type is such a detail (``detail_sub_types``)."""
    if fact.place is None and fact.claim.event.sub_event_type not in rules().detail_sub_types:
        return None
    same_origin = sql.events_of_origin(connection, context.origin_id)
    if not same_origin:
        return None
    rows = connection.execute(select(events).where(events.c.id.in_(sorted(same_origin)))).mappings()
    found = [row["id"] for row in _overlapping(rows, fact.low, fact.high)
             if (fact.place is None or _place_score(fact.place, row) is not None)
             and _spans_compatible(fact, row)
             and (row["family"] not in rules().families(fact.family) or _actors_compatible(fact, row, context.batch))]
    return found[0] if len(found) == 1 else None


def _overlapping(rows: Any, low: dt.date | None, high: dt.date | None) -> list[RowMapping]:
    """The events among ``rows`` whose days overlap [low, high] (undated ones match any days)."""
    return [row for row in rows if low is None or high is None or row["date_start"] is None
            or (row["date_start"] <= high and row["date_end"] >= low)]


def _choose_placeless(connection: Connection, fact: Fact, context: DocumentContext) -> str | None:
    """A claim with no usable place joins, when exactly one fits: an event of its family in its
    own document (or a copy of it); else, for a detail, any event of the document
    (``_same_report``); else an event of its family on the same days in the regions that its
    document names or, when the document names none, in the regions where its speaker reported
    events in the days before (``_unique_in_area``). A claim that fits several stays alone."""
    same_origin = sql.events_of_origin(connection, context.origin_id)
    found = [row for row in sql.candidate_events(connection, rules().families(fact.family), fact.low, fact.high, None, 0,
                                                 among=same_origin)
             if _actors_compatible(fact, row, context.batch)]
    same_type = [row for row in found if row["sub_event_type"] == fact.claim.event.sub_event_type]
    for choice in (found, same_type):
        if len(choice) == 1:
            return choice[0]["id"]
    if found:
        return None
    return _same_report(connection, fact, context) or _unique_in_area(connection, fact, context)


def _unique_in_area(connection: Connection, fact: Fact, context: DocumentContext) -> str | None:
    """The one event of the claim's family, days and compatible actors at a place of the claim's
    area: the settlements its document names as event places, else those of the events its speaker
    reported in the days before."""
    if fact.low is None or fact.high is None:
        return None
    area = [place for _, place in context.places if place.role in (None, "location") and _settlement(place)]
    if not area and context.published is not None:
        area = _speaker_places(connection, fact.speaker, context.published - rules().speaker_area, context.published)
    box = rules().radius_km[2]
    found = {row["id"]: _days_apart(fact, row) for place in area
             for row in sql.candidate_events(connection, rules().families(fact.family), fact.low, fact.high, place, box)
             if _place_score(place, row) is not None and _actors_compatible(fact, row, context.batch)
             and _spans_compatible(fact, row)}
    nearest = [event_id for event_id, apart in found.items() if apart == min(found.values())]
    return nearest[0] if len(nearest) == 1 else None


def _settlement(place: Place) -> bool:
    return (place.geonameid is not None and place.lat is not None and place.kind == "toponym"
            and (place.precision or 4) <= 2)


def _speaker_places(connection: Connection, speaker: str, low: dt.date, high: dt.date) -> list[Place]:
    """The settlements of the events that ``speaker`` reported on between ``low`` and ``high``."""
    query = (select(events.c.geonameid, events.c.place_name, events.c.lat, events.c.lon, events.c.precision)
             .join(event_claims, event_claims.c.event_id == events.c.id)
             .where(events.c.date_start.between(low, high), events.c.precision <= 2, events.c.lat.is_not(None),
                    event_claims.c.speaker == speaker).distinct())
    return [Place(mention=row.place_name or "", start=0, end=0, geonameid=row.geonameid, name=row.place_name,
                  lat=row.lat, lon=row.lon, precision=row.precision)
            for row in connection.execute(query)]


def _sub_type_bonus(fact: Fact, row: RowMapping) -> float:
    return 0.5 if row["sub_event_type"] == fact.claim.event.sub_event_type else 0.0


def _actors_compatible(fact: Fact, row: RowMapping, batch: Batch) -> bool:
    """Remote violence by one side cannot be the same event as remote violence by the other. A battle
    has two sides, and a withdrawal joining one is the losing side's ("our units withdrew from Robotyne"
    beside the other side's capture of it)."""
    if fact.family == "battle" or row["family"] == "battle":
        return True
    actor1 = fact.claim.event.actor1
    if actor1 is None or actor1.side in ("unknown", "third-party"):
        return True
    attackers = set(json.loads(row["record"])["attackers"]) | batch.attackers.get(row["id"], set())
    attackers -= {"unknown", "third-party"}
    return not attackers or actor1.side in attackers


def _placeholder_row(event_id: str, fact: Fact) -> dict[str, Any]:
    """A new event's row before ``_summarise`` fills it from its claims."""
    place = fact.place
    summary = EventSummary(id=event_id, family=fact.family, event_type=fact.claim.event.event_type,
                           place=EventPlace(), claim_count=0, independent_sources=0, source_mix=SourceMix())
    return {
        "id": event_id, "family": fact.family, "event_type": summary.event_type,
        "sub_event_type": fact.claim.event.sub_event_type,
        "geonameid": place.geonameid if place else None, "place_name": place.name if place else None,
        "admin1": admin1_name(place.country, place.admin1) if place else None,
        "country": place.country if place else None,
        "lat": place.lat if place else None, "lon": place.lon if place else None,
        "precision": place.precision if place else None, "date_start": fact.low, "date_end": fact.high,
        "first_reported": None, "last_reported": None, "claim_count": 0, "independent_sources": 0,
        "sources_ua": 0, "sources_ru": 0, "sources_third": 0, "sources_unknown": 0, "contradicted": False,
        "record": summary.model_dump_json(by_alias=True), "pipeline_version": PIPELINE_VERSION,
    }


# Signals


def _store_signals(connection: Connection, claim: Claim, context: DocumentContext, report: UpdateReport) -> None:
    if claim.part:
        return  # a sentence's signals are read once, from its first claim's text (the same sentence)
    places = dict(context.places)
    for signal in control_signals(claim, context.id, context.places):
        place = places.get(signal.place) if signal.place is not None else None
        if place is None or place.geonameid is None:
            continue
        if signal.date is None:
            if context.published is None:
                continue
            signal = signal.model_copy(update={"date": EventDate(start=context.published, end=context.published,
                                                                 precision="day")})
        speaker = speaker_key(signal.source, context)
        low, high = matching_dates(signal.date, context.published)
        if sql.add_signal(connection, signal, place, speaker, low, high):
            report.signals += 1
            involved = contradictions.for_signal(connection, signal, place, speaker, low, high)
            _note_contradictions(connection, involved, context.batch, report)


def _note_contradictions(connection: Connection, claim_ids: list[str], batch: Batch, report: UpdateReport) -> None:
    """Count new contradictions (two claims each) and mark their events for a new summary."""
    report.contradictions += len(claim_ids) // 2
    batch.touched.update(sql.events_of_claims(connection, claim_ids))


# Event summaries


def _summarise(connection: Connection, event_id: str) -> None:
    """Recompute an event's row from all of its claims."""
    members = sql.members(connection, event_id)
    claims = [Claim.model_validate_json(row["record"]) for row in members]
    components = independent_groups(members)
    mix = Counter(_group_side(group) for group in components)
    contradicted = sql.event_contradicted(connection, event_id)
    place_row = _event_place(members)
    low, high = _matching_range(members, claims)
    published = [row["published"] for row in members if row["published"] is not None]
    main = _main_claim(claims)
    summary = EventSummary(
        id=event_id, family=rules().family(main.event.sub_event_type, main.event.event_type),
        event_type=main.event.event_type, sub_event_type=main.event.sub_event_type,
        place=place_row, date=_display_date(claims), first_reported=min(published, default=None),
        last_reported=max(published, default=None), claim_count=len(members),
        independent_sources=len(components),
        source_mix=SourceMix(UA=mix["UA"], RU=mix["RU"], third_party=mix["third-party"], unknown=mix["unknown"]),
        actor_sides=sorted({actor.side for claim in claims for actor in (claim.event.actor1, claim.event.actor2)
                            if actor is not None and actor.side != "unknown"}),
        attackers=sorted({claim.event.actor1.side for claim in claims
                          if claim.event.actor1 is not None and claim.event.actor1.side != "unknown"}),
        fatalities=sorted({claim.event.fatalities for claim in claims if claim.event.fatalities is not None}),
        contradicted=contradicted,
    )
    sql.update_event(connection, event_id, {
        "family": summary.family, "event_type": summary.event_type, "sub_event_type": summary.sub_event_type, "geonameid": place_row.geonameid, "place_name": place_row.name,
        "admin1": place_row.admin1, "country": place_row.country, "lat": place_row.lat, "lon": place_row.lon,
        "precision": place_row.precision, "date_start": low, "date_end": high,
        "first_reported": summary.first_reported, "last_reported": summary.last_reported,
        "claim_count": summary.claim_count, "independent_sources": summary.independent_sources,
        "sources_ua": mix["UA"], "sources_ru": mix["RU"], "sources_third": mix["third-party"],
        "sources_unknown": mix["unknown"], "contradicted": contradicted,
        # By alias, as the API sends it: the API passes stored records on unparsed.
        "record": summary.model_dump_json(by_alias=True),
    })


def _main_claim(claims: Sequence[Claim]) -> Claim:
    """The claim whose sub-type most claims share (the first such): it names the event's type."""
    counts = Counter(claim.event.sub_event_type for claim in claims)
    return max(claims, key=lambda claim: counts[claim.event.sub_event_type])


def independent_groups(members: Sequence[RowMapping]) -> list[list[RowMapping]]:
    """Claims grouped by origin: one group per independent source. Two claims share an origin when
    one voice says both (a named speaker in any outlet; an outlet's own narration, or an unnamed
    group, within one text and its near-duplicate copies) or when one sentence is a copy of the
    other. Two voices quoted in one article stay two sources."""
    parent = list(range(len(members)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_by: dict[tuple[str, str], int] = {}
    for i, row in enumerate(members):
        keys = [("speaker", row["speaker"])]
        if row["speaker"].startswith("outlet:"):
            keys.append(("narration", row["origin_id"]))  # a republished story's narration is the original's
        for key in keys:
            if key in first_by:
                parent[find(i)] = find(first_by[key])
            else:
                first_by[key] = i
    for i in range(len(members)):
        for j in range(i):
            if find(i) != find(j) and same_text(members[i]["text"], members[j]["text"]):
                parent[find(i)] = find(j)
    for i, source in _relays(members):
        parent[find(i)] = find(source)
    groups: dict[int, list[RowMapping]] = {}
    for i, row in enumerate(members):
        groups.setdefault(find(i), []).append(row)
    return list(groups.values())


def _relays(members: Sequence[RowMapping]) -> list[tuple[int, int]]:
    """Unnamed voices that relay a named one: (member, member it relays). An unnamed or described
    speaker of a side ("Russian milbloggers", "a prominent Russian milblogger") saying what exactly one named
    voice of the event, of its side or of no known side, said before or on the same day (the same
    sub-type and status) is that voice, identifiable by its claim; with two such voices, the one
    its own story quotes; else it stays its own."""
    def key(row: RowMapping) -> tuple[str | None, str | None]:
        event = json.loads(row["record"]).get("event") or {}
        return event.get("sub_event_type"), event.get("status")

    named = [i for i, row in enumerate(members) if row["speaker"].startswith(("speaker:", "outlet:"))]
    found = []
    for i, row in enumerate(members):
        if row["speaker"].startswith(("speaker:", "outlet:")) or row["source_side"] not in ("UA", "RU"):
            continue  # residents, witnesses, soldiers of no stated side are a reporter's own sources
        voices = {members[j]["speaker"]: j for j in named
                  if key(members[j]) == key(row) and members[j]["source_side"] in (row["source_side"], "unknown")
                  and (members[j]["published"] is None or row["published"] is None
                       or members[j]["published"] <= row["published"])}
        if len(voices) > 1:
            # "Ukraine said ..." in a story that quotes Ukraine's General Staff is that staff.
            voices = {speaker: j for speaker, j in voices.items() if members[j]["origin_id"] == row["origin_id"]}
        if len(voices) == 1:
            found.append((i, next(iter(voices.values()))))
    return found


def _group_side(group: list[RowMapping]) -> str:
    sides = Counter(row["source_side"] for row in group if row["source_side"] != "unknown")
    return sides.most_common(1)[0][0] if sides else "unknown"


def _event_place(members: Sequence[RowMapping]) -> EventPlace:
    """The most precise place the claims give, the most often named one among equals."""
    found = [Place.model_validate_json(row["place"]) for row in members if row["place"]]
    if not found:
        return EventPlace()
    best_level = min(place.precision or 4 for place in found)
    counts = Counter(place.geonameid for place in found if (place.precision or 4) == best_level)
    chosen = next(place for place in found if place.geonameid == counts.most_common(1)[0][0])
    return event_place(chosen)


def _matching_range(members: Sequence[RowMapping], claims: Sequence[Claim]) -> tuple[dt.date | None, dt.date | None]:
    """The days the event is matched on: the union of its finest-dated claims' ranges."""
    ranges = [(claim.event.date, matching_dates(claim.event.date, row["published"]))
              for row, claim in zip(members, claims, strict=True)]
    dated = [(date, bounds) for date, bounds in ranges if bounds[0] is not None]
    if not dated:
        return None, None
    finest = min(_PRECISION_RANK[date.precision] if date else 0 for date, _ in dated)
    chosen = [bounds for date, bounds in dated if (_PRECISION_RANK[date.precision] if date else 0) == finest]
    return min(low for low, _ in chosen), max(high for _, high in chosen)


_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}


def _display_date(claims: Sequence[Claim]) -> EventDate | None:
    """The date of the finest-dated claims: the range from the earliest to the latest of them."""
    dates = [claim.event.date for claim in claims if claim.event.date is not None]
    if not dates:
        return None
    finest = min(_PRECISION_RANK[date.precision] for date in dates)
    chosen = [date for date in dates if _PRECISION_RANK[date.precision] == finest]
    return EventDate(start=min(date.start for date in chosen), end=max(date.end for date in chosen),
                     precision=chosen[0].precision, anchor=chosen[0].anchor)
