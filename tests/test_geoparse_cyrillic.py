"""Places in Ukrainian and Russian text, in every grammatical case (sitrep.extract.geoparse.cyrillic).

The sentences are written by the team: real place names, invented events. Places are checked against
the GeoNames dump of Ukraine (the ``ua_pipeline`` fixture skips without it).
"""

import logging

import pytest

from sitrep.extract.geoparse.cyrillic import cyrillic_rules, lemmas

KLISHCHIIVKA, BAKHMUT, BAKHMUT_RAION, NIKOPOL, AVDIIVKA = 13512497, 713174, 713172, 700051, 713122
DONETSK_OBLAST, ZAPORIZHZHIA_OBLAST, KHARKIV_OBLAST, SUMY_OBLAST = 709716, 687699, 706482, 692196
ROBOTYNE, VUHLEDAR, KREMINNA, CHASIV_YAR, VELYKA_NOVOSILKA = 695586, 690823, 704138, 710915, 690237
TORETSK, POKROVSK, MYRNOHRAD, KROPYVNYTSKYI = 709354, 704422, 710035, 705812
# "Ласточкино": the Crimean village of that name, and Krynychne in Donetsk oblast, whose old name it is.
LASTOCHKINO_CRIMEA, KRYNYCHNE_DONETSK = 12238228, 9113130


def toponyms(pipeline, text):
    return [place for place in pipeline.geoparse(text) if place.kind == "toponym"]


def place_named(pipeline, text, mention):
    found = [place for place in toponyms(pipeline, text) if place.mention == mention]
    assert found, f"no place {mention!r} in {[p.mention for p in toponyms(pipeline, text)]}"
    return found[0]


@pytest.mark.parametrize("text, mention, geonameid, role, precision", [
    # Ukrainian case forms
    ("Ворог обстріляв позиції у Кліщіївці вночі.", "Кліщіївці", KLISHCHIIVKA, "location", 1),
    ("Штурмові групи закріпилися під Бахмутом.", "Бахмутом", BAKHMUT, "location", 2),
    ("Противник завдав удару по Нікополю з важкої артилерії.", "Нікополю", NIKOPOL, "location", 1),
    ("Окупанти знову обстріляли Велику Новосілку.", "Велику Новосілку", VELYKA_NOVOSILKA, "location", 1),
    ("Бої точаться біля Великої Новосілки.", "Великої Новосілки", VELYKA_NOVOSILKA, "location", 2),
    ("Бої в Часовому Яру не вщухають.", "Часовому Яру", CHASIV_YAR, "location", 1),
    ("Наші захисники відійшли від Роботиного.", "Роботиного", ROBOTYNE, "location", 1),
    # Russian case forms
    ("Бои продолжаются в районе Клещеевки.", "Клещеевки", KLISHCHIIVKA, "location", 2),
    ("Артиллерия работала под Угледаром весь день.", "Угледаром", VUHLEDAR, "location", 2),
    ("Штурм Кременной продолжается.", "Кременной", KREMINNA, "location", 1),
    # oblasts in the genitive and other cases, and their informal names
    ("Уночі дрони атакували об'єкти Донецької області.", "Донецької області", DONETSK_OBLAST, "region", 3),
    ("Обстрелу подверглись сёла Запорожской области.", "Запорожской области", ZAPORIZHZHIA_OBLAST, "region", 3),
    ("Ситуация в Донецкой области остаётся напряжённой.", "Донецкой области", DONETSK_OBLAST, "region", 3),
    ("Харківщина зазнала нових обстрілів.", "Харківщина", KHARKIV_OBLAST, "region", 3),
    ("Вибухи пролунали на Сумщині ввечері.", "Сумщині", SUMY_OBLAST, "region", 3),
    # directions are axes, a raion is a district
    ("На Авдіївському напрямку відбито шість атак.", "Авдіївському", AVDIIVKA, "axis", 2),
    ("На Авдеевском направлении отражены четыре атаки.", "Авдеевском", AVDIIVKA, "axis", 2),
    ("Снаряд влучив у будинок Бахмутського району.", "Бахмутського району", BAKHMUT_RAION, "location", 2),
])
def test_declined_names_resolve_with_role_and_precision(ua_pipeline, text, mention, geonameid, role, precision):
    place = place_named(ua_pipeline, text, mention)
    assert (place.geonameid, place.role, place.precision) == (geonameid, role, precision)


def test_a_pair_before_one_region_word_is_two_regions(ua_pipeline):
    places = toponyms(ua_pipeline, "Обстріли Донецької та Луганської областей тривали добу.")
    assert [(p.mention, p.feature, p.role) for p in places] == [
        ("Донецької", "ADM1", "region"), ("Луганської областей", "ADM1", "region")]


def test_raion_word_makes_a_district_in_russian(ua_pipeline):
    place = place_named(ua_pipeline, "Обстрел Покровского района продолжался.", "Покровского района")
    assert (place.feature, place.precision) == ("ADM2", 2)


