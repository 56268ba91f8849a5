"""Numbers a sentence states: casualties, captured people, equipment losses, distances.

A number counts something only when a cue says what: a casualty word ("six soldiers were
killed", "killed 6 civilians", "50 casualties"), an item of equipment ("destroyed 3 tanks"), a
distance unit ("1,200m") or a percent sign. Other numbers (a town of 70,000 people, subscribers,
years, calibres such as "155mm", model names such as "T-72") are not kept. Vague amounts
("dozens", "hundreds") are not numbers at all. The words live in ``extract/lang/<code>/numbers.yaml``;
Ukrainian and Russian write inflected words as stems ("загибл*" for загиблих, загиблі ...), which a
token's ``key`` carries, and their numerals in every case ("двоє", "трьох", "п'ятеро").

The sentence is split into word, number and punctuation tokens by one regular expression with no
nested repetition; everything after that looks at a bounded window of tokens, so the run time is
linear in the sentence's length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from sitrep.extract.lang import DEFAULT_LANGUAGE, resource
from sitrep.errors import InputError
from sitrep.models import Quantity

# A number of separated digit groups ("1,200", "1.5", "20,000"); anything else with separators
# ("1.2.3", "10,15") is not read as one number.
_NUMBER_FORMAT = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_DECIMAL_COMMA = re.compile(r"\d+(?:,\d+)?")  # Ukrainian and Russian: "1,5"
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)?|[^\w\s]")
# Four-digit numbers in this range, written without a separator, are years ("in 2023", "2020 jets").
YEAR_RANGE = range(1800, 2101)
# Words between a verb and its number ("destroyed a total of 40 tanks"): at most this many.
MAX_VERB_FILLERS = 3
# Auxiliaries between the people counted and the casualty word ("were reportedly killed").
MAX_AUXILIARIES = 3
# Words before a number searched for a death toll ("the death toll rose to 12").
TOLL_WINDOW = 4


@dataclass(frozen=True)
class Token:
    text: str
    lower: str
    start: int
    end: int
    key: str  # what the tables are matched on: the lower-case word, or the stem ("загин*") that it starts with


@dataclass(frozen=True)
class Rules:
    numbers: dict[str, int]
    scales: dict[str, int]
    approximate: frozenset[tuple[str, ...]]
    range_joiners: frozenset[str]
    fillers: frozenset[str]
    bare_followers: frozenset[str]
    casualty_after: dict[tuple[str, ...], str]
    casualty_before: dict[tuple[str, ...], str]
    casualty_nouns: dict[tuple[str, ...], str]
    people: frozenset[tuple[str, ...]]
    auxiliaries: frozenset[str]
    max_modifiers: int
    toll_words: dict[str, str]  # word before a number -> the kind it makes the number ("death toll": killed)
    equipment: dict[tuple[str, ...], str]
    loss_before: frozenset[tuple[str, ...]]
    loss_after: frozenset[tuple[str, ...]]
    distance: dict[str, float]
    calibre: frozenset[str]
    percent: frozenset[tuple[str, ...]]
    currency: frozenset[str]
    month_names: frozenset[str]
    prefilter: re.Pattern[str]
    joiners: frozenset[str] = frozenset({"and", ","})
    stems: frozenset[str] = frozenset()  # stems written "stem*" in the tables, without the star
    counted: dict[tuple[str, ...], str] = field(default_factory=dict)  # nouns counted as "other" ("атак": attack)
    month_case: bool = True  # a month name is one only with a capital initial (English)
    decimal_comma: bool = False  # "1,5 км" is 1.5 (not 15)
    fold: dict[int, str] = field(default_factory=dict)  # letters read as others ("ё" as "е", any apostrophe as ')


_INFLECTED_FOLD = str.maketrans({"’": "'", "ʼ": "'", "ё": "е"})


def _words(phrase: str) -> tuple[str, ...]:
    """A phrase of the tables as the keys of its words; "загибл*" is one key, a stem."""
    words: list[str] = []
    for word in _TOKEN.findall(phrase.lower().translate(_INFLECTED_FOLD) if "*" in phrase else phrase.lower()):
        if word == "*" and words:
            words[-1] += "*"
        else:
            words.append(word)
    return tuple(words)


def _phrases(words) -> frozenset[tuple[str, ...]]:
    return frozenset(_words(word) for word in words)


def _by_phrase(table: dict[str, list[str]]) -> dict[tuple[str, ...], str]:
    return {_words(word): name for name, words in table.items() for word in words}


def _pattern_word(word: str) -> str:
    """A word of the prefilter: a stem reaches over any ending."""
    return re.escape(word[:-1]) + r"\w*" if word.endswith("*") else re.escape(word)


@lru_cache(maxsize=8)
def rules(language: str = DEFAULT_LANGUAGE) -> Rules:
    """The rules of ``extract/lang/<language>/numbers.yaml``, loaded once per language; English's for
    a language without its own file."""
    try:
        raw = yaml.safe_load(resource("numbers.yaml", language).read_text("utf-8"))
    except (ModuleNotFoundError, FileNotFoundError):
        if language == DEFAULT_LANGUAGE:
            raise
        return rules(DEFAULT_LANGUAGE)
    inflected = bool(raw.get("inflected"))
    fold = _INFLECTED_FOLD if inflected else {}
    casualties = raw["casualties"]
    cue_words = {word for spec in casualties.values() for key in ("after", "before", "nouns") if inflected
                 for word in spec.get(key, [])}
    cue_words |= {word for spec in casualties.values() for key in ("after", "before") for word in spec.get(key, [])}
    cue_words |= {*raw["equipment_loss"]["before"], *raw["equipment_loss"]["after"]}
    counting = [word for word in [*raw["numbers"], *raw["scales"]] if word not in ("a", "an", "single")]
    prefilter = "|".join(_pattern_word(word.lower().translate(fold))
                         for word in sorted({*counting, *cue_words}, key=len, reverse=True))
    toll = raw["toll_words"]
    table = Rules(
        numbers={word.translate(fold): value for word, value in raw["numbers"].items()}, scales=raw["scales"],
        approximate=_phrases(raw["approximate"]),
        range_joiners=frozenset(raw["range_joiners"]), fillers=frozenset(raw["verb_fillers"]),
        bare_followers=frozenset(raw["bare_followers"]),
        casualty_after=_by_phrase({kind: spec.get("after", []) for kind, spec in casualties.items()}),
        casualty_before=_by_phrase({kind: spec.get("before", []) for kind, spec in casualties.items()}),
        casualty_nouns=_by_phrase({kind: spec.get("nouns", []) for kind, spec in casualties.items()}),
        people=_phrases(raw["people"]), auxiliaries=frozenset(raw["auxiliaries"]),
        max_modifiers=raw["max_modifiers"],
        toll_words={_words(word)[0]: kind for kind, words in (toll.items() if isinstance(toll, dict)
                                                              else [("killed", toll)])
                    for word in words if len(_words(word)) == 1},  # one word each: "toll" of "death toll"
        equipment=_by_phrase(raw["equipment"]),
        loss_before=_phrases(raw["equipment_loss"]["before"]), loss_after=_phrases(raw["equipment_loss"]["after"]),
        distance=raw["distance_units"], calibre=frozenset(raw["calibre_units"]), percent=_phrases(raw["percent"]),
        currency=frozenset(raw["currency"]), month_names=frozenset(raw["month_names"]),
        prefilter=re.compile(rf"\d|\b(?:{prefilter})\b", re.IGNORECASE),
        joiners=frozenset(raw.get("joiners", ["and", ","])), counted=_by_phrase(raw.get("counted", {})),
        month_case=not inflected, decimal_comma=bool(raw.get("decimal_comma")), fold=fold,
    )
    stems = {word[:-1] for phrases in (table.casualty_after, table.casualty_before, table.casualty_nouns, table.people,
                                       table.equipment, table.loss_before, table.loss_after, table.counted,
                                       table.approximate, table.toll_words, table.month_names)
             for phrase in phrases for word in (phrase if isinstance(phrase, tuple) else (phrase,))
             if word.endswith("*")}
    return Rules(**{**table.__dict__, "stems": frozenset(stems)})


def _key(lower: str, stems: frozenset[str]) -> str:
    """The word's key: the longest stem it starts with, written "stem*", else the word itself."""
    if stems and lower[:1].isalpha():
        for length in range(len(lower), 1, -1):
            if lower[:length] in stems:
                return lower[:length] + "*"
    return lower


