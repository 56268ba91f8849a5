"""The actor catalogue, actor finding and actor roles (sitrep.extract.actors).

The sentences below are written by the team for these tests; the places and units are real.
"""

from __future__ import annotations

import pytest

from sitrep.extract.actors import _build, _fold, assign_roles, find_actors, load_catalogue
from sitrep.errors import ConfigError

UA, RU = "UA", "RU"
AFU, RUAF = "ua.afu", "ru.armed_forces"


@pytest.fixture(scope="module")
def nlp(settings):
    from sitrep.extract.nlp import load_model

    return load_model(settings.spacy_model)


def first_sentence(nlp, text: str):
    return next(iter(nlp(text).sents))


def trigger_index(sentence, word: str | None) -> int | None:
    if word is None:
        return None
    return next(token.i for token in sentence if token.text == word)


# ------------------------------------------------------------------ the catalogue


def test_catalogue_loads_with_a_version():
    catalogue = load_catalogue()
    assert catalogue.version
    assert len(catalogue.entries) >= 60
    assert load_catalogue() is catalogue  # loaded once


def test_catalogue_ids_are_unique():
    ids = [entry.id for entry in load_catalogue().entries]
    assert len(ids) == len(set(ids))


def test_every_entry_has_side_kind_and_acled_name():
    for entry in load_catalogue().entries:
        assert entry.side in {"UA", "RU", "third-party", "unknown"}, entry.id
        assert entry.kind, entry.id
        assert entry.acled, entry.id


def test_parents_exist_and_children_inherit_their_side():
    catalogue = load_catalogue()
    for entry in catalogue.entries:
        if entry.parent:
            parent = catalogue.get(entry.parent)
            assert parent is not None, entry.id
            assert parent.side == entry.side, entry.id
    assert catalogue.get("ua.47th").acled == "Military Forces of Ukraine (2019-)"
    assert "ua.47th" in {child.id for child in catalogue.children("ua.ground_forces")}


@pytest.mark.parametrize("actor_id, acled", [
    ("ua.afu", "Military Forces of Ukraine (2019-)"),
    ("ru.armed_forces", "Military Forces of Russia (2000-)"),
    ("ru.wagner", "Wagner Group"),
    ("ua.civilians", "Civilians (Ukraine)"),
    ("ua.police", "Police Forces of Ukraine (2019-)"),
    ("ru.dpr", "DPR: Donetsk People's Republic"),
    ("ru.lpr", "LPR: Luhansk People's Republic"),
])
def test_acled_names_follow_acled(actor_id, acled):
    assert load_catalogue().get(actor_id).acled == acled


def test_every_alias_resolves_to_its_entry(nlp):
    """Each alias, alone in a sentence, is found whole and resolves to its own entry."""
    catalogue = load_catalogue()
    failures = []
    for entry in catalogue.entries:
        for alias in (*entry.aliases, *entry.cased):
            actors = find_actors(first_sentence(nlp, f"Reports mention {alias} here."))
            whole = [actor for actor in actors if _fold(actor.mention) == _fold(alias)]
            if not whole or whole[0].id != entry.id:
                failures.append((alias, entry.id, [(a.mention, a.id) for a in actors]))
    assert not failures, failures[:10]


@pytest.mark.parametrize("raw, message", [
    ({"entries": [{"id": "x", "name": "X", "side": "UA", "kind": "military", "acled": "A"},
                  {"id": "x", "name": "Y", "side": "UA", "kind": "military", "acled": "A"}]}, "used twice"),
    ({"entries": [{"id": "x", "name": "X", "side": "north", "kind": "military", "acled": "A"}]}, "needs a side"),
    ({"entries": [{"id": "x", "name": "X", "parent": "nowhere"}]}, "parent"),
    ({"entries": [{"id": "x", "name": "X", "side": "UA", "kind": "k", "acled": "A", "aliases": ["{nope} men"]}]},
     "unknown macro"),
])
def test_a_broken_catalogue_is_a_config_error(raw, message):
    with pytest.raises(ConfigError, match=message):
        _build(raw)


# ------------------------------------------------------------------ finding and roles

