"""SQL for the cross-document tables: near-duplicate bands, events, control signals, contradictions.

The logic lives in ``sitrep.corroborate``, ``sitrep.contradictions`` and ``sitrep.control``; this
module only reads and writes rows, on a connection the caller's transaction owns.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from functools import lru_cache

from sqlalchemy import Engine, bindparam, delete, false, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, RowMapping

from sitrep.gazetteer.regions import admin1_name
from sitrep.models import ClaimRef, Contradiction, ControlSignal, EventSummary, EventView, Place
from sitrep.store import rows, spatial
from sitrep.store.engine import holds_text, lower_text
from sitrep.store import release, search
from sitrep.store.release import Release
from sitrep.store.queries import keyset_page, one_of, pages
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
           "geonameid": place.geonameid, "place_name": place.name or place.mention,
           "admin1": admin1_name(place.country, place.admin1),
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
        query = query.where(holds_text(control_signals.c.admin1, region))
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
    ``event_type``, ``side``, ``sub_type`` and ``source_kind`` also take a tuple of values, any of
    which matches (the API's repeated parameters, ``type=Battles&type=Riots``).
    """

    place: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    event_type: str | tuple[str, ...] | None = None
    side: str | tuple[str, ...] | None = None
    source: str | None = None
    contradicted: bool | None = None
    # The API's filters (issue #6). ``bbox``: (west, south, east, north) in degrees, the event's
    # point inside it. ``sub_type``: exactly this ACLED sub-event type. ``actor``: part of an actor's
    # name or ACLED name in one of its claims (any case). ``source_kind``: one of its claims' source
    # is of this kind. ``q``: one of its claims holds every word (full text, sitrep.store.search).
    bbox: tuple[float, float, float, float] | None = None
    sub_type: str | tuple[str, ...] | None = None
    actor: str | None = None
    source_kind: str | tuple[str, ...] | None = None
    q: str | None = None
    # OPSEC's delay (sitrep.opsec): only events that this release lets out (sitrep.store.release).
    released: Release | None = None


def event_conditions(wanted: EventFilter, dialect: str | None = None, postgis: bool = False) -> list[Any]:
    """The WHERE conditions of a filter; ``postgis`` adds the test that PostGIS's index answers."""
    conditions: list[Any] = _api_conditions(wanted, dialect, postgis)
    if wanted.place is not None:
        conditions.append(lower_text(events.c.place_name) == wanted.place.lower())
    if wanted.since is not None:
        conditions.append(events.c.date_end >= wanted.since)
    if wanted.until is not None:
        conditions.append(events.c.date_start <= wanted.until)
    if wanted.event_type is not None:
        conditions.append(one_of(events.c.event_type, wanted.event_type))
    if wanted.side is not None:
        conditions.append(or_(*(_event_on_side(side) for side in _values(wanted.side))))
    if wanted.source is not None:
        named = (select(event_claims.c.event_id).join(claims, claims.c.id == event_claims.c.claim_id)
                 .where(event_claims.c.event_id == events.c.id,
                        holds_text(claims.c.source_name, wanted.source)))
        conditions.append(named.exists())
    if wanted.contradicted is not None:
        conditions.append(events.c.contradicted == wanted.contradicted)
    if wanted.released is not None:
        conditions.append(release.events_released(wanted.released))
    return conditions


def _values(wanted: str | tuple[str, ...]) -> tuple[str, ...]:
    return (wanted,) if isinstance(wanted, str) else wanted


def _event_on_side(side: str) -> Any:
    mix = {"UA": events.c.sources_ua, "RU": events.c.sources_ru, "third-party": events.c.sources_third}
    by_source = mix[side] > 0 if side in mix else events.c.sources_unknown > 0
    # actor_sides is the list just before "attackers" in the record's JSON.
    named = events.c.record.like(f'%"actor_sides":[%"{side}"%],"attackers"%')
    return or_(by_source, named)


