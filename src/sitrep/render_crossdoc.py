"""How events, contradictions and control states look: tables, CSV and GeoJSON.

JSON Lines output is the records themselves (``model_dump_json``); the other formats flatten them.
Text from reports is untrusted, so tables print it with Rich markup off.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from rich.console import Console
from rich.text import Text

from sitrep import csvsafe
from sitrep.models import Contradiction, ControlDay, EventView

TEXT_CHARS = 140

EVENT_COLUMNS = ("id", "event_type", "sub_event_type", "place", "admin1", "country", "latitude", "longitude",
                 "geo_precision", "date_start", "date_end", "time_precision", "claims", "independent_sources",
                 "sources_ua", "sources_ru", "sources_third_party", "sources_unknown", "contradicted",
                 "first_reported", "last_reported", "fatalities", "sources")
CONTRADICTION_COLUMNS = ("id", "kind", "place", "date_start", "date_end", "event_id", "claim_a", "source_a",
                         "reading_a", "text_a", "claim_b", "source_b", "reading_b", "text_b")
CONTROL_COLUMNS = ("place", "geonameid", "admin1", "latitude", "longitude", "date", "state", "confidence",
                   "score_ua", "score_ru", "score_contested", "supporting", "contradicting")


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TEXT_CHARS else text[:TEXT_CHARS - 1] + "…"


def events_table(console: Console, found: list[EventView]) -> None:
    for event in found:
        date = event.date.start.isoformat() if event.date else "undated"
        if event.date and event.date.end != event.date.start:
            date += f"..{event.date.end.isoformat()}"
        mix = event.source_mix
        header = Text.assemble((event.id, "dim"), "  ", date, "  ", (event.sub_event_type or event.event_type, "bold"),
                               "  ", event.place.name or "(no place)",
                               f"  sources {event.independent_sources} (UA {mix.UA}, RU {mix.RU}, "
                               f"third {mix.third_party}, unknown {mix.unknown})",
                               ("  CONTRADICTED" if event.contradicted else "", "bold red"))
        console.print(header)
        for claim in event.claims:
            console.print(Text.assemble("    ", (claim.source.name, "cyan"), f" [{claim.source.side}] ",
                                        (claim.outlet or "", "dim"), ": ", _short(claim.text)))
    console.print(f"{len(found)} events", style="dim")


def events_csv(stream: TextIO, found: Iterable[EventView]) -> None:
    writer = csvsafe.writer(stream)
    writer.writerow(EVENT_COLUMNS)
    for event in found:
        place, date, mix = event.place, event.date, event.source_mix
        writer.writerow([
            event.id, event.event_type, event.sub_event_type or "", place.name or "", place.admin1 or "",
            place.country or "", place.lat if place.lat is not None else "",
            place.lon if place.lon is not None else "", place.precision or "",
            date.start.isoformat() if date else "", date.end.isoformat() if date else "",
            date.precision if date else "", event.claim_count, event.independent_sources, mix.UA, mix.RU,
            mix.third_party, mix.unknown, str(event.contradicted).lower(),
            event.first_reported or "", event.last_reported or "", ";".join(map(str, event.fatalities)),
            "; ".join(sorted({claim.source.name for claim in event.claims})),
        ])


def contradictions_table(console: Console, found: list[Contradiction]) -> None:
    for item in found:
        when = item.date_start.isoformat() if item.date_start else ""
        where = item.place.name if item.place and item.place.name else ""
        console.print(Text.assemble((item.id, "dim"), "  ", (item.kind, "bold red"), "  ", where, "  ", when,
                                    f"  event {item.event_id}" if item.event_id else ""))
        for statement in item.statements:
            console.print(Text.assemble("    ", (statement.source.name, "cyan"), f" [{statement.source.side}] ",
                                        (statement.reading, "bold"), ": ", _short(statement.text)))
    console.print(f"{len(found)} contradictions", style="dim")


def contradictions_csv(stream: TextIO, found: Iterable[Contradiction]) -> None:
    writer = csvsafe.writer(stream)
    writer.writerow(CONTRADICTION_COLUMNS)
    for item in found:
        a, b = item.statements
        writer.writerow([item.id, item.kind, item.place.name if item.place else "", item.date_start or "",
                         item.date_end or "", item.event_id or "", a.claim_id, a.source.name, a.reading, a.text,
                         b.claim_id, b.source.name, b.reading, b.text])


def control_table(console: Console, days: list[ControlDay]) -> None:
    for day in days:
        console.print(Text.assemble((day.place.name or "", "bold"), f" ({day.place.geonameid})  ",
                                    day.date.isoformat(), "  ", (day.state, _STATE_STYLE[day.state]),
                                    f"  confidence {day.confidence:.2f}  UA {day.scores['UA']:.2f} RU "
                                    f"{day.scores['RU']:.2f} contested {day.scores['contested']:.2f}"))
        for item in day.evidence:
            mark = "+" if item.supports else "-"
            console.print(Text.assemble(f"    {mark} {item.weight:.2f} ", (item.source.name, "cyan"),
                                        f" [{item.source.side}] {item.date.end.isoformat()} ",
                                        f"{item.actor_side} {item.effect}: ", _short(item.words)))
    console.print(f"{len(days)} settlement-days", style="dim")


_STATE_STYLE = {"UA": "bold blue", "RU": "bold red", "contested": "bold yellow", "unknown": "dim"}


def control_csv(stream: TextIO, days: Iterable[ControlDay]) -> None:
    writer = csvsafe.writer(stream)
    writer.writerow(CONTROL_COLUMNS)
    for day in days:
        writer.writerow([day.place.name, day.place.geonameid, day.place.admin1 or "", day.place.lat, day.place.lon,
                         day.date.isoformat(), day.state, day.confidence, day.scores["UA"], day.scores["RU"],
                         day.scores["contested"], sum(item.supports for item in day.evidence),
                         sum(not item.supports for item in day.evidence)])


def control_geojson(days: Iterable[ControlDay]) -> str:
    """A FeatureCollection of settlement points with their state (opens in QGIS)."""
    features = []
    for day in days:
        if day.place.lat is None or day.place.lon is None:
            continue
        properties = json.loads(day.model_dump_json(exclude={"place"}))
        properties |= {"place": day.place.name, "geonameid": day.place.geonameid, "admin1": day.place.admin1}
        features.append({"type": "Feature", "geometry": {"type": "Point",
                                                         "coordinates": [day.place.lon, day.place.lat]},
                         "properties": properties})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