# (sentence, speaker side, trigger word, [(id, side) of every actor found], actor1 id, actor2 id)
CASES = [
    ("Russian forces repelled a Ukrainian attack near Robotyne.", "unknown", "repelled",
     [(RUAF, RU), (AFU, UA)], RUAF, AFU),
    ("Civilians were killed by Russian shelling in Kherson.", "unknown", "killed",
     [("ua.civilians", UA), (RUAF, RU)], RUAF, "ua.civilians"),
    ("Ukrainian marines pushed Russian troops out of Krynky.", "unknown", "pushed",
     [("ua.marines", UA), (RUAF, RU)], "ua.marines", RUAF),
    ("The 3rd Assault Brigade repelled an assault by Russian airborne troops near Andriivka.", "unknown",
     "repelled", [("ua.3rd_assault", UA), ("ru.vdv", RU)], "ua.3rd_assault", "ru.vdv"),
    ("Fighters of the 93rd Brigade destroyed two enemy tanks near Klishchiivka.", UA, "destroyed",
     [("ua.93rd", UA), (RUAF, RU)], "ua.93rd", RUAF),
    ("Units of the Vostok group of forces hit AFU personnel near Vuhledar.", RU, "hit",
     [("ru.group_vostok", RU), (AFU, UA)], "ru.group_vostok", AFU),
    ("Rosgvardia officers detained a man in Melitopol.", "unknown", "detained",
     [("ru.rosgvardia", RU), ("ua.civilians", UA)], "ru.rosgvardia", "ua.civilians"),
    ("Kraken fighters raided Russian positions near Vovchansk.", "unknown", "raided",
     [("ua.kraken", UA), (RUAF, RU)], "ua.kraken", RUAF),
    ("A missile strike by the Russian Aerospace Forces destroyed a school in Zaporizhzhia.", "unknown",
     "destroyed", [("ru.vks", RU)], "ru.vks", None),
    ("Belarusian troops held exercises near the border.", "unknown", "held",
     [("by.military", "third-party")], "by.military", None),
    ("Russian shelling damaged a hospital in Kherson.", "unknown", "damaged", [(RUAF, RU)], RUAF, None),
    ("Ukrainian forces shot down a Russian Su-34 jet over Donetsk region.", "unknown", "shot",
     [(AFU, UA), (RUAF, RU)], AFU, RUAF),
    ("Our defenders repelled 25 enemy attacks in the Pokrovsk direction.", UA, "repelled",
     [(AFU, UA), (RUAF, RU)], AFU, RUAF),
    ("The occupiers shelled Nikopol with heavy artillery.", UA, "shelled", [(RUAF, RU)], RUAF, None),
    ("Rashists fired on a residential area of Kherson.", UA, "fired", [(RUAF, RU)], RUAF, None),
    ("The Kyiv regime launched a drone attack on Belgorod, the ministry said.", RU, "launched",
     [("ua.government", UA)], "ua.government", None),
    ("Ukrainian border guards destroyed a Russian boat on the Dnipro River.", "unknown", "destroyed",
     [("ua.border_guard", UA), (RUAF, RU)], "ua.border_guard", RUAF),
    ("Storm-Z convicts attacked Ukrainian positions near Bakhmut.", "unknown", "attacked",
     [("ru.storm_z", RU), (AFU, UA)], "ru.storm_z", AFU),
    ("Chechen fighters of the Akhmat battalion entered Severodonetsk.", "unknown", "entered",
     [("ru.akhmat", RU), ("ru.akhmat", RU)], "ru.akhmat", None),
    ("Ukrainian police evacuated residents from Vovchansk.", "unknown", "evacuated",
     [("ua.police", UA), ("ua.civilians", UA)], "ua.police", "ua.civilians"),
    ("A woman was killed when a Russian drone hit her car in Kherson.", "unknown", "killed",
     [("ua.civilians", UA), (RUAF, RU)], RUAF, "ua.civilians"),
    ("Russian police detained protesters in Moscow.", "unknown", "detained", [("ru.police", RU)], "ru.police", None),
    ("Two people were injured when a Ukrainian drone crashed into a house in Kursk.", "unknown", "injured",
     [("ru.civilians", RU), (AFU, UA)], AFU, "ru.civilians"),
    ("A Ukrainian drone attack on Belgorod injured two residents.", "unknown", "injured",
     [(AFU, UA), ("ru.civilians", RU)], AFU, "ru.civilians"),
    ("The DPR militia shelled Ukrainian positions near Avdiivka.", "unknown", "shelled",
     [("ru.dpr", RU), (AFU, UA)], "ru.dpr", AFU),
    ("LPR forces took control of Lysychansk.", "unknown", "took", [("ru.lpr", RU)], "ru.lpr", None),
    ("Da Vinci Wolves fighters held the line near Pokrovsk.", "unknown", "held",
     [("ua.da_vinci_wolves", UA)], "ua.da_vinci_wolves", None),
    ("The Adam Tactical Group destroyed three Russian tanks.", "unknown", "destroyed",
     [("ua.adam", UA), (RUAF, RU)], "ua.adam", RUAF),
    ("The Black Sea Fleet launched Kalibr missiles at Odesa.", "unknown", "launched",
     [("ru.black_sea_fleet", RU)], "ru.black_sea_fleet", None),
    ("Ukrainian sea drones struck a Black Sea Fleet landing ship near Crimea.", "unknown", "struck",
     [(AFU, UA), ("ru.black_sea_fleet", RU)], AFU, "ru.black_sea_fleet"),
    ("The 76th Guards Air Assault Division took part in the assault on Kupiansk.", "unknown", "took",
     [("ru.76th_vdv", RU)], "ru.76th_vdv", None),
    ("Soldiers of the 58th Combined Arms Army mined the approaches to Tokmak.", "unknown", "mined",
     [("ru.58th_caa", RU)], "ru.58th_caa", None),
    ("The 1st Guards Tank Army attacked towards Kupiansk.", "unknown", "attacked", [("ru.1st_gta", RU)],
     "ru.1st_gta", None),
    ("The Azov brigade repelled Russian assaults near Torske.", "unknown", "repelled",
     [("ua.azov", UA), (RUAF, RU)], "ua.azov", RUAF),
    ("Enemy drones attacked a bus in Kherson, killing a driver.", UA, "attacked",
     [(RUAF, RU), ("ua.civilians", UA)], RUAF, "ua.civilians"),
    ("Russian forces killed two civilians in an artillery strike on Kupiansk.", "unknown", "killed",
     [(RUAF, RU), ("ua.civilians", UA)], RUAF, "ua.civilians"),
    ("HUR drones struck an oil refinery in Ryazan.", "unknown", "struck", [("ua.hur", UA)], "ua.hur", None),
    ("The National Guard of Ukraine captured three Russian soldiers near Siversk.", "unknown", "captured",
     [("ua.national_guard", UA), (RUAF, RU)], "ua.national_guard", RUAF),
    ("Russian FSB officers arrested a Ukrainian saboteur in Bryansk.", "unknown", "arrested",
     [("ru.fsb", RU), (AFU, UA)], "ru.fsb", AFU),
    ("Ukrainian artillery hit Russian troops crossing the river.", "unknown", "hit",
     [(AFU, UA), (RUAF, RU)], AFU, RUAF),
    ("Wagner mercenaries executed a Ukrainian prisoner of war.", "unknown", "executed", [("ru.wagner", RU)],
     "ru.wagner", None),
    ("Air defence shot down 12 drones over Belgorod overnight.", "unknown", "shot",
     [("ru.air_defence", RU)], "ru.air_defence", None),
    ("Air defence shot down 12 drones over Kyiv overnight.", "unknown", "shot",
     [("ua.air_defence", UA)], "ua.air_defence", None),
    ("Our troops destroyed an enemy ammunition depot.", RU, "destroyed", [(RUAF, RU), (AFU, UA)], RUAF, AFU),
    ("The 47th Brigade fought off attacks by the Tsentr group of forces near Avdiivka.", "unknown", "fought",
     [("ua.47th", UA), ("ru.group_tsentr", RU)], "ua.47th", "ru.group_tsentr"),
    ("The AFU shelled Donetsk, killing three residents, the DPR authorities said.", RU, "shelled",
     [(AFU, UA), ("ua.civilians", UA), ("ru.dpr", RU)], AFU, "ua.civilians"),
    ("Russia launched 40 drones at Odesa overnight, the Ukrainian Air Force said.", "unknown", "launched",
     [(RUAF, RU), ("ua.air_force", UA)], RUAF, None),
    ("Two civilians were wounded in a Russian drone strike on Nikopol, the governor said.", "unknown",
     "wounded", [("ua.civilians", UA), (RUAF, RU)], RUAF, "ua.civilians"),
    ("Kadyrovites and Rosgvardiya troops advanced towards Marinka.", "unknown", "advanced",
     [("ru.akhmat", RU), ("ru.rosgvardia", RU)], "ru.akhmat", None),
    ("Orcs attacked our positions near Bakhmut.", UA, "attacked", [(RUAF, RU), (AFU, UA)], RUAF, AFU),
    ("Wagner fighters captured Soledar after weeks of fighting.", "unknown", "captured", [("ru.wagner", RU)],
     "ru.wagner", None),
]


