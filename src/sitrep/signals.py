"""Control signals: the statements inside one claim that say who holds a settlement.

A claim such as "Russian forces withdrew from Robotyne, but others said Russian resistance was
holding up" carries two signals from two speakers. ``control_signals`` finds them with regular
expressions only (no parse), since it runs over every stored claim:

1. drop the claim when its event is hypothetical or planned;
2. replace each settlement mention by placeholder characters (offsets unchanged), so that a rule
   can say "a settlement here" (``%place%``);
3. split the sentence where its attribution changes ("..., but others reported that ...") and
   then into clauses (";", "but", reporting verbs, "and" before a verb);
4. match the trigger patterns; of overlapping matches the first, then the longest, wins;
5. for each trigger: drop it when hedged ("would take", "to retreat"), then find the actor's side
   (inside the trigger, after "by", or the nearest side word before it in its clause), the
   settlement (in the trigger's clause, else the claim's event place, else "the town" read as the
   settlement named just before the claim) and the status, and derive the control state.

Every rule (triggers, side words, clause breaks, hedges) is data in ``data/control.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import get_args

import yaml

from sitrep.errors import ConfigError, InputError
from sitrep.models import Claim, ControlEffect, ControlSignal, Place, Source

RULES_FILE = "control.yaml"
# Stands in for each character of a settlement mention in the text the triggers are matched on:
# a private-use character, so no word pattern and no real text can match it.
PLACE_MARK = "\ue000"
# A settlement mention followed by one of these words names a front or an area, not the town.
PLACE_PATTERN = PLACE_MARK + r"+(?!\s+(?:direction|axis|sector|front|district|raion|region|oblast|area)\b)"
# Quotation marks read as spaces ('were "making progress"'); a placeholder character already in
# the text would pass for a settlement, so it reads as a space too.
BLANKED = str.maketrans({'"': " ", "\u201c": " ", "\u201d": " ", "\u00ab": " ", "\u00bb": " ", PLACE_MARK: " "})
OPPOSITE = {"UA": "RU", "RU": "UA"}
KNOWN_SIDES = frozenset(OPPOSITE)
ATTEMPT = "attempt"
EFFECTS = frozenset(get_args(ControlEffect))
ACTOR_RULES = frozenset({"in_match", "agent", "before"})
SIDE_KINDS = ("UA", "RU", "own", "enemy", "neutral")
# Claims with these statuses report nothing that happened: they give no signal at all.
UNREAL_STATUSES = frozenset({"hypothetical", "planned"})
# Effects whose actor may come from the claim's actor1 when the clause names no side: the events
# stage found that actor as the doer of an attack or a capture, which these effects describe.
ACTOR1_FALLBACK = frozenset({"captured", "advancing", "failed_attack", "repelled"})
# Claims in these languages carry their control signal in their coded event (see _event_signals).
EVENT_READ_LANGUAGES = frozenset({"uk", "ru"})
EVENT_EFFECTS = {"Government regains territory": "captured", "Non-state actor overtakes territory": "captured",
                 "Non-violent transfer of territory": "withdrew"}
# Effects that turn into a failed attack when the claim's event failed ("tried to take ... but").
ATTACK_EFFECTS = frozenset({"captured", ATTEMPT})
# Characters after a passive trigger in which the agent's side word is looked for ("captured by
# the 47th Separate Mechanised Brigade of the Ukrainian army" fits). Set by hand on the test table.
AGENT_WINDOW = 60
# How far after a `forward` trigger its settlement may be: "advanced several kilometres towards X"
# fits, a settlement two phrases further on ("advances in the area and ... positions in X") does not.
# Set by hand on the team's test sentences.
FORWARD_WINDOW = 50
# How far before a claim "the town" may look for the settlement it stands for: about two
# sentences of a news report. Set by hand on the team's test sentences, not tuned on a gold set.
ANAPHOR_WINDOW = 400


@dataclass(frozen=True)
class Trigger:
    effect: str
    pattern: re.Pattern[str]
    actor: tuple[str, ...]
    side: str | None = None
    absorbs: bool = False
    # The settlement must be inside the trigger or after it in its clause ("advanced towards X",
    # "fighting in X"): a settlement before it is where the units are or come from, not the object.
    forward: bool = False
    # The trigger describes the settlement it contains ("Tokmak, a Russian-held town", "in occupied
    # Melitopol"): that settlement is its place whatever its role in the rest of the sentence (a
    # destination, a bearing).
    describes: bool = False
    # A regional capital named bare here ("occupation authorities in Zaporizhzhia") stands for its
    # region, as authorities are named after the region they govern: no signal for the city.
    region_names: bool = False


@dataclass(frozen=True)
class Rules:
    """``data/control.yaml``, compiled."""

    version: int
    triggers: tuple[Trigger, ...]
    sides: tuple[tuple[re.Pattern[str], str], ...]
    prepositional: re.Pattern[str]
    parenthetical: re.Pattern[str]
    neutral_adjective_gap: re.Pattern[str]
    clause_break: re.Pattern[str]
    elliptic_start: re.Pattern[str]
    split_attribution: re.Pattern[str]
    hedge: re.Pattern[str]
    infinitive: re.Pattern[str]
    achieved: re.Pattern[str]
    negation: re.Pattern[str]
    negation_inside: re.Pattern[str]
    failure: re.Pattern[str]
    agent: re.Pattern[str]
    beside: re.Pattern[str]
    list_continuation: re.Pattern[str]
    anaphor: re.Pattern[str]
    relative_before: re.Pattern[str]
    area_mention: re.Pattern[str]
    relative_after: re.Pattern[str]
    origin: re.Pattern[str]
    advance_inside: re.Pattern[str]
    advance_near_after: re.Pattern[str]
    advance_vicinity: re.Pattern[str]
    blocked: re.Pattern[str]
    stationed: re.Pattern[str]
    own_failure: re.Pattern[str]
    rotation: re.Pattern[str]
    intent_gerund: re.Pattern[str]
    capital_list_gap: re.Pattern[str]
    city_after: re.Pattern[str]
    unrealised_gerund: re.Pattern[str]
    attack_around: re.Pattern[str]


# ------------------------------------------------------------------ loading


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    """The rules in ``data/control.yaml``, checked and compiled once per process."""
    return parse_rules(resources.files("sitrep.data").joinpath(RULES_FILE).read_text("utf-8"))


def parse_rules(text: str, where: str = f"sitrep/data/{RULES_FILE}") -> Rules:
    """Rules from the text of a rules file; ConfigError names what is wrong in it."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ConfigError(f"{where} is not valid YAML: {' '.join(str(error).split())}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} holds no mapping of rules; restore it from the repository")
    try:
        return _build(raw)
    except KeyError as error:
        raise ConfigError(f"{where}: missing or unknown key {error}; fix the entry and retry") from None
    except (TypeError, ValueError, AttributeError, re.error) as error:
        raise ConfigError(f"{where}: {error}; fix the entry and retry") from None