@dataclass
class _Count:
    """A number phrase and what the words around it say it counts."""

    first: int  # token index of the first word (a qualifier such as "at least")
    last: int  # token index of the number's last word, the upper end of a range included
    value: float
    approximate: bool
    article: bool = False  # "a"/"an": counts one only before a person or an item
    kind: str | None = None
    unit: str | None = None
    noun: str | None = None  # "people", "equipment", "casualty" or None
    span: list[int] = field(default_factory=list)  # token indices that the quantity's text covers
    cue: str | None = None  # "before" or "after": where the kind came from


def quantities(sentence: str, offset: int = 0, language: str = DEFAULT_LANGUAGE) -> list[Quantity]:
    """The quantities the sentence states, with offsets into the document (``offset`` is the
    sentence's own offset), in text order. ``language`` is the sentence's language code, which picks
    the rules."""
    if not isinstance(sentence, str):
        raise InputError("numbers", f"a sentence must be text, not {type(sentence).__name__}")
    table = rules(language or DEFAULT_LANGUAGE)
    folded = sentence.translate(table.fold) if table.fold else sentence  # the same length: offsets hold
    if not table.prefilter.search(folded):
        return []
    tokens = []
    for m in _TOKEN.finditer(folded):
        lower = m.group(0).lower()
        tokens.append(Token(sentence[m.start():m.end()], lower, m.start(), m.end(), _key(lower, table.stems)))
    counts = _counts(tokens, table)
    _coordinate(tokens, counts, table)
    found = []
    for count in counts:
        if count.kind is None:
            continue
        start, end = tokens[min(count.span)].start, tokens[max(count.span)].end
        found.append(Quantity(kind=count.kind, value=count.value, unit=count.unit, approximate=count.approximate,
                              text=sentence[start:end], start=offset + start, end=offset + end))
    return found


