"""Event typing: the ACLED event type, sub-event type, mode and status of a statement.

Rules as data: every cue lives in ``extract/lang/en/events.yaml`` and is compiled once. A statement is scored
against each sub-type's cues; a cue of a non-event (a flood, a factory fire, a drug seizure, a
summit) at least as strong as every event cue leaves it uncoded (``None``). A small classifier
(logistic regression over words, stems, word pairs and the cue hits, trained by
scripts/train_events.py on the team's own sentences in ``extract/lang/en/events_train.jsonl``; weights in
``extract/lang/en/events_model.json``) then picks the sub-type or "no event"; decisive cue combinations keep
the rules' choice. The chosen sub-type's cue is the trigger; the mode comes from the lexicon of
weapons, and the status (asserted, negated, failed, ...) from the dependency parse and sentence
cues around the trigger. docs/acled-mapping.md documents the mapping, its conventions and the
classifier.

The parse is used without lemmas (the project's model excludes the lemmatizer), so inflected forms
are spelled out in the lexicon.

Ukrainian and Russian sentences (a doc whose ``lang_`` is ``uk`` or ``ru``) are typed by their own lexicons,
``extract/lang/uk|ru/events.yaml``, written to the same schema with the same English (ACLED) labels, by the
rules alone: there is no classifier for them yet, and no dependency parse, so status cues count anywhere in
the sentence. A language without a lexicon of its own is not typed at all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from sitrep.errors import ConfigError
from sitrep.extract.lang import DEFAULT_LANGUAGE, resource

LEXICON_FILE = "events.yaml"
MODEL_FILE = "events_model.json"
# The classifier's label for statements that report no ACLED event.
NONE_LABEL = "NONE"
# A statement is left uncoded when the classifier gives "no event" at least this probability.
# Chosen by 5-fold cross-validation (`scripts/train_events.py --sweep`) on the team's sentences and
# the real ISW sentences (2,676 in all): macro-F1 is flat over 0.4-0.6 (0.859-0.860 with NONE_VETO
# 0.9) and drops at 0.7; 0.6 was then taken for the team's claims gold set (event detection F1 0.866
# against 0.844 at 0.4), checked on the ISW dev split and CASE 2021.
NONE_THRESHOLD = 0.6
# A rule score at or above this keeps the rules' sub-type whatever the classifier prefers: weight-5
# cues settle ACLED's precedence rules (protest + lethal force, interception, suicide vests).
# Same cross-validation: 5.0 beats never overriding (inf) at thresholds 0.3-0.6 (macro-F1 +0.001
# to +0.002).
DECISIVE_RULE_SCORE = 5.0
# A rule this strong is kept even when the classifier calls the text a non-event: the classifier's
# training sentences are short wire snippets, and war reports phrase attacks in ways it has not seen.
# Tried 3, 3.5, 4 and off on the team's claims gold set (tests/gold, `sitrep eval claims`): 3 found
# the most events there (recall 0.714 -> 0.769 at the same precision); CASE 2021 was checked after.
RULE_OVER_NO_EVENT = 3.0
# At or above this classifier probability of "no event", no rule overrides the classifier, however
# strong, unless the text is hedged: ISW-style analysis ("reported rapes ... may indicate poor discipline",
# "a false-flag chemical attack") fires strong cues without reporting an event, and the classifier,
# trained on real sentences of that kind too, knows them. Hedged texts (likely, will, plans to) stay
# with the rules, coded with a non-asserted status. Same sweep: 0.9 against off (1.01) at
# NONE_THRESHOLD 0.6: accuracy 0.821 vs 0.818, macro-F1 0.859 vs 0.858; on CASE 2021 it leaves 0.826
# of the non-ACLED snippets uncoded instead of 0.805.
NONE_VETO = 0.9
# A cue this strong is never vetoed by the classifier: phrasings that cannot mean anything but the event
# ("claimed the town as a victory"), which the wire-style training sentences never show.
UNVETOED_RULE_SCORE = 6.0
# Non-event cues (events.yaml) that also leave uncoded a text whose event cues are weaker than
# RULE_OVER_NO_EVENT (a bare "advances", "assault"), whatever the classifier says: statements of who
# holds ground and what forces focus on ("continued to focus on restraining Ukrainian advances").
# On the ISW dev split this removed 3 false events and no true one; the claims gold set gained
# (detection precision 0.905 -> 0.912).
CLASSIFIER_VETOES = frozenset({"holding"})
# Words that make a statement conditional or forward-looking even without a status cue.
HEDGE_WORDS = re.compile(r"(?<!\w)(?:if|unless|will|would|could|may|might)(?!\w)", re.IGNORECASE)
WORD = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*", re.IGNORECASE)
NUMBER_WORD = "<number>"
# A trigger chosen by the classifier has at least this many letters: "the" and "of" carry stray
# weight from sentence openings but never name an event.
MIN_TRIGGER_LETTERS = 4
# Words longer than this also count by their first STEM_LENGTH letters ("protest~" for protesters,
# protested): a crude stem, since the parse has no lemmas. Classifier-alone 5-fold accuracy on the
# training set (1,591 sentences then): 0.874 (4), 0.876 (5), 0.876 (6), 0.874 (7), 0.871 without.
STEM_LENGTH = 5
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


# One sub-type's rule hit in a text: (score, trigger start, trigger end).
RuleHit = tuple[float, int, int]
# A decision on a text: (sub-type, score, (trigger start, trigger end)), offsets into the text.
Decision = tuple[str, float, tuple[int, int]]


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
    # The same patterns, lower-cased for lower-cased text where that is exact (no case-sensitive
    # part): matching without IGNORECASE is about 40% faster. None where a pattern must stay as is.
    lowered: tuple[re.Pattern[str] | None, ...] = ()


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
    """A typing and the classifier's probability of its sub-type; ranks the sentences of a text."""

    typing: EventTyping
    score: float


