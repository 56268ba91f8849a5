"""Claims measured against real reporting: the ISW gold set, ``tests/gold/isw/annotations.jsonl``.

The gold set is standoff: each line names a report of the ISW corpus (``../shared``), a sentence by its
character offsets into the report's ``text`` exactly as the corpus file gives it, and that sentence's
events and source. No report text is kept in the repository; it is read at run time. Conventions and
counts: ``tests/gold/isw/README.md``.

The split is fixed: only reports whose day of month is 3, 8, 13, 18, 23 or 28 hold gold sentences;
``dev`` is days 3, 13 and 23, ``test`` days 8, 18 and 28 (other reports train other models).

Counting rules:
- Alignment. The pipeline cleans a report before it finds claims (CRLF to LF, curly to straight
  quotes, collapsed spaces), so claim offsets refer to the cleaned text. A gold sentence is carried
  over by normalising it as cleaning does and taking its k-th occurrence in the cleaned text when it
  is the k-th occurrence in the raw text (cleaning keeps order and drops no sentence of these
  reports). A sentence not found is counted as ``unlocated`` and scored as one with no claim.
- Claims to sentences. A system claim belongs to the gold sentence that its [start, end) overlaps
  most (ties: the first). Claims that overlap no gold sentence are not scored (those sentences are not
  annotated). One sentence may hold several claims, one per event predicate.
- Source. Per gold sentence, the claim of that sentence that overlaps it most gives the system source;
  name (``claims.names_match``: containment or one known speaker), kind and side are each scored over
  all gold sentences; a sentence without a claim counts wrong.
- Events. The system events of a sentence are the events of its claims. Gold and system events of one
  sentence are paired greedily by agreement (sub-type, event type, place, status, actor1 side, in that
  weight order); every pair counts as a detection, so a sentence with two gold and three system
  events has two true positives. Unpaired gold events are misses (recall). Unpaired system events are
  false positives, except a system event whose status is ``assessment``, ``planned`` or
  ``hypothetical`` on a sentence where the gold set lists no event: the gold convention leaves vague
  forecasts and assessments without events, so such an event is neither right nor wrong and is
  counted as ``excused``. Likewise an unpaired system event that repeats a paired event of the sentence
  (trigger, sub-type, status and date) at another place is counted as ``listed``: sitrep gives one
  claim per place of a list ("shelled A, B and C"), the gold codes the event once, at the first place.
- Fields of a paired event (``matched`` scope, each with its count): sub-type, event type, status,
  actor1 side (a null gold side wants no system actor1), place, date.
- Place. A gold place with coordinates is right when the system place (``Event.place`` indexes the
  record's places) has the same GeoNames id or lies within 10 km of it; a gold place without
  coordinates (outside the Ukrainian dump: Belgorod Oblast, a hamlet GeoNames lacks) by name, case,
  accents, apostrophes and hyphens aside; a null gold place (no location finer than the country) wants
  no system place or a country-level one (precision 4).
- Date. Scored where the gold date is not null: right when the system date has the same start and end
  day; a system event without a date is wrong.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from sitrep.errors import InputError
from sitrep.evaluation.jsonlines import read_records
from sitrep.evaluation.claims import ACLED_SUBTYPES, Score, names_match, normalise_place
from sitrep.models import DatePrecision, Document, Extraction, Side, SourceKind, Status

DEFAULT_GOLD = Path("tests/gold/isw/annotations.jsonl")
DEFAULT_REPORTS = Path("../shared/data/corpora/isw-2022-h1/reports.jsonl")
SPLIT_DAYS: dict[str, tuple[int, ...]] = {"dev": (3, 13, 23), "test": (8, 18, 28)}
SPLITS = tuple(SPLIT_DAYS)
PLACE_KM = 10.0
# Statuses the gold convention may leave unannotated on an eventless sentence (see the module docstring).
EXCUSABLE = frozenset({"assessment", "planned", "hypothetical"})
SIDES = frozenset(get_args(Side))
STATUSES = frozenset(get_args(Status))
KINDS = frozenset(get_args(SourceKind))
PRECISIONS = frozenset(get_args(DatePrecision))
PLACE_ROLES = frozenset({"location"})
SOURCE_FIELDS = ("source_name", "source_kind", "source_side")
EVENT_FIELDS = ("sub_event_type", "event_type", "status", "actor1_side", "place", "date")
_DOC_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})$")


# ------------------------------------------------------------------ the gold set

@dataclass(frozen=True)
class GoldSentence:
    doc: str
    start: int
    end: int
    split: str
    events: tuple[dict, ...]
    source: dict
    line: int = 0


def split_of(doc: str) -> str | None:
    """The fixed split of a report id ending in its date (``isw-2022-04-08`` -> test); None outside it."""
    match = _DOC_DAY.search(doc)
    if not match:
        return None
    day = int(match.group(3))
    return next((name for name, days in SPLIT_DAYS.items() if day in days), None)


def read_gold(path: Path | str = DEFAULT_GOLD) -> list[GoldSentence]:
    """The annotation lines; a line that is not a JSON object with the fields is an InputError."""
    return read_records(path, _gold_sentence, "gold sentence", "pass --gold PATH")


def _gold_sentence(record: dict, line: int) -> GoldSentence:
    return GoldSentence(doc=str(record["doc"]), start=int(record["start"]), end=int(record["end"]),
                        split=str(record["split"]), events=tuple(record["events"]), source=dict(record["source"]),
                        line=line)


def read_reports(path: Path | str = DEFAULT_REPORTS, ids: Iterable[str] | None = None) -> dict[str, dict]:
    """The corpus records by id (only ``ids`` when given)."""
    path = Path(path)
    wanted = set(ids) if ids is not None else None
    reports: dict[str, dict] = {}
    try:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    continue
                record = json.loads(line)
                if wanted is None or record.get("id") in wanted:
                    reports[record["id"]] = record
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(str(path), f"cannot read the ISW reports ({error}); pass --reports PATH") from None
    return reports


def check_gold(gold: list[GoldSentence], reports: dict[str, dict]) -> list[str]:
    """Every problem of the annotations against the corpus, one line each (empty: all good)."""
    problems: list[str] = []
    by_doc: dict[str, list[GoldSentence]] = {}
    for item in gold:
        where = f"line {item.line} ({item.doc} {item.start}-{item.end})"
        by_doc.setdefault(item.doc, []).append(item)
        expected = split_of(item.doc)
        if expected is None:
            problems.append(f"{where}: report outside the fixed gold days (3, 8, 13, 18, 23, 28)")
        elif item.split != expected:
            problems.append(f"{where}: split {item.split!r}, the rule says {expected!r}")
        report = reports.get(item.doc)
        if report is None:
            problems.append(f"{where}: no such report in the corpus")
        else:
            text = report["text"]
            if not 0 <= item.start < item.end <= len(text):
                problems.append(f"{where}: offsets outside the text ({len(text)} characters)")
            elif text[item.start:item.end] != text[item.start:item.end].strip():
                problems.append(f"{where}: the span starts or ends with white space")
            elif "\n" in text[item.start:item.end]:
                problems.append(f"{where}: the span crosses a line break")
        problems.extend(f"{where}: {message}" for message in label_problems(item))
    for doc, items in by_doc.items():
        items = sorted(items, key=lambda item: item.start)
        for before, after in zip(items, items[1:]):
            if after.start < before.end:
                problems.append(f"{doc}: sentences {before.start}-{before.end} and {after.start}-{after.end} overlap")
    return problems


def label_problems(item: GoldSentence) -> list[str]:
    problems = []
    source = item.source
    if not (isinstance(source.get("name"), str) and source["name"].strip()):
        problems.append("source without a name")
    if source.get("kind") not in KINDS:
        problems.append(f"source kind {source.get('kind')!r} is not one of {sorted(KINDS)}")
    if source.get("side") not in SIDES:
        problems.append(f"source side {source.get('side')!r} is not one of {sorted(SIDES)}")
    for event in item.events:
        subtype = event.get("sub_event_type")
        if ACLED_SUBTYPES.get(subtype) is None:
            problems.append(f"{subtype!r} is not one of ACLED's 25 sub-event types")
        elif ACLED_SUBTYPES[subtype] != event.get("event_type"):
            problems.append(f"{subtype!r} belongs to {ACLED_SUBTYPES[subtype]!r}, not {event.get('event_type')!r}")
        if event.get("status") not in STATUSES:
            problems.append(f"status {event.get('status')!r}")
        for side in ("actor1_side", "actor2_side"):
            if event.get(side) is not None and event.get(side) not in SIDES:
                problems.append(f"{side} {event.get(side)!r}")
        place = event.get("place")
        if place is not None:
            if not place.get("name") or place.get("role") not in PLACE_ROLES:
                problems.append(f"place {place!r} needs a name and role 'location'")
            lat, lon = place.get("lat"), place.get("lon")
            if (lat is None) != (lon is None) or (lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180)):
                problems.append(f"place {place.get('name')!r} has bad coordinates")
        date = event.get("date")
        if date is not None:
            try:
                start, end = dt.date.fromisoformat(date["start"]), dt.date.fromisoformat(date["end"])
                if end < start or date.get("precision") not in PRECISIONS:
                    problems.append(f"date {date!r}")
            except (KeyError, TypeError, ValueError):
                problems.append(f"date {date!r}")
    return problems


def report_document(record: dict, path: Path | str) -> Document:
    """The Document the JSON Lines reader makes from a corpus line."""
    from sitrep.ingest.document import make_document

    published = record.get("published")
    return make_document(record["text"], f"{Path(path).name}#id={record['id']}",
                         published=dt.date.fromisoformat(published[:10]) if published else None,
                         title=record.get("title") or None, outlet=record.get("outlet") or None,
                         url=record.get("url") or None, channel=record.get("channel") or None)


# ------------------------------------------------------------------ alignment

def locate_clean(raw: str, start: int, end: int, cleaned: str) -> tuple[int, int] | None:
    """Offsets in the cleaned text of the raw span [start, end) (see the module docstring)."""
    from sitrep.extract.clean import normalise

    sentence = raw[start:end]
    nth = _occurrence(raw, sentence, start)
    for candidate in dict.fromkeys((normalise(sentence), sentence)):
        if not candidate:
            continue
        found = [match.start() for match in re.finditer(re.escape(candidate), cleaned)]
        if found:
            position = found[min(nth, len(found) - 1)]
            return position, position + len(candidate)
    return None


def _occurrence(text: str, sentence: str, start: int) -> int:
    """How many times ``sentence`` occurs in ``text`` before ``start``."""
    count, position = 0, text.find(sentence)
    while 0 <= position < start:
        count += 1
        position = text.find(sentence, position + 1)
    return count


def assign_claims(spans: list[tuple[int, int] | None], claims: list) -> list[list]:
    """For each gold span, its claims: each claim goes to the span it overlaps most (ties: the first)."""
    assigned: list[list] = [[] for _ in spans]
    for claim in claims:
        best, best_overlap = None, 0
        for index, span in enumerate(spans):
            if span is None:
                continue
            overlap = min(span[1], claim.end) - max(span[0], claim.start)
            if overlap > best_overlap:
                best, best_overlap = index, overlap
        if best is not None:
            assigned[best].append(claim)
    return assigned


# ------------------------------------------------------------------ scores

@dataclass(frozen=True)
class Mistake:
    doc: str
    start: int
    end: int
    field: str
    gold: str
    system: str


@dataclass
class RealReport:
    gold_path: str
    reports_path: str
    split: str
    reports: int = 0
    sentences: int = 0
    unlocated: int = 0  # gold sentences not found in the cleaned text
    unaligned: int = 0  # gold sentences that no system claim overlaps
    gold_events: int = 0
    system_events: int = 0  # events on claims of gold sentences
    matched: int = 0  # paired gold and system events (true positives)
    false_positives: int = 0
    excused: int = 0  # non-asserted system events on sentences without gold events
    listed: int = 0  # further places of a listed event the gold codes once (neither right nor wrong)
    source: dict[str, Score] = field(default_factory=lambda: {name: Score() for name in SOURCE_FIELDS})
    events: dict[str, Score] = field(default_factory=lambda: {name: Score() for name in EVENT_FIELDS})
    mistakes: list[Mistake] = field(default_factory=list)

    @property
    def precision(self) -> float:
        predicted = self.matched + self.false_positives
        return self.matched / predicted if predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold_events if self.gold_events else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _system_place(event, extraction: Extraction):
    index = getattr(event, "place", None)
    places = getattr(extraction, "places", None) or []
    if isinstance(index, int) and 0 <= index < len(places):
        return places[index]
    return None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((phi2 - phi1) / 2) ** 2
         + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, a)))


def place_outcome(gold: dict | None, place) -> tuple[bool, str, str]:
    """(right, gold shown, system shown) for one paired event's place."""
    shown = "None" if place is None else (getattr(place, "name", None) or getattr(place, "mention", "?"))
    if gold is None:
        return place is None or getattr(place, "precision", None) == 4, "None", shown
    wanted = gold.get("name") or "?"
    if place is None:
        return False, wanted, shown
    gid = getattr(place, "geonameid", None)
    if gold.get("geonameid") is not None and gid == gold["geonameid"]:
        return True, wanted, shown
    names = {normalise_place(getattr(place, "name", None) or ""), normalise_place(getattr(place, "mention", ""))}
    if gold.get("geonameid") is None and normalise_place(wanted) in names:
        # A place the annotator could not look up keeps estimated coordinates, if any: its name decides
        # ("Bryansk Oblast" is GeoNames' "Bryanskaya oblast'", whose centroid lies elsewhere).
        return True, wanted, shown
    lat, lon = getattr(place, "lat", None), getattr(place, "lon", None)
    if gold.get("lat") is not None and lat is not None and lon is not None:
        distance = haversine_km(gold["lat"], gold["lon"], lat, lon)
        return distance <= PLACE_KM, wanted, f"{shown} ({distance:.0f} km)"
    return False, wanted, shown