@pytest.mark.parametrize("text, mention, geonameid", [
    ("Бои за Артемовск шли полгода.", "Артемовск", BAKHMUT),
    # Russia's own Dzerzhinsk (233,000 people) is the bare name's place; Donetsk oblast decides.
    ("Украинские войска удерживают Дзержинск в Донецкой области.", "Дзержинск", TORETSK),
    ("Колонна прошла через Красноармейск.", "Красноармейск", POKROVSK),
    ("В Димитрове слышны взрывы.", "Димитрове", MYRNOHRAD),
    ("Поезд прибыл в Кировоград.", "Кировоград", KROPYVNYTSKYI),
])
def test_old_names_in_cyrillic_are_todays_places(ua_pipeline, text, mention, geonameid):
    assert place_named(ua_pipeline, text, mention).geonameid == geonameid


@pytest.mark.parametrize("name, geonameid", [
    ("Dzerzhynsk", TORETSK), ("Dymytrov", MYRNOHRAD), ("Krasnoarmiisk", POKROVSK), ("Kirovohrad", KROPYVNYTSKYI),
    ("Artemivsk", BAKHMUT), ("Artemovsk", BAKHMUT),
])
def test_old_names_in_latin_reach_todays_places(ua_pipeline, name, geonameid):
    assert geonameid in [entry.geonameid for entry in ua_pipeline.gazetteer.candidates(name)]


@pytest.mark.parametrize("text, mention, geonameid", [
    ("Бои у Работино не утихают.", "Работино", ROBOTYNE),
    ("Под Угледаром и у Кременной идут бои.", "Кременной", KREMINNA),
])
def test_russian_spellings_reach_ukrainian_places(ua_pipeline, text, mention, geonameid):
    assert place_named(ua_pipeline, text, mention).geonameid == geonameid


def test_named_oblast_decides_between_namesakes(ua_pipeline):
    alone = place_named(ua_pipeline, "Обстрел Ласточкино продолжался.", "Ласточкино")
    inside = place_named(ua_pipeline, "Бои у Ласточкино Донецкой области не утихают.", "Ласточкино")
    assert alone.geonameid == LASTOCHKINO_CRIMEA
    assert (inside.geonameid, inside.admin1) == (KRYNYCHNE_DONETSK, "05")


def test_oblast_after_a_village_contains_it(ua_pipeline):
    places = toponyms(ua_pipeline, "Бои у Работино Запорожской области продолжаются.")
    assert [(p.mention, p.geonameid, p.role) for p in places] == [
        ("Работино", ROBOTYNE, "location"), ("Запорожской области", ZAPORIZHZHIA_OBLAST, "region")]


@pytest.mark.parametrize("text", [
    "Мир и Победа важнее всего.",
    "Весела пісня лунала над вулицею.",
    "Перемога буде за нами.",
    "Олег Кіпер повідомив про нічну атаку.",
])
def test_common_words_and_first_names_are_no_places(ua_pipeline, text):
    assert toponyms(ua_pipeline, text) == []


def test_common_word_after_a_settlement_word_is_a_place(ua_pipeline):
    assert [p.mention for p in toponyms(ua_pipeline, "У селі Перемога пролунали вибухи.")] == ["Перемога"]


def test_first_name_does_not_hide_the_place_after_it(ua_pipeline):
    places = toponyms(ua_pipeline, "Олег Кіпер повідомив про вибухи в Одесі.")
    assert [p.mention for p in places] == ["Одесі"]


@pytest.mark.parametrize("word, lemma", [
    ("кліщіївці", "кліщіївка"), ("бахмутом", "бахмут"), ("нікополю", "нікополь"), ("клещеевки", "клещеевка"),
    ("роботиного", "роботине"), ("кременной", "кременная"), ("харкова", "харків"), ("часовому", "часів"),
])
def test_ending_rules_give_the_nominative(word, lemma):
    assert lemma in lemmas(word, cyrillic_rules().endings)


def test_village_cyrillic_names_are_kept_and_old_ones_only_as_alternates():
    from sitrep.gazetteer.builtin import old_cyrillic_names, usable_names

    alternates = ["Krinichne", "Криничне", "Криничное", "Ласточкине", "Lastochkyne"]
    kept = usable_names("Krynychne", alternates, 0, "UA", cyrillic=True)
    assert "Криничне" not in usable_names("Krynychne", alternates, 0, "UA")  # the built-in layer's rule
    assert {"Криничне", "Криничное"} <= set(kept) and "Ласточкине" not in kept
    assert old_cyrillic_names("Krynychne", alternates, 0, "UA") == ["Ласточкине"]


def test_layer_imported_under_old_rules_is_reported(caplog, tmp_path):
    from sitrep.gazetteer import _warn_if_stale
    from sitrep.gazetteer.index import Layer

    old = Layer("geonames:UA")
    old.__dict__.pop("names_version", None)  # as pickled before the field existed
    with caplog.at_level(logging.WARNING, logger="sitrep.gazetteer"):
        _warn_if_stale(tmp_path / "UA.layer", old)
    assert "re-import" in caplog.text
