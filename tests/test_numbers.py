"""Quantities in a sentence (casualties, captures, equipment, distances) and ACLED-style deaths."""

from __future__ import annotations

import pytest

from sitrep.errors import InputError
from sitrep.models import Quantity
from sitrep.extract.numbers import fatalities, quantities


def _found(sentence: str) -> list[tuple]:
    return [(q.kind, q.value, q.unit, q.approximate) for q in quantities(sentence)]


@pytest.mark.parametrize("sentence, expected", [
    ("Russian shelling killed 6 civilians in Kherson.", [("killed", 6, None, False)]),
    ("Six soldiers were killed near Pokrovsk.", [("killed", 6, None, False)]),
    ("At least 12 dead after the strike on Zaporizhzhia.", [("killed", 12, None, True)]),
    ("More than 20 people were wounded in Sumy.", [("wounded", 20, None, True)]),
    ("Officials said 10 to 15 killed in the raid.", [("killed", 10, None, True)]),
    ("Between 10 and 15 people were killed in Izium.", [("killed", 10, None, True)]),
    ("Two killed and five wounded in Nikopol.", [("killed", 2, None, False), ("wounded", 5, None, False)]),
    ("The brigade took 40 prisoners near Kreminna.", [("captured", 40, None, False)]),
    ("Russian units captured 40 Ukrainian soldiers.", [("captured", 40, None, False)]),
    ("Gunners destroyed 3 tanks and 2 infantry fighting vehicles.",
     [("equipment", 3, "tank", False), ("equipment", 2, "infantry fighting vehicle", False)]),
    ("Air defences shot down 14 of 16 drones over Kyiv.",
     [("equipment", 14, "drone", False), ("other", 16, "drone", False)]),
    ("Troops advanced 2 km south of Robotyne.", [("distance", 2, "km", False)]),
    ("He fired from 1,200m at the trench.", [("distance", 1.2, "km", False)]),
    ("The sniper hit him from 1.5 kilometres.", [("distance", 1.5, "km", False)]),
    ("The strike left dozens of casualties.", []),
    ("Hundreds killed, the mayor said.", []),
    ("A 155mm shell landed in the yard.", []),
    ("In 2023 the front barely moved.", []),
    ("Turnout reached 90% in Lviv.", [("other", 90, "%", False)]),
    ("The battalion suffered 50 casualties.", [("casualties", 50, None, False)]),
    ("Three soldiers were killed in Vovchansk.", [("killed", 3, None, False)]),
    ("A civilian was killed in Kharkiv.", [("killed", 1, None, False)]),
    ("Two soldiers and three civilians were killed.", [("killed", 2, None, False), ("killed", 3, None, False)]),
    ("Twenty-one people died in Chernihiv.", [("killed", 21, None, False)]),
    ("Bakhmut, a town of 70,000 people, was shelled.", []),
    ("The channel has 1.2 million subscribers.", []),
    ("Two T-72 tanks were destroyed.", [("equipment", 2, "tank", False)]),
    ("They destroyed three Leopard 2 tanks.", [("equipment", 3, "tank", False)]),
    ("A drone was shot down over Odesa.", [("equipment", 1, "drone", False)]),
    ("Russia launched 40 drones at Kyiv.", [("other", 40, "drone", False)]),
    ("The death toll rose to 23.", [("killed", 23, None, False)]),
    ("Strikes on 9 July killed 4 residents.", [("killed", 4, None, False)]),
    ("A nine-month siege ended in May.", []),
    ("Six more Russian servicemen were taken prisoner.", [("captured", 6, None, False)]),
    ("Two hundred and fifty soldiers were missing.", [("missing", 250, None, False)]),
])
def test_quantities_table(sentence, expected):
    assert _found(sentence) == [(kind, float(value), unit, approximate) for kind, value, unit, approximate in expected]


def test_offsets_point_into_the_document():
    document = "Kherson, 3 March. The shelling killed 6 civilians and wounded 12 more in the city centre."
    offset = document.index("The shelling")
    found = quantities(document[offset:], offset)
    assert [q.kind for q in found] == ["killed", "wounded"]
    assert all(document[q.start:q.end] == q.text for q in found)
    assert found[0].text == "killed 6 civilians"


@pytest.mark.parametrize("sentence, deaths", [
    ("Officials said 10 to 15 killed in the raid.", 10),
    ("At least 12 dead after the strike.", 12),
    ("More than 20 people were killed.", 20),
    ("Three soldiers were killed.", 3),
    ("A civilian was killed in Kharkiv.", 1),
    ("Two killed and five wounded in Nikopol.", 2),
    ("Two soldiers and three civilians were killed.", 5),
    ("Dozens were killed, hundreds wounded.", None),
    ("The battalion suffered 50 casualties.", None),
    ("Gunners destroyed 3 tanks.", None),
])
def test_fatalities_count_conservatively(sentence, deaths):
    assert fatalities(quantities(sentence)) == deaths


def test_fatalities_of_no_quantities_is_none():
    assert fatalities([]) is None
    casualties = Quantity(kind="casualties", value=50, text="50 casualties", start=0, end=13)
    assert fatalities([casualties]) is None


def test_sentence_without_numbers_is_skipped():
    assert quantities("Fighting continued near the town, the governor said.") == []


def test_bad_input_is_a_clear_error():
    with pytest.raises(InputError, match="must be text"):
        quantities(12)


@pytest.mark.parametrize("text", [
    "killed 6 civilians and " * 900,
    "1," * 10000,
    "two " * 5000,
    "Бахмут обстріляли, загинули 3 людини, " * 500,
    '"an unclosed quote with 31 February and 12 soldiers ' * 400,
    "9" * 20000,
])
def test_long_unpunctuated_input_returns(text):
    assert len(text) >= 18000
    found = quantities(text, 5)
    assert all(text[q.start - 5:q.end - 5] == q.text for q in found)