def event_outcomes(gold: dict, event, extraction: Extraction) -> dict[str, tuple[bool | None, str, str]]:
    """Per field of a paired event: (right, or None where not scored; gold shown; system shown)."""
    actor1 = getattr(event, "actor1", None)
    system_side = getattr(actor1, "side", None) if actor1 is not None else None
    outcomes: dict[str, tuple[bool | None, str, str]] = {
        "sub_event_type": _pair(gold["sub_event_type"], getattr(event, "sub_event_type", None)),
        "event_type": _pair(gold["event_type"], getattr(event, "event_type", None)),
        "status": _pair(gold["status"], getattr(event, "status", None)),
        "actor1_side": _pair(gold.get("actor1_side"), system_side),
        "place": place_outcome(gold.get("place"), _system_place(event, extraction)),
    }
    wanted = gold.get("date")
    if wanted is None:
        outcomes["date"] = (None, "None", "")
    else:
        shown_gold = f"{wanted['start']}..{wanted['end']}"
        date = getattr(event, "date", None)
        if date is None:
            outcomes["date"] = (False, shown_gold, "None")
        else:
            right = str(date.start) == wanted["start"] and str(date.end) == wanted["end"]
            outcomes["date"] = (right, shown_gold, f"{date.start}..{date.end}")
    return outcomes


