"""The canonical hard case (../shared/seed, never copied here): what issue #4 asks of its claims,
with the GeoNames dump of Ukraine imported (../shared/data/gazetteer/UA.zip).

Claims are found by a few words of their sentence; every expectation is the analyst's reading of the
article, not the pipeline's output copied back."""

import datetime as dt
from pathlib import Path

import pytest


SEED = Path(__file__).resolve().parent.parent.parent / "shared" / "seed" / "bakhmut-2023-07-09.txt"


@pytest.fixture(scope="module")
def seed(ua_pipeline, settings):
    if not SEED.exists():
        pytest.skip(f"the seed article is not at {SEED} (it lives in ../shared, outside the repo)")
    from sitrep.ingest import read_input
    from sitrep.models import Document

    documents = [item for item in read_input(str(SEED), settings) if isinstance(item, Document)]
    return ua_pipeline.process(documents[0])


def claim(extraction, words):
    found = [claim for claim in extraction.claims if words in claim.text]
    assert found, f"no claim contains {words!r}"
    return found[0]


def place_name(extraction, event):
    return extraction.places[event.place].name if event and event.place is not None else None


@pytest.mark.parametrize("words, speaker, channel", [
    ("continue to advance", "Syrskyi", "telegram"),
    ("Over and over again", "Rybar", "telegram"),
    ("politically unacceptable", "British Ministry of Defence", None),
    ("high ground", "Freedman", None),
])
def test_seed_speakers_and_channels(seed, words, speaker, channel):
    source = claim(seed, words).source
    assert speaker in source.name
    if channel:
        assert source.channel == channel


def test_rybar_reports_a_failed_ukrainian_attack_at_klishchiivka(seed):
    event = claim(seed, "Over and over again").event
    assert event is not None
    assert (event.sub_event_type, event.status) == ("Armed clash", "failed")
    assert event.actor1 is not None and event.actor1.side == "UA"
    assert place_name(seed, event) == "Klishchiivka"


def test_wagner_capture_is_dated_may_2023_at_month_precision(seed):
    event = claim(seed, "conquest of it in May").event
    assert event is not None and event.date is not None
    assert (event.date.start, event.date.end, event.date.precision) == (
        dt.date(2023, 5, 1), dt.date(2023, 5, 31), "month")


def test_the_high_ground_is_hypothetical_not_asserted(seed):
    event = claim(seed, "high ground").event
    assert event is not None and event.status == "hypothetical"


def test_caption_events_come_out_too(seed):
    captions = [c for c in seed.claims if c.source.channel == "photo caption"]
    assert len(captions) == 3
    assert all(c.event is not None for c in captions)
    cannon = claim(seed, "D-30 cannon").event
    assert (cannon.sub_event_type, cannon.mode) == ("Shelling/artillery/missile attack", "artillery")
    assert place_name(seed, cannon) == "Bakhmut"


def test_both_events_of_the_pushed_back_sentence(seed):
    """Issue #14: "Ukrainian forces have pushed back Russian units ... less than two months after Wagner
    mercenaries claimed it" reports two events, each with its own doer."""
    found = [c.event for c in seed.claims if "less than two months after" in c.text and c.event is not None]
    doers = {(event.sub_event_type, event.actor1.side if event.actor1 else None) for event in found}
    assert ("Armed clash", "UA") in doers
    assert any(kind in ("Non-state actor overtakes territory", "Government regains territory") and side == "RU"
               for kind, side in doers)


def test_wagner_takes_bakhmut_and_nothing_happens_in_london(seed):
    conquest = [c.event for c in seed.claims if "conquest of it" in c.text and c.event is not None
                and c.event.actor1 is not None and c.event.actor1.id == "ru.wagner"]
    assert conquest and conquest[0].sub_event_type == "Non-state actor overtakes territory"
    assert all(place_name(seed, c.event) != "London" for c in seed.claims if c.event is not None)
