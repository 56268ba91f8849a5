"""Event typing: ACLED sub-type, mode and status of team-written sentences (sitrep.events)."""

from __future__ import annotations

import pytest

from tests.conftest import SHARED

CASE_DIR = SHARED / "data" / "eval" / "case2021"

AC, GRT, NSA = "Armed clash", "Government regains territory", "Non-state actor overtakes territory"
AIR, ART, IED = "Air/drone strike", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED"
CHEM, SUIC, GREN = "Chemical weapon", "Suicide bomb", "Grenade"
SEX, ATT, ABD = "Sexual violence", "Attack", "Abduction/forced disappearance"
PP, PWI, FORCE = "Peaceful protest", "Protest with intervention", "Excessive force against protesters"
RIOT, MOB = "Violent demonstration", "Mob violence"
AGR, ARR, CHG, DISR = "Agreement", "Arrest", "Change to group/activity", "Disrupted weapons use"
HQ, LOOT, NVT = "Headquarters or base established", "Looting/property destruction", "Non-violent transfer of territory"
ANY = object()  # the column is not what the row tests

# (sentence, sub-type or None, mode, status). Written by the team; places are real.
CASES = [
    # Battles
    ("Russian forces repelled a Ukrainian attack near Klishchiivka.", AC, ANY, "failed"),
    ("Ukrainian and Russian troops clashed on the outskirts of Avdiivka on Tuesday.", AC, ANY, "asserted"),
    ("Heavy fighting continued around Marinka throughout the night.", AC, ANY, "asserted"),
    ("Ukrainian units ambushed a Russian column on the road to Svatove.", AC, ANY, "asserted"),
    ("Russian troops tried to advance towards Kupiansk but were stopped by Ukrainian defenders.", AC, ANY, "failed"),
    ("A Ukrainian sniper killed two Russian soldiers near Kreminna.", AC, "small arms", "asserted"),
    ("Russian assaults near Bakhmut failed, the General Staff said.", AC, ANY, "failed"),
    ("Ukrainian forces recaptured the village of Staromaiorske in Donetsk region.", GRT, None, "asserted"),
    ("Ukrainian troops liberated Kherson after months of occupation.", GRT, None, "asserted"),
    ("Russian forces captured the village of Krasnohorivka after weeks of fighting.", GRT, None, "asserted"),
    ("The town of Vuhledar was taken by Russian troops in October.", GRT, None, "asserted"),
    ("Russian forces did not capture Robotyne, the Ukrainian military said.", GRT, None, "negated"),
    ("If Ukraine can take and hold the high ground, the city would be untenable.", GRT, None, "hypothetical"),
    ("Wagner fighters seized the salt mine town of Soledar.", GRT, None, "asserted"),
    ("Rebels seized the town of Bunagana from the Congolese army.", NSA, None, "asserted"),
    ("Islamist militants overran the town of Palma in northern Mozambique.", NSA, None, "asserted"),
    ("Russian forces likely captured Bohdanivka in the last 48 hours, analysts assessed.", GRT, None, "assessment"),
    ("Russia plans to launch a new offensive to capture Kupiansk this summer.", ANY, None, "planned"),
    # Explosions / remote violence
    ("Russian forces shelled Kherson overnight, wounding three civilians.", ART, "artillery", "asserted"),
    ("A Russian missile strike hit an apartment block in Dnipro.", ART, "missile", "asserted"),
    ("Rockets fired from a multiple launcher struck the centre of Kramatorsk.", ART, ANY, "asserted"),
    ("Russian artillery pounded Ukrainian positions near Orikhiv.", ART, "artillery", "asserted"),
    ("Iskander missiles hit a railway station in Kramatorsk in 2022.", ART, "missile", "asserted"),
    ("Mortar fire hit a market in Kostiantynivka.", ART, "artillery", "asserted"),
    ("Russian shelling of Nikopol in 2014 is not documented.", ANY, ANY, "negated"),
    ("A Ukrainian drone struck an oil depot in Bryansk region.", AIR, "drone", "asserted"),
    ("Russian aircraft dropped glide bombs on Vovchansk.", AIR, "glide bomb", "asserted"),
    ("Russian warplanes carried out air strikes on the outskirts of Aleppo.", AIR, "airstrike", "asserted"),
    ("A civilian car was hit by an FPV drone near Beryslav.", AIR, "drone", "asserted"),
    ("A roadside bomb exploded under a police vehicle in Melitopol.", IED, "mine/IED", "asserted"),
    ("A tractor driver was killed when his tractor hit a landmine in a field near Izium.", IED, "mine/IED", "asserted"),
    ("A suicide bomber blew himself up at a checkpoint in Kabul.", SUIC, "suicide bomb", "asserted"),
    ("Unknown attackers threw a grenade into a cafe in Srinagar.", GREN, "grenade", "asserted"),
    ("Ukraine accused Russia of using chloropicrin, a toxic gas, against its soldiers.", CHEM, "chemical", ANY),
    # Violence against civilians
    ("Russian soldiers raped a woman in a village near Kyiv, prosecutors said.", SEX, ANY, "asserted"),
    ("Soldiers shot dead two civilians who were cycling in Bucha.", ATT, ANY, "asserted"),
    ("Gunmen killed a village headman in Zamfara state.", ATT, ANY, "asserted"),
    ("Russian forces abducted the mayor of Melitopol.", ABD, ANY, "asserted"),
    ("Armed men kidnapped four aid workers near Goma.", ABD, ANY, "asserted"),
    # Protests and riots
    ("Thousands of people rallied in Kyiv to demand the release of prisoners of war.", PP, None, "asserted"),
    ("Residents of Kherson held a peaceful protest against the occupation.", PP, None, "asserted"),
    ("Police dispersed the protesters with tear gas and detained a dozen of them in Tbilisi.", PWI, None, "asserted"),
    ("Security forces opened fire on protesters in Khartoum, killing five.", FORCE, None, "asserted"),
    ("Rioters set fire to police cars and threw stones at officers in Dakar.", RIOT, None, "asserted"),
    ("A mob lynched a man accused of theft in a market in Lagos.", MOB, None, "asserted"),
    # Strategic developments
    ("Ukraine and Russia exchanged 95 prisoners of war on Wednesday.", AGR, None, "asserted"),
    ("The two sides signed a ceasefire agreement in Minsk in 2015.", AGR, None, "historical"),
    ("Police arrested a man suspected of spying for Russia in Odesa.", ARR, None, "asserted"),
    ("The SBU detained two collaborators in Kharkiv region.", ARR, None, "asserted"),
    ("Ukrainian air defence shot down 14 of 16 Shahed drones overnight.", DISR, "drone", "asserted"),
    ("Air defences intercepted two cruise missiles over Kyiv region.", DISR, "missile", "asserted"),
    ("Sappers defused an anti-tank mine found in a garden in Mykolaiv.", DISR, ANY, "asserted"),
    ("Russian forces set up a new base in the village of Kalanchak.", HQ, None, "asserted"),
    ("Russian soldiers looted homes and shops in the town of Borodianka.", LOOT, None, "asserted"),
    ("Ukrainian troops withdrew from Avdiivka to avoid encirclement.", NVT, None, "asserted"),
    ("Russia announced the mobilisation of 300,000 reservists.", CHG, None, "asserted"),
    ("Authorities imposed a curfew in Odesa after the attack.", CHG, None, "asserted"),
    # Statuses
    ("Russia is likely to launch another offensive towards Kupiansk in the coming weeks.", ANY, None, "assessment"),
    ("Russian forces will launch a massive missile attack on energy infrastructure, officials warned.", ART, ANY, "planned"),
    ("The Kremlin denied that its forces shelled the railway station in Kramatorsk.", ART, ANY, "negated"),
    ("During the siege of Mariupol in 2022, Russian aircraft bombed the drama theatre.", AIR, ANY, ANY),
    ("Russian troops occupied the Crimean peninsula in 2014.", GRT, None, "historical"),
    ("Ukrainian forces did not shell the market in Donetsk, Kyiv insisted.", ART, ANY, "negated"),
    # Statements with no event
    ("Bakhmut had a population of about 70,000 before the war.", None, None, ANY),
    ("The war has reshaped Europe's security order, the minister argued.", None, None, ANY),
    ("Kupiansk is a railway hub on the Oskil river.", None, None, ANY),
    ("A flood after heavy rain destroyed dozens of houses in Odesa region.", None, None, ANY),
    ("Police seized 40 kilograms of cocaine hidden in a banana shipment in Odesa port.", None, None, ANY),
    ("The foreign minister visited Kyiv and held talks with his Ukrainian counterpart.", None, None, ANY),
    ("A gas explosion in a factory in Kharkiv killed two workers.", None, None, ANY),
]


