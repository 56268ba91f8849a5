"""Clustering claims into events, counting independent sources, and contradictions inside events.

Records are built by hand (no spaCy), so each test states exactly what the extractor would have
found; ``control_signals`` still runs on the sentences, as it does in a real ingest.
"""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep import corroborate
from sitrep.ingest.base import document_id
from sitrep.models import Actor, Claim, Document, Event, EventDate, Extraction, Place, Source
from sitrep.store import EventFilter, Store

ROBOTYNE = {"geonameid": 695586, "name": "Robotyne", "feature": "PPL", "admin1": "Zaporizhzhia", "country": "UA",
            "lat": 47.4419, "lon": 35.8394, "precision": 1}
VERBOVE = {"geonameid": 689965, "name": "Verbove", "feature": "PPL", "admin1": "Zaporizhzhia", "country": "UA",
           "lat": 47.4483, "lon": 35.9467, "precision": 1}
# Two villages of one name far apart: a mention that could be either must not join them.
NOVOSELIVKA_A = {"geonameid": 1, "name": "Novoselivka", "feature": "PPL", "admin1": "Donetsk", "country": "UA",
                 "lat": 48.20, "lon": 37.50, "precision": 1}
NOVOSELIVKA_B = {"geonameid": 2, "name": "Novoselivka", "feature": "PPL", "admin1": "Kharkiv", "country": "UA",
                 "lat": 49.90, "lon": 37.40, "precision": 1}

MOD = Source(name="Russian Ministry of Defence", kind="military", side="RU")
BRIGADE = Source(name="Steppe Brigade", kind="military", side="UA")
NARRATOR = Source(name="narrator", kind="narrator")


def record(text: str, sentence: str, source: Source, place: dict | None, mention: str | None = None,
           published: dt.date = dt.date(2023, 8, 12), outlet: str = "Test Wire", sub_type: str = "Armed clash",
           event_type: str = "Battles", status: str = "asserted", fatalities: int | None = None,
           day: dt.date | None = None, actor1: str | None = None) -> Extraction:
    """A one-claim extraction record: ``sentence`` inside ``text``, its event at ``place``."""
    doc_id = document_id(text)
    start = text.index(sentence)
    places = []
    if place is not None:
        at = text.index(mention or place["name"])
        places.append(Place(mention=mention or place["name"], start=at, end=at + len(mention or place["name"]),
                            **place))
    day = day or published
    event = Event(event_type=event_type, sub_event_type=sub_type, status=status, fatalities=fatalities,
                  place=0 if places else None, date=EventDate(start=day, end=day, precision="day"),
                  actor1=Actor(name=actor1, side=actor1) if actor1 else None)
    claim = Claim(id=f"{doc_id}:{start}-{start + len(sentence)}", start=start, end=start + len(sentence),
                  text=sentence, confidence=0.7, source=source, event=event)
    document = Document(id=doc_id, source=f"test#{doc_id[:6]}", text=text, published=published, outlet=outlet)
    return Extraction(document=document, places=places, claims=[claim])


def add(store: Store, *records: Extraction) -> corroborate.UpdateReport:
    for item in records:
        store.add(item)
    return corroborate.update(store)


def events(store: Store) -> list:
    return list(store.events())


def test_two_sources_on_one_battle_make_one_event_with_two_sources(store):
    first = "Ukrainian assault groups stormed trenches on the edge of Robotyne."
    second = "Russian units repelled two attacks near Robotyne, the ministry said."
    add(store, record(first, first, BRIGADE, ROBOTYNE), record(second, second, MOD, ROBOTYNE, status="failed"))
    [event] = events(store)
    assert event.claim_count == 2 and event.independent_sources == 2
    assert (event.source_mix.UA, event.source_mix.RU) == (1, 1)
    assert event.place.name == "Robotyne" and event.place.geonameid == 695586