def _api_conditions(wanted: EventFilter, dialect: str | None, postgis: bool = False) -> list[Any]:
    """The conditions of the API's filters (bbox, sub_type, actor, source_kind, q)."""
    conditions: list[Any] = []
    if wanted.bbox is not None:
        west, south, east, north = wanted.bbox
        if dialect == "sqlite":  # the R*Tree narrows first; the exact test below still decides
            conditions.append(search.event_box_ids(wanted.bbox, wanted.since, wanted.until))
        elif postgis:  # likewise with PostGIS's GiST index (sitrep.store.spatial)
            conditions.append(spatial.event_point_in_box(wanted.bbox))
        conditions += [events.c.lon.between(west, east), events.c.lat.between(south, north)]
    elif dialect == "sqlite" and wanted.since is not None:
        # A start day alone: the date index would be read from the first event on, since it cannot
        # tell which early events end late. The R*Tree holds every located event's days; the few
        # without a point are taken as they are. The exact date tests in event_conditions decide.
        conditions.append(or_(search.event_box_ids(_WORLD, wanted.since, wanted.until), events.c.lat.is_(None)))
    if wanted.sub_type is not None:
        conditions.append(one_of(events.c.sub_event_type, wanted.sub_type))
    member_claims: list[Any] = []
    if wanted.actor is not None:
        member_claims.append(holds_text(search.actor_names(claims.c.record), wanted.actor, fold=False))
    if wanted.source_kind is not None:
        member_claims.append(one_of(claims.c.source_kind, wanted.source_kind))
    if wanted.q is not None:
        member_claims.append(search.claims_matching(wanted.q, dialect or "sqlite"))
    if member_claims:
        conditions.append(select(event_claims.c.event_id).join(claims, claims.c.id == event_claims.c.claim_id)
                          .where(event_claims.c.event_id == events.c.id, *member_claims).exists())
    return conditions


EVENT_SORT_KEY = (events.c.date_start, events.c.id)
_WORLD = (-180.0, -90.0, 180.0, 90.0)


def iter_events(engine: Engine, wanted: EventFilter, limit: int | None) -> Iterator[EventView]:
    """Matching events by date (undated last) and id, each with its claims."""
    query = select(events).where(*event_conditions(wanted, engine.dialect.name, spatial.has_postgis(engine)))
    for page in pages(engine, query, EVENT_SORT_KEY, limit):
        with engine.connect() as connection:
            refs = _claim_refs(connection, [row["id"] for row in page])
        for row in page:
            summary = EventSummary.model_validate_json(row["record"])
            yield EventView(**summary.model_dump(by_alias=True), claims=refs.get(row["id"], []))


def page_events(connection: Connection, wanted: EventFilter, limit: int, after: tuple[Any, ...] | None = None,
                with_claims: bool = False) -> tuple[list[EventSummary], tuple[Any, ...] | None]:
    """One page of matching events after the sort key ``after``, and the key to continue from
    (None on the last page). Events are summaries, or ``EventView``s with their claims."""
    # Keys first, records after: the sort then carries two short columns, not every candidate's
    # JSON (a box of an oblast over two months holds thousands of candidates for a page of 100).
    records, next_key = page_event_records(connection, wanted, limit, after)
    summaries = [EventSummary.model_validate_json(record) for record in records]
    if not with_claims:
        return summaries, next_key
    refs = _claim_refs(connection, [summary.id for summary in summaries])
    return [EventView(**summary.model_dump(by_alias=True), claims=refs.get(summary.id, []))
            for summary in summaries], next_key


def page_event_records(connection: Connection, wanted: EventFilter, limit: int, after: tuple[Any, ...] | None = None
                       ) -> tuple[list[str], tuple[Any, ...] | None]:
    """``page_events`` as the stored EventSummary JSON, for callers that pass it on unparsed."""
    found, next_key = _event_keys(connection, wanted, limit, after)
    by_id = dict(connection.execute(_RECORDS, {"ids": [row["id"] for row in found]}).all()) if found else {}
    return [by_id[row["id"]] for row in found], next_key


_RECORDS = select(events.c.id, events.c.record).where(events.c.id.in_(bindparam("ids", expanding=True)))

