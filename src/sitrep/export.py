"""Events in the formats analysts load: ACLED's CSV, GeoJSON (QGIS), KML (Google Earth), Parquet
and JSONL. ``write(format, events, out)`` streams events to a binary file and returns how many it
wrote; the CLI (``sitrep export``) and the API (``/api/export``) both call it.

The ACLED columns and codes are documented in docs/api.md ("Exports"). User text (claims, outlet
names, places) reaches XML only through ElementTree, and CSV only through the csv module.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any, BinaryIO

from sitrep import csvsafe
from sitrep.models import EventView

# For an event that no report dates: the day the first of its reports was stored (``stored_days``).
StoredDay = Callable[[EventView], dt.date | None]

FORMATS = ("acled-csv", "geojson", "kml", "parquet", "jsonl")

MEDIA_TYPES = {"acled-csv": "text/csv; charset=utf-8", "geojson": "application/geo+json",
               "kml": "application/vnd.google-earth.kml+xml", "parquet": "application/vnd.apache.parquet",
               "jsonl": "application/x-ndjson"}
EXTENSIONS = {"acled-csv": "csv", "geojson": "geojson", "kml": "kml", "parquet": "parquet", "jsonl": "jsonl"}

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
    "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)

# ISO 3166 codes and ACLED region of the countries that war reporting about Ukraine places events
# in; an event elsewhere gets "XXX" ids and empty country codes rather than a wrong guess.
COUNTRIES = {
    "UA": ("UKR", 804, "Ukraine", "Europe"), "RU": ("RUS", 643, "Russia", "Europe"),
    "BY": ("BLR", 112, "Belarus", "Europe"), "MD": ("MDA", 498, "Moldova", "Europe"),
    "PL": ("POL", 616, "Poland", "Europe"), "RO": ("ROU", 642, "Romania", "Europe"),
    "GE": ("GEO", 268, "Georgia", "Caucasus and Central Asia"),
}
# ACLED's time precision: 1 the day is known, 2 the week, 3 the month (or coarser).
TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}
DISORDER = {"Battles": "Political violence", "Explosions/Remote violence": "Political violence",
            "Violence against civilians": "Political violence", "Protests": "Demonstrations",
            "Riots": "Political violence; Demonstrations", "Strategic developments": "Strategic developments"}
# The catalogue entry (data/actors.yaml) whose ACLED name stands for a side's forces.
SIDE_ACTORS = {"UA": "ua.afu", "RU": "ru.armed_forces"}
# ACLED's actor type codes: 1 state forces (of the event's country), 6 protesters, 7 civilians,
# 8 external/other forces (a state's forces abroad, as ACLED codes Russia's military in Ukraine).
STATE_FORCES, PROTESTERS, CIVILIANS, EXTERNAL_FORCES = 1, 6, 7, 8
SIDE_COUNTRY = {"UA": "UA", "RU": "RU"}
# ACLED's name and inter code for a perpetrator the reports do not identify (inter 3, as ACLED codes its
# "Unidentified Armed Group (Country)"), and for rioters, whom ACLED names by country when no group is known.
UNIDENTIFIED, POLITICAL_MILITIA = "Unidentified Armed Group", 3
RIOTERS = 5
# Longest quote kept in ACLED's notes; ACLED's own notes are one or two sentences.
NOTE_QUOTE_CHARS = 300


def write(format: str, events: Iterable[EventView], out: BinaryIO, stored_day: StoredDay | None = None) -> int:
    """Write ``events`` to ``out`` in ``format`` (one of FORMATS), streaming; return the count.
    ``stored_day`` (see ``stored_days``) dates the ACLED rows of events that no report dates."""
    writers: dict[str, Callable[[Iterable[EventView], BinaryIO], int]] = {
        "acled-csv": lambda found, stream: write_acled_csv(found, stream, stored_day),
        "geojson": write_geojson, "kml": write_kml, "parquet": write_parquet, "jsonl": write_jsonl}
    if format not in writers:
        raise ValueError(f"unknown export format {format!r}; use one of: {', '.join(FORMATS)}")
    return writers[format](events, out)


def stored_days(store: Any) -> StoredDay:
    """The day the first report of an event was stored (``documents.ingested_at``), read for the few
    events whose reports carry no publication day; ACLED needs a date on every row."""
    from sqlalchemy import func, select

    from sitrep.store.schema import documents

    def first_stored(event: EventView) -> dt.date | None:
        ids = sorted({claim.document_id for claim in event.claims})
        if not ids:
            return None
        query = select(func.min(documents.c.ingested_at)).where(documents.c.id.in_(ids))
        with store.reading() as connection:
            stored = connection.execute(query).scalar()
        return stored.date() if stored is not None else None

    return first_stored


# ACLED CSV


def write_acled_csv(events: Iterable[EventView], out: BinaryIO, stored_day: StoredDay | None = None) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        writer = csvsafe.DictWriter(text, fieldnames=ACLED_COLUMNS)
        writer.writeheader()
        count = 0
        for event in events:
            undated = event.date is None and event.first_reported is None and stored_day is not None
            writer.writerow(acled_row(event, stored_day(event) if undated else None))
            count += 1
        text.flush()
    finally:
        text.detach()
    return count


def acled_row(event: EventView, stored: dt.date | None = None) -> dict[str, Any]:
    """One event as ACLED's columns (docs/api.md lists how each is filled); ``stored`` is the day its
    first report was stored, the date of last resort."""
    alpha3, numeric, country, region = COUNTRIES.get(event.place.country or "", ("XXX", "", "", ""))
    day, precision, dated_by = _acled_date(event, stored)
    actor1, inter1, actor2, inter2 = _acled_actors(event)
    return {
        "event_id_cnty": acled_event_id(event.id, alpha3),
        "event_date": day.isoformat() if day else "", "year": day.year if day else "",
        "time_precision": precision, "disorder_type": DISORDER.get(event.event_type, ""),
        "event_type": event.event_type, "sub_event_type": event.sub_event_type or "",
        "actor1": actor1, "assoc_actor_1": "", "inter1": inter1 or "",
        "actor2": actor2, "assoc_actor_2": "", "inter2": inter2 or "",
        "interaction": _interaction(inter1, inter2),
        "civilian_targeting": "Civilian targeting" if event.event_type == "Violence against civilians" else "",
        "iso": numeric, "region": region, "country": country or (event.place.country or ""),
        "admin1": event.place.admin1 or "", "admin2": "", "admin3": "", "location": event.place.name or "",
        "latitude": _coordinate(event.place.lat), "longitude": _coordinate(event.place.lon),
        "geo_precision": min(event.place.precision, 3) if event.place.precision else "",
        "source": sources_text(event), "source_scale": _source_scale(event), "notes": notes(event),
        # ACLED counts deaths conservatively: the lowest toll any claim states, 0 when none does.
        "fatalities": min(event.fatalities) if event.fatalities else 0,
        "tags": "; ".join(["sitrep " + event.id] + (["contested reports"] if event.contradicted else [])
                          + ([f"undated: {dated_by}"] if dated_by else [])),
        "timestamp": _timestamp(event.last_reported),
    }


def _acled_date(event: EventView, stored: dt.date | None) -> tuple[dt.date | None, int | str, str | None]:
    """The day, ACLED's time precision, and what dated an undated event (for ``tags``)."""
    if event.date is not None:
        return event.date.start, TIME_PRECISION[event.date.precision], None
    # No date in any claim: the first report bounds it, to the month at best; where no report has a
    # publication day either, the day sitrep stored the first one does.
    if event.first_reported is not None:
        return event.first_reported, 3, "first report's day"
    if stored is not None:
        return stored, 3, "day the first report was stored"
    return None, "", None


