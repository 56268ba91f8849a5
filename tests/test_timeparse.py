"""Event dates: relative, absolute and anchored expressions, with their ranges and precision."""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.errors import InputError
from sitrep.extract.timeparse import DateResolver

D = dt.date
# A Thursday in a leap year, so that weekdays, "29 February" and clipping at publication all show.
PUBLISHED = D(2024, 3, 14)


@pytest.mark.parametrize("sentence, start, end, precision, anchor", [
    ("Kharkiv was shelled yesterday.", D(2024, 3, 13), D(2024, 3, 13), "day", "published"),
    ("The governor said two people died today.", PUBLISHED, PUBLISHED, "day", "published"),
    ("Drones hit Odesa on Monday.", D(2024, 3, 11), D(2024, 3, 11), "day", "published"),
    ("The bridge was struck on Thursday.", PUBLISHED, PUBLISHED, "day", "published"),
    ("The bridge was struck last Thursday.", D(2024, 3, 7), D(2024, 3, 7), "day", "published"),
    ("Russia launched drones overnight at Kyiv.", D(2024, 3, 13), D(2024, 3, 13), "day", "published"),
    ("Explosions were heard in Sumy last night.", D(2024, 3, 13), D(2024, 3, 13), "day", "published"),
    ("A missile hit Dnipro this morning.", PUBLISHED, PUBLISHED, "day", "published"),
    ("Troops crossed the river earlier this week.", D(2024, 3, 11), PUBLISHED, "week", "published"),
    ("Fighting intensified near Avdiivka last week.", D(2024, 3, 4), D(2024, 3, 10), "week", "published"),
    ("The village was retaken last month.", D(2024, 2, 1), D(2024, 2, 29), "month", "published"),
    ("Wagner took the town in May.", D(2023, 5, 1), D(2023, 5, 31), "month", "published"),
    ("Shelling of Kherson resumed in March.", D(2024, 3, 1), PUBLISHED, "month", "published"),
    ("Wagner took the town in May 2023.", D(2023, 5, 1), D(2023, 5, 31), "month", "absolute"),
    ("The dam was breached on 6 June.", D(2023, 6, 6), D(2023, 6, 6), "day", "published"),
    ("The dam was breached June 6.", D(2023, 6, 6), D(2023, 6, 6), "day", "published"),
    ("Kupiansk was shelled on 2 March.", D(2024, 3, 2), D(2024, 3, 2), "day", "published"),
    ("The ninth of July saw heavy fighting.", D(2023, 7, 9), D(2023, 7, 9), "day", "published"),
    ("Convoys were hit on 29 February.", D(2024, 2, 29), D(2024, 2, 29), "day", "published"),
    ("Robotyne has been contested since June.", D(2023, 6, 1), PUBLISHED, "month", "published"),
    ("Mariupol fell after a nine-month siege.", D(2023, 6, 14), PUBLISHED, "month", "published"),
    ("The town has been shelled for weeks.", D(2024, 2, 29), PUBLISHED, "week", "published"),
    ("The offensive failed last year.", D(2023, 1, 1), D(2023, 12, 31), "year", "published"),
    ("Russia annexed Crimea in 2014.", D(2014, 1, 1), D(2014, 12, 31), "year", "absolute"),
    ("The depot burned two days ago.", D(2024, 3, 12), D(2024, 3, 12), "day", "published"),
    ("The depot burned three weeks ago.", D(2024, 2, 19), D(2024, 2, 25), "week", "published"),
    ("Over the past 24 hours, 40 attacks were repelled.", D(2024, 3, 13), PUBLISHED, "day", "published"),
    ("Strikes on the grid peaked in the winter of 2022-23.", D(2022, 12, 1), D(2023, 2, 28), "month", "absolute"),
    ("The full invasion began on February 24, 2022.", D(2022, 2, 24), D(2022, 2, 24), "day", "absolute"),
    ("Kyiv has been under attack since 24 February 2022.", D(2022, 2, 24), PUBLISHED, "day", "absolute"),
    ("The war report is dated 2023-11-05.", D(2023, 11, 5), D(2023, 11, 5), "day", "absolute"),
])
def test_expression_resolves_to_range(sentence, start, end, precision, anchor):
    date = DateResolver(PUBLISHED).resolve(sentence)
    assert date is not None, sentence
    assert (date.start, date.end, date.precision, date.anchor) == (start, end, precision, anchor)
    assert date.expression and date.expression.lower() in sentence.lower()


