"""Resolution: each mention to one gazetteer entry, ranked with the document as context, and an ACLED
precision code (1 the settlement, 2 near it or its district, 3 the region, 4 the country).

A candidate's score is the gazetteer's context-free prior (feature and population), plus a bonus when
the document names its country or its region, minus a penalty that grows with the distance to the
median point of the document's unambiguous places. So "Donetsk" in a report that names Ukraine is the
Ukrainian city, and a country focus comes only from the document itself: US news is not read as
Ukrainian news. A mention that cannot be resolved keeps null coordinates and says why.
"""

from __future__ import annotations

import math
import re
import unicodedata
import statistics
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml
from rapidfuzz import fuzz

from sitrep.errors import ConfigError
from sitrep.extract.geoparse import lookup
from sitrep.extract.geoparse.cyrillic import BRIDGE_COUNTRIES, fights_near, is_cyrillic_span
from sitrep.extract.geoparse.rules import rules
from sitrep.extract.geoparse.recognise import Mention
from sitrep.models import Place

# Bonus when the document names the candidate's country ("Ukraine", "Ukrainian", or a place found only
# there): worth a hundredfold population, so a named country beats a larger namesake elsewhere.
COUNTRY_NAMED_BONUS = 2.0
# Bonus when the document names the candidate's first-level region: stronger than the country's,
# because it narrows the choice further ("Andriivka" in a report on the Donetsk region).
REGION_NAMED_BONUS = 3.0
# Distance penalty: DISTANCE_WEIGHT * log10(1 + km / DISTANCE_SCALE_KM) from the median point of the
# unambiguous places: about 0.3 at 100 km, 1 at 1,000 km and 2 at 10,000 km.
DISTANCE_WEIGHT = 1.0
DISTANCE_SCALE_KM = 100.0
# Local context: settlements picked without context within LOCAL_WINDOW_CHARS of a mention (about a
# paragraph) pull its candidates toward them: LOCAL_WEIGHT * log10(1 + km / LOCAL_SCALE_KM) off the
# score, about 0.5 at 50 km and 1.1 at 300 km. A report that runs along the whole front (ISW's) has
# its document median somewhere in between; each paragraph is about one sector.
LOCAL_WINDOW_CHARS = 500
LOCAL_WEIGHT = 1.0
LOCAL_SCALE_KM = 25.0
# A candidate this close to that median point counts as supported by context.
NEAR_ANCHOR_KM = 300.0
# A mention informs the context only when its leading candidate beats the runner-up by this much on
# the prior alone (log10 units: thirtyfold population), or stands alone.
ANCHOR_MARGIN = 1.5
# Without any context, the leading candidate must beat the runner-up by this much (log10 units, about
# threefold population) or the mention is reported as ambiguous instead of guessed.
AMBIGUITY_MARGIN = 0.5
# A weak match (a capitalised word that spaCy does not call a place) stands on its own only if its
# entry's prior reaches this: with sitrep.gazetteer.index.prior, a town of 10,000 people (1 + 4), any
# seat of a first-level region above 100 people, every region and country.
NOTABLE_PRIOR = 5.0
# Penalty (log10 units) when the mention's name is only an alternate name of the candidate, not its own
# name (sitrep.gazetteer.index): a place's own name outranks another place's old, foreign or nickname
# ("Franklin" the Tennessee town, not a nickname of Columbus; "Cancun" not Changchun). 2.0 is a
# hundredfold population: an ordinary city of 1.5 million (1 + 6.2 - 2) under an alternate name loses to
# a town of 20,000 (1 + 4.3) that owns it, and beats a village of 1,000; a capital's extra feature bonus
# still carries it ("Salisbury" alone is Harare unless the text points to England). Set by this
# arithmetic, not tuned on the evaluation sets. UA, RU and BY places record no alternates.
ALTERNATE_NAME_PENALTY = 2.0
EARTH_RADIUS_KM = 6371.0
# Penalty (log10 units: ten-thousandfold population) for a candidate whose own name is far from the
# mention (rapidfuzz ratio under FAR_NAME_RATIO) while another place of the same country owns a
# spelling of it: the far one matched through an alternate name, an absorbed village's or a data error
# (GeoNames lists "Oleksandrivka" under Donetsk and "Slov'iansk" under Nikopol), and the text means
# the place that bears the name. A spelling variant ("Sloviansk"/"Slovyansk" 89, "Kiev"/"Kyiv" 75) is not
# far; an old name ("Artemovsk" for Bakhmut, "Kirovohrad" for Kropyvnytskyi) that no other place of the
# country bears keeps its place.
FAR_NAME_PENALTY = 4.0
# Penalty (log10 units: tenfold population) for a candidate that bears the mention's name only as a
# variant spelling while another candidate bears it as its own name, letter for letter.
VARIANT_PENALTY = 1.0
FAR_NAME_RATIO = 40
_COMPASS = frozenset({"southern", "northern", "eastern", "western", "south", "north", "east", "west", "central",
                      "north-eastern", "north-western", "south-eastern", "south-western", "northeastern",
                      "northwestern", "southeastern", "southwestern"})
