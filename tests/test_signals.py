"""sitrep.signals: control signals inside one claim. Sentences written by the team."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from sitrep.errors import ConfigError, InputError
from sitrep.models import Actor, Claim, Event, EventDate, Place, Source
from sitrep.signals import control_signals, is_settlement, load_rules, parse_rules

# Rough coordinates: only their presence matters to the stage.
SETTLEMENTS = {
    "Robotyne": (47.45, 35.84), "Verbove": (47.46, 35.94), "Avdiivka": (48.14, 37.75),
    "Krynky": (46.73, 33.09), "Bakhmut": (48.59, 38.00), "Andriivka": (48.50, 37.97),
    "Klishchiivka": (48.53, 37.97), "Marinka": (47.94, 37.50), "Staromaiorske": (47.67, 36.69),
    "Tokmak": (47.25, 35.71), "Vuhledar": (47.78, 37.25), "Kherson": (46.64, 32.61),
}
REGIONS = {"Donetsk region": (48.05, 37.80), "Zaporizhzhia region": (47.50, 35.50)}
NAMES = re.compile("|".join(sorted(map(re.escape, [*SETTLEMENTS, *REGIONS]), key=len, reverse=True)))


def make_claim(text: str, *, before: str = "", source_side: str = "unknown", status: str = "asserted",
               actor1: str | None = None, event_place: str | None = None, date: EventDate | None = None,
               event: bool = True) -> tuple[str, Claim, list[tuple[int, Place]]]:
    """A document made of ``before`` and the claim's ``text``, its places found by name, and the claim.
    ``event_place`` names the mention (anywhere in the document) that is the event's place."""
    document_text = before + text
    places = []
    for match in NAMES.finditer(document_text):
        name = match.group(0)
        latitude, longitude = SETTLEMENTS.get(name) or REGIONS[name]
        region = name in REGIONS
        places.append(Place(mention=name, start=match.start(), end=match.end(), geonameid=len(places) + 1,
                            name=name, feature="ADM1" if region else "PPL", country="UA", lat=latitude,
                            lon=longitude, precision=3 if region else 1))
    indexed = list(enumerate(places))
    place_index = next((index for index, place in indexed if place.mention == event_place), None)
    start = len(before)
    claim = Claim(
        id=f"doc:{start}-{len(document_text)}", start=start, end=len(document_text), text=text, confidence=0.9,
        source=Source(name="the speaker", kind="military", side=source_side, channel="telegram"),
        event=Event(status=status, place=place_index, date=date,
                    actor1=Actor(name="someone", side=actor1) if actor1 else None) if event else None)
    return document_text, claim, indexed


def signals_of(text: str, **options):
    document_text, claim, places = make_claim(text, **options)
    signals = control_signals(claim, "doc", places)
    for signal in signals:
        assert document_text[signal.start:signal.end] == signal.text
        assert claim.start <= signal.start < signal.end <= claim.end
    return signals, places


def summary(signals, places) -> list[tuple]:
    return [(signal.effect, signal.actor_side, signal.state,
             places[signal.place][1].mention if signal.place is not None else None) for signal in signals]


