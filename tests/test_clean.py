import datetime as dt

import pytest

from sitrep.extract.clean import clean, normalise, paragraphs


def test_seed_captions_boilerplate_and_dateline(seed_text, make_document):
    document = clean(make_document(seed_text))
    assert document.published == dt.date(2023, 7, 9)
    assert [caption.credit.endswith("/AP") for caption in document.captions] == [True, True, True]
    for caption in document.captions:
        assert document.text[caption.start:caption.end] == caption.text
        assert "/AP" not in caption.text
    reasons = {removed.reason for removed in document.removed}
    assert reasons == {"dateline", "ad"}
    assert "ADVERTISEMENT" not in document.text
    assert not document.text.startswith("date")


@pytest.mark.parametrize("line, reason", [
    ("Advertisement", "ad"),
    ("ADVERTISEMENT", "ad"),
    ("Scroll to continue reading", "ad"),
    ("Sign up for our daily war briefing newsletter", "newsletter"),
    ("Read more: Kyiv says it has retaken ground near Robotyne", "related-link"),
    ("Share this article", "share"),
    ("Follow us on Telegram for live updates", "promo"),
    ("© 2023 Kyiv Daily Monitor. All rights reserved.", "copyright"),
])
def test_boilerplate_lines_are_removed_with_reason(line, reason, make_document):
    text = f"date 2023-08-01\nShelling hit Orikhiv overnight, the regional governor said.\n\n{line}\n\nTwo people were hurt."
    document = clean(make_document(text))
    assert line not in document.text
    assert {"text": line, "reason": reason} in [removed.model_dump() for removed in document.removed]
    assert "Two people were hurt." in document.text


def test_body_sentences_with_boilerplate_words_stay(make_document):
    text = ("The brigade said the advertisement for recruits drew hundreds of volunteers in Dnipro.\n\n"
            "Read more about the evacuation in our explainer, officials in Kupiansk said on Monday after days of shelling.")
    document = clean(make_document(text))
    assert document.removed == []
    assert "advertisement for recruits" in document.text


@pytest.mark.parametrize("line, text, credit", [
    ("Firefighters work at a damaged grain terminal in Odesa - Oleksii Riabko/AP",
     "Firefighters work at a damaged grain terminal in Odesa", "Oleksii Riabko/AP"),
    ("Soldiers of a Ukrainian assault brigade near Robotyne - Reuters",
     "Soldiers of a Ukrainian assault brigade near Robotyne", "Reuters"),
    ("A destroyed bridge over the Oskil river near Kupiansk - Photo: AFP via Getty Images",
     "A destroyed bridge over the Oskil river near Kupiansk", "Photo: AFP via Getty Images"),
    ("A burnt-out tank lies in a field near Orikhiv. Photo: Ivan Sydorenko/AFP via Getty Images",
     "A burnt-out tank lies in a field near Orikhiv", "Photo: Ivan Sydorenko/AFP via Getty Images"),
])
def test_captions_kept_as_paragraphs_with_credit(line, text, credit, make_document):
    body = "Russian forces shelled the town again on Tuesday, the local administration said."
    document = clean(make_document(f"{body}\n{line}\n\n{body}"))
    assert len(document.captions) == 1
    caption = document.captions[0]
    assert (caption.text, caption.credit) == (text, credit)
    assert document.text[caption.start:caption.end] == text
    assert document.text.split("\n\n") == [body, text, body]


def test_quoted_remark_with_agency_is_not_a_caption(make_document):
    document = clean(make_document('"We are holding the line near Avdiivka," a commander told reporters - AP'))
    assert document.captions == []


@pytest.mark.parametrize("first_paragraph, expected_date, rest", [
    ("ZAPORIZHZHIA, Aug 2, 2023 (Frontline Wire) - A missile hit the city centre.", dt.date(2023, 8, 2),
     "A missile hit the city centre."),
    ("KYIV, July 9 (Reuters) - Air defence was active over the capital.", None,
     "Air defence was active over the capital."),
    ("date 2023-07-14\nHeavy fighting continued near Klishchiivka.", dt.date(2023, 7, 14),
     "Heavy fighting continued near Klishchiivka."),
    ("Published: 22 June 2023\nShelling hit Avdiivka.", dt.date(2023, 6, 22), "Shelling hit Avdiivka."),
])
def test_datelines(first_paragraph, expected_date, rest, make_document):
    document = clean(make_document(first_paragraph))
    assert document.published == expected_date
    assert document.text == rest
    assert document.removed[0].reason == "dateline"


def test_wire_dateline_without_year_takes_the_year_from_the_reader_and_is_the_reports_day(make_document):
    # Carried a day later, the story still speaks from its dateline's day ("on Monday" counts from it).
    document = clean(make_document("KYIV, July 9 (Reuters) - Sirens sounded.", published=dt.date(2023, 7, 10)))
    assert document.published == dt.date(2023, 7, 9)
    assert document.text == "Sirens sounded."


