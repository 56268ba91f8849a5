"""Shared fixtures. The spaCy pipeline and the built-in gazetteer load once per test session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from pgserver import pg_cluster, pg_server, pg_url  # noqa: F401 - fixtures, registered by import

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "reports"
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "bakhmut-2023-07-09.txt"
UA_DUMP = SHARED / "data" / "gazetteer" / "UA.zip"


@pytest.fixture(scope="session", autouse=True)
def sitrep_home(tmp_path_factory) -> Path:
    """Keep the gazetteer cache and default database out of the user's data directory."""
    home = Path(os.environ.get("SITREP_TEST_HOME") or tmp_path_factory.mktemp("sitrep-home"))
    os.environ["SITREP_HOME"] = str(home)
    os.environ.pop("SITREP_DB", None)
    from sitrep.settings import get_settings

    get_settings.cache_clear()
    return home


@pytest.fixture(scope="session")
def settings(sitrep_home):
    from sitrep.settings import get_settings

    return get_settings()


@pytest.fixture(scope="session")
def pipeline(settings):
    from sitrep.pipeline import Pipeline

    return Pipeline(settings)


@pytest.fixture(scope="session")
def ua_pipeline(pipeline, settings, tmp_path_factory):
    """A pipeline whose gazetteer also holds the GeoNames dump of Ukraine, imported once into a
    temporary SITREP_HOME (the built-in layer's cache is copied there so that it is not rebuilt)."""
    if not UA_DUMP.exists():
        pytest.skip(f"the GeoNames dump of Ukraine is not at {UA_DUMP} (it lives in ../shared)")
    from sitrep.gazetteer import geonames, load_gazetteer
    from sitrep.pipeline import Pipeline

    home = tmp_path_factory.mktemp("sitrep-home-ua")
    ua_settings = settings.with_overrides(home=home)
    (home / "cache").mkdir()
    for layer in (settings.home / "cache").glob("builtin-layer-*"):
        shutil.copy(layer, home / "cache" / layer.name)
    geonames.add_country("UA", str(UA_DUMP), ua_settings)
    return Pipeline(ua_settings, nlp=pipeline.nlp, gazetteer=load_gazetteer(ua_settings))


@pytest.fixture()
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip(f"the seed article is not at {SEED} (it lives in ../shared, outside the repo)")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture()
def make_document():
    """A Document from text, as a reader would make it."""
    from sitrep.ingest.base import document_id
    from sitrep.models import Document

    def make(text: str, **metadata) -> Document:
        return Document(id=document_id(text), source=metadata.pop("source", "test.txt"), text=text, **metadata)

    return make


# The store's backends: every test that takes ``db_url`` or ``store`` runs once on each.
BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> str:
    """A new, empty database of each backend: a SQLite file, or a database on the test server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'sitrep.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture()
def store(db_url):
    """An opened (migrated) store on each backend, closed after the test."""
    from sitrep.store import Store

    with Store.open(db_url) as opened:
        yield opened
