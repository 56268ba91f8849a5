"""Languages: detection per document and paragraph, routing to each language's pipeline, lemmas of
Ukrainian and Russian, unsupported languages marked and counted, posts without words skipped.

The sentences are written by the team; the places are real."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from sitrep.extract.language import LanguageTally, detect_languages, guess, script_verdict
from sitrep.extract.nlp import load_lemmatizer
from sitrep.ingest import SKIPPED_NO_WORDS, has_words, read_input

ENGLISH = "Russian forces shelled Kupiansk on Tuesday, the governor of Kharkiv region said."
UKRAINIAN = "Противник завдав ракетного удару по Кліщіївці, повідомив Генеральний штаб ЗСУ."
RUSSIAN = "Подразделения группировки войск «Юг» отразили три атаки в районе Клещеевки."
BELARUSIAN = "Расійскія войскі абстралялі Херсон уначы, паведаміў губернатар вобласці."
GERMAN = "Die russische Armee hat in der Nacht Charkiw mit Raketen beschossen, teilte der Gouverneur mit."


@pytest.mark.parametrize("text, language", [
    (ENGLISH, "en"), (UKRAINIAN, "uk"), (RUSSIAN, "ru"), (BELARUSIAN, "be"), (GERMAN, "de"),
    ("华为是一家总部位于深圳的公司，成立于一九八七年。", "und"),
])
def test_detects_the_language_of_a_document(text, language):
    assert detect_languages([text]).document == language


@pytest.mark.parametrize("paragraph", [
    "📹 Drone footage of the assault, filmed by our aerial reconnaissance.",
    "The Meridian Institute will continue to report on the Zaporizhzhia front.",
    "Robotyne, Verbove, Novoprokopivka, Mala Tokmachka",
])
def test_english_paragraphs_that_look_foreign_to_trigrams_stay_english(paragraph):
    assert detect_languages([ENGLISH, paragraph]).paragraphs == ("en", "en")


def test_mixed_document_gets_a_language_per_paragraph_and_the_main_one():
    found = detect_languages([UKRAINIAN, RUSSIAN + " " + RUSSIAN, ENGLISH])
    assert found.paragraphs == ("uk", "ru", "en")
    assert found.document == "ru"  # most letters


def test_short_paragraph_takes_the_document_language_in_its_script():
    found = detect_languages([UKRAINIAN, "Бахмут", "Слава Україні!"])
    assert found.paragraphs == ("uk", "uk", "uk")
    found = detect_languages([RUSSIAN, "Бахмут"])
    assert found.paragraphs == ("ru", "ru")


def test_short_paragraph_in_another_script_keeps_its_own_language():
    assert detect_languages([ENGLISH, "Слава Україні!"]).paragraphs == ("en", "uk")


@pytest.mark.parametrize("letters, verdict", [
    ("київ", "uk"), ("объявлено", "ru"), ("эти", "ru"), ("беларуская мова ў", "be"), ("бахмут", None),
    ("кліщіївка и ещё", None),
])
def test_letters_only_one_language_writes_settle_a_tie(letters, verdict):
    assert script_verdict(list(letters)) == verdict


def test_text_without_letters_has_no_language():
    assert detect_languages(["🔥🔥🔥", "—"]).document is None
    assert guess("12:00").language is None


def test_reader_language_is_only_a_fallback():
    assert detect_languages([UKRAINIAN], given="en").document == "uk"
    assert detect_languages(["🔥"], given="uk-UA").document == "uk"


@pytest.mark.parametrize("language, word, lemma", [
    ("uk", "Кліщіївку", "кліщіївка"), ("uk", "Бахмутом", "бахмут"), ("uk", "обстріляв", "обстріляти"),
    ("ru", "отразили", "отразить"), ("ru", "беспилотников", "беспилотник"),
])
def test_cyrillic_words_get_their_lemma(language, word, lemma):
    doc = load_lemmatizer(language)(f"Наші {word} тут.")
    assert doc[1].lemma_ == lemma


def test_each_paragraph_is_routed_to_its_language(pipeline, make_document):
    extraction = pipeline.process(make_document(f"{ENGLISH}\n\n{UKRAINIAN}\n\n{RUSSIAN}"))
    languages = [claim.language for claim in extraction.claims]
    assert languages == ["en", "uk", "ru"]
    assert extraction.claims[0].event is not None  # English as before
    assert extraction.document.language in {"en", "uk", "ru"}


def test_cyrillic_paragraphs_are_split_into_sentences(pipeline, make_document):
    text = ("Вночі ворог обстріляв центр Херсона з артилерії. Поранено двох людей, один з них у важкому стані. "
            "Про це повідомила обласна військова адміністрація.")
    claims = pipeline.process(make_document(text)).claims
    assert [claim.text for claim in claims] == [
        "Вночі ворог обстріляв центр Херсона з артилерії.", "Поранено двох людей, один з них у важкому стані.",
        "Про це повідомила обласна військова адміністрація."]
    assert all(claim.language == "uk" for claim in claims)


def test_a_language_without_its_own_events_lexicon_gets_no_events(pipeline, make_document, monkeypatch):
    # "Bakhmut" alone is an English battle cue; inside a Ukrainian sentence the English lexicon must not code
    # an event. Pretend that Ukrainian has no lexicon yet, whatever lang/uk/ holds by now.
    import sitrep.pipeline

    monkeypatch.setattr(sitrep.pipeline, "has_lexicon", lambda language: language == "en")
    text = f"{ENGLISH}\n\nБахмут/Bakhmut: ворог атакував позиції 93 ОМБр біля Кліщіївки та Андріївки."
    claims = pipeline.process(make_document(text)).claims
    assert [(claim.language, claim.event is None, claim.part) for claim in claims] == [
        ("en", False, 0), ("uk", True, 0)]


@pytest.mark.parametrize("text", [
    "Бахмyт обстріляли вночі, повідомив Генштаб.",  # Latin y inside a Cyrillic word
    "Kиїв, Хаpків і Одесa: тривога.",  # Latin K, p, a
    "Бахмут/Bakhmut, Кліщіївка/Klishchiivka",
    "Въ городѣ Харьковѣ стрѣльба.",  # pre-reform spelling
    "Ўсё спакойна ў Гомелі.",
])
def test_mixed_scripts_do_not_crash(pipeline, make_document, text):
    extraction = pipeline.process(make_document(text))
    assert extraction.document.language is not None


def test_unsupported_language_is_stored_marked_and_counted(pipeline, make_document):
    before = pipeline.languages.copy()
    extraction = pipeline.process(make_document(f"{GERMAN}\n\n{ENGLISH}\n\n{BELARUSIAN}"))
    assert [claim.language for claim in extraction.claims] == ["en"]
    assert all(place.start > len(GERMAN) for place in extraction.places)  # German is not geoparsed
    assert GERMAN in extraction.document.text and extraction.document.language == "de"  # most letters
    tally = pipeline.languages.since(before)
    assert tally.unsupported_paragraphs() == {"de": 1, "be": 1}
    assert tally.unsupported_documents() == {"de": 1}
    german = pipeline.process(make_document(GERMAN))
    assert german.document.language == "de" and german.claims == [] and german.places == []
    assert pipeline.languages.since(before).unsupported_documents() == {"de": 2}


def test_tally_says_what_was_not_read():
    tally = LanguageTally()
    tally.add(detect_languages([GERMAN]))
    tally.add(detect_languages([ENGLISH, BELARUSIAN]))
    assert tally.unsupported_summary() == ("1 document and 2 paragraphs in languages sitrep does not read "
                                           "(be 1, de 1)")
    assert LanguageTally().unsupported_summary() is None


@pytest.mark.parametrize("text, words", [
    ("🔥🔥🔥", False), ("https://t.me/rybar/51234", False), ("👉 www.example.org/news?id=4 🇺🇦", False),
    ("12:00 — 14:30", False), ("Бахмут 🔥", True), ("Read more: https://example.org", True),
])
def test_posts_without_words(text, words):
    assert has_words(text) is words


def test_emoji_and_link_posts_are_no_documents(tmp_path: Path, settings):
    export = {"name": "Channel", "messages": [
        {"id": 1, "type": "message", "date": "2023-07-14T09:00:00", "text": "🔥🔥🔥"},
        {"id": 2, "type": "message", "date": "2023-07-14T09:01:00",
         "text": [{"type": "link", "text": "https://t.me/channel/1"}]},
        {"id": 3, "type": "message", "date": "2023-07-14T09:02:00", "text": UKRAINIAN},
    ]}
    path = tmp_path / "result.json"
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    skipped: Counter[str] = Counter()
    items = list(read_input(str(path), settings, skipped=skipped))
    assert [item.text for item in items] == [UKRAINIAN]
    assert skipped == {SKIPPED_NO_WORDS: 2}


def test_ingest_reports_skipped_posts_and_unread_languages(tmp_path: Path, store, pipeline, settings):
    from sitrep import service

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "emoji.txt").write_text("🔥🔥\n", encoding="utf-8")
    (inputs / "de.txt").write_text(GERMAN + "\n", encoding="utf-8")
    (inputs / "uk.txt").write_text(UKRAINIAN + "\n", encoding="utf-8")
    report = service.ingest([str(inputs)], store, lambda: pipeline, settings)
    assert report.ok, report.errors
    assert [outcome.status for outcome in report.files] == ["ingested", "skipped", "ingested"]
    assert report.skipped == {SKIPPED_NO_WORDS: 1}
    assert report.languages.unsupported_documents() == {"de": 1}
    assert report.documents_new == 2


def test_latin_lookalike_letters_do_not_hide_the_event_or_the_place(pipeline, make_document):
    extraction = pipeline.process(make_document("Окупанти обстрiляли Нiкополь з артилерiї.", outlet="Канал новин"))
    [claim] = extraction.claims
    assert claim.event is not None and claim.event.sub_event_type == "Shelling/artillery/missile attack"
    assert extraction.places[claim.event.place].name == "Nikopol"
