"""Geoparsing measured against GeoWebNews and LGL (measuring only; never tuned on).

Corpora (``../shared/data/eval/geoparsing_gritta``):
- GeoWebNews (``GWN.xml``, Gritta et al. 2019): 200 articles whose text sits inside the XML; toponym
  offsets index that text (``Geocoding/files/N`` holds the same texts; the BRAT ``GeoWebNews/N.txt``
  files carry a title line, so their offsets differ). A handful of annotations (5 of 6,612, all in one
  article) name other words than their offsets cover; they are dropped and counted.
- LGL (``Corpora/lgl.xml``, Lieberman et al. 2010): 588 local-news articles; every toponym counts, and
  its ``gaztag`` gives the GeoNames id and coordinates (626 toponyms have none).

Which GeoWebNews types count (after the paper's own split of its taxonomy, which calls Literal,
Literal_Modifier, Mixed, Coercion and Embedded_Literal *literal*, and Metonymic, Non_Literal_Modifier,
Embedded_Non_Lit, Demonym, Language and Homonym *associative*):
- gold toponyms, for recognition and resolution alike: the five literal types and the three
  associative types that name a place and carry its coordinates (Metonymic, Non_Literal_Modifier,
  Embedded_Non_Lit). A system that finds "Turkey" in "Turkey said" or "Irish" in "Irish voters" has
  found a toponym, as the paper counts it; per-type recall is reported so literal ones can be read apart.
- ignored ("don't care"): Demonym and Language. They name peoples and tongues, not places, and have no
  coordinates; a prediction on them is neither a hit nor a false alarm.
- not toponyms: Homonym, Non_Toponym and the cue-word types (Literal_Expression, Non_Lit_Expression).
  A prediction on them is a false positive.
When two annotations share a span, the span counts if either one counts.

Counting rules:
- Recognition: exact match needs equal (start, end); overlap match pairs each gold mention with at most
  one overlapping prediction (one to one, left to right). Predictions of kind "demonym" are hits when
  they match a gold toponym and are otherwise left out, since the system itself marks them as no place.
- Resolution: a gold mention without coordinates is skipped. An unresolved mention counts as wrong for
  acc@161 and for id accuracy; the median error is over resolved mentions only (and says how many).
  Id accuracy is over gold mentions that carry a GeoNames id.
- End to end, resolution is scored over the gold mentions that an overlap match recognised.
- Baseline: the most populous gazetteer entry whose name equals the mention text (case-insensitive);
  end to end it resolves the spans that sitrep recognised, so only the resolution differs.
- Coverage: a gold place is covered when the gazetteer holds an entry under the mention's text within
  161 km of the gold point: an uncovered miss is a gazetteer gap, a covered miss a ranking error.
"""

from __future__ import annotations

import math
import statistics
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from sitrep.errors import InputError
from sitrep.models import Place

# Gritta et al.'s acc@161: 161 km is 100 miles, the customary tolerance of geocoding evaluation.
ACCURACY_KM = 161.0
EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)

GWN_FILE = "GWN.xml"
LGL_FILE = "lgl.xml"
CORPORA = ("gwn", "lgl")
GWN_TOPONYM_TYPES = frozenset({
    "Literal", "Literal_Modifier", "Mixed", "Coercion", "Embedded_Literal",  # literal
    "Metonymic", "Non_Literal_Modifier", "Embedded_Non_Lit",  # associative, naming a place
})
GWN_IGNORED_TYPES = frozenset({"Demonym", "Language"})

Span = tuple[int, int]


@dataclass(frozen=True)
class GoldMention:
    start: int
    end: int
    name: str
    type: str = "toponym"
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None

    @property
    def span(self) -> Span:
        return (self.start, self.end)

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True)
class Article:
    id: str
    text: str
    mentions: list[GoldMention]  # gold toponyms, in text order
    ignored: list[Span] = field(default_factory=list)  # spans neither rewarded nor punished
    others: list[tuple[int, int, str]] = field(default_factory=list)  # other annotations: (start, end, type)


@dataclass(frozen=True)
class Corpus:
    name: str
    path: Path
    articles: list[Article]
    dropped: int = 0  # annotations whose offsets do not cover their own words


