"""SQL for the cross-document tables: near-duplicate bands, events, control signals, contradictions.

The logic lives in ``sitrep.corroborate``, ``sitrep.contradictions`` and ``sitrep.control``; this
module only reads and writes rows, on a connection the caller's transaction owns.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from functools import lru_cache

from sqlalchemy import Engine, and_, bindparam, delete, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, RowMapping

from sitrep.models import ClaimRef, Contradiction, ControlSignal, EventSummary, EventView, Place
from sitrep.store import rows
from sitrep.store.engine import lower_text
from sitrep.store.queries import pages
from sitrep.store.schema import (
    claims,
    clustered_documents,
    contradictions,
    control_signals,
    document_bands,
    documents,
    event_claims,
    events,
    places,
)

_DIALECT_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}

# Kilometres per degree of latitude; a longitude degree is this times cos(latitude).
KM_PER_DEGREE = 111.2


def pending_documents(connection: Connection, limit: int) -> list[RowMapping]:
    """Stored documents the cross-document stage has not seen, oldest publication first."""
    seen = select(clustered_documents.c.document_id).where(clustered_documents.c.document_id == documents.c.id)
    query = (
        select(documents.c.id, documents.c.text, documents.c.outlet, documents.c.channel, documents.c.published)
        .where(~seen.exists())
        .order_by(documents.c.published.asc().nulls_last(), documents.c.id)
        .limit(limit)
    )
    return list(connection.execute(query).mappings())


def band_matches(connection: Connection, bands: Sequence[tuple[int, int]], document_id: str) -> list[str]:
    """Documents sharing at least one LSH band with these, most shared bands first."""
    if not bands:
        return []
    wanted = set(bands)
    counts: dict[str, int] = defaultdict(int)
    rows_found = connection.execute(_BAND_QUERY, {"hashes": [value for _, value in bands]})
    for row in rows_found:
        if (row.band, row.hash) in wanted and row.document_id != document_id:
            counts[row.document_id] += 1
    return sorted(counts, key=lambda key: (-counts[key], key))


_BAND_QUERY = select(document_bands.c.hash, document_bands.c.band, document_bands.c.document_id).where(
    document_bands.c.hash.in_(bindparam("hashes", expanding=True)))


def document_texts(connection: Connection, document_ids: Sequence[str]) -> dict[str, str]:
    query = select(documents.c.id, documents.c.text).where(documents.c.id.in_(list(document_ids)))
    return {row.id: row.text for row in connection.execute(query)}


def origins(connection: Connection, document_ids: Sequence[str]) -> dict[str, str]:
    query = select(clustered_documents.c.document_id, clustered_documents.c.origin_id).where(
        clustered_documents.c.document_id.in_(list(document_ids)))
    return {row.document_id: row.origin_id for row in connection.execute(query)}


def add_fingerprint(connection: Connection, document_id: str, origin_id: str, bands: Sequence[tuple[int, int]],
                    pipeline: str) -> None:
    connection.execute(insert(clustered_documents), [{
        "document_id": document_id, "origin_id": origin_id, "clustered_at": dt.datetime.now(dt.UTC),
        "pipeline_version": pipeline}])
    if bands:
        connection.execute(insert(document_bands),
                           [{"band": band, "hash": value, "document_id": document_id} for band, value in bands])


# Statements run once or more per document are built once, with bound parameters: building a
# SQLAlchemy statement costs more than SQLite takes to run it.
_DOCUMENT_CLAIMS = select(claims.c.record).where(claims.c.document_id == bindparam("document_id")).order_by(claims.c.idx)
_DOCUMENT_PLACES = select(places).where(places.c.document_id == bindparam("document_id")).order_by(places.c.idx)
_ORIGIN_EVENTS = select(event_claims.c.event_id).where(event_claims.c.origin_id == bindparam("origin_id")).distinct()
_MEMBERS = (
    select(event_claims, claims.c.record, claims.c.text, documents.c.outlet)
    .join(claims, claims.c.id == event_claims.c.claim_id)
    .join(documents, documents.c.id == event_claims.c.document_id)
    .where(event_claims.c.event_id == bindparam("event_id"))
    .order_by(event_claims.c.published.asc().nulls_last(), event_claims.c.claim_id)
)
_CONFLICT_FIELDS = select(event_claims.c.claim_id, event_claims.c.fatalities, event_claims.c.status,
                          event_claims.c.speaker).where(event_claims.c.event_id == bindparam("event_id"))
_CLAIM_EVENTS = select(event_claims.c.event_id).where(
    event_claims.c.claim_id.in_(bindparam("claim_ids", expanding=True))).distinct()


def document_claims(connection: Connection, document_id: str) -> tuple[list[Any], list[tuple[int, Place]]]:
    """The document's claims (as records) and places (index, Place)."""
    claim_rows = connection.execute(_DOCUMENT_CLAIMS, {"document_id": document_id}).mappings()
    found = [rows.claim_from_row(row) for row in claim_rows]
    place_rows = connection.execute(_DOCUMENT_PLACES, {"document_id": document_id}).mappings()
    return found, [(row["idx"], rows.place_from_row(row)) for row in place_rows]


