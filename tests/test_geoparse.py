from dataclasses import dataclass

import pytest

from sitrep.extract.clean import clean


def places_of(pipeline, make_document, text):
    return pipeline.process(make_document(text)).places


@pytest.mark.parametrize("text, mention, name, precision, feature", [
    ("Ukrainian troops advanced near Bakhmut on Sunday.", "Bakhmut", "Bakhmut", 2, "PPL"),
    ("A missile struck a school in Kramatorsk overnight.", "Kramatorsk", "Kramatorsk", 1, "PPL"),
    ("Fighting continued in the Donetsk region through the week.", "Donetsk region", "Donetsk Oblast", 3, "ADM1"),
    ("Shelling hit the Kharkiv oblast again, officials said.", "Kharkiv oblast", "Kharkiv Oblast", 3, "ADM1"),
    ("The attack on Ukraine began in February 2022.", "Ukraine", "Ukraine", 4, "PCLI"),
    ("Heavy fighting was reported in the Kupiansk direction.", "Kupiansk", "Kupyansk", 2, "PPL"),
    ("Drones hit an oil depot in Crimea overnight.", "Crimea", "Autonomous Republic of Crimea", 3, "ADM1"),
])
def test_places_resolved_with_precision(pipeline, make_document, text, mention, name, precision, feature):
    places = [p for p in places_of(pipeline, make_document, text) if p.kind == "toponym"]
    assert [(p.mention, p.name, p.precision, p.feature) for p in places] == [(mention, name, precision, feature)]


def test_donetsk_city_prefers_ukraine(pipeline, make_document):
    [place] = places_of(pipeline, make_document, "Explosions were heard in Donetsk on Monday.")
    assert (place.country, place.precision) == ("UA", 1)
    assert 47.9 < place.lat < 48.1


@pytest.mark.parametrize("text", [
    "Police said two people were wounded.",
    "Russian units withdrew from the position.",
    "The victory was short-lived.",
])
def test_common_words_and_demonyms_are_not_toponyms(pipeline, make_document, text):
    assert [p for p in places_of(pipeline, make_document, text) if p.kind == "toponym"] == []


def test_mention_spans_are_exact(pipeline, make_document):
    extraction = pipeline.process(make_document(
        "date 2023-07-20\nKyiv said its forces pushed forward near Soledar and Bakhmut in the Donetsk region."))
    text = extraction.document.text
    assert [p.mention for p in extraction.places] == ["Kyiv", "Soledar", "Bakhmut", "Donetsk region"]
    for place in extraction.places:
        assert text[place.start:place.end] == place.mention


def test_cyrillic_names_resolve(pipeline, make_document):
    places = places_of(pipeline, make_document, "Обстріл Бахмута тривав. Вибухи в Херсон лунали вночі.")
    assert "Kherson" in [p.name for p in places]


def test_builtin_gazetteer_cache_is_reused(settings):
    from sitrep.gazetteer.builtin import load_builtin

    first = load_builtin(settings.home / "cache")
    assert any(path.suffix == ".pickle" for path in (settings.home / "cache").iterdir())
    second = load_builtin(settings.home / "cache")
    assert [e.name for e in second.candidates("bakhmut")] == [e.name for e in first.candidates("bakhmut")]


def test_clean_then_geoparse_offsets_survive_captions(pipeline, make_document):
    text = "Smoke over Avdiivka after shelling - Ivan Petrenko/Reuters\n\nThe shelling of Avdiivka went on."
    extraction = pipeline.process(make_document(text))
    assert clean(make_document(text)).text == extraction.document.text
    assert [p.mention for p in extraction.places] == ["Avdiivka", "Avdiivka"]


# --- recognition and resolution rules, on the built-in gazetteer ------------------------------------

def toponyms(places):
    return [place for place in places if place.kind == "toponym"]


def test_institutions_are_actors_not_places(pipeline, make_document):
    places = places_of(pipeline, make_document, "The Kremlin said strikes on Belgorod would be answered.")
    assert [p.mention for p in places] == ["Belgorod"]


@pytest.mark.parametrize("text, mention", [
    ("Shelling went on across the Zaporzhzhia region overnight.", "Zaporzhzhia region"),
    ("Troops took two villages on the border of Zaporzhzhzia and Donetsk regions.", "Zaporzhzhzia"),
])
def test_misspelt_region_resolves_by_fuzzy_match(pipeline, make_document, text, mention):
    places = places_of(pipeline, make_document, text)
    [place] = [p for p in places if p.mention == mention]
    assert (place.name, place.feature, place.precision) == ("Zaporizhzhia Oblast", "ADM1", 3)