CASES = [
    # captured -> the taker holds it; active, passive, "fell to", flag, noun with a named taker
    ("Ukrainian marines captured Krynky on Tuesday.", {}, [("captured", "UA", "UA", "Krynky")]),
    ("Russian forces took control of the village of Marinka.", {}, [("captured", "RU", "RU", "Marinka")]),
    ("Staromaiorske was liberated by Ukrainian troops.", {}, [("captured", "UA", "UA", "Staromaiorske")]),
    ("Bakhmut fell to Wagner fighters in May.", {}, [("captured", "RU", "RU", "Bakhmut")]),
    ("Ukrainian soldiers raised the national flag over Klishchiivka.", {},
     [("captured", "UA", "UA", "Klishchiivka")]),
    ("Wagner's conquest of Bakhmut took nine months.", {}, [("captured", "RU", "RU", "Bakhmut")]),
    ("Kyiv's forces recaptured Klishchiivka and Andriivka.", {},
     [("captured", "UA", "UA", "Klishchiivka"), ("captured", "UA", "UA", "Andriivka")]),
    # withdrew -> the other side holds it
    ("Russian troops withdrew from Robotyne overnight.", {}, [("withdrew", "RU", "UA", "Robotyne")]),
    ("Ukrainian units were pushed out of Marinka.", {}, [("withdrew", "UA", "RU", "Marinka")]),
    ("Russia withdrew its troops from Kherson in November.", {}, [("withdrew", "RU", "UA", "Kherson")]),
    # a destination is not the place left, and a clause that names it implies no other place
    ("Russian units fell back towards Tokmak.", {"event_place": "Tokmak"}, [("withdrew", "RU", "UA", None)]),
    # holding -> the holder
    ("Russian forces still hold Avdiivka.", {}, [("holding", "RU", "RU", "Avdiivka")]),
    ("Avdiivka remains under Ukrainian control.", {}, [("holding", "UA", "UA", "Avdiivka")]),
    ("Robotyne remains under the control of Russian troops.", {}, [("holding", "RU", "RU", "Robotyne")]),
    ("Russian troops fully control Verbove.", {}, [("holding", "RU", "RU", "Verbove")]),
    ("The Russian-held town of Tokmak was shelled overnight.", {}, [("holding", "RU", "RU", "Tokmak")]),
    # repelled / failed_attack
    ("Ukrainian troops repelled Russian attacks near Andriivka.", {}, [("repelled", "UA", "UA", "Andriivka")]),
    ("Russian attacks near Marinka were repelled.", {}, [("failed_attack", "RU", "UA", "Marinka")]),
    ("Russian forces have not been able to take Vuhledar.", {}, [("failed_attack", "RU", "UA", "Vuhledar")]),
    ("Russian forces tried to storm Avdiivka but failed.", {}, [("failed_attack", "RU", "UA", "Avdiivka")]),
    ("Ukrainian forces attacked near Verbove but were repelled.", {},
     [("failed_attack", "UA", "RU", "Verbove")]),
    # the defenders have no side, and they keep actor1 from standing in for them
    ("The defenders repelled an assault on Avdiivka.", {"actor1": "RU"},
     [("repelled", "unknown", "unknown", "Avdiivka")]),
    # advancing into a settlement -> contested; near, towards or around it -> still the other side's
    ("Ukrainian forces advanced near Verbove.", {}, [("advancing", "UA", "RU", "Verbove")]),
    ("Ukrainian troops have entered Andriivka.", {}, [("advancing", "UA", "contested", "Andriivka")]),
    # a bearing ("west of Avdiivka") is not the place of the advance
    ("Russian troops gained ground west of Avdiivka.", {}, [("advancing", "RU", "contested", None)]),
    ("Ukrainian forces pushed back Russian units and entered Andriivka.", {},
     [("advancing", "UA", "contested", None), ("advancing", "UA", "contested", "Andriivka")]),
    # contested
    ("Fighting for control of Klishchiivka continues.", {},
     [("contested", "unknown", "contested", "Klishchiivka")]),
    ("Krynky is now a grey zone.", {}, [("contested", "unknown", "contested", "Krynky")]),
    ("Street fighting is going on in Bakhmut.", {}, [("contested", "unknown", "contested", "Bakhmut")]),
    ("Fighting was fierce.", {}, []),
    # "our" and "the enemy" depend on the speaker
    ("Our troops liberated Staromaiorske.", {"source_side": "UA"}, [("captured", "UA", "UA", "Staromaiorske")]),
    ("Our troops liberated Marinka.", {"source_side": "RU"}, [("captured", "RU", "RU", "Marinka")]),
    ("The enemy retreated from Klishchiivka.", {"source_side": "UA"},
     [("withdrew", "RU", "UA", "Klishchiivka")]),
    ("The enemy retreated from Klishchiivka.", {}, [("withdrew", "unknown", "unknown", "Klishchiivka")]),
    ("Russia's defence ministry said its forces had captured Marinka.", {"source_side": "RU"},
     [("captured", "RU", "RU", "Marinka")]),
    # a list of settlements gives one signal each
    ("Ukrainian forces repelled 15 attacks near Avdiivka, Marinka and Vuhledar.", {},
     [("repelled", "UA", "UA", "Avdiivka"), ("repelled", "UA", "UA", "Marinka"),
      ("repelled", "UA", "UA", "Vuhledar")]),
    # an aside, a prepositional phrase and a subordinate clause do not give the subject
    ("Russian forces, facing Ukrainian drones, captured Marinka.", {}, [("captured", "RU", "RU", "Marinka")]),
    ("Soldiers from the Ukrainian 47th Brigade entered Robotyne.", {},
     [("advancing", "unknown", "contested", "Robotyne")]),
    ("Ukrainian troops advanced toward Verbove after Russian forces abandoned Robotyne.", {},
     [("advancing", "UA", "RU", "Verbove"), ("withdrew", "RU", "UA", "Robotyne")]),
    # units near a settlement that pull back have not necessarily left it
    ("Russian units near Bakhmut pulled back after heavy shelling.", {"event_place": "Bakhmut"},
     [("withdrew", "RU", "UA", None)]),
    # the speaker's words never give the actor of what they report
    ("According to Russian bloggers, troops withdrew from Krynky.", {},
     [("withdrew", "unknown", "unknown", "Krynky")]),
    # a region is never the place
    ("Russian forces advanced in the Donetsk region.", {}, [("advancing", "RU", "contested", None)]),
    # adjectives, infinitives, modals and objects that are not settlements give nothing
    ("Ukrainian artillery hit retreating Russian units near Tokmak.", {}, []),
    ("Russian shelling hit the liberated village of Robotyne.", {}, []),
    ("It was unacceptable for Russia to retreat from Bakhmut.", {}, []),
    ("Russian forces could soon capture Avdiivka.", {}, []),
    ("Russian forces captured two Ukrainian soldiers near Bakhmut.", {}, []),
    ("Russian forces used advanced drones near Avdiivka.", {}, []),
    ("Russian forces stormed Marinka again.", {}, []),
]


