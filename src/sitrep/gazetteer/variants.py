"""Spelling variants of Ukrainian, Russian and Belarusian place names, so that a report's spelling finds
the gazetteer entry whichever system its writer followed (Klishchiivka, Klishchiyivka, Kleshcheyevka).

The gazetteer calls ``name_variants`` on every name of every UA, RU and BY entry. A Cyrillic name is
transliterated with each plausible system; a Latin name is rewritten into the spellings of the other
systems and of the other language. Every rule is data (``data/translit.yaml``, described in
docs/transliteration.md); this module only applies it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import combinations, product

import yaml

from sitrep.errors import ConfigError, InputError

SYSTEMS = ("kmu2010", "bgn_uk", "bgn_ru", "scholarly", "popular_ru")
# Letter classes the Latin rules name by one capital letter.
_CLASSES = {"C": "[bcdfghjklmnpqrstvwxz]", "V": "[aeiouy]"}
# The importer meets the same names again and again (hundreds of Ivanivkas); 65536 distinct names
# cover a country dump's common ones in a few MB.
_CACHE_SIZE = 65536


@dataclass(frozen=True)
class System:
    """One transliteration system, compiled. ``context`` finds what a plain letter table cannot write:
    word endings, digraphs and the letters written differently at the start of a word; ``letters``
    (a ``str.translate`` table) writes the rest."""

    name: str
    language: str
    letters: dict[int, str]
    context: re.Pattern[str] | None
    units: dict[str, str]                      # digraphs and initial letters found by ``context``
    endings: dict[str, tuple[str, ...]]        # ending -> its forms, the system's own first


@dataclass(frozen=True)
class LatinRule:
    name: str
    pattern: re.Pattern[str]
    replacements: tuple[str, ...]


@dataclass(frozen=True)
class Rules:
    variant_countries: frozenset[str]
    max_variants: int
    max_rewrites: int
    min_letters: int
    apostrophes: re.Pattern[str]
    apostrophe_forms: tuple[str, ...]
    lookalikes: dict[int, str]
    language_letters: dict[str, frozenset[str]]
    language_systems: dict[str, tuple[str, ...]]
    aliases: dict[str, dict[str, str]]
    systems: dict[str, System]
    latin_rules: tuple[LatinRule, ...]
    stop_words: frozenset[str]


# ------------------------------------------------------------------ loading


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    """The rules in ``data/translit.yaml``, checked and compiled once per process."""
    try:
        raw = yaml.safe_load(resources.files("sitrep.data").joinpath("translit.yaml").read_text("utf-8"))
        return _build(raw or {})
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError, re.error) as error:
        raise ConfigError(f"sitrep/data/translit.yaml cannot be used: {error!r}; reinstall sitrep") from None


def _build(raw: dict) -> Rules:
    common = _strings(raw["common_letters"])
    fallback = {**_strings(raw["fallback_letters"]), "'": ""}
    systems = {name: _system(name, spec, common, fallback) for name, spec in raw["systems"].items()}
    language_systems = {key: tuple(names) for key, names in raw["language_systems"].items()}
    aliases = {name: dict(choice) for name, choice in (raw.get("system_aliases") or {}).items()}
    for name in [n for names in language_systems.values() for n in names] + \
            [n for choice in aliases.values() for n in choice.values()]:
        if name not in systems:
            raise ValueError(f"unknown system {name!r}")
    return Rules(
        variant_countries=frozenset(raw["variant_countries"]),
        max_variants=int(raw["max_variants"]), max_rewrites=int(raw["max_rewrites"]),
        min_letters=int(raw["min_letters"]),
        apostrophes=re.compile("[" + re.escape("".join(raw["apostrophes"])) + "]"),
        apostrophe_forms=tuple(raw["apostrophe_forms"]),
        lookalikes=str.maketrans(_strings(raw["latin_lookalikes"])),
        language_letters={key: frozenset(letters) for key, letters in raw["language_letters"].items()},
        language_systems=language_systems, aliases=aliases, systems=systems,
        latin_rules=tuple(_latin_rule(rule) for rule in raw["latin_rules"]),
        stop_words=frozenset(str(word) for word in raw["stop_words"]),
    )


def _strings(table: dict | None) -> dict[str, str]:
    return {str(key): "" if value is None else str(value) for key, value in (table or {}).items()}


# A letter of a word; the apostrophe is part of a word (Мар'їнка), so it does not start a new one.
_LETTER = r"[^\W\d_]"
_WORD_START = rf"(?<!{_LETTER})(?<!')"


def _system(name: str, spec: dict, common: dict[str, str], fallback: dict[str, str]) -> System:
    letters = {**fallback, **common, **_strings(spec["letters"])}
    digraphs, initial = _strings(spec.get("digraphs")), _strings(spec.get("initial"))
    endings = {str(ending): tuple(str(form) for form in forms)
               for ending, forms in (spec.get("endings") or {}).items()}
    parts = []
    if endings:  # an ending needs two letters before it: "ое" alone is not an adjective ending
        parts.append(rf"(?P<ending>(?<={_LETTER}{_LETTER})(?:{_alternation(endings)})(?!{_LETTER}))")
    if digraphs:
        parts.append(f"(?:{_alternation(digraphs)})")
    if initial:
        after = spec.get("initial_after") or ""
        where = f"(?:{_WORD_START}|(?<=[{re.escape(after)}]))" if after else _WORD_START
        parts.append(f"{where}[{re.escape(''.join(initial))}]")
    return System(
        name=name, language=spec["language"], letters=str.maketrans(letters),
        context=re.compile("|".join(parts)) if parts else None,
        units={**initial, **digraphs}, endings=endings,
    )


def _alternation(keys) -> str:
    return "|".join(re.escape(key) for key in sorted(keys, key=len, reverse=True))


def _latin_rule(spec: dict) -> LatinRule:
    pattern = spec["pattern"]
    for letter, letter_class in _CLASSES.items():
        pattern = pattern.replace(letter, letter_class)
    return LatinRule(name=spec["name"], pattern=re.compile(pattern),
                     replacements=tuple(str(form) for form in spec["replacements"]))


# ------------------------------------------------------------------ scripts


def _is_cyrillic_letter(ch: str) -> bool:
    return "\u0400" <= ch <= "\u052f"


def _is_latin_letter(ch: str) -> bool:
    return ch < "\u0250" or "\u1e00" <= ch <= "\u1eff"


def is_cyrillic(text: str) -> bool:
    """Whether ``text`` is written in Cyrillic: it has more Cyrillic letters than Latin ones (a Latin
    look-alike such as the "K" of "Kиїв" does not make it Latin)."""
    if not isinstance(text, str) or text.isascii():
        return False
    cyrillic = latin = 0
    for ch in text:
        if ch.isalpha():
            if _is_cyrillic_letter(ch):
                cyrillic += 1
            elif _is_latin_letter(ch):
                latin += 1
    return cyrillic > latin


def _is_latin(text: str) -> bool:
    if text.isascii():
        return any(ch.isalpha() for ch in text)
    return any(ch.isalpha() for ch in text) and all(
        _is_latin_letter(ch) for ch in text if ch.isalpha())


def cyrillic_language(text: str) -> str:
    """The language the letters of ``text`` point to: "uk", "ru", "mixed" (letters of both, or
    Belarusian ў) or "neutral" (no telling letter)."""
    rules = load_rules()
    lowered = _normalise(text).lower()
    letters = set(lowered)
    uk = bool(letters & rules.language_letters["uk"]) or _has_inner_apostrophe(lowered)
    ru = bool(letters & rules.language_letters["ru"])
    if letters & rules.language_letters["be"] or (uk and ru):
        return "mixed"
    return "uk" if uk else "ru" if ru else "neutral"


def _has_inner_apostrophe(lowered: str) -> bool:
    position = lowered.find("'")
    while position > 0:
        if position + 1 < len(lowered) and _is_cyrillic_letter(lowered[position - 1]) \
                and _is_cyrillic_letter(lowered[position + 1]):
            return True
        position = lowered.find("'", position + 1)
    return False


# ------------------------------------------------------------------ transliteration

# A word: letters, with apostrophes inside it (Мар'їнка). Digits and punctuation pass through.
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")


def transliterate(cyrillic: str, system: str) -> str:
    """``cyrillic`` in ASCII Latin letters by one system ("kmu2010", "bgn_uk", "bgn_ru", "scholarly",
    "popular_ru"), keeping the case of each word; characters that are not Cyrillic pass through."""
    if not isinstance(cyrillic, str):
        raise InputError("transliterate", f"expected text, got {type(cyrillic).__name__}")
    table = _system_for(system, cyrillic)
    text = _normalise(cyrillic)
    return _WORD.sub(lambda word: _match_case(word.group(), _spellings(word.group().lower(), table)[0]),
                     text)


def _normalise(text: str) -> str:
    """Cyrillic text as the tables expect it: NFC (е typed with a diaeresis is ё), without the stress
    marks that dictionaries and GeoNames add (Караджи́), every apostrophe character as "'", and Latin
    look-alike letters inside a Cyrillic word made Cyrillic (the "K" of "Kиїв")."""
    rules = load_rules()
    text = unicodedata.normalize("NFC", text)
    if not text.isascii():
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = rules.apostrophes.sub("'", text)
    return _WORD.sub(lambda word: word.group().translate(rules.lookalikes)
                     if not word.group().isascii() and any(map(_is_cyrillic_letter, word.group()))
                     else word.group(), text)


def _system_for(system: str, text: str) -> System:
    rules = load_rules()
    if system in rules.aliases:
        choice = rules.aliases[system]
        system = choice["ru"] if cyrillic_language(text) == "ru" else choice["uk"]
    if system not in rules.systems:
        known = ", ".join(SYSTEMS)
        raise ConfigError(f"unknown transliteration system {system!r}; use one of {known}")
    return rules.systems[system]


def _spellings(lowered: str, system: System) -> list[str]:
    """Normalised lower-case text by ``system``: its own spelling first, then one spelling for each
    further form of its word endings (all words take their n-th form together)."""
    if system.context is None:
        return [lowered.translate(system.letters)]
    spellings: list[str] = []
    endings_met = False
    for index in range(max((len(forms) for forms in system.endings.values()), default=1)):
        def unit(match: re.Match[str], index: int = index) -> str:
            nonlocal endings_met
            if match.lastgroup == "ending":
                endings_met = True
                forms = system.endings[match.group()]
                return forms[min(index, len(forms) - 1)]
            return system.units[match.group()]

        spelling = system.context.sub(unit, lowered).translate(system.letters)
        if spelling not in spellings:
            spellings.append(spelling)
        if not endings_met:
            break
    return spellings


def _match_case(original: str, latin: str) -> str:
    if len(original) > 1 and original.isupper():
        return latin.upper()
    if original[:1].isupper():
        return latin[:1].upper() + latin[1:]
    return latin


# ------------------------------------------------------------------ variants


def name_variants(name: str, country: str | None) -> set[str]:
    """Lower-case spelling variants of one place name, the lower-cased name itself included.

    Names of a country outside ``variant_countries`` (UA, RU, BY) get no variants. A blank name gives
    an empty set; a name that is not text is an ``InputError``."""
    if not isinstance(name, str):
        raise InputError("place name", f"expected text, got {type(name).__name__}")
    if not name.strip():
        return set()
    code = country.strip().upper() if isinstance(country, str) else ""
    if code not in load_rules().variant_countries:
        return {name.lower()}
    return set(_variants(name, code))


class _Kept:
    """The variants kept so far, in order, under the cap; drops short forms and English words."""

    def __init__(self, rules: Rules, name: str):
        self.rules = rules
        self.forms: dict[str, None] = {name: None}

    @property
    def full(self) -> bool:
        return len(self.forms) >= self.rules.max_variants

    def add(self, form: str) -> None:
        if self.full or form in self.forms or form in self.rules.stop_words:
            return
        minimum = self.rules.min_letters
        if len(form) >= minimum and (form.isalpha() or sum(ch.isalpha() for ch in form) >= minimum):
            self.forms[form] = None


@lru_cache(maxsize=_CACHE_SIZE)
def _variants(name: str, country: str) -> frozenset[str]:
    """The name's forms for a variant country: as given, then by its script's rules (a name in
    another script keeps only its own forms)."""
    rules = load_rules()
    kept = _Kept(rules, name.lower())
    text = " ".join(unicodedata.normalize("NFC", name).split())
    for form in _apostrophe_forms(text.lower(), rules):
        kept.add(form)
    if is_cyrillic(text):
        _add_cyrillic(text, country, kept)
    elif _is_latin(rules.apostrophes.sub("", text)):  # ʼ is a letter to Unicode, not a Latin one
        _add_latin(text.lower(), kept)
    return frozenset(kept.forms)


def _apostrophe_forms(lowered: str, rules: Rules) -> list[str]:
    """The name as given, without apostrophes, and with each apostrophe character that text uses."""
    if not rules.apostrophes.search(lowered):
        return [lowered]
    return [lowered, rules.apostrophes.sub("", lowered),
            *(rules.apostrophes.sub(mark, lowered) for mark in rules.apostrophe_forms)]


def _add_cyrillic(text: str, country: str, kept: _Kept) -> None:
    """Each plausible system's spelling without apostrophes first (the common English form), then
    with them, then the popular endings."""
    rules = kept.rules
    language = cyrillic_language(text)
    if language == "neutral" and f"neutral_{country}" in rules.language_systems:
        language = f"neutral_{country}"
    lowered = _normalise(text).lower()
    for form in _apostrophe_forms(lowered, rules):
        kept.add(form)
    spellings = [_spellings(lowered, rules.systems[name]) for name in rules.language_systems[language]]
    for forms in spellings:
        kept.add(rules.apostrophes.sub("", forms[0]))
    for forms in spellings:
        for form in _apostrophe_forms(forms[0], rules)[2:]:
            kept.add(form)
    for forms in spellings:
        for form in forms[1:]:
            kept.add(rules.apostrophes.sub("", form))


def _add_latin(lowered: str, kept: _Kept) -> None:
    """Rewrites of the name without apostrophes and diacritics: one rule at a time first, then pairs,
    up to ``max_rewrites`` rules together, each group in the order of the rules."""
    rules = kept.rules
    base = _ascii_fold(rules.apostrophes.sub("", lowered))
    kept.add(base)
    applicable = [rule for rule in rules.latin_rules if rule.pattern.search(base)]
    for size in range(1, min(rules.max_rewrites, len(applicable)) + 1):
        for group in combinations(applicable, size):
            for choice in product(*(rule.replacements for rule in group)):
                if kept.full:
                    return
                form = base
                for rule, replacement in zip(group, choice):
                    form = rule.pattern.sub(replacement, form)
                kept.add(form)


def _ascii_fold(text: str) -> str:
    """Latin letters without their diacritics (Artëmovsk, Kyïv)."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
