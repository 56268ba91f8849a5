"""Event dates: when a sentence says its event happened, as a range with a precision.

Relative expressions ("yesterday", "last week", "in May", "two days ago", "a nine-month siege")
count from the publication date; absolute ones ("9 July 2023", "in 2014", "the winter of
2022-23") need none; anchored ones ("less than two months after Wagner captured Bakhmut") count
from a date that an earlier sentence of the same document gave to the event they name. The
words (months, weekdays, number words, units, cue words) live in ``extract/lang/<code>/timeparse.yaml``;
Ukrainian and Russian ("минулої доби", "в ночь на 5 марта", "у травні 2023 року") have their own
patterns for inflected names (``_inflected_patterns``). Each sentence is read with the rules of its
language; a language without its own file is read with English's.

A ``DateResolver`` is built once per document and fed its sentences in order. When a sentence
states no date, ``resolve`` returns None and the caller decides what to fall back to. No date
ever ends after the publication date: a range that would is clipped, one that would start after
it is dropped.

Every pattern is built from bounded pieces with no nested repetition, so the run time is linear
in the length of the sentence, however long and unpunctuated.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from sitrep.extract.lang import DEFAULT_LANGUAGE, resource
from sitrep.errors import InputError
from sitrep.models import DatePrecision, EventDate

PRECISION_ORDER: tuple[DatePrecision, ...] = ("day", "week", "month", "year")
# An anchored clause ("after Wagner captured Bakhmut") names an earlier event when it shares at
# least this many content words with the sentence that dated it. Set on hand-written examples:
# one shared word is usually an actor or place that the whole article is about, which links
# unrelated events; two shared words (actor and place, or place and verb) rarely do.
MIN_ANCHOR_OVERLAP = 2
# How far an anchored clause runs after "after"/"before", in characters: a clause, not a page.
MAX_ANCHOR_CLAUSE = 120
# Tiers: a stated point in time wins over an anchored one, which wins over a duration.
TIER_POINT, TIER_ANCHORED, TIER_DURATION = 0, 1, 2


@dataclass(frozen=True)
class Unit:
    name: str
    precision: DatePrecision
    days: int = 0
    months: int = 0


@dataclass(frozen=True)
class Rules:
    months: dict[str, int]
    weekdays: dict[str, int]
    numbers: dict[str, int]
    ordinals: dict[str, int]
    units: dict[str, Unit]
    relative: dict[str, dict]
    parts: dict[str, tuple[float, float]]
    seasons: dict[str, tuple[int, int]]
    hedges: dict[str, str]
    vague_count: int
    stopwords: frozenset[str]
    patterns: tuple[tuple[str, int, re.Pattern[str]], ...]
    # The words a date needs (see _vocabulary): a sentence with none of them and no digit states no
    # date, and is skipped without running the patterns (most sentences of a report are such).
    vocabulary: frozenset[str] = frozenset()
    word: re.Pattern[str] = re.compile(r"[a-z]+")  # what a word of the vocabulary is made of
    last_words: frozenset[str] = frozenset({"last"})  # "last Monday", said on a Monday, is a week ago
    since: tuple[str, ...] = ("since",)  # words before a date that open it up to publication


def _fold(text: str) -> str:
    """Lower case with one apostrophe and no "ё", for looking up inflected words (English has neither)."""
    return text.lower().translate(_FOLD)


_FOLD = str.maketrans({"’": "'", "ʼ": "'", "ё": "е"})


def _alternation(words) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=8)
def rules(language: str = DEFAULT_LANGUAGE) -> Rules:
    """The rules of ``extract/lang/<language>/timeparse.yaml`` and the patterns built from them, loaded
    once per language; English's for a language without its own file."""
    try:
        raw = yaml.safe_load(resource("timeparse.yaml", language).read_text("utf-8"))
    except (ModuleNotFoundError, FileNotFoundError):
        if language == DEFAULT_LANGUAGE:
            raise
        return rules(DEFAULT_LANGUAGE)
    if raw.get("grammar") == "inflected":
        return _inflected_rules(raw)
    months: dict[str, int] = {}
    for number, (name, abbreviations) in enumerate(raw["months"].items(), start=1):
        for form in [name, *abbreviations]:
            months[form.lower()] = number
    units = {form: Unit(name, spec["precision"], spec.get("days", 0), spec.get("months", 0))
             for name, spec in raw["units"].items() for form in spec["forms"]}
    hedges = {phrase: kind for kind, phrases in raw["anchor_hedges"].items() for phrase in phrases}
    base = Rules(
        months=months, weekdays={day.lower(): index for index, day in enumerate(raw["weekdays"])},
        numbers=raw["numbers"], ordinals=raw["ordinals"], units=units, relative=raw["relative"],
        parts={part: tuple(share) for part, share in raw["parts"].items()},
        seasons={season: tuple(span) for season, span in raw["seasons"].items()}, hedges=hedges,
        vague_count=raw["vague_duration_count"], stopwords=frozenset(raw["stopwords"]), patterns=(),
    )
    return Rules(**{**base.__dict__, "patterns": _patterns(base, raw), "vocabulary": _vocabulary(base)})


