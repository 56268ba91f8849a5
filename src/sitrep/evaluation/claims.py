"""Claims measured against the team's gold set, ``tests/gold/claims.jsonl`` (issue #4).

The gold set is written by the team (format and annotation guidelines: ``tests/gold/README.md``):
one JSON object per report, and for each annotated sentence its source and its event (or null).

Counting rules:
- Each gold sentence is found in the cleaned text of its report (cleaning may drop a dateline or a
  photo credit, never a sentence), and paired with the system claim whose [start, end) overlaps it
  most. A sentence with no overlapping claim is scored as a claim with nothing right.
- Source: name (case-insensitive; a match when one contains the other, "Syrskyi" and "Oleksandr
  Syrskyi", or when both name one entry of the known-speakers table), kind and side, each over all
  gold sentences; ``source`` needs all three.
- Event presence: gold event or null against system event or null, over all gold sentences, with
  precision, recall and F1 of finding events.
- Event fields (types, status, actor sides, place, date) in two scopes. ``all``: over every gold
  event, a missing system event counts as wrong; this is the headline, since it is what a user of
  the records sees. ``matched``: only where the system found an event too; it isolates the coding
  from the detection. The date is scored only where the gold date is not null: ``date`` needs the
  same start and end, ``date_within`` a system range inside the gold range.
- Place: the system place (``Event.place`` indexes the record's places) by GeoNames name or by the
  words of the mention, case, accents, apostrophes and hyphens aside; a null gold place wants a
  null system place.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from sitrep.errors import InputError
from sitrep.models import Claim, DatePrecision, Document, Event, Extraction, Side, SourceKind, Status

DEFAULT_GOLD = Path("tests/gold/claims.jsonl")
# ACLED's 6 event types and 25 sub-event types, as the ACLED codebook spells them.
ACLED_SUBTYPES: dict[str, str] = {
    "Armed clash": "Battles",
    "Government regains territory": "Battles",
    "Non-state actor overtakes territory": "Battles",
    "Chemical weapon": "Explosions/Remote violence",
    "Air/drone strike": "Explosions/Remote violence",
    "Suicide bomb": "Explosions/Remote violence",
    "Shelling/artillery/missile attack": "Explosions/Remote violence",
    "Remote explosive/landmine/IED": "Explosions/Remote violence",
    "Grenade": "Explosions/Remote violence",
    "Sexual violence": "Violence against civilians",
    "Attack": "Violence against civilians",
    "Abduction/forced disappearance": "Violence against civilians",
    "Peaceful protest": "Protests",
    "Protest with intervention": "Protests",
    "Excessive force against protesters": "Protests",
    "Violent demonstration": "Riots",
    "Mob violence": "Riots",
    "Agreement": "Strategic developments",
    "Arrests": "Strategic developments",
    "Change to group/activity": "Strategic developments",
    "Disrupted weapons use": "Strategic developments",
    "Headquarters or base established": "Strategic developments",
    "Looting/property destruction": "Strategic developments",
    "Non-violent transfer of territory": "Strategic developments",
    "Other": "Strategic developments",
}
SOURCE_FIELDS = ("source", "source_name", "source_kind", "source_side")
EVENT_FIELDS = ("event_type", "sub_event_type", "status", "actor1_side", "actor2_side", "place", "date",
                "date_within")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "`": "'"})


# ------------------------------------------------------------------ the gold records

class GoldRecord(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GoldSource(GoldRecord):
    name: str
    kind: SourceKind
    side: Side


class GoldActor(GoldRecord):
    side: Side
    id: str | None = None


class GoldDate(GoldRecord):
    start: dt.date
    end: dt.date
    precision: DatePrecision

    @model_validator(mode="after")
    def _ordered(self):
        if self.end < self.start:
            raise ValueError(f"date ends ({self.end}) before it starts ({self.start})")
        return self


class GoldEvent(GoldRecord):
    event_type: str
    sub_event_type: str
    status: Status
    actor1: GoldActor | None
    actor2: GoldActor | None
    place: str | None
    date: GoldDate | None

    @model_validator(mode="after")
    def _acled(self):
        expected = ACLED_SUBTYPES.get(self.sub_event_type)
        if expected is None:
            raise ValueError(f"{self.sub_event_type!r} is not one of ACLED's 25 sub-event types")
        if expected != self.event_type:
            raise ValueError(f"{self.sub_event_type!r} belongs to {expected!r}, not {self.event_type!r}")
        return self


class GoldClaim(GoldRecord):
    sentence: str
    source: GoldSource
    event: GoldEvent | None


class GoldDocument(GoldRecord):
    id: str
    published: dt.date | None
    outlet: str | None
    channel: str | None
    text: str
    claims: list[GoldClaim]

    @model_validator(mode="after")
    def _sentences_in_text(self):
        for claim in self.claims:
            if self.text.count(claim.sentence) != 1:
                raise ValueError(f"sentence {claim.sentence[:50]!r} must occur exactly once in the text")
        return self


def read_gold(path: Path) -> list[GoldDocument]:
    """The gold set, one report per line; a bad line is an InputError naming the file and line."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(str(path), f"cannot read the gold set ({error}); pass the path of a claims "
                                    "gold set such as tests/gold/claims.jsonl") from None
    documents: list[GoldDocument] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            documents.append(GoldDocument.model_validate(json.loads(line)))
        except json.JSONDecodeError as error:
            raise InputError(f"{path}:{number}", f"not valid JSON ({error.msg})") from None
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "record"
            raise InputError(f"{path}:{number}", f"{where}: {first['msg']}") from None
    if not documents:
        raise InputError(str(path), "the gold set holds no reports")
    return documents


