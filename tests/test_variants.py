"""Transliteration and spelling variants of Ukrainian and Russian place names (sitrep.gazetteer.variants).

The expected spellings come from the published systems (KMU 2010's own examples, BGN/PCGN tables) and
from spellings common in English-language reporting; docs/transliteration.md describes the rules."""

from __future__ import annotations

import pytest

from sitrep.errors import ConfigError, InputError
from sitrep.gazetteer.variants import (
    SYSTEMS, cyrillic_language, is_cyrillic, load_rules, name_variants, transliterate,
)


@pytest.mark.parametrize("cyrillic, system, expected", [
    ("Київ", "kmu2010", "Kyiv"),
    ("Запоріжжя", "kmu2010", "Zaporizhzhia"),
    ("Кліщіївка", "kmu2010", "Klishchiivka"),
    ("Роботине", "kmu2010", "Robotyne"),
    ("Харків", "kmu2010", "Kharkiv"),
    ("Юрівка", "kmu2010", "Yurivka"),            # ю at the start of a word
    ("Корюківка", "kmu2010", "Koriukivka"),      # ю inside a word
    ("Мар'їнка", "kmu2010", "Marinka"),          # apostrophe dropped; ї after it is not word-initial
    ("Мар’їнка", "kmu2010", "Marinka"),          # the same with a typographic apostrophe
    ("Єнакієве", "kmu2010", "Yenakiieve"),       # є initial, then inside
    ("Згорани", "kmu2010", "Zghorany"),          # зг is zgh, not zh
    ("Стрий", "kmu2010", "Stryi"),               # й at the end of a word
    ("Ямпіль", "kmu2010", "Yampil"),             # soft sign not written
    ("Кам'янка-Дніпровська", "kmu2010", "Kamianka-Dniprovska"),
    ("Нова Ярославка", "kmu2010", "Nova Yaroslavka"),  # word-initial in the second word
    ("КИЇВ", "kmu2010", "KYIV"),                 # case kept per word
    ("Кліщіївка", "bgn_uk", "Klishchiyivka"),
    ("Миколаїв", "bgn_uk", "Mykolayiv"),
    ("Куп'янськ", "bgn_uk", "Kup'yans'k"),
    ("Работино", "bgn_ru", "Rabotino"),
    ("Клещеевка", "bgn_ru", "Kleshcheyevka"),    # е after a vowel is ye
    ("Артёмовск", "bgn_ru", "Artemovsk"),        # ë reduced to e
    ("Ёлкино", "bgn_ru", "Yelkino"),             # ё at the start of a word
    ("Каменка-Днепровская", "bgn_ru", "Kamenka-Dneprovskaya"),
    ("Новое Село", "popular_ru", "Novoye Selo"),
    ("Запорожье", "popular_ru", "Zaporozhye"),   # ь before a vowel makes it iotated
    ("Артёмовск", "popular_ru", "Artyomovsk"),
    ("Красный Лиман", "popular_ru", "Krasny Liman"),
    ("Київ", "scholarly", "Kyjiv"),              # Ukrainian letters: the Ukrainian table
    ("Запорожье", "scholarly", "Zaporozh'e"),    # Russian letters: the Russian table
    ("Вугледар", "scholarly", "Vuhledar"),
    ("Сосно́вка", "bgn_ru", "Sosnovka"),         # a dictionary's stress mark is dropped
    ("Kиїв", "kmu2010", "Kyiv"),                 # a Latin look-alike K inside a Cyrillic word
])
def test_transliterate_follows_each_system(cyrillic, system, expected):
    assert transliterate(cyrillic, system) == expected


@pytest.mark.parametrize("text", ["Bakhmut 2023", "", "12-й", "Київ (місто)", "a\u0000b"])
def test_transliterate_passes_other_characters_through(text):
    result = transliterate(text, "kmu2010")
    assert not is_cyrillic(result)
    assert [ch for ch in result if not ch.isalpha()] == [ch for ch in text if not ch.isalpha()]


def test_transliterate_rejects_an_unknown_system():
    with pytest.raises(ConfigError, match="unknown transliteration system 'iso9'"):
        transliterate("Київ", "iso9")


def test_every_named_system_is_in_the_rules():
    for system in SYSTEMS:
        assert transliterate("Щастя", system).lower().startswith("shch")


@pytest.mark.parametrize("text, expected", [
    ("Київ", True), ("Kyiv", False), ("Kиїв", True), ("", False), ("123", False), ("Δ", False),
])
def test_is_cyrillic(text, expected):
    assert is_cyrillic(text) is expected


@pytest.mark.parametrize("text, expected", [
    ("Кліщіївка", "uk"), ("Куп'янськ", "uk"), ("Красный", "ru"), ("Артёмовск", "ru"),
    ("Лиман", "neutral"), ("Магілёў", "mixed"),
])
def test_cyrillic_language_by_letters(text, expected):
    assert cyrillic_language(text) == expected