@pytest.mark.parametrize("text, speaker, trigger, expected, actor1, actor2", CASES,
                         ids=[case[0][:40] for case in CASES])
def test_actors_and_roles(nlp, text, speaker, trigger, expected, actor1, actor2):
    sentence = first_sentence(nlp, text)
    actors = find_actors(sentence, speaker)
    assert [(actor.id, actor.side) for actor in actors] == expected
    first, second = assign_roles(sentence, actors, trigger_index(sentence, trigger))
    assert (first.id if first else None, second.id if second else None) == (actor1, actor2)


@pytest.mark.parametrize("speaker, actor_id, side", [
    ("UA", RUAF, "RU"), ("RU", AFU, "UA"), ("unknown", None, "unknown"), ("third-party", None, "unknown"),
    ("nonsense", None, "unknown"),
])
def test_the_enemy_depends_on_the_speaker(nlp, speaker, actor_id, side):
    actors = find_actors(first_sentence(nlp, "The enemy shelled Huliaipole overnight."), speaker)
    assert [(actor.id, actor.side, actor.mention) for actor in actors] == [(actor_id, side, "The enemy")]
    if actor_id is None:
        assert actors[0].name == "The enemy"


@pytest.mark.parametrize("speaker, actor_id", [("UA", AFU), ("RU", RUAF), ("unknown", AFU)])
def test_our_forces_are_the_speakers_or_ukraines(nlp, speaker, actor_id):
    actors = find_actors(first_sentence(nlp, "Our forces held their positions near Toretsk."), speaker)
    assert [actor.id for actor in actors] == [actor_id]