@pytest.mark.parametrize("sentence", [
    "The order 9/7 was signed.",  # day/month or month/day: ambiguous, skipped
    "Talks were set for 31 February.",  # no such day
    "A nine-year-old boy was hurt.",  # an age, not a duration
    "The mayor said it may rain.",  # "may" is not May
    "Troops held the line.",
    "Бахмут обстріляли, «цитата без кінця",
])
def test_sentence_without_a_date_gives_none(sentence):
    assert DateResolver(PUBLISHED).resolve(sentence) is None


def test_parts_of_a_month_split_it():
    resolver = DateResolver(PUBLISHED)
    early, late = resolver.resolve("in early May 2023"), resolver.resolve("in late May 2023")
    assert early.start == D(2023, 5, 1) and late.end == D(2023, 5, 31)
    assert early.end < late.start


def test_point_beats_duration_in_the_same_sentence():
    date = DateResolver(PUBLISHED).resolve("After a three-week battle, the village fell yesterday.")
    assert (date.start, date.expression) == (D(2024, 3, 13), "yesterday")


@pytest.mark.parametrize("sentence", ["yesterday", "on Monday", "in May", "last week", "two days ago",
                                      "for weeks", "since 2014", "on 9 July"])
def test_relative_expression_needs_a_publication_date(sentence):
    assert DateResolver(None).resolve(sentence) is None


@pytest.mark.parametrize("sentence, start, precision", [
    ("in May 2023", D(2023, 5, 1), "month"),
    ("on 9 July 2023", D(2023, 7, 9), "day"),
    ("in 2014", D(2014, 1, 1), "year"),
])
def test_absolute_expression_resolves_without_a_publication_date(sentence, start, precision):
    date = DateResolver(None).resolve(sentence)
    assert (date.start, date.precision, date.anchor) == (start, precision, "absolute")


def test_anchored_clause_uses_the_date_of_an_earlier_sentence():
    resolver = DateResolver(D(2023, 7, 9))
    assert resolver.resolve("Wagner captured Bakhmut in May.", 0) is not None
    date = resolver.resolve("Kyiv pushed back less than two months after Wagner captured Bakhmut.", 40)
    assert (date.start, date.end, date.precision, date.anchor) == (D(2023, 5, 1), D(2023, 7, 9), "month", "text")
    later = resolver.resolve("Kyiv struck two months after Wagner captured Bakhmut.", 120)
    assert (later.start, later.end, later.anchor) == (D(2023, 7, 1), D(2023, 7, 9), "text")


def test_anchored_date_is_never_in_the_future():
    resolver = DateResolver(D(2023, 7, 9))
    resolver.resolve("Wagner captured Bakhmut in May.", 0)
    assert resolver.resolve("Kyiv struck three months after Wagner captured Bakhmut.", 40) is None


@pytest.mark.parametrize("earlier", [None, "Wagner fighters rested in May.", "Kherson was freed in November 2022."])
def test_anchored_clause_without_a_matching_event_gives_none(earlier):
    resolver = DateResolver(D(2023, 7, 9))
    if earlier:
        resolver.resolve(earlier, 0)
    assert resolver.resolve("Kyiv pushed back less than two months after Wagner captured Bakhmut.", 50) is None


def test_document_state_does_not_leak_between_resolvers():
    first = DateResolver(D(2023, 7, 9))
    first.resolve("Wagner captured Bakhmut in May.")
    assert DateResolver(D(2023, 7, 9)).resolve("two months after Wagner captured Bakhmut") is None


def test_datetime_publication_is_read_as_its_day():
    date = DateResolver(dt.datetime(2024, 3, 14, 23, 50)).resolve("yesterday")
    assert date.start == D(2024, 3, 13)


def test_bad_input_is_a_clear_error():
    with pytest.raises(InputError, match="must be text"):
        DateResolver(PUBLISHED).resolve(None)
    with pytest.raises(InputError, match="publication date"):
        DateResolver("2024-03-14")


@pytest.mark.parametrize("text", [
    "fighting continued near the town " * 600,
    "in May " * 3000,
    "less than two months after " * 800,
    "31 February and " * 1500,
    "«Бахмут " * 3000,
    '"an unclosed quote ' * 1200,
])
def test_long_unpunctuated_input_returns(text):
    assert len(text) >= 18000
    result = DateResolver(PUBLISHED).resolve(text)
    assert result is None or result.end <= PUBLISHED
