"""Attribution, first version: who asserts each sentence.

Finds reporting frames with spaCy's dependency parse ("X said", "X wrote on Telegram", "X told
its subscribers", "according to X"), takes an appositive as the speaker's role, carries a speaker
over to a following sentence that is only a quote, and resolves "he"/"it"/"Mr Freedman"/"the
ministry" to the document's last matching speaker. Kind, side and channel come from the
lexicons in ``extract/lang/en/attribution.yaml``. A sentence with no frame belongs to the outlet, or to the
narrator when the outlet is unknown. Issue #4 deepens all of this; the record does not change.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

from sitrep.extract.lang import resource
from sitrep.models import Document, Place, Source

_QUOTED = re.compile(r'"([^"]{3,})"')
# A sentence at least this share quoted, with no frame of its own, continues the last speaker.
QUOTE_SHARE_TO_CONTINUE = 0.6
FRAME_DEPS = frozenset({"ROOT", "parataxis"})
# Parts of the subject that are not the name: "X, commander of ..., said"; "officials speaking on ...".
NAME_CUT_DEPS = frozenset({"appos", "relcl", "acl", "punct"})
# Fronted adverbials parsed into the subject: "North of Bakhmut, near Soledar, Ukraine's military said".
LEADING_CUT_DEPS = frozenset({"npadvmod", "advmod", "prep"})
REFERRING_WORDS = frozenset({"mr", "mrs", "ms", "dr", "the", "this", "that"})
# Speakers who, without a stated side, speak for the country where they are (governors, police,
# officials); and the sides that a place can give them.
LOCAL_KINDS = frozenset({"government", "official", "military"})
LOCAL_SIDES = frozenset({"UA", "RU"})


@dataclass(frozen=True)
class Lexicon:
    verbs: frozenset[str]
    person_pronouns: frozenset[str]
    group_pronouns: frozenset[str]
    document_nouns: frozenset[str]
    channels: list[tuple[re.Pattern[str], str]]
    kinds: list[tuple[str, re.Pattern[str]]]
    sides: list[tuple[str, re.Pattern[str]]]
    known: list[tuple[re.Pattern[str], dict]]  # known speakers (data/sources.yaml), longest names first


def _words(words: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w'])(?:{alternatives})(?![\w'])", re.IGNORECASE)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    raw = yaml.safe_load(resource("attribution.yaml").read_text("utf-8"))
    return Lexicon(
        verbs=frozenset(raw["reporting_verbs"]),
        person_pronouns=frozenset(raw["person_pronouns"]),
        group_pronouns=frozenset(raw["group_pronouns"]),
        document_nouns=frozenset(raw["document_nouns"]),
        channels=[(re.compile(rule["cue"], re.IGNORECASE), rule["channel"]) for rule in raw["channels"]],
        kinds=[(kind, _words(words)) for kind, words in raw["kinds"].items()],
        sides=[(side, _words(words)) for side, words in raw["sides"].items()],
        known=_known_speakers(),
    )


def _known_speakers() -> list[tuple[re.Pattern[str], dict]]:
    raw = yaml.safe_load(resources.files("sitrep.data").joinpath("sources.yaml").read_text("utf-8"))
    entries = sorted(raw["sources"], key=lambda entry: -max(len(name) for name in entry["names"]))
    # Case matters for short names ("AP", "ISW") that are also ordinary words or word parts.
    return [(re.compile(rf"(?<![\w'])(?:{'|'.join(re.escape(n) for n in entry['names'])})(?![\w'])"), entry)
            for entry in entries]


def known_speaker(name: str) -> dict | None:
    """The sources.yaml entry whose name appears in ``name`` ("Colonel General Oleksandr Syrskyi")."""
    for pattern, entry in lexicon().known:
        if pattern.search(name):
            return entry
    return None


@dataclass
class Attribution:
    source: Source
    quote: str | None
    framed: bool  # True when the sentence itself (or a carried quote) names the speaker
    # Document offsets of the words that name the speaker ("The Defence Ministry in Moscow", "X, a
    # fellow at a think tank in Washington"): a place inside them is the speaker's seat, not the event's.
    frame: tuple[int, int] | None = None
    # Document offsets of the reporting verb ("said"): time words on it date the statement, not the event.
    verb: tuple[int, int] | None = None


@dataclass
class Attributor:
    """Per-document state: the speakers seen so far, for pronouns and carried quotes."""

    document: Document
    places: list[Place] = field(default_factory=list)  # the document's resolved places, for sides
    speakers: list[tuple[Source, bool]] = field(default_factory=list)  # (speaker, is a person)
    last: Source | None = None

    def attribute(self, sentence, caption_credit: str | None = None, offset: int = 0) -> Attribution:
        """The source of one spaCy sentence (a Span); ``offset`` is its paragraph's document offset."""
        quote = quoted_text(sentence.text)
        if caption_credit is not None:
            return Attribution(self._caption_source(caption_credit), quote, framed=True)
        start = offset + sentence.start_char
        nearby = [place for place in self.places if start <= place.start < offset + sentence.end_char]
        speaker = self._framed_speaker(sentence, nearby)
        if speaker is not None:
            self.last = speaker
            return Attribution(speaker, quote, framed=True, **frame_of(sentence, offset))
        if quote and self.last is not None and len(quote) >= QUOTE_SHARE_TO_CONTINUE * len(sentence.text):
            return Attribution(self.last, quote, framed=True)
        return Attribution(self.default_source(), quote, framed=False)

    def default_source(self) -> Source:
        """The outlet speaks where nobody else does; a Telegram channel is its own speaker."""
        outlet = self.document.outlet
        if not outlet:
            return Source(name="narrator", kind="narrator")
        channel = "telegram" if self.document.channel == "telegram" else None
        known = known_speaker(outlet)
        if known is not None:
            return Source(name=outlet, kind=known["kind"], side=known["side"], role=known.get("role"),
                          channel=channel)
        kind = classify_kind(outlet) or ("unknown" if channel == "telegram" else "outlet")
        side = classify_side(outlet)
        if side == "unknown" and _Z_BRAND.search(outlet):
            side = "RU"
        if side == "unknown" and (channel == "telegram" or kind in FIRST_PERSON_KINDS):
            side = first_person_side(self.document.text)
        return Source(name=outlet, kind=kind, side=side, channel=channel)

    def _caption_source(self, credit: str) -> Source:
        return Source(name=credit, kind=classify_kind(credit) or "journalist", channel="photo caption")

    def _framed_speaker(self, sentence, nearby: list[Place]) -> Source | None:
        name, role, head = _according_to(sentence) or _reporting_subject(sentence) or (None, None, None)
        if name is None:
            return None
        channel = channel_of(sentence.text)
        resolved = self._resolve_reference(name)
        if resolved is not None:
            # Same speaker, but the channel belongs to this statement ("he wrote on Telegram").
            return resolved.model_copy(update={"channel": channel})
        source = make_source(name, role, channel)
        if source.side == "unknown" and source.kind in LOCAL_KINDS:
            source = source.model_copy(update={"side": self._local_side(source, nearby)})
        self.speakers.append((source, head.ent_type_ == "PERSON"))
        return source

    def _local_side(self, source: Source, nearby: list[Place]) -> str:
        """A governor, police or officials with no side of their own speak for the country they are
        in: the place named in their role, else in the sentence, else the document's main country."""
        described = f"{source.name} {source.role or ''}"
        sided = [place for place in nearby if place.country in LOCAL_SIDES and place.precision is not None]
        for place in sided:
            if place.mention in described:
                return place.country
        if sided:
            return sided[0].country
        countries = Counter(place.country for place in self.places
                            if place.country in LOCAL_SIDES and place.kind == "toponym" and place.precision)
        return countries.most_common(1)[0][0] if countries else "unknown"

    def _resolve_reference(self, name: str) -> Source | None:
        """'he', 'it', 'Mr Freedman', 'the ministry' -> an earlier speaker, if one fits."""
        words = name.lower().split()
        lex = lexicon()
        if len(words) == 2 and words[0] == "the" and words[1] in lex.document_nouns:
            # "according to the update" / "the agency said": the last organisation that spoke.
            return next((speaker for speaker, is_person in reversed(self.speakers) if not is_person), None)
        if len(words) == 1 and words[0] in lex.person_pronouns | lex.group_pronouns:
            wants_person = words[0] in lex.person_pronouns
            return next((speaker for speaker, is_person in reversed(self.speakers) if is_person == wants_person),
                        None)
        for speaker, _ in reversed(self.speakers):
            known = speaker.name.lower()
            if known == name.lower():
                return speaker
            # "Mr Freedman", "the ministry", "the blogger" (after "bloggers"): a title or article plus
            # a word of the earlier name, singular or plural.
            # Every word of the reference must be one of the earlier name's: "the Derhachi City Council"
            # is a speaker of its own, not "the Security Council" of an earlier speaker.
            known_words = {word.rstrip("s") for word in known.split()}
            rest = words[1:] if words[0] in REFERRING_WORDS else words
            if (words[0] in REFERRING_WORDS or len(words) == 1) and rest and \
                    all(word.rstrip("s") in known_words for word in rest):
                return speaker
        return None


