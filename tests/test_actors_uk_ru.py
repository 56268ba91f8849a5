"""Actors and their roles in Ukrainian and Russian sentences (issue #15, item 4), which have no parse:
declined country adjectives, "росіяни", air defence, brigades, and who is actor1 of a repelled attack
or a downed drone. The sentences are the team's own, with real places."""

import datetime as dt

import pytest

PUBLISHED = dt.date(2024, 3, 16)


@pytest.fixture(scope="module")
def event_of(pipeline):
    from sitrep.ingest.base import document_id
    from sitrep.models import Document

    def run(text, outlet="Канал новин"):
        document = Document(id=document_id(text), source="test.txt", text=text, published=PUBLISHED, outlet=outlet,
                            channel="telegram")
        events = [claim.event for claim in pipeline.process(document).claims if claim.event is not None]
        assert events, f"no event in {text!r}"
        return events[0]

    return run


def _sides(event):
    return (event.actor1.side if event.actor1 else None, event.actor2.side if event.actor2 else None)


@pytest.mark.parametrize("text, outlet, actor1, actor2", [
    # declined country adjectives before a weapon or a force, and the people's name for its forces
    ("Російський дрон атакував автомобіль у Херсоні.", "Канал новин", "RU", None),
    ("Уночі російська авіація скинула керовані бомби на Вовчанськ.", "Канал новин", "RU", None),
    ("14 березня росіяни обстріляли Нікополь з артилерії.", "Канал новин", "RU", None),
    # the owner of an attack or a weapon named after it did it
    ("Артиллерия ВСУ обстреливает жилые кварталы Горловки.", "Канал новостей", "UA", None),
    ("В Донецке из-за обстрела ВСУ повреждена школа.", "Канал новостей", "UA", None),
    # a passive agent in the instrumental, and the subject of a verb before the trigger beats a force
    # named inside it
    ("Подразделения ВСУ были разгромлены российскими войсками в районе Работино.", "Канал новостей", "RU", None),
    ("Российские войска завершили разгром батальона ВСУ, окружённого у Новоселовки.", "Канал новостей", "RU", "UA"),
    # a weapon's owner after the verb ("упали украинские беспилотники") struck, it was not struck
    ("Ночью у нефтебазы под Брянском упали два украинских дрона.", "Минобороны России", "UA", None),
    ("Інформація про захоплення Роботиного російськими військами не відповідає дійсності.", "Канал новин",
     "RU", None),
    # "по позициям X": the target
    ("Российская авиация нанесла удар по позициям ВСУ у Работино.", "Канал новостей", "RU", "UA"),
    # a group of forces named without "войск", and the enemy whose defence was broken: the target
    ("Штурмовики группировки «Юг», прорвав оборону противника, освободили Кировское.", "Канал новостей",
     "RU", "UA"),
])
def test_actors_and_roles_without_a_parse(event_of, text, outlet, actor1, actor2):
    event = event_of(text, outlet)
    assert _sides(event)[0] == actor1
    if actor2 is not None:
        assert _sides(event)[1] == actor2


@pytest.mark.parametrize("text, actor", [
    # other wars the same channels report: third parties, by declined adjective, by name, in any language
    ("Израильские ВВС нанесли удар по зданию консульства в Дамаске.", "Israel Defense Forces"),
    ("Сирийские ВВС атаковали позиции боевиков под Идлибом.", "Syrian Armed Forces"),
    ("ХАМАС обстрелял ракетами юг Израиля.", "Hamas"),
])
def test_other_wars_forces_are_third_parties(event_of, text, actor):
    event = event_of(text, "РИА Новости")
    assert (event.actor1.name, event.actor1.side) == (actor, "third-party")


def test_a_strike_abroad_gets_no_doer_from_who_tells_it(event_of):
    # A Russian wire's "explosion in Damascus" is no Ukrainian strike; "in Donetsk" it would be.
    assert event_of("Взрыв прогремел в Дамаске.", "РИА Новости").actor1 is None
    assert _sides(event_of("Взрыв прогремел в Донецке.", "РИА Новости"))[0] == "UA"


@pytest.mark.parametrize("text, outlet", [
    # active repelling: the subject repelled, the attacks' owner failed
    ("Наші захисники відбили дев'ять атак окупантів біля Часового Яру.", "Генштаб ЗСУ"),
    ("Бійці 93 ОМБр відбили штурм росіян біля Кліщіївки.", "93 ОМБр"),
    # passive repelling: the force named acting attacked
    ("Противник двічі штурмував наші позиції під Кремінною, обидві атаки відбито.", "Генштаб ЗСУ"),
    # the attack told before its repelling: the one who tried attacked
    ("На Покровському напрямку ворог намагався просунутися в районі Тоненького, де наші захисники відбили всі "
     "атаки.", "Генштаб ЗСУ"),
])
def test_a_repelled_attack_is_the_attackers(event_of, text, outlet):
    event = event_of(text, outlet)
    assert event.status == "failed"
    assert _sides(event) == ("RU", "UA")


def test_a_repelled_attack_in_russian_reporting_is_ukraines(event_of):
    event = event_of("Подразделения группировки войск «Запад» отразили четыре атаки ВСУ у Купянска.",
                     "Минобороны России")
    assert (event.status, _sides(event)) == ("failed", ("UA", "RU"))


