"""The recognition rules of sitrep/extract/lang/en/geoparse.yaml, compiled once per process."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from sitrep.extract.lang import resource
from sitrep.errors import ConfigError

# A capitalised name of one to three words ("Klishchiivka", "Velyka Novosilka", "Nova Kakhovka"), in
# Latin or Cyrillic script. Used where a cue says a place follows but the gazetteer may not know it.
NAME = r"[A-ZА-ЯЁІЇЄҐ][\w'’]*(?:-[\w'’]+)*(?:[^\S\n]+[A-ZА-ЯЁІЇЄҐ][\w'’]*(?:-[\w'’]+)*){0,2}"
# How far before a mention a near cue may start ("on the outskirts of the village of " is 35).
CUE_WINDOW = 48
# How far after a mention its suffix may end ("'s  direction").
SUFFIX_WINDOW = 24


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class Rules:
    stop_names: frozenset[str]
    actor_names: frozenset[str]
    place_labels: frozenset[str]
    non_place_labels: frozenset[str]
    person_labels: frozenset[str]
    common_words: frozenset[str]
    capital_names: frozenset[str]  # stop words that are places when written in capitals ("US")
    near_before: re.Pattern[str]        # ends a window before a mention: "... near the village of "
    settlement_before: re.Pattern[str]  # "... the village of "
    near_after: re.Pattern[str]         # starts the text after a mention: " direction"
    region_after: re.Pattern[str]       # " region", " oblast"
    district_after: re.Pattern[str]     # " raion", " district"
    coordinated_regions: re.Pattern[str]  # ", Kherson and Donetsk regions"
    actor_pattern: re.Pattern[str]      # any actor name, in lower-case text
    equipment_pattern: re.Pattern[str]  # "bradley vehicles", "leopards", in lower-case text
    cue_names: tuple[tuple[re.Pattern[str], str], ...]  # (pattern with a `name` group, role)
    unit_pattern: re.Pattern[str] | None = None  # "36th Marine Brigade", "Azov Regiment" (original case)
    theatre_countries: frozenset[str] = frozenset()  # where a locative word confirms a weak match


@lru_cache(maxsize=1)
def rules() -> Rules:
    """The compiled rules; a broken rules file is a configuration error, not a crash mid-document."""
    try:
        data = yaml.safe_load(resource("geoparse.yaml").read_text("utf-8"))
        return _compile(data)
    except (OSError, yaml.YAMLError, KeyError, TypeError, re.error) as error:
        raise ConfigError(f"sitrep/extract/lang/en/geoparse.yaml cannot be used: {error}; reinstall sitrep") from None


def _compile(data: dict) -> Rules:
    near = _alternation(data["near_cues"])
    settlement = _alternation(data["settlement_cues"])
    region = _alternation(data["region_suffixes"])
    plural = _alternation(data["region_plurals"])
    district = _alternation(data["district_suffixes"])
    suffix = _alternation(data["near_suffixes"])
    settlement_of = rf"(?:{settlement})\s+of\s+"
    return Rules(
        stop_names=frozenset(name.lower() for name in data["stop_names"]),
        actor_names=frozenset(name.lower() for name in data["actor_names"]),
        place_labels=frozenset(data["place_labels"]),
        non_place_labels=frozenset(data["non_place_labels"]),
        person_labels=frozenset(data["person_labels"]),
        common_words=frozenset(word.lower() for word in data["common_words"]),
        capital_names=frozenset(word.lower() for word in data.get("capital_names", [])),
        near_before=re.compile(rf"\b(?:{near})\s+(?:the\s+)?(?:{settlement_of})?$", re.IGNORECASE),
        settlement_before=re.compile(rf"\b{settlement_of}$", re.IGNORECASE),
        near_after=re.compile(rf"^(?:'s|’s)?\s+(?:{suffix})\b", re.IGNORECASE),
        region_after=re.compile(rf"^\s+(?:{region})\b", re.IGNORECASE),
        district_after=re.compile(rf"^\s+(?:{district})\b", re.IGNORECASE),
        coordinated_regions=re.compile(
            rf"(?:(?:\s*,\s*{NAME})*\s*,?\s+(?:and|or|&)\s+{NAME})?\s+(?i:{plural})\b"),
        theatre_countries=frozenset(data.get("theatre_countries") or []),
        actor_pattern=re.compile(_alternation(data["actor_names"])),
        equipment_pattern=re.compile(rf"\b(?:{_alternation(data['equipment_names'])})"
                                     rf"(?:s\b|\s+(?:{_alternation(data['equipment_nouns'])})\b)"),
        unit_pattern=_unit_pattern(data.get("unit_nouns") or [], data.get("unit_patterns") or []),
        cue_names=(
            (re.compile(rf"\b(?i:{settlement_of})(?:the\s+)?(?P<name>{NAME})"), "settlement"),
            (re.compile(rf"\b(?i:{near})\s+(?:the\s+)?(?P<name>{NAME})"), "any"),
            (re.compile(rf"(?P<name>{NAME})\s+(?i:{region})\b"), "region"),
            (re.compile(rf"(?P<name>{NAME})\s*,?\s+(?:and|or|&)\s+{NAME}\s+(?i:{plural})\b"), "region"),
            (re.compile(rf"(?P<name>{NAME})\s+(?i:{plural})\b"), "region"),
            (re.compile(rf"(?P<name>{NAME})\s+(?i:{district})\b"), "district"),
            (re.compile(rf"\bthe\s+(?P<name>{NAME})\s+(?i:{suffix})\b"), "any"),
        ),
    )


def _unit_pattern(nouns: list[str], extra: list[str] = ()) -> re.Pattern[str] | None:
    """A formation's name: an ordinal and up to four words before a unit noun ("36th Marine Brigade",
    "1st Guards Tank Army"), capitalised words right before a capitalised unit noun ("Azov Regiment"),
    or a quoted name after a unit word (``extra``: "группировка войск «Восток»")."""
    if not nouns:
        return None
    capitalised = "|".join(re.escape(" ".join(part if part == "of" else part[:1].upper() + part[1:] for part in noun.split()))
                           for noun in sorted(nouns, key=len, reverse=True))
    any_case = _alternation(nouns)
    word = r"[\w'’-]+"
    quoted = "".join(f"|{pattern}" for pattern in extra)
    return re.compile(
        rf"\b\d+(?:st|nd|rd|th)\s+(?:{word}\s+){{0,4}}(?i:{any_case})\b"
        rf"|\b(?:[A-Z]{word}\s+){{1,3}}(?:{capitalised})\b{quoted}")