def test_different_days_and_places_stay_apart(store):
    one = "Fighting went on near Robotyne all day."
    other_day = "Fighting went on near Robotyne again today."
    other_place = "Fighting went on near Verbove all day."
    add(store, record(one, one, NARRATOR, ROBOTYNE),
        record(other_day, other_day, NARRATOR, ROBOTYNE, published=dt.date(2023, 8, 15)),
        record(other_place, other_place, NARRATOR, VERBOVE))
    assert len(events(store)) == 3


def test_reposts_and_one_speaker_in_two_outlets_count_once(store):
    original = ("Our assault units advanced four hundred metres on the northern outskirts of Robotyne today and "
                "took two enemy strongpoints after a night of heavy fighting.")
    repost = "Forwarded from Steppe Brigade\n" + original
    quoted = "The Russian Ministry of Defence said its troops repelled an attack near Robotyne."
    quoted_again = "Moscow's defence ministry said attacks near Robotyne had been repelled by its units."
    add(store,
        record(original, original, NARRATOR, ROBOTYNE, outlet="Steppe Brigade"),
        record(repost, original, NARRATOR, ROBOTYNE, outlet="Orikhiv Frontline"),
        record(quoted, quoted, MOD, ROBOTYNE, outlet="Paper A", status="failed"),
        record(quoted_again, quoted_again, MOD, ROBOTYNE, outlet="Paper B", status="failed"))
    [event] = events(store)
    assert event.claim_count == 4
    assert event.independent_sources == 2


def test_update_is_incremental_and_idempotent(store):
    first = "Heavy fighting near Robotyne continued through the night."
    add(store, record(first, first, NARRATOR, ROBOTYNE, outlet="A"))
    [before] = events(store)
    assert corroborate.update(store).documents == 0  # nothing new: nothing done
    second = "Ukrainian troops attacked Russian positions near Robotyne, a brigade spokesman said."
    report = add(store, record(second, second, BRIGADE, ROBOTYNE, outlet="B"))
    assert report.documents == 1 and report.events_new == 0
    [after] = events(store)
    assert after.id == before.id and after.claim_count == 2
    rebuilt = corroborate.rebuild(store)
    assert rebuilt.documents == 2
    # The same clustering; ids are stable under updates, not across a rebuild (docs/corroboration.md).
    assert [event.claim_count for event in events(store)] == [2]


def test_ambiguous_name_never_merges_two_settlements(store):
    one = "Russian troops attacked Novoselivka in Donetsk region."
    two = "Russian troops attacked Novoselivka in Kharkiv region."
    unresolved = "Fighting was also reported around Novoselivka on Saturday."
    ambiguous = {"name": None, "geonameid": None, "lat": None, "lon": None, "precision": None,
                 "unresolved": "ambiguous", "candidates": 2}
    extraction = record(unresolved, unresolved, NARRATOR, None)
    at = unresolved.index("Novoselivka")
    extraction.places.append(Place(mention="Novoselivka", start=at, end=at + 11,
                                   **{k: v for k, v in ambiguous.items()}))
    extraction.claims[0].event.place = 0
    add(store, record(one, one, NARRATOR, NOVOSELIVKA_A, outlet="A"), record(two, two, NARRATOR, NOVOSELIVKA_B, outlet="B"),
        extraction)
    found = events(store)
    assert len(found) == 3
    assert sorted(event.place.geonameid or 0 for event in found) == [0, 1, 2]


def test_claim_without_place_joins_its_documents_event(store):
    text = "Russian artillery shelled Orikhiv this morning. Two civilians were killed."
    orikhiv = {"geonameid": 698428, "name": "Orikhiv", "feature": "PPLA3", "admin1": "Zaporizhzhia",
               "country": "UA", "lat": 47.5675, "lon": 35.7848, "precision": 1}
    shelling = record(text, "Russian artillery shelled Orikhiv this morning.", NARRATOR, orikhiv,
                      sub_type="Shelling/artillery/missile attack", event_type="Explosions/Remote violence",
                      actor1="RU")
    start = text.index("Two civilians")
    killed = Claim(id=f"{shelling.document.id}:{start}-{len(text)}", start=start, end=len(text),
                   text=text[start:], confidence=0.7, source=NARRATOR,
                   event=Event(event_type="Violence against civilians", sub_event_type="Attack", fatalities=2,
                               date=EventDate(start=dt.date(2023, 8, 12), end=dt.date(2023, 8, 12), precision="day")))
    shelling.claims.append(killed)
    add(store, shelling)
    [event] = events(store)
    assert event.claim_count == 2 and event.sub_event_type == "Shelling/artillery/missile attack"
    assert event.fatalities == [2]