def candidate_events(connection: Connection, families: Sequence[str], low: dt.date | None, high: dt.date | None,
                     place: Place | None, radius_km: float, among: Iterable[str] = ()) -> list[RowMapping]:
    """Events of these ``families`` whose dates overlap [low, high] (undated events and claims match
    any date), either within ``radius_km`` of ``place`` or, for a claim with no place, ``among``
    the events given. Only the box is asked of the database, so that its lat/lon index serves the
    query; families and dates are checked here, on the few events inside the box."""
    if place is not None and place.lat is not None and place.lon is not None:
        dlat = radius_km / KM_PER_DEGREE
        dlon = radius_km / (KM_PER_DEGREE * max(0.1, math.cos(math.radians(place.lat))))
        found = connection.execute(_BOX_QUERY, {"lat_min": place.lat - dlat, "lat_max": place.lat + dlat,
                                                "lon_min": place.lon - dlon, "lon_max": place.lon + dlon})
    else:
        ids = list(among)
        if not ids:
            return []
        found = connection.execute(_IDS_QUERY, {"ids": ids})
    wanted = set(families)
    return [row for row in found.mappings() if row["family"] in wanted and _overlaps(row, low, high)]


_BOX_QUERY = select(events).where(events.c.lat.between(bindparam("lat_min"), bindparam("lat_max")),
                                  events.c.lon.between(bindparam("lon_min"), bindparam("lon_max")))
_IDS_QUERY = select(events).where(events.c.id.in_(bindparam("ids", expanding=True)))


def _overlaps(row: RowMapping, low: dt.date | None, high: dt.date | None) -> bool:
    if low is None or high is None or row["date_start"] is None:
        return True
    return row["date_start"] <= high and row["date_end"] >= low


def events_of_origin(connection: Connection, origin_id: str) -> set[str]:
    return set(connection.execute(_ORIGIN_EVENTS, {"origin_id": origin_id}).scalars())


def insert_event(connection: Connection, row: dict[str, Any]) -> None:
    connection.execute(insert(events), [row])


_UPDATE_EVENT = update(events).where(events.c.id == bindparam("event_key"))


def update_event(connection: Connection, event_id: str, row: dict[str, Any]) -> None:
    connection.execute(_UPDATE_EVENT, [{"event_key": event_id, **row}])


def add_member(connection: Connection, row: dict[str, Any]) -> None:
    connection.execute(insert(event_claims), [row])


def members(connection: Connection, event_id: str) -> list[RowMapping]:
    """The event's claims: membership columns, the claim's record and its document's outlet."""
    return list(connection.execute(_MEMBERS, {"event_id": event_id}).mappings())


def conflict_fields(connection: Connection, event_id: str) -> list[RowMapping]:
    """The membership columns that contradictions inside an event look at."""
    return list(connection.execute(_CONFLICT_FIELDS, {"event_id": event_id}).mappings())


def claim_record(connection: Connection, claim_id: str) -> str:
    return connection.execute(select(claims.c.record).where(claims.c.id == claim_id)).scalar_one()


_MEMBER_IDS = select(event_claims.c.claim_id).where(event_claims.c.event_id == bindparam("event_id"))
_CONTRADICTED = select(contradictions.c.id).where(
    or_(contradictions.c.claim_a.in_(_MEMBER_IDS), contradictions.c.claim_b.in_(_MEMBER_IDS))).limit(1)


def event_contradicted(connection: Connection, event_id: str) -> bool:
    """Whether any claim of the event is in a contradiction."""
    return connection.execute(_CONTRADICTED, {"event_id": event_id}).first() is not None


def events_of_claims(connection: Connection, claim_ids: Iterable[str]) -> set[str]:
    wanted = list(claim_ids)
    if not wanted:
        return set()
    return set(connection.execute(_CLAIM_EVENTS, {"claim_ids": wanted}).scalars())


def event_of_claim(connection: Connection, claim_id: str) -> str | None:
    return connection.execute(select(event_claims.c.event_id).where(event_claims.c.claim_id == claim_id)).scalar()