def _compile(fragment: str, macros: dict[str, str]) -> re.Pattern[str]:
    try:
        return re.compile(rf"(?<!\w)(?:{_expand(fragment, macros)})(?!\w)", re.IGNORECASE)
    except re.error as error:
        raise ConfigError(f"{LEXICON_FILE}: bad pattern {fragment[:60]!r}: {error}") from None


def _compile_lowered(fragment: str, macros: dict[str, str]) -> re.Pattern[str] | None:
    """The pattern for lower-cased text, or None when lower-casing would change what it means
    (a case-sensitive group, or an escape such as \\W or \\S)."""
    expanded = _expand(fragment, macros)
    if "(?-i" in expanded or _UPPER_ESCAPE.search(expanded):
        return None
    return re.compile(rf"(?<!\w)(?:{expanded.lower()})(?!\w)")


_UPPER_ESCAPE = re.compile(r"\\[A-Z]")


def _expand(fragment: str, macros: dict[str, str]) -> str:
    for name, value in macros.items():
        fragment = fragment.replace(f"%{name}%", f"(?:{value})")
    return fragment


# The language whose lexicon the typing functions read: set by ``reading`` for one statement.
_LANGUAGE: ContextVar[str] = ContextVar("sitrep_event_language", default=DEFAULT_LANGUAGE)
# Languages typed by the classifier as well as the rules.
CLASSIFIED_LANGUAGES = frozenset({DEFAULT_LANGUAGE})


@contextmanager
def reading(language: str | None) -> Iterator[bool]:
    """Type statements of ``language`` inside the block; yields whether the language has a lexicon
    (without one, nothing is typed)."""
    known = has_lexicon(language or DEFAULT_LANGUAGE)
    token = _LANGUAGE.set(language if known else DEFAULT_LANGUAGE)
    try:
        yield known
    finally:
        _LANGUAGE.reset(token)


@lru_cache(maxsize=8)
def has_lexicon(language: str) -> bool:
    try:
        return resource(LEXICON_FILE, language).is_file()
    except ModuleNotFoundError:
        return False


def language_of(span) -> str:
    """The language of a spaCy span's doc ("en", "uk", "ru", ...)."""
    return getattr(getattr(span, "doc", None), "lang_", None) or DEFAULT_LANGUAGE


def lexicon() -> Lexicon:
    """The event lexicon of the language being read (English unless ``reading`` says otherwise)."""
    return _lexicon(_LANGUAGE.get())


@lru_cache(maxsize=4)
def _lexicon(language: str) -> Lexicon:
    """A language's event lexicon, compiled once per process."""
    raw = yaml.safe_load(resource(LEXICON_FILE, language).read_text("utf-8"))
    macros = raw["macros"]
    subtypes, cues = {}, []
    for entry in raw["subtypes"]:
        subtypes[entry["name"]] = SubType(entry["name"], entry["event_type"], entry["case"],
                                          bool(entry.get("territory")))
        for cue in entry["cues"]:
            fragments = cue["all"] if "all" in cue else [cue["pattern"]]
            cues.append(Cue(entry["name"], tuple(_compile(f, macros) for f in fragments), float(cue["weight"]),
                            tuple(_compile_lowered(f, macros) for f in fragments)))
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
    return _lexicon(DEFAULT_LANGUAGE).subtypes


FAILED_TERRITORY_SUBTYPE = "Armed clash"
CUE_REQUIRED = frozenset({"Chemical weapon", "Suicide bomb", "Grenade", "Sexual violence"})


def classify(sentence) -> EventTyping | None:
    """The event a spaCy span (a sentence) reports, or None when it reports none."""
    scored = score(sentence)
    return scored.typing if scored else None