def test_claim_without_place_or_date_never_crashes(store):
    text = "Fighting continued somewhere in the east."
    extraction = record(text, text, NARRATOR, None, published=dt.date(2023, 8, 12))
    extraction.claims[0].event.date = None
    extraction.document.published = None
    add(store, extraction)
    [event] = events(store)
    assert event.place.name is None and event.date is None


def test_death_tolls_far_apart_are_a_contradiction(store):
    low = "Two civilians were killed when Russian rockets hit Orikhiv, the regional governor said."
    high = "More than thirty soldiers were killed when rockets hit Orikhiv, a Russian channel claimed."
    orikhiv = {"geonameid": 698428, "name": "Orikhiv", "feature": "PPLA3", "admin1": "Zaporizhzhia",
               "country": "UA", "lat": 47.5675, "lon": 35.7848, "precision": 1}
    kwargs = {"sub_type": "Shelling/artillery/missile attack", "event_type": "Explosions/Remote violence"}
    add(store, record(low, low, Source(name="regional governor", kind="official", side="UA"), orikhiv,
                      fatalities=2, outlet="A", **kwargs),
        record(high, high, Source(name="Southern Front Z", kind="milblogger", side="RU"), orikhiv,
               fatalities=30, outlet="B", **kwargs))
    [event] = events(store)
    assert event.contradicted
    [contradiction] = list(store.contradictions())
    assert contradiction.kind == "casualties" and contradiction.event_id == event.id
    assert {statement.reading for statement in contradiction.statements} == {"2 killed", "30 killed"}


def test_close_death_tolls_are_not_a_contradiction(store):
    low = "Five people were killed in the strike on Orikhiv, officials said."
    high = "Seven people were killed in the strike on Orikhiv, according to the governor."
    orikhiv = {"geonameid": 698428, "name": "Orikhiv", "feature": "PPLA3", "admin1": "Zaporizhzhia",
               "country": "UA", "lat": 47.5675, "lon": 35.7848, "precision": 1}
    add(store, record(low, low, NARRATOR, orikhiv, fatalities=5, outlet="A"),
        record(high, high, Source(name="the governor", kind="official", side="UA"), orikhiv, fatalities=7,
               outlet="B"))
    assert not list(store.contradictions())
    assert not events(store)[0].contradicted


def test_event_listing_filters(store):
    battle = "Ukrainian assault groups stormed trenches on the edge of Robotyne."
    shelling = "Russian artillery shelled Verbove overnight."
    add(store, record(battle, battle, BRIGADE, ROBOTYNE),
        record(shelling, shelling, NARRATOR, VERBOVE, sub_type="Shelling/artillery/missile attack",
               event_type="Explosions/Remote violence", actor1="RU", published=dt.date(2023, 8, 20)))
    assert [e.place.name for e in store.events(EventFilter(place="robotyne"))] == ["Robotyne"]
    assert [e.place.name for e in store.events(EventFilter(event_type="Explosions/Remote violence"))] == ["Verbove"]
    assert [e.place.name for e in store.events(EventFilter(since=dt.date(2023, 8, 15)))] == ["Verbove"]
    assert [e.place.name for e in store.events(EventFilter(source="steppe"))] == ["Robotyne"]
    assert [e.place.name for e in store.events(EventFilter(side="UA"))] == ["Robotyne"]
    assert [e.place.name for e in store.events(EventFilter(side="RU"))] == ["Verbove"]


