"""The read endpoints: events, claims, documents, places, contradictions, control and health.
Reads are open to anyone who can reach the server."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, Optional, Union

from fastapi import APIRouter, Depends, Query, Request, Response

from sitrep import __version__, opsec
from sitrep.api.errors import ERROR_RESPONSES, ApiError, invalid
from sitrep.api.params import (
    BBOX_PATTERN,
    MAX_CHOICES,
    Cursor,
    Label,
    Limit,
    Text,
    check_dates,
    choices,
    clamp,
    decode_cursor,
    encode_cursor,
    event_filter,
    parse_bbox,
    single_values,
)
from sitrep.api.redact import public_source
from sitrep.api.schemas import (
    ClaimPage,
    CompactEventPage,
    ContradictionPage,
    ControlPage,
    DocumentPage,
    EventDetail,
    EventPage,
    Health,
    PlaceItem,
    PlacePage,
    compact_json,
    page_json,
    raw_page_json,
    summary_json,
)
from sitrep.errors import NotFound
from sitrep.models import ControlDay, Document, SourceKind
from sitrep.opsec import OpsecPolicy
from sitrep.store import ClaimFilter, EventFilter, Store
from sitrep.store.release import Release

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES, dependencies=[Depends(single_values)])

JSON = "application/json"


def get_store(request: Request) -> Store:
    return request.app.state.store


def get_policy(request: Request) -> OpsecPolicy:
    return request.app.state.opsec


StoreDep = Annotated[Store, Depends(get_store)]
# Every read goes through the OPSEC policy (sitrep.opsec), which is off unless configured.
PolicyDep = Annotated[OpsecPolicy, Depends(get_policy)]
Filters = Annotated[EventFilter, Depends(event_filter)]


def _json(text: str) -> Response:
    return Response(text, media_type=JSON)


@router.get("/health", response_model=Health)
def health(store: StoreDep, policy: PolicyDep) -> Response:
    """Counts of everything stored; ``opsec`` (present only when it is on) says how positions
    are blurred and records held back."""
    documents, events = store.row_count("documents"), store.row_count("events")
    return _json(Health(status="ok", version=__version__, documents=documents, events=events,
                        opsec=policy.info() if policy.active else None).model_dump_json(exclude_none=True))


@router.get("/events", response_model=Union[EventPage, CompactEventPage],
            summary="Events, filtered; view=compact for the map")
def list_events(store: StoreDep, policy: PolicyDep, wanted: Filters, limit: Limit = 100, cursor: Cursor = None,
                view: Annotated[Literal["full", "compact"], Query(description="compact: small items for the "
                                                                             "map.")] = "full") -> Response:
    records, key = opsec.event_records(store, policy, wanted, clamp(limit), decode_cursor("events", cursor, 2))
    shape = compact_json if view == "compact" else summary_json
    return _json(raw_page_json(map(shape, records), encode_cursor("events", key)))


@router.get("/events/{event_id}", response_model=EventDetail)
def get_event(store: StoreDep, policy: PolicyDep, event_id: str) -> Response:
    """An event with its claims, and the contradictions that touch it."""
    if len(event_id) > 64:
        raise ApiError(404, "not_found", f"no event with id {event_id[:64]}...")
    event, contradictions = opsec.event_detail(store, policy, event_id)
    body = EventDetail(event=event, contradictions=contradictions)
    return _json(body.model_dump_json(by_alias=True))


@router.get("/claims", response_model=ClaimPage)
def list_claims(store: StoreDep, policy: PolicyDep, limit: Limit = 100, cursor: Cursor = None, place: Text = None,
                source: Text = None, since: Optional[dt.date] = None, until: Optional[dt.date] = None,
                event_type: Annotated[Optional[list[Label]], Query(alias="type", max_length=MAX_CHOICES)] = None,
                sub_type: Annotated[Optional[list[Label]], Query(max_length=MAX_CHOICES)] = None,
                source_kind: Annotated[Optional[list[SourceKind]], Query(max_length=MAX_CHOICES)] = None,
                q: Text = None,
                document_id: Annotated[Optional[str], Query(max_length=64)] = None) -> Response:
    check_dates(since, until)
    wanted = ClaimFilter(place=place or None, source=source or None, since=since, until=until,
                         event_type=choices(event_type), document_id=document_id or None, q=q or None,
                         source_kind=choices(source_kind), sub_type=choices(sub_type))
    found, key = opsec.claim_page(store, policy, wanted, clamp(limit), decode_cursor("claims", cursor, 3))
    return _json(page_json(found, encode_cursor("claims", key)))


@router.get("/documents", response_model=DocumentPage)
def list_documents(store: StoreDep, policy: PolicyDep, limit: Limit = 100, cursor: Cursor = None,
                   include_text: bool = False) -> Response:
    found, key = opsec.document_page(store, policy, clamp(limit), decode_cursor("documents", cursor, 2))
    items = [_public_document(document) for document in found]
    return _json(page_json(items, encode_cursor("documents", key), exclude=None if include_text else {"text"}))


@router.get("/documents/{document_id}", response_model=Document)
def get_document(store: StoreDep, policy: PolicyDep, document_id: str) -> Response:
    if len(document_id) > 64:
        raise ApiError(404, "not_found", f"no document with id {document_id[:64]}...")
    return _json(_public_document(opsec.document(store, policy, document_id)).model_dump_json(by_alias=True))


def _public_document(document: Document) -> Document:
    """The document with its source as the file's base name: the server's paths stay on the server."""
    return document.model_copy(update={"source": public_source(document.source)})


@router.get("/places", response_model=PlacePage)
def list_places(store: StoreDep, policy: PolicyDep, limit: Limit = 100, cursor: Cursor = None,
                bbox: Annotated[Optional[str], Query(max_length=200,
                                                     json_schema_extra={"pattern": BBOX_PATTERN})] = None,
                q: Annotated[Optional[str], Query(max_length=200, description="Part of the name.")] = None,
                name: Annotated[Optional[str], Query(max_length=200, description="Same as q.")] = None
                ) -> Response:
    after = decode_cursor("places", cursor, 1, first_is_date=False)
    with store.reading() as connection:
        found, key = opsec.place_page(connection, policy, parse_bbox(bbox), (q or name) or None, clamp(limit),
                                      after[0] if after else None)
    items = [PlaceItem(**row) for row in found]
    return _json(page_json(items, encode_cursor("places", (key,) if key is not None else None)))


@router.get("/contradictions", response_model=ContradictionPage)
def list_contradictions(store: StoreDep, policy: PolicyDep, wanted: Filters, limit: Limit = 100,
                        cursor: Cursor = None) -> Response:
    if wanted.bbox is not None and policy.rounding:
        # The box would test the events' exact points while the answer shows rounded ones: an oracle.
        raise invalid("bbox", "not available on /api/contradictions while OPSEC rounds positions; "
                      "filter /api/events by the box and follow their contradictions")
    found, key = opsec.contradiction_page(store, policy, wanted, clamp(limit),
                                          decode_cursor("contradictions", cursor, 2))
    return _json(page_json(found, encode_cursor("contradictions", key)))


@router.get("/control", response_model=Union[ControlDay, ControlPage])
def control(store: StoreDep, policy: PolicyDep, on: Annotated[dt.date, Query(description="The day (YYYY-MM-DD).")],
            place: Annotated[Optional[str], Query(max_length=200, description="Settlement name or GeoNames "
                                                                              "id.")] = None,
            bbox: Annotated[Optional[str], Query(max_length=200)] = None) -> Response:
    if place:
        return _json(_control_place(store, policy, place, on).model_dump_json(by_alias=True))
    days = _control_days(store, policy, parse_bbox(bbox), on)
    return _json(page_json(days, None))


def _control_place(store: Store, policy: OpsecPolicy, place: str, on: dt.date) -> ControlDay:
    """Settlements sharing a name: the first by name and GeoNames id (documented in docs/api.md)."""
    from sitrep.store import crossdoc

    line = policy.release()
    with store.reading() as connection:
        for row in crossdoc.settlements(connection, name=place):
            day = _control_day(connection, policy, row, on, line)
            if day is not None:
                return day
    raise NotFound(f"no control evidence for a settlement called {place!r}")


def _control_days(store: Store, policy: OpsecPolicy, bbox: tuple[float, float, float, float] | None,
                  on: dt.date) -> list[ControlDay]:
    from sitrep.api.params import MAX_PAGE
    from sitrep.store import crossdoc

    line = policy.release()
    days: list[ControlDay] = []
    with store.reading() as connection:
        for row in crossdoc.settlements_in(connection, policy.query_box(bbox)):
            if len(days) == MAX_PAGE:
                break
            if policy.in_box(row["lat"], row["lon"], bbox):  # the box meets the points as published
                day = _control_day(connection, policy, row, on, line)
                days += [day] if day is not None else []
    return days


def _control_day(connection, policy: OpsecPolicy, row, on: dt.date, line: Release | None) -> ControlDay | None:
    """The state of one settlement on ``on`` from the signals the policy lets out (None: none)."""
    from sitrep.control import state_on
    from sitrep.models import ControlSignal, EventPlace

    stored = opsec.settlement_signals(connection, row["geonameid"], on, line)
    if stored is None:
        return None
    place = EventPlace(name=row["place_name"], geonameid=row["geonameid"], admin1=row["admin1"],
                       lat=row["lat"], lon=row["lon"], precision=1)
    signals = [ControlSignal.model_validate_json(found["record"]) for found in stored]
    return policy.control_day(state_on(place, signals, on, [found["speaker"] for found in stored]))
