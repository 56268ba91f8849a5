"""Issue #14's error classes, each in the team's own invented sentences with real place names: place
roles and containing regions, one claim per event predicate, event time apart from statement time,
datelines, the ACLED territory convention, a unit channel's side, and the caps on long sentences.
The expectations are the analyst's reading of each sentence (docs/extraction.md)."""

import datetime as dt

import pytest

PUBLISHED = dt.date(2023, 9, 1)  # a Friday


@pytest.fixture(scope="module")
def extract(ua_pipeline):
    from sitrep.ingest.base import document_id
    from sitrep.models import Document

    def run(text, published=PUBLISHED, **metadata):
        document = Document(id=document_id(text), source="test.txt", text=text, published=published, **metadata)
        return ua_pipeline.process(document)

    return run


def events(extraction):
    return [claim.event for claim in extraction.claims if claim.event is not None]


def place_of(extraction, event):
    return extraction.places[event.place] if event.place is not None else None


def role_of(extraction, mention):
    found = [place.role for place in extraction.places if place.mention.startswith(mention)]
    assert found, f"no place mention {mention!r}"
    return found[0]


# --- place roles and containing regions -------------------------------------------------------------

@pytest.mark.parametrize("text, village, oblast_admin1", [
    ("On 14 August 2023, Russian forces shelled near Kurdiumivka, Donetsk. Casualties unknown.", "Kurdyumivka", "05"),
    ("On 3 June 2023, Russian forces shelled Zolota Balka, Kherson. Casualties unknown.", "Zolota Balka", "08"),
    ("On 2 July 2023, Russian forces launched a drone strike on Andriivka, Kharkiv. Fatalities: 1.", "Andriivka", "07"),
    ("On 5 June 2023, Russian forces shelled Mykolaivka in the Donetsk region.", "Mykolaivka", "05"),
])
def test_village_then_oblast_stays_in_that_oblast_and_the_oblast_is_a_region(extract, text, village, oblast_admin1):
    extraction = extract(text)
    event = events(extraction)[0]
    place = place_of(extraction, event)
    assert (place.name, place.admin1, place.role) == (village, oblast_admin1, "location")
    regions = [p for p in extraction.places if p.role == "region"]
    assert regions and all(p.feature == "ADM1" and p.precision == 3 for p in regions)  # never the capital city


def test_a_village_with_no_namesake_in_the_named_oblast_is_not_put_elsewhere(extract):
    # Klishchiivka lies in Donetsk oblast only: named with Kherson, it must not move there or to Donetsk.
    extraction = extract("On 4 July 2023, Russian forces shelled Klishchiivka, Kherson. Casualties unknown.")
    village = next(p for p in extraction.places if p.mention == "Klishchiivka")
    assert village.geonameid is None and "Kherson" in village.unresolved
    event = events(extraction)[0]
    assert place_of(extraction, event).feature == "ADM1"  # the region stands in for it


def test_a_list_of_cities_is_not_read_as_a_village_and_its_oblast(extract):
    extraction = extract("Russian missiles hit Kharkiv, Dnipro and Zaporizhzhia overnight.")
    names = {p.name for p in extraction.places if p.role == "location"}
    assert {"Kharkiv", "Dnipro"} <= names


@pytest.mark.parametrize("text, mention, role", [
    ("Lawrence Freedman, a professor at King's College London, said Russian forces advanced west of Kreminna.",
     "London", "speaker"),
    ("Michael Kofman, a fellow at a think tank in Washington, said Russian forces advanced near Kupiansk.",
     "Washington", "speaker"),
    ("The Defence Ministry in Moscow said its forces repelled attacks near Robotyne.", "Moscow", "speaker"),
    ("Russian forces continued assaults on the Pokrovsk direction.", "Pokrovsk", "axis"),
    ("Missiles launched from Belgorod hit Kharkiv overnight.", "Belgorod", "origin"),
    ("Russian forces were unable to advance south from Izyum.", "Izyum", "origin"),
    ("Ukrainian troops advanced towards Bakhmut on Tuesday.", "Bakhmut", "destination"),
    ("Ukrainian forces repelled attacks west of Donetsk City near Nevelske.", "Donetsk", "reference"),
    ("Shelling was reported along the Dnipro River near Kherson.", "Dnipro", "water"),
])
def test_place_roles(extract, text, mention, role):
    assert role_of(extract(text), mention) == role