# The error classes found on real reporting (docs/eval-control.md), one group each; sentences are ours.
REAL_REPORTING_CASES = [
    # 1. a negated or blocked advance is no advance: blocked, it is the advancing side's failed attack
    ("Ukrainian troops continue to repel Russian advances on Bakhmut.", {},
     [("repelled", "UA", "UA", "Bakhmut"), ("failed_attack", "RU", "UA", "Bakhmut")]),
    ("Russian forces failed to make significant advances in assaults on Avdiivka.", {},
     [("failed_attack", "RU", "UA", "Avdiivka")]),
    ("Ukrainian forces were hindering Russian advances towards Vuhledar.", {},
     [("failed_attack", "RU", "UA", "Vuhledar")]),
    ("Russian troops shelled Kherson to impede Ukrainian advances towards Tokmak.", {},
     [("failed_attack", "UA", "RU", "Tokmak")]),
    # 2. an advance towards, near or around a place, or encircling it: the place is still the other side's
    ("Russian forces advanced towards Avdiivka.", {}, [("advancing", "RU", "UA", "Avdiivka")]),
    ("Russian forces made gains around Marinka.", {}, [("advancing", "RU", "UA", "Marinka")]),
    ("Russian forces encircled Vuhledar.", {}, [("advancing", "RU", "UA", "Vuhledar")]),
    ("Russian forces advanced in Marinka.", {}, [("advancing", "RU", "contested", "Marinka")]),
    # ... and a settlement far after the advance, past another phrase, is not its object
    ("Russian forces made advances in the south and reportedly dug new trenches near the road to Vuhledar.", {},
     [("advancing", "RU", "contested", None)]),
    # 3. an origin, a bearing, an area or a front is not the place
    ("Ukrainian forces repelled Russian attacks from Tokmak toward Robotyne.", {},
     [("repelled", "UA", "UA", "Robotyne")]),
    ("Ukrainian forces repelled Russian attacks south of Bakhmut.", {}, [("repelled", "UA", "UA", None)]),
    ("Russian forces made gains in the Bakhmut-Klishchiivka area.", {}, [("advancing", "RU", "contested", None)]),
    ("Russian forces attempted to advance northwest of Marinka but failed.", {"event_place": "Marinka"},
     [("failed_attack", "RU", "UA", None)]),
    # 4. units described by where they fight are not a fight for the place
    ("Russian units fighting in Bakhmut received fresh ammunition.", {}, []),
    ("Street fighting continues in Bakhmut.", {}, [("contested", "unknown", "contested", "Bakhmut")]),
    # 5. intent, prevention and rotation are no change of control
    ("Russian forces remain focused on taking Avdiivka.", {}, []),
    ("Russian forces remain concentrated on capturing Avdiivka and Marinka.", {}, []),
    ("Ukrainian forces prevented Russian troops from seizing Kherson.", {}, []),
    ("The Russian command withdrew units of a brigade from Tokmak to restore their combat capability.", {}, []),
    ("Russian forces pushed Ukrainian troops away from Avdiivka.", {}, []),
    ("Russian forces pushed Ukrainian troops out of Avdiivka.", {}, [("captured", "RU", "RU", "Avdiivka")]),
]