def _build(raw: dict) -> Rules:
    macros = {name: str(value) for name, value in raw.get("macros", {}).items()}
    macros["place"] = PLACE_PATTERN
    macros["mark"] = PLACE_MARK + "+"  # any settlement mention, also one naming a front or an area
    side_words = {kind: [_expand(word, macros) for word in raw["sides"].get(kind, [])] for kind in SIDE_KINDS}
    macros["side"] = "(?:" + "|".join(word for kind in SIDE_KINDS if kind != "neutral"
                                      for word in side_words[kind]) + ")"

    def compiled(key: str) -> re.Pattern[str]:
        return re.compile(_expand(raw[key], macros), re.IGNORECASE)

    return Rules(
        version=raw["version"],
        triggers=tuple(_trigger(entry, macros) for entry in raw["triggers"]),
        # One pattern per kind: within a kind the longer words come first in the data file.
        sides=tuple((re.compile(rf"(?<![\w-])(?:{'|'.join(side_words[kind])})(?![\w])", re.IGNORECASE), kind)
                    for kind in SIDE_KINDS if side_words[kind]),
        prepositional=compiled("prepositional"),
        parenthetical=compiled("parenthetical"),
        neutral_adjective_gap=compiled("neutral_adjective_gap"),
        clause_break=re.compile("|".join(f"(?:{_expand(b, macros)})" for b in raw["clause_breaks"]), re.IGNORECASE),
        elliptic_start=compiled("elliptic_start"),
        split_attribution=compiled("split_attribution"),
        hedge=re.compile(raw["hedge"]),  # its parts say which words are case-sensitive
        infinitive=compiled("infinitive"),
        achieved=compiled("achieved"),
        negation=compiled("negation"),
        negation_inside=compiled("negation_inside"),
        failure=compiled("failure"),
        agent=compiled("agent"),
        beside=compiled("beside"),
        list_continuation=compiled("list_continuation"),
        anaphor=compiled("anaphor"),
        relative_before=compiled("relative_before"),
        area_mention=compiled("area_mention"),
        relative_after=compiled("relative_after"),
        origin=compiled("origin"),
        advance_inside=compiled("advance_inside"),
        advance_near_after=compiled("advance_near_after"),
        advance_vicinity=compiled("advance_vicinity"),
        blocked=compiled("blocked"),
        stationed=compiled("stationed"),
        own_failure=compiled("own_failure"),
        rotation=compiled("rotation"),
        intent_gerund=compiled("intent_gerund"),
        capital_list_gap=compiled("capital_list_gap"),
        city_after=compiled("city_after"),
        unrealised_gerund=compiled("unrealised_gerund"),
        attack_around=compiled("attack_around"),
    )