def test_coordinated_regions_are_regions_not_cities(pipeline, make_document):
    places = places_of(pipeline, make_document, "Strikes hit the Kherson and Donetsk regions on Friday.")
    assert [(p.mention, p.feature, p.precision) for p in places] == [("Kherson", "ADM1", 3), ("Donetsk", "ADM1", 3)]


def test_spatial_phrase_lowers_precision(pipeline, make_document):
    places = places_of(pipeline, make_document, "They dug in on the southern fringe of Bakhmut, near a canal.")
    assert [(p.mention, p.precision) for p in places] == [("Bakhmut", 2)]


def test_unknown_place_after_a_cue_is_kept_unresolved(pipeline, make_document):
    places = places_of(pipeline, make_document, "Fighting went on for the village of Zzyzxovka all week.")
    [place] = places
    assert (place.mention, place.unresolved) == ("Zzyzxovka", "not in gazetteer")
    assert (place.lat, place.lon, place.precision) == (None, None, None)


def test_demonyms_resolve_to_their_country(pipeline, make_document):
    if not getattr(pipeline.gazetteer, "demonyms", None):
        pytest.skip("this gazetteer has no demonyms yet (they come with sitrep.gazetteer's world tables)")
    places = places_of(pipeline, make_document, "Ukrainian forces shelled the position.")
    assert [(p.mention, p.kind, p.country, p.precision) for p in places] == [("Ukrainian", "demonym", "UA", 4)]


def test_geoparse_keeps_offsets_into_the_raw_text(pipeline):
    text = "Smoke over Avdiivka - Ivan Petrenko/Reuters\n\n\nADVERTISEMENT\n\nShelling of Kramatorsk went on."
    places = pipeline.geoparse(text)
    assert [p.mention for p in places] == ["Avdiivka", "Kramatorsk"]
    assert all(text[p.start:p.end] == p.mention for p in places)


def test_fuzzy_guard_refuses_short_and_common_words(pipeline):
    from sitrep.extract.geoparse.lookup import fuzzy_name

    assert fuzzy_name(pipeline.gazetteer, "zaporzhzhia", wants_region=True) is not None
    assert fuzzy_name(pipeline.gazetteer, "lyman", wants_region=False) is None  # too short to guess
    assert fuzzy_name(pipeline.gazetteer, "general", wants_region=False) is None


# --- resolve_mentions --------------------------------------------------------------------------------

def spans_of(text, *phrases):
    return [(text.index(phrase), text.index(phrase) + len(phrase)) for phrase in phrases]


def test_resolve_mentions_gives_one_place_per_span_in_order(pipeline):
    from sitrep.extract.geoparse import resolve_mentions

    text = "Drones hit Kramatorsk and the Donetsk region; Qwxtrovo was quiet."
    places = resolve_mentions(text, spans_of(text, "Donetsk region", "Kramatorsk", "Qwxtrovo"), pipeline.gazetteer)
    assert [(p.mention, p.feature, p.precision) for p in places] == [
        ("Donetsk region", "ADM1", 3), ("Kramatorsk", "PPL", 1), ("Qwxtrovo", None, None)]
    assert places[2].unresolved == "not in gazetteer"


def test_resolve_mentions_refuses_a_span_outside_the_text(pipeline):
    from sitrep.errors import InputError
    from sitrep.extract.geoparse import resolve_mentions

    with pytest.raises(InputError, match="not inside the text"):
        resolve_mentions("Kyiv", [(0, 10)], pipeline.gazetteer)


# --- resolution with context, on a small gazetteer of real places written for these tests -----------

@dataclass(frozen=True)
class FakeEntry:
    geonameid: int
    name: str
    feature: str
    admin1: str
    country: str
    lat: float
    lon: float
    population: int = 0


class FakeGazetteer:
    """Two Andriivkas (Donetsk and Kharkiv oblasts), Odesa and Odessa (Texas), their regions."""

    def __init__(self):
        import ahocorasick

        self.entries = [
            FakeEntry(1, "Andriivka", "PPL", "05", "UA", 48.50, 37.97, 400),
            FakeEntry(2, "Andriivka", "PPL", "07", "UA", 49.53, 36.64, 500),
            FakeEntry(3, "Kramatorsk", "PPL", "05", "UA", 48.72, 37.56, 150_000),
            FakeEntry(4, "Donetsk Oblast", "ADM1", "05", "UA", 48.0, 37.7),
            FakeEntry(5, "Kharkiv Oblast", "ADM1", "07", "UA", 49.5, 36.5),
            FakeEntry(6, "Odesa", "PPLA", "17", "UA", 46.48, 30.73, 1_000_000),
            FakeEntry(7, "Odessa", "PPL", "TX", "US", 31.85, -102.37, 120_000),
            FakeEntry(8, "Texas", "ADM1", "TX", "US", 31.25, -99.25, 29_000_000),
            FakeEntry(9, "Ukraine", "PCLI", "00", "UA", 49.0, 32.0, 44_000_000),
        ]
        self.by_name = {}
        for index, entry in enumerate(self.entries):
            self.by_name.setdefault(entry.name.lower(), []).append(index)
        self.by_name["odessa"] = [5, 6]
        self.region_short = {"donetsk": 3, "kharkiv": 4}
        self.demonyms = {"ukrainian": 8}
        self.automaton = ahocorasick.Automaton()
        for key in [*self.by_name, *self.region_short]:
            self.automaton.add_word(key, key)
        self.automaton.make_automaton()

    def candidates(self, name):
        return [self.entries[index] for index in self.by_name.get(name.lower(), [])]