def fatalities(quantities: list[Quantity]) -> int | None:
    """Deaths the quantities state, counted as ACLED does: the lower end of a range, the number
    after "at least"/"more than", nothing for vague amounts. Separate death counts in the list
    (two groups in one sentence) add up; casualties (killed and wounded) are not deaths."""
    killed = [quantity.value for quantity in quantities if quantity.kind == "killed"]
    return int(sum(killed)) if killed else None


def _counts(tokens: list[Token], table: Rules) -> list[_Count]:
    counts: list[_Count] = []
    index = 0
    while index < len(tokens):
        count = _number_phrase(tokens, index, table)
        if count is None:
            index += 1
            continue
        if not _not_a_count(tokens, count, table):
            _classify(tokens, count, table)
            counts.append(count)
        index = count.last + 1
    return counts


def _match(tokens: list[Token], index: int, phrases) -> int:
    """Length of the longest phrase (a tuple of lower-case words) that starts at ``index``; 0 if none."""
    best = 0
    for length in range(1, 5):
        if index + length <= len(tokens) and tuple(t.key for t in tokens[index:index + length]) in phrases:
            best = length
    return best


def _ends_at(tokens: list[Token], last: int, phrases) -> int:
    """Length of the longest phrase that ends at token ``last``; 0 if none."""
    best = 0
    for length in range(1, 5):
        if last - length + 1 >= 0 and tuple(t.key for t in tokens[last - length + 1:last + 1]) in phrases:
            best = length
    return best


def _number_phrase(tokens: list[Token], index: int, table: Rules) -> _Count | None:
    """The number starting at ``index``, behind an optional qualifier and with an optional range."""
    qualifier = _match(tokens, index, table.approximate)
    read = _read_number(tokens, index + qualifier, table)
    if read is None:
        return None
    value, last, article = read
    approximate = bool(qualifier)
    if last + 2 < len(tokens) and (tokens[last + 1].lower in table.range_joiners
                                   or (tokens[last + 1].lower == "and" and tokens[index].lower == "between")):
        upper = _read_number(tokens, last + 2, table)
        if upper is not None and not upper[2]:
            value, last, approximate = min(value, upper[0]), upper[1], True
    if article and qualifier:
        return None
    return _Count(index, last, value, approximate, article=article, span=[index, last])


