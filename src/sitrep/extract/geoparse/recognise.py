"""Recognition: where a document names places, and what kind of place each phrase asks for.

Four sources, in order of trust; a later one never overlaps an earlier one:
  1. gazetteer names found by the Aho-Corasick automaton, on word boundaries, capitalised, and covered
     by a proper noun or an entity (Cyrillic skips the spaCy check: the English model cannot tag it);
  2. demonyms ("Ukrainian"), as their own kind of mention (spaCy sometimes tags them GPE);
  3. spaCy's GPE/LOC/FAC entities, whether the gazetteer knows them or not;
  4. capitalised names after or before a place cue ("the village of X", "X region", "the X direction").
Each mention then gets a role from the words around it: "X region" asks for a region, "the village of X"
for a settlement, "X raion" for a district, and a near cue ("south of X") lowers the precision.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from sitrep.extract.geoparse import cyrillic
from sitrep.extract.geoparse.roles import ORGANISATION_LABELS, assign_uses
from sitrep.extract.geoparse.rules import CUE_WINDOW, NAME, SUFFIX_WINDOW, Rules, rules
from sitrep.extract.nlp import PlaceHints

# How many names a list may hold before a known place ("A, B, C and <place>").
MAX_LISTED = 12
# An all-capital word this short is an acronym (NATO, CNN, BJP) unless spaCy calls it a place.
ACRONYM_MAX_CHARS = 5

Role = Literal["any", "settlement", "district", "region"]
Source = Literal["gazetteer", "entity", "cue", "demonym", "given"]

_CYRILLIC = re.compile("[\u0400-\u04ff]")
_CAPITALISED_WORD = re.compile(r"\b[A-Z][a-z]+\b")
_LEADING_THE = re.compile(r"^(?:the|The|THE)\s+")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
# The parts of a person entity that look like a name ("George Washington"). The small model sometimes
# runs one entity over a caption's place and its credit ("Avdiivka - Ivan Petrenko"): split at
# punctuation, the place stands alone and the credit is still a person.
_PERSON_NAME = re.compile(r"[\w.'’]+(?:[ -][\w.'’]+)*")


@dataclass
class Mention:
    """A phrase of the text that names a place; ``name`` is its lower-case gazetteer key."""

    start: int
    end: int
    name: str
    source: Source
    role: Role = "any"
    near: bool = False
    # None for a sure mention; "notable" for a gazetteer match that a notable or nearby place confirms;
    # "country" for an acronym, which only a country or region confirms.
    confirm: Literal["notable", "country"] | None = None
    # What the place is for the event around it (roles.py): location, region, speaker, axis, ...
    use: str = "location"
    # Indices of the mentions right after it that may contain it ("X, Pokrovsk raion, Donetsk").
    within: list[int] = field(default_factory=list)
    # Index of a place that an appositive names as this one's neighbour ("X, a settlement east of Y").
    near_to: int | None = None
    # The distance the text gives between the two, in km ("12km southeast of Bakhmut"), when it gives one.
    near_km: float | None = None
    # Right after a locative word ("in", "near", "of" ...) or heading a line ("Robotyne, evening report.").
    locative: bool = False
    # More gazetteer keys for the same name: the Latin transliterations of a declined Cyrillic name
    # (cyrillic.py), whose places count as candidates too.
    keys: tuple[str, ...] = ()

    @property
    def kind(self) -> Literal["toponym", "demonym"]:
        return "demonym" if self.source == "demonym" else "toponym"


def find_mentions(text: str, gazetteer, hints: PlaceHints) -> list[Mention]:
    """Every place mention of ``text``, in order, with its role (see the module docstring)."""
    rule = rules()
    lowered = lower_same_length(text)
    taken = _Spans()
    demonyms = _demonym_mentions(text, getattr(gazetteer, "demonyms", None) or {})
    peoples = {(mention.start, mention.end) for mention in demonyms}
    # Declined Cyrillic names first ("під Бахмутом", "Донецької області"): "біля Великої Новосілки" is
    # one place, not the village Новосілки that the automaton finds inside it.
    vetoed = _Spans()
    for found in cyrillic.find_cyrillic(text, gazetteer, _Spans()):
        (taken if found.key else vetoed).add(Mention(found.start, found.end, found.key, "gazetteer", role=found.role,
                                                     near=found.near, keys=found.keys))
    for mention in _gazetteer_mentions(text, lowered, gazetteer, hints, rule):
        if (mention.start, mention.end) not in peoples and not taken.overlaps(mention.start, mention.end) \
                and not vetoed.overlaps(mention.start, mention.end):
            taken.add(mention)  # "Canadian" is the people, not the Texas town
    appositions = _apposition_mentions(text, gazetteer)
    # The English model's entities over Cyrillic text are guesses ("Ворог" tagged GPE): not read.
    entities = [mention for mention in _entity_mentions(text, hints, rule)
                if not _CYRILLIC.search(text, mention.start, mention.end)]
    for found in (demonyms, entities, _cue_mentions(text, hints, rule), appositions):
        for mention in found:
            if not taken.overlaps(mention.start, mention.end):
                taken.add(mention)
    # Two recoveries for the war's theatre only (where a missed village costs an event its place):
    # elsewhere they add more false places than they find (GeoWebNews, `sitrep eval geoparse`).
    others = _entity_spans(hints, rule.person_labels | ORGANISATION_LABELS)
    for mention in [*_listed_before(text, taken.sorted(), hints), *_same_name_elsewhere(text, taken.sorted())]:
        if not taken.overlaps(mention.start, mention.end) and not _covered(others, mention.start, mention.end) \
                and _in_theatre(gazetteer, mention.name, rule):
            taken.add(mention)
    units = [match.span() for match in rule.unit_pattern.finditer(text)] if rule.unit_pattern else []
    mentions = [mention for mention in taken.sorted()
                if mention.source == "demonym" or not _covered(units, mention.start, mention.end)]
    persons = _entity_spans(hints, rule.person_labels)
    for mention in mentions:
        if mention.source != "demonym":
            assign_role(text, mention, rule)
            locative = cyrillic.cyrillic_rules().locative_before if _CYRILLIC.search(text, mention.start, mention.end) \
                else _LOCATIVE_BEFORE
            mention.locative = not _covered(persons, mention.start, mention.end) and bool(locative.search(text, max(0, mention.start - 24), mention.start)
                                    or _HEADING.match(text, _line_start(text, mention.start)) and
                                    _line_start(text, mention.start) == mention.start)
    assign_uses(text, mentions, _entity_spans(hints, ORGANISATION_LABELS))
    return mentions


def lower_same_length(text: str) -> str:
    """``text.lower()``, unless lowering changes its length (a dotted capital I): then character by
    character, so that offsets into the lowered text are offsets into ``text``."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)


