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
from bisect import bisect_left, bisect_right

from sitrep.extract import cyrillic_roles
from sitrep.extract.actors import OPPOSITE, assign_roles, find_actors, load_catalogue, weapon_side
from sitrep.extract.attribution import Attribution, Attributor
from sitrep.extract.clauses import Predicate, aftermath, clause_head_at, predicates
from sitrep.extract.events import EventTyping
from sitrep.models import Actor, Caption, Claim, Document, Event, EventDate, Place, Source
from sitrep.extract.nlp import Paragraph
from sitrep.extract.numbers import fatalities, quantities
from sitrep.extract.timeparse import DateResolver

# A sentence with fewer words than this is a heading, a byline or a fragment, not a statement.
MIN_CLAIM_WORDS = 4
# ... unless it tells an event in as few as this: a Telegram headline ("Дрон атаковал Белгород").
MIN_EVENT_WORDS = 3
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
FORCES = {"UA": "ua.afu", "RU": "ru.armed_forces"}
# Tellers of their own side's strikes abroad, and tellers of the strikes their side suffers (_implied_doer).
OWN_STRIKE_KINDS = frozenset({"military", "milblogger"})
SUFFERED_STRIKE_KINDS = frozenset({"government", "official", "outlet", "wire", "journalist"})
# A defence ministry is a government body, but its briefings tell its own side's strikes ("нанесен
# групповой удар по объектам ... Украины"), as a military does, also where no place is named; matched on
# the role sources.yaml gives.
_DEFENCE_MINISTRY = re.compile(r"\bdefen[cs]e ministry|\bministry of defen[cs]e", re.IGNORECASE)
# Actor kinds that are a side's armed forces: a strike on them is the other side's (_opponent).
ARMED_KINDS = frozenset({"military", "paramilitary", "pmc", "separatist"})
# A settlement "liberated": the teller's side took it (in any of the three languages).
_LIBERATED = re.compile(r"liberat|звільн|освобо|деокуп", re.IGNORECASE)
# Events whose doer a weapon can name (not protests, not agreements).
ARMED_EVENT_TYPES = frozenset({"Explosions/Remote violence", "Battles", "Violence against civilians"})
# A sentence gives at most this many events (a General Staff list of 200 villages gives the first ones;
# the first claim's ``capped`` says how many more there were).
MAX_EVENTS_PER_SENTENCE = 12
STATE_SUBTYPE, NON_STATE_SUBTYPE = "Government regains territory", "Non-state actor overtakes territory"
# The country of the war's ground fighting, where a change of territory with no resolved place lies.
THEATRE_COUNTRY = "UA"
TERRITORY_SUBTYPES = frozenset({STATE_SUBTYPE, NON_STATE_SUBTYPE})
# Actor kinds (data/actors.yaml) that are a state's own forces.
STATE_KINDS = frozenset({"military", "government", "police", "intelligence"})
NON_STATE_KINDS = frozenset({"pmc", "separatist", "rebel", "paramilitary"})
# Place roles (sitrep.extract.geoparse.roles) that are an event's location; None is a record made before roles.
LOCATION_ROLES = (None, "location")
# Roles of a place that show a clause is placed relative to it: no earlier settlement is carried over.
NOT_HERE_ROLES = frozenset({"origin", "axis", "reference", "water"})
# The dependency of a "to"-infinitive that states a purpose ("... to resupply operations in X"); "attempts
# to seize X" (acl) and "continued to shell X" (xcomp) are the event itself.
PURPOSE_DEPS = frozenset({"advcl"})
# A country is an event's place only after a locative word ("strikes across Ukraine"); elsewhere it names
# an actor or an owner ("Ukraine was taking ground", "Ukraine's eastern Donbas region").
_LOCATIVE_BEFORE = re.compile(r"\b(?:in|across|throughout|inside|within|into|over|on|at)\s+(?:the\s+)?(?:\w+\s+)?$",
                              re.IGNORECASE)