@pytest.mark.parametrize("name, country, expected", [
    ("Klishchiivka", "UA", {"klishchiivka", "klishchiyivka", "klishcheevka", "klishcheyevka"}),
    ("Клещеевка", "RU", {"клещеевка", "kleshcheevka", "kleshcheyevka"}),
    ("Кліщіївка", "UA", {"кліщіївка", "klishchiivka", "klishchiyivka"}),
    ("Kup'yans'k", "UA", {"kup'yans'k", "kupyansk", "kupiansk", "kup’yans’k"}),
    ("Kupʼyansʼk", "UA", {"kupyansk", "kupiansk", "kup'yans'k"}),   # modifier-letter apostrophe
    ("Куп'янськ", "UA", {"kupiansk", "kupyansk", "куп’янськ"}),
    ("Andriivka", "UA", {"andriyivka", "andreevka", "andreyevka"}),
    ("Avdiivka", "UA", {"avdiyivka", "avdeevka", "avdeyevka"}),
    ("Andreyevka", "RU", {"andreevka", "andriivka", "andriyivka"}),
    ("Petrivka", "UA", {"petrovka"}),
    ("Staromaiorske", "UA", {"staromayorske", "staromayorskoye", "staromaiorskoe"}),
    ("Urozhaine", "UA", {"urozhayne", "urozhainoye", "urozhaynoye"}),
    ("Robotyne", "UA", {"robotino"}),
    ("Zaporizhzhia", "UA", {"zaporizhia", "zaporizhzhya"}),
    ("Zaporizhia", "UA", {"zaporizhzhia"}),
    ("Zaporozhye", "RU", {"zaporozhe"}),
    ("Запорожье", "UA", {"zaporozhye", "zaporozhe"}),
    ("Mykolaiv", "UA", {"mykolayiv"}),
    ("Kharkiv", "UA", {"kharkov"}),
    ("Vuhledar", "UA", {"ugledar"}),
    ("Lyman", "UA", {"liman"}),
    ("Artemivsk", "UA", {"artemovsk"}),
    ("Артёмовск", "UA", {"artemovsk", "artyomovsk"}),
    ("Kryvyi Rih", "UA", {"kryvyy rih"}),
    ("Kyïv", "UA", {"kyiv"}),
    ("Ясное", "RU", {"yasnoye", "yasnoe"}),
    ("Свiтле", "UA", {"світле", "svitle"}),      # Latin i inside a Ukrainian word
])
def test_name_variants_include_the_usual_spellings(name, country, expected):
    variants = name_variants(name, country)
    assert name.lower() in variants
    assert expected <= variants, expected - variants


@pytest.mark.parametrize("name, country, unexpected", [
    ("Київ", "UA", "kiiv"),          # Ukrainian letters: no Russian system (и -> i)
    ("Красный", "UA", "krasnyi"),    # Russian letters: no Ukrainian system (KMU й -> i)
    ("Лиман", "RU", "lyman"),        # a Russian place's name without telling letters is Russian
    ("Мар'їне", "UA", "marine"),     # KMU's spelling, but an English word
])
def test_name_variants_leave_out_implausible_or_common_words(name, country, unexpected):
    assert unexpected not in name_variants(name, country)


def test_a_neutral_ukrainian_name_gets_both_languages():
    variants = name_variants("Лиман", "UA")
    assert {"lyman", "liman"} <= variants


@pytest.mark.parametrize("country", ["US", "PL", "", None, "GB"])
def test_other_countries_get_only_the_lower_cased_name(country):
    assert name_variants("Klishchiivka", country) == {"klishchiivka"}
    assert name_variants("Кліщіївка", country) == {"кліщіївка"}


def test_country_code_case_does_not_matter():
    assert name_variants("Andriivka", "ua") == name_variants("Andriivka", "UA")


NAMES = ["Klishchiivka", "Кліщіївка", "Клещеевка", "Kup'yans'k", "Staromaiorske", "Urozhaine",
         "Zaporizhzhia", "Запорожье", "Mykolaiv", "Vuhledar", "Lviv", "Ros", "Sumy", "Іза", "Yi",
         "Novomykolaivka-Staromaiorske Huliaipilske Zaporizhzhia", "Великоолександрівське-Кліщіївка Нове",
         "Крaсный Лиман", "Mar'inka Hora", "Pole"]


@pytest.mark.parametrize("name", NAMES)
def test_generated_variants_have_four_letters_and_no_english_words(name):
    rules = load_rules()
    for variant in name_variants(name, "UA") - {name.lower()}:
        assert sum(ch.isalpha() for ch in variant) >= rules.min_letters, variant
        assert variant not in rules.stop_words
        assert variant == variant.lower()


@pytest.mark.parametrize("name", NAMES)
def test_variants_stay_under_the_cap(name):
    assert len(name_variants(name, "UA")) <= load_rules().max_variants


def test_long_names_reach_the_cap_without_passing_it():
    variants = name_variants("Novomykolaivka-Staromaiorske Huliaipilske Zaporizhzhia", "UA")
    assert len(variants) == load_rules().max_variants


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_a_blank_name_has_no_variants(name):
    assert name_variants(name, "UA") == set()


@pytest.mark.parametrize("name", ["'''", "’", "-", "١٢٣", "東京", "Київ\u200b", "a\u0000b", "Ё" * 300,
                                  "Zaporizhzhia" * 50, "ʼʼКиїв", "Kyiv’s", "😀 Bakhmut"])
def test_odd_characters_do_not_crash(name):
    variants = name_variants(name, "UA")
    assert name.lower() in variants
    assert len(variants) <= load_rules().max_variants


def test_a_name_that_is_not_text_is_an_input_error():
    with pytest.raises(InputError, match="expected text"):
        name_variants(None, "UA")  # type: ignore[arg-type]


def test_the_returned_set_is_the_callers_own():
    first = name_variants("Andriivka", "UA")
    first.add("edmonton")
    assert "edmonton" not in name_variants("Andriivka", "UA")