@pytest.mark.parametrize("text, expected", [
    ("Andriivka was shelled overnight.", None),
    ("Andriivka, in the Donetsk region, was shelled overnight.", 1),
    ("Andriivka in the Kharkiv region was shelled overnight.", 2),
    ("Fighting near Kramatorsk and Andriivka went on.", 1),
])
def test_context_picks_among_namesakes(text, expected):
    from sitrep.extract.geoparse import PlaceHints, find_places

    [place] = [p for p in find_places(text, FakeGazetteer(), PlaceHints()) if p.mention == "Andriivka"]
    assert place.geonameid == expected
    if expected is None:
        assert place.unresolved == "ambiguous: 2 candidates, no context" and place.lat is None


@pytest.mark.parametrize("text, country", [
    ("Odessa saw heavy rain.", "UA"),
    ("Oil output near Odessa, Texas, fell.", "US"),
    ("Ukrainian officials in Odessa said the port reopened.", "UA"),
])
def test_country_focus_comes_from_the_document(text, country):
    from sitrep.extract.geoparse import PlaceHints, find_places

    [place] = [p for p in find_places(text, FakeGazetteer(), PlaceHints()) if p.mention == "Odessa"]
    assert place.country == country


def test_demonym_is_its_own_kind_and_never_a_settlement():
    from sitrep.extract.geoparse import PlaceHints, find_places

    places = find_places("Ukrainian drones hit Kramatorsk.", FakeGazetteer(), PlaceHints())
    assert [(p.mention, p.kind, p.precision) for p in places] == [
        ("Ukrainian", "demonym", 4), ("Kramatorsk", "toponym", 1)]


# --- the seed article (../shared) --------------------------------------------------------------------

BAKHMUT = (48.5953, 37.9990)
KLISHCHIIVKA = (48.5340, 37.9700)


def km_between(a, b):
    from sitrep.extract.geoparse.resolve import _distance_km

    return _distance_km(a, b)


def test_seed_places(pipeline, make_document, seed_text):
    places = places_of(pipeline, make_document, seed_text)
    bakhmut = [p for p in places if p.mention == "Bakhmut"]
    assert bakhmut and all(km_between(BAKHMUT, (p.lat, p.lon)) < 5 for p in bakhmut)
    [misspelt] = [p for p in places if p.mention.startswith("Zaporzhzh")]
    assert (misspelt.name, misspelt.precision) == ("Zaporizhzhia Oblast", 3)
    regions = [p for p in places if p.mention == "Donetsk region"]
    assert regions and all(p.precision == 3 and p.feature == "ADM1" for p in regions)
    assert not [p for p in places if "Kremlin" in p.mention]


@pytest.mark.parametrize("text, resolved", [
    ("Shelling near Kramatorrsk, Ukraine, went on.", True),
    ("Shelling near Kramatorrsk went on.", False),
])
def test_misspelt_settlement_needs_its_country_named(text, resolved):
    from sitrep.extract.geoparse import PlaceHints, find_places

    [place] = [p for p in find_places(text, FakeGazetteer(), PlaceHints()) if p.mention == "Kramatorrsk"]
    assert (place.name == "Kramatorsk") is resolved
    assert (place.unresolved is None) is resolved




def test_seed_places_with_ukraine_imported(ua_pipeline, make_document, seed_text):
    places = places_of(ua_pipeline, make_document, seed_text)
    bakhmut = [p for p in places if p.mention == "Bakhmut"]
    assert bakhmut and all(km_between(BAKHMUT, (p.lat, p.lon)) < 5 and p.feature.startswith("PPL") for p in bakhmut)
    klishchiivka = [p for p in places if p.mention == "Klishchiivka"]
    assert klishchiivka and all(km_between(KLISHCHIIVKA, (p.lat, p.lon)) < 8 for p in klishchiivka)
    [misspelt] = [p for p in places if p.mention.startswith("Zaporzhzh")]
    assert (misspelt.feature, misspelt.admin1, misspelt.precision) == ("ADM1", "26", 3)