def _interaction(inter1, inter2) -> int | str:
    """ACLED's two-digit interaction code: the two inter codes, lower first ("18"); an actor alone is its
    code and 0 ("80": sole action of an external force), as the codebook writes it."""
    codes = sorted(code for code in (inter1, inter2) if code)
    if not codes:
        return ""
    return int(f"{codes[0]}{codes[1]}") if len(codes) == 2 else int(f"{codes[0]}0")


def _acled_actors(event: EventView) -> tuple[str, int | None, str, int | None]:
    country = event.place.country
    attacker = event.attackers[0] if event.attackers else None
    others = [side for side in event.actor_sides if side != attacker]
    if event.event_type == "Protests":
        return f"Protesters ({_country_name(country)})", PROTESTERS, "", None
    actor1, inter1 = _first_actor(event.event_type, attacker, country)
    if event.event_type == "Violence against civilians":
        return actor1, inter1, f"Civilians ({_country_name(country)})", CIVILIANS
    target = others[0] if others else None
    actor2 = _side_actor(target)
    return actor1, inter1, actor2, _inter(target, country) if actor2 else None


def _first_actor(event_type: str, attacker: str | None, country: str | None) -> tuple[str, int | None]:
    """actor1: the attacking side's forces; where the reports name no attacker of either side, the
    generic actor ACLED itself codes for an unknown perpetrator, so that no row lacks its actor1."""
    actor = _side_actor(attacker)
    if actor:
        return actor, _inter(attacker, country)
    if event_type == "Riots":
        return f"Rioters ({_country_name(country)})", RIOTERS
    return f"{UNIDENTIFIED} ({_country_name(country)})", POLITICAL_MILITIA