def test_remote_violence_by_opposite_sides_is_two_events(store):
    theirs = "Russian artillery shelled Robotyne in the morning."
    ours = "Ukrainian artillery struck Robotyne in the morning."
    kwargs = {"sub_type": "Shelling/artillery/missile attack", "event_type": "Explosions/Remote violence"}
    add(store, record(theirs, theirs, NARRATOR, ROBOTYNE, actor1="RU", outlet="A", **kwargs),
        record(ours, ours, NARRATOR, ROBOTYNE, actor1="UA", outlet="B", **kwargs))
    assert len(events(store)) == 2


def test_events_and_control_name_the_region_of_a_coded_place(store):
    from sitrep import control

    # Places from an imported GeoNames dump carry the admin1 code ("26" is Zaporizhzhia Oblast).
    coded = dict(ROBOTYNE, admin1="26")
    text = "Russian forces withdrew from Robotyne, the brigade said."
    add(store, record(text, text, BRIGADE, coded))
    [event] = events(store)
    assert event.place.admin1 == "Zaporizhzhia"
    days = control.region(store, "zaporizhzhia", dt.date(2023, 8, 12))
    assert [day.place.name for day in days] == ["Robotyne"]
    assert days[0].place.admin1 == "Zaporizhzhia"


# Rules added with the scenario diagnosis (docs/corroboration.md, "Which claims make an event").

ORIKHIV = {"geonameid": 698428, "name": "Orikhiv", "feature": "PPLA3", "admin1": "Zaporizhzhia",
           "country": "UA", "lat": 47.5675, "lon": 35.7848, "precision": 1}
MALA_TOKMACHKA = {"geonameid": 702153, "name": "Mala Tokmachka", "feature": "PPL", "admin1": "Zaporizhzhia",
                  "country": "UA", "lat": 47.5667, "lon": 35.8667, "precision": 1}
REMOTE = {"sub_type": "Shelling/artillery/missile attack", "event_type": "Explosions/Remote violence"}


def more(extraction: Extraction, sentence: str, source: Source = NARRATOR, place: dict | None = None,
         sub_type: str = "Armed clash", event_type: str = "Battles", status: str = "asserted",
         start_day: dt.date | None = None, end_day: dt.date | None = None, actor1: str | None = None) -> Extraction:
    """Append a claim on ``sentence`` (inside the record's text) to ``extraction``; ``place`` is a place
    named inside the sentence, or None for a claim whose text names none."""
    text = extraction.document.text
    start = text.index(sentence)
    index = None
    if place is not None:
        at = text.index(place["name"], start)
        extraction.places.append(Place(mention=place["name"], start=at, end=at + len(place["name"]), **place))
        index = len(extraction.places) - 1
    first = start_day or extraction.document.published
    event = Event(event_type=event_type, sub_event_type=sub_type, status=status, place=index,
                  date=EventDate(start=first, end=end_day or first, precision="day" if not end_day else "week"),
                  actor1=Actor(name=actor1, side=actor1) if actor1 else None)
    extraction.claims.append(Claim(id=f"{extraction.document.id}:{start}-{start + len(sentence)}", start=start,
                                   end=start + len(sentence), text=sentence, confidence=0.7, source=source,
                                   event=event))
    return extraction


def test_a_detail_of_another_type_joins_its_reports_event_at_that_place(store):
    text = ("Russian artillery shelled Orikhiv this morning. Three houses were damaged in Orikhiv. "
            "A shop burned down in Mala Tokmachka.")
    shelling = record(text, "Russian artillery shelled Orikhiv this morning.", NARRATOR, ORIKHIV, actor1="RU", **REMOTE)
    more(shelling, "Three houses were damaged in Orikhiv.", place=ORIKHIV, sub_type="Looting/property destruction",
         event_type="Violence against civilians")
    more(shelling, "A shop burned down in Mala Tokmachka.", place=MALA_TOKMACHKA,
         sub_type="Looting/property destruction", event_type="Violence against civilians")
    add(store, shelling)
    by_place = {event.place.name: event for event in events(store)}
    assert by_place["Orikhiv"].claim_count == 2  # the damage is the shelling's
    assert by_place["Mala Tokmachka"].claim_count == 1  # another place: another event