def test_the_speakers_seat_is_never_the_events_place(extract):
    for text, wrong in [
        ("Lawrence Freedman, a professor at King's College London, said Russian forces advanced west of Kreminna.",
         "London"),
        ("The Defence Ministry in Moscow said its forces repelled attacks near Robotyne.", "Moscow"),
    ]:
        extraction = extract(text)
        assert all(place_of(extraction, event) is None or place_of(extraction, event).name != wrong
                   for event in events(extraction))


def test_a_river_is_not_the_city_of_its_name_and_a_sea_is_no_village(extract):
    extraction = extract("Russian boats were seen on the Dnipro River, and a drone was shot down over the Black Sea.")
    assert all(place.name not in ("Dnipro", "Cea") for place in extraction.places)


# --- one claim per event predicate -------------------------------------------------------------------

def test_two_clauses_give_two_events_each_with_its_own_place_and_actor(extract):
    extraction = extract("Artillery hit Kupiansk on Monday, and Ukrainian troops took Klishchiivka.")
    found = {(e.sub_event_type, place_of(extraction, e).name): e for e in events(extraction)}
    assert ("Shelling/artillery/missile attack", "Kupyansk") in found
    capture = found[("Government regains territory", "Klishchiivka")]
    assert capture.actor1.side == "UA"
    shelling = found[("Shelling/artillery/missile attack", "Kupyansk")]
    assert shelling.actor1 is None or shelling.actor1.side != "UA"  # "Ukrainian troops" belong to the capture
    claims = [c for c in extraction.claims if c.event is not None]
    assert [c.part for c in claims] == [0, 1] and claims[1].id.endswith("/1")
    assert claims[0].start == claims[1].start and claims[0].text == claims[1].text


def test_a_list_of_places_gives_one_event_per_place(extract):
    extraction = extract("Russian missiles hit Kramatorsk and Sloviansk overnight.")
    assert {place_of(extraction, e).name for e in events(extraction)} >= {"Kramatorsk", "Slovyansk"}


def test_casualties_of_the_same_strike_are_not_a_second_event(extract):
    extraction = extract("Two civilians were killed when Russian artillery hit a street in Kostiantynivka on Thursday.")
    assert len(events(extraction)) == 1


def test_a_list_of_200_villages_gives_bounded_claims_and_says_so(extract):
    from sitrep.extract.claims import MAX_EVENTS_PER_SENTENCE

    # Thirty distinct villages, repeated to 200 names: a repeated name is the same event, a new one is not.
    distinct = ["Andriivka", "Klishchiivka", "Kurdiumivka", "Ozarianivka", "Zaitseve", "Ivanivske", "Bohdanivka",
                "Hryhorivka", "Orikhovo-Vasylivka", "Vesele", "Avdiivka", "Marinka", "Krasnohorivka", "Vuhledar",
                "Novomykhailivka", "Pervomaiske", "Nevelske", "Vodiane", "Opytne", "Sieverne", "Tonenke", "Berdychi",
                "Stepove", "Robotyne", "Verbove", "Novoprokopivka", "Kopani", "Staromaiorske", "Urozhaine",
                "Makarivka"]
    villages = (distinct * 7)[:200]
    text = "Russian forces shelled " + ", ".join(villages) + " and Toretsk over the past day."
    extraction = extract(text)
    first = extraction.claims[0]
    assert len([c for c in extraction.claims if c.start == first.start]) <= MAX_EVENTS_PER_SENTENCE
    assert first.capped > 0


def test_a_500_word_sentence_with_40_places_stays_bounded(extract):
    from sitrep.extract.claims import MAX_EVENTS_PER_SENTENCE

    villages = ["Avdiivka", "Marinka", "Krasnohorivka", "Novomykhailivka", "Vuhledar"] * 8
    clause = " and ".join(f"troops attacked {name}" for name in villages)
    text = ("Over the past day, the General Staff said, " + clause + ", " + "while heavy fighting went on " * 60
            + "along the whole line.")
    extraction = extract(text)
    assert len(extraction.claims) <= MAX_EVENTS_PER_SENTENCE + 1


# --- event time apart from statement time --------------------------------------------------------------

def test_the_statements_day_is_not_the_events_day(extract):
    extraction = extract("On Tuesday the governor said a drone hit a fuel depot in Nikopol on Sunday.")
    event = events(extraction)[0]
    assert event.date.start == dt.date(2023, 8, 27)  # the Sunday before Tuesday 29 August


def test_an_event_without_time_words_takes_the_day_it_was_announced(extract):
    extraction = extract("Ukraine said on Monday its troops had recaptured the village of Robotyne.")
    assert events(extraction)[0].date.start == dt.date(2023, 8, 28)