# Triggers whose subject stopped an attack: the event (a failed attack) belongs to the other side.
_REPELLED = re.compile(r"\b(?:repel|repuls|beat(?:en)? back|beat off|fend(?:ed)? off|fought off|thwart|held off|"
                       r"hold off|foil|repel+ed|stopped|відбил|відбит|відкину|зупинил|отразил|отражен|отбил|отбит|"
                       r"отброс)", re.IGNORECASE)
# How far after the first actor's name a repelling verb makes that actor the repeller (characters).
REPELLER_WINDOW = 40
# Interceptions: the weapons downed are actor2's, the interceptor actor1.
INTERCEPTION_SUBTYPE = "Disrupted weapons use"
# What joins the places of a list: "A, B and C".
# A name that the gazetteer did not know may stand in the list between two places ("A, Hryhorivka, B").
# Ukrainian and Russian join them with "і", "та", "и", "або", "а також" ("по Нікополю і Марганцю").
_LIST_JOINER = re.compile(r"(?:\s*,\s*|\s*,?\s+(?:and|or|as well as|і|й|та|и|або|или|а також|а также)\s+|"
                          r"[A-ZА-ЯІЇЄҐЁ][\w'’-]*(?:\s[A-ZА-ЯІЇЄҐЁ][\w'’-]*)?){1,7}")
# "the village", "the town": the settlement the report has just named.
_SETTLEMENT_REFERENCE = re.compile(r"\bthe (?:village|town|city|settlement|hamlet)\b(?! of)", re.IGNORECASE)


def claims_of(document: Document, paragraphs: list[Paragraph], places: list[Place] = ()) -> list[Claim]:
    """Claims for one document, in text order, from its parsed paragraphs and its places: one per
    event predicate of a sentence (clauses.py, and one per place of a list), or one for a sentence
    that reports no event."""
    attributor = Attributor(document, places=list(places))
    dates = DateResolver(document.published)
    index = _PlaceIndex(list(places))
    claims: list[Claim] = []
    previous: Event | None = None  # the event of the sentence before, which an aftermath sentence continues
    for paragraph in sorted(paragraphs, key=lambda p: p.start):
        credit = _caption_credit(document.captions, paragraph.start)
        for sentence in paragraph.doc.sents:
            words = sum(1 for token in sentence if token.is_alpha)
            if words < MIN_EVENT_WORDS:
                continue
            attribution = attributor.attribute(sentence, credit, paragraph.start)
            start = paragraph.start + sentence.start_char
            language = sentence.doc.lang_  # the paragraph's language picks the date and number rules
            date = dates.resolve(sentence.text, start, language)  # every sentence: later anchors may need it
            times = (dates.expressions(sentence.text, start, language), dates.anchor_clauses(sentence.text, language))
            found, capped = _events(document, paragraph, sentence, attribution, index, date, times)
            if not found and previous is not None:
                found = _aftermath(document, paragraph, sentence, index, date, previous)
            previous = found[-1] if found else None
            if words < MIN_CLAIM_WORDS and not found:
                continue  # a heading or a byline; a short headline that tells an event still counts
            for part, event in enumerate(found or [None]):
                claims.append(_claim(document, paragraph.start, sentence, attribution, event, part,
                                     capped if part == 0 else 0))
    return claims


def _aftermath(document: Document, paragraph: Paragraph, sentence, index: _PlaceIndex, date: EventDate | None,
               previous: Event) -> list[Event]:
    """"Russian artillery shelled Orikhiv. A 64-year-old man was wounded.": the second sentence reports
    no event of its own but what the first one did; it is a claim of that event, with its own numbers,
    and its own day where it names one. Only after an event that happened (asserted or
    historical): the harm of a forecast or a denied attack is no report of harm."""
    words = aftermath(sentence.text, sentence.doc.lang_)
    if words is None or previous.status not in AFTERMATH_AFTER:
        return []
    offset = paragraph.start
    found = quantities(sentence.text, offset + sentence.start_char, sentence.doc.lang_)
    own = [number for number, place in index.between(offset + sentence.start_char, offset + sentence.end_char)
           if place.kind == "toponym" and place.precision in (1, 2) and place.role in LOCATION_ROLES]
    # Its own place only narrows a region ("shelling in the Kharkiv region ... Two people were injured
    # in Kupiansk"); beside a settlement, a place it names is elsewhere ("taken to hospital in Zaporizhzhia").
    narrows = own and (previous.place is None or (index.places[previous.place].precision or 4) >= 3)
    return [previous.model_copy(update={
        "trigger": words.group(), "place": own[0] if narrows else previous.place,
        "date": date if date is not None and date.expression else previous.date,
        "fatalities": fatalities(found), "quantities": found,
    })]


