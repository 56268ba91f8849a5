"""Writes team.jsonl: the team's Ukrainian and Russian sentences with their gold labels (issue #15).

Every sentence template below was written by the sitrep team; none comes from ../shared or any news text.
Each template is filled with six real places in the grammatical case its preposition needs ("по Нікополю",
"під Часовим Яром", "в районе Артемовска"); the Russian forms use Russian and Soviet-era names where a Russian
channel would (Артемовск, Красноармейск, Дзержинск, Димитров). The events are invented. The gold is this file's
choice, never sitrep's output. Deterministic: running it again gives the same bytes.

    .venv/bin/python tests/gold/uk_ru/make_team.py
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).with_name("team.jsonl")
PUBLISHED = "2024-03-16"

# English GeoNames name, geonameid, lat, lon (Ukrainian dump), then the Ukrainian and Russian forms:
# nominative, genitive, locative, instrumental, dative.
PLACES = [
    ("Klishchiivka", 13512497, 48.529, 37.9597,
     ("Кліщіївка", "Кліщіївки", "Кліщіївці", "Кліщіївкою", "Кліщіївці"),
     ("Клещеевка", "Клещеевки", "Клещеевке", "Клещеевкой", "Клещеевке")),
    ("Bakhmut", 713174, 48.59441, 37.99983,
     ("Бахмут", "Бахмута", "Бахмуті", "Бахмутом", "Бахмуту"),
     ("Артемовск", "Артемовска", "Артемовске", "Артемовском", "Артемовску")),
    ("Avdiyivka", 713122, 48.13989, 37.74255,
     ("Авдіївка", "Авдіївки", "Авдіївці", "Авдіївкою", "Авдіївці"),
     ("Авдеевка", "Авдеевки", "Авдеевке", "Авдеевкой", "Авдеевке")),
    ("Pokrovsk", 704422, 48.2798, 37.1768,
     ("Покровськ", "Покровська", "Покровську", "Покровськом", "Покровську"),
     ("Красноармейск", "Красноармейска", "Красноармейске", "Красноармейском", "Красноармейску")),
    ("Toretsk", 709354, 48.39505, 37.8477,
     ("Торецьк", "Торецька", "Торецьку", "Торецьком", "Торецьку"),
     ("Дзержинск", "Дзержинска", "Дзержинске", "Дзержинском", "Дзержинску")),
    ("Vuhledar", 690823, 47.7797, 37.2484,
     ("Вугледар", "Вугледара", "Вугледарі", "Вугледаром", "Вугледару"),
     ("Угледар", "Угледара", "Угледаре", "Угледаром", "Угледару")),
    ("Robotyne", 695586, 47.4481, 35.8365,
     ("Роботине", "Роботиного", "Роботиному", "Роботиним", "Роботиному"),
     ("Работино", "Работино", "Работино", "Работино", "Работино")),
    ("Kreminna", 704138, 49.0483, 38.2163,
     ("Кремінна", "Кремінної", "Кремінній", "Кремінною", "Кремінній"),
     ("Кременная", "Кременной", "Кременной", "Кременной", "Кременной")),
    ("Nikopol", 700051, 47.5677, 34.3912,
     ("Нікополь", "Нікополя", "Нікополі", "Нікополем", "Нікополю"),
     ("Никополь", "Никополя", "Никополе", "Никополем", "Никополю")),
    ("Kupyansk", 703656, 49.7102, 37.6158,
     ("Куп'янськ", "Куп'янська", "Куп'янську", "Куп'янськом", "Куп'янську"),
     ("Купянск", "Купянска", "Купянске", "Купянском", "Купянску")),
    ("Chasiv Yar", 710915, 48.58771, 37.83439,
     ("Часів Яр", "Часового Яру", "Часовому Яру", "Часовим Яром", "Часовому Яру"),
     ("Часов Яр", "Часова Яра", "Часовом Яре", "Часовым Яром", "Часову Яру")),
    ("Myrnohrad", 710035, 48.3102, 37.2651,
     ("Мирноград", "Мирнограда", "Мирнограді", "Мирноградом", "Мирнограду"),
     ("Димитров", "Димитрова", "Димитрове", "Димитровом", "Димитрову")),
    ("Krynychne", 9113130, 48.1494, 37.6811,
     ("Ласточкине", "Ласточкиного", "Ласточкиному", "Ласточкиним", "Ласточкиному"),
     ("Ласточкино", "Ласточкино", "Ласточкино", "Ласточкино", "Ласточкино")),
    ("Staromaiorske", 692812, 47.7531, 36.7932,
     ("Старомайорське", "Старомайорського", "Старомайорському", "Старомайорським", "Старомайорському"),
     ("Старомайорское", "Старомайорского", "Старомайорском", "Старомайорским", "Старомайорскому")),
    ("Vovchansk", 689304, 50.29078, 36.94108,
     ("Вовчанськ", "Вовчанська", "Вовчанську", "Вовчанськом", "Вовчанську"),
     ("Волчанск", "Волчанска", "Волчанске", "Волчанском", "Волчанску")),
    ("Kherson", 706448, 46.63695, 32.61458,
     ("Херсон", "Херсона", "Херсоні", "Херсоном", "Херсону"),
     ("Херсон", "Херсона", "Херсоне", "Херсоном", "Херсону")),
]
CASES = ("nom", "gen", "loc", "ins", "dat")
SUBTYPES = {
    "shell": ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    "air": ("Explosions/Remote violence", "Air/drone strike"),
    "clash": ("Battles", "Armed clash"),
    "regain": ("Battles", "Government regains territory"),
    "overtake": ("Battles", "Non-state actor overtakes territory"),
    "disrupt": ("Strategic developments", "Disrupted weapons use"),
    "change": ("Strategic developments", "Change to group/activity"),
    "destroy": ("Strategic developments", "Looting/property destruction"),
    "withdraw": ("Strategic developments", "Non-violent transfer of territory"),
}
# Channels (the document's outlet) and speakers: name, kind, side.
GENSTAFF_UA = ("Генштаб ЗСУ", "military", "UA")
AIRFORCE_UA = ("Повітряні сили ЗСУ", "military", "UA")
SUSPILNE = ("Суспільне Донбас", "outlet", "UA")
DONETSK_OVA = ("Донецька ОВА", "government", "UA")
BRIGADE_47 = ("47 ОМБр", "military", "UA")
MOD_RU = ("Минобороны России", "government", "RU")
RYBAR = ("Рыбарь", "milblogger", "RU")
TWO_MAJORS = ("Два майора", "milblogger", "RU")
RIA = ("РИА Новости", "wire", "RU")
LOCAL_RU = ("Новости Донбасса", "outlet", "RU")

# (text, sub-type key or None, status, actor1 side, channel, speaker or None (the channel), date or None)
UK = [
    ("Минулої доби противник завдав ракетного удару по {dat}, повідомили в Генштабі ЗСУ.", "shell", "asserted", "RU",
     SUSPILNE, GENSTAFF_UA, None),
    ("Наші захисники відбили 12 атак окупантів біля {gen}.", "clash", "failed", "RU", GENSTAFF_UA, None, None),
    ("Сили оборони звільнили {acc}, повідомив Олександр Сирський.", "regain", "asserted", "UA", SUSPILNE,
     ("Олександр Сирський", "military", "UA"), None),
    ("Окупанти завдали авіаудару керованими бомбами по {dat}, є загиблий.", "air", "asserted", "RU", DONETSK_OVA,
     None, None),
    ("Уночі над {ins} сили ППО знищили два ударні безпілотники.", "disrupt", "asserted", "UA", AIRFORCE_UA, None,
     None),
    ("Російський дрон атакував цивільний автомобіль у {loc}, поранено двох людей, "
     "повідомив начальник ОВА Вадим Філашкін.",
     "air", "asserted", "RU", SUSPILNE, ("Вадим Філашкін", "government", "UA"), None),
    ("Противник шість разів штурмував наші позиції під {ins}, усі атаки відбито.", "clash", "failed", "RU",
     BRIGADE_47, None, None),
    ("Інформація про нібито захоплення {gen} російськими військами не відповідає дійсності, заявив речник угруповання.",
     "overtake", "negated", "RU", SUSPILNE, ("речник угруповання", "military", "UA"), None),
    ("Ворог обстріляв з артилерії околиці {gen}, пошкоджено школу та три приватні будинки.", "shell", "asserted",
     "RU", SUSPILNE, None, None),
    ("14 березня росіяни вдарили з РСЗО по {dat}, загинули двоє цивільних.", "shell", "asserted", "RU", SUSPILNE,
     None, ("2024-03-14", "2024-03-14")),
    ("Якщо ворог прорветься біля {gen}, під загрозою опиниться логістика всього напрямку.", "clash", "hypothetical",
     "RU", BRIGADE_47, None, None),
    ("Бійці 47 ОМБр відбили штурм росіян біля {gen} і знищили два танки.", "clash", "failed", "RU", BRIGADE_47, None,
     None),
    ("За даними ДСНС, внаслідок удару дрона по {dat} спалахнула пожежа на складі.", "air", "asserted", None,
     SUSPILNE, ("ДСНС", "government", "UA"), None),
    ("Ворожа ДРГ намагалася проникнути на околиці {gen}, але була знищена.", "clash", "failed", "RU", GENSTAFF_UA,
     None, None),
    ("Українські військові просунулися на південь від {gen}, повідомив DeepState.", "clash", "asserted", "UA",
     SUSPILNE, ("DeepState", "analyst", "UA"), None),
    ("Противник накопичує сили біля {gen} і перекидає туди резерви.", "change", "asserted", "RU", GENSTAFF_UA, None,
     None),
    ("Росіяни завдали удару «Шахедами» по енергетичній інфраструктурі у {loc}.", "air", "asserted", "RU",
     ("Укрінформ", "wire", "UA"), None, None),
    ("За даними 3 ОШБр, українські штурмовики звільнили {acc}.", "regain", "asserted", "UA", SUSPILNE,
     ("3 ОШБр", "military", "UA"), None),
    ("Увага! У {loc} оголошено повітряну тривогу, прямуйте до укриттів.", None, None, None, DONETSK_OVA, None, None),
    ("Просимо жителів {gen} евакуюватися, поки є така можливість.", None, None, None, DONETSK_OVA, None, None),
    ("Футбольна команда з {gen} виграла матч першої ліги з рахунком 2:1.", None, None, None, SUSPILNE, None, None),
    ("Завтра у {loc} очікується мокрий сніг і до трьох градусів морозу.", None, None, None, SUSPILNE, None, None),
    ("Волонтери передали бійцям під {ins} два пікапи та тепловізор.", None, None, None, SUSPILNE, None, None),
    ("У {loc} відновили подачу води після ремонту водогону.", None, None, None, SUSPILNE, None, None),
    ("Шкільні канікули в громаді {gen} продовжили до кінця місяця.", None, None, None, SUSPILNE, None, None),
    ("Збір на дрони для побратимів, які тримають оборону під {ins}, закрито, дякуємо всім!", None, None, None,
     BRIGADE_47, None, None),
]
RU = [
    ("Подразделения группировки войск «Центр» отразили три атаки ВСУ в районе {gen}.", "clash", "failed", "UA",
     MOD_RU, None, None),
    ("Средствами ПВО над {ins} сбиты пять украинских беспилотников.", "disrupt", "asserted", "RU", MOD_RU, None,
     None),
    ("Подразделения группировки войск «Юг» освободили населенный пункт {nom}.", "overtake", "asserted", "RU", MOD_RU,
     None, None),
    ("ВСУ нанесли удар из HIMARS по {dat}, погибли двое мирных жителей, сообщил Денис Пушилин.", "shell",
     "asserted", "UA", LOCAL_RU, ("Денис Пушилин", "government", "RU"), None),
    ("Наши штурмовики продвинулись на окраинах {gen} и закрепились в лесополосе.", "clash", "asserted", "RU", RYBAR,
     None, None),
    ("Противник пытался контратаковать под {ins}, но был отброшен.", "clash", "failed", "UA", TWO_MAJORS, None,
     None),
    ("Если противник оставит позиции в {loc}, то оборона на всем участке посыплется.", "withdraw", "hypothetical",
     "UA", RYBAR, None, None),
    ("Сообщения о прорыве ВСУ у {gen} не соответствуют действительности, заявили в Минобороны России.", "clash",
     "negated", "UA", RIA, MOD_RU, None),
    ("В ночь на 5 марта российская авиация нанесла удар по позициям ВСУ в районе {gen}.", "air", "asserted", "RU",
     TWO_MAJORS, None, ("2024-03-04", "2024-03-05")),
    ("Артиллерия ВСУ обстреливает жилые кварталы в {loc} уже третий день.", "shell", "asserted", "UA", RIA, None,
     None),
    ("ВС РФ нанесли ракетный удар по {dat}, сообщил глава ОВА Вадим Филашкин.", "shell", "asserted", "RU", RIA,
     ("Вадим Филашкин", "government", "UA"), None),
    ("Бойцы 155-й бригады морской пехоты уничтожили опорный пункт противника под {ins}.", "clash", "asserted", "RU",
     MOD_RU, None, None),
    ("Группировка войск «Запад» улучшила положение по переднему краю у {gen}.", "clash", "asserted", "RU", MOD_RU,
     None, None),
    ("В {loc} из-за обстрела ВСУ повреждена подстанция, без света остались три тысячи человек.", "shell",
     "asserted", "UA", LOCAL_RU, None, None),
    ("Украинские военные взорвали мост у {gen}, чтобы задержать наступление.", "destroy", "asserted", "UA",
     ("WarGonzo", "milblogger", "RU"), None, None),
    ("По данным ТАСС, ВСУ перебрасывают резервы к {dat}.", "change", "asserted", "UA", RIA,
     ("ТАСС", "wire", "RU"), None),
    ("Дрон-камикадзе ВСУ атаковал автобус в {loc}, пострадали четыре человека.", "air", "asserted", "UA", RIA, None,
     None),
    ("15 марта подразделения ВСУ вновь заняли позиции на окраине {gen}.", "clash", "asserted", "UA", RYBAR, None,
     ("2024-03-15", "2024-03-15")),
    ("Внимание: в {loc} объявлена воздушная тревога, пройдите в укрытие.", None, None, None, LOCAL_RU, None, None),
    ("Жителей {gen} просят без необходимости не выходить на улицу.", None, None, None, LOCAL_RU, None, None),
    ("В {loc} завтра ожидается до плюс пятнадцати и небольшой дождь.", None, None, None, LOCAL_RU, None, None),
    ("Юношеская команда из {gen} заняла второе место на турнире по вольной борьбе.", None, None, None, LOCAL_RU, None,
     None),
    ("Гуманитарный груз для жителей {gen} доставили волонтеры.", None, None, None, LOCAL_RU, None, None),
    ("Прошу всех, кто может, помочь ребятам под {ins} маскировочной сеткой и генераторами.", None, None, None,
     TWO_MAJORS, None, None),
    ("В {loc} открыли новый пункт выдачи пенсий.", None, None, None, LOCAL_RU, None, None),
    ("Наши бойцы продолжают удерживать позиции под {ins}.", None, None, None, RYBAR, None, None),
]
COPIES = 6


def place_for(template: int, copy: int) -> tuple:
    return PLACES[(template * 5 + copy * 7) % len(PLACES)]


def record(language: str, template: int, copy: int, spec: tuple, line: int) -> dict:
    text, subtype, status, side, channel, speaker, date = spec
    place = place_for(template, copy)
    forms = dict(zip(CASES, place[4] if language == "uk" else place[5]))
    # The accusative of a feminine name in -а ends in -у (Кліщіївку, Кремінну); others keep the nominative.
    forms["acc"] = forms["nom"][:-1] + "у" if forms["nom"].endswith("а") else forms["nom"]
    events = []
    if subtype is not None:
        event_type, sub_event_type = SUBTYPES[subtype]
        events.append({"event_type": event_type, "sub_event_type": sub_event_type, "status": status,
                       "actor1_side": side, "actor2_side": None,
                       "place": {"name": place[0], "geonameid": place[1], "lat": place[2], "lon": place[3],
                                 "role": "location"},
                       "date": None if date is None else {"start": date[0], "end": date[1], "precision": "day"}})
    source = speaker or channel
    return {"id": f"{language}-{template + 1:02d}-{copy + 1}", "language": language,
            "split": "test" if line % 3 == 0 else "dev",  # every third line of the file (1-based) is test
            "text": text.format(**forms), "published": PUBLISHED, "outlet": channel[0],
            "events": events, "source": {"name": source[0], "kind": source[1], "side": source[2]}}


def main() -> None:
    lines, line = [], 0
    for language, templates in (("uk", UK), ("ru", RU)):
        for template, spec in enumerate(templates):
            for copy in range(COPIES):
                line += 1
                lines.append(json.dumps(record(language, template, copy, spec, line), ensure_ascii=False))
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
