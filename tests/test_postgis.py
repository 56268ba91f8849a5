"""PostGIS on the PostgreSQL backend: used where the server has it, never needed.

``make test`` installs Debian's postgresql-postgis, so there a server without the extension is a
failure (SITREP_REQUIRE_PG=1); elsewhere the PostGIS test skips and the fallback tests still run.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
from sqlalchemy import text

from sitrep.store import EventFilter, Store, spatial
from sitrep.synthetic import fill_events

# Boxes of an oblast, a 50 km square and a thin strip, over a few windows of days.
BOXES = [(35.0, 47.0, 37.5, 49.0), (37.6, 48.3, 38.3, 48.75), (30.0, 46.0, 40.0, 46.4)]
WINDOWS = [(dt.date(2023, 1, 1), dt.date(2023, 1, 20)), (dt.date(2023, 2, 1), dt.date(2023, 3, 15))]
FILL = dict(seed=11, bbox=(30.0, 46.0, 40.0, 51.0), since=dt.date(2023, 1, 1), days=90)


def _server_has_postgis(url: str) -> bool:
    with Store.open(url) as store, store.engine.connect() as connection:
        return connection.execute(text("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")).first() \
            is not None


def _box_ids(store: Store) -> list[list[str]]:
    found = []
    for bbox in BOXES:
        for since, until in WINDOWS:
            events, _ = store.event_page(EventFilter(bbox=bbox, since=since, until=until), 5000)
            found.append([event.id for event in events])
    return found


def test_postgis_indexes_events_and_box_queries_match_sqlite(pg_url, tmp_path):
    if not _server_has_postgis(pg_url):
        if os.environ.get("SITREP_REQUIRE_PG", "") not in ("", "0"):
            pytest.fail("make test installs postgresql-postgis, but the server has no postgis extension")
        pytest.skip("the PostgreSQL server has no postgis extension (Debian: postgresql-postgis)")
    with Store.open(pg_url) as postgres, Store.open(f"sqlite:///{tmp_path / 'x.db'}") as lite:
        fill_events(postgres, 600, **FILL)
        fill_events(lite, 600, **FILL)
        with postgres.engine.connect() as connection:
            assert spatial.has_postgis(connection)
            index = connection.execute(text("SELECT indexdef FROM pg_indexes WHERE indexname = :name"),
                                       {"name": spatial.POINT_INDEX}).scalar_one()
            assert "gist" in index.lower()
        assert _box_ids(postgres) == _box_ids(lite)
        assert any(_box_ids(postgres)), "the boxes should hold some events"


def test_without_postgis_boxes_use_plain_columns(pg_url, tmp_path, monkeypatch):
    # A server without the extension (or a user who may not create it): nothing is enabled, and the
    # same boxes give the same events through the (lat, lon) B-tree.
    monkeypatch.setattr(spatial, "_AVAILABLE", text("SELECT 1 WHERE false"))
    with Store.open(pg_url) as postgres, Store.open(f"sqlite:///{tmp_path / 'x.db'}") as lite:
        with postgres.engine.connect() as connection:
            assert not spatial.has_postgis(connection)
            assert connection.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'postgis'")).first() is None
        fill_events(postgres, 300, **FILL)
        fill_events(lite, 300, **FILL)
        assert _box_ids(postgres) == _box_ids(lite)


def test_sqlite_never_uses_postgis(tmp_path):
    with Store.open(f"sqlite:///{tmp_path / 'x.db'}") as store, store.engine.connect() as connection:
        assert not spatial.has_postgis(connection)
        assert spatial.prepare(store.engine) is False