# A box query reads its candidates in growing windows of days: the page is the first ``limit`` by
# date, so when a window starting at the first possible day already holds more than a page, the
# later days cannot change it. An oblast over two months holds ~3,000 of a million synthetic
# events; a page of 100 is then found among ~300 (bench/api.py: the p95 of such queries halved).
FIRST_WINDOW_DAYS = 7
WINDOW_GROWTH = 4


def _event_keys(connection: Connection, wanted: EventFilter, limit: int, after: tuple[Any, ...] | None
                ) -> tuple[list[Any], tuple[Any, ...] | None]:
    """The page's (id, date_start) rows and the next key; box queries look at windows of days first."""
    first_day = after[0] if after is not None else wanted.since
    span = FIRST_WINDOW_DAYS
    while wanted.bbox is not None and isinstance(first_day, dt.date):
        cut = first_day + dt.timedelta(days=span)
        if wanted.until is not None and cut >= wanted.until:
            break
        found, next_key = _keys(connection, replace(wanted, until=cut), limit, after)
        if next_key is not None:  # more than a page before the cut: the later days come after it
            return found, next_key
        span *= WINDOW_GROWTH
        if span > 366 * 50:
            break
    return _keys(connection, wanted, limit, after)


def _keys(connection: Connection, wanted: EventFilter, limit: int, after: tuple[Any, ...] | None
          ) -> tuple[list[Any], tuple[Any, ...] | None]:
    query = select(events.c.id, events.c.date_start).where(
        *event_conditions(wanted, connection.dialect.name, spatial.has_postgis(connection)))
    return keyset_page(connection, query, EVENT_SORT_KEY, limit, after)


def get_event(connection: Connection, event_id: str) -> EventView | None:
    """One event with its claims, or None."""
    record = connection.execute(select(events.c.record).where(events.c.id == event_id)).scalar()
    if record is None:
        return None
    summary = EventSummary.model_validate_json(record)
    refs = _claim_refs(connection, [event_id])
    return EventView(**summary.model_dump(by_alias=True), claims=refs.get(event_id, []))


def contradictions_of_event(connection: Connection, event_id: str) -> list[Contradiction]:
    """Contradictions of this event, or whose statements include one of its claims."""
    member_ids = select(event_claims.c.claim_id).where(event_claims.c.event_id == event_id)
    query = (select(contradictions.c.record)
             .where(or_(contradictions.c.event_id == event_id, contradictions.c.claim_a.in_(member_ids),
                        contradictions.c.claim_b.in_(member_ids)))
             .order_by(contradictions.c.date_start, contradictions.c.id))
    return [Contradiction.model_validate_json(record) for record in connection.execute(query).scalars()]


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
    query = select(contradictions).where(*contradiction_conditions(wanted, engine.dialect.name))
    for page in pages(engine, query, (contradictions.c.date_start, contradictions.c.id), limit):
        yield from (Contradiction.model_validate_json(row["record"]) for row in page)


def page_contradictions(connection: Connection, wanted: EventFilter, limit: int,
                        after: tuple[Any, ...] | None = None) -> tuple[list[Contradiction], tuple[Any, ...] | None]:
    """One page of matching contradictions after the sort key ``after``, and the key to go on from."""
    query = select(contradictions.c.id, contradictions.c.date_start, contradictions.c.record).where(
        *contradiction_conditions(wanted, connection.dialect.name))
    found, next_key = keyset_page(connection, query, (contradictions.c.date_start, contradictions.c.id), limit,
                                  after)
    return [Contradiction.model_validate_json(row["record"]) for row in found], next_key


