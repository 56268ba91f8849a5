"""OPSEC: coordinates rounded to a grid and records held back for a while, in the API and the exports.

sitrep analyses public reporting; it is not a targeting tool. With a grid step
(``SITREP_OPSEC_ROUND_DEG``, ``--opsec-round``) every coordinate that leaves the API or an export
is snapped to the nearest multiple of the step; with a delay (``SITREP_OPSEC_DELAY_HOURS``,
``--opsec-delay``) a record is published only once that many hours have passed since the end of
its latest day. docs/opsec.md says what this protects and what it does not.

The policy lives here and only here. The API (``sitrep.api``) and ``sitrep export`` read through
the functions at the end of this module, which put the release condition into the store's queries
(``sitrep.store.release``), filter boxes on the rounded points (so that a box is never an oracle
for an exact position) and round every record on its way out.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from itertools import islice
from typing import Any, TypeVar

from pydantic import BaseModel, Field

from sitrep.errors import NotFound
from sitrep.models import Contradiction, ControlDay, Document, EventPlace, EventSummary, EventView, Place
from sitrep.settings import Settings, check_opsec_delay, check_opsec_round
from sitrep.store import ClaimFilter, EventFilter, Store, StoredClaim, crossdoc
from sitrep.store import release as released
from sitrep.store.release import Release

LATITUDE_LIMIT = 90.0
LONGITUDE_LIMIT = 180.0
# ACLED's geo-precision code for "a larger area than the settlement": what a rounded point is.
BLURRED_PRECISION = 3
# Events whose claims are checked for release in one query, when an export streams them.
CLAIM_CHECK_BATCH = 500

Box = tuple[float, float, float, float]
T = TypeVar("T")
K = TypeVar("K")
E = TypeVar("E", bound=EventSummary)


# Rounding


def snap(value: float, step: float, limit: float) -> float:
    """``value`` rounded to the nearest multiple of ``step`` (a tie goes up) and kept within
    ±``limit``. The result is rounded to the step's decimals, so 0.1 gives 48.3, not
    48.300000000000004."""
    steps = math.floor(value / step + 0.5)
    snapped = round(steps * step, _decimals(step))
    return min(limit, max(-limit, snapped)) + 0.0  # + 0.0: no "-0.0" in the output


def _decimals(step: float) -> int:
    exponent = Decimal(repr(step)).normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def snap_point(lat: float | None, lon: float | None, step: float | None) -> tuple[float | None, float | None]:
    """A point on the grid (latitude within ±90, longitude within ±180); unchanged without a step."""
    if step is None or lat is None or lon is None:
        return lat, lon
    return snap(lat, step, LATITUDE_LIMIT), snap(lon, step, LONGITUDE_LIMIT)


def in_box(lat: float | None, lon: float | None, box: Box) -> bool:
    west, south, east, north = box
    return lat is not None and lon is not None and west <= lon <= east and south <= lat <= north


def widened(box: Box, step: float) -> Box:
    """``box`` grown by half a step on each side: every point that snaps into ``box`` lies inside."""
    half = step / 2
    west, south, east, north = box
    return (max(-LONGITUDE_LIMIT, west - half), max(-LATITUDE_LIMIT, south - half),
            min(LONGITUDE_LIMIT, east + half), min(LATITUDE_LIMIT, north + half))


# The delay


def release_time(day: dt.date | None, ingested_at: dt.datetime, delay_hours: float) -> dt.datetime:
    """When a record may be published: ``delay_hours`` after the end of its latest ``day`` (a day
    is a whole UTC day, so an event dated D may have happened at 23:59 on D), or after it was
    ingested when it has no date at all."""
    delay = dt.timedelta(hours=delay_hours)
    if day is None:
        return ingested_at + delay
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC) + delay


def release_line(now: dt.datetime, delay_hours: float) -> Release:
    """``release_time`` turned around, for queries: at ``now``, a day is out when it is on or
    before ``last_day``, an undated record when it was ingested at or before ``ingested_by``."""
    moment = now.astimezone(dt.UTC) - dt.timedelta(hours=delay_hours)
    return Release(last_day=moment.date() - dt.timedelta(days=1), ingested_by=moment)


def day_released(day: dt.date | None, release: Release | None) -> bool:
    """Whether a record of this (latest) day is out; a record with no day is left to its caller."""
    return release is None or day is None or day <= release.last_day


# The policy


class OpsecInfo(BaseModel):
    """The OPSEC policy a server applies (in ``/api/health``), so that a client knows that
    positions are blurred and recent records held back."""

    round_deg: float | None = Field(None, description="Grid step in degrees of every coordinate; null: exact.")
    delay_hours: float = Field(0.0, description="Hours after the end of a record's day before it is published.")
    description: str


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclasses.dataclass(frozen=True)
class OpsecPolicy:
    """What leaves the server: coordinates on a ``round_deg`` grid (None: exact) and records whose
    day ended ``delay_hours`` ago (0: all). ``clock`` gives "now" (tests fix it)."""

    round_deg: float | None = None
    delay_hours: float = 0.0
    clock: Callable[[], dt.datetime] = dataclasses.field(default=_utc_now, compare=False, repr=False)

    def __post_init__(self) -> None:
        # The same checks as the settings', so that a policy built in code cannot be wrong either.
        object.__setattr__(self, "round_deg", check_opsec_round("round_deg", self.round_deg or 0.0))
        object.__setattr__(self, "delay_hours", check_opsec_delay("delay_hours", self.delay_hours))

    @classmethod
    def from_settings(cls, settings: Settings) -> OpsecPolicy:
        return cls(round_deg=settings.opsec_round_deg, delay_hours=settings.opsec_delay_hours)

    @property
    def rounding(self) -> bool:
        return self.round_deg is not None

    @property
    def delaying(self) -> bool:
        return self.delay_hours > 0

    @property
    def active(self) -> bool:
        return self.rounding or self.delaying

    def describe(self) -> str:
        parts = []
        if self.rounding:
            parts.append(f"coordinates rounded to a {self.round_deg:g}° grid")
        if self.delaying:
            parts.append(f"records published {self.delay_hours:g} h after the end of their day")
        return "; ".join(parts) if parts else "off"

    def info(self) -> OpsecInfo:
        return OpsecInfo(round_deg=self.round_deg, delay_hours=self.delay_hours, description=self.describe())

    def release(self) -> Release | None:
        """The release line now, or None when nothing is held back."""
        return release_line(self.clock(), self.delay_hours) if self.delaying else None

    # Boxes

    def in_box(self, lat: float | None, lon: float | None, box: Box | None) -> bool:
        """Whether the point as published (rounded) lies in ``box``; any point when there is none."""
        if box is None:
            return True
        return in_box(*snap_point(lat, lon, self.round_deg), box)

    def query_box(self, box: Box | None) -> Box | None:
        """The box to ask the store for: wide enough for every point that rounds into ``box``."""
        return widened(box, self.round_deg) if box is not None and self.round_deg is not None else box

    # Records

    def event_place(self, place: EventPlace) -> EventPlace:
        if not self.rounding or place.lat is None or place.lon is None:
            return place
        lat, lon = snap_point(place.lat, place.lon, self.round_deg)
        return place.model_copy(update={"lat": lat, "lon": lon, "precision": _blurred(place.precision)})

    def place(self, place: Place) -> Place:
        if not self.rounding or place.lat is None or place.lon is None:
            return place
        lat, lon = snap_point(place.lat, place.lon, self.round_deg)
        return place.model_copy(update={"lat": lat, "lon": lon, "precision": _blurred(place.precision)})

    def event(self, event: E) -> E:
        """An EventSummary or EventView with its place rounded."""
        return event.model_copy(update={"place": self.event_place(event.place)}) if self.rounding else event

    def event_record(self, record: dict[str, Any]) -> dict[str, Any]:
        """A stored EventSummary record (parsed JSON, by alias) with its place rounded."""
        place = record.get("place") or {}
        if not self.rounding or place.get("lat") is None or place.get("lon") is None:
            return record
        lat, lon = snap_point(place["lat"], place["lon"], self.round_deg)
        return {**record, "place": {**place, "lat": lat, "lon": lon, "precision": _blurred(place.get("precision"))}}

    def stored_claim(self, stored: StoredClaim) -> StoredClaim:
        """A StoredClaim with its places rounded."""
        if not self.rounding:
            return stored
        return stored.model_copy(update={"places": [self.place(place) for place in stored.places]})

    def contradiction(self, contradiction: Contradiction) -> Contradiction:
        if not self.rounding or contradiction.place is None:
            return contradiction
        return contradiction.model_copy(update={"place": self.event_place(contradiction.place)})

    def control_day(self, day: ControlDay) -> ControlDay:
        return day.model_copy(update={"place": self.event_place(day.place)}) if self.rounding else day

    def place_row(self, row: dict[str, Any]) -> dict[str, Any]:
        """A row of ``/api/places`` (geonameid, name, lat, lon, ...) with its point rounded."""
        lat, lon = snap_point(row.get("lat"), row.get("lon"), self.round_deg)
        return {**row, "lat": lat, "lon": lon}


def _blurred(precision: int | None) -> int:
    """A rounded point is known only to a larger area than a settlement: ACLED's code 3 (a
    country-level place keeps its 4)."""
    return max(precision or BLURRED_PRECISION, BLURRED_PRECISION)


# Reading through the policy: what the API and the exports call.


def fill_page(fetch: Callable[[int, K | None], tuple[list[T], K | None]], keep: Callable[[T], bool],
              limit: int, after: K | None) -> tuple[list[T], K | None]:
    """A page of up to ``limit`` items that ``keep`` accepts, from a keyset listing ``fetch(n,
    after)``. It asks for exactly the items still missing, so when the page is full its last item
    is the last one read, and the cursor never points past an item the caller did not see."""
    kept: list[T] = []
    while True:
        found, next_key = fetch(limit - len(kept), after)
        kept.extend(item for item in found if keep(item))
        if next_key is None or len(kept) >= limit:
            return kept, next_key
        after = next_key


def event_records(store: Store, policy: OpsecPolicy, wanted: EventFilter, limit: int, after: Any
                  ) -> tuple[list[str], Any]:
    """A page of stored EventSummary JSON texts, as ``Store.event_record_page``, under the policy."""
    query = dataclasses.replace(wanted, bbox=policy.query_box(wanted.bbox), released=policy.release())
    if not policy.rounding:
        return store.event_record_page(query, limit, after)

    def fetch(size: int, key: Any) -> tuple[list[dict[str, Any]], Any]:
        records, next_key = store.event_record_page(query, size, key)
        return [json.loads(record) for record in records], next_key

    def keep(record: dict[str, Any]) -> bool:
        place = record.get("place") or {}
        return policy.in_box(place.get("lat"), place.get("lon"), wanted.bbox)

    found, next_key = fill_page(fetch, keep, limit, after)
    return [json.dumps(policy.event_record(record), ensure_ascii=False, separators=(",", ":"))
            for record in found], next_key


def event_detail(store: Store, policy: OpsecPolicy, event_id: str) -> tuple[EventView, list[Contradiction]]:
    """One event with its released claims and contradictions; NotFound, as for an unknown id,
    while the event is held back."""
    event, contradictions = store.event(event_id)
    line = policy.release()
    if line is not None:
        with store.reading() as connection:
            if not released.event_released(connection, event_id, line):
                raise NotFound(f"no event with id {event_id} in {store.name}")
            claim_ids = [claim.claim_id for claim in event.claims]
            claim_ids += [statement.claim_id for found in contradictions for statement in found.statements]
            out = released.released_claim_ids(connection, claim_ids, line)
        event = event.model_copy(update={"claims": [claim for claim in event.claims if claim.claim_id in out]})
        contradictions = [found for found in contradictions if _contradiction_out(found, out, line)]
    return policy.event(event), [policy.contradiction(found) for found in contradictions]


def _contradiction_out(contradiction: Contradiction, released_claims: set[str], line: Release) -> bool:
    return (day_released(contradiction.date_end or contradiction.date_start, line)
            and all(statement.claim_id in released_claims for statement in contradiction.statements))


def events(store: Store, policy: OpsecPolicy, wanted: EventFilter, limit: int | None) -> Iterator[EventView]:
    """Events with their claims, as ``Store.events``, under the policy: for the exports."""
    if not policy.active:
        return store.events(wanted, limit)
    line = policy.release()
    query = dataclasses.replace(wanted, bbox=policy.query_box(wanted.bbox), released=line)
    found: Iterable[EventView] = store.events(query, None if policy.rounding else limit)
    if policy.rounding and wanted.bbox is not None:
        found = (event for event in found if policy.in_box(event.place.lat, event.place.lon, wanted.bbox))
    if line is not None:
        found = _released_claims(store, found, line)
    rounded = (policy.event(event) for event in found)
    return rounded if limit is None else islice(rounded, limit)


def _released_claims(store: Store, found: Iterable[EventView], line: Release) -> Iterator[EventView]:
    """Each event with only its released claims (a claim dated "last week" may outlast its event's day)."""
    iterator = iter(found)
    while batch := list(islice(iterator, CLAIM_CHECK_BATCH)):
        with store.reading() as connection:
            out = released.released_claim_ids(connection, [claim.claim_id for event in batch for claim in event.claims], line)
        for event in batch:
            yield event.model_copy(update={"claims": [claim for claim in event.claims if claim.claim_id in out]})


def claim_page(store: Store, policy: OpsecPolicy, wanted: ClaimFilter, limit: int, after: Any
               ) -> tuple[list[StoredClaim], Any]:
    found, next_key = store.claim_page(dataclasses.replace(wanted, released=policy.release()), limit, after)
    return [policy.stored_claim(stored) for stored in found], next_key


def contradiction_page(store: Store, policy: OpsecPolicy, wanted: EventFilter, limit: int, after: Any
                       ) -> tuple[list[Contradiction], Any]:
    found, next_key = store.contradiction_page(dataclasses.replace(wanted, released=policy.release()), limit, after)
    return [policy.contradiction(contradiction) for contradiction in found], next_key


def document_page(store: Store, policy: OpsecPolicy, limit: int, after: Any) -> tuple[list[Document], Any]:
    return store.document_page(limit, after, policy.release())


def document(store: Store, policy: OpsecPolicy, document_id: str) -> Document:
    """One document (id or unique prefix); NotFound, as for an unknown id, while it is held back."""
    found = store.get_document(document_id)
    line = policy.release()
    if line is not None:
        with store.reading() as connection:
            if not released.document_released(connection, found.id, line):
                raise NotFound(f"no document with id {document_id} in {store.name}")
    return found


def place_page(connection: Any, policy: OpsecPolicy, bbox: Box | None, name: str | None, limit: int,
               after: int | None) -> tuple[list[dict[str, Any]], int | None]:
    """A page of ``/api/places``: settlements with released events, points rounded, the box
    tested on the rounded points."""
    line, box = policy.release(), policy.query_box(bbox)

    def fetch(size: int, key: int | None) -> tuple[list[dict[str, Any]], int | None]:
        return crossdoc.page_places(connection, box, name, size, key, line)

    def keep(row: dict[str, Any]) -> bool:
        return policy.in_box(row["lat"], row["lon"], bbox)

    found, next_key = fill_page(fetch, keep, limit, after) if policy.rounding else fetch(limit, after)
    return [policy.place_row(row) for row in found], next_key


def settlement_signals(connection: Any, geonameid: int, on: dt.date, line: Release | None) -> list[Any] | None:
    """The stored control signals of a settlement up to ``on`` that ``line`` lets out, or None when
    it lets none out at all: a settlement known only from held-back signals is not shown, since
    its presence alone says that someone has just reported on it."""
    stored = crossdoc.signals_at(connection, geonameid, high=on)
    if line is None:
        return stored
    out = [row for row in stored if row["date_end"] <= line.last_day]
    if out:
        return out
    earlier = crossdoc.signals_at(connection, geonameid, high=line.last_day)
    return [] if any(row["date_end"] <= line.last_day for row in earlier) else None