def _pair(gold, system) -> tuple[bool, str, str]:
    return gold == system, str(gold), str(system)


def _agreement(outcomes: dict[str, tuple[bool | None, str, str]]) -> int:
    weights = {"sub_event_type": 16, "event_type": 8, "place": 4, "status": 2, "actor1_side": 1}
    return sum(weight for name, weight in weights.items() if outcomes[name][0])


def pair_events(gold_events: list[dict], system_events: list, extraction: Extraction) -> list[tuple[int, int, dict]]:
    """Greedy pairs (gold index, system index, outcomes), best agreement first; ties in text order."""
    candidates = []
    for g, gold in enumerate(gold_events):
        for s, event in enumerate(system_events):
            outcomes = event_outcomes(gold, event, extraction)
            candidates.append((-_agreement(outcomes), g, s, outcomes))
    candidates.sort(key=lambda item: item[:3])
    pairs, used_gold, used_system = [], set(), set()
    for _, g, s, outcomes in candidates:
        if g not in used_gold and s not in used_system:
            used_gold.add(g)
            used_system.add(s)
            pairs.append((g, s, outcomes))
    return pairs


def score_report(report: RealReport, sentences: list[GoldSentence], raw: str, extraction: Extraction) -> None:
    """Add one report's gold sentences to the tallies."""
    cleaned = extraction.document.text
    spans = [locate_clean(raw, item.start, item.end, cleaned) for item in sentences]
    claims = sorted(getattr(extraction, "claims", None) or [], key=lambda claim: (claim.start, claim.end))
    assigned = assign_claims(spans, claims)
    for item, span, own in zip(sentences, spans, assigned, strict=True):
        report.sentences += 1
        report.unlocated += span is None
        report.unaligned += not own
        _tally_source(report, item, span, own)
        _tally_events(report, item, own, extraction)


