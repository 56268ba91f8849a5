"""The API's response shapes that are not records of sitrep.models: pages, the compact map view,
health and the answer to an upload. Pages are written as JSON text straight from the records
(``page_json``), which is what FastAPI would produce from these models, only faster."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Generic, Optional, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from sitrep.models import (
    Contradiction,
    ControlDay,
    Document,
    EventSummary,
    EventView,
    Side,
)
from sitrep.opsec import OpsecInfo
from sitrep.store import StoredClaim

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """A list: the items, and the cursor of the next page (null on the last)."""

    items: list[T]
    next: Optional[str] = Field(None, description="Pass as `cursor=` for the next page.")


class CompactEvent(BaseModel):
    """An event as the map draws it (``view=compact``)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    lat: Optional[float] = None
    lon: Optional[float] = None
    type: str
    sub_type: Optional[str] = None
    start: Optional[dt.date] = None
    end: Optional[dt.date] = None
    place: Optional[str] = None
    sources: int = Field(description="Independent sources.")
    contradicted: bool
    sides: list[Side] = Field(description="Sides named as actors.")


class DocumentItem(Document):
    """A document in a listing: ``text`` only with ``include_text=true``."""

    text: Optional[str] = None  # type: ignore[assignment]


class EventDetail(BaseModel):
    event: EventView
    contradictions: list[Contradiction]


class PlaceItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    geonameid: int
    name: Optional[str] = None
    admin1: Optional[str] = None
    country: Optional[str] = None
    lat: Optional[float] = None
    lon: Optional[float] = None
    events: int


class Health(BaseModel):
    status: str
    version: str
    documents: int
    events: int
    opsec: Optional[OpsecInfo] = Field(None, description="Present when OPSEC is on (docs/opsec.md): the grid "
                                                         "step of every coordinate and the publication delay.")


class Upload(BaseModel):
    """A report sent to ``POST /api/documents``."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    url: Optional[str] = None
    outlet: Optional[str] = None
    channel: Optional[str] = None
    title: Optional[str] = None
    published: Optional[dt.date] = None
    language: Optional[str] = Field(None, max_length=16)


class Uploaded(BaseModel):
    document_id: str
    created: bool
    claims: int


EventPage = Page[EventSummary]
CompactEventPage = Page[CompactEvent]
ClaimPage = Page[StoredClaim]
DocumentPage = Page[DocumentItem]
ContradictionPage = Page[Contradiction]
ControlPage = Page[ControlDay]
PlacePage = Page[PlaceItem]


def compact_json(record: str) -> str:
    """A stored EventSummary record as the map's small item (``CompactEvent``), as JSON text.

    The map asks for thousands of events at once; reading the record with ``json`` instead of
    validating it as a model keeps a page of 5,000 to a few milliseconds."""
    event = json.loads(record)
    place, date = event.get("place") or {}, event.get("date") or {}
    return json.dumps({"id": event["id"], "lat": place.get("lat"), "lon": place.get("lon"),
                       "type": event["event_type"], "sub_type": event.get("sub_event_type"),
                       "start": date.get("start"), "end": date.get("end"), "place": place.get("name"),
                       "sources": event["independent_sources"], "contradicted": event.get("contradicted", False),
                       "sides": event.get("actor_sides", [])}, ensure_ascii=False, separators=(",", ":"))


def summary_json(record: str) -> str:
    """A stored EventSummary record as the API sends it: as stored, when it was stored by alias
    (every record since the API came); older records go through the model once."""
    if _OLD_SOURCE_MIX_KEY in record:
        return EventSummary.model_validate_json(record).model_dump_json(by_alias=True)
    return record


# Records written before the API stored SourceMix.third_party under its field name.
_OLD_SOURCE_MIX_KEY = '"third_party":'


def raw_page_json(items: Iterable[str], next_cursor: str | None) -> str:
    """``{"items": [...], "next": ...}`` from items that are JSON texts already."""
    return '{"items":[' + ",".join(items) + '],"next":' + json.dumps(next_cursor) + "}"


def page_json(items: Iterable[BaseModel], next_cursor: str | None, exclude: set[str] | None = None) -> str:
    """``{"items": [...], "next": ...}`` as JSON text, each item dumped by alias."""
    parts = ",".join(item.model_dump_json(by_alias=True, exclude=exclude) for item in items)
    return '{"items":[' + parts + '],"next":' + json.dumps(next_cursor) + "}"