class _Spans:
    """Accepted mentions, with a fast overlap test (mentions never overlap each other)."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._mentions: list[Mention] = []

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect_right(self._starts, start)
        if index > 0 and self._mentions[index - 1].end > start:
            return True
        return index < len(self._starts) and self._starts[index] < end

    def add(self, mention: Mention) -> None:
        index = bisect_right(self._starts, mention.start)
        self._starts.insert(index, mention.start)
        self._mentions.insert(index, mention)

    def sorted(self) -> list[Mention]:
        return list(self._mentions)


def _gazetteer_mentions(text: str, lowered: str, gazetteer, hints: PlaceHints, rule: Rules) -> list[Mention]:
    """Gazetteer names that are names here. A match inside a GPE/LOC/FAC entity, in Cyrillic or (later,
    in assign_role) next to a place cue is sure; any other is weak, and resolution keeps a weak one
    only where it lands on a notable place or one the rest of the document points to."""
    persons = [span for start, end in _entity_spans(hints, rule.person_labels)
               for span in _person_names(text, start, end)]
    person_words = {word.lower() for start, end in persons for word in text[start:end].split()
                    if " " in text[start:end]}
    places = _entity_spans(hints, rule.place_labels)
    numbers = _entity_spans(hints, rule.non_place_labels)
    found = []
    for start, end, key in _scan(lowered, gazetteer):
        capitals = key in rule.capital_names and text[start:end].isupper()
        if key in rule.stop_names or (key in _stop_words() and not capitals) or not is_named(text, start, end, hints):
            continue  # "The" is no place even inside "The Bahamas"; "US" is, "us" is not
        if _common(key, rule) and _inside_longer(places, start, end):
            continue  # "Sea" in "the Black Sea": the entity is the place, read by the entity pass
        if _CYRILLIC.search(text, start, end) is not None:
            region = cyrillic.informal_region(text[start:end], gazetteer) if " " not in key else None
            if region is not None:  # "Харківщина" is the oblast, not the village of that name
                found.append(Mention(start, end, region, "gazetteer", role="region"))
            elif not cyrillic.is_stop_word(text, start, end, key):  # "Перемога" is victory unless "село Перемога"
                found.append(Mention(start, end, key, "gazetteer"))  # the English model cannot read Cyrillic
        elif hints.proper is None or _inside(places, start, end):
            found.append(Mention(start, end, key, "gazetteer"))
        elif not (_inside(numbers, start, end) or (_common(key, rule) and not capitals)):
            person = _person_entity(persons, start, end)
            if person == "part" or (person == "whole" and key in person_words):
                continue  # "Washington" in "George Washington", and "Washington" alone after it
            found.append(Mention(start, end, key, "gazetteer",
                                 confirm="country" if _acronym(text[start:end]) else "notable"))
    chosen = _longest_first(found)
    actors = _actor_spans(text, lowered, hints, rule)
    return [mention for mention in chosen if not _covered(actors, mention.start, mention.end)]


def _scan(lowered: str, gazetteer) -> Iterator[tuple[int, int, str]]:
    """(start, end, key) of every gazetteer name on word boundaries. The index's integer automaton is
    read directly where there is one: most raw matches end inside a word, and are dropped before
    their name is looked up."""
    raw, name_of = getattr(gazetteer.automaton, "raw", None), getattr(gazetteer, "name", None)
    size = len(lowered)
    if raw is None or name_of is None:
        for end_index, key in gazetteer.automaton.iter(lowered):
            start = end_index - len(key) + 1
            if on_word_boundaries(lowered, start, end_index + 1):
                yield start, end_index + 1, key
        return
    for end_index, name_id in raw.iter(lowered):
        end = end_index + 1
        if end < size and (lowered[end].isalnum() or lowered[end] == "_"):
            continue
        key = name_of(name_id)
        start = end - len(key)
        if start == 0 or not (lowered[start - 1].isalnum() or lowered[start - 1] in "-_"):
            yield start, end, key


def _common(key: str, rule: Rules) -> bool:
    """English function and common words ("The", "May", "Bank"): a place only inside a place entity or
    next to a place cue."""
    return key in _stop_words() or key in rule.common_words


def _acronym(word: str) -> bool:
    """"NATO", "CNN", "US": GeoNames lists airport codes among alternate names, so an acronym that spaCy
    does not call a place counts only as a country or region ("US", "DPRK")."""
    return word.isupper() and word.replace(".", "").isalpha() and len(word.replace(".", "")) <= ACRONYM_MAX_CHARS


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def _inside_longer(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s_start <= start and end <= s_end and s_end - s_start > end - start for s_start, s_end in spans)


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s_start <= start and end <= s_end for s_start, s_end in spans)


def on_word_boundaries(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before in "-_") and not (after.isalnum() or after in "_")


def is_named(text: str, start: int, end: int, hints: PlaceHints) -> bool:
    """Capitalised, and a proper noun or entity to spaCy (so "Police said" is not the Polish town)."""
    if not text[start].isupper():
        return False
    if hints.proper is None or _CYRILLIC.search(text, start, end):
        return True
    return any(offset in hints.proper for offset in range(start, end))


def _longest_first(mentions: list[Mention]) -> list[Mention]:
    """Drop matches inside or across longer ones ("Novosilka" inside "Velyka Novosilka")."""
    chosen: list[Mention] = []
    for mention in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        if chosen and mention.start < chosen[-1].end:
            continue
        chosen.append(mention)
    return chosen


def _entity_spans(hints: PlaceHints, labels: frozenset[str]) -> list[tuple[int, int]]:
    return [(start, end) for start, end, label in hints.entities if label in labels]


def _person_names(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(start + match.start(), start + match.end()) for match in _PERSON_NAME.finditer(text[start:end])]


def _person_entity(persons: list[tuple[int, int]], start: int, end: int) -> str | None:
    """"part" when the match is part of a longer person's name ("George Washington"); "whole" when it is
    a person entity by itself, which is a person only when the document also uses the word inside a
    longer name: the small model tags many an unknown town PERSON ("Avdiivka"); else None."""
    for p_start, p_end in persons:
        if p_start <= start and end <= p_end:
            return "whole" if (p_start, p_end) == (start, end) else "part"
    return None


def _actor_spans(text: str, lowered: str, hints: PlaceHints, rule: Rules) -> list[tuple[int, int]]:
    """Spans of "the Kremlin", "the White House": institutions that speak, not places; and of
    weapons named like places ("Bradley vehicles")."""
    spans = []
    for start, end, _label in hints.entities:
        if _strip(text, start, end)[2].lower() in rule.actor_names:
            spans.append((start, end))
    for match in rule.actor_pattern.finditer(lowered):
        if on_word_boundaries(lowered, match.start(), match.end()):
            spans.append(match.span())
    spans.extend(match.span() for match in rule.equipment_pattern.finditer(lowered))
    return spans


def _covered(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s_start < end and start < s_end for s_start, s_end in spans)


def _strip(text: str, start: int, end: int) -> tuple[int, int, str]:
    """The span without a leading "the" and a trailing possessive: "the Black Sea's" -> "Black Sea"."""
    phrase = text[start:end]
    leading = _LEADING_THE.match(phrase)
    if leading:
        start += leading.end()
    trailing = _POSSESSIVE.search(text, start, end)
    if trailing and trailing.start() > start:
        end = trailing.start()
    return start, end, text[start:end]


def _entity_mentions(text: str, hints: PlaceHints, rule: Rules) -> list[Mention]:
    mentions = []
    for start, end, label in hints.entities:
        if label not in rule.place_labels:
            continue
        start, end, phrase = _strip(text, start, end)
        if start in hints.adjectives and " " not in phrase:
            continue  # "Ukrainian troops": a people's adjective, which the demonym pass reads
        if phrase and phrase.lower() not in rule.actor_names and (phrase[0].isupper() or phrase[0].isdigit()):
            mentions.append(Mention(start, end, phrase.lower(), "entity"))
    return mentions


def _cue_mentions(text: str, hints: PlaceHints, rule: Rules) -> list[Mention]:
    """Names that a cue marks as places ("the village of X", "X region"), known to the gazetteer or not."""
    mentions = []
    for pattern, role in rule.cue_names:
        for match in pattern.finditer(text):
            start, end, phrase = _strip(text, *match.span("name"))
            if phrase and phrase.lower() not in rule.actor_names and is_named(text, start, end, hints):
                mentions.append(Mention(start, end, phrase.lower(), "cue", role=role))
    return _longest_first(mentions)


_APPOSITION = re.compile(rf"(?P<name>{NAME}),\s+(?:{NAME}\s+(?:raion|rayon|district|hromada),\s+)?(?P<region>{NAME})(?=[\s.,;:)]|$)")


def _apposition_mentions(text: str, gazetteer) -> list[Mention]:
    """"Rudka, Chernihiv": a capitalised name right before a first-level region's name is a place, as
    in ACLED's notes, whether or not spaCy tags it (roles.py then keeps it inside that region)."""
    short = getattr(gazetteer, "region_short", None) or {}
    mentions = []
    for match in _APPOSITION.finditer(text):
        region = match.group("region").lower()
        if region in short or region.rsplit(" ", 1)[0] in short:
            start, end, phrase = _strip(text, *match.span("name"))
            if phrase and phrase.lower() not in short:
                mentions.append(Mention(start, end, phrase.lower(), "cue"))
    return mentions