def _tally_source(report: RealReport, item: GoldSentence, span, claims: list) -> None:
    main = None
    if claims and span is not None:
        main = max(claims, key=lambda claim: min(span[1], claim.end) - max(span[0], claim.start))
    system = getattr(main, "source", None)
    gold = item.source
    outcomes = {
        "source_name": (system is not None and names_match(gold["name"], system.name), gold["name"],
                        system.name if system else "-"),
        "source_kind": (system is not None and system.kind == gold["kind"], gold["kind"],
                        system.kind if system else "-"),
        "source_side": (system is not None and system.side == gold["side"], gold["side"],
                        system.side if system else "-"),
    }
    for name, (right, wanted, shown) in outcomes.items():
        report.source[name].add(right)
        if not right:
            report.mistakes.append(Mistake(item.doc, item.start, item.end, name, str(wanted), str(shown)))


def _another_listed_place(event, paired: list) -> bool:
    """Whether an unpaired system event repeats a paired event of its sentence (same trigger, sub-type,
    status and date) at another place: "shelled A, B and C" gives one claim per place, while the gold
    convention codes one event at the first place named."""
    return any(getattr(event, "trigger", None) == getattr(other, "trigger", None)
               and getattr(event, "sub_event_type", None) == getattr(other, "sub_event_type", None)
               and getattr(event, "status", None) == getattr(other, "status", None)
               and getattr(event, "date", None) == getattr(other, "date", None)
               and getattr(event, "place", None) != getattr(other, "place", None) for other in paired)


