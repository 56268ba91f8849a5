"""``Pipeline.pipe(documents)``: the one entry point that the CLI, the API and batch runs call.

Stages, in order (each owns one module):
  clean      (clean.py)        text -> cleaned text, captions, removed boilerplate, dateline date
  parse      (nlp.py)          paragraphs -> spaCy sentences, tokens and entities
  geoparse   (geoparse/)       names, entities and cues -> places resolved in context, with precision
  claims     (claims.py)       sentences -> claims, each with its source (attribution.py)
The spaCy model and the gazetteer are loaded once, when the pipeline is built.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice

from sitrep.extract.claims import claims_of
from sitrep.extract.clean import clean, paragraphs
from sitrep.gazetteer import Gazetteer, load_gazetteer
from sitrep.extract.geoparse import find_places
from sitrep.models import Document, Extraction, Place
from sitrep.extract.nlp import Paragraph, load_model, parse_paragraphs, place_hints
from sitrep.settings import Settings, get_settings

# Documents cleaned and parsed together: enough paragraphs to fill spaCy's batches, few enough
# that a stream of documents yields its first record quickly.
DOCUMENTS_PER_BATCH = 16


class Pipeline:
    def __init__(self, settings: Settings | None = None, nlp=None, gazetteer: Gazetteer | None = None):
        self.settings = settings or get_settings()
        self.nlp = nlp or load_model(self.settings.spacy_model)
        self.gazetteer = gazetteer or load_gazetteer(self.settings)

    def pipe(self, documents: Iterable[Document]) -> Iterator[Extraction]:
        """One extraction per document, in input order."""
        iterator = iter(documents)
        while batch := list(islice(iterator, DOCUMENTS_PER_BATCH)):
            yield from self._process_batch(batch)

    def process(self, document: Document) -> Extraction:
        return next(self.pipe([document]))

    def _process_batch(self, batch: list[Document]) -> Iterator[Extraction]:
        cleaned = [clean(document) for document in batch]
        items = [(index, start, text) for index, document in enumerate(cleaned)
                 for start, text in paragraphs(document.text)]
        parsed: dict[int, list[Paragraph]] = defaultdict(list)
        for paragraph in parse_paragraphs(self.nlp, items):
            parsed[paragraph.document_index].append(paragraph)
        for index, document in enumerate(cleaned):
            yield self._extract(document, parsed[index])

    def _extract(self, document: Document, parsed: list[Paragraph]) -> Extraction:
        places = find_places(document.text, self.gazetteer, place_hints(parsed))
        return Extraction(document=document, places=places, claims=claims_of(document, parsed, places))

    def geoparse(self, text: str) -> list[Place]:
        """Places of a raw text, with offsets into ``text`` itself: paragraphs are split as cleaning
        splits them, but nothing is cleaned away. This is what end-to-end evaluation calls."""
        items = [(0, start, paragraph) for start, paragraph in paragraphs(text)]
        return find_places(text, self.gazetteer, place_hints(parse_paragraphs(self.nlp, items)))