def test_dateline_without_agency_is_still_a_dateline_never_a_speaker(make_document):
    document = clean(make_document("KYIV, Aug 29 - Ukraine said its troops had recaptured Robotyne.",
                                   published=dt.date(2023, 8, 30)))
    assert document.published == dt.date(2023, 8, 29)
    assert document.text.startswith("Ukraine said")
    assert document.removed[0].reason == "dateline"


def test_a_dateline_far_older_than_the_page_leaves_the_pages_date(make_document):
    document = clean(make_document("KYIV, July 9 (Reuters) - Sirens sounded.", published=dt.date(2023, 9, 10)))
    assert document.published == dt.date(2023, 9, 10)


def test_normalise_quotes_spaces_and_invisible_characters():
    raw = "\u201cWe advanced\u201d,\u00a0said the\u200b commander\u2019s  aide.\r\nNext\tline"
    assert normalise(raw) == '"We advanced", said the commander\'s aide.\nNext line'


def test_hard_wrapped_lines_join_but_short_lines_do_not(make_document):
    wrapped = ("Ukrainian forces pressed their attacks south of Bakhmut on\n"
               "Sunday, according to the general staff.\n"
               "Headline style line\n"
               "another line")
    document = clean(make_document(wrapped))
    assert document.text.split("\n\n") == [
        "Ukrainian forces pressed their attacks south of Bakhmut on Sunday, according to the general staff.",
        "Headline style line", "another line"]


def test_a_long_heading_in_a_report_of_one_line_paragraphs_is_no_wrap(make_document):
    # A report that keeps each paragraph on one line: an unpunctuated line far shorter than its paragraphs
    # is a heading, even at 55 characters and more, and its sentence does not run into the next.
    paragraph = ("Ukrainian forces repelled Russian assaults near Klishchiivka and Andriivka on Sunday, and Russian "
                 "forces continued to shell settlements along the line of contact west of Bakhmut. ")
    text = paragraph * 3 + "\nSouthern axis: Russian efforts along the west bank of the Dnipro\n" + paragraph * 2
    document = clean(make_document(text))
    assert "Southern axis: Russian efforts along the west bank of the Dnipro" in document.text.split("\n\n")
    # The same line inside hard-wrapped text (lines of 60 to 70 characters) is still joined.
    wrapped = ("Ukrainian forces pressed their attacks south of Bakhmut and near\n"
               "Southern axis: Russian efforts along the west bank of the Dnipro\n"
               "as the general staff said on Sunday in its morning report.")
    assert len(clean(make_document(wrapped)).text.split("\n\n")) == 1


def test_paragraph_offsets_point_into_text(make_document):
    document = clean(make_document("One para here.\n\nTwo para here.\nA - Reuters wire credit line"))
    for start, text in paragraphs(document.text):
        assert document.text[start:start + len(text)] == text


@pytest.mark.parametrize("typed, read", [
    ("Окупанти обстрiляли Нiкополь.", "Окупанти обстріляли Нікополь."),  # Latin i from the wrong layout
    ("Бахмyт і Хаpків", "Бахмут і Харків"),  # Latin y and p
    ("Бахмут/Bakhmut", "Бахмут/Bakhmut"),  # a Latin word stays Latin
    ("iPhone 15", "iPhone 15"),
])
def test_latin_lookalikes_inside_cyrillic_words_are_read_as_cyrillic(typed, read):
    from sitrep.extract.clean import normalise

    assert normalise(typed) == read
    assert len(normalise(typed)) == len(typed)


def test_a_dateline_under_a_headline_and_a_byline_dates_the_report(make_document):
    # A page copied with its headline, byline and a bare date line, and a wire story under its headline
    page = clean(make_document("Shelling intensifies around Marinka\n\nBy A. Writer, Eastern Desk\n\n"
                               "Thursday 22 June 2023 08:40 BST\n\nRussian forces shelled Marinka overnight."))
    assert page.published == dt.date(2023, 6, 22) and "BST" not in page.text
    wire = clean(make_document("Missiles hit Zaporizhzhia\n\nBy B. Writer\n\nZAPORIZHZHIA, Aug 2 (Frontline Wire) - "
                               "Russian missiles struck the city overnight.", published=dt.date(2023, 8, 3)))
    assert wire.published == dt.date(2023, 8, 2) and not wire.text.count("Frontline Wire")
    # a date in the body, after a sentence, dates nothing
    body = clean(make_document("Fighting near Bakhmut\n\nTroops advanced on Monday, the governor said.\n\n"
                               "12 June 2023"))
    assert body.published is None
