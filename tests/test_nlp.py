"""The fast POS step gives the same parts of speech as the model's own attribute ruler."""

import spacy

from sitrep.extract.nlp import load_model

TEXTS = [
    "Ukrainian forces pushed back Russian units around Bakhmut, the general staff said on Monday.",
    "But the enemy is trapped in places, and that is why we keep advancing near Klishchiivka.",
    "Russia's defence ministry claimed it had shot down 14 of 16 drones over Belgorod overnight.",
    "If Kyiv can hold the heights, the occupiers' position would become untenable.",
    "There were 3 tanks, an APC and some trucks; nobody knows whose they were.  Really?",
]


def test_fast_pos_agrees_with_the_attribute_ruler(settings):
    fast = load_model(settings.spacy_model)
    assert "attribute_ruler" not in fast.pipe_names and "sitrep_fast_pos" in fast.pipe_names
    reference = spacy.load(settings.spacy_model, exclude=["lemmatizer"])
    tokens = mismatches = 0
    for text in TEXTS:
        for ours, theirs in zip(fast(text), reference(text)):
            tokens += 1
            mismatches += ours.pos_ != theirs.pos_
    assert tokens > 80 and mismatches == 0


def test_fast_pos_agrees_on_real_news(settings):
    from pathlib import Path

    import pytest

    corpus = Path(__file__).resolve().parent.parent.parent / "shared/data/eval/geoparsing_gritta/Geocoding/files"
    if not corpus.is_dir():
        pytest.skip(f"GeoWebNews texts are not at {corpus} (../shared is outside the repo)")
    texts = [path.read_text(encoding="utf-8") for path in sorted(corpus.iterdir())[:20]]
    fast = load_model(settings.spacy_model)
    reference = spacy.load(settings.spacy_model, exclude=["lemmatizer"])
    pairs = [(ours.pos_, theirs.pos_) for a, b in zip(fast.pipe(texts), reference.pipe(texts)) for ours, theirs in zip(a, b)]
    assert len(pairs) > 5000 and sum(ours != theirs for ours, theirs in pairs) == 0
