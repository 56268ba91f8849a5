"""Place recognition and resolution: gazetteer names found in the text, each resolved to one entry
with ACLED's precision code (1 settlement, 2 near it, 3 region, 4 country).

Recognition is an Aho-Corasick scan over every gazetteer name, kept where the match sits on word
boundaries, starts with a capital letter and covers a token that spaCy calls a proper noun or an
entity (so "Police said" is not the Polish town). Resolution prefers Ukraine, then a region the
document names, then the larger population.
"""

from __future__ import annotations

import math
import re
from collections.abc import Container
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from sitrep.gazetteer.builtin import Entry, Gazetteer
from sitrep.models import Place

# Resolution weights: a country focus outweighs any population difference (log10 scale, at most
# ~7), and a region named in the same document outweighs the focus.
FOCUS_COUNTRY = "UA"
FOCUS_BONUS = 8.0
SAME_REGION_BONUS = 10.0


_CYRILLIC = re.compile("[\u0400-\u04ff]")


@dataclass(frozen=True)
class _Cues:
    near_before: re.Pattern[str]
    near_after: re.Pattern[str]
    region_after: re.Pattern[str]


@lru_cache(maxsize=1)
def _cues() -> _Cues:
    data = resources.files("sitrep.data")
    rules = yaml.safe_load(data.joinpath("geoparse.yaml").read_text("utf-8"))
    regions = yaml.safe_load(data.joinpath("ua_regions.yaml").read_text("utf-8"))
    near = "|".join(re.escape(cue) for cue in sorted(rules["near_cues"], key=len, reverse=True))
    after = "|".join(re.escape(cue) for cue in rules["near_suffixes"])
    region = "|".join(re.escape(cue) for cue in regions["region_suffixes"])
    settlement = r"(?:the\s+)?(?:(?:village|town|city|settlement|hamlet)\s+of\s+)?"
    return _Cues(
        near_before=re.compile(rf"\b(?:{near})\s+{settlement}$", re.IGNORECASE),
        near_after=re.compile(rf"^(?:'s)?\s+(?:{after})\b", re.IGNORECASE),
        region_after=re.compile(rf"^\s+(?:{region})\b", re.IGNORECASE),
    )


@dataclass
class _Match:
    start: int
    end: int
    key: str


def find_places(text: str, gazetteer: Gazetteer, proper_offsets: Container[int]) -> list[Place]:
    """Every place mention in ``text``, in order, resolved. ``proper_offsets`` holds the start
    offsets of tokens that are proper nouns or inside a named entity."""
    matches = _longest_first(_scan(text, gazetteer))
    matches = [m for m in matches if _is_proper(text, m, proper_offsets)]
    regions_named = {entry.admin1 for m in matches for entry in _region_of(text, m, gazetteer)}
    places = [_resolve(text, m, gazetteer, regions_named) for m in matches]
    return [place for place in places if place is not None]


def _scan(text: str, gazetteer: Gazetteer) -> list[_Match]:
    lowered = text.lower()
    found = []
    for end_index, key in gazetteer.automaton.iter(lowered):
        start, end = end_index - len(key) + 1, end_index + 1
        if _on_word_boundaries(lowered, start, end):
            found.append(_Match(start, end, key))
    return found


def _on_word_boundaries(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before in "-_") and not (after.isalnum() or after in "_")


def _longest_first(matches: list[_Match]) -> list[_Match]:
    """Drop matches inside longer ones ("Novosilka" inside "Velyka Novosilka")."""
    chosen: list[_Match] = []
    for match in sorted(matches, key=lambda m: (m.start, -(m.end - m.start))):
        if chosen and match.start < chosen[-1].end:
            continue
        chosen.append(match)
    return chosen


def _is_proper(text: str, match: _Match, proper_offsets: Container[int]) -> bool:
    if not text[match.start].isupper():
        return False
    if _CYRILLIC.search(text[match.start:match.end]):
        return True  # the English model cannot tag Cyrillic words; the capital letter has to do
    return any(offset in proper_offsets for offset in range(match.start, match.end))


def _region_of(text: str, match: _Match, gazetteer: Gazetteer) -> list[Entry]:
    """The region a mention names: "Donetsk region", or a region's own name ("Crimea")."""
    short = gazetteer.region_short.get(match.key)
    if short is not None and _cues().region_after.match(text[match.end:match.end + 20]):
        return [gazetteer.entries[short]]
    return [entry for entry in gazetteer.candidates(match.key) if entry.is_region]


def _resolve(text: str, match: _Match, gazetteer: Gazetteer, regions_named: set[str | None]) -> Place | None:
    region = _region_of(text, match, gazetteer)
    if region:
        suffix = _cues().region_after.match(text[match.end:match.end + 20])
        end = match.end + suffix.end() if suffix and match.key in gazetteer.region_short else match.end
        return _place(text, match.start, end, region[0], precision=3)
    candidates = [entry for entry in gazetteer.candidates(match.key) if not entry.is_region]
    if not candidates:
        return None
    best = max(candidates, key=lambda entry: _score(entry, regions_named))
    if best.is_country:
        return _place(text, match.start, match.end, best, precision=4)
    return _place(text, match.start, match.end, best, precision=_settlement_precision(text, match))


def _score(entry: Entry, regions_named: set[str | None]) -> float:
    score = math.log10(entry.population + 1)
    if entry.country == FOCUS_COUNTRY:
        score += FOCUS_BONUS
    if entry.admin1 in regions_named and entry.country == FOCUS_COUNTRY:
        score += SAME_REGION_BONUS
    return score


def _settlement_precision(text: str, match: _Match) -> int:
    cues = _cues()
    if cues.near_before.search(text[max(0, match.start - 40):match.start]):
        return 2
    if cues.near_after.match(text[match.end:match.end + 20]):
        return 2
    return 1


def _place(text: str, start: int, end: int, entry: Entry, precision: int) -> Place:
    return Place(
        mention=text[start:end], start=start, end=end, geonameid=entry.geonameid, name=entry.name,
        feature=entry.feature, admin1=entry.admin1, country=entry.country, lat=entry.lat, lon=entry.lon,
        precision=precision,
    )
