"""Hostile text through the whole pipeline: nothing crashes, every record stays valid."""

import pytest

from sitrep.models import Extraction

LONG_SENTENCE = ("Russian forces shelled the outskirts of Kherson and Ukrainian units returned fire near "
                 "Bakhmut while reports from Avdiivka and Marinka described heavy fighting ") * 150


@pytest.mark.parametrize("text", [
    LONG_SENTENCE,  # ~20,000 characters, no full stop
    "Війська РФ обстріляли Херсон. Бої тривають біля Бахмута та Кліщіївки.",
    "Российские войска атаковали позиции у Работино, сообщил Рыбарь.",
    'The commander said "the enemy is retreating near Robotyne and we will not stop',  # quote never closes
    "On 31 February Ukrainian troops entered the village of Andriivka, the general staff said.",
    "Les forces ukrainiennes avancent près de Bakhmout. Die Ukraine meldet Gewinne bei Bachmut.",
    "\u202eRussian drones struck Odesa overnight\u202c, officials said\u200b.",
])
def test_hostile_text_gives_a_valid_record(pipeline, make_document, text):
    extraction = pipeline.process(make_document(text))
    Extraction.model_validate(extraction.model_dump(by_alias=True))
    for claim in extraction.claims:
        assert extraction.document.text[claim.start:claim.end] == claim.text
    for place in extraction.places:
        assert extraction.document.text[place.start:place.end] == place.mention


def test_cyrillic_only_text_finds_known_places(pipeline, make_document):
    extraction = pipeline.process(make_document("Війська РФ обстріляли Херсон і Харків."))
    assert {place.country for place in extraction.places if place.geonameid} == {"UA"}