def _read_number(tokens: list[Token], index: int, table: Rules) -> tuple[float, int, bool] | None:
    """(value, index of its last token, written as an article) for digits or number words."""
    if index >= len(tokens):
        return None
    token = tokens[index]
    if token.text[0].isdigit():
        if table.decimal_comma:
            if not _DECIMAL_COMMA.fullmatch(token.text):
                return None
            value, last = float(token.text.replace(",", ".")), index
        elif not _NUMBER_FORMAT.fullmatch(token.text):
            return None
        else:
            value, last = float(token.text.replace(",", "")), index
        if index + 1 < len(tokens) and tokens[index + 1].lower in table.scales:
            value, last = value * table.scales[tokens[index + 1].lower], index + 1
        return value, last, False
    return _read_words(tokens, index, table)


def _read_words(tokens: list[Token], index: int, table: Rules) -> tuple[float, int, bool] | None:
    """A number in words: "six", "twenty-one", "two hundred and fifty", "a dozen", "a civilian"."""
    total, current, last, position = 0, 0, None, index
    while position < len(tokens):
        word = tokens[position].lower
        if word in table.numbers and (last is None or word not in ("a", "an", "single")):
            current += table.numbers[word]
        elif word in table.scales and last is not None:
            current = max(current, 1) * table.scales[word]
            if table.scales[word] >= 1000:
                total, current = total + current, 0
        elif word in ("-", "and") and last is not None and position + 1 < len(tokens) \
                and tokens[position + 1].lower in table.numbers and tokens[position + 1].lower not in ("a", "an"):
            position += 1
            continue
        else:
            break
        last = position
        position += 1
    if last is None:
        return None
    article = last == index and tokens[index].lower in ("a", "an")
    return float(total + current), last, article


def _not_a_count(tokens: list[Token], count: _Count, table: Rules) -> bool:
    """Years, dates, times, model names, ordinals and compound adjectives ("nine-month")."""
    number, after, before = tokens[count.last], _at(tokens, count.last + 1), _at(tokens, count.first - 1)
    glued_after = after is not None and after.start == number.end
    if number.text.isdigit() and len(number.text) == 4 and int(number.text) in YEAR_RANGE:
        return True  # news style writes counts this large with a separator ("1,500"); bare ones are years
    if before is not None and before.lower in ("-", "/", ":") and before.end == tokens[count.first].start:
        return True  # T-72, Su-25, 9/7, 10:30
    if after is not None and after.lower in (":", "/") and glued_after:
        return True
    if glued_after and after.text[0].isalpha() and after.lower not in table.distance \
            and after.lower not in table.calibre and (after.lower,) not in table.percent:
        return True  # 9th, 2S19, 34s
    if after is not None and after.lower in ("-", "–"):
        following = _at(tokens, count.last + 2)
        return following is not None and following.text[0].isalpha() and following.lower not in table.distance
    return any(word is not None and (word.lower in table.month_names or word.key in table.month_names)
               and (word.text[0].isupper() or not table.month_case)
               for word in (after, before))  # 9 July, July 9, 9 березня


def _at(tokens: list[Token], index: int) -> Token | None:
    return tokens[index] if 0 <= index < len(tokens) else None