def classify_text(nlp, text: str) -> EventTyping | None:
    """Parse ``text`` and type it as one statement (a snippet may hold several sentences)."""
    doc = nlp(text)
    return classify(doc[:]) if len(doc) else None


def score(span) -> Scored | None:
    """Type a span and keep the winning score, with the lexicon of the span's language (none for a
    language without one).

    Steps: decide the sub-type from the span's text (``decide``: rule cues and the classifier);
    then read the mode and status around the trigger.
    """
    with reading(language_of(span)) as known:
        return _score(span) if known else None


def _score(span) -> Scored | None:
    text = span_text(span)
    if not text.strip():
        return None
    hedge_only = _HEDGE_ONLY.set(False)
    try:
        return _score_span(span, text)
    finally:
        _HEDGE_ONLY.reset(hedge_only)


def _score_span(span, text: str) -> Scored | None:
    decision = decide(text)
    if decision is not None and _describes_a_thing(span, *decision[2], lexicon().subtypes[decision[0]].territory):
        # "walks past a burned armoured vehicle": a participle describing a thing is no event; the
        # text is typed again without it, for any other event it reports.
        start, end = decision[2]
        masked = text[:start] + " " * (end - start) + text[end:]
        _HEDGE_ONLY.set(False)
        decision = decide(masked) if has_cue(masked) else None
    if decision is None:
        return None
    name, value, (start, end) = decision
    offset = span.start_char
    trigger_start, trigger_end = offset + start, offset + end
    status = status_of(span, trigger_start, trigger_end, name)
    if status == "asserted" and _HEDGE_ONLY.get():
        # The classifier calls the text no event and only a hedge kept the rules' event; the hedge
        # bears on something else ("..., though this number likely includes ...", "reports of fighting
        # ... may indicate ..."), so the classifier's reading stands: commentary, not an event.
        return None
    if status == "failed" and lexicon().subtypes[name].territory:
        # No ground changed hands: ACLED codes a failed attempt to take territory as the battle it was.
        name = FAILED_TERRITORY_SUBTYPE
    typing = EventTyping(
        event_type=lexicon().subtypes[name].event_type, sub_event_type=name,
        mode=_mode(text, start, end, name), status=status,
        trigger=text[start:end], trigger_start=trigger_start, trigger_end=trigger_end)
    return Scored(typing, value)


# Nouns that name an event themselves: a participle before them ("repelled attacks") is part of the event.
EVENT_NOUNS = frozenset({"attack", "attacks", "assault", "assaults", "offensive", "offensives", "operation",
                         "operations", "strike", "strikes", "airstrike", "airstrikes", "shelling", "fire", "advance",
                         "advances", "attempt", "attempts", "counterattack", "counterattacks", "raid", "raids",
                         "clash", "clashes", "fighting", "battle", "battles", "bombardment", "push", "pushes"})


def _describes_a_thing(span, start: int, end: int, territory: bool = False) -> bool:
    """Whether the trigger is one participle describing a noun ("a burned vehicle", "the destroyed
    town"), not an action: adjectival modifiers report no event by themselves."""
    if not span.doc.has_annotation("DEP"):
        return False
    words = span.doc.char_span(span.start_char + start, span.start_char + end, alignment_mode="expand")
    if words is None or not len(words):
        return False
    word = words[0]
    # A longer territory trigger is a participle and the place it describes ("Russian-occupied Donbas",
    # "previously captured settlements"): a place described, when the participle hangs on a word of the
    # trigger. Other cues name their event with a participle ("guided aerial bombs").
    if len(words) > 1 and not (territory and words.start <= word.head.i < words.end):
        return False
    # "repelled attacks", "failed assaults": the participle qualifies an event noun, which is the event.
    return word.dep_ == "amod" and word.tag_ == "VBN" and word.head.lower_ not in EVENT_NOUNS