def _expand(pattern: str, macros: dict[str, str]) -> str:
    """Replace ``%name%`` by its macro, repeatedly (macros may use other macros)."""
    for _ in range(5):
        expanded = re.sub(r"%(\w+)%", lambda match: _macro(match.group(1), macros), pattern)
        if expanded == pattern:
            return expanded
        pattern = expanded
    raise ValueError(f"macros nest too deeply in {pattern[:60]!r}")


def _macro(name: str, macros: dict[str, str]) -> str:
    if name not in macros:
        raise ValueError(f"unknown macro %{name}%")
    return macros[name]


def _trigger(entry: dict, macros: dict[str, str]) -> Trigger:
    effect = entry["effect"]
    if effect not in EFFECTS and effect != ATTEMPT:
        raise ValueError(f"unknown effect {effect!r} (use one of {sorted(EFFECTS)} or {ATTEMPT!r})")
    actor = tuple(entry.get("actor", ("before",)))
    if not set(actor) <= ACTOR_RULES:
        raise ValueError(f"unknown actor rule in {actor} (use {sorted(ACTOR_RULES)})")
    side = entry.get("side")
    if side is not None and side not in KNOWN_SIDES:
        raise ValueError(f"unknown side {side!r} (use UA or RU)")
    pattern = re.compile(r"(?<![\w-])(?:" + _expand(entry["pattern"], macros) + ")", re.IGNORECASE)
    return Trigger(effect=effect, pattern=pattern, actor=actor, side=side, absorbs=bool(entry.get("absorbs")),
                   forward=bool(entry.get("forward")), describes=bool(entry.get("describes")),
                   region_names=bool(entry.get("region_names")))


# ------------------------------------------------------------------ the claim's layout


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    segment: int
    elliptic: bool


@dataclass(frozen=True)
class SideHit:
    start: int
    end: int
    kind: str
    subject: bool  # False inside a prepositional phrase ("against Russian units") or an aside


@dataclass
class Layout:
    """A claim cut up for matching; every offset is into the claim's text."""

    text: str
    masked: str
    settlements: list[tuple[int, int, int]]  # (start, end, index into the document's places)
    sources: list[Source]  # one per attribution segment
    clauses: list[Clause]
    hits: list[SideHit]
    # Settlements named only as a bearing or a reference ("south of Izyum", "the Izyum-Sloviansk
    # axis") or in a role that is not a location (an origin, a destination, a speaker's seat):
    # never the place of a signal, but a clause that names one implies no other place.
    others: list[tuple[int, int, int]]
    # Settlements left out only for their role in the sentence ("to Tokmak", a destination): a
    # trigger that describes one ("to Tokmak, a Russian-held town") is still about it.
    in_role: list[tuple[int, int, int]]


def is_settlement(place: Place) -> bool:
    """A populated place with coordinates, named as a location: the only kind of place a control
    signal is about. A speaker's seat, an axis ("the Izyum axis"), an origin ("advanced south from
    Izyum"), a destination ("towards Sloviansk") or a containing region says nothing about who holds it."""
    return (place.kind == "toponym" and (place.feature or "").startswith("PPL")
            and place.lat is not None and place.lon is not None and place.role in (None, "location"))


# How far before a settlement its bearing ("3 km south-west of the village of") is looked for. The
# pattern ends at the settlement, and searching the whole text before each one is quadratic in a long
# claim; a bearing is a few words, far shorter than this.
RELATIVE_WINDOW = 300


