"""Typed records that the stages hand to each other.

The public extraction record (`Extraction`, schema ``sitrep/extract/v1``) is generated from these
models as JSON Schema (``sitrep schema``); ``tests/test_schema.py`` fails when the committed schema
under ``docs/`` and the models disagree.

Offsets (``start``/``end``) are Python string indices into ``Document.text`` (code points, end
exclusive), so ``document.text[start:end]`` is always the mention.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_serializer

from sitrep import __version__

SCHEMA_ID = "sitrep/extract/v1"
PIPELINE_VERSION = f"sitrep/{__version__}"

Side = Literal["UA", "RU", "third-party", "unknown"]
Status = Literal["asserted", "negated", "failed", "hypothetical", "planned", "historical", "assessment"]
DatePrecision = Literal["day", "week", "month", "year"]
SourceKind = Literal[
    "official", "military", "government", "intelligence", "milblogger", "analyst",
    "journalist", "outlet", "wire", "narrator", "unknown",
]
PlaceRole = Literal["location", "region", "speaker", "axis", "origin", "destination", "reference", "water"]
InputFormat = Literal["text", "html", "feed", "telegram", "jsonl"]


def _within(low: float, high: float, name: str) -> Callable[[float | None], float | None]:
    def check(value: float | None) -> float | None:
        # Records also arrive from outside (`sitrep load` reads shards): a coordinate off the globe, or NaN
        # (which fails the comparison too), is refused there instead of reaching the map and the exports.
        if value is not None and not low <= value <= high:
            raise ValueError(f"{name} {value} is out of range ({low:g} to {high:g})")
        return value

    return check


Latitude = Annotated[float | None, AfterValidator(_within(-90, 90, "latitude"))]
Longitude = Annotated[float | None, AfterValidator(_within(-180, 180, "longitude"))]


class Record(BaseModel):
    """Base: unknown keys are errors, so a key cannot drift between code paths."""

    model_config = ConfigDict(extra="forbid")


class Caption(Record):
    """A photo caption kept as its own paragraph of ``Document.text``; the credit is kept apart."""

    start: int
    end: int
    text: str
    credit: str | None = None


class Removed(Record):
    """A piece of the input that cleaning dropped, and why (ad, newsletter, dateline, ...)."""

    text: str
    reason: str


class Document(Record):
    """One report. Readers fill the metadata and ``text``; cleaning rewrites ``text`` and fills
    ``captions`` and ``removed``."""

    id: str = Field(description="Hash of the normalised input text: the same text is the same document.")
    source: str = Field(description="Where it was read: a path, with '#locator' for an item inside a file.")
    url: str | None = None
    outlet: str | None = None
    channel: str | None = Field(None, description="web, feed, telegram, ... as given by the reader or input.")
    title: str | None = None
    author: str | None = None
    published: dt.date | None = None
    language: str | None = Field(
        None, description="ISO 639-1 code of the language most of the text is in ('en', 'uk', 'ru'; 'be', 'de' "
        "and others are recognised but not read; 'und' for letters of no recognised script), decided by the "
        "pipeline per paragraph; a reader's or input's value is only a fallback for text too short to tell. "
        "Null for text without letters.")
    text: str
    captions: list[Caption] = []
    removed: list[Removed] = []


class Place(Record):
    """A place mention resolved against the gazetteer. ``precision`` follows ACLED's geo codes:
    1 the settlement itself, 2 near it or its district, 3 the region, 4 the country. A mention
    that cannot be resolved keeps ``geonameid``, coordinates and precision null and says why in
    ``unresolved``: sitrep never falls back silently to a region or country centroid."""

    mention: str
    start: int
    end: int
    geonameid: int | None = None
    name: str | None = None
    feature: str | None = Field(None, description="GeoNames feature code: PPL, PPLA, ADM1, PCLI, ...")
    admin1: str | None = None
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 code.")
    lat: Latitude = None
    lon: Longitude = None
    precision: Literal[1, 2, 3, 4] | None = None
    kind: Literal["toponym", "demonym"] = Field(
        "toponym", description="A demonym ('Turkish') names a country's people, not a location of events.")
    candidates: int = Field(0, description="How many gazetteer entries carry this name.")
    role: PlaceRole | None = Field(
        None, description="What the place is for the events around it: the event's location, a containing "
        "region ('<village>, <oblast>'), the speaker's seat, a front's axis, a weapon's origin, a movement's "
        "destination, a reference point ('west of X near Y'), or a water body. Null for demonyms and records made before roles existed.")
    unresolved: str | None = Field(None, description="Why the mention has no coordinates, when it has none.")


class Source(Record):
    """Who asserts a claim."""

    name: str
    kind: SourceKind = "unknown"
    side: Side = "unknown"
    role: str | None = None
    channel: str | None = None
    name_latin: str | None = Field(
        None, description="The speaker's name in Latin letters, where the report names them in Cyrillic: the "
        "known-speakers table's English name ('Denis Pushilin', 'General Staff of the Armed Forces of Ukraine'), "
        "else a transliteration (KMU 2010 for Ukrainian, the popular Russian system): 'Oleh Kiper'.")

    @model_serializer(mode="wrap")
    def _without_empty_latin_name(self, serialize):
        # Left out when empty, so that records of English reporting read as before (golden files, stores).
        data = serialize(self)
        if isinstance(data, dict) and data.get("name_latin") is None:
            data.pop("name_latin", None)
        return data


class Actor(Record):
    """Who acts or is acted upon, resolved against the actor catalogue where possible."""

    name: str
    side: Side = "unknown"
    kind: str | None = None
    id: str | None = Field(None, description="Actor catalogue id (sitrep/data/actors.yaml).")
    acled: str | None = Field(None, description="ACLED's actor name, e.g. 'Military Forces of Russia (2000-)'.")
    mention: str | None = Field(None, description="The words of the text that name the actor.")
    start: int | None = None
    end: int | None = None


class EventDate(Record):
    """When the event happened (not when it was reported): a range with a precision."""

    start: dt.date
    end: dt.date
    precision: DatePrecision
    expression: str | None = Field(None, description="The words that gave the date ('yesterday', 'in May').")
    anchor: Literal["published", "text", "absolute"] = Field(
        "published", description="What the date was computed from: the publication date, another date "
        "in the text, or nothing (an absolute date).")


class Quantity(Record):
    """A number the claim states: casualties (counted conservatively, as ACLED does), equipment or a
    distance. Vague amounts ('dozens') are not numbers and are not kept."""

    kind: Literal["killed", "wounded", "captured", "missing", "casualties", "equipment", "distance", "other"]
    value: float
    unit: str | None = Field(None, description="km, m, ... for distances; the item for equipment ('tanks').")
    approximate: bool = False
    text: str
    start: int
    end: int


class Event(Record):
    """What the claim says happened, coded in ACLED's terms (docs/acled-mapping.md)."""

    event_type: str | None = None
    sub_event_type: str | None = None
    mode: str | None = Field(None, description="artillery, missile, drone, airstrike, glide bomb, armour, ...")
    status: Status = "asserted"
    trigger: str | None = Field(None, description="The word or phrase that signals the event.")
    actor1: Actor | None = None
    actor2: Actor | None = None
    place: int | None = Field(None, description="Index into the record's places.")
    date: EventDate | None = None
    fatalities: int | None = Field(None, description="Deaths stated as a number; null when none is stated.")
    quantities: list[Quantity] = []