def decide(text: str, event_model: EventModel | None = None) -> Decision | None:
    """(sub-type, probability, trigger offsets in ``text``) of the event a text reports, or None.

    Steps: match every cue (rule hits); leave the text uncoded when a non-event cue outweighs them;
    take the rules' own choice; score the words, word pairs and hits with the classifier; keep a
    decisive rule's sub-type, or the rules' choice when the classifier says "no event" to a hedged
    text; leave the text uncoded when "no event" is probable enough; otherwise take the
    classifier's best sub-type, a territory gain going to the state or non-state sub-type by its
    taker. The trigger is that sub-type's best cue, or its most telling word when none fired.
    """
    hits = _rule_hits(text)
    if _non_event_wins(text, hits):
        return None
    rule = _rule_choice(text, hits)
    if _LANGUAGE.get() not in CLASSIFIED_LANGUAGES:
        return rule  # no classifier for this language: the rules decide alone
    if (rule is None or rule[1] < RULE_OVER_NO_EVENT) and any(name in CLASSIFIER_VETOES for name, _ in _non_events(text)):
        # "Ukrainian forces continued to hold defensive positions around X": no event cue strong
        # enough for the rules, and the text says who holds what; the classifier, which reads
        # "continued" and a place as a battle, is not asked.
        return None
    event_model = event_model or model()
    probabilities = event_model.probabilities(_features(text, hits, rule))
    none_probability = probabilities[event_model.none_index]
    no_event = none_probability >= NONE_THRESHOLD
    hedged = rule is not None and _hedged(text)
    if rule is not None and (hedged or none_probability < NONE_VETO or rule[1] >= UNVETOED_RULE_SCORE) and (
            rule[1] >= DECISIVE_RULE_SCORE or no_event and (hedged or rule[1] >= RULE_OVER_NO_EVENT)):
        known = rule[0] in event_model.labels
        if not ((none_probability < NONE_VETO or rule[1] >= UNVETOED_RULE_SCORE)
                and (rule[1] >= DECISIVE_RULE_SCORE or no_event and rule[1] >= RULE_OVER_NO_EVENT)):
            _HEDGE_ONLY.set(True)  # kept only because the text is hedged (see _score_span)
        return rule[0], float(probabilities[event_model.labels.index(rule[0])]) if known else 0.0, rule[2]
    if no_event:
        return None
    order = [int(index) for index in np.argsort(-probabilities) if index != event_model.none_index]
    # A weapon-specific sub-type needs its own words: no chemical weapon without a chemical, no
    # suicide bombing without a bomber; otherwise the classifier's next choice is taken.
    order = [index for index in order
             if event_model.labels[index] not in CUE_REQUIRED or event_model.labels[index] in hits] or order
    label_index = order[0]
    name = event_model.labels[label_index]
    if lexicon().subtypes[name].territory and STATE_SUBTYPE in hits:
        _, start, end = hits[STATE_SUBTYPE]
        name = NON_STATE_SUBTYPE if _taker_is_non_state(text, start, end) else STATE_SUBTYPE
        return name, float(probabilities[label_index]), (start, end)
    trigger = hits[name][1:] if name in hits else event_model.telling_word(text, label_index)
    return name, float(probabilities[label_index]), trigger


# Set by ``decide`` when the rules' event was kept over the classifier's "no event" only because the text
# is hedged; ``_score`` then keeps it only if the hedge bears on it (a status other than asserted).
_HEDGE_ONLY: ContextVar[bool] = ContextVar("sitrep_event_hedge_only", default=False)


def _hedged(text: str) -> bool:
    """Whether a statement is hypothetical, planned or an assessment. The training sentences report
    events that happened, so the classifier calls forecasts non-events; for these the rules decide
    and the status stage marks them."""
    status = lexicon().status
    return bool(HEDGE_WORDS.search(text) or any(status[name].search(text)
                                                for name in ("hypothetical", "assessment", "planned")))


def _rule_hits(text: str) -> dict[str, RuleHit]:
    """Each sub-type whose cues fire: its best weight plus the corroboration bonus, and its trigger."""
    found: dict[str, list[tuple[float, int, int]]] = {}
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = None  # a few characters lower-case to two; offsets would shift
    for cue in lexicon().cues:
        pairs = list(zip(cue.patterns, cue.lowered))
        match = _search(*pairs[0], text, lowered)
        if match is None or not all(_search(*pair, text, lowered) for pair in pairs[1:]):
            continue
        found.setdefault(cue.subtype, []).append((cue.weight, match.start(), match.end()))
    hits = {}
    for name, cues in found.items():  # dict order = YAML order, so ties go to the earlier sub-type
        weight, start, end = max(cues, key=lambda hit: (hit[0], -hit[1]))
        hits[name] = (weight + min(EXTRA_CUE_CAP, EXTRA_CUE_BONUS * (len(cues) - 1)), start, end)
    return hits


def _search(pattern: re.Pattern[str], fast: re.Pattern[str] | None, text: str, lowered: str | None):
    return fast.search(lowered) if fast is not None and lowered is not None else pattern.search(text)


def _non_event_wins(text: str, hits: dict[str, RuleHit]) -> bool:
    """Whether a non-event cue (flood, factory fire, drug haul, summit) is at least as strong as the
    best event cue; protests and riots are spared, since people march about floods and summits."""
    if not hits:
        return False
    name = max(hits, key=lambda key: hits[key][0])
    return (lexicon().subtypes[name].event_type not in lexicon().non_event_spares
            and hits[name][0] <= _non_event_score(text))