def _layout(claim: Claim, places: Sequence[tuple[int, Place]], rules: Rules) -> Layout:
    text = claim.text
    inside = [(place.start - claim.start, place.end - claim.start, index, place) for index, place in places
              if claim.start <= place.start < place.end <= claim.end]
    # A mention that names a district or a front ("the Lyman district") is not the settlement either.
    area = [(start, end, index) for start, end, index, place in inside
            if is_settlement(place) and rules.area_mention.search(place.mention)]
    settlements = [(start, end, index) for start, end, index, place in inside
                   if is_settlement(place) and (start, end, index) not in area]
    # Regional capitals listed bare ("attacks in Donetsk and Luhansk") name their regions.
    capitals = {(start, end, index) for start, end, index, place in inside if (place.feature or "") == "PPLA"}
    area += _listed_capitals([entry for entry in settlements if entry in capitals], text, rules)
    settlements = [entry for entry in settlements if entry not in area]
    others = area + [(start, end, index) for start, end, index, place in inside if not is_settlement(place)
                     and place.kind == "toponym" and (place.feature or "").startswith("PPL")]
    characters = list(text.translate(BLANKED))
    for start, end, _ in settlements + others:
        characters[start:end] = PLACE_MARK * (end - start)
    masked = "".join(characters)
    # A settlement named as a bearing or a reference point is not the place of what is said there.
    relative = [entry for entry in settlements
                if rules.relative_before.search(masked, max(0, entry[0] - RELATIVE_WINDOW), entry[0])
                or rules.relative_after.match(masked, entry[1])]
    # A settlement listed right after one named as a bearing shares its role ("south of Izyum and
    # Kupiansk", "via Krymky and Oleksandrivka").
    for entry in settlements:
        if entry not in relative and any(rules.capital_list_gap.fullmatch(masked, earlier[1], entry[0])
                                         for earlier in relative):
            relative.append(entry)
    settlements = [entry for entry in settlements if entry not in relative]
    others = sorted(others + relative)
    segments = _segments(masked, rules)
    sources = [claim.source] + [_others(claim.source)] * (len(segments) - 1)
    clauses = [clause for number, (start, end) in enumerate(segments)
               for clause in _clauses(masked, start, end, number, rules)]
    in_role = [(start, end, index) for start, end, index, place in inside
               if place.role not in (None, "location") and is_settlement(place.model_copy(update={"role": None}))
               and not any(entry[0] == start for entry in relative + area)]
    return Layout(text, masked, sorted(settlements), sources, clauses, _side_hits(text, masked, rules), others,
                  in_role)


def _listed_capitals(capitals: list[tuple[int, int, int]], text: str,
                     rules: Rules) -> list[tuple[int, int, int]]:
    """Seats of first-level regions named one after the other with nothing but "and", "or" or a
    comma between them, none of them called a city ("Donetsk and Luhansk", "Kharkiv, Donetsk"):
    the writer means the regions that share their names, not the cities."""
    listed: set[tuple[int, int, int]] = set()
    for first, second in zip(capitals, capitals[1:]):
        if rules.capital_list_gap.fullmatch(text, first[1], second[0]) \
                and not any(rules.city_after.match(text, entry[1]) for entry in (first, second)):
            listed.update((first, second))
    return sorted(listed)


def _others(source: Source) -> Source:
    """The speakers of the second half of "some say A, but others say B"."""
    return Source(name="others", kind=source.kind, side=source.side, role=f"others than {source.name}",
                  channel=source.channel)


def _segments(masked: str, rules: Rules) -> list[tuple[int, int]]:
    cuts = [(match.start(), match.end()) for match in rules.split_attribution.finditer(masked)]
    starts = [0] + [end for _, end in cuts]
    ends = [start for start, _ in cuts] + [len(masked)]
    return list(zip(starts, ends))


def _clauses(masked: str, start: int, end: int, segment: int, rules: Rules) -> list[Clause]:
    clauses = []
    position = start
    for match in rules.clause_break.finditer(masked, start, end):
        if match.start() > position:
            clauses.append((position, match.start()))
        position = max(position, match.end())
    clauses.append((position, end))
    return [Clause(low, high, segment, bool(rules.elliptic_start.match(masked, low, high)))
            for low, high in clauses if high > low]


def _side_hits(text: str, masked: str, rules: Rules) -> list[SideHit]:
    """Side words, longest first where they overlap; a neutral word right after a side word
    ("Russian resistance") takes that word's side."""
    found = sorted(((match.start(), -match.end(), kind) for pattern, kind in rules.sides
                    for match in pattern.finditer(text)))
    asides = [(match.start(), match.end()) for match in rules.parenthetical.finditer(masked)]
    hits: list[SideHit] = []
    for start, negative_end, kind in found:
        if hits and start < hits[-1].end:
            continue
        if kind == "neutral" and hits and hits[-1].kind != "neutral" and \
                rules.neutral_adjective_gap.match(text[hits[-1].end:start]):
            kind = hits[-1].kind
        subject = not (rules.prepositional.search(masked, 0, start)
                       or any(low < start < high for low, high in asides))
        hits.append(SideHit(start, -negative_end, kind, subject))
    return hits


