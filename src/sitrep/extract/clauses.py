"""Clauses: the event predicates of one sentence, each with the words that belong to it.

"Artillery hit Kupiansk on Monday, and Ukrainian troops took Klishchiivka" reports two events; so does
"Ukrainian forces have pushed back, less than two months after Wagner claimed the town". The sentence
is cut into clauses along the dependency parse (a verb heading a coordinated, relative, adverbial or
complement clause starts a clause of its own); the whole sentence is typed first, as before, and each
clause that does not hold that event's trigger is typed on its own. A clause becomes a further event
only when an event cue of the lexicon fires inside it, so that background clauses ("which had 70,000
residents") stay uncoded. Each predicate keeps the character span of its clause, where the claims
stage looks for its actors, place and time words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

import yaml

from sitrep.extract.events import EventTyping, classify, has_cue
from sitrep.extract.lang import DEFAULT_LANGUAGE, resource

# Dependencies that make a verb the head of a clause of its own.
CLAUSE_DEPS = frozenset({"conj", "relcl", "advcl", "ccomp", "pcomp", "parataxis", "acl"})
# A clause needs this many words to be typed on its own ("took it" is too little to tell) ...
MIN_CLAUSE_WORDS = 3
# ... unless one of them is a proper name: "and capture Kharkiv" says enough.
MIN_NAMED_CLAUSE_WORDS = 2
# Nouns of a taker's deed that head a clause of their own when a possessor names the taker.
NOMINAL_DEEDS = frozenset({"conquest", "capture", "recapture", "seizure", "takeover", "liberation"})
# Verb-like parts of speech that head clauses.
CLAUSE_POS = frozenset({"VERB", "AUX"})


@dataclass(frozen=True)
class Predicate:
    """One event of a sentence: its typing, and the span of its clause (offsets of the sentence's
    doc, like token.idx)."""

    typing: EventTyping
    start: int
    end: int


def predicates(sentence, limit: int) -> tuple[list[Predicate], int]:
    """The sentence's events, first the whole sentence's, then each further clause's, at most
    ``limit``; and how many more there were."""
    first = classify(sentence)
    if first is None:
        return [], 0
    clauses = clause_spans(sentence)
    parsed = sentence.doc.has_annotation("DEP")
    home = _clause_at(clauses, first.trigger_start, sentence)
    # Cut without a parse, the sentence's cues together say more than its first clause alone ("підірвали
    # колію — потяг зійшов з рейок" is sabotage with a blast): its typing stays.
    first = _own_typing(first, home, sentence) if len(clauses) > 1 and parsed else first
    found = [Predicate(first, *home)]
    for start, end in clauses:
        if start <= first.trigger_start < end:
            continue
        span = sentence.doc.char_span(start, end, alignment_mode="expand")
        if span is None or not _long_enough(span) or not _admitted(span.text, sentence.doc.lang_):
            continue
        typing = classify(span)
        if typing is None or any(_overlaps(typing, other.typing) for other in found):
            continue
        if not parsed and any(typing.sub_event_type == other.typing.sub_event_type for other in found):
            continue  # cut without a parse, a clause of the same kind mostly tells the same event again
        found.append(Predicate(typing, start, end))
    return found[:limit], max(0, len(found) - limit)


def _own_typing(whole: EventTyping, clause: tuple[int, int], sentence) -> EventTyping:
    """The whole sentence's event, typed from the words of the clause that holds its trigger: in "did not
    conduct ground attacks near X and continued to fire on positions along Y" the sentence's cues
    add up to a battle with its trigger in the second clause, which on its own reports shelling.
    The sentence's status stays unless the clause's own words give another ("but failed to ...");
    a denial or a hedge in the main clause governs its complement."""
    span = sentence.doc.char_span(*clause, alignment_mode="expand")
    if span is None or not _long_enough(span) or not _admitted(span.text, sentence.doc.lang_):
        return whole
    own = classify(span)
    if own is None or own.sub_event_type == whole.sub_event_type:
        return whole
    status = whole.status if own.status == "asserted" else own.status
    return replace(own, status=status)


def _long_enough(span) -> bool:
    words = sum(1 for token in span if token.is_alpha)
    named = any(token.pos_ == "PROPN" for token in span)
    return words >= (MIN_NAMED_CLAUSE_WORDS if named else MIN_CLAUSE_WORDS)


def _admitted(text: str, language: str = DEFAULT_LANGUAGE) -> bool:
    """Whether a further clause may be typed: an event cue of its language's lexicon fires in it, or (in
    English) a plain word of war reporting that the lexicon leaves to the classifier (lang/en/clauses.yaml)."""
    if language != DEFAULT_LANGUAGE:
        return has_cue(text, language)
    return has_cue(text) or any(pattern.search(text) for pattern in _admit_patterns())


def aftermath(text: str, language: str = DEFAULT_LANGUAGE) -> re.Match | None:
    """The words by which a sentence with no event of its own reports what an event did ("A man was
    wounded", "Внаслідок удару загинули двоє"), or None (lang/<language>/clauses.yaml, ``aftermath``).
    Harm words inside a denial of harm (``no_harm``: "Пострадавших и разрушений нет", "No one was hurt")
    do not count; "Погиб мужчина, разрушений нет" still reports a death."""
    denied = [match.span() for pattern in _patterns("no_harm", language) for match in pattern.finditer(text)]
    for pattern in _patterns("aftermath", language):
        for match in pattern.finditer(text):
            if not any(start <= match.start() and match.end() <= end for start, end in denied):
                return match
    return None


def _admit_patterns() -> tuple[re.Pattern, ...]:
    return _patterns("admit", DEFAULT_LANGUAGE)


@cache
def _patterns(key: str, language: str) -> tuple[re.Pattern, ...]:
    """A language's clause patterns of ``key``; none for a language without a clauses.yaml."""
    try:
        data = yaml.safe_load(resource("clauses.yaml", language).read_text(encoding="utf-8"))
    except (FileNotFoundError, ModuleNotFoundError):
        return ()
    return tuple(re.compile(pattern, re.IGNORECASE) for pattern in data.get(key) or ())


def clause_spans(sentence) -> list[tuple[int, int]]:
    """(start, end) character spans of the sentence's clauses, in text order: each token belongs to
    the clause of its nearest clause-heading ancestor (or the root). Without a dependency parse (the
    Ukrainian and Russian pipelines have none) the sentence is cut at the clause boundaries of its
    language's clauses.yaml (``boundaries``: "; ", ", а ", ", але ", a dash, a count that starts a new
    statement), or is one clause."""
    if not sentence.doc.has_annotation("DEP"):
        return _cut_at_boundaries(sentence)
    groups: dict[int, set[int]] = {}
    punctuation = {token.i for token in sentence if token.is_punct}
    for token in sentence:
        groups.setdefault(_clause_head(token, sentence).i, set()).add(token.i)
    doc = sentence.doc
    spans = []
    for head, members in groups.items():
        # The unbroken run of the clause's words around its head (punctuation may sit between them):
        # a clause's span never reaches over another clause.
        allowed = members | punctuation
        left = right = head
        while left - 1 >= sentence.start and left - 1 in allowed:
            left -= 1
        while right + 1 < sentence.end and right + 1 in allowed:
            right += 1
        while left < right and left in punctuation:
            left += 1
        while right > left and right in punctuation:
            right -= 1
        spans.append((doc[left].idx, doc[right].idx + len(doc[right].text)))
    return sorted(spans)


def _cut_at_boundaries(sentence) -> list[tuple[int, int]]:
    """The sentence's spans between the boundaries its language's patterns find: "ВСУ нанесли удар по
    X, три ракеты были уничтожены" is a strike and an interception."""
    text, base = sentence.text, sentence.start_char
    cuts = sorted({match.start() for pattern in _patterns("boundaries", sentence.doc.lang_)
                   for match in pattern.finditer(text) if 0 < match.start() < len(text)})
    edges = [0, *cuts, len(text)]
    trimmed = []
    for first, last in zip(edges, edges[1:]):
        piece = text[first:last]
        left = len(piece) - len(piece.lstrip(" ,;—–-"))
        right = len(piece.rstrip(" ,;—–-.!?"))
        if right > left:
            trimmed.append((base + first + left, base + first + right))
    return trimmed or [(sentence.start_char, sentence.end_char)]


def clause_head_at(sentence, position: int) -> int | None:
    """The index of the head of the clause that holds the word at ``position`` (an offset of the
    sentence's doc, like token.idx), or None when no word is there."""
    for token in sentence:
        if token.idx <= position < token.idx + len(token.text) + 1:
            return _clause_head(token, sentence).i
    return None


def _clause_head(token, sentence):
    current = token
    while True:
        if current.head.i == current.i or current.i == sentence.root.i:
            return current
        if current.pos_ in CLAUSE_POS and current.dep_ in CLAUSE_DEPS and current.head.i >= sentence.start:
            return current
        if _nominal_deed(current):
            return current
        if not (sentence.start <= current.head.i < sentence.end):
            return current
        current = current.head


def _nominal_deed(token) -> bool:
    """A deed named as a noun with its doer as possessor ("Wagner's conquest of it in May"): a clause
    of its own, with its own actor and time."""
    return token.pos_ == "NOUN" and token.lower_ in NOMINAL_DEEDS and any(child.dep_ == "poss" for child in token.children)


def _clause_at(clauses: list[tuple[int, int]], position: int, sentence) -> tuple[int, int]:
    for start, end in clauses:
        if start <= position < end:
            return start, end
    return sentence.start_char, sentence.end_char


def _overlaps(a: EventTyping, b: EventTyping) -> bool:
    return a.trigger_start < b.trigger_end and b.trigger_start < a.trigger_end