@pytest.mark.parametrize("text", [
    "Russian-made drones were found in the field.",
    "He spoke Russian at home.",
    "Ships crossed the Sea of Azov.",
    "A convoy of trucks reached Zaporizhzhia.",
    "The fighting in Ukraine continued.",
    "The Dnipro River rose after the rain.",
])
def test_words_that_are_not_actors(nlp, text):
    assert find_actors(first_sentence(nlp, text)) == []


def test_offsets_point_into_the_document(nlp):
    document = ("Heading line\n\nShelling went on. Yesterday the occupiers shelled AFU units near Bakhmut, "
                "and Kyiv\u2019s forces answered.")
    paragraph_start = document.index("Shelling")
    doc = nlp(document[paragraph_start:])
    actors = [actor for sentence in doc.sents for actor in find_actors(sentence, "UA", offset=paragraph_start)]
    assert [actor.mention for actor in actors] == ["the occupiers", "AFU units", "Kyiv\u2019s forces"]
    for actor in actors:
        assert document[actor.start:actor.end] == actor.mention


def test_longest_match_wins_and_nothing_overlaps(nlp):
    actors = find_actors(first_sentence(nlp, "The General Staff of the Armed Forces of Ukraine reported clashes."))
    assert [(actor.id, actor.mention) for actor in actors] == [
        ("ua.general_staff", "General Staff of the Armed Forces of Ukraine")]


def test_roles_without_a_trigger_use_the_parse(nlp):
    sentence = first_sentence(nlp, "Ukrainian troops recaptured Andriivka from Russian forces.")
    first, second = assign_roles(sentence, find_actors(sentence), None)
    assert first.id == AFU
    assert second is None or second.id == RUAF


def test_roles_of_nothing_are_nothing(nlp):
    sentence = first_sentence(nlp, "It rained in Kharkiv.")
    assert assign_roles(sentence, [], None) == (None, None)


@pytest.mark.parametrize("text, actor1, actor2", [
    ("A Shahed drone was shot down over Kyiv overnight.", "UA", "RU"),
    ("HIMARS rockets hit an ammunition depot in Nova Kakhovka.", "UA", None),
    ("An Iskander missile struck the port of Odesa.", "RU", None),
])
def test_a_weapon_only_one_side_fields_names_the_doer(pipeline, text, actor1, actor2):
    from sitrep.ingest.base import document_id
    from sitrep.models import Document

    extraction = pipeline.process(Document(id=document_id(text), source="test.txt", text=text))
    event = next(claim.event for claim in extraction.claims if claim.event is not None)
    assert (event.actor1.side if event.actor1 else None) == actor1
    if actor2 is not None:
        assert event.actor2.side == actor2
