"""Dates and numbers in Ukrainian and Russian (lang/uk|ru/timeparse.yaml and numbers.yaml). Sentences written
by the team about invented events, with real place names; the expectations are the analyst's reading."""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.extract.numbers import fatalities, quantities
from sitrep.extract.timeparse import DateResolver

D = dt.date
PUBLISHED = D(2024, 3, 6)  # a Wednesday

DATES = [
    # the day before publication to publication, as "in the past 24 hours" in English
    ("uk", "Минулої доби ворог 14 разів атакував позиції біля Кліщіївки.", D(2024, 3, 5), PUBLISHED, "day"),
    ("uk", "За минулу добу сили оборони відбили 31 атаку на Покровському напрямку.", D(2024, 3, 5), PUBLISHED, "day"),
    ("ru", "За прошедшие сутки ВСУ потеряли до 90 военнослужащих у Работино.", D(2024, 3, 5), PUBLISHED, "day"),
    ("uk", "Вчора ввечері росіяни обстріляли центр Херсона.", D(2024, 3, 5), D(2024, 3, 5), "day"),
    ("ru", "Вчера вечером украинские дроны атаковали Белгород.", D(2024, 3, 5), D(2024, 3, 5), "day"),
    ("uk", "Сьогодні вранці ворог атакував Харків ударними дронами.", PUBLISHED, PUBLISHED, "day"),
    ("ru", "Сегодня утром беспилотник атаковал нефтебазу в Брянской области.", PUBLISHED, PUBLISHED, "day"),
    # a night: a bare one is the day it began, as "overnight" in English; a named one runs from the day it
    # began to the day it ended
    ("uk", "Вночі окупанти запустили по Одесі 17 шахедів.", D(2024, 3, 5), D(2024, 3, 5), "day"),
    ("ru", "Этой ночью над Курской областью сбиты 11 беспилотников.", D(2024, 3, 5), D(2024, 3, 5), "day"),
    ("uk", "У ніч на 2 березня ворог атакував Запоріжжя.", D(2024, 3, 1), D(2024, 3, 2), "day"),
    ("ru", "В ночь на 2 марта ВСУ атаковали Белгород.", D(2024, 3, 1), D(2024, 3, 2), "day"),
    ("ru", "В ночь с 1 на 2 марта ВСУ атаковали Белгород.", D(2024, 3, 1), D(2024, 3, 2), "day"),
    ("uk", "У ніч на неділю ворог атакував Миколаїв.", D(2024, 3, 2), D(2024, 3, 3), "day"),
    # a day of a month, in the genitive, with and without a year
    ("uk", "2 березня ворог обстріляв Нікополь з артилерії.", D(2024, 3, 2), D(2024, 3, 2), "day"),
    ("ru", "2 марта ВСУ обстреляли Донецк из РСЗО.", D(2024, 3, 2), D(2024, 3, 2), "day"),
    ("uk", "Ворог обстріляв Нікополь 20 грудня.", D(2023, 12, 20), D(2023, 12, 20), "day"),
    ("ru", "14 ноября 2023 года бои шли у Кременной.", D(2023, 11, 14), D(2023, 11, 14), "day"),
    ("uk", "3-4 березня тривали бої за Тоненьке.", D(2024, 3, 3), D(2024, 3, 4), "day"),
    # months: prepositional/locative, with and without a year
    ("uk", "У травні 2023 року бої точилися біля Бахмута.", D(2023, 5, 1), D(2023, 5, 31), "month"),
    ("ru", "В мае 2023 года бои шли у Артемовска.", D(2023, 5, 1), D(2023, 5, 31), "month"),
    ("uk", "У січні окупанти атакували Вовчанськ.", D(2024, 1, 1), D(2024, 1, 31), "month"),
    ("ru", "В середине февраля бои шли у Авдеевки.", D(2024, 2, 10), D(2024, 2, 20), "month"),
    # the publication day so far
    ("uk", "З початку доби відбулося 40 бойових зіткнень.", PUBLISHED, PUBLISHED, "day"),
    ("ru", "С начала суток отражено 10 атак у Кременной.", PUBLISHED, PUBLISHED, "day"),
    # weekdays: the latest one not after publication
    ("uk", "У понеділок ворог обстріляв Суми.", D(2024, 3, 4), D(2024, 3, 4), "day"),
    ("uk", "У п’ятницю ворог атакував Херсон.", D(2024, 3, 1), D(2024, 3, 1), "day"),
    ("ru", "В понедельник ВСУ обстреляли Горловку.", D(2024, 3, 4), D(2024, 3, 4), "day"),
    ("ru", "Во вторник ВСУ обстреляли Шебекино.", D(2024, 3, 5), D(2024, 3, 5), "day"),
    ("uk", "Минулої середи ворог обстріляв Курахове.", D(2024, 2, 28), D(2024, 2, 28), "day"),
    # years
    ("uk", "У 2014 році Росія окупувала Крим.", D(2014, 1, 1), D(2014, 12, 31), "year"),
    ("ru", "В 2014 году начались бои за Славянск.", D(2014, 1, 1), D(2014, 12, 31), "year"),
    # counted back
    ("uk", "Два дні тому окупанти обстріляли Ізюм.", D(2024, 3, 4), D(2024, 3, 4), "day"),
    ("ru", "Три дня назад ВСУ обстреляли Донецк.", D(2024, 3, 3), D(2024, 3, 3), "day"),
    ("uk", "Минулого тижня ворог атакував Херсон.", D(2024, 2, 26), D(2024, 3, 3), "week"),
]