# Modals that make a reporting verb hypothetical ("would demand", "could say"): no frame.
MODAL_WORDS = frozenset({"would", "could", "might", "should", "may", "must", "'d"})
# Channels that speak of "our units" and "the enemy": a unit's or a blogger's own channel.
FIRST_PERSON_KINDS = frozenset({"military", "milblogger", "unknown"})
_FIRST_PERSON = re.compile(r"\b(?:our|we|us|наш\w*|наші|ми|мы)\b", re.IGNORECASE)
# How each side's forces are named by the other side (and by neutral reporting); a channel that says
# "our" and names only one side's forces belongs to the other side.
_SIDE_NAMES = {
    "RU": re.compile(r"\b(?:Russian|Russians|Russia's|occupiers?|occupying|ruscists?|rashists?|orcs|Wagner|"
                     r"Kadyrovites|окупант\w*|росіян\w*|російськ\w*|рашист\w*|орк\w*|загарбник\w*)\b"),
    "UA": re.compile(r"\b(?:Ukrainian|Ukrainians|Ukraine's|AFU|VSU|Kyiv regime|Banderites|neo-Nazis|"
                     r"nationalist formations|ВСУ|украинск\w*|укро\w*|киевск\w* режим\w*|неонацист\w*|"
                     r"бандеровц\w*|нацбат\w*)\b"),
}
_OTHER = {"RU": "UA", "UA": "RU"}
# Russian war channels brand their names with the invasion's "Z" ("Southern Front Z", "WarJournal [Z]",
# "Z-Vestnik"): a capital Z standing alone in a channel's name.
_Z_BRAND = re.compile(r"(?:^|[\s\[(])Z(?:$|[\s\])-])")
# A channel's own salute names its side outright.
_OWN_MARKERS = {
    "UA": re.compile(r"\b(?:Glory to Ukraine|Slava Ukraini|Glory to the heroes|Defence Forces of Ukraine|"
                     r"Слава Україні|Героям слава|Сили оборони України)\b", re.IGNORECASE),
    "RU": re.compile(r"\b(?:Glory to Russia|Slava Rossii|our Motherland Russia|Russian Armed Forces|"
                     r"Слава России|Zа наших|Своих не бросаем)\b", re.IGNORECASE),
}


