"""Claim candidates: each sentence of the cleaned text that says something, with its source.

Event typing (issue #4) fills ``Claim.event``; until then it stays null, which the record allows.
"""

from __future__ import annotations

from sitrep.attribution import Attributor
from sitrep.models import Caption, Claim, Document
from sitrep.nlp import Paragraph

# A sentence with fewer words than this is a heading, a byline or a fragment, not a statement.
MIN_CLAIM_WORDS = 4
# Confidence that the sentence is a statement by the given source: rule-based constants until a
# model is calibrated (issue #4). A named speaker in the sentence is the strongest signal.
CONFIDENCE_FRAMED = 0.7
CONFIDENCE_DEFAULT_SOURCE = 0.5


def claims_of(document: Document, paragraphs: list[Paragraph]) -> list[Claim]:
    """Claims for one document, in text order, from its parsed paragraphs."""
    attributor = Attributor(document)
    claims: list[Claim] = []
    for paragraph in sorted(paragraphs, key=lambda p: p.start):
        credit = _caption_credit(document.captions, paragraph.start)
        for sentence in paragraph.doc.sents:
            if sum(1 for token in sentence if token.is_alpha) < MIN_CLAIM_WORDS:
                continue
            claims.append(_claim(document, paragraph.start, sentence, attributor, credit))
    return claims


def _caption_credit(captions: list[Caption], start: int) -> str | None:
    for caption in captions:
        if caption.start == start:
            return caption.credit or "photo caption"
    return None


def _claim(document: Document, offset: int, sentence, attributor: Attributor, credit: str | None) -> Claim:
    start = offset + sentence.start_char
    end = offset + sentence.end_char
    attribution = attributor.attribute(sentence, credit)
    return Claim(
        id=f"{document.id}:{start}-{end}", start=start, end=end, text=document.text[start:end],
        confidence=CONFIDENCE_FRAMED if attribution.framed else CONFIDENCE_DEFAULT_SOURCE,
        source=attribution.source, quote=attribution.quote, event=None,
    )
