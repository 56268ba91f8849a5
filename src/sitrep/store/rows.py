"""Records to table rows and back.

Documents and places are stored column by column and rebuilt from their columns. A claim is stored
whole as JSON in ``record`` and rebuilt from it; its other columns exist only to be queried.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy.engine import RowMapping

from sitrep.models import Caption, Claim, Document, Place, Removed

_CAPTIONS = TypeAdapter(list[Caption])
_REMOVED = TypeAdapter(list[Removed])

# PostgreSQL's text cannot hold NUL. The readers already drop it from a document's text (offsets
# count from that text); a metadata field (a JSONL line's title) may still carry one.
_NUL = "\x00"


def document_row(document: Document, pipeline: str, ingested_at: dt.datetime) -> dict[str, Any]:
    return {
        "id": document.id,
        "source": _without_nul(document.source),
        "url": _without_nul(document.url),
        "outlet": _without_nul(document.outlet),
        "channel": _without_nul(document.channel),
        "title": _without_nul(document.title),
        "author": _without_nul(document.author),
        "published": document.published,
        "language": _without_nul(document.language),
        "text": document.text,
        "captions": _CAPTIONS.dump_json(document.captions).decode(),
        "removed": _REMOVED.dump_json(document.removed).decode(),
        "pipeline_version": pipeline,
        "ingested_at": ingested_at,
    }


def _without_nul(value: str | None) -> str | None:
    return value.replace(_NUL, "") if value and _NUL in value else value


def place_row(document_id: str, idx: int, place: Place) -> dict[str, Any]:
    return {
        "document_id": document_id,
        "idx": idx,
        "mention": place.mention,
        "start_offset": place.start,
        "end_offset": place.end,
        "geonameid": place.geonameid,
        "name": place.name or place.mention,
        "feature": place.feature,
        "admin1": place.admin1,
        "country": place.country,
        "lat": place.lat,
        "lon": place.lon,
        "precision": place.precision or 0,
        "record": place.model_dump_json(),
    }


def claim_row(document_id: str, idx: int, claim: Claim, pipeline: str) -> dict[str, Any]:
    event = claim.event
    date = event.date if event else None
    return {
        "id": claim.id,
        "document_id": document_id,
        "idx": idx,
        "start_offset": claim.start,
        "end_offset": claim.end,
        "text": claim.text,
        "confidence": claim.confidence,
        "source_name": claim.source.name,
        "source_kind": claim.source.kind,
        "source_side": claim.source.side,
        "source_role": claim.source.role,
        "source_channel": claim.source.channel,
        "quote": claim.quote,
        "event_type": event.event_type if event else None,
        "sub_event_type": event.sub_event_type if event else None,
        "status": event.status if event else None,
        "event_date_start": date.start if date else None,
        "event_date_end": date.end if date else None,
        "place_idx": event.place if event else None,
        "record": claim.model_dump_json(),
        "pipeline_version": pipeline,
    }


def document_from_row(row: RowMapping) -> Document:
    return Document(
        id=row["id"],
        source=row["source"],
        url=row["url"],
        outlet=row["outlet"],
        channel=row["channel"],
        title=row["title"],
        author=row["author"],
        published=row["published"],
        language=row["language"],
        text=row["text"],
        captions=_CAPTIONS.validate_json(row["captions"]),
        removed=_REMOVED.validate_json(row["removed"]),
    )


def place_from_row(row: RowMapping) -> Place:
    if row["record"]:
        return Place.model_validate_json(row["record"])
    return Place(  # a row written before schema version 2
        mention=row["mention"],
        start=row["start_offset"],
        end=row["end_offset"],
        geonameid=row["geonameid"],
        name=row["name"],
        feature=row["feature"],
        admin1=row["admin1"],
        country=row["country"],
        lat=row["lat"],
        lon=row["lon"],
        precision=row["precision"],
    )


def claim_from_row(row: RowMapping) -> Claim:
    return Claim.model_validate_json(row["record"])