def _caption_credit(captions: list[Caption], start: int) -> str | None:
    for caption in captions:
        if caption.start == start:
            return caption.credit or "photo caption"
    return None


class _PlaceIndex:
    """The document's places (in text order) with lookups that cost a bisection, not a scan: a
    document may name thousands of places, and each sentence asks only about its own and the last
    settlement before it."""

    def __init__(self, places: list[Place]) -> None:
        self.places = places
        self.starts = [place.start for place in places]
        carried = sorted((place.end, index) for index, place in enumerate(places) if _carried_over(place))
        self.settlement_ends = [end for end, _ in carried]
        self.settlements = [index for _, index in carried]

    def between(self, start: int, end: int) -> list[tuple[int, Place]]:
        """(index, place) of the places that start in [start, end)."""
        low, high = bisect_left(self.starts, start), bisect_left(self.starts, end)
        return [(index, self.places[index]) for index in range(low, high)]

    def last_settlement(self, since: int, before: int) -> int | None:
        """The last settlement named as a location in [since, before), for carrying a place over."""
        position = bisect_right(self.settlement_ends, before) - 1
        if position >= 0 and self.places[self.settlements[position]].start >= since:
            return self.settlements[position]
        return None


def _carried_over(place: Place) -> bool:
    return (place.kind == "toponym" and place.precision is not None and place.precision <= 2
            and (place.feature or "").startswith("PPL") and place.role in LOCATION_ROLES)


def _events(document: Document, paragraph: Paragraph, sentence, attribution: Attribution, index: _PlaceIndex,
            date: EventDate | None, times: list) -> tuple[list[Event], int]:
    """The sentence's events, one per predicate and per place of a listed location, at most
    MAX_EVENTS_PER_SENTENCE; and how many more the sentence reports."""
    found, more = predicates(sentence, MAX_EVENTS_PER_SENTENCE)
    offset = paragraph.start
    places = index.places
    frame = attribution.frame or (-1, -1)
    usable = [(number, place) for number, place in
              index.between(offset + sentence.start_char, offset + sentence.end_char)
              if not frame[0] <= place.start < frame[1]]
    declined = sentence.doc.lang_ in cyrillic_roles.LANGUAGES  # Russian place names the catalogue cannot match
    country = next((place.country for _, place in usable if place.country and place.precision), None) if declined else None
    actors = find_actors(sentence, attribution.source.side, offset, country) if found else []
    events: list[Event] = []
    for predicate in found:
        clause = (offset + predicate.start, offset + predicate.end) if len(found) > 1 else \
            (offset + sentence.start_char, offset + sentence.end_char)
        event = _event(document, paragraph, sentence, attribution, usable, index, date, times, predicate, clause,
                       _clause_actors(sentence, offset, actors, clause) if len(found) > 1 else actors)
        named = any(actor.mention and clause[0] <= (actor.start or -1) < clause[1] for actor in actors)
        same = next((number for number, other in enumerate(events) if _same_occasion(event, other, named)), None)
        if same is not None:
            # "killed two civilians when artillery hit the street": one event, told twice; the telling
            # that names the doer names it for both.
            if events[same].actor1 is None and event.actor1 is not None:
                events[same] = events[same].model_copy(update={"actor1": event.actor1,
                                                               "actor2": events[same].actor2 or event.actor2})
            continue
        events.extend(_each_listed_place(event, places, document.text, clause))
    events = _distinct(_share_actors(events, places), places)
    kept = events[:MAX_EVENTS_PER_SENTENCE]
    return kept, more + len(events) - len(kept)


def _distinct(events: list[Event], places: list[Place]) -> list[Event]:
    """The events minus repeats: "attacked A, B and C but made no progress" borrows C for its second
    clause, which the list already gave its own event."""
    seen, kept = set(), []
    for event in events:
        key = (event.sub_event_type, _where(event, places), event.status,
               event.actor1.side if event.actor1 else None, event.date.start if event.date else None)
        if key not in seen:
            seen.add(key)
            kept.append(event)
    return kept