def test_a_historical_year_wins_over_publication(extract):
    event = events(extract("In 2014 separatists seized Sloviansk."))[0]
    assert (event.date.start.year, event.status) == (2014, "historical")


def test_a_wire_dateline_without_agency_is_the_reports_day_and_no_speaker(extract):
    extraction = extract("KYIV, Aug 29 - Ukraine said on Monday its troops had recaptured the village of Robotyne.",
                         published=dt.date(2023, 8, 30))
    assert extraction.document.published == dt.date(2023, 8, 29)
    claim = next(c for c in extraction.claims if c.event is not None)
    assert "KYIV" not in claim.source.name
    assert claim.event.date.start == dt.date(2023, 8, 28)


# --- actors and sides ------------------------------------------------------------------------------------

def test_territory_follows_acleds_convention(extract):
    russian = events(extract("Russian forces captured Bilohorivka, Luhansk Oblast."))[0]
    ukrainian = events(extract("Ukrainian forces recaptured Bilohorivka, Luhansk Oblast."))[0]
    assert (russian.actor1.side, russian.sub_event_type) == ("RU", "Non-state actor overtakes territory")
    assert (ukrainian.actor1.side, ukrainian.sub_event_type) == ("UA", "Government regains territory")


def test_the_possessor_of_a_conquest_is_its_actor(extract):
    extraction = extract("Russia's army could not retreat from Bakhmut after Wagner's conquest of it in May.")
    assert any(e.actor1 is not None and e.actor1.id == "ru.wagner" for e in events(extraction))


def test_a_units_own_channel_speaks_for_its_side(extract):
    text = ("Today our assault groups cleared the last Russian positions in the south of Robotyne. "
            "The village is fully under the control of the Defence Forces of Ukraine.")
    extraction = extract(text, outlet="Steppe Wolves Assault Brigade", channel="telegram")
    assert extraction.claims[0].source.side == "UA"
    capture = events(extraction)[-1]
    assert capture.actor1.side == "UA"


def test_first_person_side_needs_one_named_opponent():
    from sitrep.extract.attribution import first_person_side

    assert first_person_side("Our gunners hit a Russian column.") == "UA"
    assert first_person_side("Our units repelled an attack by Ukrainian nationalists.") == "RU"
    assert first_person_side("Our units repelled Ukrainian attacks and Russian losses were heavy.") == "unknown"
    assert first_person_side("Russian forces shelled Kherson.") == "unknown"


# --- analysis, framing and captions ---------------------------------------------------------------------

def test_a_hypothetical_reporting_verb_names_no_speaker(extract):
    extraction = extract("Caution would demand that Kyiv consolidate its gains before pressing on.",
                         outlet="Institute for the Study of War")
    assert extraction.claims[0].source.name == "Institute for the Study of War"


def test_a_framing_verb_names_its_speaker(extract):
    extraction = extract("Russian milbloggers have defined the pullback from Lyman as a regrouping.")
    assert extraction.claims[0].source.name == "Russian milbloggers"


def test_a_nominal_recapture_has_its_taker_and_is_no_plan(extract):
    event = events(extract("The Ukrainian recapture of Lyman will disrupt Russian supply lines."))[0]
    assert (event.sub_event_type, event.status) == ("Government regains territory", "asserted")
    assert event.actor1 is not None and event.actor1.side == "UA"


def test_a_participle_describing_a_thing_is_no_event(extract):
    extraction = extract("A soldier walks past a burned armoured vehicle near Orikhiv.")
    assert events(extraction) == []


def test_a_channels_salute_names_its_side(extract):
    extraction = extract("Today we hit an enemy ammunition depot in Tokmak. Glory to Ukraine!",
                         outlet="Steppe Wolves Brigade", channel="telegram")
    assert extraction.claims[0].source.side == "UA"


# --- who acts ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, side", [
    ("Ukrainian partisans blew up a car of a collaborator with an IED in Tokmak.", "UA"),
    ("A tractor hit a Russian landmine near Vysokopillia.", "RU"),           # the mine's owner
    ("A farmer stepped on a Russian anti-personnel mine in Izium.", "RU"),
    ("Ukrainian sappers defused an unexploded Russian shell in Balakliia.", "UA"),
    ("Russian and Ukrainian forces clashed near Bilohorivka.", "RU"),          # the first of the pair
    ("The General Staff said Ukrainian forces repulsed Russian assaults on Marinka.", "RU"),  # the attacker
])
def test_actor1_side(extract, text, side):
    event = events(extract(text))[0]
    assert event.actor1 is not None and event.actor1.side == side