@pytest.mark.parametrize("text, outlet, actor1, actor2", [
    # air defence is the speaker's, or the country's where it fires
    ("Уночі над Одесою сили ППО знищили шість ударних безпілотників.", "Повітряні сили ЗСУ", "UA", None),
    ("Средствами ПВО над Белгородской областью сбиты три беспилотника.", "Минобороны России", "RU", None),
    # air defence that "repelled" a drone attack downed the drones: actor1, not the failed attacker
    ("Силами ПВО в Одинцовском городском округе отражена атака двух дронов.", "Канал новостей",
     "RU", None),
    # downed drones are their owner's; the other side downed them
    ("Ещё пять беспилотников ВСУ уничтожены над территорией Курской области.", "Канал новостей", "RU", "UA"),
])
def test_who_downed_what(event_of, text, outlet, actor1, actor2):
    event = event_of(text, outlet)
    assert event.sub_event_type == "Disrupted weapons use"
    assert _sides(event)[0] == actor1
    if actor2 is not None:
        assert _sides(event)[1] == actor2


@pytest.mark.parametrize("text, outlet, actor1", [
    # a weapon only one side fields names the doer
    ("Балістична ракета «Іскандер-М» влучила в портовий склад Одеси.", "Канал новин", "RU"),
    ("Удар HIMARS пришелся по складу в Новой Каховке.", "Канал новостей", "UA"),
    # each side tells the strikes it suffers: an administration's shelling report is the other side's
    ("Внаслідок ранкового обстрілу Херсона загинула одна людина.", "Херсонська ОВА", "RU"),
    # over Russia, with a teller of no known side: Ukraine's strike, Russia's interception
    ("После атаки беспилотников в Валуйках загорелись резервуары нефтебазы.", "Канал новостей", "UA"),
    ("Над Курском сбиты две ракеты, обломки упали на частный дом.", "Канал новостей", "RU"),
    # "liberated" without a doer: the teller's side
    ("Урожайне повністю звільнено, повідомила заступниця міністра оборони Ганна Маляр.", "Канал новин", "UA"),
    # an attack repelled, told by a side that names no attacker, was the other side's
    ("Подразделения отразили три атаки в районе Работино.", "Минобороны России", "UA"),
    # a writer of unknown side: in Russian, "наши" are Russia's and "противник" Ukraine's; in Ukrainian,
    # "ворог" is Russia
    ("Наши штурмовые группы ведут бои за завод в Волчанске.", "Канал новостей", "RU"),
    ("Противник атаковал позиции у Работино.", "Канал новостей", "UA"),
    ("Ворог обстріляв Херсонську область, поранено двох людей.", "Канал новин", "RU"),
    # a defence ministry tells its own side's strikes, also with no place named
    ("Ударом высокоточного оружия поражен склад горючего у Покровска.", "Минобороны России", "RU"),
    ("Нанесен массированный удар по военным аэродромам противника.", "Минобороны России", "RU"),
    # a strike on one side's forces, with no striker named, was the other side's
    ("Артиллерийским огнем поражены позиции подразделений ВСУ у Торецка.", "Канал новостей", "RU"),
])
def test_the_doer_from_the_weapon_the_teller_and_the_place(event_of, text, outlet, actor1):
    assert _sides(event_of(text, outlet))[0] == actor1


@pytest.mark.parametrize("text, places", [
    ("Ворог обстріляв Нікополь і Марганець з артилерії.", 2),
    ("Окупанти вдарили по Херсону, Бериславу та Антонівці.", 3),
    ("ВСУ обстреляли Горловку, Донецк и Макеевку.", 3),  # "Донецк" here is no oblast of Horlivka
])
def test_each_place_of_a_ukrainian_or_russian_list_is_an_event(pipeline, text, places):
    from sitrep.ingest.base import document_id
    from sitrep.models import Document

    extraction = pipeline.process(Document(id=document_id(text), source="test.txt", text=text, published=PUBLISHED,
                                           outlet="Канал новин", channel="telegram"))
    events = [claim.event for claim in extraction.claims if claim.event is not None]
    assert len({event.place for event in events}) == places


def test_a_change_of_territory_without_a_resolved_place_lies_in_ukraine(event_of):
    # "Прогресс" is a common word the place reader leaves alone without a settlement word: no place, but
    # Russia's forces taking territory in this war overtake it
    event = event_of("Наши подразделения завершили освобождение Прогресса.", "Канал новостей")
    assert (event.sub_event_type, _sides(event)[0]) == ("Non-state actor overtakes territory", "RU")


def test_a_three_word_headline_that_tells_an_event_is_a_claim(event_of, pipeline):
    from sitrep.ingest.base import document_id
    from sitrep.models import Document

    assert event_of("Дрон атаковал Белгород.", "Канал новостей").sub_event_type == "Air/drone strike"
    # three words that tell nothing stay out, as four-word headings always did
    text = "Фото дня: Белгород."
    document = Document(id=document_id(text), source="test.txt", text=text, published=PUBLISHED, outlet="Канал",
                        channel="telegram")
    assert pipeline.process(document).claims == []
