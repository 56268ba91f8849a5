"""Attribution through the whole pipeline, on texts written for these tests."""

import pytest

REPORT = """date 2023-07-21
Russian shelling damaged a hospital in Kherson overnight, the regional administration said.

Brigadier General Viktor Hnatiuk, commander of Ukraine's southern operational group, said his troops had gained ground near Robotyne.

"The enemy is exhausted and is losing positions one by one," he wrote on Telegram.

"We hold the initiative."

Some Russian military bloggers have said that the defenders near Robotyne pulled back, while others insisted the line held.

According to the Institute for the Study of War, Russian forces lacked reserves in the area.

Fighting also continued west of Bakhmut."""


@pytest.fixture(scope="module")
def extraction(pipeline):
    from sitrep.ingest.base import document_id
    from sitrep.models import Document

    return pipeline.process(Document(id=document_id(REPORT), source="t.txt", outlet="Southern Courier", text=REPORT))


def claim_containing(extraction, words):
    return next(claim for claim in extraction.claims if words in claim.text)


def test_named_speaker_with_role_kind_and_side(extraction):
    claim = claim_containing(extraction, "gained ground near Robotyne")
    assert claim.source.name == "Brigadier General Viktor Hnatiuk"
    assert claim.source.role == "commander of Ukraine's southern operational group"
    assert (claim.source.kind, claim.source.side) == ("military", "UA")


def test_pronoun_and_channel(extraction):
    claim = claim_containing(extraction, "losing positions")
    assert claim.source.name == "Brigadier General Viktor Hnatiuk"
    assert claim.source.channel == "telegram"
    assert claim.quote == "The enemy is exhausted and is losing positions one by one,"


def test_bare_quote_continues_last_speaker(extraction):
    claim = claim_containing(extraction, "We hold the initiative")
    assert claim.source.name == "Brigadier General Viktor Hnatiuk"
    assert claim.quote == "We hold the initiative."


def test_unnamed_sources_are_typed(extraction):
    claim = claim_containing(extraction, "pulled back")
    assert (claim.source.kind, claim.source.side) == ("milblogger", "RU")
    assert "Russian military bloggers" in claim.source.name


def test_according_to(extraction):
    claim = claim_containing(extraction, "lacked reserves")
    assert claim.source.name == "the Institute for the Study of War"
    assert (claim.source.kind, claim.source.side) == ("analyst", "third-party")


def test_unattributed_statement_belongs_to_outlet(extraction):
    claim = claim_containing(extraction, "west of Bakhmut")
    assert (claim.source.name, claim.source.kind) == ("Southern Courier", "outlet")
    from sitrep.extract.claims import CONFIDENCE

    # The confidence table tells a statement framed by a speaker from one that falls to the outlet.
    framed = claim_containing(extraction, "gained ground")
    assert framed.confidence == CONFIDENCE[(True, framed.event is not None)]
    assert claim.confidence == CONFIDENCE[(False, claim.event is not None)]


def test_every_span_is_exact_and_has_provenance(extraction):
    text = extraction.document.text
    assert extraction.pipeline.startswith("sitrep/")
    for claim in extraction.claims:
        assert text[claim.start:claim.end] == claim.text
        assert claim.id == f"{extraction.document.id}:{claim.start}-{claim.end}"
    for place in extraction.places:
        assert text[place.start:place.end] == place.mention


def test_narrator_when_outlet_unknown(pipeline, make_document):
    extraction = pipeline.process(make_document("Shelling hit the centre of Nikopol on Friday morning."))
    assert extraction.claims[0].source.name == "narrator"


def test_seed_speakers(pipeline, seed_text, make_document):
    extraction = pipeline.process(make_document(seed_text))
    speakers = {claim.source.name for claim in extraction.claims}
    assert "Colonel General Oleksandr Syrskyi" in speakers
    assert any("Ministry of Defence" in name for name in speakers)
    captions = [claim for claim in extraction.claims if claim.source.channel == "photo caption"]
    assert len(captions) == 3


KNOWN = """Rybar wrote that Ukrainian assault groups had entered the eastern part of Andriivka.

Igor Konashenkov said Russian units had repelled four attacks near Klishchiivka.

Some Russian military bloggers claimed the village was lost. The blogger who first reported it later deleted the post, but he said the retreat was orderly."""


@pytest.fixture(scope="module")
def known(pipeline):
    from sitrep.ingest.base import document_id
    from sitrep.models import Document

    return pipeline.process(Document(id=document_id(KNOWN), source="k.txt", text=KNOWN))


@pytest.mark.parametrize("words, name, kind, side", [
    ("entered the eastern part", "Rybar", "milblogger", "RU"),
    ("repelled four attacks", "Igor Konashenkov", "military", "RU"),
])
def test_known_speakers_get_kind_side_and_role(known, words, name, kind, side):
    source = claim_containing(known, words).source
    assert (source.name, source.kind, source.side) == (name, kind, side)
    assert source.role  # from the known-speakers table, since the text gives none


def test_telegram_channel_is_its_own_known_speaker(pipeline):
    from sitrep.ingest.base import document_id
    from sitrep.models import Document

    text = "Ukrainian units tried to break through near Robotyne and were pushed back with losses."
    document = Document(id=document_id(text), source="t.json", outlet="Rybar", channel="telegram", text=text)
    source = pipeline.process(document).claims[0].source
    assert (source.name, source.kind, source.side, source.channel) == ("Rybar", "milblogger", "RU", "telegram")


def test_unknown_outlet_stays_an_outlet(pipeline):
    from sitrep.ingest.base import document_id
    from sitrep.models import Document

    text = "Shelling hit a school in Kherson on Tuesday morning."
    document = Document(id=document_id(text), source="t.txt", outlet="Black Sea Herald", text=text)
    assert pipeline.process(document).claims[0].source.kind == "outlet"