class Claim(Record):
    """One event predicate of a sentence (or the sentence, when it reports no event) and who asserts it."""

    id: str = Field(description="'<document id>:<start>-<end>', with '/<part>' for a sentence's further claims.")
    start: int
    end: int
    text: str
    confidence: float = Field(ge=0.0, le=1.0)
    source: Source
    quote: str | None = None
    event: Event | None = None
    part: int = Field(0, ge=0, description="0 for a sentence's first claim; 1, 2, ... for each further event "
                      "the same sentence reports (coordinated clauses, lists of places). Further parts share the "
                      "sentence's span, source and quote, and their id ends in '/<part>'.")
    capped: int = Field(0, ge=0, description="On a sentence's first claim: how many further events of the "
                        "sentence were left out because it reports more than the cap (claims.MAX_EVENTS_PER_SENTENCE).")
    language: str | None = Field(
        None, description="ISO 639-1 code of the language of the claim's paragraph ('en', 'uk', 'ru'), which "
        "decided the lexicons used on it. A paragraph in a language sitrep does not read gives no claims.")


class Extraction(Record):
    """The public record: one per document (``sitrep extract --format jsonl``)."""

    model_config = ConfigDict(extra="forbid", title="sitrep extraction record")

    schema_: Literal["sitrep/extract/v1"] = Field(SCHEMA_ID, alias="schema")
    pipeline: str = Field(PIPELINE_VERSION, description="Version of the pipeline that made the record.")
    document: Document
    places: list[Place] = []
    claims: list[Claim] = []

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True)


class ItemError(Record):
    """A part of an input that could not be read; the rest of the input still is."""

    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


# Across documents (sitrep.signals, sitrep.corroborate, sitrep.control). These records are derived
# from stored claims, so they are rebuilt by ``sitrep cluster --rebuild`` when the rules change.

