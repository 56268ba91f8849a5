"""Event typing: ACLED sub-type, mode and status of team-written sentences (sitrep.extract.events)."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT, SHARED

CASE_DIR = SHARED / "data" / "eval" / "case2021"

AC, GRT, NSA = "Armed clash", "Government regains territory", "Non-state actor overtakes territory"
AIR, ART, IED = "Air/drone strike", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED"
CHEM, SUIC, GREN = "Chemical weapon", "Suicide bomb", "Grenade"
SEX, ATT, ABD = "Sexual violence", "Attack", "Abduction/forced disappearance"
PP, PWI, FORCE = "Peaceful protest", "Protest with intervention", "Excessive force against protesters"
RIOT, MOB = "Violent demonstration", "Mob violence"
AGR, ARR, CHG, DISR = "Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use"
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
    ("Occupation officials opened two schools in occupied settlements of Kherson Oblast.", None, ANY, ANY),
    ("Russian troops fully control Verbove, the ministry said.", None, ANY, ANY),
    ("The enemy lost up to 90 servicemen in the Kupiansk direction over the past day.", AC, ANY, "asserted"),
    ("The enemy was thrown back to its starting positions near Synkivka.", AC, ANY, "failed"),
    ("Bakhmut had a population of about 70,000 before the war.", None, None, ANY),
    ("The war has reshaped Europe's security order, the minister argued.", None, None, ANY),
    ("Kupiansk is a railway hub on the Oskil river.", None, None, ANY),
    ("A flood after heavy rain destroyed dozens of houses in Odesa region.", None, None, ANY),
    ("Police seized 40 kilograms of cocaine hidden in a banana shipment in Odesa port.", None, None, ANY),
    ("The foreign minister visited Kyiv and held talks with his Ukrainian counterpart.", None, None, ANY),
    ("A gas explosion in a factory in Kharkiv killed two workers.", None, None, ANY),
    # Error classes seen on war reporting (issue: better event typing), in the team's words.
    # An intention to take a named place is a planned capture, not background.
    ("Russian commanders intended to seize Chasiv Yar by early May, a captured order shows.", GRT, None, "planned"),
    ("The Russian command intends to capture Pokrovsk before the autumn rains.", GRT, None, "planned"),
    # A denied withdrawal is a withdrawal with status negated.
    ("The General Staff denied that troops were pulling out of Vovchansk.", NVT, None, "negated"),
    ("Officials denied that Ukrainian units had withdrawn from Krynky.", NVT, None, "negated"),
    # Forces pushed back into a place: fighting, not a capture.
    ("Ukrainian troops pushed back into Robotyne on Sunday after a Russian counterattack.", AC, ANY, "asserted"),
    ("The Russians were pushed back into Horlivka's northern suburbs.", AC, ANY, "asserted"),
    # A destroyed ammunition or fuel depot is an attack on it, not looting or property destruction.
    ("We destroyed an enemy ammunition depot in Oleshky, the brigade said.", ART, ANY, "asserted"),
    ("Our artillery destroyed an ammunition depot near Skadovsk.", ART, "artillery", "asserted"),
    # A drone that sets a depot on fire is a drone strike.
    ("A drone set fire to a fuel depot in Klintsy overnight.", AIR, "drone", "asserted"),
    ("A drone set fire to an oil depot near Rostov, the governor said.", AIR, "drone", "asserted"),
    # Analysis of why something worked reports no event.
    ("The success resulted from careful campaign design.", None, None, None),
    ("The breakthrough was the product of months of patient preparation and good intelligence.", None, None, None),
    # A suspect "accused of" something is no claim of responsibility: the arrest is the event.
    ("Police in Quetta arrested three men accused of planting a bomb near the court.", ARR, None, "asserted"),
    ("The opposition accused the police of beating detainees.", None, None, ANY),
    # Protesters' own violence (storming, ransacking) makes a riot; lethal fire on marchers excessive force.
    ("Protesters stormed the municipal office in Jessore and ransacked its records room.", RIOT, None, "asserted"),
    ("Troops opened fire on a march against the junta in Monywa, and four demonstrators were killed.", FORCE, None,
     "asserted"),
    # Control regained or an area cleared of a named enemy is a change of territory.
    ("After a night of fighting, Malian troops regained control of the market town.", GRT, None, "asserted"),
    ("Soldiers cleared the Sambisa forest of Boko Haram fighters, the army said.", GRT, None, "asserted"),
    # Disarmament talk names chemical weapons without reporting their use.
    ("OPCW inspectors confirmed the destruction of the last declared chemical weapons stockpile.", None, None, ANY),
    # A wave of strikes on infrastructure is remote violence, not a change of territory.
    ("Russia unleashed a wave of strikes against energy infrastructure in the Kharkiv region.", ART, ANY, "asserted"),
    ("A wave of strikes against energy infrastructure left Odesa without power.", ART, ANY, "asserted"),
    # Liberation is the government regaining territory.
    ("Ukrainian forces liberated Pishchane, the commander said.", GRT, None, "asserted"),
    ("Ukrainian marines liberated Urozhaine after days of fighting.", GRT, None, "asserted"),
    # Forces moved or fed told subject-first, commanders sacked, a command reshuffled or passing on, units
    # formed, aircraft at work over a place, leaflets, and a claim the writer calls false (issue #14, the
    # classes of the second ISW dev set; the sentences are ours).
    ("Black Sea Fleet marine units were redeploying from Berdiansk to Melitopol, the governor said.", CHG, ANY,
     "asserted"),
    ("A depleted Russian brigade near Vuhledar has been receiving replacements drawn from other formations.", CHG,
     ANY, "asserted"),
    ("Moscow keeps pouring troops and armour into the sector around Lyman.", CHG, ANY, "asserted"),
    ("Kremlin sources say the defence ministry sacked two commanders after the retreat from Kherson.", CHG, ANY,
     "asserted"),
    ("Ukrainian aircraft kept operating over occupied villages near Kupiansk on Friday.", AIR, ANY, "asserted"),
    ("Russian forces are distributing propaganda leaflets in Kherson.", "Other", ANY, "asserted"),
    ("Moscow falsely claimed on Tuesday that its troops had seized Bilohorivka.", ANY, ANY, "negated"),
    ("Moscow is reshuffling its command in the south after the setbacks near Kherson.", CHG, ANY, "asserted"),
    ("Command of the eastern grouping will pass to a new general next month, officials said.", CHG, ANY,
     "planned"),
    ("The army is forming composite units from the remnants of three battalions.", CHG, ANY, "asserted"),
]


@pytest.fixture(scope="module")
def nlp(settings):
    from sitrep.extract.nlp import load_model

    return load_model(settings.spacy_model)


@pytest.mark.parametrize(("text", "subtype", "mode", "status"), CASES, ids=[c[0][:48] for c in CASES])
def test_classify_team_sentences(nlp, text, subtype, mode, status):
    from sitrep.extract.events import classify_text

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
    from sitrep.extract.events import subtypes

    by_type: dict[str, int] = {}
    for subtype in subtypes().values():
        by_type[subtype.event_type] = by_type.get(subtype.event_type, 0) + 1
    assert by_type == {"Battles": 3, "Explosions/Remote violence": 6, "Violence against civilians": 3,
                       "Protests": 3, "Riots": 2, "Strategic developments": 8}
    assert len({subtype.case for subtype in subtypes().values()}) == 25


def test_trigger_offsets_point_at_the_trigger_in_the_doc(nlp):
    from sitrep.extract.events import classify

    doc = nlp("The weather was calm. Russian forces shelled Kherson overnight.")
    sentence = list(doc.sents)[1]
    typing = classify(sentence)
    assert typing is not None
    assert doc.text[typing.trigger_start:typing.trigger_end] == typing.trigger
    assert typing.trigger_start >= sentence.start_char


@pytest.mark.parametrize("text", ["", "   ", "\u200b", "!!!", "1234 5678", "x" * 5000])
def test_odd_input_is_uncoded_not_a_crash(nlp, text):
    from sitrep.extract.events import classify_text

    assert classify_text(nlp, text) is None


def test_event_typing_fits_the_record(nlp):
    from sitrep.extract.events import classify_text
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


# ---------------------------------------------------------------- the classifier

TRAIN_FILE = ROOT / "src" / "sitrep" / "extract" / "lang" / "en" / "events_train.jsonl"
TRAIN_SCRIPT = ROOT / "scripts" / "train_events.py"

# Held-out team sentences, one or two per major family: written for this test, never in the
# training file (checked below), so the classifier has to generalise to them.
HELD_OUT = [
    ("Soldiers and jihadist fighters exchanged fire for hours near the town of Tessit.", AC),
    ("Gunmen kidnapped six farmers working in their fields near Birnin Gwari.", ABD),
    ("Militants shot dead a grocer in front of his shop in Sopore.", ATT),
    ("Hundreds of nurses marched peacefully through Accra to demand overdue wages.", PP),
    ("Police fired tear gas and arrested dozens of students rallying outside the university in Kampala.", PWI),
    ("Rioting youths hurled stones at police and set two buses on fire in Kisumu.", RIOT),
    ("The separatists and the government agreed a truce and swapped captured fighters.", AGR),
    ("Counter-terrorism police arrested a suspected financier of the group in Mombasa.", ARR),
    ("Russian air defences shot down eleven drones over the Kursk region overnight.", DISR),
    ("A Russian missile slammed into a hotel in the centre of Kramatorsk.", ART),
    ("A powerful earthquake struck eastern Afghanistan, flattening mud-brick homes.", None),
    ("The finance ministers of the region met in Dakar to discuss debt relief.", None),
]


def _training_texts() -> set[str]:
    import json

    return {json.loads(line)["text"] for line in TRAIN_FILE.read_text("utf-8").splitlines() if line.strip()}


def test_training_set_covers_every_subtype_with_known_labels():
    from sitrep.extract.events import NONE_LABEL, subtypes

    import json

    labels = [json.loads(line)["label"] for line in TRAIN_FILE.read_text("utf-8").splitlines() if line.strip()]
    assert set(labels) <= set(subtypes()) | {NONE_LABEL}
    counts = {name: labels.count(name) for name in subtypes()}
    assert min(counts.values()) >= 30, counts
    assert labels.count(NONE_LABEL) >= 150


def test_packaged_model_loads_with_every_label():
    from sitrep.extract.events import NONE_LABEL, model, subtypes

    event_model = model()
    assert set(event_model.labels) == set(subtypes()) | {NONE_LABEL}
    assert event_model.weights.shape == (len(event_model.index), len(event_model.labels))
    assert len(event_model.index) > 1000


@pytest.mark.parametrize(("text", "label"), HELD_OUT, ids=[t[0][:40] for t in HELD_OUT])
def test_classifier_types_held_out_team_sentences(text, label):
    import numpy as np

    from sitrep.extract.events import NONE_LABEL, decide, features, model

    assert text not in _training_texts(), "a held-out sentence leaked into the training set"
    event_model = model()
    probabilities = event_model.probabilities(features(text))
    assert event_model.labels[int(np.argmax(probabilities))] == (label or NONE_LABEL)
    decision = decide(text)
    assert (decision[0] if decision else None) == label


def _tiny_model():
    import numpy as np

    from sitrep.extract.events import EventModel

    labels = (AIR, PP, "NONE")
    index = {"drone": 0, "rally": 1, "weather": 2}
    weights = np.array([[3.0, 0.0, 0.0], [0.0, 3.0, 0.0], [0.0, 0.0, 3.0]], dtype=np.float32)
    return EventModel(labels, index, weights, np.zeros(3, dtype=np.float32))


def test_model_probabilities_follow_the_weights_and_ignore_unknown_features():
    tiny = _tiny_model()
    drone = tiny.probabilities(["drone", "never-seen"])
    assert drone.argmax() == 0 and abs(drone.sum() - 1.0) < 1e-6
    assert tiny.probabilities(["rally"]).argmax() == 1
    assert abs(tiny.probabilities([]).max() - 1 / 3) < 1e-6


def test_trigger_without_a_cue_is_the_most_telling_word():
    text = "Bad weather, then a drone over the rally"
    start, end = _tiny_model().telling_word(text, 0)
    assert text[start:end] == "drone"
    start, end = _tiny_model().telling_word(text, 1)
    assert text[start:end] == "rally"


def test_a_non_event_cue_still_vetoes_what_the_classifier_codes():
    from sitrep.extract.events import decide

    # a drone word alone would be coded by the tiny model; the factory fire makes it a non-event
    assert decide("A drone filmed the factory fire in Kharkiv.", _tiny_model()) is None


def test_read_model_rejects_a_broken_file(tmp_path):
    from sitrep.errors import ConfigError
    from sitrep.extract.events import read_model

    broken = tmp_path / "model.json"
    broken.write_text('{"labels": ["Air/drone strike"]', encoding="utf-8")
    with pytest.raises(ConfigError, match="train_events"):
        read_model(broken)
    broken.write_text('{"labels": ["Tea party", "NONE"], "features": [], "weights": [], "bias": [0, 0]}',
                      encoding="utf-8")
    with pytest.raises(ConfigError, match="labels"):
        read_model(broken)


def _run_training_script(*args: str):
    import subprocess
    import sys

    return subprocess.run([sys.executable, str(TRAIN_SCRIPT), *args], capture_output=True, text=True, cwd=ROOT)


def test_training_script_trains_a_usable_model_on_a_tiny_sample(tmp_path):
    import json

    from sitrep.extract.events import features, read_model

    rows = [("A drone struck a fuel depot in Bryansk.", AIR), ("Drones hit a power plant near Odesa.", AIR),
            ("An air strike hit a market in Idlib.", AIR), ("Warplanes bombed a village in Sagaing.", AIR),
            ("Farmers held a rally in Warsaw.", PP), ("Nurses marched in Nairobi to demand pay.", PP),
            ("Students staged a sit-in in Dhaka.", PP), ("Teachers protested outside the ministry in Lagos.", PP),
            ("The weather was mild in Kyiv.", "NONE"), ("The bank cut interest rates.", "NONE"),
            ("The team won the match in Lviv.", "NONE"), ("The minister visited Paris.", "NONE")]
    data = tmp_path / "tiny.jsonl"
    data.write_text("".join(json.dumps({"text": t, "label": label}) + "\n" for t, label in rows), encoding="utf-8")
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    for out in (first, second):
        result = _run_training_script("--data", str(data), "--out", str(out), "--folds", "2")
        assert result.returncode == 0, result.stderr
    assert first.read_bytes() == second.read_bytes(), "training is not reproducible"
    tiny = read_model(first)
    assert tiny.labels == (AIR, PP, "NONE")
    for text, label in rows:
        assert tiny.labels[int(tiny.probabilities(features(text)).argmax())] == label


def test_training_script_names_the_line_of_a_bad_label(tmp_path):
    data = tmp_path / "bad.jsonl"
    data.write_text('{"text": "A drone struck Kursk.", "label": "Air/drone strike"}\n'
                    '{"text": "Something happened.", "label": "Skirmish"}\n', encoding="utf-8")
    result = _run_training_script("--data", str(data), "--out", str(tmp_path / "m.json"), "--folds", "0")
    assert result.returncode == 2
    assert "bad.jsonl:2" in result.stderr and "Skirmish" in result.stderr
    assert not (tmp_path / "m.json").exists()


# ---------------------------------------------------------------- status scope and non-events on real reporting
# Invented sentences in the style of daily war assessments; places are real.

# A status cue counts only where it bears on the trigger: a hedge, failure or plan in a clause of
# something else leaves the event as it is; a modal above the trigger makes it possible or future.
STATUS_SCOPE = [
    # A hedge in a coordinated clause with its own subject, or opening a purpose adjunct.
    ("Russian claims of a breakthrough near Vuhledar are likely exaggerated, but Russian forces shelled "
     "Vuhledar on June 4.", "asserted"),
    ("Russian forces shelled Kupiansk on June 4, likely to disrupt Ukrainian preparations for a counteroffensive.",
     "asserted"),
    ("Russian forces conducted an unsuccessful assault on Bilohorivka, likely in an effort to reach Siversk.",
     "failed"),
    # A hedge on the event's own verb, or shared by a verb conjunct without a subject of its own.
    ("Russian forces likely shelled Kupiansk and struck Izium on June 4.", "assessment"),
    # Attacks that made no progress failed.
    ("Russian troops attacking from Popasna made no significant progress on June 4.", "failed"),
    ("Russian forces conducted ground attacks near Marinka but made no substantial progress.", "failed"),
    # A modal on a verb above the trigger.
    ("Ukrainian officials warned that Russian forces could shell Kramatorsk to intimidate residents.", "hypothetical"),
    ("Russian forces may not have enough reserves to continue the offensive on Bakhmut.", "hypothetical"),
    ("The General Staff will report on any Russian assaults near Avdiivka.", "planned"),
]


@pytest.mark.parametrize(("text", "status"), STATUS_SCOPE, ids=[c[0][:48] for c in STATUS_SCOPE])
def test_status_cues_bear_on_the_trigger_only(nlp, text, status):
    from sitrep.extract.events import classify_text

    typing = classify_text(nlp, text)
    assert typing is not None, text
    assert typing.status == status, (text, typing)


# Analysis and background that names weapons or operations without reporting an event of the day:
# troops in training, a characterisation of the campaign's main effort, who holds what and what an
# army focuses on, and the analyst's own notes on what it can confirm.
NON_EVENTS = [
    "Footage showed Russian mobilised reservists undergoing training with old mortars near Belgorod.",
    "The main Russian effort continues to be the attempt to encircle Kramatorsk from the north and the south.",
    "Ukrainian forces continued to hold defensive positions around the Avdiivka coke plant on June 4.",
    "Russian forces continued to focus on defensive operations along the Zaporizhzhia front.",
    "ISW cannot confirm any changes to the front line near Vuhledar on June 4.",
    "Russian forces focused on preventing Ukrainian advances toward the border north of Kharkiv.",
]


@pytest.mark.parametrize("text", NON_EVENTS, ids=[t[:48] for t in NON_EVENTS])
def test_analysis_and_background_are_not_events(nlp, text):
    from sitrep.extract.events import classify_text

    typing = classify_text(nlp, text)
    assert typing is None or typing.status != "asserted", (text, typing)


def test_holding_positions_with_fire_is_still_an_event(nlp):
    from sitrep.extract.events import classify_text

    typing = classify_text(nlp, "Russian forces continued to hold their positions and shelled Orikhiv on June 4.")
    assert typing is not None and typing.sub_event_type == ART and typing.status == "asserted"


# Changes to a force in war reporting are Change to group/activity: regrouping, units formed or
# committed, troops transported to a front, a commander replaced.
FORCE_CHANGES = [
    "Russian forces continued to regroup near Svatove on June 4.",
    "The General Staff reported that Russia has formed two new motorised rifle regiments in Luhansk Oblast.",
    "Russian forces committed an additional battalion tactical group to operations near Bakhmut.",
    "Colonel General Ivan Petrov has replaced General Oleg Sidorov as commander of the grouping near Kherson.",
]


@pytest.mark.parametrize("text", FORCE_CHANGES, ids=[t[:48] for t in FORCE_CHANGES])
def test_changes_to_a_force_are_change_to_group_activity(nlp, text):
    from sitrep.extract.events import classify_text

    typing = classify_text(nlp, text)
    assert typing is not None and typing.sub_event_type == "Change to group/activity", (text, typing)


# Commentary in analysts' reports: forecasts, judgements, capabilities, aims and negations. Each either
# carries its status or is no event; none is an asserted event (issue #14). Team-written sentences.
COMMENTARY_STATUS = [
    # A predicate "unlikely" hedges its clause, after "remain" or a degree adverb too.
    ("Russian forces remain unlikely to launch a large assault on Zaporizhzhia in the coming week.", "assessment"),
    # The subject as trigger: the modal and the negation sit on its verb.
    ("Russian airborne troops may seize the Kherson airfield overnight.", "hypothetical"),
    ("Russian marines have not yet conducted any landings near Ochakiv.", "negated"),
    ("Russian troops continue to refrain from using heavy artillery against Sumy.", "negated"),
    # Likelihood and forecasts.
    ("The likelihood of a renewed Russian offensive on Kharkiv this week is unclear.", "assessment"),
    ("Western officials forecast that any new Russian offensive would start with massed missile strikes.",
     "assessment"),
    # A capture that is the aim of an effort is no capture.
    ("Russian commanders continued their efforts to encircle and capture Kurakhove.", "planned"),
    # An inference drawn from an event hedges the inference, not the event.
    ("Ukrainian forces recaptured Klishchiivka, indicating that the defence of Bakhmut is weakening.", "asserted"),
]


@pytest.mark.parametrize(("text", "status"), COMMENTARY_STATUS, ids=[c[0][:48] for c in COMMENTARY_STATUS])
def test_commentary_carries_its_status(nlp, text, status):
    from sitrep.extract.events import classify_text

    typing = classify_text(nlp, text)
    assert typing is not None, text
    assert typing.status == status, (text, typing)


COMMENTARY_NON_EVENTS = [
    # A place described by a participle is not taken.
    "Moscow claimed Ukrainian forces threatened residents of Russian-occupied Luhansk.",
    # A hedge elsewhere in the sentence does not save an event the classifier calls commentary.
    "Analysts said that Russia has some 40 battalions fighting near Donetsk, though this count likely includes reserves.",
    # A section heading that states a side's objective.
    "Supporting effort two (Russian objective: capture Vuhledar and cut the road to Kurakhove)",
]


@pytest.mark.parametrize("text", COMMENTARY_NON_EVENTS, ids=[t[:48] for t in COMMENTARY_NON_EVENTS])
def test_commentary_without_an_event(nlp, text):
    from sitrep.extract.events import classify_text

    assert classify_text(nlp, text) is None, text


# Issue #14: classes found on unseen war reports. Sentences written by the team.
BRIDGES_AND_RANGES = [
    # A bridge, dam or railway destroyed with no weapon named is property destruction ...
    ("Russian units blew up a road bridge over the Oskil to slow the Ukrainian advance.", LOOT),
    ("Ukrainian troops reported destroying a third floating bridge near Bilohorivka on Friday.", LOOT),
    ("Retreating Russian forces destroyed the dam above the reservoir near Svatove.", LOOT),
    # ... a weapon as subject or means keeps the strike ...
    ("Ukrainian artillery destroyed two pontoon bridges near the river crossing.", ART),
    ("Ukrainian forces destroyed the bridge with HIMARS rockets on Monday.", ART),
    ("Russian forces struck a pontoon bridge near Kreminna overnight.", ART),
    # ... and a bridge only aimed at is not destroyed.
    ("Russian forces launched a missile strike on the port, likely in an effort to completely destroy the bridge.", ART),
    # An assault a force conducted is a battle even beside a statement of what it holds.
    ("Russian troops focused on defending captured lines and conducted a small ground assault near Dudchany.", AC),
]


@pytest.mark.parametrize(("text", "subtype"), BRIDGES_AND_RANGES, ids=[c[0][:48] for c in BRIDGES_AND_RANGES])
def test_bridges_destroyed_and_ground_assaults(nlp, text, subtype):
    from sitrep.extract.events import classify_text

    typing = classify_text(nlp, text)
    assert typing is not None and typing.sub_event_type == subtype, (text, typing)


OCCUPIED_AND_RANGE_NON_EVENTS = [
    # "occupied" as an adjective describes who holds a place; it is no capture.
    "Occupation officials began registering voters across occupied Zaporizhia Oblast.",
    "The Kremlin intends to annex occupied Ukrainian territories into Russia by autumn.",
    # "Artillery range" locates a force; no shelling is reported.
    "Ukrainian forces intend to push Russian troops out of artillery range of Kharkiv.",
]


@pytest.mark.parametrize("text", OCCUPIED_AND_RANGE_NON_EVENTS, ids=[t[:48] for t in OCCUPIED_AND_RANGE_NON_EVENTS])
def test_occupied_adjective_and_artillery_range_are_no_event(nlp, text):
    from sitrep.extract.events import classify_text

    typing = classify_text(nlp, text)
    assert typing is None or typing.sub_event_type not in (GRT, NSA, ART), (text, typing)


@pytest.mark.parametrize("text", ["Russian forces have fully occupied Lysychansk.",
                                  "Russian troops occupied all villages in the district."])
def test_occupied_after_a_taker_is_a_capture(nlp, text):
    from sitrep.extract.events import classify_text

    typing = classify_text(nlp, text)
    assert typing is not None and typing.sub_event_type in (GRT, NSA), (text, typing)
