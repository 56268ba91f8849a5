"""Query parameters shared by the endpoints: filters, limits and cursors, checked once here.

A bad value becomes a 422 envelope naming the parameter (``errors.invalid``); FastAPI's own type
checks (dates, booleans, enums) reach the same envelope through its validation handler.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import math
from typing import Annotated, Any, Literal, Optional

from fastapi import Query, Request
from pydantic import StringConstraints

from sitrep.api.errors import invalid
from sitrep.models import Side, SourceKind
from sitrep.store import EventFilter

# The most items one page holds. The map asks for up to a few thousand events at once; more than
# this is a download, which /api/export streams instead. A larger ``limit`` is clamped, not refused.
MAX_PAGE = 5000
DEFAULT_PAGE = 100

# Longest free-text parameter: longer input is a paste or an attack, not a search.
MAX_TEXT = 500

# Four comma-separated decimal numbers; the ranges are checked by ``bbox_from_text``.
BBOX_PATTERN = r"^\s*-?\d+(\.\d+)?\s*(,\s*-?\d+(\.\d+)?\s*){3}$"

Limit = Annotated[int, Query(ge=1, description=f"Items per page (default {DEFAULT_PAGE}); "
                                               f"more than {MAX_PAGE} is clamped to {MAX_PAGE}.")]
Cursor = Annotated[Optional[str], Query(max_length=1000, description="The `next` value of the previous page.")]
Text = Annotated[Optional[str], Query(max_length=MAX_TEXT)]

# The filters that may be repeated, each repetition an OR (``type=Battles&type=Riots``): ACLED types
# and sub-types, sides and source kinds. Any other parameter given twice is a 422, since FastAPI
# would keep the last value and silently drop the others.
REPEATABLE = frozenset({"type", "sub_type", "side", "source_kind"})
# Values one repeatable filter takes: ACLED has 25 sub-event types, the longest list that makes sense.
MAX_CHOICES = 25
Label = Annotated[str, StringConstraints(max_length=100)]


def choices(values: list[str] | None) -> tuple[str, ...] | None:
    """A repeatable filter's values, empty ones dropped (a form's "any" option), for the store's
    filters; None when nothing is left."""
    kept = tuple(dict.fromkeys(value for value in values or () if value))
    return kept or None


def single_values(request: Request) -> None:
    """A 422 naming each parameter given more than once that is not in REPEATABLE (router dependency)."""
    seen: set[str] = set()
    for name, _ in request.query_params.multi_items():
        if name in seen and name not in REPEATABLE:
            raise invalid(name, f"given more than once; only {', '.join(sorted(REPEATABLE))} may be repeated")
        seen.add(name)


def clamp(limit: int) -> int:
    return min(limit, MAX_PAGE)


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """The ``bbox`` parameter, checked; a 422 naming ``bbox`` when it is wrong."""
    if value is None or value == "":
        return None
    try:
        return bbox_from_text(value)
    except ValueError as error:
        raise invalid("bbox", str(error)) from None


def bbox_from_text(value: str) -> tuple[float, float, float, float]:
    """``west,south,east,north`` in degrees, checked: lon within ±180, lat within ±90, west <= east,
    south <= north. A ValueError says what is wrong (the CLI and the API both word it so)."""
    parts = value.split(",")
    try:
        if len(parts) != 4:
            raise ValueError
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        raise ValueError("give four numbers: west,south,east,north (degrees)") from None
    if not all(math.isfinite(number) for number in (west, south, east, north)):
        raise ValueError("coordinates must be finite numbers")
    if not (-180 <= west <= 180 and -180 <= east <= 180):
        raise ValueError("longitudes must lie within -180..180")
    if not (-90 <= south <= 90 and -90 <= north <= 90):
        raise ValueError("latitudes must lie within -90..90")
    if west > east:
        raise ValueError("west is east of east; a box across the antimeridian is not supported")
    if south > north:
        raise ValueError("south is north of north")
    return west, south, east, north


def check_dates(since: dt.date | None, until: dt.date | None) -> None:
    if since is not None and until is not None and since > until:
        raise invalid("since", f"since {since} is after until {until}")


def event_filter(
    bbox: Annotated[Optional[str], Query(max_length=200, json_schema_extra={"pattern": BBOX_PATTERN},
                                         description="west,south,east,north in degrees.")] = None,
    since: Annotated[Optional[dt.date], Query(description="From this day (YYYY-MM-DD), inclusive.")] = None,
    until: Annotated[Optional[dt.date], Query(description="Up to this day (YYYY-MM-DD), inclusive.")] = None,
    event_type: Annotated[Optional[list[Label]], Query(alias="type", max_length=MAX_CHOICES,
                                                       description="ACLED event type; repeated: any of them.")] = None,
    sub_type: Annotated[Optional[list[Label]], Query(max_length=MAX_CHOICES,
                                                     description="ACLED sub-event type; repeated: any.")] = None,
    actor: Annotated[Optional[str], Query(max_length=MAX_TEXT, description="Part of an actor's name.")] = None,
    side: Annotated[Optional[list[Side]], Query(max_length=MAX_CHOICES, description="An actor or source on this "
                                                                                   "side; repeated: any.")] = None,
    source_kind: Annotated[Optional[list[SourceKind]], Query(max_length=MAX_CHOICES, description="A claim's source "
                                                             "is of this kind; repeated: any.")] = None,
    q: Annotated[Optional[str], Query(max_length=MAX_TEXT, description="Words that one claim holds.")] = None,
    place: Annotated[Optional[str], Query(max_length=MAX_TEXT, description="The place's name.")] = None,
    contradicted: Annotated[Optional[bool], Query(description="Only events with (or without) a "
                                                              "contradiction.")] = None,
) -> EventFilter:
    """The event filters of a request, checked (FastAPI dependency)."""
    check_dates(since, until)
    return EventFilter(place=place or None, since=since, until=until, event_type=choices(event_type),
                       side=choices(side), source=None, contradicted=contradicted, bbox=parse_bbox(bbox),
                       sub_type=choices(sub_type), actor=actor or None, source_kind=choices(source_kind),
                       q=q if q else None)


# Cursors: urlsafe base64 of JSON [kind, key...]. The key is the last item's sort key; its first
# value is always a date (or null), so it is turned back into one. The kind stops a cursor of one
# listing being replayed on another, where its key would mean nothing.

CursorKind = Literal["events", "claims", "documents", "contradictions", "places"]


def encode_cursor(kind: CursorKind, key: tuple[Any, ...] | None) -> str | None:
    if key is None:
        return None
    values = [value.isoformat() if isinstance(value, dt.date) else value for value in key]
    raw = json.dumps([kind, *values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(kind: CursorKind, cursor: str | None, size: int, first_is_date: bool = True
                  ) -> tuple[Any, ...] | None:
    """The sort key inside ``cursor`` (None for none); a 422 when it was not made by this listing."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        found = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise invalid("cursor", "not a cursor of this API; pass the `next` value of the previous page") from None
    if not isinstance(found, list) or len(found) != size + 1 or found[0] != kind:
        raise invalid("cursor", f"not a cursor of /api/{kind}; pass the `next` value of its previous page")
    key = found[1:]
    if not all(isinstance(value, (str, int)) and not isinstance(value, bool) for value in key[1:]):
        raise invalid("cursor", "damaged cursor; pass the `next` value of the previous page")
    if first_is_date and key[0] is not None:
        try:
            key[0] = dt.date.fromisoformat(key[0])
        except (TypeError, ValueError):
            raise invalid("cursor", "damaged cursor; pass the `next` value of the previous page") from None
    elif not first_is_date and not isinstance(key[0], int):
        raise invalid("cursor", "damaged cursor; pass the `next` value of the previous page")
    return tuple(key)