def _side_actor(side: str | None) -> str:
    if side not in SIDE_ACTORS:
        return ""
    entry = _catalogue().get(SIDE_ACTORS[side])
    return entry.acled if entry and entry.acled else ""


@lru_cache(maxsize=1)
def _catalogue() -> Any:
    from sitrep.extract.actors import load_catalogue

    return load_catalogue()


def _inter(side: str | None, country: str | None) -> int | None:
    if side not in SIDE_COUNTRY:
        return None
    return STATE_FORCES if SIDE_COUNTRY[side] == country else EXTERNAL_FORCES


def _country_name(code: str | None) -> str:
    return COUNTRIES.get(code or "", ("", "", code or "unknown country", ""))[2]


def sources_text(event: EventView) -> str:
    """The outlets (or, where a claim has none, its speaker) of the event's claims, once each."""
    seen: dict[str, None] = {}
    for claim in event.claims:
        seen.setdefault(_reporter(claim), None)
    return "; ".join(seen)


def _reporter(claim: Any) -> str:
    """Who published the claim: its outlet; else its speaker, unless that is only the narrator."""
    if claim.outlet:
        return claim.outlet
    return UNNAMED_OUTLET if claim.source.kind == "narrator" else claim.source.name


# A document read without an outlet (a bare text file) whose own words make the claim.
UNNAMED_OUTLET = "unnamed outlet"


def _source_scale(event: EventView) -> str:
    scales: dict[str, None] = {}
    for claim in event.claims:
        if claim.source.kind == "milblogger" or (claim.source.channel or "").lower() == "telegram":
            scales.setdefault("New media", None)
        elif claim.source.kind in ("official", "military", "government"):
            scales.setdefault("National", None)
        elif claim.source.kind in ("wire", "outlet", "journalist", "analyst"):
            scales.setdefault("International", None)
        else:
            scales.setdefault("Other", None)
    return "-".join(scales)


def notes(event: EventView) -> str:
    """ACLED-style notes: the day, the place, what happened, and the first claim's words."""
    when = f"On {event.date.start.isoformat()}" if event.date else "On an unknown date"
    where = ", ".join(part for part in (event.place.name, event.place.admin1) if part) or "an unknown place"
    what = event.sub_event_type or event.event_type
    plural = "" if event.independent_sources == 1 else "s"
    text = f"{when}, {what.lower()} at {where} ({event.independent_sources} independent source{plural}"
    text += ", contested)." if event.contradicted else ")."
    if event.claims:
        words = " ".join((event.claims[0].quote or event.claims[0].text).split())
        if len(words) > NOTE_QUOTE_CHARS:
            words = words[: NOTE_QUOTE_CHARS - 1].rstrip() + "…"
        text += f" {_reporter(event.claims[0])}: {words}"
    return text


def _timestamp(day: dt.date | None) -> int | str:
    if day is None:
        return ""
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


def _coordinate(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def acled_event_id(event_id: str, alpha3: str) -> str:
    """ACLED's id: the country's code and a number, here nine digits of a hash of sitrep's event id
    (stable across exports; the event id itself is in ``tags``)."""
    digest = hashlib.sha256(event_id.encode("utf-8")).hexdigest()
    return f"{alpha3}{int(digest[:12], 16) % 10**9}"


# Flat properties (GeoJSON, KML ExtendedData, Parquet)


def flat_properties(event: EventView) -> dict[str, Any]:
    """An event as flat strings and numbers, which QGIS, Google Earth and Parquet all take."""
    first = event.claims[0] if event.claims else None
    return {
        "id": event.id, "event_type": event.event_type, "sub_event_type": event.sub_event_type,
        "date_start": event.date.start.isoformat() if event.date else None,
        "date_end": event.date.end.isoformat() if event.date else None,
        "date_precision": event.date.precision if event.date else None,
        "place": event.place.name, "admin1": event.place.admin1, "country": event.place.country,
        "geonameid": event.place.geonameid, "geo_precision": event.place.precision,
        "claims": event.claim_count, "sources": event.independent_sources,
        "sources_ua": event.source_mix.UA, "sources_ru": event.source_mix.RU,
        "sources_third_party": event.source_mix.third_party, "sources_unknown": event.source_mix.unknown,
        "actor_sides": ";".join(event.actor_sides), "attackers": ";".join(event.attackers),
        "fatalities": min(event.fatalities) if event.fatalities else None,
        "contradicted": int(event.contradicted),
        "first_reported": event.first_reported.isoformat() if event.first_reported else None,
        "last_reported": event.last_reported.isoformat() if event.last_reported else None,
        "source": sources_text(event), "url": first.url if first else None,
        "quote": (first.quote or first.text) if first else None, "pipeline": event.pipeline,
    }


def write_geojson(events: Iterable[EventView], out: BinaryIO) -> int:
    """An RFC 7946 FeatureCollection; an event with no coordinates has a null geometry."""
    out.write(b'{"type":"FeatureCollection","features":[\n')
    count = 0
    for event in events:
        geometry = ({"type": "Point", "coordinates": [event.place.lon, event.place.lat]}
                    if event.place.lat is not None and event.place.lon is not None else None)
        feature = {"type": "Feature", "id": event.id, "geometry": geometry, "properties": flat_properties(event)}
        out.write((b",\n" if count else b"") + json.dumps(feature, ensure_ascii=False).encode("utf-8"))
        count += 1
    out.write(b"\n]}\n")
    return count


# KML

KML_NAMESPACE = "http://www.opengis.net/kml/2.2"


def write_kml(events: Iterable[EventView], out: BinaryIO) -> int:
    """KML 2.2: one Placemark per event with its TimeSpan and flat properties as ExtendedData."""
    out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n'
              b'<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>sitrep events</name>\n')
    count = 0
    for event in events:
        out.write(ET.tostring(_placemark(event), encoding="utf-8", short_empty_elements=True)
                  .removeprefix(b"<?xml version='1.0' encoding='utf-8'?>\n") + b"\n")
        count += 1
    out.write(b"</Document></kml>\n")
    return count