def _where(event: Event, places: list[Place]):
    """The event's place for comparing two events: its gazetteer entry, else its mention."""
    if event.place is None:
        return None
    place = places[event.place]
    return place.geonameid if place.geonameid is not None else event.place


def _share_actors(events: list[Event], places: list[Place]) -> list[Event]:
    """An event of the sentence without a named actor takes the actor of another of its events at the
    same place and time: "Russian forces detained the village head; his whereabouts are unknown".
    The same place may be named twice ("attacks near Avdiivka and fire along the Avdiivka frontline")."""
    shared = []
    for event in events:
        if event.actor1 is None:
            donor = next((other for other in events if other is not event and other.actor1 is not None
                          and _where(other, places) == _where(event, places) and other.date == event.date), None)
            if donor is not None:
                event = event.model_copy(update={"actor1": donor.actor1, "actor2": event.actor2 or donor.actor2})
        shared.append(event)
    return shared


# Statuses of an event whose harm a following sentence may report ("A man was wounded.").
AFTERMATH_AFTER = frozenset({"asserted", "historical"})
# Statuses that deny or defeat an event: beside an asserted event of the sentence, a claim of its own.
OUTCOME_STATUSES = frozenset({"negated", "failed"})


def _same_occasion(event: Event, other: Event, names_actor: bool) -> bool:
    """Whether a further clause's event is at the same place (or equally unplaced) and time as an
    event already taken from the sentence: ACLED codes one event per place and day. An event of
    another kind counts as a second event only when its clause names its own actor ("a retreat after
    Wagner's conquest"); "supported by artillery" in a battle's sentence is the same battle."""
    if event.place != other.place or event.date is None or other.date is None:
        return False
    undated = event.date.expression is None or other.date.expression is None
    if not undated and not (event.date.start <= other.date.end and other.date.start <= event.date.end):
        return False  # a clause without time words shares its sentence's time ("..., capturing the salient")
    if event.actor1 is not None and other.actor1 is not None and event.actor1.side != other.actor1.side:
        return False  # "Ukrainian forces pushed back Russian units ... after Wagner claimed it": two doers
    if (event.status in OUTCOME_STATUSES) != (other.status in OUTCOME_STATUSES):
        return False  # "attacked the city ... but did not capture it": the fighting, and the capture denied
    if event.event_type == other.event_type == "Explosions/Remote violence" and \
            event.sub_event_type != other.sub_event_type:
        return False  # "launched airstrikes and fired on positions near X": two weapons, two ACLED events
    related = event.event_type == other.event_type or \
        {event.event_type, other.event_type} == {"Explosions/Remote violence", "Violence against civilians"}
    return related or not names_actor


def _clause_actors(sentence, offset: int, actors: list[Actor], clause: tuple[int, int]) -> list[Actor]:
    """The actors named in the clause; where it names none but its subject is a pronoun ("but they
    have not been able to take ..."), the sentence's, which the pronoun refers to."""
    inside = [actor for actor in actors if actor.start is not None and clause[0] <= actor.start < clause[1]]
    if inside:
        return inside
    # A pronoun subject refers back; a passive without its agent ("Bakhmut was captured in May after a
    # siege led by Wagner") leaves the agent to the rest of the sentence.
    subjects = [token for token in sentence if clause[0] <= offset + token.idx < clause[1]
                and token.dep_ in ("nsubj", "nsubjpass")]
    # No subject at all: a verb sharing the subject of the clause before it ("Russian forces conducted
    # assaults ... but did not capture the city"), or an "after seizing X" phrase.
    borrowed = not subjects or any((token.dep_ == "nsubj" and token.pos_ == "PRON") or token.dep_ == "nsubjpass"
                                   for token in subjects)
    return actors if borrowed else []