def first_person_side(text: str) -> str:
    """The side of a channel that writes in the first person ("our assault groups cleared the last
    Russian positions"): the side opposite to the only one whose forces it names; unknown when it
    names both or neither, or never says "our"/"we"."""
    if not _FIRST_PERSON.search(text):
        return "unknown"
    own = [side for side, pattern in _OWN_MARKERS.items() if pattern.search(text)]
    if len(own) == 1:
        return own[0]
    named = [side for side, pattern in _SIDE_NAMES.items() if pattern.search(text)]
    return _OTHER[named[0]] if len(named) == 1 else "unknown"


def frame_of(sentence, offset: int) -> dict:
    """The document spans of the speaker's words and of the reporting verb (see Attribution)."""
    found = _according_to(sentence) or _reporting_subject(sentence)
    if not found:
        return {}
    head = found[2]
    left, right = head.left_edge, head.right_edge
    for child in head.children:  # "North of Bakhmut, near Soledar, Ukraine's military said": not the speaker's
        if child.i < head.i and child.dep_ in LEADING_CUT_DEPS | {"punct"} and child.right_edge.i + 1 <= head.i:
            left = max(left, head.doc[child.right_edge.i + 1], key=lambda token: token.i)
    if head.i > 0 and head.doc[head.i - 1].lower_ == "to" and head.i > 1 and head.doc[head.i - 2].lower_ == "according":
        left = head.doc[head.i - 2]
    frame = (offset + left.idx, offset + right.idx + len(right.text))
    verb = head.head if head.dep_ == "nsubj" else None
    return {"frame": frame, "verb": (offset + verb.idx, offset + verb.idx + len(verb.text)) if verb is not None else None}


def _according_to(sentence):
    for token in sentence:
        if token.lower_ == "according" and token.i + 1 < sentence.end and token.doc[token.i + 1].lower_ == "to":
            objects = [child for child in token.doc[token.i + 1].children if child.dep_ == "pobj"]
            if objects:
                return _name_and_role(objects[0]) + (objects[0],)
    return None