def _rule_choice(text: str, hits: dict[str, RuleHit]) -> Decision | None:
    """What the rules alone decide: the best-scoring sub-type unless too weak or outweighed by a non-event."""
    if not hits or _non_event_wins(text, hits):
        return None
    name = max(hits, key=lambda key: hits[key][0])  # max keeps the first of equals: YAML order
    value, start, end = hits[name]
    if value < MIN_SCORE:
        return None
    if lexicon().subtypes[name].territory:
        name = NON_STATE_SUBTYPE if _taker_is_non_state(text, start, end) else STATE_SUBTYPE
    return name, value, (start, end)


# ---------------------------------------------------------------- classifier


def features(text: str) -> list[str]:
    """The classifier's features of a text (what scripts/train_events.py trains on)."""
    hits = _rule_hits(text)
    return _features(text, hits, _rule_choice(text, hits))


def _features(text: str, hits: dict[str, RuleHit], rule: Decision | None) -> list[str]:
    """Lower-cased words, their stems and word pairs (numbers folded), the sub-types whose cues
    fire, the non-event cues that fire, and the rules' own choice. Feature kinds never collide:
    words hold no space, colon or tilde, stems end in a tilde, pairs hold one space, the rest a colon."""
    words = [NUMBER_WORD if word[0].isdigit() else word for word in WORD.findall(text.lower())]
    found = set(words)
    found.update(f"{word[:STEM_LENGTH]}~" for word in words if len(word) > STEM_LENGTH)
    found.update(f"{first} {second}" for first, second in zip(words, words[1:]))
    found.update(f"cue:{name}" for name in hits)
    found.update(f"non:{name}" for name, _ in _non_events(text))
    # Status cues (a denial, a forecast, a plan, a failed attempt) as features of their own: the
    # real sentences report such events with an event label, and one shared feature generalises
    # better than each hedge word alone.
    found.update(f"status:{name}" for name, pattern in lexicon().status.items() if pattern.search(text))
    if rule is not None:
        found.add(f"rule:{rule[0]}")
    return sorted(found)


@dataclass(frozen=True)
class EventModel:
    """A multinomial logistic regression over ``features``: one weight per feature and label."""

    labels: tuple[str, ...]  # ACLED sub-type names and NONE_LABEL
    index: dict[str, int]  # feature -> row of ``weights``
    weights: np.ndarray  # features x labels
    bias: np.ndarray

    @property
    def none_index(self) -> int:
        return self.labels.index(NONE_LABEL)

    def probabilities(self, feature_names: list[str]) -> np.ndarray:
        """Softmax over the labels, in ``labels`` order; unknown features are ignored."""
        rows = [self.index[name] for name in feature_names if name in self.index]
        logits = self.bias + self.weights[rows].sum(axis=0) if rows else self.bias.copy()
        logits = np.exp(logits - logits.max())
        return logits / logits.sum()

    def telling_word(self, text: str, label_index: int) -> tuple[int, int]:
        """Offsets of the word of ``text`` most specific to the label (its weight for the label above
        its mean weight), the trigger when no cue fired: function words weigh alike for every label."""
        best, best_weight = None, -np.inf
        for match in WORD.finditer(text):
            row = self.index.get(match.group().lower())
            if row is None or len(match.group()) < MIN_TRIGGER_LETTERS:
                continue
            specificity = self.weights[row, label_index] - self.weights[row].mean()
            if specificity > best_weight:
                best, best_weight = match, specificity
        if best is None:
            best = WORD.search(text)
        return (best.start(), best.end()) if best else (0, len(text))


def read_model(path) -> EventModel:
    """An EventModel from the JSON that scripts/train_events.py writes."""
    path = Path(path) if isinstance(path, str) else path  # a Path or a package resource
    try:
        raw = json.loads(path.read_text("utf-8"))
        labels, names = tuple(raw["labels"]), raw["features"]
        weights = np.asarray(raw["weights"], dtype=np.float32).reshape(len(names), len(labels))
        bias = np.asarray(raw["bias"], dtype=np.float32)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ConfigError(f"{path}: cannot read the event model ({error}); "
                          "rebuild it with scripts/train_events.py") from None
    unknown = set(labels) - set(lexicon().subtypes) - {NONE_LABEL}
    if unknown or NONE_LABEL not in labels or bias.shape != (len(labels),):
        raise ConfigError(f"{path}: the event model's labels do not match events.yaml "
                          f"(unknown: {sorted(unknown)}); rebuild it with scripts/train_events.py")
    return EventModel(labels, {name: row for row, name in enumerate(names)}, weights, bias)


@lru_cache(maxsize=1)
def model() -> EventModel:
    """The packaged event classifier, read once per process."""
    return read_model(resource(MODEL_FILE))


def _non_events(text: str) -> tuple[tuple[str, float], ...]:
    """(name, weight) of each non-event cue that fires in ``text``."""
    return _non_events_in(text, _LANGUAGE.get())