# ------------------------------------------------------------------ the public stage


def control_signals(claim: Claim, document_id: str, places: Sequence[tuple[int, Place]]) -> list[ControlSignal]:
    """The control signals inside one stored claim, in text order.

    ``places`` are all of the document's places as (index, place); offsets of places, of the claim
    and of the signals are into the document's text."""
    status = claim.event.status if claim.event else "asserted"
    if status in UNREAL_STATUSES:
        return []
    if claim.language in EVENT_READ_LANGUAGES:
        return _event_signals(claim, document_id, places)
    if len(claim.text) != claim.end - claim.start:
        raise InputError(claim.id, f"claim text has {len(claim.text)} characters but its offsets "
                         f"{claim.start}-{claim.end} span {claim.end - claim.start}; rebuild the record")
    rules = load_rules()
    layout = _layout(claim, places, rules)
    signals: list[ControlSignal] = []
    seen: set[tuple] = set()
    for trigger, match in _matches(layout.masked, rules):
        for signal in _signals_of(claim, document_id, places, layout, trigger, match, rules):
            key = (signal.effect, signal.place, signal.actor_side, signal.source.name)
            if key not in seen:
                seen.add(key)
                signals.append(signal)
    return signals


def _event_signals(claim: Claim, document_id: str, places: Sequence[tuple[int, Place]]) -> list[ControlSignal]:
    """The control signal of a Ukrainian or Russian claim, read from its coded event: a settlement
    taken ("звільнили Роботине", "освободили населенный пункт Работино") is held by the taker, one given
    up ("ВСУ оставили позиции в X") by the other side. The English triggers of control.yaml do not
    read these languages; the events stage's lexicons do, so the event is the evidence. Fighting at or
    near a place says nothing about who holds it, as in English, and gives no signal."""
    event = claim.event
    effect = EVENT_EFFECTS.get(event.sub_event_type or "") if event is not None else None
    if effect is None or event.place is None:
        return []
    place = dict(places).get(event.place)
    if place is None or not is_settlement(place):
        return []
    side = event.actor1.side if event.actor1 is not None else "unknown"
    found = claim.text.find(event.trigger) if event.trigger else -1
    start, end = (found, found + len(event.trigger)) if found >= 0 else (0, len(claim.text))
    return [ControlSignal(claim_id=claim.id, document_id=document_id, start=claim.start + start,
                          end=claim.start + end, text=claim.text[start:end], effect=effect, actor_side=side,
                          state=_state(effect, side), place=event.place, date=event.date, source=claim.source,
                          status=event.status)]


def _matches(masked: str, rules: Rules) -> list[tuple[Trigger, re.Match[str]]]:
    """Every trigger match; of overlapping ones the first, then the longest, is kept."""
    found = sorted(((match.start(), -match.end(), order, trigger, match)
                    for order, trigger in enumerate(rules.triggers)
                    for match in trigger.pattern.finditer(masked)), key=lambda item: item[:3])
    kept: list[tuple[Trigger, re.Match[str]]] = []
    reached = -1
    for start, negative_end, _, trigger, match in found:
        if start >= reached and match.end() > start:
            kept.append((trigger, match))
            reached = -negative_end
    return kept


