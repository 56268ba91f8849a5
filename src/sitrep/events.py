"""Event typing: the ACLED event type, sub-event type, mode and status of a statement.

Rules as data: every cue lives in ``data/events.yaml`` and is compiled once. A statement is scored
against each sub-type's cues; the best sub-type wins unless its score is too low or a cue of a
non-event (a flood, a factory fire, a drug seizure, a summit) is at least as strong, in which case
the statement is left uncoded (``None``). The winning cue is the trigger; the mode comes from the
lexicon of weapons, and the status (asserted, negated, failed, ...) from the dependency parse and
sentence cues around the trigger. docs/acled-mapping.md documents the mapping and its conventions.

The parse is used without lemmas (the project's model excludes the lemmatizer), so inflected forms
are spelled out in the lexicon.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from sitrep.errors import ConfigError

LEXICON_FILE = "events.yaml"
NON_STATE_SUBTYPE = "Non-state actor overtakes territory"
STATE_SUBTYPE = "Government regains territory"
# Below this score no cue is specific enough to code an event: a lone weight-1 cue ("drones",
# "rockets" in a background sentence) stays uncoded. Set by hand on the team's sentences
# (tests/test_events.py): 1.5 keeps "rockets hit ..." style cues and drops bare nouns.
MIN_SCORE = 1.5
# Each further distinct cue of the same sub-type adds this much, up to EXTRA_CUE_CAP: two cues of a
# kind ("protesters ... rally") outweigh one slightly stronger cue of another kind. Chosen so that
# corroboration never lifts a weight-2 cue over a weight-4 one.
EXTRA_CUE_BONUS = 0.3
EXTRA_CUE_CAP = 0.9
# Event types whose events have a means of attack; protests, riots, most strategic developments
# and changes of territory (the mode of a capture is rarely stated) get no mode.
ARMED_EVENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
ARMED_SUBTYPES = frozenset({"Disrupted weapons use"})
# Characters after a passive territory verb in which "by <actor>" names the taker.
PASSIVE_AGENT_WINDOW = 60


@dataclass(frozen=True)
class EventTyping:
    """What kind of event a statement reports. Offsets are into the sentence's doc (token.idx based)."""

    event_type: str
    sub_event_type: str
    mode: str | None
    status: str
    trigger: str
    trigger_start: int
    trigger_end: int


@dataclass(frozen=True)
class SubType:
    name: str
    event_type: str
    case: str
    territory: bool


@dataclass(frozen=True)
class Cue:
    subtype: str
    patterns: tuple[re.Pattern[str], ...]  # all must match; the first gives the trigger
    weight: float


@dataclass(frozen=True)
class Lexicon:
    subtypes: dict[str, SubType]
    cues: tuple[Cue, ...]
    non_state: re.Pattern[str]
    state: re.Pattern[str]
    modes: tuple[tuple[str, re.Pattern[str]], ...]
    default_modes: dict[str, str]
    non_event: tuple[tuple[str, float, re.Pattern[str]], ...]
    non_event_spares: frozenset[str]  # event types that non-event cues never suppress
    status: dict[str, re.Pattern[str]]
    conditional_markers: frozenset[str]
    conditional_modals: frozenset[str]


@dataclass(frozen=True)
class Scored:
    """A typing and the score that chose it; used to pick the strongest sentence of a text."""

    typing: EventTyping
    score: float