def _classify(tokens: list[Token], count: _Count, table: Rules) -> None:
    """Fill ``kind``, ``unit`` and ``span`` from the words right after the number, then before it."""
    after = count.last + 1
    if not count.article and _measure(tokens, count, after, table):
        return
    if _match(tokens, after, {("of",)}) and (inner := _number_phrase(tokens, after + 1, table)):
        after = inner.last + 1  # "14 of 16 drones": the items are those of the larger number
    noun_at, noun_length, noun, unit = _noun(tokens, after, table)
    if count.article and noun not in ("people", "equipment"):
        return
    if noun:
        count.noun, count.unit = noun, unit
        count.span.append(noun_at + noun_length - 1)
        after = noun_at + noun_length
    if noun == "casualty":
        count.kind, count.unit = unit, None
    elif noun == "counted" and noun_at == count.last + 1:
        count.kind = "other"  # "12 атак": counted, no casualty or loss; not "93 ОМБр відбила атаку"
    elif noun == "equipment":
        _equipment(tokens, count, after, table)
    elif noun == "people" or noun is None:
        _casualty(tokens, count, after, table, bare=noun is None)
    if count.kind is None and not count.article and (kind := _toll(tokens, count.first, table)):
        count.kind = kind


def _measure(tokens: list[Token], count: _Count, after: int, table: Rules) -> bool:
    """Distances ("2 km", "1,200m", "a 10-km stretch"), percentages and calibres (not kept)."""
    if _match(tokens, after, {("-",)}) and _at(tokens, after + 1) and tokens[after + 1].lower in table.distance:
        after += 1
    word = _at(tokens, after)
    if word is None:
        return False
    if word.lower in table.calibre:
        return True  # measured, never kept: a 155mm shell is one shell
    if (length := _match(tokens, after, table.percent)):
        count.kind, count.unit = "other", "%"
        count.span.append(after + length - 1)
        return True
    if word.lower in table.distance and not _million(tokens, count, after, table):
        count.kind, count.unit = "distance", "km"
        count.value = round(count.value * table.distance[word.lower], 6)
        count.span.append(after)
        return True
    return False


def _million(tokens: list[Token], count: _Count, unit_at: int, table: Rules) -> bool:
    """"5m people", "£5m": "m" for million, not metres."""
    if tokens[unit_at].lower != "m":
        return False
    before = _at(tokens, count.first - 1)
    if before is not None and before.lower in table.currency:
        return True
    return any(_match(tokens, unit_at + 1, phrases) for phrases in (table.people, table.equipment))


def _noun(tokens: list[Token], index: int, table: Rules) -> tuple[int, int, str | None, str | None]:
    """(position, length, "people"/"equipment"/"casualty", unit) of the first noun after at most
    ``max_modifiers`` adjectives or model names ("Leopard 2", "T-72"); a noun repeated with a
    longer name ("Shahed drones") extends it."""
    position, modifiers = index, 0
    while position < len(tokens) and modifiers <= table.max_modifiers:
        for phrases, noun in ((table.casualty_nouns, "casualty"), (table.equipment, "equipment"),
                              (table.people, "people"), (table.counted, "counted")):
            if (length := _match(tokens, position, phrases)):
                unit = phrases.get(tuple(t.key for t in tokens[position:position + length])) \
                    if isinstance(phrases, dict) else None
                return position, _extend(tokens, position, length, phrases, unit), noun, unit
        if not _modifier(tokens, position, table):
            break
        modifiers += tokens[position].text[0].isalpha()
        position += 1
    return index, 0, None, None


def _modifier(tokens: list[Token], position: int, table: Rules) -> bool:
    """An adjective, or part of a model name: "Russian", "Leopard 2", "T-72"."""
    token, before = tokens[position], _at(tokens, position - 1)
    if token.text[0].isalpha():
        return token.lower not in table.auxiliaries and token.lower not in table.joiners \
            and not _match(tokens, position, table.casualty_after)
    glued = before is not None and before.end == token.start
    return (token.text == "-" and glued) or (token.text[0].isdigit() and before is not None
                                             and (glued or before.text.istitle()))


def _extend(tokens: list[Token], position: int, length: int, phrases, unit: str | None) -> int:
    """Grow a noun over the same kind of noun that follows ("Shahed drones", "more soldiers")."""
    while (more := _match(tokens, position + length, phrases)):
        words = tuple(t.key for t in tokens[position + length:position + length + more])
        if isinstance(phrases, dict) and phrases[words] != unit:
            break
        length += more
    return length