def _event(document: Document, paragraph: Paragraph, sentence, attribution: Attribution,
           usable: list[tuple[int, Place]], index: _PlaceIndex, date: EventDate | None, times: list, predicate: Predicate,
           clause: tuple[int, int], actors: list[Actor]) -> Event:
    typing = predicate.typing
    offset = paragraph.start
    actor1, actor2 = assign_roles(sentence, actors, _trigger_index(sentence, typing),
                                  _trigger_index(sentence, typing, last=True))
    actor1, actor2 = _armed_by_weapon(actor1, actor2, _clause_text(sentence, offset, clause), typing)
    actor1, actor2 = _opponent(actor1, actor2, typing.event_type, typing.sub_event_type)
    if typing.status == "failed" and not cyrillic_roles.reads_roles(sentence.doc) and \
            _repelled_by(actor1, sentence, offset, typing, clause):
        # "Ukrainian forces repelled Russian assaults": the failed attack is the attacker's (actor1).
        actor1, actor2 = actor2, actor1
    place = _place_index(usable, sentence, clause, offset + typing.trigger_start, offset, index)
    if actor1 is None:  # after the swap: an implied doer is already the attacker of a failed attack
        actor1 = _implied_doer(typing, attribution.source, dict(usable).get(place))
        actor1, actor2 = _opponent(actor1, actor2, typing.event_type, typing.sub_event_type)
    found = [quantity for quantity in quantities(sentence.text, offset + sentence.start_char, sentence.doc.lang_)
             if clause[0] <= quantity.start < clause[1]]
    date = _event_date(sentence, offset, typing, clause, attribution, times, date) or _publication_date(document)
    return Event(
        event_type=typing.event_type,
        sub_event_type=_territory_subtype(typing.sub_event_type, actor1, dict(usable).get(place)),
        mode=typing.mode, status=_status(typing.status, date, document.published), trigger=typing.trigger,
        actor1=actor1, actor2=actor2, place=place, date=date, fatalities=fatalities(found), quantities=found,
    )


def _repelled_by(actor: Actor | None, sentence, offset: int, typing: EventTyping, clause: tuple[int, int]) -> bool:
    """Whether the event's first actor is the one who repelled it: the trigger is the repelling
    ("repelled Russian assaults"), or a repelling verb of the clause comes after that actor's name
    ("Ukrainian forces stopped Russian reconnaissance groups near X")."""
    if _REPELLED.search(typing.trigger or ""):
        return True
    if actor is None or actor.start is None:
        return False
    base = offset + sentence.start_char
    start = max(clause[0], actor.end or actor.start) - base
    found = _REPELLED.search(sentence.text, max(start, 0), max(clause[1] - base, 0))
    return found is not None and found.start() - start <= REPELLER_WINDOW


def _territory_subtype(subtype: str, actor1: Actor | None, place: Place | None) -> str:
    """ACLED's convention for a change of territory: only the government of the country where the
    place lies "regains territory"; a foreign state's forces, like a non-state group, "overtake" it.
    So Russian forces taking a Ukrainian village is "Non-state actor overtakes territory", and Ukraine
    retaking it is "Government regains territory"; Wagner and the militias are non-state takers
    anywhere. Decided by the taker's kind and side and the place's country (Ukraine where no place is
    resolved); left as typed when the taker is unknown."""
    if subtype not in TERRITORY_SUBTYPES or actor1 is None:
        return subtype
    if actor1.kind in NON_STATE_KINDS:
        return NON_STATE_SUBTYPE  # Wagner, separatist militias: non-state takers wherever they are
    if actor1.side not in ("UA", "RU") or actor1.kind not in STATE_KINDS:
        return subtype
    # Without a resolved place ("завершили освобождение Прогресса", a village the gazetteer misses) the
    # war's theatre is Ukraine: Russia's forces overtake, Ukraine's regain.
    country = place.country if place is not None and place.country else THEATRE_COUNTRY
    return STATE_SUBTYPE if actor1.side == country else NON_STATE_SUBTYPE