def _tally_events(report: RealReport, item: GoldSentence, claims: list, extraction: Extraction) -> None:
    gold_events = list(item.events)
    system_events = [event for claim in claims if (event := getattr(claim, "event", None)) is not None]
    report.gold_events += len(gold_events)
    report.system_events += len(system_events)
    pairs = pair_events(gold_events, system_events, extraction)
    report.matched += len(pairs)
    paired_gold = {g for g, _, _ in pairs}
    paired_system = {s for _, s, _ in pairs}
    for g, gold in enumerate(gold_events):
        if g not in paired_gold:
            report.mistakes.append(Mistake(item.doc, item.start, item.end, "event missed",
                                           _describe_gold(gold), "no event"))
    for s, event in enumerate(system_events):
        if s in paired_system:
            continue
        if not gold_events and getattr(event, "status", None) in EXCUSABLE:
            report.excused += 1
            continue
        if _another_listed_place(event, [system_events[i] for i in paired_system]):
            report.listed += 1  # the one claim per listed place; the gold codes the first only
            continue
        report.false_positives += 1
        report.mistakes.append(Mistake(item.doc, item.start, item.end, "false event",
                                       "no event" if not gold_events else "fewer events",
                                       f"{getattr(event, 'sub_event_type', None)} ({getattr(event, 'status', None)})"))
    for _, _, outcomes in pairs:
        for name, (right, wanted, shown) in outcomes.items():
            report.events[name].add(right)
            if right is False:
                report.mistakes.append(Mistake(item.doc, item.start, item.end, name, wanted, shown))