def gold_document(gold: GoldDocument, path: Path) -> Document:
    """The Document a reader would make from the report (as tests/conftest.py ``make_document``)."""
    from sitrep.ingest.base import document_id

    return Document(id=document_id(gold.text), source=f"{Path(path).name}#{gold.id}", text=gold.text,
                    published=gold.published, outlet=gold.outlet, channel=gold.channel)


# ------------------------------------------------------------------ scores

@dataclass
class Score:
    correct: int = 0
    total: int = 0

    def add(self, outcome: bool | None) -> None:
        """Count one outcome; None means the field does not apply to this item."""
        if outcome is not None:
            self.total += 1
            self.correct += int(outcome)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


@dataclass(frozen=True)
class Mistake:
    document: str
    sentence: str
    field: str
    gold: str
    system: str


@dataclass
class GoldReport:
    path: str
    documents: int = 0
    claims: int = 0
    events: int = 0
    unaligned: int = 0  # gold sentences that no system claim overlaps
    source: dict[str, Score] = field(default_factory=lambda: {name: Score() for name in SOURCE_FIELDS})
    presence: Score = field(default_factory=Score)
    detected: int = 0  # gold events for which the system has an event
    false_events: int = 0  # system events on sentences the gold set leaves without one
    all: dict[str, Score] = field(default_factory=lambda: {name: Score() for name in EVENT_FIELDS})
    matched: dict[str, Score] = field(default_factory=lambda: {name: Score() for name in EVENT_FIELDS})
    mistakes: list[Mistake] = field(default_factory=list)
    # Claim confidence -> how many such claims were coded right (source name, event presence, and for
    # events sub-type and status): the reliability table behind claims.CONFIDENCE.
    calibration: dict[float, Score] = field(default_factory=dict)

    @property
    def source_accuracy(self) -> float:
        """Headline for attribution (target 0.95): the right speaker, by name."""
        return self.source["source_name"].accuracy

    @property
    def status_accuracy(self) -> float:
        """Headline for status (target 0.90): over all gold events, a missed event counts as wrong."""
        return self.all["status"].accuracy

    @property
    def detection(self) -> tuple[float, float, float]:
        """Precision, recall and F1 of finding the sentences that report an event."""
        predicted = self.detected + self.false_events
        precision = self.detected / predicted if predicted else 0.0
        recall = self.detected / self.events if self.events else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1


# ------------------------------------------------------------------ matching

def normalise_name(text: str) -> str:
    """Lower case, straight apostrophes, no leading article, single spaces."""
    text = " ".join(text.translate(_APOSTROPHES).casefold().split())
    return re.sub(r"^(?:the|a|an|some) ", "", text)


def names_match(gold: str, system: str) -> bool:
    """One name contains the other, or both name the same known speaker ("ISW" and "Institute for the
    Study of War", from the known-speakers table ``data/sources.yaml``)."""
    from sitrep.extract.attribution import known_speaker

    normal_gold, normal_system = normalise_name(gold), normalise_name(system)
    if not (normal_gold and normal_system):
        return False
    if normal_gold in normal_system or normal_system in normal_gold:
        return True
    known = known_speaker(gold)
    return known is not None and known == known_speaker(system)