# GeoNames feature codes of water bodies (class H) that reporting names: rivers, seas, lakes, reservoirs.
WATER_FEATURES = frozenset({"STM", "STMS", "STMI", "SEA", "LK", "LKS", "LKI", "RSV", "RSVS", "BAY", "BAYS", "GULF",
                            "STRT", "CNL", "LGN", "ESTY", "INLT", "CHN"})
# Cyrillic mentions only (issue #15): GeoNames codes of places that no longer stand (abandoned,
# historical, destroyed). A report of today's fighting means a living place of the name, when there is
# one ("Ласточкино": Krynychne by its old name, not an abandoned Crimean namesake).
DEFUNCT_FEATURES = frozenset({"PPLQ", "PPLH", "PPLW"})
# Cyrillic mentions only (issue #15): with no other place in the document to measure against, a bare
# name's namesakes within FRONT_KM of the fighting (data/front.yaml: the line of contact and the shelled
# border) are kept when any is, and the nearer to it ranks higher, FRONT_WEIGHT * log10(1 + km /
# FRONT_SCALE_KM) off the score as with local context. 25 km is about the reach of tube artillery and
# of most FPV drones from the line: the strip that reports of fighting and shelling are about.
FRONT_KM = 25.0
# ... though a town (name prior from this up: about 30,000 people, as APPOSITION_MAX_PRIOR) is reported
# for itself and stays a candidate wherever it lies: "под Красноармейском" is Pokrovsk, 40 km behind the
# line, not a hamlet of the name on it.
FRONT_KEEP_PRIOR = 5.5
FRONT_WEIGHT = 1.0
FRONT_SCALE_KM = 25.0
FRONT_FILE = "front.yaml"


@dataclass
class Lookup:
    """A mention with the gazetteer entries that fit its role, or the reason there are none."""

    mention: Mention
    entries: list = field(default_factory=list)
    named: int = 0  # how many entries carry the name, whatever their role
    reason: str | None = None
    corrected: str | None = None  # the gazetteer name a misspelling was matched to
    alternate: set = field(default_factory=set)  # entries the name is only an alternate name of


@dataclass
class Context:
    """What the document names: country codes and (country, admin1) regions, each with the names of
    the mentions that name them, and the median point. A name is no context for itself: "Minnesota"
    twice must not pull the village of Minneota, nor "Andriivka" twice settle which Andriivka."""

    countries: dict[str, set[str]]
    regions: dict[tuple[str, str], set[str]]
    anchor: tuple[float, float] | None
    # (offset, name, lat, lon) of each settlement a mention picks without context: the local context
    # of nearby mentions (a paragraph of a front-wide report is about one sector).
    local: list[tuple[int, str, float, float]] = field(default_factory=list)

    def nearby(self, position: int, asking: str) -> list[tuple[float, float]]:
        """The points of the local context within LOCAL_WINDOW_CHARS of ``position``, other names only
        (``local`` is in text order, so a bisection finds the window)."""
        low = bisect_left(self.local, (position - LOCAL_WINDOW_CHARS,))
        high = bisect_right(self.local, (position + LOCAL_WINDOW_CHARS, "\uffff"))
        return [(lat, lon) for _, name, lat, lon in self.local[low:high] if name != asking]

    def names_country(self, country: str | None, asking: str) -> bool:
        return bool(self.countries.get(country, set()) - {asking})

    def names_region(self, region: tuple[str | None, str | None], asking: str) -> bool:
        return bool(self.regions.get(region, set()) - {asking})


