"""PostGIS, where the PostgreSQL server has it: a GiST index on the events' points for box queries.

PostGIS is optional. When the server offers the extension (Debian: postgresql-postgis) and the user
may create it, ``prepare`` enables it and indexes each event's point; box filters then add a
PostGIS ``&&`` test that the index answers. Without it nothing changes: the (lat, lon) B-tree
answers the same boxes, and the exact latitude and longitude tests decide in both cases, so results
never depend on PostGIS. SQLite has its own R*Tree (sitrep.store.search).
"""

from __future__ import annotations

import weakref

from sqlalchemy import Engine, func, inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from sitrep.store.engine import write_transaction
from sitrep.store.schema import events

POINT_INDEX = "ix_events_point"
WGS84 = 4326

_AVAILABLE = text("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")
_ENABLED = text("SELECT 1 FROM pg_extension WHERE extname = 'postgis'")
_INDEXED = text("SELECT 1 FROM pg_indexes WHERE indexname = :name")
# The same expression as event_point() below, or the planner will not use the index.
_CREATE_INDEX = text(f"CREATE INDEX IF NOT EXISTS {POINT_INDEX} ON events "
                     f"USING gist (ST_SetSRID(ST_MakePoint(lon, lat), {WGS84}))")

# Whether each engine's database has PostGIS enabled, found once per engine.
_ENABLED_BY_ENGINE: weakref.WeakKeyDictionary[Engine, bool] = weakref.WeakKeyDictionary()


def prepare(engine: Engine) -> bool:
    """Enable PostGIS and the events' point index where the server offers them; False otherwise
    (SQLite, no extension, or no right to create it), never an error."""
    if engine.dialect.name != "postgresql":
        return False
    with write_transaction(engine) as connection:
        enabled = _enable(connection)
        # No events table before migration 3 (a database that older code, or a test, opened).
        indexable = enabled and inspect(connection).has_table(events.name)
        if indexable and connection.execute(_INDEXED, {"name": POINT_INDEX}).first() is None:
            connection.execute(_CREATE_INDEX)
    _ENABLED_BY_ENGINE[engine] = enabled
    return enabled


def has_postgis(bind: Engine | Connection) -> bool:
    """Whether box queries on this engine's (or connection's) database may use PostGIS."""
    engine = bind if isinstance(bind, Engine) else bind.engine
    if engine.dialect.name != "postgresql":
        return False
    if engine not in _ENABLED_BY_ENGINE:  # an engine that Store.open did not prepare
        with engine.connect() as connection:
            _ENABLED_BY_ENGINE[engine] = connection.execute(_ENABLED).first() is not None
    return _ENABLED_BY_ENGINE[engine]


def event_point_in_box(bbox: tuple[float, float, float, float]):
    """``events``' point meets the box: PostGIS's ``&&``, which the GiST index answers."""
    west, south, east, north = bbox
    point = func.ST_SetSRID(func.ST_MakePoint(events.c.lon, events.c.lat), WGS84)
    return point.op("&&")(func.ST_MakeEnvelope(west, south, east, north, WGS84))


def _enable(connection: Connection) -> bool:
    if connection.execute(_ENABLED).first() is not None:
        return True
    if connection.execute(_AVAILABLE).first() is None:
        return False
    try:
        with connection.begin_nested():  # a refusal (no privilege) must not end the transaction
            connection.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
    except SQLAlchemyError:
        return False
    return True