def _placemark(event: EventView) -> ET.Element:
    # No namespace prefixes: the default namespace is declared once on <kml>.
    placemark = ET.Element("Placemark", id=event.id)
    where = event.place.name or "unknown place"
    ET.SubElement(placemark, "name").text = f"{event.sub_event_type or event.event_type} at {where}"
    ET.SubElement(placemark, "description").text = notes(event)
    if event.date is not None:
        span = ET.SubElement(placemark, "TimeSpan")
        ET.SubElement(span, "begin").text = event.date.start.isoformat()
        ET.SubElement(span, "end").text = event.date.end.isoformat()
    extended = ET.SubElement(placemark, "ExtendedData")
    for name, value in flat_properties(event).items():
        if value is not None:
            data = ET.SubElement(extended, "Data", name=name)
            ET.SubElement(data, "value").text = str(value)
    if event.place.lat is not None and event.place.lon is not None:
        point = ET.SubElement(placemark, "Point")
        ET.SubElement(point, "coordinates").text = f"{event.place.lon},{event.place.lat}"
    return placemark


# Parquet

# Rows per Parquet row group: big enough for good compression, small enough to stream.
PARQUET_BATCH_ROWS = 10_000


def parquet_schema() -> Any:
    import pyarrow as pa

    text, integer = pa.string(), pa.int64()
    fields = [("id", text), ("event_type", text), ("sub_event_type", text), ("date_start", pa.date32()),
              ("date_end", pa.date32()), ("date_precision", text), ("place", text), ("admin1", text),
              ("country", text), ("geonameid", integer), ("geo_precision", integer), ("latitude", pa.float64()),
              ("longitude", pa.float64()), ("claims", integer), ("sources", integer), ("sources_ua", integer),
              ("sources_ru", integer), ("sources_third_party", integer), ("sources_unknown", integer),
              ("actor_sides", text), ("attackers", text), ("fatalities", integer), ("contradicted", pa.bool_()),
              ("first_reported", pa.date32()), ("last_reported", pa.date32()), ("source", text), ("url", text),
              ("quote", text), ("pipeline", text)]
    return pa.schema(fields)


def _parquet_row(event: EventView) -> dict[str, Any]:
    row = flat_properties(event)
    row.update(date_start=event.date.start if event.date else None, date_end=event.date.end if event.date else None,
               first_reported=event.first_reported, last_reported=event.last_reported,
               contradicted=event.contradicted, latitude=event.place.lat, longitude=event.place.lon)
    return row


def write_parquet(events: Iterable[EventView], out: BinaryIO) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    count = 0
    with pq.ParquetWriter(out, schema) as writer:
        for batch in _batches(events, PARQUET_BATCH_ROWS):
            rows = [_parquet_row(event) for event in batch]
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
            count += len(rows)
        if count == 0:
            writer.write_table(schema.empty_table())
    return count


def _batches(events: Iterable[EventView], size: int) -> Iterator[list[EventView]]:
    batch: list[EventView] = []
    for event in events:
        batch.append(event)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# JSONL


def write_jsonl(events: Iterable[EventView], out: BinaryIO) -> int:
    count = 0
    for event in events:
        out.write(event.model_dump_json(by_alias=True).encode("utf-8") + b"\n")
        count += 1
    return count