@pytest.fixture(scope="module")
def nlp(settings):
    from sitrep.nlp import load_model

    return load_model(settings.spacy_model)


@pytest.mark.parametrize(("text", "subtype", "mode", "status"), CASES, ids=[c[0][:48] for c in CASES])
def test_classify_team_sentences(nlp, text, subtype, mode, status):
    from sitrep.events import classify_text

    typing = classify_text(nlp, text)
    if subtype is None:
        assert typing is None, f"expected no event, got {typing}"
        return
    assert typing is not None, "expected an event, got None"
    if subtype is not ANY:
        assert typing.sub_event_type == subtype
    if mode is not ANY:
        assert typing.mode == mode
    if status is not ANY:
        assert typing.status == status


def test_event_types_are_acleds(nlp):
    from sitrep.events import subtypes

    by_type: dict[str, int] = {}
    for subtype in subtypes().values():
        by_type[subtype.event_type] = by_type.get(subtype.event_type, 0) + 1
    assert by_type == {"Battles": 3, "Explosions/Remote violence": 6, "Violence against civilians": 3,
                       "Protests": 3, "Riots": 2, "Strategic developments": 8}
    assert len({subtype.case for subtype in subtypes().values()}) == 25


def test_trigger_offsets_point_at_the_trigger_in_the_doc(nlp):
    from sitrep.events import classify

    doc = nlp("The weather was calm. Russian forces shelled Kherson overnight.")
    sentence = list(doc.sents)[1]
    typing = classify(sentence)
    assert typing is not None
    assert doc.text[typing.trigger_start:typing.trigger_end] == typing.trigger
    assert typing.trigger_start >= sentence.start_char


