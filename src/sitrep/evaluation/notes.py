"""sitrep measured on ACLED-style event notes (``tests/gold/notes/notes.jsonl``, a development set).

The notes are written by the team in the style of ACLED's event notes for Ukraine ("On 14 March 2023,
Russian forces shelled near Kurdiumivka, Donetsk. Casualties unknown."), generated from templates with
real GeoNames villages by ``tests/gold/notes/make_notes.py``; their gold is the generator's own choice.
The held-out set of real ACLED notes is the lead's, not this one.

Counting rules:
- Each note is one document, published seven days after the note's date (ACLED publishes weekly),
  so that "On 14 March 2023" is read as an absolute date, not from the publication date.
- The system event is that of the FIRST claim, in document order, that has an event (a note puts its
  event in its first sentence; where the pipeline gives a sentence several claims, one per event,
  the first of them). A note without such a claim counts as wrong on every field.
- event type, sub-type: ACLED's names, exactly. Actor1 side: UA or RU, scored only on notes whose gold
  names one (not on protests). Date: the event's range is exactly the gold day (start and end).
- Place: the event's place (``Event.place`` indexes the record's places) has coordinates within
  10 km of the gold village; where a note names two villages ("shelled A and B, Kherson"), the
  nearer one counts. ``median error km`` is over the notes whose event place has coordinates.
  ``place anywhere`` is a diagnostic: some place of the record, event or not, is within 10 km.
- A place miss is put in one class (``place_class``): no event, no place (the village not recognised,
  recognised but unresolved, or resolved but not given to the event), oblast read as its capital,
  region (the oblast or another first-level division), namesake elsewhere in Ukraine or in Russia (the
  note's village words, resolved to another settlement), or another place.
- The keyword baseline (``BASELINE``) codes the sub-type from ten keyword rules, to show what a
  trivial rule gets; its event type follows from the sub-type.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sitrep.evaluation.claims import ACLED_SUBTYPES, Score
from sitrep.evaluation.jsonlines import read_records

DEFAULT_NOTES = Path("tests/gold/notes/notes.jsonl")
PUBLISHED_AFTER = dt.timedelta(days=7)
PLACE_KM = 10.0
FIELDS = ("event_type", "sub_event_type", "place", "date", "actor1_side")
SIDES = ("UA", "RU")
# The oblast capital city as GeoNames spells it, by admin1 code, for the "oblast read as capital" class.
CAPITALS = {"02": "Chernihiv", "04": "Dnipro", "05": "Donetsk", "07": "Kharkiv", "08": "Kherson",
            "14": "Luhansk", "16": "Mykolaiv", "21": "Sumy", "26": "Zaporizhzhia"}

# The ten-line keyword baseline: the first rule whose words occur in the note gives the sub-type;
# none gives the commonest sub-type of ACLED's Ukraine data.
BASELINE: list[tuple[str, str]] = [
    (r"shot down|intercepted|downed|defused", "Disrupted weapons use"),
    (r"regained|recaptured|liberated|retook", "Government regains territory"),
    (r"took control|captured|occupied|seized", "Non-state actor overtakes territory"),
    (r"mine\b|landmine|IED|explosive device", "Remote explosive/landmine/IED"),
    (r"grenade", "Grenade"),
    (r"drone|airstrike|air strike|aerial bomb", "Air/drone strike"),
    (r"shell|artillery|missile|MLRS|rocket|mortar", "Shelling/artillery/missile attack"),
    (r"clash|advance|assault|offensive|attack", "Armed clash"),
    (r"arrested|detained", "Arrests"),
    (r"protest|rally", "Peaceful protest"),
]
BASELINE_DEFAULT = "Shelling/artillery/missile attack"


# ------------------------------------------------------------------ the notes

@dataclass(frozen=True)
class GoldPlace:
    geonameid: int
    name: str
    mention: str
    admin1: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Note:
    id: str
    text: str
    date: dt.date
    event_type: str
    sub_event_type: str
    actor1_side: str | None
    places: tuple[GoldPlace, ...]
    tags: tuple[str, ...] = ()
    template: str | None = None


def parse_note(data: dict) -> Note:
    """One note from its JSON object; ValueError says what is wrong."""
    subtype = data["sub_event_type"]
    if ACLED_SUBTYPES.get(subtype) is None:
        raise ValueError(f"{subtype!r} is not one of ACLED's sub-event types")
    if ACLED_SUBTYPES[subtype] != data["event_type"]:
        raise ValueError(f"{subtype!r} belongs to {ACLED_SUBTYPES[subtype]!r}, not {data['event_type']!r}")
    side = data.get("actor1_side")
    if side is not None and side not in SIDES:
        raise ValueError(f"actor1_side {side!r} is not UA, RU or null")
    places = tuple(GoldPlace(int(place["geonameid"]), place["name"], place["mention"], str(place["admin1"]),
                             float(place["lat"]), float(place["lon"])) for place in data["places"])
    if not places:
        raise ValueError("a note needs at least one gold place")
    text = data["text"]
    for place in places:
        if place.mention not in text:
            raise ValueError(f"place {place.mention!r} does not occur in the text")
    return Note(id=str(data["id"]), text=text, date=dt.date.fromisoformat(data["date"]), event_type=data["event_type"],
                sub_event_type=subtype, actor1_side=side, places=places, tags=tuple(data.get("tags") or ()),
                template=data.get("template"))


def read_notes(path: Path | str) -> list[Note]:
    """The notes, one JSON object a line; a bad line is an InputError naming the file and line."""
    return read_records(path, lambda data, _line: parse_note(data), "note", f"pass a notes file such as {DEFAULT_NOTES}")


def note_document(note: Note, source: str = "notes.jsonl"):
    """The note as a Document: published a week after its date."""
    from sitrep.ingest.base import document_id
    from sitrep.models import Document

    return Document(id=document_id(note.text), source=f"{source}#{note.id}", text=note.text,
                    published=note.date + PUBLISHED_AFTER, outlet="ACLED-style notes (dev)", channel="web")


# ------------------------------------------------------------------ helpers

def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((phi2 - phi1) / 2) ** 2
         + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def fold(text: str) -> str:
    """Case, accents, apostrophes, hyphens and y/i spellings aside ("Kurdyumivka" ~ "Kurdiumivka")."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    text = re.sub(r"['\u2019\u02bc`\"]", "", text).replace("-", " ")
    return " ".join(text.replace("y", "i").split())


def baseline_subtype(text: str) -> str:
    for pattern, subtype in BASELINE:
        if re.search(pattern, text, flags=re.IGNORECASE):
            return subtype
    return BASELINE_DEFAULT


def first_event_claim(extraction):
    """The first claim, in document order, that has an event (see the counting rules)."""
    claims = sorted(getattr(extraction, "claims", None) or [],
                    key=lambda claim: (getattr(claim, "start", 0), getattr(claim, "end", 0)))
    for claim in claims:
        if getattr(claim, "event", None) is not None:
            return claim
    return None


def event_place(event, extraction):
    index = getattr(event, "place", None)
    places = getattr(extraction, "places", None) or []
    if isinstance(index, int) and 0 <= index < len(places):
        return places[index]
    return None


def _coordinates(place) -> tuple[float, float] | None:
    lat, lon = getattr(place, "lat", None), getattr(place, "lon", None)
    return (lat, lon) if lat is not None and lon is not None else None


def nearest_km(note: Note, place) -> float | None:
    """Distance from a system place to the nearest gold village; None without coordinates."""
    point = _coordinates(place) if place is not None else None
    if point is None:
        return None
    return min(distance_km(gold.lat, gold.lon, *point) for gold in note.places)


def describe_place(place) -> str:
    if place is None:
        return "None"
    name = getattr(place, "name", None) or getattr(place, "mention", "?")
    bits = [getattr(place, "feature", None), getattr(place, "country", None),
            f"adm1 {getattr(place, 'admin1', None)}" if getattr(place, "admin1", None) else None,
            f"role {getattr(place, 'role')}" if getattr(place, "role", None) else None]
    point = _coordinates(place)
    if point is None:
        bits.append(f"unresolved: {getattr(place, 'unresolved', None)}")
    return f"{name} ({', '.join(bit for bit in bits if bit)})"


def _names_village(note: Note, mention: str) -> bool:
    return any(mention == fold(gold.mention) or mention == fold(gold.name) for gold in note.places)


def _unplaced(note: Note, extraction) -> str:
    """Why an event has no place: the village was found but not given to the event, found but not
    resolved, or not recognised at all."""
    found = [place for place in getattr(extraction, "places", None) or []
             if _names_village(note, fold(getattr(place, "mention", "")))]
    if any(nearest_km(note, place) is not None and nearest_km(note, place) <= PLACE_KM for place in found):
        return "no place (village found, not linked)"
    if found:
        return "no place (village unresolved)" if all(_coordinates(place) is None for place in found) else \
            "no place (namesake found, not linked)"
    return "no place (village not recognised)"


def place_class(note: Note, event, place, extraction=None) -> str:
    """Why the event place is not the note's village (called on place misses only)."""
    if event is None:
        return "no event"
    if place is None:
        return _unplaced(note, extraction)
    mention = fold(getattr(place, "mention", ""))
    if mention and _names_village(note, mention):
        if _coordinates(place) is None:
            return "village unresolved"
        return "namesake in Russia" if getattr(place, "country", None) == "RU" else "namesake elsewhere"
    feature = getattr(place, "feature", None) or ""
    role = getattr(place, "role", None)
    name = fold(getattr(place, "name", None) or getattr(place, "mention", ""))
    capitals = {fold(CAPITALS.get(gold.admin1, "")) for gold in note.places}
    if feature.startswith("PPL") and (name in capitals or feature == "PPLA" and getattr(place, "admin1", None)
                                      in {gold.admin1 for gold in note.places}):
        return "oblast read as capital"
    if feature.startswith("ADM1") or role == "region" or getattr(place, "precision", None) == 3:
        return "region"
    if getattr(place, "country", None) == "RU":
        return "place in Russia"
    if feature.startswith("PCL") or getattr(place, "precision", None) == 4:
        return "country"
    return "other place"


# ------------------------------------------------------------------ the report

@dataclass(frozen=True)
class NoteMistake:
    note: str
    field: str
    gold: str
    system: str
    kind: str
    text: str


@dataclass
class NotesReport:
    path: str
    notes: int = 0
    with_event: int = 0
    scores: dict[str, Score] = field(default_factory=lambda: {name: Score() for name in FIELDS})
    baseline: dict[str, Score] = field(default_factory=lambda: {"event_type": Score(), "sub_event_type": Score()})
    place_anywhere: Score = field(default_factory=Score)
    errors_km: list[float] = field(default_factory=list)
    by_tag: dict[str, Score] = field(default_factory=dict)
    by_subtype: dict[str, Score] = field(default_factory=dict)
    place_classes: Counter = field(default_factory=Counter)
    confusions: Counter = field(default_factory=Counter)
    mistakes: list[NoteMistake] = field(default_factory=list)

    @property
    def median_km(self) -> float | None:
        return statistics.median(self.errors_km) if self.errors_km else None


def score_note(report: NotesReport, note: Note, extraction) -> None:
    """Add one note and the pipeline's extraction of it to the tallies."""
    claim = first_event_claim(extraction)
    event = getattr(claim, "event", None) if claim is not None else None
    report.notes += 1
    report.with_event += event is not None
    system_type = getattr(event, "event_type", None)
    system_subtype = getattr(event, "sub_event_type", None)

    def add(name: str, correct: bool | None, gold, system, kind: str = "") -> None:
        report.scores[name].add(correct)
        if correct is False:
            report.mistakes.append(NoteMistake(note.id, name, str(gold), str(system), kind, note.text))

    add("event_type", system_type == note.event_type, note.event_type, system_type or "no event")
    subtype_right = system_subtype == note.sub_event_type
    add("sub_event_type", subtype_right, note.sub_event_type, system_subtype or "no event",
        "no event" if event is None else "sub-type confusion")
    report.by_subtype.setdefault(note.sub_event_type, Score()).add(subtype_right)
    if not subtype_right:
        report.confusions[(note.sub_event_type, system_subtype or "no event")] += 1

    place = event_place(event, extraction) if event is not None else None
    km = nearest_km(note, place)
    if km is not None:
        report.errors_km.append(km)
    place_right = km is not None and km <= PLACE_KM
    kind = "" if place_right else place_class(note, event, place, extraction)
    shown = describe_place(place) + (f" {km:.0f} km away" if km is not None else "")
    add("place", place_right, " / ".join(f"{gold.name} ({gold.geonameid})" for gold in note.places), shown, kind)
    if not place_right:
        report.place_classes[kind] += 1
    for tag in note.tags:
        report.by_tag.setdefault(tag, Score()).add(place_right)
    anywhere = [nearest_km(note, candidate) for candidate in getattr(extraction, "places", None) or []]
    report.place_anywhere.add(any(value is not None and value <= PLACE_KM for value in anywhere))

    date = getattr(event, "date", None)
    start, end = getattr(date, "start", None), getattr(date, "end", None)
    add("date", start == note.date and end == note.date, note.date,
        f"{start}..{end}" if date is not None else ("no date" if event is not None else "no event"))

    if note.actor1_side is not None:
        actor = getattr(event, "actor1", None)
        side = getattr(actor, "side", None)
        add("actor1_side", side == note.actor1_side, note.actor1_side,
            side if event is not None else "no event", "actor side")

    guess = baseline_subtype(note.text)
    report.baseline["sub_event_type"].add(guess == note.sub_event_type)
    report.baseline["event_type"].add(ACLED_SUBTYPES[guess] == note.event_type)


def evaluate_notes(pipeline, path: Path | str = DEFAULT_NOTES, limit: int | None = None,
                   progress: Callable[[Note], None] | None = None) -> NotesReport:
    """Run ``pipeline`` (a sitrep.pipeline.Pipeline) on every note, each as one document, and score it."""
    path = Path(path)
    notes = read_notes(path)[:limit] if limit else read_notes(path)
    return score_notes(notes, pipeline.pipe(note_document(note, path.name) for note in notes), str(path), progress)


def score_notes(notes: list[Note], extractions: Iterable, path: str = "notes",
                progress: Callable[[Note], None] | None = None) -> NotesReport:
    report = NotesReport(path=path)
    for note, extraction in zip(notes, extractions, strict=True):
        score_note(report, note, extraction)
        if progress is not None:
            progress(note)
    return report


def report_dict(report: NotesReport, mistakes: int = 0) -> dict:
    """The report as JSON-ready data: every score with its counts, the miss classes, the confusions."""
    def score(value: Score) -> dict:
        return {"accuracy": round(value.accuracy, 4), "correct": value.correct, "n": value.total}

    median = report.median_km
    data = {
        "notes": report.path, "n": report.notes, "with_event": report.with_event,
        "scores": {name: score(value) for name, value in report.scores.items()},
        "median_error_km": round(median, 1) if median is not None else None,
        "place_anywhere": score(report.place_anywhere),
        "baseline": {name: score(value) for name, value in report.baseline.items()},
        "place_misses": dict(report.place_classes.most_common()),
        "place_by_tag": {tag: score(value) for tag, value in sorted(report.by_tag.items())},
        "sub_event_type_by_gold": {name: score(value) for name, value in sorted(report.by_subtype.items())},
        "confusions": [{"gold": gold, "system": system, "n": n}
                       for (gold, system), n in report.confusions.most_common()],
    }
    if mistakes:
        data["mistakes"] = [mistake.__dict__ for mistake in report.mistakes[:mistakes]]
    return data
