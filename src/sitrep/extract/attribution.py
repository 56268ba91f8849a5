"""Attribution, first version: who asserts each sentence.

Finds reporting frames with spaCy's dependency parse ("X said", "X wrote on Telegram", "X told
its subscribers", "according to X"), takes an appositive as the speaker's role, carries a speaker
over to a following sentence that is only a quote, and resolves "he"/"it"/"Mr Freedman"/"the
ministry" to the document's last matching speaker. Kind, side and channel come from the
lexicons in ``extract/lang/en/attribution.yaml``. A sentence with no frame belongs to the outlet, or to the
narrator when the outlet is unknown. Issue #4 deepens all of this; the record does not change.

Ukrainian and Russian sentences have no parse: their frames ("начальник Одеської ОВА Олег Кіпер повідомив",
"по данным Минобороны России", "— заявил Денис Пушилин") are read from word lists in
``extract/lang/uk|ru/attribution.yaml`` around a reporting verb (``cyrillic_frame``), and the speaker gets a
Latin name for readers who do not read Cyrillic.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources

import yaml

from sitrep.extract.lang import resource
from sitrep.extract.nlp import morph_analyzer
from sitrep.gazetteer.variants import transliterate
from sitrep.models import Document, Place, Source

_QUOTED = re.compile(r'"([^"]{3,})"')
# Ukrainian and Russian quote with «», „“ and straight or curly double quotes.
_CYRILLIC_QUOTED = re.compile(r'«([^»]{3,})»|„([^“”"]{3,})[“”"]|"([^"]{3,})"|“([^”]{3,})”')
# The languages read without a parse, from their own attribution lexicons.
CYRILLIC_LANGUAGES = frozenset({"uk", "ru"})
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
# Letters only one of the two languages writes (as extract/language.py reads them).
_UKRAINIAN_LETTERS = re.compile("[іїєґІЇЄҐ]")
_RUSSIAN_LETTERS = re.compile("[ыэёъЫЭЁЪ]")
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
    # Ukrainian and Russian only (cyrillic_frame): the words around a frame that has no parse to show it.
    according_to: tuple[str, ...] = ()
    fillers: frozenset[str] = frozenset()
    clause_words: frozenset[str] = frozenset()
    frame_negators: frozenset[str] = frozenset()
    locative_prepositions: frozenset[str] = frozenset()
    speaker_stops: frozenset[str] = frozenset()
    titles: frozenset[str] = frozenset()
    source_nouns: frozenset[str] = frozenset()
    quoted_name_after: tuple[str, ...] = ()
    headline_words: frozenset[str] = frozenset()
    genitive_endings: tuple[tuple[str, str], ...] = ()
    transliteration: str | None = None
    language: str = "en"


def _words(words: list[str]) -> re.Pattern[str]:
    """Whole words, any case; a trailing "*" (Cyrillic lexicons) lets a word take any ending."""
    alternatives = "|".join(re.escape(word[:-1]) + r"\w*" if word.endswith("*") else re.escape(word)
                            for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w'])(?:{alternatives})(?![\w'])", re.IGNORECASE)


@lru_cache(maxsize=None)
def lexicon(language: str = "en") -> Lexicon:
    """The attribution lexicon of ``language`` (``lang/<language>/attribution.yaml``)."""
    raw = yaml.safe_load(resource("attribution.yaml", language).read_text("utf-8"))
    return Lexicon(
        verbs=frozenset(raw["reporting_verbs"]),
        person_pronouns=frozenset(raw["person_pronouns"]),
        group_pronouns=frozenset(raw["group_pronouns"]),
        document_nouns=frozenset(raw["document_nouns"]),
        channels=[(re.compile(rule["cue"], re.IGNORECASE), rule["channel"]) for rule in raw["channels"]],
        kinds=[(kind, _words(words)) for kind, words in raw["kinds"].items()],
        sides=[(side, _words(words)) for side, words in raw["sides"].items()],
        known=_known_speakers(),
        according_to=tuple(sorted(raw.get("according_to", []), key=len, reverse=True)),
        fillers=frozenset(raw.get("fillers", [])),
        clause_words=frozenset(raw.get("clause_words", [])),
        frame_negators=frozenset(raw.get("frame_negators", [])),
        locative_prepositions=frozenset(raw.get("locative_prepositions", [])),
        speaker_stops=frozenset(raw.get("speaker_stops", [])),
        titles=frozenset(raw.get("titles", [])),
        source_nouns=frozenset(raw.get("source_nouns", [])),
        quoted_name_after=tuple(raw.get("quoted_name_after", [])),
        headline_words=frozenset(raw.get("headline_words", [])),
        genitive_endings=tuple(tuple(pair) for pair in raw.get("genitive_endings", [])),
        transliteration=raw.get("transliteration"),
        language=language,
    )


@lru_cache(maxsize=1)
def _known_speakers() -> list[tuple[re.Pattern[str], dict]]:
    raw = yaml.safe_load(resources.files("sitrep.data").joinpath("sources.yaml").read_text("utf-8"))
    entries = sorted(raw["sources"], key=lambda entry: -max(len(name) for name in entry["names"]))
    # Case matters for short names ("AP", "ISW") that are also ordinary words or word parts.
    return [(re.compile(rf"(?<![\w'])(?:{'|'.join(re.escape(n) for n in _by_length(entry))})(?![\w'])"), entry)
            for entry in entries]


def _by_length(entry: dict) -> list[str]:
    return sorted(entry["names"] + entry.get("forms", []), key=len, reverse=True)


def known_speaker(name: str) -> dict | None:
    """The sources.yaml entry whose name appears in ``name`` ("Colonel General Oleksandr Syrskyi");
    the longest name found wins ("Минобороны Украины" over "Минобороны")."""
    best: tuple[int, int, dict] | None = None
    for order, (pattern, entry) in enumerate(lexicon().known):
        match = pattern.search(name)
        if match is not None and (best is None or len(match.group()) > best[0]):
            best = (len(match.group()), order, entry)
    return best[2] if best else None


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
        language = sentence.doc.lang_
        quote = quoted_text(sentence.text, language)
        if caption_credit is not None:
            return Attribution(self._caption_source(caption_credit), quote, framed=True)
        start = offset + sentence.start_char
        nearby = [place for place in self.places if start <= place.start < offset + sentence.end_char]
        if language in CYRILLIC_LANGUAGES:
            found = cyrillic_frame(sentence, lexicon(language))
            if found is not None and found.headline and any(
                    place.start <= offset + found.words[0].idx and
                    offset + found.words[-1].idx + len(found.words[-1].text) <= place.end for place in nearby):
                found = None  # "Красногоровка: бойцы выбили ...": a place heading the news, no speaker
            if found is not None:
                self.last = self._cyrillic_speaker(found, sentence, nearby, language)
                return Attribution(self.last, quote, framed=True, **found.spans(offset))
        elif sentence.doc.has_annotation("DEP"):  # walking an unparsed doc's tree can crash spaCy
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
        language = _language_of_name(outlet, self.document.language)
        known = known_speaker(outlet)
        if known is not None:
            return Source(name=outlet, kind=known["kind"], side=known["side"], role=known.get("role"),
                          channel=channel, name_latin=latin_name(outlet, known, language))
        kind = classify_kind(outlet, language)
        side = classify_side(outlet, language)
        if side == "unknown" and _Z_BRAND.search(outlet):
            side = "RU"
        if side == "unknown" and (channel == "telegram" or kind in FIRST_PERSON_KINDS):
            side = first_person_side(self.document.text)
        # A web publisher nobody knows is a news outlet; a Telegram channel nobody knows may be a newsroom,
        # a blogger, a unit or a troll farm, and one post's wording ("our units") cannot tell which: its
        # kind is unknown, the same for every post, and the control timeline weighs it less
        # (data/timeline.yaml).
        kind = kind or ("unknown" if channel == "telegram" else "outlet")
        return Source(name=outlet, kind=kind, side=side, channel=channel, name_latin=latin_name(outlet, None, language))

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

    def _cyrillic_speaker(self, found: CyrillicFrame, sentence, nearby: list[Place], language: str) -> Source:
        """The Source of a Ukrainian or Russian frame: an earlier speaker it refers to, else a new one."""
        lex = lexicon(language)
        name, role, is_person = found.name_and_role(lex)
        channel = channel_of(sentence.text, language)
        resolved = self._resolve_reference(name, lex)
        if resolved is not None:
            return resolved.model_copy(update={"channel": channel})
        source = make_source(name, role, channel, language)
        if source.side == "unknown" and source.kind in LOCAL_KINDS:
            source = source.model_copy(update={"side": self._local_side(source, nearby)})
        self.speakers.append((source, is_person))
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

    def _resolve_reference(self, name: str, lex: Lexicon | None = None) -> Source | None:
        """'he', 'it', 'Mr Freedman', 'the ministry' (він, вона, відомство, он, ведомство) -> an earlier
        speaker, if one fits."""
        words = name.lower().split()
        lex = lex or lexicon()
        if (len(words) == 2 and words[0] == "the" and words[1] in lex.document_nouns) or \
                (lex.according_to and len(words) == 1 and words[0] in lex.document_nouns):
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


# Words only one side's writers use of the other ("укропы", "рашисти", "окупанти"): they tell the
# channel's side without "our".
_PARTISAN_WORDS = {
    "RU": re.compile(r"(?<!\w)(?:укроп\w*|хохл\w*|всушник\w*|нацик\w*|киевск\w* режим\w*|бандеровц\w*|"
                     r"ukrops?|banderites|kyiv regime|kiev regime)(?!\w)", re.IGNORECASE),
    "UA": re.compile(r"(?<!\w)(?:рашист\w*|орк(?:и|ів|ам|ами|ах)|кацап\w*|русн[яіи]\w*|москал\w*|окупант\w*|"
                     r"оккупант\w*|загарбник\w*|rashists?|ruscists?|orcs)(?!\w)", re.IGNORECASE),
}


def first_person_side(text: str) -> str:
    """The side of a channel that writes in the first person ("our assault groups cleared the last
    Russian positions"): the side opposite to the only one whose forces it names; unknown when it
    names both or neither, or never says "our"/"we"."""
    partisan = [side for side, pattern in _PARTISAN_WORDS.items() if pattern.search(text)]
    if len(partisan) == 1:
        return partisan[0]  # "укропы накидали ...", "рашисти обстріляли ...": only one side writes so
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


def make_source(name: str, role: str | None, channel: str | None, language: str = "en") -> Source:
    """A speaker from the report's words, completed from the known-speakers table: the table's side
    is trusted over words in the role, the report's own role over the table's. A Cyrillic name the
    table knows in an inflected form ("Генштабі ЗСУ") takes the table's nominative name."""
    described = f"{name} {role or ''}"
    known = known_speaker(name)
    if known is not None:
        if language in CYRILLIC_LANGUAGES:
            name = _nominative_of_known(name, known)
        return Source(name=name, kind=known["kind"], side=known["side"], role=role or known.get("role"),
                      channel=channel, name_latin=latin_name(name, known, language))
    return Source(name=name, kind=classify_kind(described, language) or "unknown",
                  side=classify_side(described, language), role=role, channel=channel,
                  name_latin=latin_name(name, None, language))


def latin_name(name: str, known: dict | None, language: str) -> str | None:
    """A Cyrillic speaker's name for Latin readers: the known-speakers table's ``latin`` or longest Latin name, else a
    transliteration (the language's system); None for a name already in Latin letters."""
    if not _CYRILLIC.search(name):
        return None
    known = known or {}
    latin = [entry_name for entry_name in known.get("names", []) if entry_name.isascii()]
    if known.get("latin") or latin:
        return known.get("latin") or max(latin, key=len)
    if language not in CYRILLIC_LANGUAGES:
        language = _language_of_name(name, None)
    return transliterate(name, lexicon(language).transliteration)


def _nominative_of_known(name: str, known: dict) -> str:
    """The table's first Cyrillic name when ``name`` holds one of the entry's inflected ``forms``."""
    for form in sorted(known.get("forms", []), key=len, reverse=True):
        if re.search(rf"(?<![\w']){re.escape(form)}(?![\w'])", name):
            return next((entry_name for entry_name in known["names"] if _CYRILLIC.search(entry_name)), name)
    return name


def _language_of_name(name: str, document_language: str | None) -> str:
    """The lexicon for words in a name: for a Cyrillic name, the language its letters show (a Ukrainian
    channel quoted in a Russian post), else the document's Ukrainian or Russian; else English."""
    if not _CYRILLIC.search(name):
        return "en"
    if _UKRAINIAN_LETTERS.search(name):
        return "uk"
    if _RUSSIAN_LETTERS.search(name) or document_language not in CYRILLIC_LANGUAGES:
        return "ru"
    return document_language


def classify_kind(text: str, language: str = "en") -> str | None:
    """The kind whose longest cue appears in ``text``: "head of the military administration" is
    government ("military administration"), not military ("military"). Ties go to the earlier kind."""
    best: tuple[int, int, str] | None = None
    for order, (kind, pattern) in enumerate(lexicon(language).kinds):
        for match in pattern.finditer(text):
            candidate = (-len(match.group()), order, kind)
            if best is None or candidate < best:
                best = candidate
    return best[2] if best else None


def classify_side(text: str, language: str = "en") -> str:
    found = [(match.start(), side) for side, pattern in lexicon(language).sides if (match := pattern.search(text))]
    return min(found)[1] if found else "unknown"


def channel_of(text: str, language: str = "en") -> str | None:
    for pattern, channel in lexicon(language).channels:
        if pattern.search(text):
            return channel
    return None


def quoted_text(text: str, language: str = "en") -> str | None:
    if language in CYRILLIC_LANGUAGES:
        quotes = ["".join(groups) for groups in _CYRILLIC_QUOTED.findall(text)]
    else:
        quotes = _QUOTED.findall(text)
    return " ... ".join(quote.strip() for quote in quotes) if quotes else None


# --- Ukrainian and Russian frames, without a parse -------------------------------------------------------

# Tokens that end a speaker's words: punctuation of clauses and quotes.
_BOUNDARY_TOKENS = frozenset(",;:—–-«»\"„“”()!?.…")
_OPEN_QUOTES = frozenset("«„\"“")
_CLOSE_QUOTES = frozenset("»“\"”")
# Dashes before a speaker who closes a headline: "В Сумах двое погибших — власти".
_DASHES = frozenset("—–")
# Telegram's markdown and emoji glue to words ("**⚡️Боррель"): they are no part of a name.
_MARKS = "*_~\ufe0f\u200d "
# The most words a speaker's description may have ("заступник начальника Генерального штабу ЗСУ ...").
MAX_SPEAKER_WORDS = 10
# A closing "— X" names a speaker only after a claim of this many words, and X has at most the other.
MIN_WORDS_BEFORE_DASH = 4
MAX_DASH_SPEAKER_WORDS = 6
# "Пушилин: «...»": a speaker named before a colon that opens a quote.
_COLON_QUOTE = re.compile(r"^\s*([^:«»\"„“]{2,80}?)\s*:\s*[«„\"“]")
# "Лубінець: окупанти ...": a short speaker, a colon, then the statement.
_COLON_HEADLINE = re.compile(r"^[\W_]*([^:«»\"„“,.!?]{2,60}?)\s*:\s+\S")
MAX_HEADLINE_SPEAKER_WORDS = 4


@dataclass(frozen=True)
class CyrillicFrame:
    """The words that name the speaker of a Ukrainian or Russian sentence, and its reporting verb.
    ``inflected``: the words are in the genitive or locative ("за словами Олега Кіпера", "у Генштабі")."""

    words: tuple  # spaCy tokens
    inflected: bool
    verb: object | None = None  # spaCy token
    headline: bool = False  # "X: ..." with no quote: X may also be a place heading the news

    def spans(self, offset: int) -> dict:
        first, last = self.words[0], self.words[-1]
        frame = (offset + first.idx, offset + last.idx + len(last.text))
        verb = (offset + self.verb.idx, offset + self.verb.idx + len(self.verb.text)) if self.verb else None
        return {"frame": frame, "verb": verb}

    def name_and_role(self, lex: Lexicon) -> tuple[str, str | None, bool]:
        """(name, role, is a person): a trailing personal name ("Олег Кіпер") after a role
        ("начальник Одеської ОВА"), else the whole description (an institution: "Генштаб ЗСУ")."""
        words = list(self.words)
        run = 0
        while run < len(words) and _is_name_word(words[len(words) - 1 - run]):
            run += 1
        run = min(run, 3)
        before = words[:len(words) - run]
        titled = bool(before) and before[-1].lower_ in lex.titles
        if run == len(words) and known_speaker(_join(words)) is not None:
            # "Денис Пушилин", "Минобороны России", "Дениса Пушилина": the table names it (make_source)
            return _join(words), None, run >= 2
        if run == 0 or (run == 1 and before and not titled) or not _after_known(words, run):
            return _text(words, self.inflected, lex, person=False), None, False
        name = _text(words[len(words) - run:], self.inflected, lex, person=True)
        role = _text(before, self.inflected, lex, person=False) if before else None
        if role and role.split()[0].lower() in lex.titles:
            role = role[0].lower() + role[1:]
        return name, role, run >= 2 or titled


def _is_name_word(token) -> bool:
    word = token.text.strip(_MARKS)
    text = word.replace("'", "").replace("’", "").replace("-", "")
    return text.isalpha() and word[:1].isupper() and not word.isupper()


def _before_marks(tokens: list, index: int) -> int:
    """``index`` moved back over the markdown and emoji tokens right before it."""
    while index > 0 and _is_mark(tokens[index - 1]):
        index -= 1
    return index


def _is_mark(token) -> bool:
    return token.text not in _BOUNDARY_TOKENS and not any(char.isalnum() for char in token.text)


def _is_boundary(token) -> bool:
    """Punctuation, and tokens with no letter or digit (markdown, emoji), end a speaker's words; a hyphen
    inside a word ("генерал-лейтенант", split by the tokenizer) does not."""
    if token.text == "-" and not token.whitespace_ and token.i > 0 and not token.doc[token.i - 1].whitespace_:
        return False
    return token.text in _BOUNDARY_TOKENS or not any(char.isalnum() for char in token.text)


def _after_known(words: list, run: int) -> bool:
    """False where the description ends in a known institution's name whose last word is capitalised
    ("Служба безпеки України"): that word is no personal name."""
    named = _join(words[len(words) - run:])
    if known_speaker(named) is not None:
        return True  # "речник Повітряних сил Юрій Ігнат": the person, not the institution in the role
    whole = _join(words)
    return not any((match := pattern.search(whole)) and match.end() == len(whole) for pattern, _ in lexicon().known)


def _text(words: list, inflected: bool, lex: Lexicon, person: bool) -> str:
    """The words as written; inflected words back in the nominative: every word of a personal name, the
    first word of a role ("начальника Одеської ОВА" -> "начальник Одеської ОВА")."""
    if not inflected:
        return _join(words)
    if person or (len(words) == 1 and words[0].text.islower()):
        # a name's words, or one institution noun ("в сообщении обладминистрации" -> "обладминистрация")
        return " ".join(_nominative_word(token, lex) for token in words)
    return " ".join([_nominative_word(words[0], lex)] + [token.text for token in words[1:]]) \
        if words[0].lower_ in lex.titles else _join(words)


def _join(words: list) -> str:
    return words[0].doc[words[0].i: words[-1].i + 1].text.strip(_MARKS)


def _nominative_word(token, lex: Lexicon) -> str:
    """The nominative of an inflected word: its lemma, else (a surname the lemmatizer does not know,
    "Пушилина") the lexicon's genitive endings; the case of the first letter is kept."""
    lemma = token.lemma_
    if not lemma or lemma.lower() == token.lower_:
        lemma = token.text
        for ending, nominative in lex.genitive_endings:
            if token.lower_.endswith(ending) and len(token.text) > len(ending) + 2:
                lemma = token.text[: len(token.text) - len(ending)] + nominative
                break
    return lemma[:1].upper() + lemma[1:] if token.text[:1].isupper() else lemma


def cyrillic_frame(sentence, lex: Lexicon) -> CyrillicFrame | None:
    """The speaker of a sentence with no parse. In order: "за даними / по словам X" (X in the genitive);
    the first reporting verb outside a subordinate clause, with the speaker before it ("Генштаб ЗСУ
    повідомляє", "у Генштабі повідомили") or, where only fillers stand there, after it ("Про це повідомив
    Олег Кіпер", "— заявил Пушилин", "Как сообщает Рыбарь"); "X: «...»". A negated verb is no frame."""
    tokens = list(sentence)
    lower = [token.lower_ for token in tokens]
    for i in range(len(tokens)):
        if lower[i] in lex.clause_words:
            break  # "за даними" inside a subordinate clause is someone else's report
        for phrase in lex.according_to:
            size = len(phrase.split())
            if lower[i:i + size] == phrase.split():
                found = _speaker_after(tokens, i + size, lex, verb=None, inflected=True)
                if found is not None:
                    return found
    for i, token in enumerate(tokens):
        if lower[i] not in lex.verbs:
            continue
        if i and lower[i - 1] in lex.frame_negators:
            return None
        before = _speaker_before(tokens, i, lex)
        if before is False:
            continue  # a verb inside a subordinate clause reports something else
        if before is not None:
            return before
        found = _speaker_after(tokens, i + 1, lex, verb=token)
        if found is not None:
            return found
    return _colon_speaker(sentence, tokens, lex) or _dash_speaker(tokens, lex)


def _dash_speaker(tokens: list, lex: Lexicon) -> CyrillicFrame | None:
    """"<headline> — власти", "<claim>, — пресс-служба президента": a speaker after a dash that closes
    the sentence, when a claim of some words stands before it (not "Москва — столица")."""
    words = [token for token in tokens if not _is_boundary(token) or token.text in _DASHES]
    dashes = [number for number, token in enumerate(words) if token.text in _DASHES]
    if not dashes or dashes[-1] < MIN_WORDS_BEFORE_DASH:
        return None
    after = words[dashes[-1] + 1:]
    dash = words[dashes[-1]].i - tokens[0].i
    closes_claim = dash > 0 and _is_boundary(tokens[dash - 1])  # "...,** — СМИ", not "рейс Москва — Сочи"
    described = after and (classify_kind(_join(after), lex.language) or known_speaker(_join(after))
                           or any(token.lower_ in lex.titles for token in after))
    if not (closes_claim or described):
        return None
    for cut, token in enumerate(after):
        if cut and token.lower_ in lex.speaker_stops:
            after = after[:cut]  # "— Лавров про удары ракетами": the topic is no part of the name
            break
    return _speaker_words(after, verb=None, lex=lex) if len(after) <= MAX_DASH_SPEAKER_WORDS else None


def _speaker_before(tokens: list, verb: int, lex: Lexicon) -> CyrillicFrame | None | bool:
    """The speaker's words before the verb, up to a clause boundary; False when a subordinating word
    stands there."""
    start = end = _before_marks(tokens, verb)  # "**Командование ...** заявило": the markdown is no boundary
    while start > 0 and not _is_boundary(tokens[start - 1]):
        if tokens[start - 1].lower_ in lex.clause_words:
            return False
        start -= 1
    words = tokens[start:end]
    while words and words[0].lower_ in lex.fillers and words[0].lower_ not in lex.locative_prepositions:
        words = words[1:]
    return _speaker_words(words, verb=tokens[verb], lex=lex)


def _speaker_after(tokens: list, start: int, lex: Lexicon, verb, inflected: bool = False) -> CyrillicFrame | None:
    end = start
    while end < len(tokens) and end - start < MAX_SPEAKER_WORDS + 1:
        if _is_boundary(tokens[end]):
            past = _past_quoted_name(tokens, end, lex)
            if past is None:
                break
            end = past
            continue
        if tokens[end].lower_ in lex.clause_words or tokens[end].lower_ in lex.verbs or \
                (end > start and tokens[end].lower_ in lex.speaker_stops
                 and tokens[end - 1].lower_ not in lex.source_nouns):
            break
        end += 1
    return _speaker_words(tokens[start:end], verb=verb, lex=lex, inflected=inflected)


def _past_quoted_name(tokens: list, index: int, lex: Lexicon) -> int | None:
    """``index`` of the word after a unit's quoted name ("угруповання «Таврія» Олександр ..."), which then
    belongs to the speaker's words; None when the token at ``index`` is a boundary of another kind."""
    if tokens[index].text not in _OPEN_QUOTES or not index or not lex.quoted_name_after or \
            not tokens[index - 1].lower_.startswith(lex.quoted_name_after):
        return None
    close = next((number for number in range(index + 1, min(len(tokens), index + 5))
                  if tokens[number].text in _CLOSE_QUOTES), None)
    return None if close is None or close + 1 >= len(tokens) else close + 1


def _speaker_words(words: list, verb, lex: Lexicon, inflected: bool = False) -> CyrillicFrame | None:
    """A frame when ``words`` can name a speaker: a locative preposition first makes them inflected;
    they stop at a preposition that starts a channel or a topic ("у Telegram", "про обстріл")."""
    if words and words[0].lower_ in lex.locative_prepositions:
        words, inflected = words[1:], True
    anonymous = next((number for number, token in enumerate(words) if token.lower_ in lex.source_nouns), None)
    if anonymous is not None:
        words = words[anonymous:]  # "РИА Новости источник в ...": the wire was told; the source speaks
    for cut, token in enumerate(words):
        if cut == 1 and anonymous is not None:
            continue  # "источник в силовых ведомствах": where the source sits is part of its name
        if cut and token.lower_ in lex.speaker_stops:
            words = words[:cut]
            break
    if not words or len(words) > MAX_SPEAKER_WORDS:
        return None
    text = " ".join(token.text for token in words)
    pronoun = len(words) == 1 and words[0].lower_ in lex.person_pronouns | lex.group_pronouns | lex.document_nouns
    capitalised = any(token.text.strip(_MARKS)[:1].isupper() for token in words)
    # "сообщают военкоры", "— власти": a word naming a kind of speaker speaks too.
    if not (pronoun or capitalised or known_speaker(text) or any(token.lower_ in lex.titles for token in words)
            or classify_kind(text, lex.language) or anonymous is not None):
        return None
    return CyrillicFrame(tuple(words), inflected, verb)


# pymorphy3 tags of a word that names someone: a first name, a surname, a patronymic, an organisation,
# an abbreviation.
_NAME_TAGS = frozenset({"Name", "Surn", "Patr", "Orgn", "Abbr"})
# Parts of speech that no speaker's name holds: "У Харкові пролунали вибухи:", "Сегодня сбор закрываем:".
_NOT_IN_NAMES = frozenset({"VERB", "INFN", "GRND", "PRTF", "PRTS", "ADVB", "PRED"})


def _name_like(words: list, lex: Lexicon) -> bool:
    """Whether the words before a headline's colon can name a speaker: a known one, or words without a
    verb or an adverb, each capitalised or a title; one word alone must be a name by the dictionary or
    a word it does not know ("Лубінець"), not a common noun ("Погода:", "Напоминаем:")."""
    if not words:
        return False
    if known_speaker(_join(words)) is not None:
        return True
    if any(not token.text[:1].isupper() and token.lower_ not in lex.titles for token in words):
        return False
    try:
        analyzer = morph_analyzer(words[0].doc.lang_)
    except ValueError:
        return True
    readings = [analyzer.parse(token.text)[0] for token in words]
    if any(reading.tag.POS in _NOT_IN_NAMES for reading in readings):
        return False
    if len(words) == 1:
        return not readings[0].is_known or bool(_NAME_TAGS & set(readings[0].tag.grammemes))
    return True


def _colon_speaker(sentence, tokens: list, lex: Lexicon) -> CyrillicFrame | None:
    """"Пушилин: «...»"; and the headline form without quotes, "Лубінець: окупанти розстріляли ...",
    "Минобороны РФ: Угледар освобожден", where the words before the colon name a person (two or three
    capitalised words, or one after which the statement follows), an institution sitrep knows or a kind
    of speaker. A place before the colon ("Красногоровка: бойцы ...") is dropped by the caller."""
    quoted = _COLON_QUOTE.match(sentence.text)
    match = quoted or _COLON_HEADLINE.match(sentence.text)
    if match is None:
        return None
    words = [token for token in tokens if token.idx - sentence.start_char < match.end(1)
             and not _is_boundary(token)]
    if quoted is None and (len(words) > MAX_HEADLINE_SPEAKER_WORDS or
                           " ".join(token.lower_ for token in words) in lex.headline_words or
                           not _name_like(words, lex)):
        return None
    found = _speaker_words(words, verb=None, lex=lex) if len(words) <= 6 else None
    return replace(found, headline=True) if found is not None and quoted is None else found