def _verb_before(tokens: list[Token], first: int, phrases, table: Rules) -> tuple[int, tuple[str, ...]] | None:
    """(index, words) of a verb phrase that ends just before ``first``, past a few filler words."""
    position = first - 1
    for _ in range(MAX_VERB_FILLERS + 1):
        if position < 0:
            return None
        if (length := _ends_at(tokens, position, phrases)):
            return position - length + 1, tuple(t.key for t in tokens[position - length + 1:position + 1])
        if tokens[position].lower not in table.fillers:
            return None
        position -= 1
    return None


def _after_cue(tokens: list[Token], index: int, phrases, table: Rules) -> tuple[int, int] | None:
    """(position, length) of a cue phrase after ``index``, past a few auxiliaries."""
    position = index
    for _ in range(MAX_AUXILIARIES + 1):
        if (length := _match(tokens, position, phrases)):
            return position, length
        if position >= len(tokens) or tokens[position].lower not in table.auxiliaries:
            return None
        position += 1
    return None


def _casualty(tokens: list[Token], count: _Count, after: int, table: Rules, bare: bool) -> None:
    """Killed, wounded, captured or missing: a casualty word after the people counted, or a verb
    before the number. A bare number after a verb needs a clause boundary ("killing 6.")."""
    if (cue := _after_cue(tokens, after, table.casualty_after, table)):
        position, length = cue
        words = tuple(t.key for t in tokens[position:position + length])
        count.kind, count.cue = table.casualty_after[words], "after"
        count.span.append(position + length - 1)
        return
    verb = _verb_before(tokens, count.first, table.casualty_before, table)
    if verb is None:
        return
    next_token = _at(tokens, after)
    if bare and next_token is not None and next_token.text[0].isalnum() and next_token.lower not in table.joiners \
            and next_token.lower not in table.bare_followers:
        return
    kind = table.casualty_before[verb[1]]
    count.kind, count.cue = kind, "before"
    count.span.append(verb[0])


def _equipment(tokens: list[Token], count: _Count, after: int, table: Rules) -> None:
    """Items lost ("destroyed 3 tanks", "two drones were shot down"); other counted items are "other"."""
    before = _at(tokens, count.first - 1)
    if before is not None and count.first > 1 and before.text.istitle() and not count.article:
        return  # a model name: "Leopard 2 tanks", "Patriot 3 launchers"
    if (cue := _after_cue(tokens, after, table.loss_after, table)):
        count.kind, count.cue = "equipment", "after"
        count.span.append(cue[0] + cue[1] - 1)
    elif (verb := _verb_before(tokens, count.first, table.loss_before, table)):
        count.kind, count.cue = "equipment", "before"
        count.span.append(verb[0])
    elif not count.article:
        count.kind = "other"  # counted but not lost ("launched 40 drones"); "a tank" alone is no count


def _toll(tokens: list[Token], first: int, table: Rules) -> str | None:
    """The kind that a toll word shortly before the number gives it ("death toll rose to 12": killed;
    "втрати ворога склали 100": casualties); None without one, or with another number in between."""
    window = tokens[max(0, first - TOLL_WINDOW):first]
    if any(token.text[0].isdigit() for token in window):
        return None
    return next((table.toll_words[token.key] for token in window if token.key in table.toll_words), None)


def _coordinate(tokens: list[Token], counts: list[_Count], table: Rules) -> None:
    """Share a kind across "and": "destroyed 3 tanks and 2 drones" (the verb reaches forward),
    "two soldiers and three civilians were killed" (the participle reaches back)."""
    for previous, current in zip(counts, counts[1:]):
        joined = max(previous.span) + 1 < len(tokens) and tokens[max(previous.span) + 1].lower in table.joiners \
            and current.first == max(previous.span) + 2
        if not joined:
            continue
        if previous.cue == "before" and current.cue is None and current.noun == previous.noun:
            current.kind, current.cue = previous.kind, "before"
    for previous, current in zip(reversed(counts[:-1]), reversed(counts[1:])):
        joined = max(previous.span) + 1 < len(tokens) and tokens[max(previous.span) + 1].lower in table.joiners \
            and current.first == max(previous.span) + 2
        if joined and current.cue == "after" and previous.cue is None and previous.noun == "people" == current.noun:
            previous.kind, previous.cue = current.kind, "after"
