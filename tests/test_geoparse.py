import pytest

from sitrep.clean import clean


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
    places = places_of(pipeline, make_document, text)
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
def test_common_words_and_demonyms_are_not_places(pipeline, make_document, text):
    assert places_of(pipeline, make_document, text) == []


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