def _event_date(sentence, offset: int, typing: EventTyping, clause: tuple[int, int], attribution: Attribution,
                times: tuple[list, list], date: EventDate | None) -> EventDate | None:
    """The event's own day, apart from the statement's: for the event of an "N units after <clause>"
    clause, counted back from the report ("less than two months after Wagner claimed it"); a time
    expression inside the event's clause and not on the reporting verb ("on Sunday" in "On Tuesday the
    governor said a drone hit a depot on Sunday"); else the day of the statement ("Ukraine said on
    Monday its troops had recaptured ...": the capture is dated by its announcement); else the
    sentence's date as before. ``times`` is (expressions, anchored clauses) from the DateResolver."""
    times, anchored = times
    start = offset + sentence.start_char
    for begin, end, when in anchored:
        # The event of an "after <clause>" clause: "less than two months after Wagner claimed it".
        if start + begin <= offset + typing.trigger_start < start + end:
            return when
    if not times:
        return date
    verb = attribution.verb
    trigger_clause = clause_head_at(sentence, typing.trigger_start)
    own, statement, elsewhere = [], [], []
    for begin, end, when in times:
        position = start + begin
        if verb is not None and _modifies(sentence, offset, position, verb):
            statement.append(when)
        elif clause[0] <= position < clause[1] and clause_head_at(sentence, position - offset) == trigger_clause:
            own.append(when)
        else:
            elsewhere.append(when)
    if own:
        return own[0]
    if statement:
        return statement[0]
    if date is not None and date in elsewhere and date.anchor != "text" and date.precision == "year":
        return None  # "vehicles built in 1985": a year in another clause dates something else
    return date


def _modifies(sentence, offset: int, position: int, verb: tuple[int, int]) -> bool:
    """Whether the words at ``position`` depend on the reporting verb at ``verb`` (document offsets)
    without another verb in between: "on Monday" in "Ukraine said on Monday its troops ..."."""
    token = next((t for t in sentence if offset + t.idx <= position < offset + t.idx + len(t.text) + 1), None)
    while token is not None:
        if offset + token.idx == verb[0]:
            return True
        if token.pos_ in ("VERB", "AUX") and token.i != sentence.root.i or token.head.i == token.i:
            return False
        token = token.head
    return False


def _each_listed_place(event: Event, places: list[Place], text: str, clause: tuple[int, int]) -> list[Event]:
    """"Missiles hit Kharkiv and Chuhuiv": one event per place of the list that holds the event's place."""
    if event.place is None:
        return [event]
    members = _list_of(event.place, places, text, clause)
    return [event] + [event.model_copy(update={"place": index}) for index in members if index != event.place]


def _list_of(index: int, places: list[Place], text: str, clause: tuple[int, int]) -> list[int]:
    """The location places coordinated with place ``index`` inside the clause ("A, B and C")."""
    def listable(i: int) -> bool:
        place = places[i]
        return (place.kind == "toponym" and place.precision in (1, 2) and place.role in (None, "location")
                and clause[0] <= place.start < clause[1])
    if not listable(index):
        return [index]
    members = [index]
    for step in (-1, 1):
        current = index
        while 0 <= current + step < len(places) and listable(current + step):
            left, right = sorted((current, current + step))
            if not _LIST_JOINER.fullmatch(text[places[left].end:places[right].start]):
                break
            current += step
            members.append(current)
    return sorted(members)


def _implied_doer(typing: EventTyping, speaker: Source, place: Place | None) -> Actor | None:
    """The doer of an event whose sentence names none, from who tells it and where. A side's
    administrations and newsrooms tell the strikes their side suffers; its military and bloggers tell
    the strikes they make in the other's country. An interception is the teller's side's, or, over
    Russia, Russia's; a settlement "liberated" ("звільнено", "освобожден") is the teller's side's; an
    attack repelled was the other side's. Nothing when the teller has no side (over Russia, strikes are
    Ukraine's)."""
    side = speaker.side if speaker.side in FORCES else None
    country = place.country if place is not None and place.country in FORCES else None
    if place is not None and place.country and place.country not in FORCES:
        return None  # another war's strike ("удар по Дамаску"): who told it says nothing of who struck
    doer = None
    if typing.sub_event_type == INTERCEPTION_SUBTYPE:
        doer = side or ("RU" if country == "RU" else None)
    elif typing.event_type == "Explosions/Remote violence":
        other = OPPOSITE.get(side)
        ministry = bool(_DEFENCE_MINISTRY.search(speaker.role or ""))
        own = speaker.kind in OWN_STRIKE_KINDS or ministry
        if side is not None and speaker.kind in SUFFERED_STRIKE_KINDS and not own:
            # a side's administrations and newsrooms tell the strikes their side suffers, at home or in
            # the land it holds ("Horlivka", told by its Russian-installed mayor); Ukraine's tell of
            # explosions in Russia as Ukraine's strikes
            doer = side if side == "UA" and country == "RU" else other
        elif side is not None and own and (country == other or ministry and country is None):
            doer = side  # a military's strike on the other's country; at home it may be either
        elif side is None and country == "RU":
            doer = "UA"
    elif typing.sub_event_type in TERRITORY_SUBTYPES and _LIBERATED.search(typing.trigger or ""):
        doer = side
    elif typing.event_type == "Battles" and typing.status == "failed":
        doer = OPPOSITE.get(side)  # "attacks near X were repelled", told by a side: the other attacked
    return load_catalogue().get(FORCES[doer]).actor() if doer is not None else None