def normalise_place(text: str) -> str:
    """Case, accents, apostrophes and hyphens aside: 'Kup'yans'k' ~ 'Kupyansk', 'Chasiv-Yar' ~ 'chasiv yar';
    and GeoNames' transliterated Russian region names as English writes them: "Kurskaya oblast'" ~ 'Kursk
    Oblast', "Rostovskaya oblast'" ~ 'Rostov Oblast'."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    text = " ".join(re.sub(r"['\u2032\"]", "", text).replace("-", " ").split())
    return _REGION_ADJECTIVE.sub(lambda match: match.group(1) + (match.group(2) or "sk") + " oblast", text)


# "kurskaya oblast" -> "kursk oblast"; "rostovskaya" -> "rostov", "belgorodskaya" -> "belgorod".
_REGION_ADJECTIVE = re.compile(r"\b(\w+?)(ov|ev|in|od|ezh)?skaya oblast\b")


def locate(text: str, sentence: str) -> tuple[int, int] | None:
    """Offsets of a gold sentence in the cleaned text (cleaning normalises quotes and spaces)."""
    from sitrep.extract.clean import normalise

    for candidate in (sentence, normalise(sentence)):
        start = text.find(candidate)
        if start >= 0:
            return start, start + len(candidate)
    return None


def best_claim(claims: Iterable[Claim], start: int, end: int) -> Claim | None:
    """The claim whose span overlaps [start, end) most; None when none overlaps."""
    best, best_overlap = None, 0
    for claim in claims:
        overlap = min(end, claim.end) - max(start, claim.start)
        if overlap > best_overlap:
            best, best_overlap = claim, overlap
    return best


# ------------------------------------------------------------------ comparing one claim

def source_outcomes(gold: GoldSource, claim: Claim | None) -> dict[str, tuple[bool, str, str]]:
    """Per source field: (correct, gold value, system value)."""
    system = claim.source if claim else None
    name = (names_match(gold.name, system.name) if system else False, gold.name, system.name if system else "-")
    kind = (system is not None and system.kind == gold.kind, gold.kind, system.kind if system else "-")
    side = (system is not None and system.side == gold.side, gold.side, system.side if system else "-")
    return {"source": (name[0] and kind[0] and side[0], "", ""), "source_name": name, "source_kind": kind,
            "source_side": side}


def event_outcomes(gold: GoldEvent, event: Event | None,
                   extraction: Extraction) -> dict[str, tuple[bool | None, str, str]]:
    """Per event field: (correct or None where it does not apply, gold value, system value). Without
    a system event every field that applies is wrong, even a null actor against a null gold actor."""
    dates = _date_outcomes(gold.date, event)
    if event is None:
        wanted = {"event_type": gold.event_type, "sub_event_type": gold.sub_event_type, "status": gold.status,
                  "actor1_side": _side(gold.actor1), "actor2_side": _side(gold.actor2), "place": gold.place}
        return {name: (False, str(value), "no event") for name, value in wanted.items()} | dates
    outcomes = {
        "event_type": _pair(gold.event_type, event.event_type),
        "sub_event_type": _pair(gold.sub_event_type, event.sub_event_type),
        "status": _pair(gold.status, event.status),
        "actor1_side": _pair(_side(gold.actor1), _side(event.actor1)),
        "actor2_side": _pair(_side(gold.actor2), _side(event.actor2)),
        "place": _place_outcome(gold.place, event, extraction),
    }
    return outcomes | dates


def _pair(gold, system) -> tuple[bool, str, str]:
    return gold == system, str(gold), str(system)


def _side(actor) -> str | None:
    return actor.side if actor is not None else None


def _place_outcome(gold: str | None, event: Event, extraction: Extraction) -> tuple[bool, str, str]:
    place = None
    if event.place is not None and 0 <= event.place < len(extraction.places):
        place = extraction.places[event.place]
    shown = (place.name or place.mention) if place else "None"
    if gold is None:
        return place is None, "None", shown
    wanted = normalise_place(gold)
    found = place is not None and wanted in {normalise_place(place.name or ""), normalise_place(place.mention)}
    return found, gold, shown


def _date_outcomes(gold: GoldDate | None, event: Event | None) -> dict[str, tuple[bool | None, str, str]]:
    if gold is None:
        return {"date": (None, "None", ""), "date_within": (None, "None", "")}
    shown_gold = f"{gold.start}..{gold.end}"
    system = event.date if event is not None else None
    if system is None:
        return {"date": (False, shown_gold, "None"), "date_within": (False, shown_gold, "None")}
    shown = f"{system.start}..{system.end}"
    exact = system.start == gold.start and system.end == gold.end
    within = gold.start <= system.start and system.end <= gold.end
    return {"date": (exact, shown_gold, shown), "date_within": (within, shown_gold, shown)}


# ------------------------------------------------------------------ the entry

def evaluate_gold(pipeline, path: Path | str = DEFAULT_GOLD,
                  progress: Callable[[GoldDocument], None] | None = None) -> GoldReport:
    """Run ``pipeline`` (a sitrep.pipeline.Pipeline) over every gold report and score its claims."""
    path = Path(path)
    gold = read_gold(path)
    report = GoldReport(path=str(path), documents=len(gold))
    documents = (gold_document(item, path) for item in gold)
    for item, extraction in zip(gold, pipeline.pipe(documents), strict=True):
        score_document(report, item, extraction)
        if progress is not None:
            progress(item)
    return report


def score_document(report: GoldReport, gold: GoldDocument, extraction: Extraction) -> None:
    """Add one report's gold claims to the tallies."""
    for gold_claim in gold.claims:
        offsets = locate(extraction.document.text, gold_claim.sentence)
        claim = best_claim(extraction.claims, *offsets) if offsets else None
        report.claims += 1
        report.unaligned += claim is None
        _tally_source(report, gold.id, gold_claim, claim)
        _tally_event(report, gold.id, gold_claim, claim, extraction)
        if claim is not None:
            report.calibration.setdefault(claim.confidence, Score()).add(_coded_right(gold_claim, claim))