# Words right before a name that make it a place in the war's theatre: locative prepositions, and the
# verbs whose object is a place ("captured Marinka", "shelled Vuhledar", "entered Robotyne").
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|near|at|of|from|to|towards?|outside|around|into|by|"
    r"captur(?:e|ed|es|ing)|seiz(?:e|ed|es|ing)|took|take|taking|liberat(?:e|ed|es|ing)|recaptur(?:e|ed|ing)|retook|"
    r"shell(?:ed|ing|s)?|struck|strik(?:e|es|ing)|hit|attack(?:ed|ing|s)?|storm(?:ed|ing|s)?|enter(?:ed|ing|s)?|"
    r"encircl(?:e|ed|ing)|surround(?:ed|ing)?|bomb(?:ed|ing)|occup(?:y|ied|ying)|reach(?:ed|ing)?)\s+(?:the\s+)?$",
    re.IGNORECASE)
_HEADING = re.compile(rf"{NAME}\s*[,.:!—–-]")


def _line_start(text: str, position: int) -> int:
    return text.rfind("\n", 0, position) + 1


def _in_theatre(gazetteer, name: str, rule: Rules) -> bool:
    return any(entry.country in rule.theatre_countries for entry in gazetteer.candidates(name))


def _same_name_elsewhere(text: str, mentions: list[Mention]) -> list[Mention]:
    """A name the document uses as a place once is a place wherever it stands in the same spelling
    ("Robotyne." as a post's first line, which the parse does not tag): one sense per discourse. Only
    sure mentions count (not weak gazetteer matches), and only multi-letter capitalised names."""
    sure = {text[m.start:m.end]: m for m in mentions
            if m.source in ("gazetteer", "entity", "cue") and m.confirm is None and m.end - m.start >= 4
            and text[m.start].isupper()}
    if not sure:
        return []
    # One pass over the text for all names (a long document names hundreds of places).
    names = "|".join(re.escape(surface) for surface in sorted(sure, key=len, reverse=True))
    found = []
    for match in re.finditer(rf"(?<![\w-])(?:{names})(?![\w-])", text):
        model = sure[match.group()]
        found.append(Mention(match.start(), match.end(), model.name, model.source, model.role))
    return found