def _vocabulary(base: "Rules") -> frozenset[str]:
    """The words without which no expression can match: names of months, weekdays, seasons and parts
    of the day, time units and relative words. Numbers and hedges ("two", "less than") need a unit."""
    words: set[str] = set()
    for table in (base.months, base.weekdays, base.units, base.relative, base.parts, base.seasons):
        for key in table:
            words.update(_WORD.findall(key.lower()))
    # Modifiers that never make a date alone ("last week" needs "week", "early May" needs "May").
    return frozenset(word for word in words if len(word) > 2) - base.stopwords - _MODIFIERS


_MODIFIERS = frozenset({"the", "this", "last", "next", "before", "after", "earlier", "early", "late", "mid"})
_WORD = re.compile(r"[a-z]+")


def _patterns(base: Rules, raw: dict) -> tuple:
    """The expressions, each a (handler, tier, pattern). Names are case-sensitive, the rest not."""
    full, abbreviated = list(raw["months"]), [form for forms in raw["months"].values() for form in forms]
    month = rf"(?-i:(?:{_alternation(full)})(?![A-Za-z])|(?:{_alternation(abbreviated)})(?![A-Za-z])\.?)"
    weekday = rf"(?-i:{_alternation(raw['weekdays'])})(?![a-z])"
    word = _alternation(base.numbers)
    number = rf"(?:\d{{1,3}}|(?:{word})(?:-(?:{word}))?)"
    ordinal = rf"(?:\d{{1,2}}(?:st|nd|rd|th)?|(?:(?:{word})-)?(?:{_alternation(base.ordinals)}))"
    unit = _alternation(base.units)
    singular = _alternation(raw["units"])
    cue = _alternation(raw["month_cues"])
    part = _alternation(base.parts)
    table = [
        ("iso", TIER_POINT, r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b"),
        # "April 12-13", "12-13 April": a range of days (ISW's overnight reports).
        ("day_range", TIER_POINT, rf"\b(?P<month>{month})\s+(?P<d>\d{{1,2}})\s*[-–]\s*(?P<d2>\d{{1,2}})\b"
                                  rf"(?:,?\s+(?P<y>\d{{4}})\b)?"),
        ("day_range", TIER_POINT, rf"\b(?P<d>\d{{1,2}})\s*[-–]\s*(?P<d2>\d{{1,2}})\s+(?P<month>{month})"
                                  rf"(?:,?\s+(?P<y>\d{{4}})\b)?"),
        ("day_month", TIER_POINT, rf"\b(?:the\s+)?(?P<d>{ordinal})(?:\s+of)?\s+(?P<month>{month})"
                                  rf"(?:,?\s+(?P<y>\d{{4}})\b)?"),
        ("day_month", TIER_POINT, rf"\b(?P<month>{month})\s+(?:the\s+)?(?P<d>{ordinal})\b(?![.,]?\d)"
                                  rf"(?:,?\s+(?P<y>\d{{4}})\b)?"),
        ("season", TIER_POINT, rf"\b(?:the\s+)?(?P<season>{_alternation(base.seasons)})\s+(?:of\s+)?"
                               rf"(?P<y>\d{{4}})(?:\s*[-/–]\s*(?P<y2>\d{{2}}(?:\d{{2}})?))?\b"),
        ("month", TIER_POINT, rf"\b(?:(?P<cue>{cue})\s+)?(?:(?P<part>{part})[\s-]+)?(?P<month>{month})"
                              rf",?\s+(?P<y>\d{{4}})\b"),
        ("month", TIER_POINT, rf"\b(?:(?P<cue>{cue})\s+(?:(?P<part>{part})[\s-]+)?|(?P<part2>{part})[\s-]+)"
                              rf"(?P<month>{month})(?![,.]?\s*\d)"),
        ("year", TIER_POINT, rf"\b(?:(?P<cue>{cue})\s+(?:(?P<part>{part})[\s-]+)?|(?P<part2>{part})[\s-]+)"
                             rf"(?P<y>(?:19|20)\d{{2}})\b(?!\s*[-/–]\s*\d)"),
        ("relative", TIER_POINT, rf"\b(?P<rel>{_alternation(base.relative)})\b"),
        ("weekday", TIER_POINT, rf"\b(?:(?P<mod>last|this|on|since|early|late)\s+)?(?P<wd>{weekday})"),
        ("ago", TIER_POINT, rf"\b(?P<n>{number})\s+(?P<unit>{unit})\s+ago\b"),
        ("anchored", TIER_ANCHORED, rf"\b(?:(?P<hedge>{_alternation(base.hedges)})\s+)?(?P<n>{number})\s+"
                                    rf"(?P<unit>{unit})\s+(?P<dir>after|before)\s+"
                                    rf"(?P<clause>[^.;:!?,]{{1,{MAX_ANCHOR_CLAUSE}}})"),
        ("duration", TIER_DURATION, rf"\b(?P<n>{number})-(?P<unit>{singular})(?:-long)?\b(?![-\s]+old\b)"),
        ("duration", TIER_DURATION, rf"\b(?:for(?:\s+the\s+(?:past|last|previous))?|(?:over|in|during|within)"
                                    rf"\s+the\s+(?:past|last|previous))\s+(?:(?P<n>{number})\s+)?"
                                    rf"(?P<unit>{unit})\b"),
    ]
    return tuple((handler, tier, re.compile(pattern, re.IGNORECASE)) for handler, tier, pattern in table)


# --- Ukrainian and Russian ----------------------------------------------------------------------

def _inflected_rules(raw: dict) -> Rules:
    """The rules of a language that inflects its month and weekday names (``grammar: inflected``)."""
    months = {_fold(form): number for number, forms in enumerate(raw["months"], start=1) for form in forms}
    weekdays = {_fold(form): index for index, forms in enumerate(raw["weekdays"]) for form in forms}
    units = {_fold(form): Unit(name, spec["precision"], spec.get("days", 0), spec.get("months", 0))
             for name, spec in raw["units"].items() for form in [*spec["forms"], name]}  # relative names the unit
    base = Rules(
        months=months, weekdays=weekdays, numbers={_fold(word): value for word, value in raw["numbers"].items()},
        ordinals={}, units=units, relative={_fold(phrase): rule for phrase, rule in raw["relative"].items()},
        parts={_fold(part): tuple(share) for part, share in raw["parts"].items()}, seasons={}, hedges={},
        vague_count=raw["vague_duration_count"], stopwords=frozenset(raw["stopwords"]), patterns=(),
        word=re.compile(r"[^\W\d_]+"), last_words=frozenset(_fold(word) for word in raw["weekday_last"]),
        since=tuple(_fold(word) for word in raw["since_cues"]),
    )
    words: set[str] = set()
    for table in (months, weekdays, [form for spec in raw["units"].values() for form in spec["forms"]], base.relative):
        for key in table:
            words.update(base.word.findall(key))
    vocabulary = frozenset(words) - base.stopwords - {_fold(word) for word in raw["weekday_cues"]}
    return Rules(**{**base.__dict__, "patterns": _inflected_patterns(base, raw), "vocabulary": vocabulary})


def _forms(words) -> str:
    """An alternation of inflected words (longest first) in which an apostrophe is any apostrophe and
    "е" is also "ё", followed by no further letter."""
    def form(word: str) -> str:
        return re.escape(_fold(word)).replace("'", "['’ʼ]").replace("е", "[её]").replace(r"\ ", r"\s+")
    return "(?:" + "|".join(form(word) for word in sorted(set(words), key=len, reverse=True)) + r")(?![^\W\d_])"


def _inflected_patterns(base: Rules, raw: dict) -> tuple:
    """The expressions of a language that inflects its names, each a (handler, tier, pattern); the
    handlers are those of the English ones, and ``_night``. Matched without regard to case."""
    every_month = [form for forms in raw["months"] for form in forms]
    month = _forms(every_month)
    bare_month = _forms([form for form in every_month if form not in raw.get("ambiguous_months", [])])
    year = rf"(?P<y>(?:1[89]|20)\d{{2}})\s*(?:-?[^\W\d_]{{1,3}}\s+)?{_forms(raw['year_words'])}"
    optional_year = rf"(?:\s+{year})?"
    day = r"(?P<d>\d{1,2})(?:-?[^\W\d_]{1,3})?"
    cue, part = _forms(raw["month_cues"]), _forms(raw["parts"])
    weekday = _forms([form for forms in raw["weekdays"] for form in forms])
    number = rf"(?:\d{{1,3}}|{_forms(base.numbers)})"
    unit = _forms([form for spec in raw["units"].values() for form in spec["forms"]])
    night_range = rf"{_forms(raw['night_range_cues'])}\s+\d{{1,2}}\s+{_forms(raw['night_range_joiners'])}"
    table = [
        ("iso", TIER_POINT, r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b"),
        ("night", TIER_POINT, rf"(?<![^\W\d_])(?:{_forms(raw['night_cues'])}|{night_range})\s+"
                              rf"(?:{day}\s+(?P<month>{month}){optional_year}|(?P<wd>{weekday}))"),
        ("day_range", TIER_POINT, rf"\b(?P<d>\d{{1,2}})\s*[-–]\s*(?P<d2>\d{{1,2}})\s+(?P<month>{month})"
                                  rf"{optional_year}"),
        ("day_month", TIER_POINT, rf"\b{day}\s+(?P<month>{month}){optional_year}"),
        ("month", TIER_POINT, rf"(?<![^\W\d_])(?:(?P<cue>{cue})\s+)?(?:(?P<part>{part})\s+)?(?P<month>{month})"
                              rf"\s+{year}"),
        ("month", TIER_POINT, rf"(?<![^\W\d_])(?:(?P<cue>{cue})\s+(?:(?P<part>{part})\s+)?|(?P<part2>{part})\s+)"
                              rf"(?P<month>{bare_month})(?!\s*\d)"),
        ("year", TIER_POINT, rf"(?<![^\W\d_])(?:(?P<cue>{cue})\s+)?(?:(?P<part>{part})\s+)?{year}"),
        ("relative", TIER_POINT, rf"(?<![^\W\d_])(?P<rel>{_forms(base.relative)})"),
        ("weekday", TIER_POINT, rf"(?<![^\W\d_])(?P<mod>{_forms(raw['weekday_cues'])})\s+(?P<wd>{weekday})"),
        ("ago", TIER_POINT, rf"(?<![^\W\d_])(?:(?P<n>{number})\s+)?(?P<unit>{unit})\s+{_forms(raw['ago_words'])}"),
        ("duration", TIER_DURATION, rf"(?<![^\W\d_]){_forms(raw['duration_cues'])}\s+(?:(?P<n>{number})\s+)?"
                                    rf"(?P<unit>{unit})(?!\s+до\b)"),
    ]
    return tuple((handler, tier, re.compile(pattern, re.IGNORECASE)) for handler, tier, pattern in table)


# --- calendar arithmetic -------------------------------------------------------------------------

def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _shift(day: dt.date, unit: Unit, count: float) -> dt.date:
    """``day`` moved by ``count`` units; hours count in whole days, rounded towards ``day``."""
    if unit.months:
        return _add_months(day, round(count * unit.months))
    if unit.name == "hour":
        return day + dt.timedelta(days=math.copysign(abs(count) // 24, count))
    return day + dt.timedelta(days=round(count * unit.days))


def _unit_span(day: dt.date, precision: DatePrecision) -> tuple[dt.date, dt.date]:
    """The calendar day, week (Monday to Sunday), month or year that holds ``day``."""
    if precision == "week":
        monday = day - dt.timedelta(days=day.weekday())
        return monday, monday + dt.timedelta(days=6)
    if precision == "month":
        return day.replace(day=1), _month_end(day.year, day.month)
    if precision == "year":
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    return day, day


def _narrow(start: dt.date, end: dt.date, part: str | None, parts: dict) -> tuple[dt.date, dt.date]:
    """The early, middle or late share of a range ("early May", "mid-2023")."""
    if not part:
        return start, end
    first, last = parts[_fold(re.sub(r"\s+", " ", part))]
    length = (end - start).days
    return start + dt.timedelta(days=math.floor(first * length)), start + dt.timedelta(days=math.ceil(last * length))


def _coarser(a: DatePrecision, b: DatePrecision) -> DatePrecision:
    return max(a, b, key=PRECISION_ORDER.index)


# --- the resolver --------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Seen:
    """A date the document gave to a sentence, kept to date later clauses that refer to it."""

    offset: int
    words: frozenset[str]
    date: EventDate


class DateResolver:
    """Dates of one document's sentences, fed in order. Built once per document."""

    def __init__(self, published: dt.date | None):
        if isinstance(published, dt.datetime):
            published = published.date()
        if published is not None and not isinstance(published, dt.date):
            raise InputError("timeparse", f"the publication date must be a date, not {type(published).__name__}")
        self.published = published
        self.rules = rules()  # those of the language of the sentence being read (see _read)
        self._seen: list[_Seen] = []

    def _read(self, sentence: str, language: str) -> bool:
        """Take up the rules of the sentence's language; False when the sentence cannot state a date
        (no digit and none of the words a date needs), so that the patterns need not run."""
        self.rules = rules(language or DEFAULT_LANGUAGE)
        return any(character.isdigit() for character in sentence) or \
            not self.rules.vocabulary.isdisjoint(self.rules.word.findall(_fold(sentence)))

    def resolve(self, sentence: str, offset: int = 0, language: str = DEFAULT_LANGUAGE) -> EventDate | None:
        """The event date the sentence states, or None when it states none. ``language`` is the
        sentence's (its paragraph's) language code, which picks the rules.

        Steps: find every expression; keep the leftmost-longest of overlapping ones; try them by
        tier (points, then anchored, then durations) and position; the first that resolves wins
        and is remembered with the sentence's words for later anchored clauses.
        """
        if not isinstance(sentence, str):
            raise InputError("timeparse", f"a sentence must be text, not {type(sentence).__name__}")
        if not self._read(sentence, language):
            return None
        for tier, _, handler, match in self._candidates(sentence):
            try:
                date = getattr(self, f"_{handler}")(match, sentence, offset)
            except (ValueError, OverflowError):  # 31 February, year 0, a shift past year 9999
                date = None
            if date is not None:
                self._seen.append(_Seen(offset, self._content_words(sentence), date))
                return date
        return None

    def expressions(self, sentence: str, offset: int = 0,
                    language: str = DEFAULT_LANGUAGE) -> list[tuple[int, int, EventDate]]:
        """Every time expression of the sentence that resolves, as (start, end, date) with offsets into
        the sentence, in the order ``resolve`` tries them (points, then anchored, then durations; by
        position within each); nothing is remembered (``resolve`` does that). The claims stage
        attaches each to the verb it modifies, to tell the statement's day from the event's."""
        if not self._read(sentence, language):
            return []
        found = []
        for _tier, _, handler, match in self._candidates(sentence):
            try:
                date = getattr(self, f"_{handler}")(match, sentence, offset)
            except (ValueError, OverflowError):
                date = None
            if date is not None:
                found.append((match.start(), match.end(), date))
        return found

    def anchor_clauses(self, sentence: str, language: str = DEFAULT_LANGUAGE) -> list[tuple[int, int, EventDate]]:
        """For each "N units after/before <clause>" of the sentence, the date of the clause's own event,
        counted back from the sentence's event (its publication day): "pushed back ... less than two
        months after Wagner claimed it" dates Wagner's claim within the two months before. Offsets of the
        clause in the sentence; nothing is remembered."""
        self.rules = rules(language or DEFAULT_LANGUAGE)
        if self.published is None:
            return []
        found = []
        for handler, _tier, pattern in self.rules.patterns:
            if handler != "anchored":
                continue
            for match in pattern.finditer(sentence):
                date = self._clause_date(match)
                if date is not None:
                    found.append((match.start("clause"), match.end("clause"), date))
        return found

    def _clause_date(self, match) -> EventDate | None:
        unit = self.rules.units[match["unit"].lower()]
        count = self._count(match["n"]) * (-1 if match["dir"].lower() == "after" else 1)
        hedge = self.rules.hedges.get(re.sub(r"\s+", " ", (match["hedge"] or "").lower()), "exact")
        try:
            shifted = _shift(self.published, unit, count)
        except (ValueError, OverflowError):
            return None
        if hedge == "beyond" or count > 0:
            return None  # "more than two months after X", "before X": no bound on one side
        start, end = (shifted, self.published) if hedge == "within" else _unit_span(shifted, unit.precision)
        end = min(end, self.published)
        return EventDate(start=start, end=end, precision=unit.precision, expression=match.group(0)[:80].strip(),
                         anchor="text")

    def _candidates(self, sentence: str) -> list[tuple[int, int, str, re.Match[str]]]:
        found = sorted(((match.start(), -match.end(), tier, handler, match)
                        for handler, tier, pattern in self.rules.patterns
                        for match in pattern.finditer(sentence)), key=lambda item: item[:2])
        kept, reach = [], -1
        for start, negative_end, tier, handler, match in found:
            if start >= reach:
                kept.append((tier, start, handler, match))
                reach = -negative_end
        return sorted(kept, key=lambda item: item[:2])

    def _content_words(self, text: str) -> frozenset[str]:
        words = (re.sub(r"['’]s$", "", word) for word in re.findall(r"[^\W\d_][\w'’-]*", text.lower()))
        return frozenset(word for word in words if len(word) > 2 and word not in self.rules.stopwords)

    # Each handler returns the date its match states, or None; a ValueError means "no such date".

    def _finish(self, start: dt.date, end: dt.date, precision: DatePrecision, match: re.Match[str],
                sentence: str, anchor: str = "published") -> EventDate | None:
        """The date, opened up to the publication date after "since", and never in the future."""
        expression = match.group(0).strip()
        since = self._since(match, sentence)
        if since is not None:
            if self.published is None:
                return None
            end = self.published
            if not expression.lower().startswith(since.lower()):
                expression = f"{since} {expression}"
        if self.published is not None:
            if start > self.published:
                return None
            end = min(end, self.published)
        return EventDate(start=start, end=end, precision=precision, expression=expression, anchor=anchor)

    def _since(self, match: re.Match[str], sentence: str) -> str | None:
        """The word that opens the date up to publication ("since", "з", "с"), at its start or just
        before it; None when there is none."""
        if self.rules.since == ("since",):  # English: as the word ends the text before the date
            before = sentence[max(0, match.start() - 6):match.start()].lower()
            found = match.group(0).lower().startswith("since") or before.rstrip().endswith("since")
            return "since" if found else None
        first = match.group(0).split()[0]
        before = sentence[max(0, match.start() - 20):match.start()].split()
        for word in (first, before[-1] if before else ""):
            if _fold(word) in self.rules.since:
                return word
        return None

    def _year_for(self, month: int, day: int = 1) -> int | None:
        """The year of the latest (month, day) not after publication; None without a publication date."""
        if self.published is None:
            return None
        year = self.published.year
        return year if (month, day) <= (self.published.month, self.published.day) else year - 1

    def _iso(self, match, sentence, offset):
        day = dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
        return self._finish(day, day, "day", match, sentence, "absolute")

    def _day_month(self, match, sentence, offset):
        month = self.rules.months[_fold(match["month"].rstrip("."))]
        day_of_month = self._ordinal(match["d"])
        year = int(match["y"]) if match["y"] else self._year_for(month, day_of_month)
        if year is None:
            return None
        day = dt.date(year, month, day_of_month)
        return self._finish(day, day, "day", match, sentence, "absolute" if match["y"] else "published")

    def _day_range(self, match, sentence, offset):
        month = self.rules.months[_fold(match["month"].rstrip("."))]
        first, last = int(match["d"]), int(match["d2"])
        if not first < last:
            return None
        year = int(match["y"]) if match["y"] else self._year_for(month, first)
        if year is None:
            return None
        return self._finish(dt.date(year, month, first), dt.date(year, month, last), "day", match, sentence,
                            "absolute" if match["y"] else "published")

    def _ordinal(self, text: str) -> int:
        text = text.lower()
        digits = re.match(r"\d+", text)
        if digits:
            return int(digits.group(0))
        *tens, last = text.split("-")
        return sum(self.rules.numbers[word] for word in tens) + self.rules.ordinals[last]

    def _month(self, match, sentence, offset):
        month = self.rules.months[_fold(match["month"].rstrip("."))]
        year = int(match["y"]) if match.groupdict().get("y") else self._year_for(month)
        if year is None:
            return None
        start, end = _narrow(dt.date(year, month, 1), _month_end(year, month),
                             match["part"] or match.groupdict().get("part2"), self.rules.parts)
        anchor = "absolute" if match.groupdict().get("y") else "published"
        return self._finish(start, end, "month", match, sentence, anchor)

    def _year(self, match, sentence, offset):
        year = int(match["y"])
        start, end = _narrow(dt.date(year, 1, 1), dt.date(year, 12, 31),
                             match["part"] or match.groupdict().get("part2"), self.rules.parts)
        return self._finish(start, end, "year", match, sentence, "absolute")

    def _season(self, match, sentence, offset):
        first_month, months = self.rules.seasons[match["season"].lower()]
        start = dt.date(int(match["y"]), first_month, 1)
        last = _add_months(start, months - 1)
        return self._finish(start, _month_end(last.year, last.month), "month", match, sentence, "absolute")

    def _relative(self, match, sentence, offset):
        if self.published is None:
            return None
        rule = self.rules.relative[_fold(re.sub(r"\s+", " ", match["rel"]))]
        unit = self.rules.units[rule["unit"]]
        start, end = _unit_span(_shift(self.published, unit, rule["shift"]), unit.precision)
        return self._finish(start, self.published if rule.get("to_published") else end, unit.precision, match, sentence)

    def _weekday(self, match, sentence, offset):
        if self.published is None:
            return None
        back = (self.published.weekday() - self.rules.weekdays[_fold(match["wd"])]) % 7
        if back == 0 and _fold(re.sub(r"\s+", " ", match["mod"] or "")) in self.rules.last_words:
            back = 7  # "last Monday", said on a Monday, is a week ago
        day = self.published - dt.timedelta(days=back)
        return self._finish(day, day, "day", match, sentence)

    def _night(self, match, sentence, offset):
        """"у ніч на 5 березня", "в ночь на воскресенье": the night before that day, from the day it began
        to the day it ended (4-5 March; Saturday-Sunday), as ISW's "overnight on April 12-13"; a bare
        "overnight" ("вночі") is the day before publication alone."""
        if match["wd"]:
            if self.published is None:
                return None
            back = (self.published.weekday() - self.rules.weekdays[_fold(match["wd"])]) % 7
            day = self.published - dt.timedelta(days=back)
            anchor = "published"
        else:
            month, day_of_month = self.rules.months[_fold(match["month"])], self._ordinal(match["d"])
            year = int(match["y"]) if match["y"] else self._year_for(month, day_of_month)
            if year is None:
                return None
            day, anchor = dt.date(year, month, day_of_month), "absolute" if match["y"] else "published"
        night = day - dt.timedelta(days=1)
        return self._finish(night, day, "day", match, sentence, anchor)

    def _count(self, text: str | None) -> int:
        """A number written in digits or words ("9", "nine", "twenty-four"); none means a few."""
        if not text:
            return self.rules.vague_count
        text = _fold(text.strip())
        if text.isdigit():
            return int(text)
        return sum(self.rules.numbers[word] for word in text.split("-"))

    def _ago(self, match, sentence, offset):
        if self.published is None:
            return None
        unit = self.rules.units[_fold(match["unit"])]
        start, end = _unit_span(_shift(self.published, unit, -self._count(match["n"])), unit.precision)
        return self._finish(start, end, unit.precision, match, sentence)

    def _duration(self, match, sentence, offset):
        """A span that ends at the event: "a nine-month siege", "for weeks", "over the past three days"."""
        if self.published is None:
            return None
        unit = self.rules.units[_fold(match["unit"])]
        count = self._count(match["n"])
        if unit.name == "hour":
            count = math.ceil(count / 24) * 24
        return self._finish(_shift(self.published, unit, -count), self.published, unit.precision, match, sentence)

    def _anchored(self, match, sentence, offset):
        """A span after or before another event of the document ("less than two months after X")."""
        other = self._recall(match["clause"], offset)
        if other is None:
            return None
        unit = self.rules.units[match["unit"].lower()]
        count = self._count(match["n"]) * (1 if match["dir"].lower() == "after" else -1)
        hedge = self.rules.hedges.get(re.sub(r"\s+", " ", (match["hedge"] or "").lower()), "exact")
        start, end = _shift(other.start, unit, count), _shift(other.end, unit, count)
        if hedge == "within":
            start, end = min(other.start, start), max(other.end, end)
        elif hedge == "beyond":
            if count < 0:
                return None  # "more than two months before X" has no earliest date
            end = self.published or end
        return self._finish(start, end, _coarser(unit.precision, other.precision), match, sentence, "text")

    def _recall(self, clause: str, offset: int) -> EventDate | None:
        """The date of the earlier sentence that shares the most content words with ``clause``."""
        words = self._content_words(clause)
        best, best_overlap = None, MIN_ANCHOR_OVERLAP - 1
        for seen in self._seen:
            overlap = len(words & seen.words)
            if seen.offset <= offset and overlap > best_overlap:
                best, best_overlap = seen.date, overlap
        return best