def resolve(text: str, mentions: list[Mention], gazetteer, context: Iterable[Mention] = ()) -> list[Place]:
    """One Place per mention, in order. ``context`` holds more mentions of the same text that inform
    the ranking (countries and regions they name) but are not returned.

    Steps: look up each mention's candidates for its role; gather what the document names (countries,
    regions, a median point); rank each mention's candidates; build the places."""
    looked = [look_up(mention, gazetteer) for mention in mentions]
    apply_containers(looked, gazetteer)
    apply_neighbours(looked)
    extra = [look_up(mention, gazetteer) for mention in context]
    document = gather_context(looked, extra)
    # One sense per document: a name read as a place once (by the recogniser, or a weak match that
    # something confirmed) is a place wherever it recurs ("entered Andriivka ... still hold Andriivka").
    strong = {item.mention.name for item in looked if not item.mention.confirm and item.entries}
    places = []
    for item in looked:
        place = _place(text, item, document, strong)
        if place is not None and place.geonameid is not None:
            strong.add(item.mention.name)
        places.append(place)
    return [place for place in places if place is not None]


def look_up(mention: Mention, gazetteer) -> Lookup:
    """Candidates for the mention's role; a misspelt name is tried fuzzily where the guard allows."""
    if mention.source == "demonym":
        country = lookup.demonym_country(gazetteer, mention.name)
        return Lookup(mention, [country], 1) if country else Lookup(mention, reason="demonym of no known country")
    if mention.role == "region":
        entries = lookup.region_entries(gazetteer, mention.name)
        if not entries and _may_be_misspelt(mention):
            corrected = lookup.fuzzy_name(gazetteer, mention.name, wants_region=True)
            entries = lookup.region_entries(gazetteer, corrected) if corrected else []
        return _with_coordinates(Lookup(mention, entries, len(entries),
                                        None if entries else "no region of that name in the gazetteer"))
    marked = _marked(gazetteer, mention)
    corrected = None
    if not marked and _may_be_misspelt(mention):
        corrected = lookup.fuzzy_name(gazetteer, mention.name, wants_region=False)
        marked = lookup.marked_candidates(gazetteer, corrected) if corrected else []
    named = [entry for entry, _alternate in marked]
    entries = _for_role(named, mention.role)
    if mention.use == "axis" and " " in mention.name and not entries:
        # "the Southern Axis", "the Izyum axis" as one entity: the axis is named by its first words.
        head = mention.name.rsplit(" ", 1)[0]
        if head in _COMPASS:
            return Lookup(mention, [], 0, "a front's axis named by a compass direction, not a place")
        entries = _for_role([entry for entry, _ in lookup.marked_candidates(gazetteer, head)], "settlement")
    if mention.use == "water":
        # "the Dnipro River" is the river, never Dnipro city.
        entries = [entry for entry in entries if entry.feature in WATER_FEATURES]
        if not entries:
            return Lookup(mention, [], len(named), "a river or sea: the gazetteer has no water body of that name")
    alternate = {entry for entry, is_alternate in marked if is_alternate}
    return _with_coordinates(Lookup(mention, entries, len(named), None if entries else "not in gazetteer",
                                    corrected, alternate))


def _marked(gazetteer, mention: Mention) -> list:
    """Candidates of the mention's name and of its further keys (a Cyrillic name's Latin spellings),
    each place once."""
    marked = lookup.marked_candidates(gazetteer, mention.name)
    if not mention.keys:
        return marked
    seen = {(entry.geonameid, entry.name) for entry, _ in marked}
    for key in mention.keys:
        # Another case reading in Cyrillic ("в Дамаске": Дамаска, the village, or Дамаск, Damascus) may be
        # anywhere; a Latin transliteration bridges only to the places of Ukraine, Russia and Belarus.
        anywhere = is_cyrillic_span(key, 0, len(key))
        for entry, alternate in lookup.marked_candidates(gazetteer, key):
            if (entry.geonameid, entry.name) not in seen and (anywhere or entry.country in BRIDGE_COUNTRIES):
                seen.add((entry.geonameid, entry.name))
                marked.append((entry, alternate))
    return marked


# A place whose every namesake outside a region named right after it is at most this notable (log10
# prior: a town of about 30,000) reads as "<village>, <oblast>" even when no namesake lies inside: the
# village is then left unresolved rather than put in another oblast. A notable place ("Kharkiv,
# Donetsk") is a list of two places.
APPOSITION_MAX_PRIOR = 5.5


# "X, a settlement 23 kilometres east of Y": X's namesakes farther than this from every Y are dropped.
NEIGHBOUR_KM = 60.0
# Where the text states the distance ("12km southeast of Y"), namesakes farther than this from Y are
# dropped instead: reporters round, measure by road or from the city's edge, and GeoNames puts a
# village's point anywhere in it; half as much again plus 5 km keeps all of that.
STATED_DISTANCE_SLACK = 1.5
STATED_DISTANCE_MARGIN_KM = 5.0