class System(Protocol):
    """What evaluation needs of a geoparser; ``sitrep.pipeline.Pipeline`` plus its gazetteer fits."""

    def geoparse(self, text: str) -> list[Place]: ...

    def resolve(self, text: str, spans: list[Span]) -> list[Place]: ...


class SitrepSystem:
    """sitrep's geoparser as evaluation sees it: end to end through the pipeline (spaCy parse
    included), and given gold spans through ``resolve_mentions``, both on the pipeline's gazetteer."""

    def __init__(self, pipeline):
        self.pipeline = pipeline
        self.gazetteer = pipeline.gazetteer

    def geoparse(self, text: str) -> list[Place]:
        return self.pipeline.geoparse(text)

    def resolve(self, text: str, spans: list[Span]) -> list[Place]:
        from sitrep.extract.geoparse import resolve_mentions

        return resolve_mentions(text, spans, self.gazetteer)


# ---------------------------------------------------------------- metrics (pure)

def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def match_exact(gold: list[Span], predicted: list[Span]) -> list[tuple[int, int]]:
    """(gold index, predicted index) pairs with identical spans, one to one."""
    free = {}
    for index, span in enumerate(predicted):
        free.setdefault(span, []).append(index)
    pairs = []
    for gold_index, span in enumerate(gold):
        if free.get(span):
            pairs.append((gold_index, free[span].pop(0)))
    return pairs


def match_overlap(gold: list[Span], predicted: list[Span]) -> list[tuple[int, int]]:
    """(gold index, predicted index) pairs of overlapping spans, one to one: each gold span takes the
    first free prediction that overlaps it, in text order, preferring an exact one."""
    used: set[int] = set()
    pairs = []
    for gold_index, span in enumerate(gold):
        touching = [i for i, other in enumerate(predicted) if i not in used and overlaps(span, other)]
        if touching:
            exact = [i for i in touching if predicted[i] == span]
            chosen = (exact or sorted(touching, key=lambda i: predicted[i]))[0]
            used.add(chosen)
            pairs.append((gold_index, chosen))
    return pairs