def contradiction_conditions(wanted: EventFilter, dialect: str | None = None) -> list[Any]:
    """SQL conditions for ``iter_contradictions`` and ``page_contradictions``."""
    conditions: list[Any] = []
    if wanted.place is not None:
        conditions.append(lower_text(contradictions.c.place_name) == wanted.place.lower())
    if wanted.since is not None:
        conditions.append(or_(contradictions.c.date_end.is_(None), contradictions.c.date_end >= wanted.since))
    if wanted.until is not None:
        conditions.append(or_(contradictions.c.date_start.is_(None), contradictions.c.date_start <= wanted.until))
    if wanted.source is not None:
        # The statements' source names, as for events. The record's JSON would also match the claims'
        # words and outlets, and its escapes (\" and \\) would let '"' or '\\' match every record.
        conditions.append(select(claims.c.id).where(
            or_(claims.c.id == contradictions.c.claim_a, claims.c.id == contradictions.c.claim_b),
            holds_text(claims.c.source_name, wanted.source)).exists())
    if wanted.side is not None:
        on_side = (contradictions.c.record.contains(f'"side":"{side}"') for side in _values(wanted.side))
        conditions.append(or_(*on_side))
    if wanted.event_type is not None:
        typed = (select(event_claims.c.claim_id).join(events, events.c.id == event_claims.c.event_id)
                 .where(one_of(events.c.event_type, wanted.event_type),
                        or_(event_claims.c.claim_id == contradictions.c.claim_a,
                            event_claims.c.claim_id == contradictions.c.claim_b)))
        conditions.append(typed.exists())
    conditions += _contradiction_event_conditions(wanted, dialect)
    if wanted.released is not None:
        conditions.append(release.contradictions_released(wanted.released))
    return conditions


def _contradiction_event_conditions(wanted: EventFilter, dialect: str | None) -> list[Any]:
    """The API's event filters on a contradiction: one of its two claims is in an event that
    passes them. ``contradicted=False`` matches no contradiction, and ``True`` every one."""
    if wanted.contradicted is False:
        return [false()]
    api_only = EventFilter(bbox=wanted.bbox, sub_type=wanted.sub_type, actor=wanted.actor,
                           source_kind=wanted.source_kind, q=wanted.q)
    if api_only == EventFilter():
        return []
    matching = (select(event_claims.c.claim_id).join(events, events.c.id == event_claims.c.event_id)
                .where(or_(event_claims.c.claim_id == contradictions.c.claim_a,
                           event_claims.c.claim_id == contradictions.c.claim_b),
                       *_api_conditions(api_only, dialect)))
    return [matching.exists()]


def counts(connection: Connection) -> dict[str, int]:
    from sqlalchemy import func

    tables = {"events": events, "contradictions": contradictions, "control_signals": control_signals,
              "clustered_documents": clustered_documents}
    return {name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in tables.items()}


def page_places(connection: Connection, bbox: tuple[float, float, float, float] | None, name: str | None,
                limit: int, after: int | None = None, released: Release | None = None
                ) -> tuple[list[dict[str, Any]], int | None]:
    """Settlements with events, by GeoNames id: id, name, admin1, country, point and event count.
    ``name``: part of the name (any case); ``released``: count only the events it lets out.
    Returns the page and the id to continue after."""
    from sqlalchemy import func

    query = (select(events.c.geonameid, func.min(events.c.place_name).label("name"),
                    func.min(events.c.admin1).label("admin1"), func.min(events.c.country).label("country"),
                    func.min(events.c.lat).label("lat"), func.min(events.c.lon).label("lon"),
                    func.count().label("events"))
             .where(events.c.geonameid.is_not(None), events.c.precision <= 2)
             .group_by(events.c.geonameid).order_by(events.c.geonameid))
    if bbox is not None:
        west, south, east, north = bbox
        query = query.where(events.c.lon.between(west, east), events.c.lat.between(south, north))
    if name is not None:
        query = query.where(holds_text(events.c.place_name, name))
    if after is not None:
        query = query.where(events.c.geonameid > after)
    if released is not None:
        query = query.where(release.events_released(released))
    found = [dict(row) for row in connection.execute(query.limit(limit + 1)).mappings()]
    if len(found) <= limit:
        return found, None
    return found[:limit], found[limit - 1]["geonameid"]


def settlements_in(connection: Connection, bbox: tuple[float, float, float, float] | None) -> list[RowMapping]:
    """Settlements with control signals, inside ``bbox`` when one is given (for the map's layer)."""
    found = settlements(connection)
    if bbox is None:
        return found
    west, south, east, north = bbox
    return [row for row in found if row["lat"] is not None and row["lon"] is not None
            and west <= row["lon"] <= east and south <= row["lat"] <= north]