def _compile(fragment: str, macros: dict[str, str]) -> re.Pattern[str]:
    for name, value in macros.items():
        fragment = fragment.replace(f"%{name}%", f"(?:{value})")
    try:
        return re.compile(rf"(?<!\w)(?:{fragment})(?!\w)", re.IGNORECASE)
    except re.error as error:
        raise ConfigError(f"{LEXICON_FILE}: bad pattern {fragment[:60]!r}: {error}") from None


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The event lexicon, compiled once per process."""
    raw = yaml.safe_load(resources.files("sitrep.data").joinpath(LEXICON_FILE).read_text("utf-8"))
    macros = raw["macros"]
    subtypes, cues = {}, []
    for entry in raw["subtypes"]:
        subtypes[entry["name"]] = SubType(entry["name"], entry["event_type"], entry["case"],
                                          bool(entry.get("territory")))
        for cue in entry["cues"]:
            fragments = cue["all"] if "all" in cue else [cue["pattern"]]
            cues.append(Cue(entry["name"], tuple(_compile(f, macros) for f in fragments), float(cue["weight"])))
    status = raw["status"]
    return Lexicon(
        subtypes=subtypes, cues=tuple(cues),
        non_state=_compile(raw["non_state_actors"], macros), state=_compile(raw["state_actors"], macros),
        modes=tuple((mode, _compile(pattern, macros)) for mode, pattern in raw["modes"].items()),
        default_modes=dict(raw["default_modes"]),
        non_event=tuple((name, float(rule["weight"]), _compile(rule["pattern"], macros))
                        for name, rule in raw["non_event"].items()),
        non_event_spares=frozenset(raw["non_event_spares"]),
        status={name: _compile(rule["pattern"], macros) for name, rule in status.items()},
        conditional_markers=frozenset(status["hypothetical"]["markers"]),
        conditional_modals=frozenset(status["hypothetical"]["modals"]),
    )


def subtypes() -> dict[str, SubType]:
    """ACLED's sub-event types by name, with their event type and CASE 2021 label."""
    return lexicon().subtypes


def classify(sentence) -> EventTyping | None:
    """The event a spaCy span (a sentence) reports, or None when it reports none."""
    scored = score(sentence)
    return scored.typing if scored else None


def classify_text(nlp, text: str) -> EventTyping | None:
    """Parse ``text`` and type it as one statement (a snippet may hold several sentences)."""
    doc = nlp(text)
    return classify(doc[:]) if len(doc) else None


def score(span) -> Scored | None:
    """Type a span and keep the winning score.

    Steps: match every cue on the span's text; group hits by sub-type (best weight plus a small
    bonus for corroborating cues); move territory gains by non-state groups to their own sub-type;
    drop the span when the best score is too low or a non-event cue is as strong; then read the
    mode and status around the trigger.
    """
    text = span.text
    if not text.strip():
        return None
    best = _best_subtype(text)
    if best is None:
        return None
    name, value, (start, end) = best
    if value < MIN_SCORE or (lexicon().subtypes[name].event_type not in lexicon().non_event_spares
                             and value <= _non_event_score(text)):
        return None
    if lexicon().subtypes[name].territory:
        name = NON_STATE_SUBTYPE if _taker_is_non_state(text, start, end) else STATE_SUBTYPE
    offset = span.start_char
    trigger_start, trigger_end = offset + start, offset + end
    typing = EventTyping(
        event_type=lexicon().subtypes[name].event_type, sub_event_type=name,
        mode=_mode(text, start, end, name), status=status_of(span, trigger_start, trigger_end, name),
        trigger=text[start:end], trigger_start=trigger_start, trigger_end=trigger_end)
    return Scored(typing, value)


def _best_subtype(text: str) -> tuple[str, float, tuple[int, int]] | None:
    """(sub-type, score, trigger offsets in ``text``) of the best-scoring sub-type, or None."""
    hits: dict[str, list[tuple[float, int, int]]] = {}
    for cue in lexicon().cues:
        match = cue.patterns[0].search(text)
        if match is None or not all(pattern.search(text) for pattern in cue.patterns[1:]):
            continue
        hits.setdefault(cue.subtype, []).append((cue.weight, match.start(), match.end()))
    best = None
    for name, found in hits.items():  # dict order = YAML order, so ties go to the earlier sub-type
        weight, start, end = max(found, key=lambda hit: (hit[0], -hit[1]))
        value = weight + min(EXTRA_CUE_CAP, EXTRA_CUE_BONUS * (len(found) - 1))
        if best is None or value > best[1]:
            best = (name, value, (start, end))
    return best


def _non_event_score(text: str) -> float:
    return max((weight for _, weight, pattern in lexicon().non_event if pattern.search(text)), default=0.0)