def _describe_gold(gold: dict) -> str:
    place = (gold.get("place") or {}).get("name")
    return f"{gold['sub_event_type']} ({gold['status']})" + (f" @ {place}" if place else "")


# ------------------------------------------------------------------ the entry

def evaluate_realtext(pipeline, split: str = "test", gold_path: Path | str = DEFAULT_GOLD,
                      reports_path: Path | str = DEFAULT_REPORTS,
                      progress: Callable[[str], None] | None = None) -> RealReport:
    """Run ``pipeline`` (a sitrep.pipeline.Pipeline) over the reports holding ``split``'s gold sentences."""
    if split not in SPLITS:
        raise ValueError(f"split {split!r} is not one of {SPLITS}")
    gold = [item for item in read_gold(gold_path) if item.split == split]
    by_doc: dict[str, list[GoldSentence]] = {}
    for item in gold:
        by_doc.setdefault(item.doc, []).append(item)
    records = read_reports(reports_path, by_doc)
    missing = sorted(set(by_doc) - set(records))
    if missing:
        raise InputError(str(reports_path), f"reports missing from the corpus: {', '.join(missing)}")
    report = RealReport(gold_path=str(gold_path), reports_path=str(reports_path), split=split, reports=len(by_doc))
    ids = sorted(by_doc)
    documents = (report_document(records[doc], reports_path) for doc in ids)
    for doc, extraction in zip(ids, pipeline.pipe(documents), strict=True):
        score_report(report, sorted(by_doc[doc], key=lambda item: item.start), records[doc]["text"], extraction)
        if progress is not None:
            progress(doc)
    return report


def report_dict(report: RealReport, mistakes: int = 0, texts: dict[str, str] | None = None) -> dict[str, Any]:
    """The figures as JSON-ready data, every accuracy with its counts; and up to ``mistakes`` mistakes."""
    def scores(table: dict[str, Score]) -> dict:
        return {name: {"accuracy": round(score.accuracy, 4), "correct": score.correct, "n": score.total}
                for name, score in table.items()}

    data: dict[str, Any] = {
        "gold": report.gold_path, "reports_file": report.reports_path, "split": report.split,
        "reports": report.reports, "sentences": report.sentences, "unlocated": report.unlocated,
        "unaligned": report.unaligned,
        "events": {"gold": report.gold_events, "system": report.system_events, "matched": report.matched,
                   "false_positives": report.false_positives, "excused": report.excused, "listed": report.listed,
                   "precision": round(report.precision, 4), "recall": round(report.recall, 4),
                   "f1": round(report.f1, 4)},
        "matched_events": scores(report.events),
        "source": scores(report.source),
    }
    if mistakes:
        data["mistakes"] = [
            {**mistake.__dict__, **({"text": texts[mistake.doc][mistake.start:mistake.end]}
                                    if texts and mistake.doc in texts else {})}
            for mistake in report.mistakes[:mistakes]]
    return data