def apply_neighbours(looked: list[Lookup]) -> None:
    """Keep each place near the place an appositive names as its neighbour, when one of its namesakes is."""
    for item in looked:
        index = item.mention.near_to
        if index is None or not item.entries or not looked[index].entries:
            continue
        reference = looked[index]
        # A place that bears the reference's name anchors it, not one that only had it as an old name.
        owners = [entry for entry in reference.entries if entry not in reference.alternate] or reference.entries
        anchors = [(entry.lat, entry.lon) for entry in owners if lookup.is_settlement(entry)]
        stated = item.mention.near_km
        limit = NEIGHBOUR_KM if stated is None else stated * STATED_DISTANCE_SLACK + STATED_DISTANCE_MARGIN_KM
        distances = [(entry, [_distance_km((entry.lat, entry.lon), anchor) for anchor in anchors])
                     for entry in item.entries]
        in_range = [(entry, kms) for entry, kms in distances if min(kms, default=math.inf) <= limit]
        near = [entry for entry, _ in in_range]
        if near and stated is not None:
            # "Lukyanivka (40km east of Brovary)": of the namesakes in range, the one at about the stated
            # distance, not a city district of the same name 23 km away.
            error = [(entry, min(abs(km - stated) for km in kms)) for entry, kms in in_range]
            best = min(off for _, off in error)
            near = [entry for entry, off in error if off <= best + max(STATED_DISTANCE_MARGIN_KM, stated / 4)]
        if near:
            item.entries = near


def apply_containers(looked: list[Lookup], gazetteer) -> None:
    """Keep each place inside the region or district named right after it ("Kurdiumivka, Donetsk",
    "Kurdiumivka in the Donetsk region"). The container then counts as a region, never as its capital
    city; a place with no namesake inside it is left unresolved rather than put in another region."""
    for item in looked:
        for index in item.mention.within:
            container = looked[index]
            regions = _container_entries(container, gazetteer)
            if not regions:
                continue
            inside = [entry for entry in item.entries if any(_contains(region, entry) for region in regions)]
            if container.mention.role != "district":
                item.mention.confirm = None  # "X, <oblast>" marks X as a place, found or not
            if inside:
                # Inside the region, a place that bears the very name beats one that only lists it
                # ("Donetske, Donetsk" is the village Donetske, not the city).
                exact = [entry for entry in inside if entry.name.lower() == item.mention.name]
                item.entries, item.named = exact or inside, len(inside)
            elif container.mention.role == "district":
                container.mention.use = "region"  # context for the place, whatever the codes say:
                continue  # raion codes changed in 2020; a district that does not fit constrains nothing
            elif item.mention.role == "district" and container.mention.role == "any" and \
                    is_cyrillic_span(item.mention.name, 0, len(item.mention.name)):
                # "в Кировском районе Донецка": a city's own district, none of whose namesakes lies in
                # the city's oblast; the bare name after it is the city, not its oblast.
                item.entries, item.reason = [], f"a district of {container.mention.name}"
                continue
            elif item.entries and max(lookup.prior(entry) for entry in item.entries) > APPOSITION_MAX_PRIOR:
                break  # "Kharkiv, Donetsk and Luhansk": a list of places
            else:
                region_name = regions[0].name
                item.entries, item.reason = [], f"no place of that name in {region_name}"
            _make_container(container, regions)


def _container_entries(container: Lookup, gazetteer) -> list:
    """The regions (or districts) a container mention can be: an oblast's short name is the oblast."""
    mention = container.mention
    districts = [entry for entry in container.entries if lookup.is_district(entry)]
    if mention.role == "district":
        return districts
    if mention.role not in ("any", "region"):
        return []
    regions = [entry for entry in lookup.region_entries(gazetteer, mention.name)
               if entry.lat is not None and entry.lon is not None]
    if not regions and districts and len(districts) == len(container.entries):
        mention.role = "district"  # "Pokrovsk raion" is itself a gazetteer name
        return districts
    return regions


def _make_container(container: Lookup, regions: list) -> None:
    container.mention.use = "region"
    if container.mention.role != "district":
        container.mention.role = "region"
        container.entries, container.named, container.reason = regions, len(regions), None