@pytest.mark.parametrize("language, sentence, start, end, precision", DATES, ids=[case[1][:40] for case in DATES])
def test_dates(language, sentence, start, end, precision):
    date = DateResolver(PUBLISHED).resolve(sentence, 0, language)
    assert date is not None, sentence
    assert (date.start, date.end, date.precision) == (start, end, precision)
    assert date.expression and date.expression in sentence


@pytest.mark.parametrize("language, sentence", [
    ("uk", "Ворог атакував позиції наших підрозділів біля Кліщіївки."),
    ("uk", "У лютому бою загинули двоє бійців."),  # "лютий" is "fierce" here, not February
    ("ru", "ВСУ обстреляли Горловку из РСЗО."),
    ("ru", "Курс доллара вырос до 100 рублей."),
])
def test_sentences_without_a_date(language, sentence):
    assert DateResolver(PUBLISHED).resolve(sentence, 0, language) is None


def test_no_date_after_publication():
    # "у ніч на 7 березня", said on 6 March, is last year's; "з 2 березня" runs to publication
    resolver = DateResolver(PUBLISHED)
    assert resolver.resolve("У ніч на 7 березня ворог атакував Одесу.", 0, "uk").start == D(2023, 3, 6)
    since = resolver.resolve("З 2 березня ворог щодня обстрілює Херсон.", 0, "uk")
    assert (since.start, since.end, since.expression) == (D(2024, 3, 2), PUBLISHED, "З 2 березня")


def test_expressions_are_offsets_into_the_sentence():
    sentence = "Як повідомили сьогодні, вчора ввечері ворог обстріляв Херсон."
    found = DateResolver(PUBLISHED).expressions(sentence, 0, "uk")
    assert [sentence[start:end] for start, end, _ in found] == ["сьогодні", "вчора ввечері"]


def test_the_english_rules_do_not_read_cyrillic_and_back():
    resolver = DateResolver(PUBLISHED)
    assert resolver.resolve("2 березня ворог обстріляв Нікополь.", 0, "en") is None
    assert resolver.resolve("Russian forces shelled Nikopol on 2 March.", 0, "uk") is None
    assert resolver.resolve("Russian forces shelled Nikopol on 2 March.", 0, "en").start == D(2024, 3, 2)