# The second round of ISW 2022 error classes (docs/eval-control.md, "Second round"), in the team's
# own sentences. A signal about no settlement (None) is not stored: it says nothing about any place.
DESCRIPTION_CASES = [
    # descriptions of who holds a place, said in passing, are holding evidence
    ("Partisans blew up a car in occupied Tokmak on Sunday.", {}, [("holding", "RU", "RU", "Tokmak")]),
    ("Occupation authorities in Tokmak announced a curfew.", {}, [("holding", "RU", "RU", "Tokmak")]),
    ("The Russian-appointed mayor of Tokmak fled.", {}, [("holding", "RU", "RU", "Tokmak")]),
    ("A drone hit the rail depot of Tokmak, a Russian-held town south of Orikhiv.", {},
     [("holding", "RU", "RU", "Tokmak")]),
    ("The convoy drove on to Tokmak, a Russian-held town.", {}, [("holding", "RU", "RU", "Tokmak")]),
    ("Robotyne, now controlled by Ukrainian forces, was shelled.", {}, [("holding", "UA", "UA", "Robotyne")]),
    ("Russian forces struck the Ukrainian-controlled city of Kherson.", {}, [("holding", "UA", "UA", "Kherson")]),
    # a verb "occupied" is a capture, not a description
    ("Russian forces occupied Robotyne on Monday.", {}, []),
    # a facility, a body or a border named after a place is not the place
    ("Troops were seen near the Russian-occupied Vuhledar power plant.", {}, [("holding", "RU", "RU", None)]),
    ("Russian forces made gains near the Bakhmut-Avdiivka administrative border.", {},
     [("advancing", "RU", "contested", None)]),
    ("Ukrainian defenders in Marinka's chemical plant repelled an assault.", {}, [("repelled", "UA", "UA", None)]),
    # holding positions around a place, or holding out in it, does not say who holds it
    ("Russian forces continued to hold positions around Bakhmut.", {}, [("holding", "RU", "RU", None)]),
    ("Ukrainian defenders continued to hold out in Marinka.", {}, []),
    # a route, and the places listed after a bearing, are not the object of an advance
    ("Russian forces advanced towards Bakhmut via Klishchiivka and Andriivka.", {},
     [("advancing", "RU", "UA", "Bakhmut")]),
    # what has not happened yet, across a clause break
    ("The offensive will likely culminate before capturing Bakhmut.", {}, []),
    # repulses all around a place do not say who holds it: kept with state unknown
    ("Ukrainian forces repelled Russian attacks around Avdiivka.", {}, [("repelled", "UA", "unknown", "Avdiivka")]),
    ("Ukrainian forces repelled Russian attacks near Avdiivka.", {}, [("repelled", "UA", "UA", "Avdiivka")]),
]