def _contains(region, entry) -> bool:
    if entry is region or entry.country != region.country or entry.admin1 != region.admin1:
        return False
    if lookup.is_district(region):
        return bool(region.admin2) and getattr(entry, "admin2", None) == region.admin2 and not lookup.is_district(entry)
    return not lookup.is_region(entry)


def _may_be_misspelt(mention: Mention) -> bool:
    """The guard: only names that spaCy tags as places, that follow a place cue, or that were given."""
    return mention.source in ("entity", "cue", "given")


def _for_role(entries: list, role: str) -> list:
    if role == "district":
        return [e for e in entries if lookup.is_district(e)] or [e for e in entries if lookup.is_settlement(e)]
    if role == "settlement":
        return [e for e in entries if lookup.is_settlement(e)] or entries
    settlements = [e for e in entries if lookup.is_settlement(e) and e.lat is not None]
    if settlements:
        # A bare name is the town, not the district named after it ("Bakhmut", not Bakhmut Raion),
        # nor a first-level region that is the city itself (Kyiv, not the ADM1 "Misto Kyiv").
        return [e for e in entries if not lookup.is_district(e)
                and not (lookup.is_region(e) and _around_a_settlement(e, settlements))]
    return entries


# A region whose point lies this close to a settlement of its name is that city (a city with the
# status of a region); farther, "Quebec" or "New York" may mean the province or state.
CITY_REGION_KM = 50.0


def _around_a_settlement(region, settlements: list) -> bool:
    if region.lat is None or region.lon is None:
        return False
    return any(settlement.country == region.country
               and _distance_km((region.lat, region.lon), (settlement.lat, settlement.lon)) <= CITY_REGION_KM
               for settlement in settlements)


def _with_coordinates(item: Lookup) -> Lookup:
    located = [entry for entry in item.entries if entry.lat is not None and entry.lon is not None]
    if item.entries and not located:
        item.reason = "the gazetteer entry has no coordinates"
    item.entries = located
    return item


def gather_context(looked: list[Lookup], extra: list[Lookup]) -> Context:
    """What the document names, read from each mention's context-free pick (its prior's favourite,
    when that favourite leads clearly or stands alone): the countries and regions picked, the country
    of a picked region or settlement, and the median point of the picked places."""
    countries: dict[str, set[str]] = {}
    regions: dict[tuple[str, str], set[str]] = {}
    points = []
    local: list[tuple[int, str, float, float]] = []
    for is_mention, item in [*((True, item) for item in looked), *((False, item) for item in extra)]:
        pick = _provisional(item)
        if item.mention.confirm and not _stands_alone(pick, item.mention.confirm):
            continue  # a weak match informs the context only when it needs no context itself
        if pick is None:
            continue
        if pick.country and not lookup.is_continent(pick):
            countries.setdefault(pick.country, set()).add(item.mention.name)
        if lookup.is_region(pick) and pick.admin1:
            regions.setdefault((pick.country, pick.admin1), set()).add(item.mention.name)
        if is_mention and not _coarse(pick):
            points.append((pick.lat, pick.lon))
            if lookup.is_settlement(pick):
                local.append((item.mention.start, item.mention.name, pick.lat, pick.lon))
    anchor = (statistics.median(p[0] for p in points), statistics.median(p[1] for p in points)) if points else None
    return Context(countries, regions, anchor, sorted(local))


def _name_prior(item: Lookup, variants: bool = True):
    """The prior of a candidate for this mention: the gazetteer's, less ALTERNATE_NAME_PENALTY when
    the mention's name is only an alternate name of it."""
    spellings = _latin_spellings(item.mention)
    owners = {entry.country for entry in item.entries if not _far_name(spellings, entry.name)}
    # Where the mention spells a Ukrainian, Russian or Belarusian candidate's own name ("Mykolayiv", the
    # city), a namesake that has it only as a variant of another name (the village Mykolaivka) needs a
    # tenfold larger population to win. Spellings that differ only in y, j, a doubled i and apostrophes
    # are one name ("Andriivka", GeoNames' "Andriyivka").
    written = _skeleton(item.mention.name) if not is_cyrillic_span(item.mention.name, 0, len(item.mention.name)) else None
    exact = {id(entry) for entry in item.entries if written and _skeleton(entry.name) == written}
    spelt = variants and any(id(entry) in exact and entry.country in BRIDGE_COUNTRIES for entry in item.entries)

    def score(entry) -> float:
        far = entry.country in owners and _far_name(spellings, entry.name)
        return (lookup.prior(entry) - (ALTERNATE_NAME_PENALTY if entry in item.alternate else 0.0)
                - (FAR_NAME_PENALTY if far else 0.0) - (VARIANT_PENALTY if spelt and id(entry) not in exact else 0.0))
    return score