def add_signal(connection: Connection, signal: ControlSignal, place: Place, speaker: str,
               low: dt.date, high: dt.date) -> bool:
    """Store a control signal with the days it may refer to; False when it is stored already."""
    row = {"claim_id": signal.claim_id, "start_offset": signal.start, "document_id": signal.document_id,
           "geonameid": place.geonameid, "place_name": place.name or place.mention, "admin1": place.admin1,
           "lat": place.lat, "lon": place.lon, "effect": signal.effect, "state": signal.state,
           "status": signal.status, "date_start": low, "date_end": high, "speaker": speaker,
           "record": signal.model_dump_json()}
    return connection.execute(_skip_existing(connection, "control_signals"), row).rowcount == 1


@lru_cache(maxsize=8)
def _skip_existing_for(dialect: str, table_name: str) -> Any:
    table = {"control_signals": control_signals, "contradictions": contradictions}[table_name]
    keys = [column.name for column in table.primary_key.columns]
    return _DIALECT_INSERTS[dialect](table).on_conflict_do_nothing(index_elements=keys)


def _skip_existing(connection: Connection, table_name: str) -> Any:
    """INSERT that skips a row whose key is stored already (a rerun), built once per dialect."""
    return _skip_existing_for(connection.dialect.name, table_name)


def signals_at(connection: Connection, geonameid: int, low: dt.date | None = None,
               high: dt.date | None = None) -> list[RowMapping]:
    """Signals at one settlement whose dates overlap [low, high] (either bound may be open)."""
    conditions = [control_signals.c.geonameid == geonameid]
    if high is not None:
        conditions.append(control_signals.c.date_start <= high)
    if low is not None:
        conditions.append(control_signals.c.date_end >= low)
    query = select(control_signals).where(*conditions).order_by(control_signals.c.date_start,
                                                                 control_signals.c.claim_id,
                                                                 control_signals.c.start_offset)
    return list(connection.execute(query).mappings())


def add_contradiction(connection: Connection, row: dict[str, Any]) -> bool:
    return connection.execute(_skip_existing(connection, "contradictions"), row).rowcount == 1


def settlements(connection: Connection, name: str | None = None, region: str | None = None) -> list[RowMapping]:
    """Settlements with control signals: by name (any case; a number is a GeoNames id) or by region."""
    query = select(control_signals.c.geonameid, control_signals.c.place_name, control_signals.c.admin1,
                   control_signals.c.lat, control_signals.c.lon).distinct()
    if name is not None:
        if name.isdigit():
            query = query.where(control_signals.c.geonameid == int(name))
        else:
            query = query.where(lower_text(control_signals.c.place_name) == name.lower())
    if region is not None:
        query = query.where(lower_text(control_signals.c.admin1).contains(region.lower(), autoescape=True))
    seen: dict[int, RowMapping] = {}
    for row in connection.execute(query.order_by(control_signals.c.place_name)).mappings():
        seen.setdefault(row["geonameid"], row)
    return list(seen.values())


def claim_context(connection: Connection, claim_ids: Iterable[str]) -> dict[str, RowMapping]:
    """For listing: each claim's record, document outlet, url and publication date."""
    wanted = list(claim_ids)
    if not wanted:
        return {}
    query = (select(claims.c.id, claims.c.record, claims.c.document_id, documents.c.outlet, documents.c.url,
                    documents.c.published)
             .join(documents, documents.c.id == claims.c.document_id).where(claims.c.id.in_(wanted)))
    return {row["id"]: row for row in connection.execute(query).mappings()}


def clear(engine: Engine) -> None:
    """Remove everything the cross-document stage derived, for a rebuild."""
    from sitrep.store.engine import write_transaction

    with write_transaction(engine) as connection:
        for table in (contradictions, control_signals, event_claims, events, document_bands, clustered_documents):
            connection.execute(delete(table))


# Listings


@dataclass(frozen=True)
class EventFilter:
    """What ``sitrep events`` and ``sitrep contradictions`` select on; ``None`` means no condition.

    ``place``: the event's place name (any case). ``since``/``until``: the event's days overlap them.
    ``event_type``: exactly this ACLED type. ``side``: an actor of the event, or one of its sources,
    is on this side. ``source``: one of its claims' source names contains this (any case).
    """

    place: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    event_type: str | None = None
    side: str | None = None
    source: str | None = None
    contradicted: bool | None = None