def _coded_right(gold: GoldClaim, claim: Claim) -> bool:
    """Whether a claim is right as a whole: its speaker, whether it reports an event, and what."""
    if not names_match(gold.source.name, claim.source.name) or (gold.event is None) != (claim.event is None):
        return False
    return gold.event is None or (gold.event.sub_event_type == claim.event.sub_event_type
                                  and gold.event.status == claim.event.status)


def _tally_source(report: GoldReport, document: str, gold: GoldClaim, claim: Claim | None) -> None:
    for name, (correct, gold_value, system_value) in source_outcomes(gold.source, claim).items():
        report.source[name].add(correct)
        if not correct and name != "source":
            report.mistakes.append(Mistake(document, gold.sentence, name, gold_value, system_value))


def _tally_event(report: GoldReport, document: str, gold: GoldClaim, claim: Claim | None,
                 extraction: Extraction) -> None:
    event = claim.event if claim else None
    report.presence.add((gold.event is None) == (event is None))
    if gold.event is None:
        report.false_events += event is not None
        if event is not None:
            report.mistakes.append(Mistake(document, gold.sentence, "event", "None", str(event.sub_event_type)))
        return
    report.events += 1
    report.detected += event is not None
    for name, (correct, gold_value, system_value) in event_outcomes(gold.event, event, extraction).items():
        report.all[name].add(correct)
        if event is not None:
            report.matched[name].add(correct)
        if correct is False:
            report.mistakes.append(Mistake(document, gold.sentence, name, gold_value, system_value))


def report_dict(report: GoldReport, mistakes: bool = False) -> dict:
    """The report as JSON-ready data: headline figures, every score with its counts."""
    def scores(table: dict[str, Score]) -> dict:
        return {name: {"accuracy": round(score.accuracy, 4), "correct": score.correct, "n": score.total}
                for name, score in table.items()}

    precision, recall, f1 = report.detection
    data = {
        "gold": report.path, "documents": report.documents, "claims": report.claims,
        "gold_events": report.events, "unaligned": report.unaligned,
        "headline": {"source_accuracy": round(report.source_accuracy, 4),
                     "status_accuracy": round(report.status_accuracy, 4)},
        "source": scores(report.source),
        "event_presence": {"accuracy": round(report.presence.accuracy, 4), "precision": round(precision, 4),
                           "recall": round(recall, 4), "f1": round(f1, 4)},
        "events_all": scores(report.all),
        "events_matched": scores(report.matched),
        "calibration": {str(confidence): {"accuracy": round(score.accuracy, 4), "n": score.total}
                        for confidence, score in sorted(report.calibration.items())},
    }
    if mistakes:
        data["mistakes"] = [mistake.__dict__ for mistake in report.mistakes]
    return data