def test_an_unnamed_doer_is_shared_with_the_same_incident():
    # "Russian forces detained the village head; his whereabouts are unknown": two events, one doer.
    from sitrep.extract.claims import _share_actors
    from sitrep.models import Actor, Event, EventDate, Place

    places = [Place(mention=f"P{number}", start=number * 10, end=number * 10 + 2) for number in range(6)]
    day = EventDate(start=PUBLISHED, end=PUBLISHED, precision="day")
    russia = Actor(name="Armed Forces of the Russian Federation", side="RU")
    arrest = Event(event_type="Protests", sub_event_type="Arrests", actor1=russia, place=3, date=day)
    missing = Event(event_type="Violence against civilians", sub_event_type="Abduction/forced disappearance",
                    place=3, date=day)
    elsewhere = missing.model_copy(update={"place": 5})
    shared = _share_actors([missing, arrest, elsewhere], places)
    assert shared[0].actor1 == russia and shared[2].actor1 is None


# --- a lone village in a short post; pen names; datelines without a date ------------------------------

def test_a_village_named_only_in_a_short_post_is_found(extract):
    extraction = extract("Kurdiumivka, morning report.\n\nOur assault groups took two more houses in the south of "
                         "Kurdiumivka.", outlet="Steppe Wolves Brigade", channel="telegram")
    assert [p.name for p in extraction.places if p.role == "location"].count("Kurdyumivka") == 2


def test_a_place_dateline_without_a_date_is_removed(extract):
    extraction = extract("ORIKHIV, Ukraine — Two civilians were wounded when a shell hit a house in Orikhiv.")
    assert extraction.document.removed[0].reason == "dateline"
    assert extraction.document.text.startswith("Two civilians")


def test_a_unit_moving_to_a_village_is_not_there(extract):
    extraction = extract("Our artillery hit a column in Tokmak that was preparing to move to Robotyne.")
    assert role_of(extraction, "Robotyne") == "destination"
    assert place_of(extraction, events(extraction)[0]).name == "Tokmak"


def test_the_event_of_an_after_clause_is_dated_before_the_report(extract):
    extraction = extract("Ukrainian forces pushed back Russian units near Bakhmut less than two months after "
                         "Wagner mercenaries claimed the town as a hard-won victory.")
    capture = next(e for e in events(extraction) if e.actor1 is not None and e.actor1.side == "RU")
    assert capture.date.start == dt.date(2023, 7, 1) and capture.date.end == PUBLISHED


def test_an_unnamed_doer_is_shared_with_the_same_place_named_twice(extract):
    extraction = extract("Russian forces did not conduct any ground attacks in the Marinka area and continued to "
                         "shell Ukrainian positions along the Marinka frontline on Monday.")
    found = events(extraction)
    assert {(e.sub_event_type, e.status) for e in found} >= {("Armed clash", "negated"),
                                                            ("Shelling/artillery/missile attack", "asserted")}
    assert all(e.actor1 is not None and e.actor1.side == "RU" for e in found)


def test_a_clause_of_two_words_with_a_name_is_an_event_of_its_own(extract):
    extraction = extract("Russian troops continued their failed attempts to encircle Avdiivka and capture Marinka.")
    assert {place_of(extraction, e).name for e in events(extraction)} >= {"Avdiyivka", "Mar'yinka"}


def test_plain_war_words_admit_a_further_clause(extract):
    extraction = extract("Russian units kept regrouping near Svatove ahead of a new push and carried out small "
                         "attacks south of Kreminna on Monday.")
    kinds = {e.sub_event_type for e in events(extraction)}
    assert {"Change to group/activity", "Armed clash"} <= kinds


def test_a_denied_capture_beside_the_fighting_is_a_claim_of_its_own(extract):
    extraction = extract("Russian forces conducted offensive operations in Marinka and pushed Ukrainian forces away "
                         "from the city centre on Monday but did not fully capture the town.")
    statuses = {(e.event_type, e.status) for e in events(extraction)}
    assert ("Battles", "asserted") in statuses and ("Battles", "negated") in statuses


def test_two_weapons_at_one_place_are_two_events(extract):
    extraction = extract("Russian forces launched airstrikes and fired on Ukrainian positions near Vuhledar on Monday.")
    kinds = {e.sub_event_type for e in events(extraction)}
    assert {"Air/drone strike", "Shelling/artillery/missile attack"} <= kinds


def test_a_purpose_clause_does_not_place_the_event(extract):
    extraction = extract("Russian forces established a supply base in Melitopol on Monday to resupply operations "
                         "in Robotyne.")
    placed = [place_of(extraction, e).name for e in events(extraction)]
    assert placed and placed[0] == "Melitopol"


