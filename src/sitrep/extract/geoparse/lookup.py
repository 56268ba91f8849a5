"""Gazetteer look-ups that geoparsing needs: candidates for a mention's role, feature classes, the
context-free prior, and guarded fuzzy matching of misspelt names.

The gazetteer is duck-typed (sitrep.gazetteer's ``Gazetteer``: ``candidates``, ``automaton``,
``region_short``, ``demonyms``, ``entries``), so that tests can hand in a small one of their own;
entries may lack the ``is_*`` properties, hence the feature-code fallbacks.
"""

from __future__ import annotations

from rapidfuzz import fuzz, process

from sitrep.gazetteer.index import prior as gazetteer_prior
from sitrep.extract.geoparse.rules import rules

# Fuzzy matching. A misspelling is tried only on a name of at least FUZZY_MIN_CHARS letters: below
# that, one wrong letter turns one real place into another ("Lyman"/"Lymar").
FUZZY_MIN_CHARS = 6
# rapidfuzz ratio (indel-based, 0-100) a misspelling needs. 88 admits one dropped or added letter in a
# six-letter name (90.9) and one wrong letter in a name of nine or more (88.9), but not one wrong
# letter in a six-letter name (83.3). "Zaporzhzhzia" scores 91.7 against "Zaporizhzhia".
FUZZY_MIN_SCORE = 88.0
# Candidates for a misspelling share its first letters: misspellings keep the start of a name, and
# the bound keeps each look-up to a few hundred names.
FUZZY_PREFIX_CHARS = 3
FUZZY_LIMIT = 8

# Feature codes for entries that lack sitrep.gazetteer.index.Entry's is_* properties.
SETTLEMENT_PREFIX = "PPL"
DISTRICT_FEATURES = frozenset({"ADM2", "ADM3", "ADM4", "ADMD"})
COUNTRY_FEATURES = frozenset({"PCLI", "PCLD", "PCLS", "PCLF", "PCLIX", "PCL", "TERR"})


def is_region(entry) -> bool:
    return entry.feature == "ADM1"


def is_district(entry) -> bool:
    return bool(getattr(entry, "is_district", entry.feature in DISTRICT_FEATURES))


def is_country(entry) -> bool:
    return bool(getattr(entry, "is_country", False)) or entry.feature in COUNTRY_FEATURES


def is_continent(entry) -> bool:
    return bool(getattr(entry, "is_continent", entry.feature == "CONT"))


def is_settlement(entry) -> bool:
    return bool(getattr(entry, "is_settlement", entry.feature.startswith(SETTLEMENT_PREFIX)))


def prior(entry) -> float:
    """The gazetteer's context-free prior (feature class, then log10 of the population)."""
    return gazetteer_prior(entry)


def marked_candidates(gazetteer, name: str) -> list[tuple[object, bool]]:
    """The entries called ``name``, each with True when the name is only an alternate name of it
    (sitrep.gazetteer.index); a gazetteer that does not record it marks none."""
    marked = getattr(gazetteer, "marked_candidates", None)
    if callable(marked):
        return marked(name)
    return [(entry, False) for entry in gazetteer.candidates(name)]


def region_entries(gazetteer, name: str) -> list:
    """First-level regions called ``name``, by their full name or their short one ("donetsk")."""
    entries = [entry for entry in gazetteer.candidates(name) if is_region(entry)]
    short = (getattr(gazetteer, "region_short", None) or {}).get(name)
    if short is not None:
        entry = gazetteer.entries[short] if isinstance(short, int) else short
        if entry not in entries:
            entries.insert(0, entry)
    return entries


def demonym_country(gazetteer, key: str):
    """The country (or continent: "European") entry a demonym names, or None."""
    target = (getattr(gazetteer, "demonyms", None) or {}).get(key)
    if target is None:
        return None
    if not isinstance(target, int):
        return target
    entries = getattr(gazetteer, "entries", None)
    if entries is not None and 0 <= target < len(entries) and (is_country(entries[target])
                                                                or is_continent(entries[target])):
        return entries[target]
    by_id = getattr(gazetteer, "by_geonameid", None)
    return by_id(target) if callable(by_id) else None


def fuzzy_name(gazetteer, phrase: str, wants_region: bool) -> str | None:
    """The gazetteer name closest to a misspelt ``phrase`` (see FUZZY_MIN_SCORE), or None. Only called
    for capitalised phrases that spaCy tags as places or that follow a place cue."""
    key = phrase.lower()
    if len(key) < FUZZY_MIN_CHARS or _common_word(key):
        return None
    bucket = _names_starting(gazetteer, key[:FUZZY_PREFIX_CHARS])
    matches = process.extract(key, bucket, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_SCORE, limit=FUZZY_LIMIT)
    for name, _score, _index in matches:
        if not wants_region or region_entries(gazetteer, name):
            return name
    return None


def _common_word(key: str) -> bool:
    from spacy.lang.en.stop_words import STOP_WORDS

    words = key.split()
    stop = rules().common_words
    return any(word in stop or word in STOP_WORDS for word in words)


def _names_starting(gazetteer, prefix: str) -> list[str]:
    """Gazetteer names that start with ``prefix``, read off the automaton's trie (no index to build)."""
    raw = getattr(gazetteer.automaton, "raw", gazetteer.automaton)
    return [name for name in raw.keys(prefix) if len(name) >= FUZZY_MIN_CHARS - 1]