@pytest.mark.parametrize("text, options, expected", DESCRIPTION_CASES,
                         ids=[case[0][:50] for case in DESCRIPTION_CASES])
def test_signals_of_descriptions_and_second_round_classes(text, options, expected):
    signals, places = signals_of(text, **options)
    assert summary(signals, places) == expected


def _with_capitals(text: str, capitals: set[str]):
    """``make_claim`` with the named settlements made seats of their regions (PPLA)."""
    document_text, claim, places = make_claim(text)
    places = [(index, place.model_copy(update={"feature": "PPLA"}) if place.mention in capitals else place)
              for index, place in places]
    return control_signals(claim, "doc", places), places


def test_regional_capitals_listed_bare_name_their_regions():
    signals, places = _with_capitals("Ukrainian forces repelled attacks in Kherson and Bakhmut.",
                                     {"Kherson", "Bakhmut"})
    assert summary(signals, places) == [("repelled", "UA", "UA", None)]  # about no settlement
    signals, places = _with_capitals("Ukrainian forces repelled attacks in Kherson City and Bakhmut.",
                                     {"Kherson", "Bakhmut"})
    assert [(signal.effect, places[signal.place][1].mention) for signal in signals] == [("repelled", "Kherson")]
    # one capital alone is the city
    signals, places = _with_capitals("Ukrainian forces repelled attacks in Kherson.", {"Kherson"})
    assert summary(signals, places) == [("repelled", "UA", "UA", "Kherson")]


def test_authorities_of_a_bare_regional_capital_are_the_regions():
    signals, places = _with_capitals("Occupation authorities in Kherson announced a curfew.", {"Kherson"})
    assert signals == []
    signals, places = _with_capitals("Occupation authorities in Kherson City announced a curfew.", {"Kherson"})
    assert summary(signals, places) == [("holding", "RU", "RU", "Kherson")]
    # a description of the place itself still counts
    signals, places = _with_capitals("Protests continued in occupied Kherson.", {"Kherson"})
    assert summary(signals, places) == [("holding", "RU", "RU", "Kherson")]


@pytest.mark.parametrize("text, options, expected", REAL_REPORTING_CASES,
                         ids=[case[0][:50] for case in REAL_REPORTING_CASES])
def test_signals_of_real_reporting_error_classes(text, options, expected):
    signals, places = signals_of(text, **options)
    assert summary(signals, places) == expected


def test_a_negated_advance_is_kept_but_negated():
    signals, places = signals_of("Russian forces did not make any territorial gains near Marinka.")
    assert summary(signals, places) == [("advancing", "RU", "UA", "Marinka")]
    assert signals[0].status == "negated"  # the timeline does not count it


def test_a_district_mention_is_not_the_settlement():
    document_text, claim, places = make_claim("Russian forces advanced in the Bakhmut district.")
    district = places[0][1].model_copy(update={"mention": "Bakhmut district", "end": places[0][1].end + 9})
    assert control_signals(claim, "doc", [(0, district)])[0].place is None


@pytest.mark.parametrize("text, options, expected", CASES, ids=[case[0][:50] for case in CASES])
def test_signals_of_sentences(text, options, expected):
    signals, places = signals_of(text, **options)
    assert summary(signals, places) == expected


def test_signals_start_at_distinct_offsets():
    """The store keys signals by claim and start offset, so no two signals of a claim share one."""
    for text, options, _ in CASES:
        signals, _ = signals_of(text, **options)
        assert len({signal.start for signal in signals}) == len(signals), text


def test_offsets_are_document_offsets():
    before = "Shelling went on near Tokmak all week. "
    document_text, claim, places = make_claim("Russian troops withdrew from Robotyne.", before=before)
    (signal,) = control_signals(claim, "doc", places)
    assert signal.start > len(before)
    assert document_text[signal.start:signal.end] == signal.text == "withdrew from Robotyne"
    assert places[signal.place][1].mention == "Robotyne"
    assert (signal.claim_id, signal.document_id) == (claim.id, "doc")