NUMBERS = [
    # numerals in words, in every case, with casualty nouns
    ("uk", "Двоє загиблих і трьох поранених у Херсоні.", [("killed", 2, None, False), ("wounded", 3, None, False)]),
    ("uk", "Унаслідок обстрілу Нікополя одна людина загинула, ще троє поранені.",
     [("killed", 1, None, False), ("wounded", 3, None, False)]),
    ("uk", "Загинули п'ятеро мирних жителів Куп'янська.", [("killed", 5, None, False)]),
    ("uk", "Загинули пʼятеро людей.", [("killed", 5, None, False)]),
    ("uk", "Поранено 4 людей, серед них двоє дітей.", [("wounded", 4, None, False)]),
    ("uk", "Травмовано сімох працівників шахти у Павлограді.", [("wounded", 7, None, False)]),
    ("uk", "Внаслідок удару загинули 3 цивільних та 7 поранено.",
     [("killed", 3, None, False), ("wounded", 7, None, False)]),
    ("ru", "Двое погибших и трое раненых в Горловке.", [("killed", 2, None, False), ("wounded", 3, None, False)]),
    ("ru", "Пятеро человек погибли в результате удара по Донецку.", [("killed", 5, None, False)]),
    ("ru", "Погибли трое мирных жителей Шебекино.", [("killed", 3, None, False)]),
    ("ru", "В результате обстрела ранены 7 человек, погиб один.",
     [("wounded", 7, None, False), ("killed", 1, None, False)]),
    ("ru", "Трёх раненых доставили в больницу Белгорода.", [("wounded", 3, None, False)]),
    ("ru", "Пострадали четыре человека.", [("wounded", 4, None, False)]),
    ("ru", "Убиты двадцать пять боевиков.", [("killed", 25, None, False)]),
    # losses and death tolls
    ("ru", "Потери противника составили до 100 военнослужащих.", [("casualties", 100, None, True)]),
    ("uk", "Ворог втратив до 100 військовослужбовців.", [("casualties", 100, None, True)]),
    ("ru", "Число погибших выросло до 12.", [("killed", 12, None, True)]),
    ("uk", "Не менше 15 людей загинули у Вовчанську.", [("killed", 15, None, True)]),
    # captured
    ("uk", "Двоє військових потрапили в полон.", [("captured", 2, None, False)]),
    ("ru", "Взяты в плен 6 военнослужащих ВСУ.", [("captured", 6, None, False)]),
    # attacks and equipment
    ("uk", "Наші захисники відбили 12 атак на Покровському напрямку.", [("other", 12, "attack", False)]),
    ("ru", "Подразделения отразили 12 атак ВСУ.", [("other", 12, "attack", False)]),
    ("uk", "Сили ППО збили 25 шахедів над Київщиною.", [("equipment", 25, "drone", False)]),
    ("ru", "Средствами ПВО сбиты 15 беспилотников.", [("equipment", 15, "drone", False)]),
    ("uk", "Знищено 3 танки та 2 ББМ.", [("equipment", 3, "tank", False), ("equipment", 2, "armoured vehicle", False)]),
    ("ru", "Уничтожены 2 танка и 3 бронемашины.",
     [("equipment", 2, "tank", False), ("equipment", 3, "armoured vehicle", False)]),
    ("uk", "Війська просунулися на 1,5 км біля Роботиного.", [("distance", 1.5, "km", False)]),
    # numbers that count nothing here
    ("uk", "2 березня ворог обстріляв Нікополь.", []),
    ("ru", "В 2014 году начались бои за Славянск.", []),
    ("uk", "93 ОМБр відбила атаку біля Бахмута.", []),
    ("ru", "Курс доллара вырос до 100 рублей.", []),
    ("uk", "Десятки людей постраждали у Харкові.", []),  # vague amounts are no numbers
]


@pytest.mark.parametrize("language, sentence, expected", NUMBERS, ids=[case[1][:40] for case in NUMBERS])
def test_quantities(language, sentence, expected):
    found = [(q.kind, q.value, q.unit, q.approximate) for q in quantities(sentence, 0, language)]
    assert found == [(kind, float(value), unit, approximate) for kind, value, unit, approximate in expected]


@pytest.mark.parametrize("language, sentence, deaths", [
    ("uk", "Двоє загиблих і трьох поранених у Херсоні.", 2),
    ("ru", "Одна женщина погибла, двое пострадавших госпитализированы.", 1),
    ("ru", "Потери противника составили до 100 военнослужащих.", None),  # losses are not deaths
    ("uk", "Поранено 4 людей.", None),
])
def test_fatalities_are_deaths_only(language, sentence, deaths):
    assert fatalities(quantities(sentence, 0, language)) == deaths


def test_quantity_offsets_point_into_the_document():
    document = "Херсон. Загинули пʼятеро людей, ще двоє поранені."
    offset = document.index("Загинули")
    found = quantities(document[offset:], offset, "uk")
    assert [document[q.start:q.end] for q in found] == ["Загинули пʼятеро людей", "двоє поранені"]


def test_the_english_rules_do_not_read_cyrillic():
    assert quantities("Загинули двоє людей.", 0, "en") == []
    assert fatalities(quantities("Two people were killed.", 0, "en")) == 2


# --- through the pipeline ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def extract(pipeline):
    from sitrep.ingest.base import document_id
    from sitrep.models import Document

    def run(text):
        document = Document(id=document_id(text), source="test.txt", text=text, published=PUBLISHED)
        return pipeline.process(document)

    return run


@pytest.mark.parametrize("language, text, subtype, start, end, deaths", [
    ("uk", "Вчора ввечері противник завдав ракетного удару по Харкову, загинули двоє людей, ще п'ятеро поранені.",
     "Shelling/artillery/missile attack", D(2024, 3, 5), D(2024, 3, 5), 2),
    ("ru", "В ночь на 4 марта ВСУ обстреляли Горловку из РСЗО, погибли трое мирных жителей, двое ранены.",
     "Shelling/artillery/missile attack", D(2024, 3, 3), D(2024, 3, 4), 3),
])
def test_an_event_gets_its_date_and_deaths_through_the_pipeline(extract, language, text, subtype, start, end,
                                                                 deaths):
    extraction = extract(text)
    events = [claim.event for claim in extraction.claims if claim.event is not None]
    assert [claim.language for claim in extraction.claims] == [language]
    assert events, "no event coded"
    event = events[0]
    assert event.sub_event_type == subtype
    assert (event.date.start, event.date.end, event.date.precision) == (start, end, "day")
    assert event.fatalities == deaths
