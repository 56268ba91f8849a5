"""Cyrillic place names in every grammatical case, in Ukrainian and Russian text.

The gazetteer holds each place's Cyrillic names in the nominative ("кліщіївка", "работино" reaches it
through its Latin alternate "Rabotino"). Text declines them: "у Кліщіївці", "під Бахмутом", "в районе
Клещеевки", "Донецької області", "на Авдіївському напрямку". Rather than index every case form of every
name (see docs/extraction.md, "Cyrillic places", for the measured cost), each capitalised Cyrillic word
is read back to its possible nominatives by ending rules (lang/uk and lang/ru geoparse.yaml), and a
candidate counts only when the gazetteer has it: a rule can only ever find a real name.

Steps for a run of capitalised Cyrillic words:
  1. an informal oblast name ("Харківщині") -> "харківська область", role region;
  2. an adjective before a region or district word ("Донецької області", "Бахмутського району") ->
     the region's or district's name, or the settlement the adjective is made from;
  3. an adjective before a direction word ("Авдеевском направлении") -> its settlement (an axis: roles.py);
  4. else the longest run of one to three words whose case forms name a place ("Великій Новосілці").
A preposition at a sentence's start ("Біля Кліщіївки") is a cue, never a place or a first name. A
people's adjective ("Українські військові") is no place unless a locative word precedes it, and "the
regional centre" ("обласного центру") is the oblast seat named last before it ("У Сумах ...").
A name the gazetteer lacks in Cyrillic is looked up through its Latin transliterations, in the war's
countries only ("Работино" -> "rabotino", an alternate name of Robotyne); with no locative word before
it, such a name counts only inside a sentence and near the fighting ("обстрелы Шебекино").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product

import yaml

from sitrep.errors import ConfigError
from sitrep.extract.lang import resource
from sitrep.extract.nlp import morph_analyzer

LANGUAGES = ("uk", "ru")
# Places reached through a Latin transliteration of a Cyrillic name must lie in these countries: there,
# GeoNames writes Cyrillic names in Latin; elsewhere "Мир" read as "Mir" would find anything.
BRIDGE_COUNTRIES = frozenset({"UA", "RU", "BY"})
# Quotation marks that open a name: «Богдана», „Юг“, "Центр".
OPENING_QUOTES = frozenset("«„\"“")
# The most words a place name runs to ("Велика Новосілка", "Часів Яр", "Нова Каховка").
MAX_WORDS = 3
# A candidate name shorter than this is never tried: two-letter stems match codes and syllables.
MIN_NAME_CHARS = 3
# ... though a word of a longer name may be shorter ("Яр" in "Часів Яр").
MIN_WORD_CHARS = 2

_LETTERS = "а-яёіїєґʼ'’"
_WORD = re.compile(rf"[А-ЯЁІЇЄҐ][{_LETTERS}]*(?:-[А-ЯЁІЇЄҐа-яёіїєґ][{_LETTERS}]*)*[а-яёіїєґ]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")


@dataclass(frozen=True)
class CyrillicRules:
    endings: tuple[tuple[str, str], ...]          # (ending in text, ending of the name), longest first
    adjective_endings: tuple[str, ...]
    adjective_stems: tuple[tuple[str, str], ...]
    region_informal: tuple[tuple[str, str], ...]
    region_informal_endings: tuple[str, ...]
    region_abbreviations: dict[str, tuple[str, ...]]
    region_abbreviation: re.Pattern[str]
    region_nouns: tuple[str, ...]
    region_adjectives: tuple[tuple[str, str], ...]
    district_nouns: tuple[str, ...]
    district_adjectives: tuple[tuple[str, str], ...]
    region_after: re.Pattern[str]
    district_after: re.Pattern[str]
    axis_after: re.Pattern[str]
    near_before: re.Pattern[str]
    locative_before: re.Pattern[str]
    settlement_before: re.Pattern[str]
    destination_before: re.Pattern[str]
    container_between: re.Pattern[str]
    stop_words: frozenset[str]
    people_adjectives: re.Pattern[str] = re.compile(r"(?!)")  # "українські", "российская": a people's adjective
    regional_centre: re.Pattern[str] = re.compile(r"(?!)")  # "обласного центру", "областного центра"
    cue_words: frozenset[str] = frozenset()  # one-word near and locative cues ("біля", "под"): no place
    body_after: re.Pattern[str] = re.compile(r"(?!)")  # "флоту": a body's name ("Чорноморського флоту")
    surname_endings: tuple[str, ...] = ()  # "-ов", "-ський": a capital word of that shape may be a surname
    river_before: re.Pattern[str] = re.compile(r"(?!)")  # "на лівому березі": the name after it is a river
    landmark_after: re.Pattern[str] = re.compile(r"(?!)")  # "драмтеатр": the adjective before it is its town
    landmark_near_after: re.Pattern[str] = re.compile(r"(?!)")  # "лесу": ... and the place lies near the town
    # Russian spelling -> Ukrainian spelling of a name (ru/geoparse.yaml): letters, endings, name parts.
    ukrainian_letters: dict = field(default_factory=dict)
    ukrainian_endings: tuple[tuple[str, str], ...] = ()
    ukrainian_parts: tuple[tuple[str, str], ...] = ()
    # Stems of ground fighting (see fights_near).
    fighting: re.Pattern[str] | None = None
    # Words before a region that make it the event's location when it contains no place before it.
    region_location_before: re.Pattern[str] = re.compile(r"(?!)")
    region_word: re.Pattern[str] = re.compile(r"(?!)")  # "області", "области": an oblast's noun, anywhere


def _alternation(words) -> str:
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))


def _pairs(rows) -> tuple[tuple[str, str], ...]:
    return tuple((str(a), str(b)) for a, b in rows)


@lru_cache(maxsize=1)
def cyrillic_rules() -> CyrillicRules:
    """The Ukrainian and Russian rules together; a broken file is a configuration error."""
    try:
        data = [yaml.safe_load(resource("geoparse.yaml", language).read_text("utf-8")) for language in LANGUAGES]
        return _compile(data)
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError, re.error) as error:
        raise ConfigError(f"sitrep/extract/lang/uk|ru/geoparse.yaml cannot be used: {error}; reinstall sitrep") from None


def _compile(data: list[dict]) -> CyrillicRules:
    def joined(key: str) -> list:
        return [item for part in data for item in part[key]]

    def optional(key: str) -> list:
        return [item for part in data for item in part.get(key) or ()]

    conjunctions = _alternation(joined("conjunctions"))

    def after(words: list[str]) -> re.Pattern[str]:
        # "на Покровському та Лиманському напрямках", "Краснопільська, Миропільська та Білопільська
        # громади": each name of a pair or a list takes the word too.
        capital = r"[А-ЯЁІЇЄҐ][\w'’-]*"
        listed = rf"(?:\s*,\s*{capital})+(?:\s*,?\s+(?:{conjunctions})\s+{capital})?"
        return re.compile(rf"^(?P<pair>{listed}|\s*,?\s+(?:{conjunctions})\s+{capital})?\s+(?:{_alternation(words)})(?![\w])",
                          re.IGNORECASE)

    def before(words: list[str]) -> re.Pattern[str]:
        return re.compile(rf"(?<![\w])(?:{_alternation(words)})\s+$", re.IGNORECASE)

    endings = sorted(dict.fromkeys(_pairs(joined("endings"))), key=lambda pair: -len(pair[0]))
    return CyrillicRules(
        endings=tuple(endings),
        adjective_endings=tuple(sorted(set(joined("adjective_endings")), key=len, reverse=True)),
        adjective_stems=_pairs(joined("adjective_stems")),
        region_informal=_pairs(joined("region_informal")),
        region_informal_endings=tuple(sorted(set(joined("region_informal_endings")), key=len, reverse=True)),
        region_abbreviations=_abbreviations(joined("region_abbreviations")),
        region_abbreviation=re.compile(rf"(?<![\w])(?:{_alternation([pair[0] for pair in joined('region_abbreviations')])})(?![\w])"),
        region_nouns=tuple(dict.fromkeys(part["region_noun"] for part in data)),
        region_adjectives=_pairs(joined("region_adjective_endings")),
        district_nouns=tuple(dict.fromkeys(part["district_noun"] for part in data)),
        district_adjectives=_pairs(joined("district_adjective_endings")),
        region_after=after(joined("region_words")),
        district_after=after(joined("district_words")),
        axis_after=after(joined("axis_words")),
        near_before=before(joined("near_cues")),
        locative_before=before(joined("locative_cues")),
        settlement_before=before(joined("settlement_cues")),
        destination_before=before(joined("destination_cues")),
        container_between=re.compile("|".join(f"(?:{part['container_between']})" for part in data)),
        stop_words=frozenset(word.lower() for word in joined("stop_words")),
        people_adjectives=re.compile(rf"(?:{_alternation(joined('people_adjective_stems'))})"
                                     rf"(?:{_alternation(joined('people_adjective_endings'))})"),
        regional_centre=re.compile(rf"(?<![\w])(?:{_alternation(joined('regional_centre_phrases'))})(?![\w])",
                                   re.IGNORECASE),
        surname_endings=tuple(sorted(set(joined("surname_endings")), key=len, reverse=True)),
        body_after=re.compile(rf"^\s+(?:{_alternation(joined('body_nouns'))})(?![\w])", re.IGNORECASE),
        river_before=before(joined("river_cues")),
        landmark_after=re.compile(rf"^\s+(?:{_alternation(joined('landmark_nouns'))})(?![\w])", re.IGNORECASE),
        landmark_near_after=re.compile(rf"^\s+(?:{_alternation(joined('landmark_near_nouns'))})(?![\w])",
                                       re.IGNORECASE),
        cue_words=frozenset(str(cue).lower() for cue in (*joined("near_cues"), *joined("locative_cues"))
                            if re.fullmatch(r"\w+", str(cue))),
        ukrainian_letters=str.maketrans(dict(_pairs(optional("ukrainian_letters")))),
        ukrainian_endings=tuple(sorted(_pairs(optional("ukrainian_endings")), key=lambda pair: -len(pair[0]))),
        ukrainian_parts=_pairs(optional("ukrainian_parts")),
        fighting=re.compile(rf"(?<![\w])(?:{_alternation(optional('fighting_stems'))})\w*", re.IGNORECASE)
        if optional("fighting_stems") else None,
        region_word=re.compile(rf"(?<![\w])(?:{_alternation(joined('region_words'))})(?![\w])", re.IGNORECASE),
        region_location_before=before(optional("region_location_cues")) if optional("region_location_cues")
        else re.compile(r"(?!)"),
    )


def fights_near(text: str, start: int, end: int) -> bool:
    """Whether the sentence around text[start:end] tells of ground fighting ("отражена атака у Пятихаток",
    "бої поблизу Лисівки"): the place is at the front."""
    pattern = cyrillic_rules().fighting
    if pattern is None:
        return False
    begin = max(text.rfind(stop, 0, start) for stop in ".!?\n") + 1
    finish = min((found for found in (text.find(stop, end) for stop in ".!?\n") if found != -1), default=len(text))
    return bool(pattern.search(text, begin, finish))


def is_cyrillic_span(text: str, start: int, end: int) -> bool:
    return _CYRILLIC.search(text, start, end) is not None


@dataclass(frozen=True)
class Found:
    """A Cyrillic phrase read as a place: its span, gazetteer key, more keys (Latin transliterations of
    the same name) and the role its words give it. An empty key marks a span that is no place (a
    person's name) and that no other pass may read as one."""

    start: int
    end: int
    key: str
    keys: tuple[str, ...] = ()
    role: str = "any"
    near: bool = False


def find_cyrillic(text: str, gazetteer, taken) -> list[Found]:
    """Declined Cyrillic place names of ``text`` that overlap nothing in ``taken`` (a recognise._Spans).
    See the module docstring for the steps."""
    if not _CYRILLIC.search(text):
        return []
    rules = cyrillic_rules()
    words = list(_WORD.finditer(text))
    found: list[Found] = []
    index = 0
    while index < len(words):
        word = words[index]
        if taken.overlaps(word.start(), word.end()):
            index += 1
            continue
        phrase, used = _read_at(text, words, index, gazetteer, rules, taken)
        if phrase is not None and (not phrase.key or not _stopped(text, phrase, rules)):
            found.append(phrase)
        index += max(used, 1)
    found.extend(_abbreviated_regions(text, gazetteer, rules, taken, found))
    return _with_regional_centres(text, sorted(found, key=lambda item: item.start), gazetteer, rules)


def _abbreviated_regions(text: str, gazetteer, rules: CyrillicRules, taken, found: list[Found]) -> list[Found]:
    """"освободили Воровское в ДНР": an oblast by the occupation's abbreviation, as written (all capitals,
    which the name pattern does not read)."""
    regions = []
    for match in rules.region_abbreviation.finditer(text):
        if taken.overlaps(match.start(), match.end()) or \
                any(item.start < match.end() and match.start() < item.end for item in found):
            continue
        key = _first_known(gazetteer, rules.region_abbreviations[match.group()])
        if key is not None:
            regions.append(Found(match.start(), match.end(), key, role="region"))
    return regions


# How far back an oblast named with its noun lets a later adjective stand for an oblast alone.
ELLIPSIS_WINDOW = 160

# GeoNames' code for the seat of a first-level division (an oblast's centre).
REGION_SEAT = "PPLA"


def _with_regional_centres(text: str, found: list[Found], gazetteer, rules: CyrillicRules) -> list[Found]:
    """``found`` and, for each "regional centre" phrase, the nearest name before it of an oblast's seat
    (GeoNames PPLA): "В Сумах ... по микрорайону областного центра" is Sumy. With no such name before
    it, the phrase stays unread."""
    for match in rules.regional_centre.finditer(text):
        if any(item.start < match.end() and match.start() < item.end for item in found):
            continue
        seats = [item for item in found if item.key and item.end <= match.start() and item.role == "any"
                 and any(entry.feature == REGION_SEAT for key in (item.key, *item.keys)
                         for entry in gazetteer.candidates(key))]
        if seats:
            seat = seats[-1]
            found.append(Found(match.start(), match.end(), seat.key, seat.keys))
    return sorted(found, key=lambda item: item.start)


def _elliptic_region(text: str, word: re.Match, gazetteer, rules: CyrillicRules) -> str | None:
    """"Над Брянской областью сбиты два БПЛА, над Курской — три": an oblast's adjective after a
    locative word, its noun left out because an oblast was just named with it. The oblast's key."""
    start = word.start()
    if not rules.locative_before.search(text, max(0, start - 32), start) or \
            not rules.region_word.search(text, max(0, start - ELLIPSIS_WINDOW), start):
        return None
    return _first_known(gazetteer, (f"{adjective} {noun}" for adjective in _replaced(word.group().lower(),
                                                                                     rules.region_adjectives)
                                    for noun in rules.region_nouns))


def _read_at(text: str, words: list[re.Match], index: int, gazetteer, rules: CyrillicRules, taken
             ) -> tuple[Found | None, int]:
    """The place that starts at word ``index``, and how many words it takes."""
    word = words[index]
    after = text[word.end():word.end() + 96]  # room for a list of names before their shared word
    if word.group().lower() in rules.cue_words:
        # "Біля Кліщіївки ...", "Под Угледаром ...": a preposition capitalised at a sentence's start is
        # a cue for the name after it, not a first name before a surname.
        return None, 1
    if rules.body_after.match(after):
        # "штаб Чорноморського флоту": an adjective that names a body (the Black Sea Fleet), not the
        # village of Chornomorske; no other pass may read it as one either.
        return Found(word.start(), word.end(), ""), 1
    if rules.river_before.search(text, max(0, word.start() - 32), word.start()):
        # "на лівий берег Дніпра": the river, not the city of Dnipro
        return Found(word.start(), word.end(), ""), 1
    if rules.people_adjectives.fullmatch(word.group().lower()) and \
            not rules.locative_before.search(text, max(0, word.start() - 32), word.start()):
        # "Українські військові просунулися ...": the people's adjective, not the town Українськ
        return Found(word.start(), word.end(), ""), 1
    informal = _informal_region(word.group(), gazetteer, rules)
    if informal is not None:
        return Found(word.start(), word.end(), informal, role="region"), 1
    for pattern, nouns, adjectives, role in ((rules.region_after, rules.region_nouns, rules.region_adjectives, "region"),
                                             (rules.district_after, rules.district_nouns, rules.district_adjectives,
                                              "district")):
        suffix = pattern.match(after)
        if suffix is None:
            continue
        end = word.end() + (0 if suffix.group("pair") else suffix.end())  # a pair's word stays outside
        key = _first_known(gazetteer, (f"{adjective} {noun}" for adjective in _replaced(word.group().lower(), adjectives)
                                       for noun in nouns))
        if key is not None:
            return Found(word.start(), end, key, role=role), 1
        key, keys = _settlement_of_adjective(word.group(), gazetteer, rules)
        if key is not None and role == "district":
            return Found(word.start(), end, key, keys, role="district"), 1
    key = _elliptic_region(text, word, gazetteer, rules)
    if key is not None:
        return Found(word.start(), word.end(), key, role="region"), 1
    if rules.axis_after.match(after):
        key, keys = _settlement_of_adjective(word.group(), gazetteer, rules)
        if key is not None:
            return Found(word.start(), word.end(), key, keys, near=True), 1
    for pattern, near in ((rules.landmark_after, False), (rules.landmark_near_after, True)):
        if pattern.match(after):
            # "Мариупольский драмтеатр" is in Mariupol, "в Кременском лесу" near Kreminna: the
            # adjective names the town the landmark belongs to.
            key, keys = _settlement_of_adjective(word.group(), gazetteer, rules)
            if key is not None:
                return Found(word.start(), word.end(), key, keys, near=near), 1
    run = _before_region_word(text, _run(text, words, index, taken), rules)
    if len(run) >= 2 and _first_name_and_surname(run[0].group(), run[1].group(), rules.surname_endings):
        # "подполковника Андрея Иванова": a person, not the town Иваново in its genitive
        return Found(word.start(), run[1].end(), ""), 2
    if text[max(0, word.start() - 1):word.start()] in OPENING_QUOTES and \
            not rules.locative_before.search(text, max(0, word.start() - 33), word.start() - 1):
        # "гаубицы «Богдана»", "группировки «Юг»": a name in quotes is a weapon's, a unit's or a
        # company's, not a place, unless a locative word comes before the quote ("в «Авдеевке»").
        return Found(word.start(), run[-1].end(), ""), len(run)
    for size in range(len(run), 0, -1):
        surfaces = [match.group().lower() for match in run[:size]]
        key, keys, as_written = _known_form(surfaces, gazetteer, rules)
        if key is None:
            continue
        # A near cue ("севернее Работино", "на околицях") says a place follows as a locative word does.
        located = rules.locative_before.search(text, max(0, word.start() - 32), word.start()) or \
            rules.near_before.search(text, max(0, word.start() - 32), word.start())
        if size < len(run) and not located:
            # "Олег Кіпер": a first name before a surname, not the village Олег (nor may the automaton take it)
            return Found(word.start(), run[-1].end(), ""), len(run)
        if not as_written and not located and \
                not rules.region_after.match(text[run[size - 1].end():run[size - 1].end() + 48]) and \
                not (_mid_sentence(text, run[0].start()) and not surfaces[-1].endswith(rules.surname_endings)
                     and _near_fighting(gazetteer, (key, *keys))):
            # Known only through a Latin transliteration or a Ukrainian spelling, with nothing around it
            # that says "place": a common word that happens to spell a faraway town ("Війська РФ
            # обстріляли ..." is not Biysk). A capital inside a sentence is a name, though, and one that
            # spells a place where the fighting is ("обстрелы Шебекино", "освобождении ВСУ Работино") is
            # that place, unless it is shaped like a surname ("заявил Песков" is the spokesman, not Pisky,
            # whose genitive it also is).
            return Found(word.start(), run[size - 1].end(), ""), size
        return Found(run[0].start(), run[size - 1].end(), key, keys), size
    return None, 1


def _run(text: str, words: list[re.Match], index: int, taken) -> list[re.Match]:
    """Up to MAX_WORDS capitalised words from ``index`` on, each one space after the one before."""
    run = [words[index]]
    for following in words[index + 1:index + MAX_WORDS]:
        if following.start() != run[-1].end() + 1 or text[run[-1].end()] != " " or \
                taken.overlaps(following.start(), following.end()):
            break
        run.append(following)
    return run


@lru_cache(maxsize=4096)
def _first_name_and_surname(first: str, second: str, surname_endings: tuple[str, ...]) -> bool:
    """Whether two capitalised words are a first name and a surname by one language's dictionary: the
    first word's likeliest reading is a first name, the second's a surname or shaped like one."""
    for language in LANGUAGES:
        analyzer = morph_analyzer(language)
        if "Name" in analyzer.parse(first)[0].tag and (
                "Surn" in analyzer.parse(second)[0].tag or second.lower().endswith(surname_endings)):
            return True
    return False


def _before_region_word(text: str, run: list[re.Match], rules: CyrillicRules) -> list[re.Match]:
    """The run up to an adjective that starts an oblast's or a district's name: in "Петропавловка
    Харьковской области" the place is one word, and the next is no surname after a first name."""
    for position in range(1, len(run)):
        after = text[run[position].end():run[position].end() + 96]
        if rules.region_after.match(after) or rules.district_after.match(after):
            return run[:position]
    return run


def _mid_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` follows a word, a number or a comma of its sentence: there a capital
    marks a name. At a sentence's start, after a quotation mark (an organisation's name: «Рубикон») or a
    dash, it may not."""
    before = text[:start].rstrip()
    return bool(before) and (before[-1].isalnum() or before[-1] == ",")


def _near_fighting(gazetteer, keys) -> bool:
    """Whether a place of one of ``keys`` in BRIDGE_COUNTRIES lies within FRONT_KM of the fighting
    (data/front.yaml, read by resolve.py)."""
    from sitrep.extract.geoparse.resolve import FRONT_KM, front_km

    return any(entry.country in BRIDGE_COUNTRIES and entry.lat is not None and entry.lon is not None
               and front_km(entry.lat, entry.lon) <= FRONT_KM
               for key in keys for entry in gazetteer.candidates(key))


def _stopped(text: str, found: Found, rules: CyrillicRules) -> bool:
    """A common word ("Перемога", "Мир") is a place only right after a settlement word or a near cue
    ("поблизу Прогресу": words are not what fighting is near)."""
    # The word as written counts too: "Рівно" ("exactly") reads as the city Рівне through an ending rule.
    if found.role != "any" or not {found.key, text[found.start:found.end].lower()} & rules.stop_words:
        return False
    return not _settlement_or_near(text, found.start, rules)


def _settlement_or_near(text: str, start: int, rules: CyrillicRules) -> bool:
    window = max(0, start - 32)
    return bool(rules.settlement_before.search(text, window, start) or rules.near_before.search(text, window, start))


def is_stop_word(text: str, start: int, end: int, key: str) -> bool:
    """For a nominative match of the gazetteer automaton: the same test as ``_stopped``."""
    rules = cyrillic_rules()
    return bool({key, text[start:end].lower()} & rules.stop_words) and not _settlement_or_near(text, start, rules)


def informal_region(word: str, gazetteer) -> str | None:
    """The oblast an informal name stands for ("Харківщина" -> "харківська область"), even where a
    village bears the name itself: in reporting it is the oblast."""
    return _informal_region(word, gazetteer, cyrillic_rules())


def lemmas(word: str, endings) -> list[str]:
    """The word as written, then each form its ending rules give, in rule order (longest ending first)."""
    forms = [word]
    for ending, replacement in endings:
        if word.endswith(ending) and len(word) - len(ending) + len(replacement) >= MIN_WORD_CHARS:
            form = word[:len(word) - len(ending)] + replacement
            if form not in forms:
                forms.append(form)
    return forms


def _replaced(word: str, pairs) -> list[str]:
    return [word[:len(word) - len(ending)] + replacement for ending, replacement in pairs if word.endswith(ending)]


def _known_form(surfaces: list[str], gazetteer, rules: CyrillicRules) -> tuple[str | None, tuple[str, ...], bool]:
    """The first combination of the words' case forms that the gazetteer knows, with the Latin keys of
    the same name; else the first combination known only in its Ukrainian spelling or through its Latin
    transliterations. The flag says whether the name was known as written (a reading through another
    spelling needs more evidence that it is a place: see _read_at)."""
    combinations = [" ".join(parts) for parts in product(*(lemmas(surface, rules.endings) for surface in surfaces))]
    known = [name for name in combinations if _known(gazetteer, name)]
    # A Russian spelling whose Ukrainian form the gazetteer knows in Cyrillic ("Петропавловка" ->
    # "петропавлівка", "в Невельском" -> "невельське") is that place, not a namesake that only its Latin
    # transliteration reaches ("Nevelsk" on Sakhalin, which a larger population would make win).
    spellings = [spelling for name in combinations for spelling in ukrainian_spellings(name, rules)]
    ukrainian = [spelling for spelling in spellings if _known(gazetteer, spelling)]
    if known:
        # Every reading counts: Russian leaves "Ласточкино" undeclined, and it is both a Crimean village's
        # name and the Russian form of Donetsk oblast's "Ласточкине"; "в Невельском" is Sakhalin's Nevelsk
        # or Donetsk oblast's Невельське. A named oblast or the fighting decides.
        keys = [key for name in known + ukrainian for key in (name, *_bridged(gazetteer, name))]
        return known[0], tuple(dict.fromkeys(keys[1:])), True
    latin = [key for name in combinations for key in _bridged(gazetteer, name)]
    if ukrainian:
        keys = [key for name in ukrainian for key in (name, *_bridged(gazetteer, name))]
        return ukrainian[0], tuple(dict.fromkeys(keys[1:])), False
    if latin:
        return latin[0], tuple(dict.fromkeys(latin[1:])), False
    return (*_first_bridged(spellings, gazetteer), False)


def _first_bridged(names: list[str], gazetteer) -> tuple[str | None, tuple[str, ...]]:
    """The Latin keys of the first of ``names`` that its transliterations reach, or (None, ())."""
    for name in names:
        keys = _bridged(gazetteer, name)
        if keys:
            return keys[0], keys[1:]
    return None, ()


def _in_ukrainian_spelling(names: list[str], gazetteer, rules: CyrillicRules) -> tuple[str | None, tuple[str, ...]]:
    """The first Ukrainian spelling of a Russian name that the gazetteer knows, in Cyrillic or through its
    Latin transliterations ("синьковка" -> "синьківка"); tried only when the name as written is unknown."""
    spellings = [spelling for name in names for spelling in ukrainian_spellings(name, rules)]
    for spelling in spellings:
        if _known(gazetteer, spelling):
            return spelling, _bridged(gazetteer, spelling)
    return _first_bridged(spellings, gazetteer)


def ukrainian_spellings(name: str, rules: CyrillicRules) -> list[str]:
    """Ukrainian spellings of a (lower-case, nominative) Russian name by the regular correspondences of
    ru/geoparse.yaml: each word's letters, one ending, then parts of names ("новоалександровка" ->
    "новоолександрівка"). The name itself is not among them."""
    words = []
    for word in name.split(" "):
        base = word.lower().translate(rules.ukrainian_letters)
        forms = {base} | {base[:len(base) - len(ending)] + replacement
                          for ending, replacement in rules.ukrainian_endings if base.endswith(ending)}
        for part, replacement in rules.ukrainian_parts:
            forms |= {form.replace(part, replacement, 1) for form in forms if part in form}
        words.append(sorted(forms))
    return [spelling for spelling in (" ".join(parts) for parts in product(*words)) if spelling != name]


def _settlement_of_adjective(word: str, gazetteer, rules: CyrillicRules) -> tuple[str | None, tuple[str, ...]]:
    """"Авдіївському" -> "авдіївка", "Покровского" -> "покровск": the settlement an adjective is made from."""
    lowered = word.lower()
    stems = [lowered[:len(lowered) - len(ending)] for ending in rules.adjective_endings if lowered.endswith(ending)]
    names = [stem[:len(stem) - len(ending)] + replacement for stem in stems
             for ending, replacement in rules.adjective_stems if stem.endswith(ending)]
    names = [name for name in dict.fromkeys(names) if len(name) >= MIN_NAME_CHARS]
    for name in names:
        if _known(gazetteer, name):
            return name, _bridged(gazetteer, name)
    key, keys = _first_bridged(names, gazetteer)
    return (key, keys) if key is not None else _in_ukrainian_spelling(names, gazetteer, rules)


def _informal_region(word: str, gazetteer, rules: CyrillicRules) -> str | None:
    """"Харківщиною" -> "харківська область" (the oblast's name in the gazetteer), or None."""
    lowered = word.lower()
    for ending in rules.region_informal_endings:
        if not lowered.endswith(ending):
            continue
        stem = lowered[:len(lowered) - len(ending)]
        for informal, adjective in rules.region_informal:
            if stem.endswith(informal):
                key = _first_known(gazetteer, (f"{stem[:len(stem) - len(informal)]}{adjective} {noun}"
                                               for noun in rules.region_nouns))
                if key is not None:
                    return key
    return None


def _abbreviations(pairs: list) -> dict[str, tuple[str, ...]]:
    """{abbreviation: the region names it may be, in file order} from [abbreviation, name] pairs."""
    found: dict[str, tuple[str, ...]] = {}
    for abbreviation, name in pairs:
        found[abbreviation] = found.get(abbreviation, ()) + (name,)
    return found


def _first_known(gazetteer, names) -> str | None:
    return next((name for name in names if _known(gazetteer, name)), None)


def _known(gazetteer, name: str) -> bool:
    return len(name) >= MIN_NAME_CHARS and bool(gazetteer.candidates(name))


def _bridged(gazetteer, name: str) -> tuple[str, ...]:
    """Latin gazetteer keys of a Cyrillic name (its transliterations), with places in BRIDGE_COUNTRIES."""
    from sitrep.gazetteer.variants import name_variants

    keys = []
    for form in sorted(name_variants(name, "UA")):
        if form != name and not _CYRILLIC.search(form) and \
                any(entry.country in BRIDGE_COUNTRIES for entry in gazetteer.candidates(form)):
            keys.append(form)
    return tuple(keys)