def _clause_text(sentence, offset: int, clause: tuple[int, int]) -> str:
    base = offset + sentence.start_char
    return sentence.text[max(clause[0] - base, 0):max(clause[1] - base, 0)]


def _armed_by_weapon(actor1: Actor | None, actor2: Actor | None, text: str,
                     typing: EventTyping) -> tuple[Actor | None, Actor | None]:
    """Where the clause names no doer, a weapon only one side fields names it: "an Iskander hit the
    port" is Russia's strike. A downed weapon is its owner's, actor2 ("a Shahed was shot down")."""
    side = weapon_side(text) if actor1 is None or (typing.sub_event_type == INTERCEPTION_SUBTYPE
                                                   and actor2 is None) else None
    if side not in FORCES:
        return actor1, actor2
    force = load_catalogue().get(FORCES[side]).actor()
    if typing.sub_event_type == INTERCEPTION_SUBTYPE:
        return (actor1, force) if actor1 is None or actor1.side != side else (actor1, actor2)
    if typing.event_type in ARMED_EVENT_TYPES:
        return force, actor2
    return actor1, actor2


def _opponent(actor1: Actor | None, actor2: Actor | None, event_type: str,
              sub_event_type: str | None = None) -> tuple[Actor | None, Actor | None]:
    """In a battle between the war's two sides, naming one names the other: "Russian units attacked
    near Avdiivka" is fought against Ukraine's forces. Only for battles, whose other party is never
    civilians, and only between UA and RU. Likewise drones or missiles of one side shot down ("8
    Ukrainian drones were destroyed over Bryansk") were downed by the other, and a strike on one side's
    forces with no striker named ("поражены пункты дислокации подразделений ВСУ") was the other's."""
    if (actor1 is None) == (actor2 is None):
        return actor1, actor2
    strike_on_forces = event_type == "Explosions/Remote violence" and actor1 is None and actor2.kind in ARMED_KINDS
    if event_type != "Battles" and not (sub_event_type == INTERCEPTION_SUBTYPE and actor1 is None) \
            and not strike_on_forces:
        return actor1, actor2
    known = actor1 or actor2
    if known.side not in OPPONENT:
        return actor1, actor2
    other = load_catalogue().get(OPPONENT[known.side]).actor()
    return (actor1, other) if actor1 is not None else (other, actor2)


def _trigger_index(sentence, typing: EventTyping, last: bool = False) -> int | None:
    """The doc index of the trigger's first token (``last``: of its last token)."""
    position = max(typing.trigger_end - 1, typing.trigger_start) if last else typing.trigger_start
    for token in sentence:
        if token.idx <= position < token.idx + len(token.text) + 1:
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