_LISTED_BEFORE = re.compile(rf"(?P<name>{NAME})(?:,\s+(?:and\s+)?|\s+and\s+)$")


def _listed_before(text: str, mentions: list[Mention], hints: PlaceHints) -> list[Mention]:
    """"shelled Dibrovne, Krasnopillya, and Mazanivka": a capitalised name listed right before a place
    is a place too, whether or not the parse tagged it (resolution says when it cannot be found)."""
    found: list[Mention] = []
    for mention in mentions:
        if mention.source == "demonym":
            continue
        end = mention.start
        for _ in range(MAX_LISTED):
            match = _LISTED_BEFORE.search(text, max(0, end - 80), end)
            if match is None or not is_named(text, match.start("name"), match.end("name"), hints) \
                    or text[match.start("name"):match.end("name")].lower() in _stop_words():
                break
            start, stop, phrase = _strip(text, match.start("name"), match.end("name"))
            found.append(Mention(start, stop, phrase.lower(), "cue"))
            end = match.start("name")
    return found


def _demonym_mentions(text: str, demonyms: dict) -> list[Mention]:
    """Capitalised words (or pairs: "South Korean") that the gazetteer knows as a people's name,
    singular or plural."""
    if not demonyms:
        return []
    words = list(_CAPITALISED_WORD.finditer(text))
    mentions: list[Mention] = []
    for index, word in enumerate(words):
        if mentions and word.start() < mentions[-1].end:
            continue  # the second word of a pair already taken
        following = words[index + 1] if index + 1 < len(words) else None
        if following is not None and following.start() == word.end() + 1 and text[word.end()] == " ":
            key = _demonym_key(text[word.start():following.end()].lower(), demonyms)
            if key is not None:
                mentions.append(Mention(word.start(), following.end(), key, "demonym"))
                continue
        key = _demonym_key(word.group(0).lower(), demonyms)
        if key is not None:
            mentions.append(Mention(word.start(), word.end(), key, "demonym"))
    return mentions