def _signals_of(claim: Claim, document_id: str, places: Sequence[tuple[int, Place]], layout: Layout,
                trigger: Trigger, match: re.Match[str], rules: Rules) -> list[ControlSignal]:
    """One trigger match as a signal, plus one for each further settlement of a list after its
    own ("recaptured Klishchiivka and Andriivka"); none when hedged or about no settlement."""
    clause_number, clause = _clause_of(layout, match.start())
    prefix = layout.masked[clause.start:match.start()]
    effect = _effect(claim, layout, trigger, clause, rules)
    if effect is None or (not trigger.describes and _hedged(prefix, effect, match, rules)):
        return []  # a description ("if they reach occupied Tokmak") is no act that may be hedged
    if re.match(r"\w+ing\b", match.group(0)) and rules.unrealised_gerund.search(layout.masked, 0, match.start()):
        return []  # "the offensive will culminate before capturing X": a clause break, not a fact
    if effect == "advancing" and rules.blocked.search(prefix):
        effect = "failed_attack"  # "repelled Russian advances on X", "failed to make gains near X"
    if effect == "contested" and rules.stationed.search(prefix):
        return []  # "units fighting in X": where the units are, not a fight for X
    segment_end = max(c.end for c in layout.clauses if c.segment == clause.segment)
    if effect == "withdrew" and rules.rotation.search(layout.masked, match.end(), min(segment_end, match.end() + 160)):
        return []  # "withdrew units to restore their combat capability": a rotation, not a loss
    source = layout.sources[clause.segment]
    side = _actor_side(claim, layout, trigger, match, clause_number, effect, source, rules)
    described = [entry for entry in layout.settlements + layout.in_role
                 if match.start() <= entry[0] < match.end()] if trigger.describes else []
    named = described[0] if described else _named_place(layout, match, clause_number, effect, trigger.forward, rules)
    if named is None and trigger.forward:
        place = _antecedent(claim, places) if _anaphor_in(layout, clause, rules) else None
    else:
        place = named[2] if named else _implied_place(claim, places, layout, clause, rules)
    if effect == "contested" and place is None:
        return []
    if trigger.region_names and named is not None and (dict(places)[named[2]].feature or "") == "PPLA" \
            and not rules.city_after.match(layout.text, named[1]):
        return []
    state = _state(effect, side)
    if effect in ("repelled", "failed_attack") and named is not None \
            and rules.attack_around.search(layout.masked, clause.start, named[0]):
        # "repelled attacks around X": the fighting is in X's vicinity, X may be either side's.
        state = "unknown"
    if trigger.effect == "advancing" and effect == "advancing" and named is not None:
        if rules.advance_near_after.match(layout.masked, named[1]) \
                or rules.advance_vicinity.search(layout.masked, match.start(), named[0]):
            state = "unknown"  # "advanced in the X area": about the vicinity, not about who holds X
        elif not rules.advance_inside.search(layout.masked, match.start(), named[0]):
            # Towards, near, around, up to, encircling X: X is still the other side's, if anything.
            state = OPPOSITE.get(side, "unknown")
    signal = ControlSignal(
        claim_id=claim.id, document_id=document_id, start=claim.start + match.start(),
        end=claim.start + match.end(), text=layout.text[match.start():match.end()], effect=effect,
        actor_side=side, state=state, place=place,
        date=claim.event.date if claim.event else None, source=source,
        status=_status(claim, trigger, match, prefix, effect, rules))
    listed = _listed_after(layout, named, rules) if named and named[0] >= match.start() else []
    # A listed settlement's signal is anchored on its own mention, so that each signal of a claim
    # starts at its own offset (the store keys signals by claim and start).
    return [signal] + [signal.model_copy(update={"start": claim.start + start, "end": claim.start + end,
                                                 "text": layout.text[start:end], "place": index})
                       for start, end, index in listed]


def _clause_of(layout: Layout, position: int) -> tuple[int, Clause]:
    for number, clause in enumerate(layout.clauses):
        if clause.start <= position < clause.end:
            return number, clause
    # A trigger may start inside a clause break (a reporting verb, a dash): it belongs to the
    # clause that follows, or to the last one.
    following = [number for number, clause in enumerate(layout.clauses) if clause.start > position]
    number = following[0] if following else len(layout.clauses) - 1
    return number, layout.clauses[number]


def _effect(claim: Claim, layout: Layout, trigger: Trigger, clause: Clause, rules: Rules) -> str | None:
    """The trigger's effect; an attempt or a capture in a failed claim is a failed attack, and an
    attempt whose outcome is not given is no signal."""
    failed_claim = claim.event is not None and claim.event.status == "failed"
    if trigger.effect in ATTACK_EFFECTS and failed_claim:
        return "failed_attack"
    if trigger.effect == ATTEMPT:
        segment = [c for c in layout.clauses if c.segment == clause.segment]
        text = layout.masked[segment[0].start:segment[-1].end]
        return "failed_attack" if rules.failure.search(text) else None
    return trigger.effect


def _hedged(prefix: str, effect: str, match: re.Match[str], rules: Rules) -> bool:
    """Conditional, forward-looking, intended or infinitive: the clause does not say it happened."""
    if rules.hedge.search(prefix):
        return True
    if re.match(r"\w+ing\b", match.group(0)) and rules.intent_gerund.search(prefix):
        return True  # "focused on taking X", "the goal of capturing X"
    if rules.infinitive.search(prefix) and not rules.achieved.search(prefix):
        return effect != "failed_attack"  # "attempts to take it failed": the failure happened
    return False


# ------------------------------------------------------------------ actor, place, state, status


