"""``Pipeline.pipe(documents)``: the one entry point that the CLI, the API and batch runs call.

Stages, in order (each owns one module):
  clean      (clean.py)        text -> cleaned text, captions, removed boilerplate, dateline date
  language   (language.py)     paragraphs -> each one's language, and the document's main language
  parse      (nlp.py)          paragraphs -> spaCy sentences, tokens and entities (English), or
                               sentences, tokens and lemmas (Ukrainian, Russian); other languages unparsed
  geoparse   (geoparse/)       names, entities and cues -> places resolved in context, with precision
  claims     (claims.py)       sentences -> claims, each with its source (attribution.py)
The English model and the gazetteer are loaded once, when the pipeline is built; the Ukrainian and
Russian pipelines the first time a paragraph needs them. A paragraph in a language sitrep does not read
gives no claims; ``Pipeline.languages`` counts documents and paragraphs per language.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice

from sitrep.extract.claims import claims_of
from sitrep.extract.clean import clean, paragraphs
from sitrep.gazetteer import Gazetteer, load_gazetteer
from sitrep.extract.geoparse import find_places
from sitrep.extract.events import has_lexicon
from sitrep.extract.language import LanguageTally, detect_languages, is_supported
from sitrep.models import Claim, Document, Extraction, Place
from sitrep.extract.nlp import Paragraph, load_model, parse_by_language, parse_paragraphs, place_hints
from sitrep.settings import Settings, get_settings

# Documents cleaned and parsed together: enough paragraphs to fill spaCy's batches, few enough
# that a stream of documents yields its first record quickly.
DOCUMENTS_PER_BATCH = 16


class Pipeline:
    def __init__(self, settings: Settings | None = None, nlp=None, gazetteer: Gazetteer | None = None):
        self.settings = settings or get_settings()
        self.nlp = nlp or load_model(self.settings.spacy_model)
        self.gazetteer = gazetteer or load_gazetteer(self.settings)
        self.languages = LanguageTally()

    def pipe(self, documents: Iterable[Document]) -> Iterator[Extraction]:
        """One extraction per document, in input order."""
        iterator = iter(documents)
        while batch := list(islice(iterator, DOCUMENTS_PER_BATCH)):
            yield from self._process_batch(batch)

    def process(self, document: Document) -> Extraction:
        return next(self.pipe([document]))

    def _process_batch(self, batch: list[Document]) -> Iterator[Extraction]:
        cleaned: list[Document] = []
        unread: list[list[tuple[int, int]]] = []
        items: list[tuple[int, int, str, str | None]] = []
        for index, document in enumerate(batch):
            document, spans = self._languages(clean(document))
            cleaned.append(document)
            unread.append([(start, start + len(text)) for start, text, language in spans if not is_supported(language)])
            items.extend((index, start, text, language) for start, text, language in spans)
        parsed: dict[int, list[Paragraph]] = defaultdict(list)
        for paragraph in parse_by_language(self.nlp, items):
            parsed[paragraph.document_index].append(paragraph)
        for index, document in enumerate(cleaned):
            yield self._extract(document, sorted(parsed[index], key=lambda paragraph: paragraph.start), unread[index])

    def _languages(self, document: Document) -> tuple[Document, list[tuple[int, str, str | None]]]:
        """The document with its main language, and its paragraphs as (start, text, language)."""
        spans = paragraphs(document.text)
        found = detect_languages([text for _, text in spans], given=document.language)
        self.languages.add(found)
        document = document.model_copy(update={"language": found.document})
        return document, [(start, text, language) for (start, text), language in zip(spans, found.paragraphs)]

    def _extract(self, document: Document, parsed: list[Paragraph], unread: list[tuple[int, int]]) -> Extraction:
        places = find_places(_blanked(document.text, unread), self.gazetteer, place_hints(parsed))
        claims = _with_languages(claims_of(document, parsed, places), parsed)
        return Extraction(document=document, places=places, claims=claims)

    def geoparse(self, text: str) -> list[Place]:
        """Places of a raw text, with offsets into ``text`` itself: paragraphs are split as cleaning
        splits them, but nothing is cleaned away. This is what end-to-end evaluation calls."""
        items = [(0, start, paragraph) for start, paragraph in paragraphs(text)]
        return find_places(text, self.gazetteer, place_hints(parse_paragraphs(self.nlp, items)))


def _blanked(text: str, unread: list[tuple[int, int]]) -> str:
    """``text`` with the paragraphs in a language sitrep does not read blanked out (line breaks and offsets
    kept), so that geoparsing's English cues do not run over German or Belarusian."""
    for start, end in unread:
        text = text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]
    return text


def _with_languages(claims: list[Claim], parsed: list[Paragraph]) -> list[Claim]:
    """Each claim marked with the language of the paragraph it comes from (``parsed`` in text order).

    A language without its own events lexicon (``lang/<code>/events.yaml``) gives claims without events:
    the English lexicon would otherwise code a Ukrainian sentence from a Latin word inside it ("Bakhmut").
    Its sentence keeps one claim (part 0), since the further parts are further events."""
    starts = [paragraph.start for paragraph in parsed]
    kept: list[Claim] = []
    for claim in claims:
        position = bisect_right(starts, claim.start) - 1
        claim.language = parsed[position].language if position >= 0 else None
        if claim.language is None or has_lexicon(claim.language):
            kept.append(claim)
        elif claim.part == 0:
            kept.append(claim.model_copy(update={"event": None, "capped": 0}))
    return kept