def event_conditions(wanted: EventFilter) -> list[Any]:
    conditions: list[Any] = []
    if wanted.place is not None:
        conditions.append(lower_text(events.c.place_name) == wanted.place.lower())
    if wanted.since is not None:
        conditions.append(events.c.date_end >= wanted.since)
    if wanted.until is not None:
        conditions.append(events.c.date_start <= wanted.until)
    if wanted.event_type is not None:
        conditions.append(events.c.event_type == wanted.event_type)
    if wanted.side is not None:
        mix = {"UA": events.c.sources_ua, "RU": events.c.sources_ru, "third-party": events.c.sources_third}
        by_source = mix[wanted.side] > 0 if wanted.side in mix else events.c.sources_unknown > 0
        # actor_sides is the list just before "attackers" in the record's JSON.
        named = events.c.record.like(f'%"actor_sides":[%"{wanted.side}"%],"attackers"%')
        conditions.append(or_(by_source, named))
    if wanted.source is not None:
        named = (select(event_claims.c.event_id).join(claims, claims.c.id == event_claims.c.claim_id)
                 .where(event_claims.c.event_id == events.c.id,
                        lower_text(claims.c.source_name).contains(wanted.source.lower(), autoescape=True)))
        conditions.append(named.exists())
    if wanted.contradicted is not None:
        conditions.append(events.c.contradicted == wanted.contradicted)
    return conditions


def iter_events(engine: Engine, wanted: EventFilter, limit: int | None) -> Iterator[EventView]:
    """Matching events by date (undated last) and id, each with its claims."""
    query = select(events).where(*event_conditions(wanted))
    for page in pages(engine, query, (events.c.date_start, events.c.id), limit):
        with engine.connect() as connection:
            refs = _claim_refs(connection, [row["id"] for row in page])
        for row in page:
            summary = EventSummary.model_validate_json(row["record"])
            yield EventView(**summary.model_dump(by_alias=True), claims=refs.get(row["id"], []))


def _claim_refs(connection: Connection, event_ids: list[str]) -> dict[str, list[ClaimRef]]:
    query = (select(event_claims.c.event_id, claims.c.record, claims.c.document_id, documents.c.outlet,
                    documents.c.url, documents.c.published)
             .join(claims, claims.c.id == event_claims.c.claim_id)
             .join(documents, documents.c.id == claims.c.document_id)
             .where(event_claims.c.event_id.in_(event_ids))
             .order_by(documents.c.published.asc().nulls_last(), claims.c.document_id, claims.c.idx))
    found: dict[str, list[ClaimRef]] = defaultdict(list)
    for row in connection.execute(query).mappings():
        claim = rows.claim_from_row(row)
        found[row["event_id"]].append(ClaimRef(
            claim_id=claim.id, document_id=row["document_id"], start=claim.start, end=claim.end, text=claim.text,
            source=claim.source, quote=claim.quote, status=claim.event.status if claim.event else None,
            outlet=row["outlet"], url=row["url"], published=row["published"]))
    return found


def iter_contradictions(engine: Engine, wanted: EventFilter, limit: int | None) -> Iterator[Contradiction]:
    """Matching contradictions by date (undated last) and id. ``source`` and ``side`` look at the
    sources of either statement; ``event_type`` at the event of either claim."""
    conditions: list[Any] = []
    if wanted.place is not None:
        conditions.append(lower_text(contradictions.c.place_name) == wanted.place.lower())
    if wanted.since is not None:
        conditions.append(or_(contradictions.c.date_end.is_(None), contradictions.c.date_end >= wanted.since))
    if wanted.until is not None:
        conditions.append(or_(contradictions.c.date_start.is_(None), contradictions.c.date_start <= wanted.until))
    if wanted.source is not None:
        conditions.append(lower_text(contradictions.c.record).contains(wanted.source.lower(), autoescape=True))
    if wanted.side is not None:
        conditions.append(contradictions.c.record.contains(f'"side":"{wanted.side}"'))
    if wanted.event_type is not None:
        typed = (select(event_claims.c.claim_id).join(events, events.c.id == event_claims.c.event_id)
                 .where(events.c.event_type == wanted.event_type,
                        or_(event_claims.c.claim_id == contradictions.c.claim_a,
                            event_claims.c.claim_id == contradictions.c.claim_b)))
        conditions.append(typed.exists())
    query = select(contradictions).where(*conditions)
    for page in pages(engine, query, (contradictions.c.date_start, contradictions.c.id), limit):
        yield from (Contradiction.model_validate_json(row["record"]) for row in page)


def counts(connection: Connection) -> dict[str, int]:
    from sqlalchemy import func

    tables = {"events": events, "contradictions": contradictions, "control_signals": control_signals,
              "clustered_documents": clustered_documents}
    return {name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in tables.items()}