def _taker_is_non_state(text: str, start: int, end: int) -> bool:
    """Whether the nearest actor before a territory trigger (or its passive agent) is non-state."""
    agent = re.match(r"\s*(?:\w+\s+){0,3}?(?:by|to)\s+(.*)", text[end:end + PASSIVE_AGENT_WINDOW])
    if agent:
        window = agent.group(1)
        first_state, first_non_state = lexicon().state.search(window), lexicon().non_state.search(window)
        if first_state or first_non_state:
            return _first(first_non_state, first_state)
    before = text[:start]
    last_state = _last(lexicon().state, before)
    last_non_state = _last(lexicon().non_state, before)
    return last_non_state > last_state


def _first(a: re.Match | None, b: re.Match | None) -> bool:
    """True when match ``a`` exists and comes before ``b`` (or ``b`` is missing)."""
    return a is not None and (b is None or a.start() < b.start())


def _last(pattern: re.Pattern[str], text: str) -> int:
    end = -1
    for match in pattern.finditer(text):
        end = match.end()
    return end


def _mode(text: str, start: int, end: int, name: str) -> str | None:
    """The means of attack: a mode cue in the trigger, else in the text, else the sub-type's default."""
    subtype = lexicon().subtypes[name]
    if subtype.territory or (subtype.event_type not in ARMED_EVENT_TYPES and name not in ARMED_SUBTYPES):
        return None
    for window in (text[start:end], text):
        for mode, pattern in lexicon().modes:
            if pattern.search(window):
                return mode
    return lexicon().default_modes.get(name)


def status_of(span, trigger_start: int, trigger_end: int, subtype: str = "") -> str:
    """The status of the event at the trigger, read from the trigger's sentence.

    Order: hypothetical (a condition governs the trigger), negated (a negation of the trigger's
    verb, or a denial), assessment (hedged analysis), planned, failed (repelled, failed attempts;
    not for disrupted weapons use, whose nature is a failed attack), historical, else asserted.
    """
    token = _trigger_token(span, trigger_start, trigger_end)
    sentence = token.sent if token is not None and span.doc.has_annotation("SENT_START") else span
    text = sentence.text
    rules = lexicon().status
    if _conditional(token, sentence) or rules["hypothetical"].search(text):
        return "hypothetical"
    if _negated(token) or rules["negated"].search(text):
        return "negated"
    if rules["assessment"].search(text):
        return "assessment"
    if _will(token) or rules["planned"].search(text):
        return "planned"
    if subtype != "Disrupted weapons use" and rules["failed"].search(text):
        return "failed"
    if rules["historical"].search(text):
        return "historical"
    return "asserted"


def _trigger_token(span, start: int, end: int):
    """The syntactic head of the trigger's tokens, or None when offsets do not align."""
    trigger = span.doc.char_span(start, end, alignment_mode="expand")
    return trigger.root if trigger is not None and len(trigger) else None


def _governors(token):
    """The token and the verbs above it, up to its clause's root."""
    yield token
    for ancestor in token.ancestors:
        yield ancestor


def _conditional(token, sentence) -> bool:
    markers, modals = lexicon().conditional_markers, lexicon().conditional_modals
    if token is not None:
        for governor in _governors(token):
            if any(child.dep_ == "mark" and child.lower_ in markers for child in governor.children):
                return True
    words = {t.lower_ for t in sentence}
    return bool(words & markers) and bool(words & modals)


def _negated(token) -> bool:
    """A 'not'/'never' on the trigger or on the verb it belongs to; a 'no' on a trigger noun."""
    if token is None:
        return False
    heads = [token] if token.pos_ in ("VERB", "AUX") else [token, token.head]
    for head in heads:
        if any(child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no") for child in head.children):
            return True
    return False


def _will(token) -> bool:
    if token is None:
        return False
    verb = token if token.pos_ == "VERB" else token.head
    return any(child.dep_ == "aux" and child.lower_ in ("will", "shall", "'ll") for child in verb.children)