def _demonym_key(word: str, demonyms: dict) -> str | None:
    if word in demonyms:
        return word
    return word[:-1] if word.endswith("s") and word[:-1] in demonyms else None


def assign_role(text: str, mention: Mention, rule: Rules) -> None:
    """Read the words around a mention: region/district suffixes (kept in the mention when singular),
    a settlement cue before it, and near cues on either side."""
    if _CYRILLIC.search(text, mention.start, mention.end):
        _assign_cyrillic_role(text, mention)
        return
    after = text[mention.end:mention.end + SUFFIX_WINDOW]
    before = text[max(0, mention.start - CUE_WINDOW):mention.start]
    region = rule.region_after.match(after)
    district = rule.district_after.match(after)
    if region or district:
        suffix = region or district
        mention.role = "region" if region else "district"
        mention.end += suffix.end()
    elif mention.role != "any":
        pass  # a cue already said what the name is
    elif rule.coordinated_regions.match(text[mention.end:mention.end + 4 * SUFFIX_WINDOW]):
        mention.role = "region"
    elif rule.settlement_before.search(before):
        mention.role = "settlement"
    if rule.near_before.search(before) or rule.near_after.match(after):
        mention.near = True
    if mention.near or mention.role != "any":
        mention.confirm = None  # a place cue confirms the name