def test_supporting_fire_in_the_same_post_joins_the_battle(store):
    text = "The enemy attacked our positions near Verbove this morning. Our artillery hit their vehicles near Verbove."
    post = record(text, "The enemy attacked our positions near Verbove this morning.", NARRATOR, VERBOVE,
                  status="failed")
    more(post, "Our artillery hit their vehicles near Verbove.", place=VERBOVE, actor1="RU", **REMOTE)
    add(store, post)
    [event] = events(store)
    assert event.claim_count == 2


def test_a_placeless_report_joins_the_one_event_of_its_speakers_sector(store):
    earlier = "Our assault groups advanced in the north of Robotyne."
    placeless = "Evening report. Today our assault groups took three more houses."
    ministry = "Russian units repelled four attacks near Robotyne on Tuesday."
    day = dt.date(2023, 8, 15)
    add(store,
        record(earlier, earlier, NARRATOR, ROBOTYNE, outlet="Steppe Brigade", published=dt.date(2023, 8, 13)),
        # published first, and placed only by the ministry's later report of the same batch
        record(placeless, "Today our assault groups took three more houses.", NARRATOR, None, outlet="Steppe Brigade",
               published=day),
        record(ministry, ministry, MOD, ROBOTYNE, status="failed", published=dt.date(2023, 8, 16), day=day))
    on_day = [event for event in events(store) if event.date and event.date.start == day]
    assert [event.claim_count for event in on_day] == [2]
    assert on_day[0].place.name == "Robotyne"


def test_a_placeless_report_stays_alone_when_its_sector_has_two_events(store):
    day = dt.date(2023, 8, 15)
    placeless = "Today our assault groups took three more houses."
    add(store,
        record("Our groups advanced near Robotyne.", "Our groups advanced near Robotyne.", NARRATOR, ROBOTYNE,
               outlet="Steppe Brigade", published=dt.date(2023, 8, 10)),
        record("Our groups advanced near Verbove.", "Our groups advanced near Verbove.", NARRATOR, VERBOVE,
               outlet="Steppe Brigade", published=dt.date(2023, 8, 11)),
        record(placeless, placeless, NARRATOR, None, outlet="Steppe Brigade", published=day),
        record("Fighting near Robotyne.", "Fighting near Robotyne.", MOD, ROBOTYNE, published=day),
        record("Fighting near Verbove.", "Fighting near Verbove.", MOD, VERBOVE, published=day))
    assert sorted(event.claim_count for event in events(store)) == [1, 1, 1, 1, 1]


def test_a_placeless_claim_joins_the_event_at_a_place_its_document_names(store):
    day = dt.date(2023, 8, 16)
    text = "A Russian drone hit the community centre on Wednesday morning. Mala Tokmachka is six kilometres from the front."
    strike = "A Russian drone struck the community centre in Mala Tokmachka."
    report = record(text, "A Russian drone hit the community centre on Wednesday morning.", NARRATOR, None,
                    outlet="Ledger", published=dt.date(2023, 8, 17), day=day, actor1="RU",
                    sub_type="Air/drone strike", event_type="Explosions/Remote violence")
    at = text.index("Mala Tokmachka")
    report.places.append(Place(mention="Mala Tokmachka", start=at, end=at + 14, role="location", **MALA_TOKMACHKA))
    add(store, record(strike, strike, NARRATOR, MALA_TOKMACHKA, outlet="Administration", published=day, actor1="RU",
                      sub_type="Air/drone strike", event_type="Explosions/Remote violence"),
        report)
    [event] = events(store)
    assert event.claim_count == 2 and event.independent_sources == 2


