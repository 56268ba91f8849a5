"""Place roles: what each place mention is for the event around it.

A report names places for many reasons. Only some are where something happened:
  location     the event's place (the default)
  region       a containing region: "Kurdiumivka, Donetsk", "in the Kherson region"
  speaker      the seat of whoever speaks: "the Defence Ministry in Moscow", "a fellow at a think tank
               in Washington", "King's College London"
  axis         a front's axis or direction: "the Pokrovsk direction", "the Izyum axis"
  origin       where a weapon or force came from: "missiles launched from Belgorod"
  reference    a point that only locates another: "west of Donetsk City near Nevelske"
  destination  where a movement was heading: "advanced towards Kupiansk"
  water        a river or sea: "the Dnipro River"
The words around each mention decide (rules in ``extract/lang/en/geoparse.yaml`` under ``roles``); a containing
region is also recorded on the mention it contains (``Mention.within``), so that resolution keeps the
village inside the named oblast and never falls to a namesake elsewhere (resolve.py). The claims stage
takes an event's place from its location mentions only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from sitrep.extract.lang import resource
from sitrep.errors import ConfigError
from sitrep.extract.geoparse.cyrillic import cyrillic_rules, is_cyrillic_span

# How far before a mention its role cue may start ("from the territory of the ").
ROLE_WINDOW = 60
# A mention inside an organisation's name ("King's College London", "the Kyiv School of Economics")
# is the organisation's seat: spaCy's ORG and NORP entities.
ORGANISATION_LABELS = frozenset({"ORG"})

# An appositive that places a settlement by another: ", a settlement 23 kilometres east of ", ", a village
# in the ", ", a town near ".
_APPOSITIVE = re.compile(r",\s+(?:a|an|the)\s+(?:\w+\s+){0,2}?(?:village|town|settlement|city|suburb|hamlet)\b"
                         r"[^.;,]{0,60}?\b(?:of|in|near|outside|from|to|by)\s+(?:the\s+)?(?:city\s+of\s+)?", re.IGNORECASE)
# Words that make an organisation's name an institution with a seat ("King's College London", "the Kyiv
# School of Economics", "the Donetsk Regional Military Administration"), not a place description.
_INSTITUTION = re.compile(r"\b(?:college|university|institute|school|academy|ministry|administration|council|"
                          r"agency|committee|office|service|centre|center|foundation|headquarters|embassy|"
                          r"command|court|parliament|government|police|prosecutor'?s?|observatory|museum|"
                          r"newspaper|times|post|news|radio|television|tv)\b", re.IGNORECASE)
_ALL_NEAR = re.compile(r",\s+(?:all|both|each)\s+(?:\w+\s+){0,4}?(?:of|near|in|around|outside)\s+(?:the\s+)?",
                       re.IGNORECASE)
# "Klynove (approximately 12km southeast of Bakhmut)", "Novoluhanske, about 20 km southeast of Bakhmut":
# a distance from the second place, right after the first, locates the first.
_DISTANCE = r"(?:approximately|about|around|roughly|some|nearly|almost|less than|under|just|only|over|more than)?\s*" \
            r"\d+(?:[.,]\d+)?\s*-?\s*(?:km|kms|kilometers|kilometres|miles|mi)\b"
_DISTANCE_AFTER = re.compile(rf"\s*(?:\(|,|—|–)\s*{_DISTANCE}\s+(?:\w+\s+){{0,2}}?(?:of|from)\s+(?:the\s+)?(?:city\s+of\s+)?",
                             re.IGNORECASE)
# "... less than 10 km from Kherson City in Dariivka": the distance before the reference, the place after it.
_DISTANCE_BEFORE = re.compile(rf"{_DISTANCE}\s+(?:\w+\s+){{0,2}}?(?:of|from)\s+(?:the\s+)?$", re.IGNORECASE)
_DISTANCE_THEN = re.compile(r"(?:\s+City)?\s*,?\s+(?:in|at|near)\s+(?:the\s+(?:village|town|settlement)\s+of\s+)?",
                            re.IGNORECASE)
_NUMBER_UNIT = re.compile(r"(\d+(?:[.,]\d+)?)\s*-?\s*(km|kms|kilometers|kilometres|miles|mi)\b", re.IGNORECASE)
KM_PER_MILE = 1.609
# What joins the places of a list: "A, B and C".
_LIST_JOINER = re.compile(r"\s*(?:,|,?\s+and|,?\s+or)\s+|\s*,\s*")


@dataclass(frozen=True)
class RoleRules:
    axis_after: re.Pattern[str]
    water_after: re.Pattern[str]
    axis_own: re.Pattern[str]  # a mention that itself ends in an axis word ("the Southern Axis")
    water_own: re.Pattern[str]  # ... or a water word ("the Black Sea")
    origin_before: re.Pattern[str]
    destination_before: re.Pattern[str]
    seat_before: re.Pattern[str]
    container_between: re.Pattern[str]
    reference_before: re.Pattern[str]
    reference_after: re.Pattern[str]


def _alternation(words: list[str]) -> str:
    # Cues are plain phrases, except that ".{0,40}" may stand for a short gap ("launched at X from").
    escaped = (re.escape(word).replace(r"\.\{0,40\}", ".{0,40}") for word in words)
    return "|".join(sorted(escaped, key=len, reverse=True))


@lru_cache(maxsize=1)
def role_rules() -> RoleRules:
    try:
        raw = yaml.safe_load(resource("geoparse.yaml").read_text("utf-8"))["roles"]
        return RoleRules(
            # "the Vasylivka-Berestove direction": the first name of a pair is on the axis too.
            axis_after=re.compile(rf"^(?:[-–][A-Z][\w'’]*(?:[-–][A-Z][\w'’]*)?)?(?:'s|’s)?"
                                  rf"(?:\s*,?\s+(?:and|or)\s+(?:the\s+)?[A-Z][\w'’-]*)?\s+"
                                  rf"(?:{_alternation(raw['axis_suffixes'])})\b", re.IGNORECASE),
            water_after=re.compile(rf"^\s+(?:{_alternation(raw['water_suffixes'])})\b", re.IGNORECASE),
            axis_own=re.compile(rf"\s(?:{_alternation(raw['axis_suffixes'])})$", re.IGNORECASE),
            water_own=re.compile(rf"(?:\s(?:{_alternation(raw['water_suffixes'])})|"
                                 rf"(?<![\w-])(?:{_alternation(raw['water_names'])}))$", re.IGNORECASE),
            origin_before=re.compile(rf"\b(?:{_alternation(raw['origin_cues'])})\s+(?:the\s+)?(?:\w+\s+)?$",
                                     re.IGNORECASE),
            destination_before=re.compile(rf"\b(?:{_alternation(raw['destination_cues'])})\s+(?:the\s+)?$",
                                          re.IGNORECASE),
            seat_before=re.compile(rf"\b(?:{_alternation(raw['seat_cues'])})\s+(?:the\s+)?$", re.IGNORECASE),
            container_between=re.compile(raw["container_between"], re.IGNORECASE),
            reference_before=re.compile(raw["reference_before"], re.IGNORECASE),
            reference_after=re.compile(raw["reference_after"]),
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, re.error) as error:
        raise ConfigError(f"sitrep/extract/lang/en/geoparse.yaml cannot be used (roles): {error}; reinstall sitrep") from None


def assign_uses(text: str, mentions: list, organisations: list[tuple[int, int]] = ()) -> None:
    """Set ``use`` on every mention from the words around it, and link each place to the regions
    and districts named right after it (``within``, indices into ``mentions``)."""
    rules = role_rules()
    for mention in mentions:
        if mention.source == "demonym":
            continue
        mention.use = _use(text, mention, rules, organisations)
    placed = [index for index, mention in enumerate(mentions)
              if mention.source != "demonym" and mention.use in ("location", "destination", "origin")]
    for index in placed:
        mentions[index].within = _containers(text, mentions, index, rules)
    _regions_alone_as_locations(text, mentions)
    # "Oleksandrivka, a settlement 23 kilometres east of Izyum": the second place only locates the first.
    for index in placed:
        following = index + 1
        if following < len(mentions) and mentions[following].source != "demonym" and \
                _APPOSITIVE.fullmatch(text[mentions[index].end:mentions[following].start]):
            if mentions[following].role == "region":
                mentions[index].within = [following]
            else:
                mentions[index].near_to = following
                mentions[index].near_km = _kilometres(text[mentions[index].end:mentions[following].start])
                mentions[following].use = "reference"
        elif following < len(mentions) and mentions[following].source != "demonym" and \
                _ALL_NEAR.fullmatch(text[mentions[index].end:mentions[following].start]):
            # "shelled A, B and C, all northwest of Slovyansk": each of the list lies near the last name.
            mentions[following].use = "reference"
            member = index
            while member is not None:
                mentions[member].near_to = following
                previous = member - 1
                member = previous if previous >= 0 and mentions[previous].source != "demonym" and \
                    _LIST_JOINER.fullmatch(text[mentions[previous].end:mentions[member].start]) else None
    _link_distances(text, mentions, placed)
    # "Bilozerka and Tomyna Balka, Kherson": every place of a list lies in the region after its last.
    for index in reversed(placed):
        following = index + 1
        if (not mentions[index].within and following < len(mentions) and mentions[following].within
                and _LIST_JOINER.fullmatch(text[mentions[index].end:mentions[following].start])):
            mentions[index].within = list(mentions[following].within)


def _link_distances(text: str, mentions: list, placed: list[int]) -> None:
    """A place located by its distance from another ("Klynove (12km southeast of Bakhmut)", "10 km from
    Kherson City in Dariivka") lies near that other: it picks the namesake there (``near_to``), and the
    other is only a reference point."""
    placed_set = set(placed)
    for index in placed:
        following = index + 1
        if following >= len(mentions) or mentions[following].source == "demonym" or mentions[following].near_to is not None:
            continue
        between = text[mentions[index].end:mentions[following].start]
        if mentions[index].near_to is None and _DISTANCE_AFTER.fullmatch(between):
            mentions[index].near_to, mentions[index].near_km = following, _kilometres(between)
            mentions[following].use = "reference"
        elif following in placed_set and mentions[following].near_to is None and _DISTANCE_THEN.fullmatch(between):
            before = _DISTANCE_BEFORE.search(text, max(0, mentions[index].start - 60), mentions[index].start)
            if before:
                mentions[following].near_to, mentions[following].near_km = index, _kilometres(before.group())
                mentions[index].use = "reference"


def _kilometres(phrase: str) -> float | None:
    """The distance a phrase states, in km ("approximately 12km", "5 miles")."""
    match = _NUMBER_UNIT.search(phrase)
    if match is None:
        return None
    value = float(match.group(1).replace(",", "."))
    return value * KM_PER_MILE if match.group(2).lower().startswith("mi") else value


def _use(text: str, mention, rules: RoleRules, organisations: list[tuple[int, int]]) -> str:
    after = text[mention.end:mention.end + ROLE_WINDOW]
    before = text[max(0, mention.start - ROLE_WINDOW):mention.start]
    own = text[mention.start:mention.end]
    if is_cyrillic_span(text, mention.start, mention.end):
        return _cyrillic_use(mention, before, after)
    if rules.water_after.match(after) or rules.water_own.search(own):
        return "water"
    if rules.axis_after.match(after) or rules.axis_own.search(own):
        return "axis"
    if any(start <= mention.start and mention.end <= end and (start, end) != (mention.start, mention.end)
           and _INSTITUTION.search(text, start, end) for start, end in organisations):
        return "speaker"
    if mention.role == "region":
        return "region"
    if rules.seat_before.search(before):
        return "speaker"
    if rules.reference_before.search(before) and rules.reference_after.match(after):
        return "reference"
    if rules.origin_before.search(before):
        return "origin"
    if rules.destination_before.search(before):
        return "destination"
    return "location"


def _cyrillic_use(mention, before: str, after: str) -> str:
    """_use by the rules of lang/uk and lang/ru: "на Авдіївському напрямку" is an axis, "Донецької
    області" a region, "у напрямку Покровська" a destination."""
    rules = cyrillic_rules()
    if rules.axis_after.match(after):
        return "axis"
    if mention.role == "region":
        return "region"
    if rules.destination_before.search(before):
        return "destination"
    return "location"


def _regions_alone_as_locations(text: str, mentions: list) -> None:
    """A Ukrainian or Russian region that contains no place named before it and follows a locative
    word is where the event happened ("восемь БПЛА уничтожены над Белгородской областью, один над
    Крымом"): the event's location at oblast level, which a settlement of the clause still beats."""
    containers = {index for mention in mentions for index in (mention.within or ())}
    for index, mention in enumerate(mentions):
        if mention.use == "region" and index not in containers and \
                is_cyrillic_span(text, mention.start, mention.end) and \
                cyrillic_rules().region_location_before.search(text, max(0, mention.start - ROLE_WINDOW), mention.start):
            mention.use = "location"


# What joins the members of a Ukrainian or Russian list of places.
_CYRILLIC_LIST = re.compile(r"\s*(?:,|,?\s+(?:і|й|та|и|або|или))\s*")


def _containers(text: str, mentions: list, index: int, rules: RoleRules) -> list[int]:
    """The districts and regions named right after mention ``index`` ("X, Pokrovsk raion, Donetsk"):
    candidates only; resolution keeps them when the place has a namesake inside them."""
    found = []
    previous = mentions[index]
    for later in range(index + 1, min(index + 3, len(mentions))):
        candidate = mentions[later]
        between = text[previous.end:candidate.start]
        if candidate.source == "demonym" or not (
                rules.container_between.fullmatch(between) or (
                    is_cyrillic_span(text, candidate.start, candidate.end)
                    and cyrillic_rules().container_between.fullmatch(between))):
            break  # "Роботине Запорізької області": a region in the genitive right after contains the place
        if candidate.role not in ("any", "region", "district"):
            break
        if candidate.role == "any" and is_cyrillic_span(text, candidate.start, candidate.end) and \
                later + 1 < len(mentions) and _CYRILLIC_LIST.fullmatch(text[candidate.end:mentions[later + 1].start]):
            break  # "Горловку, Донецк и Макеевку": a city of a list, not the oblast of the one before it
        found.append(later)
        previous = candidate
    return found