def _skeleton(name: str) -> str:
    """A name without case, accents, spaces, punctuation, the y and j that transliterations disagree on,
    and doubled i: "Andriivka" and "Andriyivka", "Mykolayiv" and "Mykolaiv", "São Paulo" and "Sao Paulo"
    spell one name; "Artemovsk" and "Artemovskiy" do not."""
    letters = "".join(char for char in unicodedata.normalize("NFKD", name.lower())
                      if char.isalnum() and char not in "yj")
    return re.sub("i+", "i", letters)


def _far_name(spellings: tuple[str, ...], name: str) -> bool:
    """Whether the mention (its ``spellings``) is nothing like the entry's own name, so that it matched
    only one of its alternate names (GeoNames lists "Slov'iansk" among Nikopol's): such an entry gives
    way to one whose own name is a spelling of the mention ("Slovyansk")."""
    return max(fuzz.ratio(spelling, name.lower()) for spelling in spellings) < FAR_NAME_RATIO


def _latin_spellings(mention: Mention) -> tuple[str, ...]:
    """The mention's name as compared with entries' own (Latin) names: itself, or for a Cyrillic name its
    transliterations, since "станіслав" measured against "Stanislav" letter for letter shares nothing and
    would let Ivano-Frankivsk, whose old name it is, pass for the village that bears it."""
    name = mention.name.lower()
    if not is_cyrillic_span(name, 0, len(name)):
        return (name,)
    from sitrep.gazetteer.variants import name_variants

    latin = [form.lower() for form in (*name_variants(name, "UA"), *mention.keys)
             if not is_cyrillic_span(form, 0, len(form))]
    return tuple(dict.fromkeys(latin)) or (name,)


def _provisional(item: Lookup):
    """The entry a mention would get with no context, if that is not a guess (see ANCHOR_MARGIN)."""
    if len(item.entries) == 1:
        return item.entries[0]
    if not item.entries:
        return None
    name_prior = _name_prior(item)
    first, second = sorted(item.entries, key=name_prior, reverse=True)[:2]
    if name_prior(first) - name_prior(second) >= ANCHOR_MARGIN:
        return first
    countries = {entry.country for entry in item.entries}
    if len(countries) == 1 and not _coarse(first):
        return _Country(countries.pop())  # namesakes all in one country still name that country
    return None


@dataclass(frozen=True)
class _Country:
    """Stands for "somewhere in this country" when a mention's namesakes share one country."""

    country: str
    feature: str = "PCLI"
    admin1: None = None
    is_country: bool = True
    is_continent: bool = False


def _coarse(entry) -> bool:
    return lookup.is_country(entry) or lookup.is_continent(entry)


def _score(entry, document: Context, asking: str, name_prior=lookup.prior, position: int | None = None,
           theatre: bool = False, front: bool = False) -> tuple[float, bool]:
    """The candidate's score and whether anything else in the document supports it. ``theatre``: the
    mention is Ukrainian or Russian text, which counts as naming the war's theatre; ``front``: the
    distance to the fighting counts (see choose)."""
    score = name_prior(entry)
    if front:
        score -= FRONT_WEIGHT * math.log10(1 + front_km(entry.lat, entry.lon) / FRONT_SCALE_KM)
    if position is not None:
        nearby = document.nearby(position, asking)
        if nearby:
            distance = min(_distance_km(point, (entry.lat, entry.lon)) for point in nearby)
            score -= LOCAL_WEIGHT * math.log10(1 + distance / LOCAL_SCALE_KM)
    supported = False
    named = document.names_country(entry.country, asking) or (theatre and entry.country in rules().theatre_countries)
    if named and not _coarse(entry):
        score += COUNTRY_NAMED_BONUS
        supported = True
    if document.names_region((entry.country, entry.admin1), asking) and not lookup.is_region(entry):
        score += REGION_NAMED_BONUS
        supported = True
    if document.anchor is not None:
        distance = _distance_km(document.anchor, (entry.lat, entry.lon))
        score -= DISTANCE_WEIGHT * math.log10(1 + distance / DISTANCE_SCALE_KM)
        supported = supported or distance <= NEAR_ANCHOR_KM
    return score, supported


