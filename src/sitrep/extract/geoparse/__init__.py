"""Geoparsing: find place mentions in a document and resolve each to a gazetteer entry with ACLED's
precision code (1 settlement, 2 near it or its district, 3 region, 4 country).

``find_places`` recognises and resolves (recognise.py, then resolve.py); ``resolve_mentions`` resolves
mentions that someone else found. Rules live in sitrep/extract/lang/en/geoparse.yaml.

Decisions worth knowing:
- Demonyms ("Ukrainian forces") come out as ``kind="demonym"`` resolved to the country at precision 4,
  so that evaluation can count them; they are never event locations.
- Institutions that speak for a government ("the Kremlin", "the White House") are actors, not places
  (``actor_names`` in geoparse.yaml). A capital used as a speaker ("Moscow said") stays a toponym:
  the text does name the city, and the claims stage, which knows who speaks, decides what it means.
- Continents resolve to the continent's entry at precision 4, the coarsest code ACLED has.
"""

from __future__ import annotations

from sitrep.errors import InputError
from sitrep.extract.geoparse.recognise import find_mentions, given_mention
from sitrep.extract.geoparse.resolve import resolve
from sitrep.models import Place
from sitrep.extract.nlp import PlaceHints

__all__ = ["PlaceHints", "find_places", "resolve_mentions"]


def find_places(text: str, gazetteer, hints: PlaceHints) -> list[Place]:
    """Every place mention of ``text``, in order, resolved; unresolved ones say why."""
    return resolve(text, find_mentions(text, gazetteer, hints), gazetteer)


def resolve_mentions(text: str, spans: list[tuple[int, int]], gazetteer) -> list[Place]:
    """One Place per given (start, end) span, in order, without recognition. Other names in the text
    (found by a scan that needs no parse) still inform the ranking. A span outside the text is an
    InputError."""
    for start, end in spans:
        if not (0 <= start < end <= len(text)):
            raise InputError("mention", f"span {start}-{end} is not inside the text (length {len(text)})")
    given = [given_mention(text, start, end, gazetteer) for start, end in spans]
    context = [m for m in find_mentions(text, gazetteer, PlaceHints()) if m.source == "gazetteer"]
    return resolve(text, given, gazetteer, context=context)
