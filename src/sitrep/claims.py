"""Claims: each sentence of the cleaned text that says something, who says it, and what event it
reports, coded in ACLED's terms.

For each sentence, in text order:
  attribution.py  who asserts it (speaker, kind, side, role, channel, quote)
  events.py       ACLED event type and sub-type, mode, status and trigger; None when no event
  actors.py       actor mentions, resolved by the speaker's side, and their roles around the trigger
  timeparse.py    the event date, from the sentence's own time words or the publication date
  numbers.py      casualties, equipment and distances; ACLED-style fatalities
The sentence's place is the most precise resolved toponym inside it (geoparse.py ran before).
"""

from __future__ import annotations

import datetime as dt
import re

from sitrep.actors import assign_roles, find_actors, load_catalogue
from sitrep.attribution import Attribution, Attributor
from sitrep.events import EventTyping, classify
from sitrep.models import Actor, Caption, Claim, Document, Event, EventDate, Place
from sitrep.nlp import Paragraph
from sitrep.numbers import fatalities, quantities
from sitrep.timeparse import DateResolver

# A sentence with fewer words than this is a heading, a byline or a fragment, not a statement.
MIN_CLAIM_WORDS = 4
# An asserted event that ended this long before publication is background ("historical"), not news.
# A week covers weekly round-ups (ISW, the UK MoD); older events are recalled, not reported.
HISTORICAL_AFTER_DAYS = 14
# Confidence that a claim is coded right as a whole (its speaker; whether it reports an event; the
# event's sub-type and status), by how the source was found (a frame in the text, or the outlet by
# default) and whether an event was coded. Each value is the share of such claims coded right on the
# team's gold set (`sitrep eval claims` prints this reliability table): 78, 43, 60 and 24 claims.
# The same set guided development, so these are in-sample figures.
CONFIDENCE = {(True, True): 0.64, (True, False): 0.51, (False, True): 0.65, (False, False): 0.75}

# The other party of a battle between the war's two sides (actors.yaml ids).
OPPONENT = {"UA": "ru.armed_forces", "RU": "ua.afu"}
# "the village", "the town": the settlement the report has just named.
_SETTLEMENT_REFERENCE = re.compile(r"\bthe (?:village|town|city|settlement|hamlet)\b(?! of)", re.IGNORECASE)


def claims_of(document: Document, paragraphs: list[Paragraph], places: list[Place] = ()) -> list[Claim]:
    """Claims for one document, in text order, from its parsed paragraphs and its places."""
    attributor = Attributor(document, places=list(places))
    dates = DateResolver(document.published)
    claims: list[Claim] = []
    for paragraph in sorted(paragraphs, key=lambda p: p.start):
        credit = _caption_credit(document.captions, paragraph.start)
        for sentence in paragraph.doc.sents:
            if sum(1 for token in sentence if token.is_alpha) < MIN_CLAIM_WORDS:
                continue
            attribution = attributor.attribute(sentence, credit, paragraph.start)
            start = paragraph.start + sentence.start_char
            date = dates.resolve(sentence.text, start)  # every sentence: later anchors may need it
            event = _event(document, paragraph, sentence, attribution, places, date)
            claims.append(_claim(document, paragraph.start, sentence, attribution, event))
    return claims


def _caption_credit(captions: list[Caption], start: int) -> str | None:
    for caption in captions:
        if caption.start == start:
            return caption.credit or "photo caption"
    return None


def _event(document: Document, paragraph: Paragraph, sentence, attribution: Attribution,
           places: list[Place], date: EventDate | None) -> Event | None:
    typing = classify(sentence)
    if typing is None:
        return None
    offset = paragraph.start
    actors = find_actors(sentence, attribution.source.side, offset)
    actor1, actor2 = assign_roles(sentence, actors, _trigger_index(sentence, typing))
    actor1, actor2 = _opponent(actor1, actor2, typing.event_type)
    found = quantities(sentence.text, offset + sentence.start_char)
    date = date or _publication_date(document)
    return Event(
        event_type=typing.event_type, sub_event_type=typing.sub_event_type, mode=typing.mode,
        status=_status(typing.status, date, document.published), trigger=typing.trigger,
        actor1=actor1, actor2=actor2,
        place=_place_index(places, sentence, offset + sentence.start_char, offset + sentence.end_char,
                           offset + typing.trigger_start, offset),
        date=date, fatalities=fatalities(found), quantities=found,
    )


def _opponent(actor1: Actor | None, actor2: Actor | None, event_type: str) -> tuple[Actor | None, Actor | None]:
    """In a battle between the war's two sides, naming one names the other: "Russian units attacked
    near Avdiivka" is fought against Ukraine's forces. Only for battles, whose other party is never
    civilians, and only between UA and RU."""
    if event_type != "Battles" or (actor1 is None) == (actor2 is None):
        return actor1, actor2
    known = actor1 or actor2
    if known.side not in OPPONENT:
        return actor1, actor2
    other = load_catalogue().get(OPPONENT[known.side]).actor()
    return (actor1, other) if actor1 is not None else (other, actor2)


def _trigger_index(sentence, typing: EventTyping) -> int | None:
    for token in sentence:
        if token.idx <= typing.trigger_start < token.idx + len(token.text) + 1:
            return token.i
    return None


def _publication_date(document: Document) -> EventDate | None:
    """Without time words, ACLED's convention: the event is dated by its report."""
    if document.published is None:
        return None
    return EventDate(start=document.published, end=document.published, precision="day", anchor="published")


def _status(status: str, date: EventDate | None, published: dt.date | None) -> str:
    if status == "asserted" and date is not None and published is not None and date.expression:
        if (published - date.end).days > HISTORICAL_AFTER_DAYS:
            return "historical"
    return status


def _place_index(places: list[Place], sentence, start: int, end: int, trigger: int,
                 paragraph_start: int) -> int | None:
    """The event's place: the most precise resolved toponym in the sentence, nearest the trigger; else
    the last settlement named before it (see below)."""
    usable = [(index, place) for index, place in enumerate(places)
              if place.kind == "toponym" and place.precision is not None]
    inside = [(index, place) for index, place in usable if start <= place.start < end]
    if inside:
        return min(inside, key=lambda item: (item[1].precision, abs(item[1].start - trigger)))[0]
    if any(start <= place.start < end and place.kind == "toponym" for place in places):
        return None  # the sentence names its place, but the gazetteer cannot put it on the map
    # "the village", or a sentence that goes on about the fighting a paragraph has placed: the last
    # settlement named before it (in the document for "the village", else in the same paragraph).
    since = 0 if _SETTLEMENT_REFERENCE.search(sentence.text) else paragraph_start
    earlier = [index for index, place in usable if since <= place.start and place.end <= start
               and place.precision <= 2 and (place.feature or "").startswith("PPL")]
    return earlier[-1] if earlier else None


def _claim(document: Document, offset: int, sentence, attribution: Attribution, event: Event | None) -> Claim:
    start = offset + sentence.start_char
    end = offset + sentence.end_char
    return Claim(
        id=f"{document.id}:{start}-{end}", start=start, end=end, text=document.text[start:end],
        confidence=CONFIDENCE[(attribution.framed, event is not None)],
        source=attribution.source, quote=attribution.quote, event=event,
    )