ControlEffect = Literal["captured", "withdrew", "holding", "repelled", "advancing", "contested", "failed_attack"]
ControlState = Literal["UA", "RU", "contested", "unknown"]


class ControlSignal(Record):
    """One statement about who controls a settlement, found inside a claim.

    ``effect`` is what ``actor_side`` did there: captured it, withdrew from it, is holding it,
    repelled an attack on it, is advancing in or near it, failed in an attack on it; ``contested``
    says that the place is fought over or in the grey zone (``actor_side`` may then be unknown).
    ``state`` is the control state the statement supports. Offsets are into the document's text.
    A sentence can carry several signals from several speakers ("some bloggers said the flanks broke,
    but others reported that resistance was holding"), so each signal has its own ``source``.
    """

    claim_id: str
    document_id: str
    start: int
    end: int
    text: str = Field(description="The words that carry the signal (the trigger phrase).")
    effect: ControlEffect
    actor_side: Side = "unknown"
    state: ControlState
    place: int | None = Field(None, description="Index into the document's places (a settlement).")
    date: EventDate | None = None
    source: Source
    status: Status = "asserted"


class SourceMix(Record):
    """Independent sources of an event by the side they speak for."""

    UA: int = 0
    RU: int = 0
    third_party: int = Field(0, alias="third-party")
    unknown: int = 0

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class EventPlace(Record):
    name: str | None = None
    geonameid: int | None = None
    admin1: str | None = None
    country: str | None = None
    lat: Latitude = None
    lon: Longitude = None
    precision: Literal[1, 2, 3, 4] | None = None


class EventSummary(Record):
    """One real-world event as several claims report it (sitrep.corroborate).

    ``independent_sources`` counts origins, not claims: reposts and copies of one text, and one
    speaker quoted by several outlets, count once (docs/corroboration.md).
    """

    id: str
    family: str
    event_type: str
    sub_event_type: str | None = None
    place: EventPlace
    date: EventDate | None = None
    first_reported: dt.date | None = None
    last_reported: dt.date | None = None
    claim_count: int
    independent_sources: int
    source_mix: SourceMix
    actor_sides: list[Side] = Field([], description="Sides named as actor1 or actor2 in the claims.")
    attackers: list[Side] = Field([], description="Sides named as actor1 (who acts) in the claims.")
    fatalities: list[int] = Field([], description="Distinct death tolls the claims state.")
    contradicted: bool = False
    pipeline: str = PIPELINE_VERSION


ContradictionKind = Literal["control", "advance-vs-repelled", "captured-vs-holding", "withdrew-vs-holding",
                            "casualties", "status"]


class Statement(Record):
    """One side of a contradiction: the claim, the words that conflict, and who says them."""

    claim_id: str
    document_id: str
    start: int
    end: int
    text: str = Field(description="The claim's sentence.")
    words: str = Field(description="The words that conflict (the signal's trigger or the claim).")
    source: Source
    outlet: str | None = None
    published: dt.date | None = None
    reading: str = Field(description="What the statement says, in short: 'RU withdrew', '12 killed'.")


class Contradiction(Record):
    """Two statements that cannot both be true (sitrep.contradictions)."""

    id: str
    kind: ContradictionKind
    place: EventPlace | None = None
    date_start: dt.date | None = None
    date_end: dt.date | None = None
    event_id: str | None = None
    statements: list[Statement] = Field(min_length=2, max_length=2)
    pipeline: str = PIPELINE_VERSION


class Evidence(Record):
    """One control signal as the timeline weighed it on one day."""

    claim_id: str
    document_id: str
    start: int
    end: int
    words: str
    effect: ControlEffect
    actor_side: Side
    state: ControlState
    status: Status
    date: EventDate
    source: Source
    weight: float = Field(description="Kind x interest x effect x status x decay (docs/control.md).")
    supports: bool = Field(description="Whether it supports the day's state (else it contradicts it).")


class ControlDay(Record):
    """Who holds a settlement on one day, how sure that is, and the evidence (sitrep.control)."""

    place: EventPlace
    date: dt.date
    state: ControlState
    confidence: float = Field(ge=0.0, le=1.0)
    scores: dict[str, float] = Field(description="Weighted evidence for UA, RU and contested.")
    evidence: list[Evidence] = []
    pipeline: str = PIPELINE_VERSION


class ClaimRef(Record):
    """A claim as listings show it beside an event: its words, who says it, where it was published."""

    claim_id: str
    document_id: str
    start: int
    end: int
    text: str
    source: Source
    quote: str | None = None
    status: Status | None = None
    outlet: str | None = None
    url: str | None = None
    published: dt.date | None = None


class EventView(EventSummary):
    """An event with its claims (``sitrep events --format jsonl``)."""

    claims: list[ClaimRef] = []