def prf(true_positives: int, predicted: int, gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1; 0 where a denominator is 0."""
    precision = true_positives / predicted if predicted else 0.0
    recall = true_positives / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def median(values: Iterable[float]) -> float | None:
    values = list(values)
    return statistics.median(values) if values else None


# ---------------------------------------------------------------- readers

def read_corpus(name: str, path: Path, limit: int | None = None) -> Corpus:
    """The corpus ``name`` (gwn or lgl) from its XML file or a folder that holds it."""
    readers = {"gwn": (GWN_FILE, _read_gwn), "lgl": (LGL_FILE, _read_lgl)}
    if name not in readers:
        raise InputError(name, f"unknown corpus; use one of: {', '.join(CORPORA)}")
    filename, reader = readers[name]
    file = _find_file(Path(path), filename)
    root = _parse_xml(file)
    articles, dropped = [], 0
    for element in root.iter("article"):
        if limit is not None and len(articles) >= limit:
            break
        article, bad = reader(element, f"{file}#{len(articles)}")
        articles.append(article)
        dropped += bad
    if not articles or (dropped and not any(article.mentions for article in articles)):
        raise InputError(str(file), f"no readable <article> or <toponym>; is this the {name} corpus?")
    return Corpus(name, file, articles, dropped)


def _find_file(path: Path, filename: str) -> Path:
    if path.is_file():
        return path
    for candidate in (path / filename, path / "Corpora" / filename):
        if candidate.is_file():
            return candidate
    raise InputError(str(path), f"no {filename} here; pass the file or the folder that holds it")


def _parse_xml(file: Path) -> ET.Element:
    try:
        return ET.parse(file).getroot()
    except (OSError, ET.ParseError) as error:
        raise InputError(str(file), f"cannot read the corpus XML ({error})") from None


def _read_gwn(element: ET.Element, source: str) -> tuple[Article, int]:
    text = element.findtext("text") or ""
    counted: dict[Span, GoldMention] = {}
    ignored: set[Span] = set()
    others: set[tuple[int, int, str]] = set()
    dropped = 0
    for toponym in element.iter("toponym"):
        mention = _gwn_mention(toponym, source)
        if mention is None:
            continue
        if text[mention.start:mention.end] != mention.name:
            dropped += 1
        elif mention.type in GWN_TOPONYM_TYPES:
            counted.setdefault(mention.span, mention)
        elif mention.type in GWN_IGNORED_TYPES:
            ignored.add(mention.span)
        else:
            others.add((mention.start, mention.end, mention.type))
    ignored -= set(counted)
    mentions = sorted(counted.values(), key=lambda m: m.span)
    return Article(element.get("file", source), text, mentions, sorted(ignored), sorted(others)), dropped


def _gwn_mention(toponym: ET.Element, source: str) -> GoldMention | None:
    start, end = _int(toponym.findtext("start"), source), _int(toponym.findtext("end"), source)
    if start is None or end is None:
        raise InputError(source, "a <toponym> lacks numeric <start>/<end>")
    return GoldMention(start, end, toponym.findtext("extractedName") or "", toponym.findtext("type") or "",
                       _float(toponym.findtext("latitude")), _float(toponym.findtext("longitude")),
                       _int(toponym.findtext("geonamesID"), source))


def _read_lgl(element: ET.Element, source: str) -> tuple[Article, int]:
    text = element.findtext("text") or ""
    mentions, dropped = [], 0
    for toponym in element.iter("toponym"):
        start, end = _int(toponym.findtext("start"), source), _int(toponym.findtext("end"), source)
        phrase = toponym.findtext("phrase") or ""
        if start is None or end is None or text[start:end] != phrase:
            dropped += 1
            continue
        gaztag = toponym.find("gaztag")
        lat = lon = geonameid = None
        if gaztag is not None:
            lat, lon = _float(gaztag.findtext("lat")), _float(gaztag.findtext("lon"))
            geonameid = _int(gaztag.get("geonameid"), source)
        mentions.append(GoldMention(start, end, phrase, "toponym", lat, lon, geonameid))
    mentions.sort(key=lambda m: m.span)
    return Article(element.get("docid", source), text, mentions), dropped


def _int(value: str | None, source: str) -> int | None:
    if value is None or not value.strip():
        return None
    try:
        return int(value)
    except ValueError:
        raise InputError(source, f"{value!r} is not a whole number") from None


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value and value.strip() else None
    except ValueError:
        return None


# ---------------------------------------------------------------- baseline and coverage

def most_populous(gazetteer, name: str):
    """The baseline's choice: the most populous entry named exactly ``name``, or None."""
    entries = [e for e in gazetteer.candidates(name.strip()) if e.lat is not None and e.lon is not None]
    return max(entries, key=lambda e: e.population or 0, default=None)


def baseline_places(text: str, spans: list[Span], gazetteer) -> list[Place]:
    """One Place per span, resolved by ``most_populous``; unresolved when no entry has the name."""
    places = []
    for start, end in spans:
        mention = text[start:end]
        entry = most_populous(gazetteer, mention)
        if entry is None:
            places.append(Place(mention=mention, start=start, end=end, unresolved="no entry of that name"))
        else:
            places.append(Place(mention=mention, start=start, end=end, geonameid=entry.geonameid,
                                name=entry.name, feature=entry.feature, lat=entry.lat, lon=entry.lon))
    return places


def is_covered(gazetteer, mention: GoldMention) -> bool:
    """Whether some entry under the mention's words lies within ACCURACY_KM of the gold point."""
    return any(e.lat is not None and e.lon is not None
               and haversine_km(mention.lat, mention.lon, e.lat, e.lon) <= ACCURACY_KM
               for e in gazetteer.candidates(mention.name.strip()))


# ---------------------------------------------------------------- scores

@dataclass(frozen=True)
class Recognition:
    gold: int
    predicted: int
    exact: int  # true positives, exact spans
    overlap: int  # true positives, overlapping spans

    @property
    def exact_prf(self) -> tuple[float, float, float]:
        return prf(self.exact, self.predicted, self.gold)

    @property
    def overlap_prf(self) -> tuple[float, float, float]:
        return prf(self.overlap, self.predicted, self.gold)


@dataclass(frozen=True)
class Resolution:
    mentions: int  # gold mentions with coordinates scored
    within: int  # resolved within ACCURACY_KM
    resolved: int
    with_id: int
    id_correct: int
    median_km: float | None

    @property
    def acc161(self) -> float:
        return self.within / self.mentions if self.mentions else 0.0

    @property
    def id_accuracy(self) -> float:
        return self.id_correct / self.with_id if self.with_id else 0.0


def score_resolution(pairs: Iterable[tuple[GoldMention, Place]]) -> Resolution:
    """Resolution figures over (gold, predicted) pairs; gold mentions without a point are skipped."""
    mentions = within = with_id = id_correct = 0
    errors: list[float] = []
    for gold, place in pairs:
        if not gold.has_point:
            continue
        mentions += 1
        if place.lat is not None and place.lon is not None:
            errors.append(haversine_km(gold.lat, gold.lon, place.lat, place.lon))
            within += errors[-1] <= ACCURACY_KM
        if gold.geonameid is not None:
            with_id += 1
            id_correct += place.geonameid == gold.geonameid
    return Resolution(mentions, within, len(errors), with_id, id_correct, median(errors))


@dataclass(frozen=True)
class GeoparseReport:
    corpus: str
    articles: int
    dropped: int
    recognition: Recognition
    type_recall: dict[str, tuple[int, int]]  # gold type -> (recognised by overlap, gold)
    false_positives: dict[str, int]  # unmatched predictions by the annotation they overlap, or "unannotated"
    ignored_predictions: int  # on ignored spans, or demonyms matching no gold toponym
    resolution: dict[str, Resolution]  # "sitrep|baseline" x "gold|end_to_end|covered"
    coverage: tuple[int, int]  # (covered, gold mentions with a point)

    @property
    def coverage_share(self) -> float:
        covered, total = self.coverage
        return covered / total if total else 0.0


# ---------------------------------------------------------------- evaluation

@dataclass
class _Tally:
    gold: int = 0
    predicted: int = 0
    exact: int = 0
    overlap: int = 0
    ignored: int = 0
    types: dict[str, list[int]] = field(default_factory=dict)
    false_positives: dict[str, int] = field(default_factory=dict)
    pairs: dict[str, list[tuple[GoldMention, Place]]] = field(default_factory=dict)
    covered: list[bool] = field(default_factory=list)  # aligned with the "*/gold" pairs

    def add_pairs(self, key: str, gold: Iterable[GoldMention], places: Iterable[Place]) -> None:
        self.pairs.setdefault(key, []).extend(zip(gold, places, strict=True))


def evaluate(corpus: Corpus, system: System, gazetteer,
             progress: Callable[[Article], None] | None = None) -> GeoparseReport:
    """Every figure for ``corpus``. Per article: (1) resolve the gold spans, with sitrep and the
    baseline; (2) check gazetteer coverage of each gold point; (3) geoparse end to end and match the
    predictions to the gold spans; (4) score the matched mentions' resolution, sitrep and baseline
    (on sitrep's spans)."""
    tally = _Tally()
    for article in corpus.articles:
        _given_gold(article, system, gazetteer, tally)
        _end_to_end(article, system, gazetteer, tally)
        if progress:
            progress(article)
    return _report(corpus, tally)


def _given_gold(article: Article, system: System, gazetteer, tally: _Tally) -> None:
    spans = [m.span for m in article.mentions]
    tally.add_pairs("sitrep/gold", article.mentions, system.resolve(article.text, spans) if spans else [])
    tally.add_pairs("baseline/gold", article.mentions, baseline_places(article.text, spans, gazetteer))
    tally.covered.extend(m.has_point and is_covered(gazetteer, m) for m in article.mentions)


def _end_to_end(article: Article, system: System, gazetteer, tally: _Tally) -> None:
    places = _scored_predictions(article, system.geoparse(article.text), tally)
    gold_spans = [m.span for m in article.mentions]
    spans = [(p.start, p.end) for p in places]
    overlap = match_overlap(gold_spans, spans)
    tally.gold += len(gold_spans)
    tally.predicted += len(places)
    tally.exact += len(match_exact(gold_spans, spans))
    tally.overlap += len(overlap)
    matched = {g for g, _ in overlap}
    _count_false_positives(article, [p for i, p in enumerate(spans) if i not in {j for _, j in overlap}], tally)
    for index, mention in enumerate(article.mentions):
        counts = tally.types.setdefault(f"type:{mention.type}", [0, 0])
        counts[0] += index in matched
        counts[1] += 1
    gold = [article.mentions[g] for g, _ in overlap]
    chosen = [places[p] for _, p in overlap]
    tally.add_pairs("sitrep/end_to_end", gold, chosen)
    tally.add_pairs("baseline/end_to_end", gold,
                    baseline_places(article.text, [(p.start, p.end) for p in chosen], gazetteer))


def _count_false_positives(article: Article, spans: list[Span], tally: _Tally) -> None:
    """Why a prediction matched nothing: the corpus annotated its words as no toponym (a Non_Toponym,
    a Homonym, a cue word), or annotated nothing there."""
    for span in spans:
        kind = next((kind for start, end, kind in article.others if overlaps(span, (start, end))), "unannotated")
        tally.false_positives[kind] = tally.false_positives.get(kind, 0) + 1


def _scored_predictions(article: Article, places: list[Place], tally: _Tally) -> list[Place]:
    """The predictions that recognition scores: those on ignored spans, and demonyms that touch no
    gold toponym, are left out (and counted)."""
    gold = [m.span for m in article.mentions]
    kept = []
    for place in places:
        span = (place.start, place.end)
        on_ignored = any(overlaps(span, other) for other in article.ignored)
        stray_demonym = place.kind == "demonym" and not any(overlaps(span, other) for other in gold)
        if (on_ignored and not any(overlaps(span, other) for other in gold)) or stray_demonym:
            tally.ignored += 1
        else:
            kept.append(place)
    return kept


def _report(corpus: Corpus, tally: _Tally) -> GeoparseReport:
    resolution = {key: score_resolution(pairs) for key, pairs in tally.pairs.items()}
    for system in ("sitrep", "baseline"):
        pairs = tally.pairs.get(f"{system}/gold", [])
        resolution[f"{system}/covered"] = score_resolution(
            pair for pair, covered in zip(pairs, tally.covered, strict=True) if covered)
    pointed = sum(m.has_point for article in corpus.articles for m in article.mentions)
    type_recall = {key.removeprefix("type:"): (hit, total) for key, (hit, total) in sorted(tally.types.items())}
    return GeoparseReport(corpus.name, len(corpus.articles), corpus.dropped,
                          Recognition(tally.gold, tally.predicted, tally.exact, tally.overlap), type_recall,
                          dict(sorted(tally.false_positives.items())), tally.ignored, resolution,
                          (sum(tally.covered), pointed))


def report_dict(report: GeoparseReport) -> dict:
    """The report as plain JSON-ready data (``--format json``)."""
    recognition = report.recognition
    return {
        "corpus": report.corpus, "articles": report.articles, "dropped_annotations": report.dropped,
        "recognition": {
            "gold": recognition.gold, "predicted": recognition.predicted,
            "ignored_predictions": report.ignored_predictions,
            "exact": dict(zip(("precision", "recall", "f1"), recognition.exact_prf, strict=True)),
            "overlap": dict(zip(("precision", "recall", "f1"), recognition.overlap_prf, strict=True)),
            "recall_by_type": {t: {"recognised": hit, "gold": total} for t, (hit, total) in
                               report.type_recall.items()},
            "false_positives": report.false_positives,
        },
        "resolution": {key: {"mentions": r.mentions, "acc161": r.acc161, "resolved": r.resolved,
                             "with_id": r.with_id, "id_accuracy": r.id_accuracy, "median_km": r.median_km}
                       for key, r in report.resolution.items()},
        "coverage": {"covered": report.coverage[0], "gold_points": report.coverage[1],
                     "share": report.coverage_share},
    }