def _actor_side(claim: Claim, layout: Layout, trigger: Trigger, match: re.Match[str], clause_number: int,
                effect: str, source: Source, rules: Rules) -> str:
    """The side of whoever did what the trigger says, by the trigger's actor rules in order; when
    the clause names nobody, the claim's actor1 for the effects that allow it."""
    if trigger.side:
        return trigger.side
    if trigger.effect == "advancing":
        # "Russian forces advanced", "to impede Ukrainian advances towards X": the side word right
        # before an advance is the advancing side, even inside a phrase that is not the subject.
        adjacent = _adjacent_side(layout, match.start(), rules)
        if effect == "failed_attack" and adjacent is None:
            # "repelled advances on X" with no side named: the advance is the enemy's of whoever
            # repelled it; "failed to make advances" is the subject's own.
            hit = _subject_before(layout, clause_number, match.start())
            if hit is None:
                return "unknown"
            doer = _resolve(hit.kind, source.side)
            prefix = layout.masked[layout.clauses[clause_number].start:match.start()]
            return doer if rules.own_failure.search(prefix) else OPPOSITE.get(doer, "unknown")
        if adjacent is not None:
            return _resolve(adjacent.kind, source.side)
    for rule in trigger.actor:
        hit = _actor_hit(layout, rule, match, clause_number, rules)
        if hit is not None:
            return _resolve(hit.kind, source.side)
    actor1 = claim.event.actor1 if claim.event else None
    if effect in ACTOR1_FALLBACK and actor1 is not None and actor1.side in KNOWN_SIDES \
            and not _names_someone(layout, clause_number):
        if effect == "repelled" and claim.event.status == "failed":
            # A failed attack's actor1 is its attacker (sitrep.extract.claims): the repelling is the
            # other side's ("units of the Vostok group repelled three attacks by Ukrainian groups").
            return OPPOSITE.get(actor1.side, "unknown")
        return actor1.side
    return "unknown"


def _actor_hit(layout: Layout, rule: str, match: re.Match[str], clause_number: int,
               rules: Rules) -> SideHit | None:
    if rule == "in_match":
        return next((hit for hit in layout.hits if match.start() <= hit.start < match.end()), None)
    if rule == "agent":
        after = rules.agent.match(layout.masked, match.end())
        if after is None:
            return None
        return next((hit for hit in layout.hits
                     if after.end() <= hit.start < after.end() + AGENT_WINDOW), None)
    return _subject_before(layout, clause_number, match.start())


def _subject_before(layout: Layout, clause_number: int, position: int) -> SideHit | None:
    """The nearest subject-like side word before ``position`` in its clause; in a clause with no
    subject of its own ("... and retreated"), the first one of the clause before."""
    clause = layout.clauses[clause_number]
    before = [hit for hit in layout.hits if clause.start <= hit.start < position and hit.subject]
    if before:
        return before[-1]
    while clause.elliptic and clause_number > 0:
        previous = layout.clauses[clause_number - 1]
        if previous.segment != clause.segment:
            return None
        first = next((hit for hit in layout.hits
                      if previous.start <= hit.start < previous.end and hit.subject), None)
        if first is not None:
            return first
        clause_number, clause = clause_number - 1, previous
    return None


def _adjacent_side(layout: Layout, position: int, rules: Rules) -> SideHit | None:
    """A side word at most one word before ``position`` ("Russian advances", "Ukrainian forces advanced")."""
    before = [hit for hit in layout.hits if hit.end <= position and hit.kind != "neutral"]
    if before and re.fullmatch(r"\s*(?:[\w'-]+\s+)?", layout.masked[before[-1].end:position]):
        return before[-1]
    return None


def _names_someone(layout: Layout, clause_number: int) -> bool:
    """Whether the clause names an actor of no side ("the defenders"): actor1 must not replace it."""
    clause = layout.clauses[clause_number]
    return any(clause.start <= hit.start < clause.end and hit.kind == "neutral" for hit in layout.hits)


def _resolve(kind: str, speaker_side: str) -> str:
    if kind in KNOWN_SIDES:
        return kind
    if kind == "own":
        return speaker_side if speaker_side in KNOWN_SIDES else "unknown"
    if kind == "enemy":
        return OPPOSITE.get(speaker_side, "unknown")
    return "unknown"