def _reporting_subject(sentence):
    """The subject of the outermost reporting verb, with its appositive as the role."""
    # Only a frame for the whole sentence counts: "X said ..." (the root) or "..., X said" (parataxis);
    # a reporting verb inside a subordinate clause ("after Wagner claimed it") reports something else.
    verbs = [token for token in sentence if token.lower_ in lexicon().verbs and token.pos_ in {"VERB", "AUX"}
             and token.dep_ in FRAME_DEPS]
    for verb in sorted(verbs, key=_depth):
        if any(child.dep_ == "aux" and child.lower_ in MODAL_WORDS for child in verb.children):
            continue  # "Prudence would demand ...": nobody says anything
        # Only an active subject speaks: "shelling was reported" names no speaker.
        subjects = [child for child in verb.children if child.dep_ == "nsubj"]
        if subjects and subjects[0].pos_ not in {"DET"}:
            return _name_and_role(subjects[0]) + (subjects[0],)
    return None


def _depth(token) -> int:
    depth = 0
    while token.head.i != token.i:
        token, depth = token.head, depth + 1
    return depth


def _name_and_role(head) -> tuple[str, str | None]:
    """The speaker's name (the subject without appositives and clauses) and role (its appositive).
    "the regional governor, Vyacheslav Gladkov": the appositive is the name and the head the role."""
    named = next((child for child in head.children if child.dep_ == "appos" and child.pos_ == "PROPN"
                  and child.ent_type_ == "PERSON"), None)
    if named is not None and head.pos_ == "NOUN":
        role = head.doc[head.left_edge.i: named.left_edge.i].text.strip(" ,;")
        name = head.doc[named.left_edge.i: named.right_edge.i + 1].text.strip(" ,;")
        return name, role or None
    alias = _writes_as(head)
    if alias is not None:
        return alias
    skipped = set()
    role = None
    for child in head.children:
        if child.dep_ in NAME_CUT_DEPS or (child.i < head.i and child.dep_ in LEADING_CUT_DEPS):
            skipped.update(token.i for token in child.subtree)
            if child.dep_ == "appos" and role is None:
                role = head.doc[child.left_edge.i: child.right_edge.i + 1].text.strip(" ,;")
    tokens = [token for token in head.subtree if token.i not in skipped]
    # A fronted adverbial the parser hung on the subject ("North of Bakhmut, near Soledar, Ukraine's
    # military said"): the name starts after the last comma before its head.
    commas = [token.i for token in tokens if token.i < head.i and token.text == ","]
    if commas:
        tokens = [token for token in tokens if token.i > commas[-1]]
    name = head.doc[tokens[0].i: tokens[-1].i + 1].text if tokens else head.text
    return name.strip(" ,"), role


# Verbs of a pen name: "a Russian military blogger who writes as Southern Front Z".
PEN_NAME_VERBS = frozenset({"writes", "wrote", "posts", "posted", "publishes", "blogs", "goes", "calls"})


def _writes_as(head) -> tuple[str, str] | None:
    """(pen name, description) when the subject is described by a relative clause naming its pen name."""
    for clause in head.children:
        if clause.dep_ != "relcl" or clause.lower_ not in PEN_NAME_VERBS:
            continue
        for preposition in clause.children:
            if preposition.lower_ == "as":
                objects = [child for child in preposition.children if child.dep_ == "pobj"]
                if objects:
                    name = head.doc[objects[0].left_edge.i: objects[0].right_edge.i + 1].text.strip(" ,;\"'“”")
                    role = head.doc[head.left_edge.i: head.i + 1].text.strip(" ,;")
                    if name and name[0].isupper():
                        return name, role
    return None


def make_source(name: str, role: str | None, channel: str | None) -> Source:
    """A speaker from the report's words, completed from the known-speakers table: the table's side
    is trusted over words in the role, the report's own role over the table's."""
    described = f"{name} {role or ''}"
    known = known_speaker(name)
    if known is not None:
        return Source(name=name, kind=known["kind"], side=known["side"], role=role or known.get("role"),
                      channel=channel)
    return Source(name=name, kind=classify_kind(described) or "unknown", side=classify_side(described),
                  role=role, channel=channel)


def classify_kind(text: str) -> str | None:
    """The kind whose longest cue appears in ``text``: "head of the military administration" is
    government ("military administration"), not military ("military"). Ties go to the earlier kind."""
    best: tuple[int, int, str] | None = None
    for order, (kind, pattern) in enumerate(lexicon().kinds):
        for match in pattern.finditer(text):
            candidate = (-len(match.group()), order, kind)
            if best is None or candidate < best:
                best = candidate
    return best[2] if best else None


def classify_side(text: str) -> str:
    found = [(match.start(), side) for side, pattern in lexicon().sides if (match := pattern.search(text))]
    return min(found)[1] if found else "unknown"


def channel_of(text: str) -> str | None:
    for pattern, channel in lexicon().channels:
        if pattern.search(text):
            return channel
    return None


def quoted_text(text: str) -> str | None:
    quotes = _QUOTED.findall(text)
    return " ... ".join(quote.strip() for quote in quotes) if quotes else None