def _place_index(usable: list[tuple[int, Place]], sentence, clause: tuple[int, int], trigger: int,
                 paragraph_start: int, catalogue: _PlaceIndex) -> int | None:
    """The event's place: the most precise resolved location in its clause, nearest the trigger; else a
    destination named there; else the same in the rest of the sentence; else a containing region, then
    a starting point; else the last settlement named before it (see below). A speaker's seat, an axis,
    a reference point or a river never is."""
    located = [(index, place) for index, place in usable
               if place.kind == "toponym" and place.precision is not None
               and (place.precision < 4 or _LOCATIVE_BEFORE.search(sentence.doc.text, 0, place.start - paragraph_start))]
    sentence_span = (paragraph_start + sentence.start_char, paragraph_start + sentence.end_char)
    windows = [clause] if clause == sentence_span else [clause, sentence_span]
    main = [(index, place) for index, place in located
            if not _in_purpose_clause(sentence, place.start - paragraph_start, trigger - paragraph_start)]
    if any(place.role in LOCATION_ROLES for _, place in main):
        located = main  # "bases in Crimea to resupply operations in Mariupol": the bases are in Crimea

    def best(window: tuple[int, int], roles) -> int | None:
        inside = [(index, place) for index, place in located
                  if window[0] <= place.start < window[1] and place.role in roles]
        return min(inside, key=lambda item: (item[1].precision, abs(item[1].start - trigger)))[0] if inside else None

    # The clause's own location, else where its movement went ("toward Mykolaiv"); then the same in
    # the rest of the sentence.
    for window in windows:
        for roles in (LOCATION_ROLES, ("destination",)):
            found = best(window, roles)
            if found is not None:
                return found
            if roles is LOCATION_ROLES and any(window[0] <= place.start < window[1] and place.kind == "toponym"
                                               and place.role in roles for _, place in usable):
                # The clause names its place, but the gazetteer cannot put it on the map: only the region
                # it lies in can stand for it ("Klishchiivka, Donetsk region").
                return best(windows[-1], ("region",))
    # Then a containing region, then a starting point ("a ground offensive from Izyum" is fought near it).
    for roles in (("region",), ("origin",)):
        for window in windows:
            found = best(window, roles)
            if found is not None:
                return found
    if any(start <= place.start < end and place.role in NOT_HERE_ROLES for _, place in usable for start, end in windows):
        return None  # "unable to advance south from Izyum": the clause places itself, only not at a location
    # "the village", or a sentence that goes on about the fighting a paragraph has placed: the last
    # settlement named before it (in the document for "the village", else in the same paragraph).
    sentence_start = paragraph_start + sentence.start_char
    since = 0 if _SETTLEMENT_REFERENCE.search(sentence.text) else paragraph_start
    return catalogue.last_settlement(since, sentence_start)


def _in_purpose_clause(sentence, position: int, trigger: int) -> bool:
    """Whether the word at ``position`` (an offset of the sentence's doc) lies in a "to ..." clause of
    purpose or intent that does not hold the event's trigger: "to gain access to the highway to X",
    "to resupply operations in X" say what the event was for, not where it happened."""
    token = _token_at(sentence, position)
    if token is None:
        return False
    current = token
    while current.i != current.head.i and sentence.start <= current.head.i < sentence.end:
        if current.pos_ in ("VERB", "AUX") and current.dep_ in PURPOSE_DEPS and \
                any(child.dep_ == "aux" and child.lower_ == "to" for child in current.children):
            first, last = current.left_edge.idx, current.right_edge.idx + len(current.right_edge.text)
            return not first <= trigger < last
        current = current.head
    return False


def _token_at(sentence, position: int):
    """The token of the sentence whose characters hold ``position``, or None (whitespace, outside).
    char_span finds it without walking the sentence, which matters in a very long one."""
    words = sentence.doc.char_span(position, position + 1, alignment_mode="expand")
    if words is None or not len(words):
        return None
    token = words[0]
    inside = sentence.start <= token.i < sentence.end and token.idx <= position < token.idx + len(token.text)
    return token if inside else None


def _claim(document: Document, offset: int, sentence, attribution: Attribution, event: Event | None,
           part: int = 0, capped: int = 0) -> Claim:
    start = offset + sentence.start_char
    end = offset + sentence.end_char
    return Claim(
        id=f"{document.id}:{start}-{end}" + (f"/{part}" if part else ""), start=start, end=end,
        text=document.text[start:end], confidence=CONFIDENCE[(attribution.framed, event is not None)],
        source=attribution.source, quote=attribution.quote, event=event, part=part, capped=capped,
    )