def test_split_attribution_gives_the_second_half_to_others():
    text = ("Some Russian bloggers said that Russian units guarding Andriivka had retreated in disorder, "
            "but others have said that the Russian defence there was still holding firm.")
    signals, places = signals_of(text, source_side="RU", event_place="Andriivka")
    assert summary(signals, places) == [("withdrew", "RU", "UA", "Andriivka"), ("holding", "RU", "RU", "Andriivka")]
    first, second = signals
    assert first.source.name == "the speaker"
    assert second.source == Source(name="others", kind="military", side="RU", role="others than the speaker",
                                   channel="telegram")


@pytest.mark.parametrize("text", [
    "Ukrainian sources say their troops entered Andriivka, while others insist that Russian forces hold Andriivka.",
    "Ukrainian sources say their troops entered Andriivka, whereas other Russian bloggers claim that Russian "
    "forces hold Andriivka.",
])
def test_split_attribution_while_and_whereas(text):
    signals, places = signals_of(text, source_side="UA")
    assert summary(signals, places) == [("advancing", "UA", "contested", "Andriivka"),
                                        ("holding", "RU", "RU", "Andriivka")]
    assert [signal.source.name for signal in signals] == ["the speaker", "others"]


@pytest.mark.parametrize("status", ["hypothetical", "planned"])
def test_unreal_claims_give_no_signals(status):
    signals, _ = signals_of("Ukrainian forces took Tokmak and Robotyne.", status=status)
    assert signals == []


def test_failed_claim_turns_an_attack_into_a_failed_attack():
    signals, places = signals_of("Russian forces attempted to capture Marinka.", status="failed")
    assert summary(signals, places) == [("failed_attack", "RU", "UA", "Marinka")]
    assert signals[0].status == "asserted"
    # the same words in an asserted claim do not say how the attempt ended
    assert signals_of("Russian forces attempted to capture Marinka.")[0] == []


def test_failed_claim_keeps_signals_that_are_no_attack():
    signals, places = signals_of("Ukrainian forces advanced near Verbove but could not take Tokmak.", status="failed")
    assert summary(signals, places) == [("advancing", "UA", "RU", "Verbove"),
                                        ("failed_attack", "UA", "RU", "Tokmak")]
    assert [signal.status for signal in signals] == ["asserted", "asserted"]


@pytest.mark.parametrize("text, status, expected", [
    ("Russian forces have not captured Avdiivka.", "negated", "negated"),
    ("Avdiivka is no longer under Ukrainian control.", "asserted", "negated"),
    ("Russian forces held Bakhmut for most of 2023.", "historical", "historical"),
    ("Ukrainian forces have likely advanced near Robotyne.", "assessment", "assessment"),
    ("Russian forces still hold Avdiivka.", "asserted", "asserted"),
])
def test_status_is_kept_or_negated(text, status, expected):
    signals, _ = signals_of(text, status=status)
    assert [signal.status for signal in signals] == [expected]


def test_absorbed_negation_is_not_applied_twice():
    signals, _ = signals_of("Russian forces have not been able to take Vuhledar.", status="negated")
    assert [(signal.effect, signal.status) for signal in signals] == [("failed_attack", "asserted")]


def test_date_is_the_event_date():
    date = EventDate(start=dt.date(2023, 8, 28), end=dt.date(2023, 8, 28), precision="day", expression="Monday")
    signals, _ = signals_of("Ukrainian forces captured Robotyne on Monday.", date=date)
    assert signals[0].date == date
    assert signals_of("Ukrainian forces captured Robotyne.")[0][0].date is None


@pytest.mark.parametrize("text, actor1, expected", [
    ("Marinka was captured on Tuesday.", "RU", ("captured", "RU", "RU", "Marinka")),
    ("Marinka was captured on Tuesday.", None, ("captured", "unknown", "unknown", "Marinka")),
    # a withdrawal is not what actor1 did, so actor1 does not stand in for its actor
    ("Troops withdrew from Krynky.", "RU", ("withdrew", "unknown", "unknown", "Krynky")),
])
def test_actor1_fills_in_only_where_the_clause_names_nobody(text, actor1, expected):
    signals, places = signals_of(text, actor1=actor1)
    assert summary(signals, places) == [expected]