def _named_place(layout: Layout, match: re.Match[str], clause_number: int, effect: str, forward: bool,
                 rules: Rules) -> tuple[int, int, int] | None:
    """The settlement the trigger's clause names for it: inside the trigger, else the nearest after
    it (for a withdrawal, not a destination or a place beside the one left), else the nearest
    before it; a clause with no subject of its own ("... but were repelled") looks in the clause
    before. Returns (start, end, index) or None."""
    clause = layout.clauses[clause_number]
    in_clause = [entry for entry in layout.settlements if clause.start <= entry[0] < clause.end]
    inside = [entry for entry in in_clause if match.start() <= entry[0] < match.end()]
    if inside:
        return inside[0]
    if effect in ("withdrew", "holding"):
        # "retreated towards Tokmak", "held positions around Kharkiv": a place beside the one left
        # or held says nothing about who holds it.
        in_clause = [entry for entry in in_clause if not rules.beside.search(layout.masked, clause.start, entry[0])]
    if effect != "withdrew":  # "attacks from Izyum": where an attack starts is not what it is about
        in_clause = [entry for entry in in_clause if not rules.origin.search(layout.masked, clause.start, entry[0])]
    after = [entry for entry in in_clause if entry[0] >= match.end()
             and (not forward or entry[0] - match.end() <= FORWARD_WINDOW)]
    before = [] if forward else [entry for entry in in_clause if entry[0] < match.start()]
    if after or before:
        return after[0] if after else before[-1]
    if forward:
        return None
    previous = clause_number - 1
    if clause.elliptic and previous >= 0 and layout.clauses[previous].segment == clause.segment:
        earlier = [entry for entry in layout.settlements
                   if layout.clauses[previous].start <= entry[0] < layout.clauses[previous].end]
        return earlier[-1] if earlier else None
    return None


def _implied_place(claim: Claim, places: Sequence[tuple[int, Place]], layout: Layout, clause: Clause,
                   rules: Rules) -> int | None:
    """When the clause names no settlement: the claim's event place when that is a settlement,
    else the settlement that "the town" stands for. A clause that does name settlements, only not
    as the place of this trigger ("retreated towards Tokmak"), implies none."""
    if any(clause.start <= entry[0] < clause.end for entry in layout.settlements + layout.others):
        return None
    event_place = claim.event.place if claim.event else None
    if any(entry[2] == event_place for entry in layout.others):
        return None  # the event's place is named only as a bearing ("northwest of Izyum")
    record = dict(places).get(event_place) if event_place is not None else None
    outside = record is not None and not claim.start <= record.start < claim.end
    if record is not None and is_settlement(record) and not (outside and record.feature == "PPLA"):
        # A regional seat named in another sentence is as likely its region ("attacks in Donetsk
        # and Luhansk"), and this sentence cannot tell: it implies no place.
        return event_place
    if rules.anaphor.search(layout.masked, clause.start, clause.end):
        return _antecedent(claim, places)
    return None


def _anaphor_in(layout: Layout, clause: Clause, rules: Rules) -> bool:
    return bool(rules.anaphor.search(layout.masked, clause.start, clause.end))


def _listed_after(layout: Layout, named: tuple[int, int, int], rules: Rules) -> list[tuple[int, int, int]]:
    """Settlements listed right after ``named``: "Klishchiivka and Andriivka", "A, B and C"."""
    by_end = {entry[1]: entry for entry in layout.settlements}
    listed = []
    position = named[1]
    while (more := rules.list_continuation.match(layout.masked, position)) is not None:
        entry = by_end.get(more.end())
        if entry is None:
            break
        listed.append(entry)
        position = entry[1]
    return listed


def _antecedent(claim: Claim, places: Sequence[tuple[int, Place]]) -> int | None:
    """The settlement named last before the claim, if it is close enough to be "the town"."""
    earlier = [(place.end, index) for index, place in places if is_settlement(place)
               and place.end <= claim.start and claim.start - place.end <= ANAPHOR_WINDOW]
    return max(earlier)[1] if earlier else None


def _state(effect: str, side: str) -> str:
    """The control state a signal supports: the actor's side, the other side, or contested."""
    if effect in ("advancing", "contested"):
        return "contested"
    if side not in KNOWN_SIDES:
        return "unknown"
    return OPPOSITE[side] if effect in ("withdrew", "failed_attack") else side


def _status(claim: Claim, trigger: Trigger, match: re.Match[str], prefix: str, effect: str,
            rules: Rules) -> str:
    """A negation next to the trigger makes it "negated"; otherwise the claim's status, except that
    a failure the trigger states itself (or that made it a failed attack) is not stated twice."""
    claim_status = claim.event.status if claim.event else "asserted"
    if trigger.absorbs:
        return "asserted" if claim_status in ("negated", "failed") else claim_status
    if rules.negation.search(prefix) or rules.negation_inside.search(match.group(0)):
        return "negated"
    # "failed" is the outcome of the claim's attack: here it is the effect, and a signal that is
    # no attack (a contested village, an advance) did not fail.
    return "asserted" if claim_status == "failed" else claim_status