@pytest.mark.parametrize("text", ["", "   ", "\u200b", "!!!", "1234 5678", "x" * 5000])
def test_odd_input_is_uncoded_not_a_crash(nlp, text):
    from sitrep.events import classify_text

    assert classify_text(nlp, text) is None


def test_event_typing_fits_the_record(nlp):
    from sitrep.events import classify_text
    from sitrep.models import Event

    typing = classify_text(nlp, "Ukrainian air defence shot down 14 of 16 Shahed drones overnight.")
    event = Event(event_type=typing.event_type, sub_event_type=typing.sub_event_type, mode=typing.mode,
                  status=typing.status, trigger=typing.trigger)
    assert event.status == "asserted"


def test_score_labels_counts_false_positives_on_non_acled_items():
    from sitrep.evaluation.events import UNCODED, score_labels

    report = score_labels(["AIR_STRIKE", "NATURAL_DISASTER", "DIPLO"], ["AIR_STRIKE", "AIR_STRIKE", UNCODED])
    air = next(label for label in report.labels if label.label == "AIR_STRIKE")
    assert (air.precision, air.recall) == (0.5, 1.0)
    assert report.non_acled_uncoded == 1 and report.non_acled == 2


def test_read_case2021_refuses_a_wrong_file(tmp_path):
    from sitrep.errors import InputError
    from sitrep.evaluation.events import read_case2021

    wrong = tmp_path / "wrong.tsv"
    wrong.write_text("a\tb\n1\t2\n", encoding="utf-8")
    with pytest.raises(InputError, match="header"):
        read_case2021(wrong)
    with pytest.raises(InputError, match="no CASE 2021 file"):
        read_case2021(tmp_path / "missing")


def test_case2021_evaluation_metrics_are_proportions(nlp):
    if not CASE_DIR.exists():
        pytest.skip(f"the CASE 2021 gold set is not at {CASE_DIR} (it lives in ../shared, outside the repo)")
    from sitrep.evaluation.events import evaluate_case2021

    report = evaluate_case2021(nlp, CASE_DIR)
    assert report.items > 1000
    assert 0.0 <= report.macro_f1 <= 1.0 and 0.0 <= report.uncoded_share <= 1.0
    assert all(0.0 <= label.f1 <= 1.0 for label in report.labels)