def test_place_falls_back_to_the_event_place_when_it_is_a_settlement():
    text = "Russian units guarding the flanks had given way and retreated."
    signals, places = signals_of(text, before="Shelling went on in Bakhmut. ", event_place="Bakhmut")
    assert summary(signals, places) == [("withdrew", "RU", "UA", "Bakhmut")]
    signals, places = signals_of(text, before="Shelling went on in the Donetsk region. ",
                                 event_place="Donetsk region")
    assert summary(signals, places) == [("withdrew", "RU", "UA", None)]


def test_the_village_is_the_settlement_named_just_before():
    signals, places = signals_of("Russian units have withdrawn from the village.",
                                 before="Ukrainian troops reached Robotyne on Monday. ")
    assert summary(signals, places) == [("withdrew", "RU", "UA", "Robotyne")]
    far = "Ukrainian troops reached Robotyne on Monday. " + "Nothing else happened that week. " * 20
    signals, places = signals_of("Russian units have withdrawn from the village.", before=far)
    assert summary(signals, places) == [("withdrew", "RU", "UA", None)]


def test_claim_without_event():
    signals, places = signals_of("Russian troops withdrew from Robotyne.", event=False)
    assert summary(signals, places) == [("withdrew", "RU", "UA", "Robotyne")]
    assert signals[0].status == "asserted"


def test_is_settlement():
    settlement = Place(mention="Tokmak", start=0, end=6, feature="PPL", lat=47.2, lon=35.7)
    assert is_settlement(settlement)
    assert not is_settlement(settlement.model_copy(update={"feature": "ADM1"}))
    assert not is_settlement(settlement.model_copy(update={"lat": None, "lon": None}))
    assert not is_settlement(settlement.model_copy(update={"kind": "demonym"}))


def test_claim_whose_offsets_do_not_fit_its_text_is_an_input_error():
    _, claim, places = make_claim("Russian troops withdrew from Robotyne.")
    broken = claim.model_copy(update={"end": claim.end + 5})
    with pytest.raises(InputError, match="offsets"):
        control_signals(broken, "doc", places)


def test_places_outside_the_claim_are_ignored():
    _, claim, _ = make_claim("Russian troops withdrew.")
    stray = Place(mention="Robotyne", start=500, end=508, feature="PPL", lat=47.4, lon=35.8)
    (signal,) = control_signals(claim, "doc", [(0, stray)])
    assert signal.place is None


def test_rules_load():
    rules = load_rules()
    assert rules.version == 1
    assert {trigger.effect for trigger in rules.triggers} >= {
        "captured", "withdrew", "holding", "repelled", "advancing", "contested", "failed_attack"}


@pytest.mark.parametrize("text, message", [
    ("a: [", "not valid YAML"),
    ("- just a list", "no mapping"),
    ("version: 1", "sides"),
])
def test_broken_rules_are_config_errors(text, message):
    with pytest.raises(ConfigError, match=message):
        parse_rules(text)


def test_unknown_effect_in_rules_is_a_config_error():
    from importlib import resources

    text = resources.files("sitrep.data").joinpath("control.yaml").read_text("utf-8")
    with pytest.raises(ConfigError, match="unknown effect 'seized'"):
        parse_rules(text.replace("effect: captured", "effect: seized", 1))


# ---------------------------------------------------------------------------------------------
# With the real pipeline: spaCy, attribution, event typing and the built-in gazetteer make the
# claims, and the signals come from those stored claims. Slow (loads the spaCy model once).

PIPELINE_CASES = [
    ("Russian attacks near Marinka were repelled, Ukraine's military said.",
     [("failed_attack", "RU", "UA", "Marinka")]),
    ("Ukrainian officials said Russian forces still hold Tokmak.", [("holding", "RU", "RU", "Tokmak")]),
    ("Heavy fighting for Avdiivka continued through the night.",
     [("contested", "unknown", "contested", "Avdiivka")]),
    ("If Ukrainian forces take Verbove, the road to Tokmak will open.", []),
    ("Some Russian bloggers said Ukrainian troops had entered Andriivka, but others insisted that Russian "
     "forces still hold Andriivka.",
     [("advancing", "UA", "contested", "Andriivka"), ("holding", "RU", "RU", "Andriivka")]),
]