def test_a_withdrawal_restated_days_later_joins_the_capture(store):
    capture = "Ukrainian troops liberated Robotyne yesterday."
    before = "Ukrainian troops attacked near Robotyne."
    restated = "A Russian blogger acknowledged that Russian forces withdrew from Robotyne."
    liberated = record(capture, capture, NARRATOR, ROBOTYNE, outlet="B", published=dt.date(2023, 8, 23),
                       day=dt.date(2023, 8, 22), sub_type="Government regains territory")
    liberated.claims[0].event.date.expression = "yesterday"
    add(store,
        record(before, before, NARRATOR, ROBOTYNE, outlet="A", published=dt.date(2023, 8, 21), day=dt.date(2023, 8, 21)),
        liberated,
        record(restated, restated, NARRATOR, ROBOTYNE, outlet="C", published=dt.date(2023, 8, 24),
               sub_type="Non-violent transfer of territory", event_type="Strategic developments"))
    by_day = {event.date.start: event.claim_count for event in events(store)}
    assert by_day == {dt.date(2023, 8, 21): 1, dt.date(2023, 8, 22): 2}  # the nearer day wins
    # the capture itself, dated by its text, never reaches the day before


def test_weeks_of_fighting_do_not_join_one_days_battle(store):
    day = dt.date(2023, 8, 23)
    battle = "Fighting went on near Robotyne today."
    campaign = "The guys fought for every house in Robotyne for two weeks."
    extraction = record(campaign, campaign, NARRATOR, ROBOTYNE, outlet="B", published=day)
    extraction.claims[0].event.date = EventDate(start=day - dt.timedelta(days=14), end=day, precision="week")
    add(store, record(battle, battle, NARRATOR, ROBOTYNE, outlet="A", published=day), extraction)
    assert sorted(event.claim_count for event in events(store)) == [1, 1]


def test_an_unnamed_voice_of_a_side_relaying_one_named_voice_is_that_source(store):
    day = dt.date(2023, 8, 22)
    own = "Yesterday our units withdrew from Robotyne to prepared positions."
    relay = "A prominent Russian milblogger acknowledged that Russian forces withdrew from Robotyne."
    witnesses = "Residents said Russian troops left Robotyne on Tuesday."
    nvt = {"sub_type": "Non-violent transfer of territory", "event_type": "Strategic developments", "day": day}
    add(store,
        record(own, own, Source(name="Southern Front Z", kind="milblogger", side="RU"), ROBOTYNE, outlet="SFZ",
               published=dt.date(2023, 8, 23), **nvt),
        record(relay, relay, Source(name="A prominent Russian milblogger", kind="milblogger", side="RU"), ROBOTYNE,
               outlet="Institute", published=dt.date(2023, 8, 24), **nvt),
        record(witnesses, witnesses, Source(name="residents", kind="unknown", side="unknown"), ROBOTYNE,
               outlet="Ledger", published=dt.date(2023, 8, 24), **nvt))
    [event] = events(store)
    assert event.claim_count == 3
    assert event.independent_sources == 2  # the blogger relays the channel; residents are the Ledger's own


GENERAL_STAFF = Source(name="General Staff of the Armed Forces of Ukraine", kind="military", side="UA")


@pytest.mark.parametrize(("words", "events_wanted"), [("on Wednesday", 1), ("today", 2)])
def test_a_day_named_as_the_reports_own_may_be_the_statements(store, words, events_wanted):
    # "Ukraine said on Wednesday its troops had advanced": the wire's publication day is the day of
    # the statement, so the claim also looks a day back; a channel's "today" is the day it fought.
    battle = "Our assault groups advanced in the north of Robotyne."
    lede = f"Ukraine said {words} its troops had advanced near Robotyne."
    wire = record(lede, lede, NARRATOR, ROBOTYNE, outlet="Wire", published=dt.date(2023, 8, 16), actor1="UA")
    wire.claims[0].event.date.expression = words
    add(store, record(battle, battle, BRIGADE, ROBOTYNE, outlet="Brigade", published=dt.date(2023, 8, 15)), wire)
    assert len(events(store)) == events_wanted