def _distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def choose(item: Lookup, document: Context, theatre: bool = False, fighting: bool = False):
    """The best entry, or None with ``item.reason`` set when the choice would be a guess.

    ``theatre`` (a mention in Ukrainian or Russian text, issue #15): a war report in those languages is
    about the war, so the theatre's countries (theatre_countries of lang/en/geoparse.yaml, the evidence
    the English path gets from "Ukrainian forces") count as named ("Дзержинск" is Toretsk, not the
    Russian city, unless the text names that city's region), a defunct namesake gives way to a
    living place, and where the document names no other place, the namesakes near the fighting are
    kept (data/front.yaml, FRONT_KM). ``fighting``: its sentence tells of ground fighting, which is at the
    front, so the namesakes near the fighting are kept even where one elsewhere leads on the prior (a town
    of FRONT_KEEP_PRIOR and up stays a candidate wherever it is). English mentions (theatre False) are
    ranked as before."""
    if item.corrected:
        _keep_plausible_corrections(item, document)
    front = False
    if theatre:
        item.entries = _living(item.entries)
        # Namesakes with no clear leader on the prior alone (a city keeps its place), in a document that
        # names no other place or whose places lie at the fighting: the fighting decides (FRONT_KM).
        # "у районах Лисівки та Гродівки" next to Pokrovsk is the Lysivka there, not a larger one in
        # Poltava oblast that the median of the document's places would not outweigh.
        at_front = document.anchor is None or front_km(*document.anchor) <= FRONT_KM
        # A namesake in a region the document names is the one meant ("Петропавловка Харьковской
        # области"), fighting or not.
        named = any(document.names_region((entry.country, entry.admin1), item.mention.name) for entry in item.entries)
        # Fighting in a region of a country none of the namesakes is in ("Новоивановка в Курской области",
        # a village the gazetteer lacks) is no reason to pick one at the front of another country.
        countries = {entry.country for entry in item.entries}
        abroad = any(country not in countries for country, _ in document.regions)
        front = not named and ((fighting and not abroad) or
                               at_front and isinstance(_provisional(item), (_Country, type(None))))
        if front:
            item.entries = _near_front(item.entries, _name_prior(item), ordered=document.anchor is None)
    if len(item.entries) == 1:
        return item.entries[0]
    if not item.entries:
        return None
    name_prior = _name_prior(item)
    ranked = sorted(((*_score(entry, document, item.mention.name, name_prior, item.mention.start, theatre, front),
                      index) for index, entry in enumerate(item.entries)), key=lambda scored: (-scored[0], scored[2]))
    (best, supported, index), (runner_up, _, _) = ranked[0], ranked[1]
    if not supported and name_prior is not None:
        # A guess without context stays a guess: the spelling preference (VARIANT_PENALTY) ranks the
        # namesakes but does not make the leader's margin.
        plain = _name_prior(item, variants=False)
        scores = sorted((_score(entry, document, item.mention.name, plain, item.mention.start, theatre, front)[0]
                         for entry in item.entries), reverse=True)
        best, runner_up = scores[0], scores[1]
    if not supported and best - runner_up < AMBIGUITY_MARGIN:
        item.reason = f"ambiguous: {len(item.entries)} candidates, no context"
        return None
    return item.entries[index]


def _near_front(entries: list, name_prior, ordered: bool = True) -> list:
    """The entries within FRONT_KM of the first line of data/front.yaml that has any (the line of
    contact before the shelled border: "liberated Andriivka" is the village on the line, not one near
    the border), with the towns (FRONT_KEEP_PRIOR) wherever they lie; all of them where none is near.
    Not ``ordered`` (the document's own places say which sector it is about): near any line, and the
    document's places choose among them."""
    lines = _front_lines() if ordered else (tuple(segment for line in _front_lines() for segment in line),)
    for line in lines:
        near = [entry for entry in entries if _km_to(line, entry.lat, entry.lon) <= FRONT_KM]
        if near:
            return [entry for entry in entries if entry in near or name_prior(entry) >= FRONT_KEEP_PRIOR]
    return entries


@cache
def _front_lines() -> tuple[tuple[tuple[tuple[float, float], tuple[float, float]], ...], ...]:
    """The lines of data/front.yaml in its order, each as its segments, pairs of (lat, lon); a broken
    file is a configuration error."""
    try:
        data = yaml.safe_load(resources.files("sitrep.data").joinpath(FRONT_FILE).read_text("utf-8"))
        points = [[(float(lat), float(lon)) for lat, lon in line] for line in data["lines"].values()]
        return tuple(tuple(zip(line, line[1:])) for line in points)
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError) as error:
        raise ConfigError(f"sitrep/data/{FRONT_FILE} cannot be used: {error}; reinstall sitrep") from None


