"""Actors: who acts and who is acted upon, found in a sentence and resolved against the catalogue.

The catalogue (``data/actors.yaml``, described in docs/actors.md) lists units, branches, groups and
generic roles with their side, kind, parent and ACLED actor name. ``find_actors`` finds every
mention in a parsed sentence with two Aho-Corasick automata (one for aliases matched regardless of
case, one for abbreviations and common words matched as written); phrases such as "the enemy" or
"civilians" are resolved from the speaker's side or the places the sentence names.
``assign_roles`` then picks actor1 (who acts) and actor2 (the target) from the dependency parse
around the event's trigger word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from itertools import product

import ahocorasick
import yaml

from sitrep.errors import ConfigError
from sitrep.extract import cyrillic_roles
from sitrep.models import Actor

SIDES = ("UA", "RU", "third-party", "unknown")
OPPOSITE = {"UA": "RU", "RU": "UA"}
RESOLVE_MODES = frozenset({"other", "own", "local", "own_or_local"})
# British spellings in the catalogue and the American forms reports also use.
SPELLINGS = (("defence", "defense"), ("ised", "ized"), ("isation", "ization"), ("armour", "armor"),
             ("centre", "center"))
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
# Words after a country adjective searched for an attack word: "Russian [missile and drone] attack".
ATTACK_WINDOW = 3
_WORD = re.compile(r"[\w-]+")

# Dependency labels, as spaCy's English models name them.
MODIFIER_DEPS = frozenset({"amod", "compound", "poss", "nmod", "nummod", "det", "case"})
SUBJECT_DEPS = frozenset({"nsubj", "csubj", "expl"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
OBJECT_DEPS = frozenset({"dobj", "obj", "dative", "attr", "oprd"})
# Prepositions whose object is the target ("attack on Kharkiv", "fired at positions").
TARGET_PREPS = frozenset({"against", "on", "upon", "at", "into", "targeting", "toward", "towards"})
# Prepositions whose object is the attacker ("shelling from Russian positions").
SOURCE_PREPS = frozenset({"from"})
# Prepositions that place an owned attack around the trigger: "killed in a Russian strike".
CIRCUMSTANCE_PREPS = frozenset({"in", "during", "after", "amid", "under", "following", "as"})
# Edges allowed between an actor's verb and the trigger: 3 covers a light verb and an infinitive
# ("forces launched an attack", "troops tried to storm the village") in the team's test table
# (tests/test_actors.py) without reaching into a neighbouring clause.
MAX_ROLE_DISTANCE = 3
NOMINAL_POS = frozenset({"NOUN", "PROPN", "PRON"})
# Kinds whose names take a unit noun after them ("Rosgvardia troops"); "Kyiv regime forces" is
# the army, not the government, and has an alias of its own.
ARMED_KINDS = frozenset({"military", "paramilitary", "pmc", "separatist", "rebel", "intelligence", "police"})


@dataclass(frozen=True)
class ActorEntry:
    """One catalogue entry, with side, kind and ACLED name filled in from its parents."""

    id: str
    name: str
    side: str
    kind: str
    acled: str
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    cased: tuple[str, ...] = ()

    def actor(self, mention: str | None = None, start: int | None = None, end: int | None = None) -> Actor:
        return Actor(name=self.name, side=self.side, kind=self.kind, id=self.id, acled=self.acled,
                     mention=mention, start=start, end=end)


@dataclass(frozen=True)
class GenericRule:
    """Phrases ("the enemy", "civilians") whose entry depends on the speaker or the place."""

    resolve: str
    targets: dict[str, str]
    aliases: tuple[str, ...] = ()
    cased: tuple[str, ...] = ()


@dataclass
class Catalogue:
    version: int | str
    entries: tuple[ActorEntry, ...]
    generic: tuple[GenericRule, ...]
    demonyms: dict[str, str]
    countries: dict[str, str]
    attack_words: frozenset[str]
    unit_nouns: frozenset[str]
    russian_places: re.Pattern[str]
    attack_stems: tuple[str, ...] = ()
    weapons: dict[str, re.Pattern[str]] = field(default_factory=dict)
    _by_id: dict[str, ActorEntry] = field(default_factory=dict, repr=False)
    _folded: ahocorasick.Automaton | None = field(default=None, repr=False)
    _cased: ahocorasick.Automaton | None = field(default=None, repr=False)

    def get(self, actor_id: str) -> ActorEntry | None:
        return self._by_id.get(actor_id)

    def children(self, actor_id: str) -> list[ActorEntry]:
        return [entry for entry in self.entries if entry.parent == actor_id]


# ------------------------------------------------------------------ loading


@lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    """The catalogue in ``data/actors.yaml``, checked and compiled once per process."""
    text = resources.files("sitrep.data").joinpath("actors.yaml").read_text("utf-8")
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ConfigError(f"sitrep/data/actors.yaml is not valid YAML: {error}") from None
    return _build(raw or {})


def _build(raw: dict) -> Catalogue:
    macros = raw.get("macros") or {}
    entries = _entries(raw.get("entries") or [], macros)
    by_id = {entry.id: entry for entry in entries}
    generic = tuple(_generic(rule, macros, by_id) for rule in raw.get("generic") or [])
    demonyms = _checked_targets({**(raw.get("demonyms") or {}), **_declined(raw.get("declined_demonyms") or {})},
                                by_id, "demonyms")
    countries = _checked_targets(raw.get("countries") or {}, by_id, "countries")
    places = raw.get("russian_places") or []
    catalogue = Catalogue(
        version=raw.get("version", 0), entries=entries, generic=generic, demonyms=demonyms,
        countries=countries, attack_words=frozenset(word.lower() for word in raw.get("attack_words") or []),
        unit_nouns=frozenset(word.lower() for word in raw.get("unit_nouns") or []),
        russian_places=re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, places)) or '(?!)'})(?!\w)"),
        attack_stems=tuple(stem.lower() for stem in raw.get("attack_stems") or ()),
        weapons={side: _weapon_pattern(lists) for side, lists in (raw.get("weapons") or {}).items()}, _by_id=by_id)
    catalogue._folded, catalogue._cased = _automata(catalogue)
    return catalogue


def _weapon_pattern(lists: dict) -> re.Pattern[str]:
    stems = [re.escape(stem) for stem in lists.get("stems") or ()]
    words = [re.escape(word) for word in lists.get("words") or ()]
    alternatives = [rf"(?i:{'|'.join(stems)})"] if stems else []
    if words:
        alternatives.append(rf"(?:{'|'.join(words)})(?!\w)")
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives) or '(?!)'})")


def weapon_side(text: str) -> str | None:
    """The side whose own weapon ``text`` names ("Іскандер", "Shahed", "HIMARS"); None when it names
    none, or weapons of both sides."""
    sides = [side for side, pattern in load_catalogue().weapons.items() if pattern.search(text)]
    return sides[0] if len(sides) == 1 else None


def _declined(raw: dict) -> dict[str, str]:
    """Every form of the declined adjectives ("російськ" + "ими"), lower case and capitalised."""
    forms = {}
    for stem, actor_id in (raw.get("stems") or {}).items():
        for ending in raw.get("endings") or ():
            forms[stem + ending] = actor_id
            forms[(stem + ending).capitalize()] = actor_id
    return forms


def _entries(raw_entries: list[dict], macros: dict) -> tuple[ActorEntry, ...]:
    """Entries with side, kind and ACLED name inherited from their parent where left out."""
    raw_by_id: dict[str, dict] = {}
    for raw in raw_entries:
        if not isinstance(raw, dict) or "id" not in raw or "name" not in raw:
            raise ConfigError(f"sitrep/data/actors.yaml: an entry needs an id and a name, got {raw!r}")
        if raw["id"] in raw_by_id:
            raise ConfigError(f"sitrep/data/actors.yaml: id {raw['id']!r} is used twice")
        raw_by_id[raw["id"]] = raw
    return tuple(_entry(raw, raw_by_id, macros) for raw in raw_by_id.values())


def _inherited(raw: dict, key: str, raw_by_id: dict[str, dict]):
    seen = set()
    while raw.get(key) is None and raw.get("parent"):
        if raw["id"] in seen or raw["parent"] not in raw_by_id:
            raise ConfigError(f"sitrep/data/actors.yaml: entry {raw['id']!r} has an unknown or circular "
                              f"parent {raw['parent']!r}")
        seen.add(raw["id"])
        raw = raw_by_id[raw["parent"]]
    return raw.get(key)


def _entry(raw: dict, raw_by_id: dict[str, dict], macros: dict) -> ActorEntry:
    values = {key: _inherited(raw, key, raw_by_id) for key in ("side", "kind", "acled")}
    if values["side"] not in SIDES or not values["kind"] or not values["acled"]:
        raise ConfigError(f"sitrep/data/actors.yaml: entry {raw['id']!r} needs a side (one of "
                          f"{', '.join(SIDES)}), a kind and an acled name, itself or from its parent")
    if raw.get("parent") and raw["parent"] not in raw_by_id:
        raise ConfigError(f"sitrep/data/actors.yaml: entry {raw['id']!r} has an unknown parent {raw['parent']!r}")
    return ActorEntry(id=raw["id"], name=raw["name"], parent=raw.get("parent"), **values,
                      aliases=_expand([raw["name"], *(raw.get("aliases") or [])], macros),
                      cased=_expand(raw.get("cased") or [], macros))


def _generic(raw: dict, macros: dict, by_id: dict[str, ActorEntry]) -> GenericRule:
    if raw.get("resolve") not in RESOLVE_MODES:
        raise ConfigError(f"sitrep/data/actors.yaml: generic rule resolve must be one of "
                          f"{', '.join(sorted(RESOLVE_MODES))}, got {raw.get('resolve')!r}")
    targets = _checked_targets(raw.get("targets") or {}, by_id, "generic targets")
    if set(targets) != {"UA", "RU"}:
        raise ConfigError("sitrep/data/actors.yaml: each generic rule needs targets for UA and RU")
    return GenericRule(resolve=raw["resolve"], targets=targets,
                       aliases=_expand(raw.get("aliases") or [], macros), cased=_expand(raw.get("cased") or [], macros))


def _checked_targets(targets: dict, by_id: dict[str, ActorEntry], where: str) -> dict[str, str]:
    for key, actor_id in targets.items():
        if actor_id not in by_id:
            raise ConfigError(f"sitrep/data/actors.yaml: {where} entry {key!r} points to unknown id {actor_id!r}")
    return {str(key): value for key, value in targets.items()}


def _expand(aliases: list[str], macros: dict) -> tuple[str, ...]:
    """Aliases with {macros} filled in every way, plus American spellings of British ones."""
    expanded: list[str] = []
    for alias in aliases:
        names = re.findall(r"\{(\w+)\}", str(alias))
        unknown = [name for name in names if name not in macros]
        if unknown:
            raise ConfigError(f"sitrep/data/actors.yaml: alias {alias!r} uses unknown macro {unknown[0]!r}")
        for values in product(*(macros[name] for name in names)):
            filled = str(alias)
            for name, value in zip(names, values):
                filled = filled.replace("{" + name + "}", str(value), 1)
            expanded.extend(_spellings(filled))
    return tuple(dict.fromkeys(expanded))


def _spellings(alias: str) -> list[str]:
    american = alias
    for british, us in SPELLINGS:
        american = american.replace(british, us).replace(british.capitalize(), us.capitalize())
    return [alias] if american == alias else [alias, american]


# ------------------------------------------------------------------ matching


def _fold(text: str) -> str:
    """Lower case with apostrophes unified, keeping every character where it was."""
    text = text.translate(APOSTROPHES)
    folded = text.lower()
    if len(folded) != len(text):  # a few characters ("İ") lower-case to two
        folded = "".join(char.lower() if len(char.lower()) == 1 else char for char in text)
    return folded


def _automata(catalogue: Catalogue) -> tuple[ahocorasick.Automaton, ahocorasick.Automaton]:
    """Two automata: aliases folded to lower case, and cased aliases as written.

    Each key maps to (length, kind, reference); kind is entry, generic, demonym or country. When two
    keys collide, the first added wins: entries come before generic phrases and conditional words.
    """
    folded, cased = ahocorasick.Automaton(), ahocorasick.Automaton()

    def add(automaton, key: str, value: tuple) -> None:
        if key and key not in automaton:
            automaton.add_word(key, (len(key), *value))

    for entry in catalogue.entries:
        for alias in entry.aliases:
            add(folded, _fold(alias), ("entry", entry.id))
        for alias in entry.cased:
            for form in _cased_forms(alias):
                add(cased, form, ("entry", entry.id))
    for index, rule in enumerate(catalogue.generic):
        for alias in rule.aliases:
            add(folded, _fold(alias), ("generic", index))
        for alias in rule.cased:
            for form in _cased_forms(alias):
                add(cased, form, ("generic", index))
    for word, actor_id in catalogue.demonyms.items():
        add(cased, word.translate(APOSTROPHES), ("demonym", actor_id))
    for word, actor_id in catalogue.countries.items():
        add(cased, word, ("country", actor_id))
    for automaton in (folded, cased):
        if len(automaton):
            automaton.make_automaton()
    return folded, cased


def _cased_forms(alias: str) -> list[str]:
    alias = alias.translate(APOSTROPHES)
    return [alias, alias[0].upper() + alias[1:]] if alias[:1].islower() else [alias]


@dataclass(frozen=True)
class _Match:
    start: int  # relative to the sentence's text
    end: int
    kind: str
    reference: str | int
    extended: bool = False  # a unit noun was added after the name


def _matches(text: str, catalogue: Catalogue) -> list[_Match]:
    """Every catalogue key found in ``text`` on word boundaries, overlaps included."""
    found = []
    for automaton, haystack in ((catalogue._folded, _fold(text)), (catalogue._cased, text.translate(APOSTROPHES))):
        if automaton is None or not len(automaton):
            continue
        for last, (length, kind, reference) in automaton.iter(haystack):
            start, end = last - length + 1, last + 1
            if not _on_word_boundaries(text, start, end):
                continue
            found.append(_Match(start, end, kind, reference))
            if kind == "entry" and catalogue.get(reference).kind in ARMED_KINDS:
                extended = _with_unit_noun(text, end, catalogue.unit_nouns)
                if extended != end:
                    found.append(_Match(start, extended, kind, reference, extended=True))
    return found


def _with_unit_noun(text: str, end: int, unit_nouns: frozenset[str]) -> int:
    """The end of a name extended over a following unit noun: "Rosgvardia troops", "DPR fighters"."""
    word = _WORD.match(text, end + 1) if text[end:end + 1] == " " else None
    if word and word.group().lower() in unit_nouns:
        return word.end()
    return end


def _on_word_boundaries(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_")


def _longest_first(matches: list[_Match]) -> list[_Match]:
    """The longest matches that do not overlap, in text order."""
    chosen: list[_Match] = []
    for match in sorted(matches, key=lambda m: (m.start - m.end, m.extended, m.start)):
        if all(match.end <= other.start or match.start >= other.end for other in chosen):
            chosen.append(match)
    return sorted(chosen, key=lambda m: m.start)


_PAIRED_FORCES = re.compile(r"\s+(?:and|or)\s+(?:Russian|Ukrainian|Belarusian)\s+(?:forces|troops|units|soldiers|army|military)\b")


def _demonym_names_attacker(text: str, match: _Match, attack_words: frozenset[str]) -> bool:
    """Whether a country adjective is followed, within a few words, by an attack word."""
    if text[match.end:match.end + 1] == "-":  # "Russian-made", "Ukrainian-controlled"
        return False
    words = _WORD.findall(text[match.end:match.end + 60])[:ATTACK_WINDOW]
    if any(word.lower() in attack_words for word in words):
        return True
    stems = load_catalogue().attack_stems  # declined languages: "російський дрон", "российской авиации"
    if stems and any(word.lower().startswith(stems) for word in words[:2]):
        return True
    # "Russian and Ukrainian forces clashed": the first people of a pair of forces is an actor too.
    pair = _PAIRED_FORCES.match(text, match.end)
    return pair is not None


def _country_acts(sentence, match: _Match, attack_words: frozenset[str]) -> bool:
    """Whether a country's name is used as an actor ("Russia launched ...") rather than a place."""
    start = sentence.start_char + match.start
    span = sentence.doc.char_span(start, start + match.end - match.start, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    if root.dep_ in SUBJECT_DEPS:
        return True
    if root.dep_ == "pobj" and root.head.lower_ == "by":
        return True
    return root.dep_ == "poss" and root.head.lower_ in attack_words


# ------------------------------------------------------------------ finding


def find_actors(sentence, speaker_side: str = "unknown", offset: int = 0, place_country: str | None = None) -> list[Actor]:
    """Every actor mentioned in a spaCy sentence ``Span``, longest match first, no overlaps, in
    text order. ``start``/``end`` are ``offset`` plus the mention's offsets in the span's doc.

    Steps: match names and aliases with the automata; keep a country adjective only before an
    attack word and a country name only where the parse makes it an actor; choose the longest
    matches without overlap; resolve generic phrases from ``speaker_side`` and the places named
    (``place_country``: the country of the sentence's first resolved place, where the names of
    Russian places cannot be matched as written: Ukrainian and Russian decline them).
    """
    catalogue = load_catalogue()
    text = sentence.text
    matches = [match for match in _matches(text, catalogue) if _kept(sentence, text, match, catalogue)]
    chosen = _owned_by_following(text, _longest_first(matches))
    country = _local_country(text, chosen, catalogue)
    if country == "UA" and place_country == "RU":
        country = "RU"
    side = speaker_side if speaker_side in SIDES else "unknown"
    base = offset + sentence.start_char
    if side not in OPPOSITE and sentence.doc.lang_ in cyrillic_roles.LANGUAGES:
        # A Ukrainian or Russian writer of unknown side: the language's usual writer ("ворог" in Ukrainian
        # is Russia, "наши" in Russian Russia's forces), data in lang/<code>/actors.yaml.
        side = cyrillic_roles.cues(sentence.doc.lang_).own_default
    return [_actor(match, text[match.start:match.end], base, side, country, catalogue) for match in chosen]


# "Territorial defence forces of the DNR", "the militia of the LNR": a force named with "of" and another
# actor belongs to that actor.
_OF_OWNER = re.compile(r"\s+of\s+(?:the\s+)?")


def _owned_by_following(text: str, chosen: list[_Match]) -> list[_Match]:
    """Each match followed by "of <actor>" becomes that actor (the mention keeps its own words)."""
    owned = list(chosen)
    for number in range(len(owned) - 1):
        first, second = owned[number], owned[number + 1]
        if second.kind not in ("demonym", "country", "generic") and first.kind != "country" and \
                _OF_OWNER.fullmatch(text, first.end, second.start):
            owned[number] = replace(first, kind=second.kind, reference=second.reference)
    return owned


def _kept(sentence, text: str, match: _Match, catalogue: Catalogue) -> bool:
    if match.kind == "demonym":
        return _demonym_names_attacker(text, match, catalogue.attack_words)
    if match.kind == "country":
        return _country_acts(sentence, match, catalogue.attack_words)
    return True


def _local_country(text: str, chosen: list[_Match], catalogue: Catalogue) -> str:
    """RU when the sentence names a Russian place outside the actors' own names, else UA."""
    for place in catalogue.russian_places.finditer(text):
        if not any(match.start <= place.start() < match.end for match in chosen):
            return "RU"
    return "UA"


def _actor(match: _Match, mention: str, base: int, side: str, country: str, catalogue: Catalogue) -> Actor:
    start, end = base + match.start, base + match.end
    if match.kind != "generic":
        return catalogue.get(match.reference).actor(mention, start, end)
    rule = catalogue.generic[match.reference]
    target = _resolve(rule, side, country)
    if target is None:
        kind = catalogue.get(rule.targets["UA"]).kind
        return Actor(name=mention, side="unknown", kind=kind, mention=mention, start=start, end=end)
    return catalogue.get(rule.targets[target]).actor(mention, start, end)


def _resolve(rule: GenericRule, speaker_side: str, country: str) -> str | None:
    """The side ("UA"/"RU") a generic phrase stands for, or None when it cannot be told."""
    if rule.resolve == "other":
        return OPPOSITE.get(speaker_side)
    if rule.resolve == "own":
        return speaker_side if speaker_side in OPPOSITE else "UA"
    if rule.resolve == "own_or_local":
        return speaker_side if speaker_side in OPPOSITE else country
    return country


# ------------------------------------------------------------------ roles


def assign_roles(sentence, actors: list[Actor], trigger_index: int | None,
                 trigger_last: int | None = None) -> tuple[Actor | None, Actor | None]:
    """(actor1, actor2): who acts and who is acted upon, from the parse around the trigger.

    ``trigger_index`` indexes the sentence's doc; with None, roles come from the parse of the
    whole sentence, then from order. Steps: find each actor's tokens; walk up from its head to the
    word it depends on, reading its role on the way (subject, passive agent, owner of an attack
    word -> agent; object, passive subject, "on/against X" -> target); keep the roles closest to
    the trigger, ignoring reporting verbs ("..., the military said"); fill gaps by order.
    """
    if not actors:
        return None, None
    doc = sentence.doc
    if cyrillic_roles.reads_roles(doc):
        return cyrillic_roles.roles(sentence, actors, _actor_spans(sentence, actors), trigger_index, trigger_last)
    trigger = doc[trigger_index] if trigger_index is not None and 0 <= trigger_index < len(doc) else None
    catalogue = load_catalogue()
    readings = []
    for position, (actor, span) in enumerate(zip(actors, _actor_spans(sentence, actors))):
        role, governor = _role(span.root, catalogue.attack_words) if span is not None else (None, None)
        readings.append(_Reading(position, actor, role, governor, span.root.i if span is not None else None))
    reporting = _reporting_verbs()
    # The subject of a reporting verb is no actor ("..., the military said"), unless the event is the
    # verb's own subjectless complement: "Ukrainian forces reported destroying a bridge".
    doer_reports = trigger is not None and trigger.head.lower_ in reporting and \
        not any(child.dep_ in SUBJECT_DEPS for child in trigger.children) and trigger.dep_ in ("xcomp", "ccomp", "dobj")
    usable = [r for r in readings if r.governor is None or r.governor.lower_ not in reporting or r.governor == trigger
              or (doer_reports and r.governor == trigger.head)]
    actor1 = _closest(usable, "agent", trigger, exclude=None)
    actor2 = _closest(usable, "target", trigger, exclude=actor1)
    actor1 = actor1 or _by_order(usable, trigger, exclude=actor2, want_agent=True)
    actor2 = actor2 or _by_order(usable, trigger, exclude=actor1, want_agent=False)
    return (actor1.actor if actor1 else None), (actor2.actor if actor2 else None)


@dataclass(frozen=True)
class _Reading:
    position: int
    actor: Actor
    role: str | None
    governor: object | None  # spacy.tokens.Token
    index: int | None  # the actor's head token in the doc


def _reporting_verbs() -> frozenset[str]:
    from sitrep.extract.attribution import lexicon  # reporting verbs are attribution's lexicon

    return lexicon().verbs


def _actor_spans(sentence, actors: list[Actor]) -> list:
    """Each actor's tokens in the sentence's doc.

    The actors carry document offsets (paragraph offset + doc offset), so the paragraph offset is
    recovered as the one shift that puts every mention on its own words.
    """
    doc = sentence.doc
    occurrences = []
    for actor in actors:
        mention = actor.mention or actor.name
        places = [index.start() + sentence.start_char for index in re.finditer(re.escape(mention), sentence.text)]
        occurrences.append((mention, places))
    shifts = [{actor.start - place for place in places} if actor.start is not None else None
              for actor, (_, places) in zip(actors, occurrences)]
    common = set.intersection(*[shift for shift in shifts if shift]) if any(shifts) else set()
    spans = []
    for actor, (mention, places) in zip(actors, occurrences):
        place = next((p for p in places if actor.start is not None and actor.start - p in common), None)
        if place is None:
            place = places[0] if places else None
        spans.append(None if place is None else doc.char_span(place, place + len(mention), alignment_mode="expand"))
    return spans


# Nouns of a deed whose possessor did it ("Wagner's conquest of it"), and nouns whose "of X" names
# who holds a place ("under the control of X", "in the hands of X").
DEED_NOUNS = frozenset({"conquest", "capture", "seizure", "recapture", "takeover", "occupation", "offensive",
                        "counteroffensive", "counter-offensive", "assault", "attack", "attacks", "advance",
                        "advances", "withdrawal", "retreat", "liberation", "invasion", "strike", "strikes",
                        "shelling", "bombardment", "push", "breakthrough"})
HOLDER_NOUNS = frozenset({"control", "hands", "grip"})
# Weapons whose owner is the attacker wherever the weapon stands in the sentence.
WEAPON_NOUNS = frozenset({"mine", "mines", "landmine", "landmines", "shell", "shells", "missile", "missiles",
                          "rocket", "rockets", "drone", "drones", "bomb", "bombs", "ied", "ieds", "munition",
                          "munitions", "grenade", "grenades", "mortar", "mortars"})


def _role(token, attack_words: frozenset[str]) -> tuple[str | None, object | None]:
    """The actor's role ("agent", "target" or None) and the word it depends on, read upwards
    from its head token through modifiers, conjuncts and prepositions."""
    owns_attack = False
    for _ in range(12):  # a bounded walk: parses are trees, but a bad one must not loop
        dep, head = token.dep_, token.head
        if head is token:
            return None, token
        if dep == "poss" and head.lower_ in DEED_NOUNS:
            return "agent", head  # "Wagner's conquest of it", "Ukraine's recapture of Izyum"
        if dep in MODIFIER_DEPS and head.lower_ in WEAPON_NOUNS:
            return "agent", head  # "stepped on a Russian mine": whoever laid or fired it acts
        if dep in MODIFIER_DEPS or dep in ("conj", "appos", "compound"):
            owns_attack = owns_attack or (dep in MODIFIER_DEPS and head.lower_ in attack_words)
            token = head
            continue
        if dep in SUBJECT_DEPS:
            return "agent", head
        if dep in PASSIVE_SUBJECT_DEPS:
            return "target", head
        if dep in OBJECT_DEPS:
            return "target", head
        if dep in ("pobj", "pcomp"):
            role, next_token = _preposition_role(token, head, owns_attack, attack_words)
            if role == "owner":  # "an assault by X": X owns the assault, which has its own role
                owns_attack = True
            elif role != "continue":
                return role, next_token
            token = next_token
            continue
        return None, head
    return None, None


def _preposition_role(token, preposition, owns_attack: bool, attack_words: frozenset[str]):
    """The role given by the preposition over an actor: "by X" acts, "on X" is hit; "units of X"
    takes the role of "units"."""
    word, governor = preposition.lower_, preposition.head
    if preposition.dep_ == "agent" or word in ("by", "via"):
        return ("owner" if governor.pos_ in NOMINAL_POS else "agent"), governor
    if word in TARGET_PREPS:
        return "target", governor
    if word in SOURCE_PREPS:
        return "agent", governor
    if word in CIRCUMSTANCE_PREPS and (owns_attack or token.lower_ in attack_words):
        return "agent", governor
    if word == "of":
        if governor.lower_ in HOLDER_NOUNS:  # "under the control of the Defence Forces": they hold it
            return "agent", governor
        if governor.lower_ in attack_words:  # "the shelling of civilians"
            return "target", governor
        return "continue", governor
    return None, governor


def _distance(first, second) -> int:
    """Edges between two tokens of one dependency tree."""
    depths = {first.i: 0}
    for depth, ancestor in enumerate(first.ancestors, start=1):
        depths[ancestor.i] = depth
    if second.i in depths:
        return depths[second.i]
    for depth, ancestor in enumerate(second.ancestors, start=1):
        if ancestor.i in depths:
            return depth + depths[ancestor.i]
    return 1_000


def _closest(readings: list[_Reading], role: str, trigger, exclude: _Reading | None) -> _Reading | None:
    candidates = [r for r in readings if r.role == role and r is not exclude and r.governor is not None]
    if trigger is not None:
        scored = [(_distance(r.governor, trigger), r.position, r) for r in candidates]
        scored = [item for item in scored if item[0] <= MAX_ROLE_DISTANCE]
    else:
        scored = [(sum(1 for _ in r.governor.ancestors), r.position, r) for r in candidates]
    return min(scored, key=lambda item: item[:2])[2] if scored else None


def _by_order(readings: list[_Reading], trigger, exclude: _Reading | None, want_agent: bool) -> _Reading | None:
    """A fallback when the parse gives no role: the first actor without the opposite role; for
    actor1, civilians are passed over (they are rarely the ones acting) and, given a trigger, the
    actor must come before it."""
    for reading in readings:
        if reading is exclude or reading.role == ("target" if want_agent else "agent"):
            continue
        after_trigger = trigger is not None and reading.index is not None and reading.index > trigger.i
        if want_agent and (reading.actor.kind == "civilians" or after_trigger):
            continue
        return reading
    return None