def test_a_republished_copy_joins_the_event_of_its_original_sentence(store):
    # The copy appears a day later, so "on Wednesday" names another day than in the original,
    # whose lede joined Tuesday's battle; the copy's sentence goes where the original's went.
    body = (" Ukraine's General Staff said its troops were consolidating their new lines south of the village."
            " Russia's Defence Ministry said its forces had repelled four attacks and held the village."
            " Neither account could be independently verified. Robotyne lies on the road from Orikhiv to Tokmak.")
    lede = "Ukraine said on Wednesday its troops had advanced in the area of Robotyne."
    battle = "Our assault groups advanced in the north of Robotyne."
    original = record("KYIV, Aug 16 (Wire) - " + lede + body, lede, NARRATOR, ROBOTYNE, outlet="Wire",
                      published=dt.date(2023, 8, 16), actor1="UA")
    copy = record("KYIV (Wire) - " + lede + body, lede, NARRATOR, ROBOTYNE, outlet="Evening Post",
                  published=dt.date(2023, 8, 17), day=dt.date(2023, 8, 16), actor1="UA")
    for extraction in (original, copy):
        extraction.claims[0].event.date.expression = "on Wednesday"
    add(store, record(battle, battle, BRIGADE, ROBOTYNE, outlet="Brigade", published=dt.date(2023, 8, 15)),
        original, copy)
    [event] = events(store)
    assert event.claim_count == 3


def test_a_sides_own_attack_against_the_other_sides_repelled_is_one_contradiction(store):
    stormed = "This morning our assault groups stormed Russian trenches on the northern edge of Robotyne."
    fighting = "Heavy fighting went on in Robotyne all day."
    success = "The Defence Forces had partial success near Robotyne yesterday."
    repelled = "Units of the Vostok group repelled three attacks by Ukrainian assault groups near Robotyne."
    day = dt.date(2023, 8, 12)
    add(store,
        record(stormed, stormed, BRIGADE, ROBOTYNE, outlet="Brigade", published=day, actor1="UA"),
        record(fighting, fighting, Source(name="Southern Front Z", kind="milblogger", side="RU"), ROBOTYNE,
               outlet="SFZ", published=day),
        record(success, success, GENERAL_STAFF, ROBOTYNE, outlet="GS", published=day + dt.timedelta(days=1),
               day=day, actor1="UA"),
        record(repelled, repelled, MOD, ROBOTYNE, outlet="MoD", published=day + dt.timedelta(days=1), day=day,
               status="failed", actor1="RU"))
    [event] = events(store)
    found = [item for item in store.contradictions() if item.kind == "advance-vs-repelled"]
    assert len(found) == 1  # the first report of each side, however many repeat them
    assert {statement.text for statement in found[0].statements} == {stormed, repelled}
    assert event.contradicted


def test_heavy_fighting_with_no_attacker_against_repelled_is_no_contradiction(store):
    fighting = "Heavy fighting went on in Robotyne all day."
    repelled = "Russian units repelled three attacks near Robotyne."
    add(store, record(fighting, fighting, BRIGADE, ROBOTYNE, outlet="Brigade"),
        record(repelled, repelled, MOD, ROBOTYNE, outlet="MoD", status="failed"))
    assert [item.kind for item in store.contradictions()] == []


def test_an_unnamed_voice_is_the_named_voice_of_its_side_that_its_own_story_quotes(store):
    # Two named Ukrainian voices reported the advance; the wire's "Ukraine said" is the one it quotes.
    day = dt.date(2023, 8, 15)
    brigade = "Today our assault groups pushed further south in Robotyne."
    lede = "Ukraine said on Wednesday its troops had advanced in the area of Robotyne."
    quoted = "Ukraine's General Staff said Ukrainian troops advanced in the Robotyne area on Tuesday."
    wire = record(lede + " " + quoted, lede, Source(name="Ukraine", kind="unknown", side="UA"), ROBOTYNE,
                  outlet="Wire", published=day + dt.timedelta(days=1), day=day, actor1="UA")
    more(wire, quoted, source=GENERAL_STAFF, place=ROBOTYNE, start_day=day, actor1="UA")
    add(store, record(brigade, brigade, BRIGADE, ROBOTYNE, outlet="Brigade", published=day, actor1="UA"), wire)
    [event] = events(store)
    assert event.claim_count == 3
    assert event.independent_sources == 2