def test_frontline_village_resolves_by_its_region(ua_pipeline):
    places = ua_pipeline.geoparse("Russian troops shelled Andriivka in the Donetsk region on Tuesday.")
    [village] = [p for p in places if p.mention == "Andriivka"]
    assert (village.country, village.admin1, village.feature[:3]) == ("UA", "05", "PPL")


def test_a_stated_distance_picks_the_namesake_at_that_distance(ua_pipeline):
    # Three Lukianivkas lie within range of Brovary: a district of Kyiv 23 km away, a village 43 km east and
    # one 112 km south. "40km east of Brovary" is the village at about 40 km.
    for text in ("Ukrainian troops took back Lukyanivka, 40km east of Brovary, after a night of fighting.",
                 "After a night of fighting Ukrainian troops took back Luk’yanivka (40km east of Brovary)."):
        [village] = [p for p in ua_pipeline.geoparse(text) if p.mention.startswith("Luk")]
        assert village.geonameid == 8527804, (text, village)


def test_a_name_spelt_letter_for_letter_beats_a_village_that_has_it_as_a_variant(ua_pipeline):
    # A report about Donetsk Oblast pulls every name toward it; "Mykolayiv" is still the city that bears the
    # name, not the Donetsk village Mykolaivka that lists it among its spellings.
    text = ("Russian forces attacked Avdiivka, Marinka and Krasnohorivka in Donetsk Oblast on Monday. "
            "Fighting continued near Kurakhove and Vuhledar in Donetsk Oblast. Russian forces continued to shell "
            "Mykolayiv.")
    [city] = [p for p in ua_pipeline.geoparse(text) if p.mention == "Mykolayiv"]
    assert (city.geonameid, city.admin1) == (700569, "16")


def test_a_name_confirmed_once_is_a_place_where_it_recurs(pipeline):
    # The second "Andriivka" has nothing of its own to confirm it (no locative word, nothing near the
    # document's places), but the same name was just read as a place.
    text = ("Some Russian bloggers said Ukrainian troops had entered Andriivka, but others insisted that Russian "
            "forces still hold Andriivka.")
    places = [p for p in pipeline.geoparse(text) if p.mention == "Andriivka"]
    assert len(places) == 2 and places[0].geonameid == places[1].geonameid


def test_capital_us_is_the_country_and_lower_case_us_is_no_place(pipeline, make_document):
    places = [p for p in places_of(pipeline, make_document, "The US will send more aid to Ukraine, he told us.")
              if p.kind == "toponym"]
    assert [(p.mention, p.country, p.precision) for p in places] == [("US", "US", 4), ("Ukraine", "UA", 4)]


def test_own_name_outranks_another_places_alternate_name():
    from sitrep.gazetteer import Entry, Layer
    from sitrep.gazetteer.index import merge
    from sitrep.extract.geoparse import resolve_mentions

    def resolved(primary):
        layer = Layer("test")
        layer.add(Entry(1, "Columbus", "PPL", "OH", "US", 39.96, -83.0, 900_000), ["Franklin"], primary=primary)
        layer.add(Entry(2, "Franklin", "PPL", "TN", "US", 35.93, -86.87, 80_000), [])
        [place] = resolve_mentions("Franklin was quiet.", [(0, 8)], merge([layer]))
        return place.name

    assert resolved(primary=[]) == "Franklin"  # "Franklin" is only an alternate name of Columbus
    # Unmarked, the larger city no longer wins either: "Franklin" is nothing like its own name "Columbus"
    # (resolve.FAR_NAME_PENALTY), so the choice is the town or, too close to call, none.
    assert resolved(primary=None) != "Columbus"


def test_a_city_is_not_the_region_that_is_the_city(ua_pipeline, make_document):
    """With UA imported, "Kyiv" names both the capital (PPLC) and the ADM1 "Misto Kyiv" around it."""
    places = ua_pipeline.process(make_document("Russian missiles struck Kyiv overnight, officials said.")).places
    kyiv = [p for p in places if p.mention == "Kyiv"]
    assert kyiv and kyiv[0].feature.startswith("PPL") and kyiv[0].precision == 1


@pytest.mark.parametrize("text", [
    "Two assault groups supported by Bradley vehicles were stopped near the railway.",
    "Several Leopards and a Challenger tank were hit on the road.",
])
def test_weapons_named_like_places_are_not_places(pipeline, make_document, text):
    places = pipeline.process(make_document(text)).places
    assert not [p for p in places if p.mention in ("Bradley", "Leopards", "Challenger")]