def front_km(lat: float, lon: float) -> float:
    """Kilometres from (lat, lon) to the nearest line of data/front.yaml."""
    return min(_km_to(line, lat, lon) for line in _front_lines())


def _km_to(segments, lat: float, lon: float) -> float:
    """Kilometres from (lat, lon) to the nearest of ``segments``, on a plane tangent at the point (good
    to a few per cent over the hundreds of kilometres that matter here)."""
    scale = math.cos(math.radians(lat))
    best = math.inf
    for (lat1, lon1), (lat2, lon2) in segments:
        ax, ay = (lon1 - lon) * scale, lat1 - lat
        bx, by = (lon2 - lon) * scale, lat2 - lat
        dx, dy = bx - ax, by - ay
        length = dx * dx + dy * dy
        t = 0.0 if length == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length))
        best = min(best, math.hypot(ax + t * dx, ay + t * dy))
    return math.radians(best) * EARTH_RADIUS_KM


def _living(entries: list) -> list:
    """The entries without defunct places (DEFUNCT_FEATURES), unless that would leave none."""
    living = [entry for entry in entries if entry.feature not in DEFUNCT_FEATURES]
    return living or entries


def _keep_plausible_corrections(item: Lookup, document: Context) -> None:
    """A misspelling matched to a settlement counts only in a country the document names otherwise: a
    person's name that spaCy took for a place must not land on a village abroad."""
    item.entries = [entry for entry in item.entries if lookup.is_region(entry) or _coarse(entry)
                    or document.names_country(entry.country, item.mention.name)]
    if not item.entries:
        item.reason = f"not in gazetteer (closest name {item.corrected!r} is in no country the text names)"


def precision_of(entry, mention: Mention) -> int:
    if mention.source == "demonym" or _coarse(entry):
        return 4
    if lookup.is_region(entry):
        return 3
    if lookup.is_district(entry) or mention.near or mention.role == "district":
        return 2
    return 1


def _stands_alone(entry, confirm: str) -> bool:
    """Whether a weak match's entry is a place whatever the document says (see Mention.confirm)."""
    if entry is None or isinstance(entry, _Country):
        return False
    if confirm == "country":
        return _coarse(entry) or lookup.is_region(entry)
    return _coarse(entry) or lookup.prior(entry) >= NOTABLE_PRIOR


def _confirmed(entry, document: Context, asking: str, confirm: str) -> bool:
    """Whether a weak match ("Kelly", "Energy" inside an organisation's name) is a place after all:
    a notable one, or one in a region the document names or near its other places."""
    if entry is None or _stands_alone(entry, confirm):
        return entry is not None
    if confirm == "country":
        return False
    if document.names_region((entry.country, entry.admin1), asking):
        return True
    if document.anchor is not None and _distance_km(document.anchor, (entry.lat, entry.lon)) <= NEAR_ANCHOR_KM:
        return True
    return False


def _place(text: str, item: Lookup, document: Context, strong: frozenset[str] | set[str] = frozenset()) -> Place | None:
    """The Place of a looked-up mention; None for a weak match that nothing confirms."""
    mention = item.mention
    theatre = is_cyrillic_span(text, mention.start, mention.end)  # Ukrainian or Russian text: see choose
    fighting = theatre and fights_near(text, mention.start, mention.end)
    entry = choose(item, document, theatre, fighting) if item.entries else None
    if mention.confirm and mention.name not in strong and \
            not _confirmed(entry, document, item.mention.name, mention.confirm) and \
            not (mention.locative and entry is not None and entry.country in rules().theatre_countries):
        # A weak match stays unless something confirms it; in the war's own country a name right after
        # a locative word ("in the centre of Robotyne") or heading a line ("Robotyne, evening report.")
        # is confirmed by that.
        return None
    base = dict(mention=text[mention.start:mention.end], start=mention.start, end=mention.end,
                kind=mention.kind, candidates=item.named, role=None if mention.kind == "demonym" else mention.use)
    if entry is None:
        return Place(**base, unresolved=item.reason or "not in gazetteer")
    return Place(**base, geonameid=entry.geonameid, name=entry.name, feature=entry.feature, admin1=entry.admin1,
                 country=entry.country, lat=entry.lat, lon=entry.lon, precision=precision_of(entry, mention))