def test_a_stated_distance_picks_the_namesake_at_that_distance(extract):
    # Several Ukrainian villages are called Andriivka; the one about 10 km south of Bakhmut is meant.
    extraction = extract("Russian forces shelled Andriivka (approximately 10 km south of Bakhmut) on Monday.")
    place = place_of(extraction, events(extraction)[0])
    assert place.name == "Andriivka" and place.admin1 == "05"
    assert abs(place.lat - 48.50) < 0.15 and abs(place.lon - 37.97) < 0.2


def test_a_military_unit_named_with_capitals_is_not_a_place(extract):
    extraction = extract("Servicemen of the 36th Marine Brigade and the Azov Regiment repelled an assault near "
                         "Kurakhove on Monday.")
    mentions = {place.mention for place in extraction.places}
    assert "Marine" not in mentions and "Azov" not in mentions and "Kurakhove" in mentions


def test_a_harm_sentence_after_an_event_is_a_claim_of_that_event(extract):
    extraction = extract("Russian artillery shelled Orikhiv on Monday morning. A 64-year-old man was wounded. "
                         "Three private houses and a shop were damaged.")
    kinds = [(e.sub_event_type, place_of(extraction, e).name) for e in events(extraction)]
    assert kinds == [("Shelling/artillery/missile attack", "Orikhiv")] * 3


def test_a_harm_sentence_after_a_denied_event_reports_nothing(extract):
    extraction = extract("The ministry denied that Russian artillery shelled Orikhiv on Monday. A man was wounded "
                         "in a traffic accident.")
    assert len(events(extraction)) == 1


def test_the_briefings_loss_tallies_and_thrown_back_attacks_are_battles(extract):
    extraction = extract("The enemy lost up to 110 servicemen near Robotyne over the past day. "
                         "Enemy losses amounted to up to 40 servicemen and two tanks near Verbove. "
                         "The enemy was thrown back to its starting positions near Novoprokopivka.")
    found = [(e.sub_event_type, e.status) for e in events(extraction)]
    assert found == [("Armed clash", "asserted"), ("Armed clash", "asserted"), ("Armed clash", "failed")]


def test_a_capture_stands_beside_gains_not_made_elsewhere(extract):
    extraction = extract("The regional governor stated that Russian forces captured Kreminna on Monday but did not "
                         "make any major gains elsewhere.")
    first = events(extraction)[0]
    assert (first.sub_event_type, first.status) == ("Non-state actor overtakes territory", "asserted")


def test_an_attack_that_made_no_progress_failed(extract):
    extraction = extract("Russian forces attacked Kreminna on Monday but made no progress.")
    assert events(extraction)[0].status == "failed"


def test_the_occupation_authorities_speak_for_russia(extract):
    extraction = extract("Forces of the Luhansk People's Republic militia claimed that they captured Rubtsi on "
                         "Monday.")
    assert extraction.claims[0].source.side == "RU"


def test_a_harm_sentence_keeps_the_event_place_not_the_hospital(extract):
    extraction = extract("Russian forces shelled Orikhiv on Monday morning. A man was wounded and has been taken "
                         "to hospital in Zaporizhzhia.")
    assert [place_of(extraction, e).name for e in events(extraction)] == ["Orikhiv", "Orikhiv"]


def test_a_new_council_is_not_an_earlier_speakers_council(extract):
    extraction = extract("Russian Security Council Secretary Nikolai Patrushev said on Monday that the operation "
                         "would go on.\n\nThe Derhachi City Council reported that Ukrainian forces repelled a "
                         "Russian assault near Derhachi on Monday.")
    council = next(claim for claim in extraction.claims if "Derhachi City Council" in claim.text)
    assert council.source.name == "The Derhachi City Council" and council.source.side == "UA"


def test_a_force_of_the_occupation_republic_is_that_republics(extract):
    extraction = extract("Territorial defense forces of the DNR made marginal advances near Kodema on Monday.")
    actor = events(extraction)[0].actor1
    assert actor is not None and actor.side == "RU" and actor.name == "DPR forces"


def test_the_defenders_who_stopped_an_attack_are_not_its_attacker(extract):
    extraction = extract("Ukrainian forces stopped Russian assault groups near Soledar on Monday.")
    event = events(extraction)[0]
    assert event.status == "failed" and event.actor1 is not None and event.actor1.side == "RU"


def test_strikes_with_no_aircraft_named_are_shelling(extract):
    extraction = extract("Russian forces conducted strikes on rear areas near Kherson on Monday.")
    assert events(extraction)[0].sub_event_type == "Shelling/artillery/missile attack"