@lru_cache(maxsize=8)  # one text is checked by the veto, the rules' choice and the features in turn
def _non_events_in(text: str, language: str) -> tuple[tuple[str, float], ...]:
    return tuple((name, weight) for name, weight, pattern in _lexicon(language).non_event if pattern.search(text))


def _non_event_score(text: str) -> float:
    return max((weight for _, weight in _non_events(text)), default=0.0)


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
    not for disrupted weapons use, whose nature is a failed attack), historical, then a modal
    ("may", "could", "might", "would") on a verb that governs the trigger (hypothetical), else asserted.

    A cue counts only where it bears on the trigger (``_bears_on``): in the trigger's own clause, in a
    clause that governs it, or in a relative clause on the trigger. A hedge in a coordinated or
    subordinate clause of something else ("Russian claims of X are likely false, but Russian forces
    took Y"; "conducted strikes on July 23, likely to stymie ...") leaves the trigger's event as it is.
    """
    # Without a dependency parse (Ukrainian, Russian) there is no trigger token to walk from: the
    # parse's children and ancestors are not there to read, and the cues count anywhere in the sentence.
    parsed = span.doc.has_annotation("DEP")
    token = _status_anchor(_trigger_token(span, trigger_start, trigger_end)) if parsed else None
    sentence = token.sent if token is not None and span.doc.has_annotation("SENT_START") else span
    rules = lexicon().status

    def cue(name: str) -> bool:
        return _bears_on(rules[name], sentence, token)

    if _conditional(token, sentence) or cue("hypothetical"):
        return "hypothetical"
    if "hedged_negation" in rules and cue("hedged_negation"):
        return "assessment"  # "have likely not cleared X": a judgement that it did not happen
    if _negated(token) or cue("negated"):
        return "negated"
    if cue("assessment"):
        return "assessment"
    territory = subtype in lexicon().subtypes and lexicon().subtypes[subtype].territory
    if _will(token) or cue("planned"):
        return "planned"
    if subtype != "Disrupted weapons use" and cue("failed"):
        # "captured Kreminna but did not make any major gains elsewhere": a capture stands; only a
        # failure in its own or a governing clause ("failed to capture") undoes it, not one coordinated
        # after it. An attack "but made no progress" failed.
        if not territory or _bears_on(rules["failed"], sentence, token, coordinated=False):
            return "failed"
    if territory and _aimed_at(token):
        return "planned"
    if _anywhere(rules["historical"], sentence):
        return "historical"
    modal = _governing_modal(token, sentence)
    if modal is not None:
        return "planned" if modal in FUTURE_MODALS else "hypothetical"
    return "asserted"


# Modals that make an event merely possible when they sit on a verb governing the trigger ("Russia
# could use such a video to convince Ukrainians to surrender"), and those that put it in the future
# ("ISW will report on any counteroffensives").
POSSIBILITY_MODALS = frozenset({"may", "might", "could"})
# "Could not" denies an ability (a failed or negated event, left to those cues); "may not", "might
# not" keep the event possible. "Would" is left out: it mostly marks a consequence ("footage that
# would indicate that ...", "which would encompass ..."), not the event's possibility.
NEGATABLE_MODALS = frozenset({"may", "might"})
FUTURE_MODALS = frozenset({"will", "shall", "'ll"})
# Dependencies of a clause's head in the parse (as in sitrep.extract.clauses).
CLAUSE_DEPS = frozenset({"conj", "relcl", "advcl", "ccomp", "pcomp", "parataxis", "acl"})
# Hedge words that, as a modifier of a noun other than the trigger, hedge that noun, not the event
# ("amid preparations for a likely offensive", "vehicles likely of the Eastern Military District").
NOUN_HEDGES = frozenset({"likely", "unlikely", "probably", "possibly", "probable", "possible"})


def _clause_head(token, sentence):
    """The head of the clause that holds ``token``: its nearest verb heading a clause, or the root."""
    current = token
    while True:
        head = current.head
        if head.i == current.i or not (sentence.start <= head.i < sentence.end):
            return current
        if current.pos_ in ("VERB", "AUX") and current.dep_ in CLAUSE_DEPS:
            return current
        current = head


def _governing_clauses(token, sentence) -> set[int]:
    """Indices of the heads of the trigger's clause and of the clauses above it. Above a coordinated
    clause ("..., but Russian forces took Y") its sibling's own clause does not govern it, but what
    governs the sibling does ("ISW assesses that they shelled X and took Y")."""
    current = _clause_head(token, sentence)
    heads = {current.i}
    while current.head.i != current.i and sentence.start <= current.head.i < sentence.end:
        # A coordinated verb without a subject of its own shares its sibling's hedges ("Russian
        # forces likely shelled X and took Y"); one with its own subject is a clause apart.
        coordinated = current.dep_ == "conj" and any(
            child.dep_ in ("nsubj", "nsubjpass", "expl") for child in current.children)
        current = _clause_head(current.head, sentence)
        if not coordinated:
            heads.add(current.i)
    return heads


def _bears_on(pattern: re.Pattern[str], sentence, token, coordinated: bool = True) -> bool:
    """Whether a status cue of ``pattern`` in the sentence bears on the trigger ``token``: its first
    word lies in a clause that governs the trigger, or in a relative clause on the trigger itself,
    and is not a hedge on some other noun. Without a parse, any cue in the sentence counts."""
    if token is None or not sentence.doc.has_annotation("DEP"):
        return _anywhere(pattern, sentence)
    if _clause_head(token, sentence).lower_ in REPORTING_VERBS:
        # The trigger sits in the reporting frame ("... Rybar told its subscribers of the battle for
        # X"): what is reported is the rest of the sentence, whatever the parse makes of it.
        return _anywhere(pattern, sentence)
    governing = None
    for first, head in _cue_words(pattern, sentence):
        if first is None:
            return True
        if first.lower_ in NOUN_HEDGES and first.i != token.i and _hedges_something_else(first, token):
            continue
        if governing is None:
            governing = _governing_clauses(token, sentence)
        # An adverbial clause on the trigger's verb tells why or with what result, not whether: in
        # "recaptured X, indicating that ..." the inference hedges what it infers, not the recapture.
        if head.i in governing or head.head.i == token.i and head.dep_ != "advcl" and (
                coordinated or head.dep_ not in ("conj", "parataxis")):
            return True
    return False


def _cue_words(pattern: re.Pattern[str], sentence) -> list[tuple[Any, Any]]:
    """Each match of ``pattern`` in the sentence as its first word and that word's clause head
    ((None, None) where the match is not on word boundaries), found once per sentence and pattern."""
    def found() -> list[tuple[Any, Any]]:
        words = [sentence.doc.char_span(sentence.start_char + match.start(), sentence.start_char + match.end(),
                                        alignment_mode="expand")
                 for match in pattern.finditer(span_text(sentence))]
        return [(None, None) if span is None or not len(span) else (span[0], _clause_head(span[0], sentence))
                for span in words]

    return _kept(sentence.doc, (_CUES, pattern.pattern, sentence.start, sentence.end), found)


def _hedges_something_else(word, token) -> bool:
    """Whether a hedge word ("likely") hedges a noun or an adjunct rather than the event: an adjective
    on another noun ("a likely wider offensive"), or a word that opens a purpose, cause or
    identification ("..., likely to stymie preparations", "likely in an effort to cross", "vehicles
    likely of the Eastern Military District") where no form of "be" comes before it ("are likely to
    attack" hedges the attack)."""
    if word.dep_ == "amod" and word.head.i != token.i:
        return True
    if word.dep_ == "acomp":
        # A predicate adjective hedges its clause, whatever stands before it: "remain unlikely to
        # launch", "are highly unlikely to attack".
        return False
    doc = word.doc
    after = doc[word.i + 1] if word.i + 1 < len(doc) else None
    before = doc[word.i - 1] if word.i > 0 else None
    if after is None or before is None or before.pos_ == "AUX" or before.lower_ in BE_FORMS:
        return False
    return after.pos_ in ("ADP", "SCONJ") or after.lower_ == "to"


REPORTING_VERBS = frozenset({"said", "says", "told", "tells", "reported", "reports", "stated", "states",
                             "claimed", "claims", "wrote", "writes", "added", "noted", "announced"})
BE_FORMS = frozenset({"be", "is", "are", "was", "were", "been", "being", "'s", "'re"})


def _governing_modal(token, sentence) -> str | None:
    """A modal on a verb above the trigger (without "not" on it, and not reached from a subject:
    "the recapture of Izyum would disrupt ..." is no hedge on the recapture), or None."""
    if token is None:
        return None
    current = token
    while True:
        if current.dep_ in ("nsubj", "nsubjpass", "csubj"):
            return None
        if current.pos_ in ("VERB", "AUX"):
            children = list(current.children)
            negated = any(child.dep_ == "neg" for child in children)
            for child in children:
                if child.dep_ == "aux" and child.lower_ in POSSIBILITY_MODALS | FUTURE_MODALS:
                    return None if negated and child.lower_ not in NEGATABLE_MODALS else child.lower_
        head = current.head
        if head.i == current.i or not (sentence.start <= head.i < sentence.end):
            return None
        current = head


# Nouns of a deed that may stand as the subject of its consequence ("the recapture of Lyman will disrupt").
DEED_NOUNS = frozenset({"capture", "recapture", "seizure", "liberation", "fall", "conquest", "takeover", "withdrawal",
                        "retreat", "occupation", "encirclement", "destruction", "shelling", "bombing", "explosion"})
# Dependencies of a word that only qualifies the noun above it ("Russian" in "Russian forces").
NOUN_MODIFIER_DEPS = frozenset({"amod", "compound", "det", "poss", "nummod"})


def _status_anchor(token):
    """The word whose clause gives the event its status. A trigger that names no event itself (the
    classifier's most telling word is often the subject, "forces", "Russian", or an auxiliary, "have")
    stands for the verb it is the subject or auxiliary of: in "Russian forces may secure the airport"
    and "Russian troops have not yet conducted landings" the modal and the negation sit on that verb.
    An event noun as subject keeps its own place ("the recapture of Izyum would disrupt ...")."""
    if token is None:
        return None
    current = token
    while current.dep_ in NOUN_MODIFIER_DEPS and current.head.i != current.i and current.head.pos_ in ("NOUN", "PROPN"):
        current = current.head
    if current.lower_ in EVENT_NOUNS or current.lower_ in DEED_NOUNS:
        return token
    if current.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") and current.head.pos_ in ("VERB", "AUX"):
        return current.head
    return token


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
    words = _lower_words(sentence)
    return bool(words & markers) and bool(words & modals)


# Keys of what is computed once per doc or sentence and kept in Doc.user_data: status_of runs for
# every candidate trigger, and recomputing a long sentence's text or words each time is quadratic
# (a 100,000-character sentence took minutes).
_DOC_TEXT = "sitrep.text"
_WORDS = "sitrep.lower_words"
_CUES = "sitrep.cue_words"
_FOUND = "sitrep.cue_found"


def _kept(doc, key, compute):
    """``compute()``, worked out once per doc and key and kept in its user_data."""
    value = doc.user_data.get(key)
    if value is None:
        value = doc.user_data[key] = compute()
    return value


def span_text(span) -> str:
    """``span.text``, sliced from the doc's text kept once (Span.text joins all its tokens again)."""
    return _kept(span.doc, _DOC_TEXT, lambda: span.doc.text)[span.start_char:span.end_char]


def _anywhere(pattern: re.Pattern[str], span) -> bool:
    return _kept(span.doc, (_FOUND, pattern.pattern, span.start, span.end),
                 lambda: bool(pattern.search(span_text(span))))


def _lower_words(span) -> frozenset[str]:
    return _kept(span.doc, (_WORDS, span.start, span.end), lambda: frozenset(t.lower_ for t in span))


def _negated(token) -> bool:
    """A 'not'/'never' on the trigger or on the verb it belongs to; a 'no' on a trigger noun."""
    if token is None:
        return False
    heads = [token] if token.pos_ in ("VERB", "AUX") else [token, token.head]
    for head in heads:
        if head.lower_ in CONTINUATION_VERBS:
            continue  # "the shelling has not stopped": it went on
        if any(child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no") for child in head.children):
            return True
    return False


# Verbs of stopping: "not" on them asserts that the event went on.
CONTINUATION_VERBS = frozenset({"stopped", "stop", "ceased", "cease", "abated", "subsided", "eased", "ended",
                                "paused", "relented", "let", "slowed", "halted"})


# Dependencies of an infinitive that names an aim: the goal of a noun ("efforts to encircle and take
# X", "the fight to take X") or a purpose ("in order to seize X", "regrouped to capture X"). "Continued
# to advance", "attempted to take" (xcomp) report what was done.
AIM_DEPS = frozenset({"acl", "advcl"})


def _aimed_at(token) -> bool:
    """Whether the trigger's verb is an infinitive of aim, alone or coordinated with one ("efforts to
    encircle and capture Kyiv"): a change of territory aimed at is no change of territory."""
    if token is None or token.pos_ != "VERB":
        return False
    verb = token
    while verb.dep_ == "conj" and verb.head.pos_ == "VERB" and verb.head.i != verb.i:
        verb = verb.head
    return verb.dep_ in AIM_DEPS and any(child.dep_ == "aux" and child.lower_ == "to" for child in verb.children)


def _will(token) -> bool:
    if token is None:
        return False
    if token.pos_ != "VERB" and token.dep_ in ("nsubj", "nsubjpass"):
        return False  # "The recapture of Izyum will disrupt ...": the future is the consequence's
    verb = token if token.pos_ == "VERB" else token.head
    return any(child.dep_ == "aux" and child.lower_ in ("will", "shall", "'ll") for child in verb.children)


def has_cue(text: str, language: str = DEFAULT_LANGUAGE) -> bool:
    """Whether any event cue of the language's lexicon fires in ``text`` (sitrep.extract.clauses types a
    further clause of a sentence only then)."""
    with reading(language) as known:
        return known and bool(_rule_hits(text))