class TestWithSpacyPipeline:
    @pytest.mark.parametrize("text, expected", PIPELINE_CASES, ids=[case[0][:40] for case in PIPELINE_CASES])
    def test_stored_claims_give_signals(self, pipeline, make_document, text, expected):
        record = pipeline.process(make_document(text, published=dt.date(2023, 8, 1)))
        places = list(enumerate(record.places))
        found = []
        for claim in record.claims:
            for signal in control_signals(claim, record.document.id, places):
                assert record.document.text[signal.start:signal.end] == signal.text
                found.append((signal.effect, signal.actor_side, signal.state,
                              record.places[signal.place].mention if signal.place is not None else None))
        assert found == expected


def test_a_regional_seat_named_in_another_sentence_implies_no_place():
    options = {"before": "Russian attacks continued in Kherson. ", "event_place": "Kherson"}
    document_text, claim, places = make_claim("Ukrainian forces repelled them.", **options)
    assert summary(control_signals(claim, "doc", places), places) == [("repelled", "UA", "UA", "Kherson")]
    places = [(index, place.model_copy(update={"feature": "PPLA"})) for index, place in places]
    assert summary(control_signals(claim, "doc", places), places) == [("repelled", "UA", "UA", None)]
    # named inside the claim, the seat is still the place
    document_text, claim, places = make_claim("Ukrainian forces repelled attacks on Kherson.", event_place="Kherson")
    places = [(index, place.model_copy(update={"feature": "PPLA"})) for index, place in places]
    assert summary(control_signals(claim, "doc", places), places) == [("repelled", "UA", "UA", "Kherson")]


@pytest.mark.parametrize("sub_type, actor1, status, effect, state", [
    ("Non-state actor overtakes territory", "RU", "asserted", "captured", "RU"),
    ("Government regains territory", "UA", "negated", "captured", "UA"),
    ("Non-violent transfer of territory", "UA", "asserted", "withdrew", "RU"),
])
def test_a_ukrainian_or_russian_claim_gives_the_signal_of_its_coded_event(sub_type, actor1, status, effect, state):
    text = "Подразделения заняли Работино."
    place = Place(mention="Работино", start=text.index("Работино"), end=len(text) - 1, geonameid=695586,
                  name="Robotyne", feature="PPL", country="UA", lat=47.45, lon=35.84, precision=1)
    event = Event(event_type="Battles", sub_event_type=sub_type, status=status, trigger="заняли Работино",
                  actor1=Actor(name=actor1, side=actor1), place=0,
                  date=EventDate(start=dt.date(2024, 3, 5), end=dt.date(2024, 3, 5), precision="day"))
    claim = Claim(id="d:0-30", start=0, end=len(text), text=text, confidence=0.8, language="ru", event=event,
                  source=Source(name="Минобороны России", kind="government", side="RU"))
    [signal] = control_signals(claim, "d", [(0, place)])
    assert (signal.effect, signal.state, signal.status, signal.text) == (effect, state, status, "заняли Работино")


def test_fighting_near_a_place_in_russian_gives_no_signal():
    text = "Отражены атаки ВСУ в районе Работино."
    place = Place(mention="Работино", start=text.index("Работино"), end=len(text) - 1, geonameid=695586,
                  name="Robotyne", feature="PPL", country="UA", lat=47.45, lon=35.84, precision=1)
    event = Event(event_type="Battles", sub_event_type="Armed clash", status="failed", trigger="Отражены",
                  actor1=Actor(name="UA", side="UA"), place=0)
    claim = Claim(id="d:0-36", start=0, end=len(text), text=text, confidence=0.8, language="ru", event=event,
                  source=Source(name="Минобороны России", kind="government", side="RU"))
    assert control_signals(claim, "d", [(0, place)]) == []