def _assign_cyrillic_role(text: str, mention: Mention) -> None:
    """assign_role for a Cyrillic mention, by the rules of lang/uk and lang/ru (cyrillic.py read the
    suffixes of declined names already; a nominative one is read here: "Донецька область")."""
    rules = cyrillic.cyrillic_rules()
    before = text[max(0, mention.start - CUE_WINDOW):mention.start]
    last = mention.name.rsplit(" ", 1)[-1]
    if mention.role == "any" and last in rules.region_nouns:
        mention.role = "region"
    elif mention.role == "any" and last in rules.district_nouns:
        mention.role = "district"
    elif mention.role == "any" and rules.settlement_before.search(before):
        mention.role = "settlement"
    if rules.near_before.search(before):
        mention.near = True
    if mention.near or mention.role != "any":
        mention.confirm = None


def given_mention(text: str, start: int, end: int, gazetteer) -> Mention:
    """A mention someone else found, read like a recognised one: a demonym when the gazetteer has no
    place of that name, a region or district when a suffix follows or ends it ("Donetsk region")."""
    rule = rules()
    _, _, phrase = _strip(text, start, end)
    name = phrase.lower()
    mention = Mention(start, end, name, "given")
    if not gazetteer.candidates(name):
        key = _demonym_key(name, getattr(gazetteer, "demonyms", None) or {})
        if key is not None:
            return Mention(start, end, key, "demonym")
        _split_suffix(mention, phrase, rule)
    assign_role(text, mention, rule)
    mention.start, mention.end = start, end  # a given span is reported as given
    return mention


def _split_suffix(mention: Mention, phrase: str, rule: Rules) -> None:
    """ "Donetsk region" -> name "donetsk", role region (when the whole phrase is no gazetteer name)."""
    words = phrase.rsplit(None, 1)
    if len(words) != 2:
        return
    suffix = " " + words[1]
    if rule.region_after.match(suffix) and rule.region_after.match(suffix).end() == len(suffix):
        mention.name, mention.role = words[0].lower(), "region"
    elif rule.district_after.match(suffix) and rule.district_after.match(suffix).end() == len(suffix):
        mention.name, mention.role = words[0].lower(), "district"
