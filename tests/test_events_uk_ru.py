"""Event typing of Ukrainian and Russian sentences (lang/uk|ru/events.yaml). Sentences written by the team,
in the formulaic genres of each language's war reporting, with real place names."""

from __future__ import annotations

import pytest
import spacy

from sitrep.extract.events import classify, has_cue, has_lexicon

AC, GRT, NVT = "Armed clash", "Government regains territory", "Non-violent transfer of territory"
ART, AIR, DISR = "Shelling/artillery/missile attack", "Air/drone strike", "Disrupted weapons use"
IED, ARR, PP, ABD = "Remote explosive/landmine/IED", "Arrests", "Peaceful protest", "Abduction/forced disappearance"

UK = [
    ("Противник завдав ракетного удару по Харкову вранці.", ART, "asserted"),
    ("Окупанти обстріляли Нікополь з важкої артилерії.", ART, "asserted"),
    ("Ворог атакував позиції наших підрозділів біля Кліщіївки.", AC, "asserted"),
    ("Наші захисники відбили 12 атак на Покровському напрямку.", AC, "failed"),
    ("Сили оборони звільнили Роботине Запорізької області.", GRT, "asserted"),
    ("Вночі сили ППО збили 25 шахедів над Київщиною.", DISR, "asserted"),
    ("Російський дрон атакував автомобіль у Херсоні.", AIR, "asserted"),
    ("Ворог скинув КАБ на Костянтинівку.", AIR, "asserted"),
    ("Трактор підірвався на міні поблизу Балаклії.", IED, "asserted"),
    ("СБУ затримала агента, який коригував удари по Одесі.", ARR, "asserted"),
    ("Інформація про захоплення Кліщіївки не відповідає дійсності.", GRT, "negated"),
    ("Якщо ворог прорве оборону, він може спробувати атакувати Покровськ.", AC, "hypothetical"),
    # no event
    ("Збірна України з футболу забила гол у першому таймі матчу.", None, None),
    ("Не ігноруйте сигнали повітряної тривоги та залишайтеся в укриттях.", None, None),
    ("Синоптики прогнозують сильну зливу в Одесі наступного дня.", None, None),
    ("Міністра звільнили з посади за власним бажанням.", None, None),
]

RU = [
    ("Подразделения группировки войск «Юг» отразили три атаки штурмовых групп ВСУ в районе Клещеевки.", AC, "failed"),
    ("Средствами ПВО сбиты 15 беспилотников над Белгородской областью.", DISR, "asserted"),
    ("Российские войска освободили населенный пункт Работино.", GRT, "asserted"),
    ("Потери противника составили до 100 военнослужащих.", AC, "asserted"),
    ("ВСУ обстреляли Горловку из РСЗО.", ART, "asserted"),
    ("Украинские войска отошли на заранее подготовленные позиции у Кременной.", NVT, "asserted"),
    ("Беспилотник атаковал нефтебазу в Брянской области.", AIR, "asserted"),
    ("Сообщения о прорыве обороны под Угледаром не соответствуют действительности.", None, None),
    ("Сотрудники ФСБ задержали корректировщика в Курской области.", ARR, "asserted"),
    # no event: a general channel's posts use the same words
    ("Нападающий нанес удар по воротам, но вратарь отбил мяч.", None, None),
    ("Курс доллара вырос до 100 рублей.", None, None),
    ("Ракета-носитель стартовала с космодрома Восточный.", None, None),
    ("Хакеры атаковали сайты нескольких банков.", None, None),
    ("Взрыв газа произошел в жилом доме в Пятигорске.", None, None),
    ("Спасатели отошли на безопасное расстояние.", None, None),
    ("Второе место заняли школьники из Казани.", None, None),
]


@pytest.fixture(scope="module")
def pipelines():
    found = {}
    for language in ("uk", "ru"):
        nlp = spacy.blank(language)
        nlp.add_pipe("sentencizer")
        found[language] = nlp
    return found


def typed(nlp, text):
    sentences = list(nlp(text).sents)
    assert len(sentences) == 1
    return classify(sentences[0])


@pytest.mark.parametrize("text, subtype, status", UK, ids=[case[0][:40] for case in UK])
def test_ukrainian_sentences(pipelines, text, subtype, status):
    typing = typed(pipelines["uk"], text)
    if subtype is None:
        assert typing is None, f"expected no event, got {typing}"
    else:
        assert typing is not None and (typing.sub_event_type, typing.status) == (subtype, status)


@pytest.mark.parametrize("text, subtype, status", RU, ids=[case[0][:40] for case in RU])
def test_russian_sentences(pipelines, text, subtype, status):
    typing = typed(pipelines["ru"], text)
    if subtype is None:
        assert typing is None or typing.status == "negated", f"expected no event, got {typing}"
    else:
        assert typing is not None and (typing.sub_event_type, typing.status) == (subtype, status)


def test_the_trigger_offsets_point_into_the_cyrillic_text(pipelines):
    doc = pipelines["ru"]("Вчера ВСУ обстреляли Горловку из РСЗО.")
    typing = classify(list(doc.sents)[0])
    assert doc.text[typing.trigger_start:typing.trigger_end] == typing.trigger == "обстреляли"


def test_a_language_without_a_lexicon_is_not_typed():
    nlp = spacy.blank("de")
    nlp.add_pipe("sentencizer")
    assert not has_lexicon("de")
    assert classify(list(nlp("Russische Truppen beschossen Charkiw mit Raketen.").sents)[0]) is None


def test_english_cues_do_not_fire_on_cyrillic_and_back():
    assert not has_cue("Russian forces shelled Kharkiv.", "ru")
    assert has_cue("ВСУ обстреляли Горловку.", "ru")
    assert not has_cue("ВСУ обстреляли Горловку.", "en")


def test_harm_told_in_the_next_ukrainian_and_russian_sentence_is_a_claim_of_the_strike(ua_pipeline):
    from sitrep.ingest.document import make_document

    for text in ("Вночі ворог ударив по Харкову ракетами. Внаслідок удару загинули двоє людей.",
                 "Ночью ВСУ обстреляли Горловку из РСЗО. В результате обстрела погибли двое мирных жителей."):
        extraction = ua_pipeline.process(make_document(text, "report.txt"))
        found = [claim.event for claim in extraction.claims if claim.event is not None]
        assert len(found) == 2 and found[0].sub_event_type == found[1].sub_event_type == ART
        assert found[1].fatalities == 2 and found[1].place == found[0].place
