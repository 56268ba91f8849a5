"""Which stored records are out of embargo: the SQL side of the OPSEC delay (``sitrep.opsec``).

A record is released once its latest day has ended and the delay has passed. ``sitrep.opsec``
turns a moment and a delay into a ``Release``: the last day whose records are out, and the latest
ingestion time of a record with no date at all. The conditions here select what a ``Release``
lets out, so that a page of a listing is a page of released records, its cursor never points at
an embargoed one, and a count or a place never hints at one. ``sitrep.opsec.release_time`` is the
same rule for one record in Python; tests hold the two together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.engine import Connection

from sitrep.store.schema import claims, contradictions, documents, event_claims, events


@dataclass(frozen=True)
class Release:
    """Records dated on or before ``last_day`` are released; records with no date at all are
    released when their document was ingested at or before ``ingested_by`` (for an event: every
    document of its claims)."""

    last_day: dt.date
    ingested_by: dt.datetime


def events_released(release: Release) -> ColumnElement[bool]:
    """Condition on ``events``: by its last day (date_end, else date_start, else its latest
    report's publication day), else by when its claims' documents were ingested."""
    day = func.coalesce(events.c.date_end, events.c.date_start, events.c.last_reported)
    late = (select(event_claims.c.claim_id).join(documents, documents.c.id == event_claims.c.document_id)
            .where(event_claims.c.event_id == events.c.id, documents.c.ingested_at > release.ingested_by))
    return or_(day <= release.last_day, and_(day.is_(None), ~late.exists()))


def claims_released(release: Release) -> ColumnElement[bool]:
    """Condition on ``claims`` joined with their ``documents``: by the claim's event date, else
    the publication day, else the ingestion time."""
    day = func.coalesce(claims.c.event_date_end, claims.c.event_date_start, documents.c.published)
    return or_(day <= release.last_day, and_(day.is_(None), documents.c.ingested_at <= release.ingested_by))


def documents_released(release: Release) -> ColumnElement[bool]:
    """Condition on ``documents``: by the publication day, else the ingestion time. No claim of a
    document is dated after its publication (timeparse clips at it), so a released document's
    claims are released too."""
    return or_(documents.c.published <= release.last_day,
               and_(documents.c.published.is_(None), documents.c.ingested_at <= release.ingested_by))


def _claim_is_released(claim_id: Any, release: Release) -> ColumnElement[bool]:
    return exists().where(claims.c.id == claim_id, documents.c.id == claims.c.document_id,
                          claims_released(release))


def contradictions_released(release: Release) -> ColumnElement[bool]:
    """Condition on ``contradictions``: its own days and both of its claims are released (each
    statement quotes its claim, so one embargoed claim holds the pair back)."""
    own_day = func.coalesce(contradictions.c.date_end, contradictions.c.date_start)
    return and_(or_(own_day.is_(None), own_day <= release.last_day),
                _claim_is_released(contradictions.c.claim_a, release),
                _claim_is_released(contradictions.c.claim_b, release))


def released_claim_ids(connection: Connection, claim_ids: Iterable[str], release: Release) -> set[str]:
    """Those of ``claim_ids`` that are released."""
    wanted = list(dict.fromkeys(claim_ids))
    if not wanted:
        return set()
    query = (select(claims.c.id).join(documents, documents.c.id == claims.c.document_id)
             .where(claims.c.id.in_(wanted), claims_released(release)))
    return set(connection.execute(query).scalars())


def event_released(connection: Connection, event_id: str, release: Release) -> bool:
    query = select(events.c.id).where(events.c.id == event_id, events_released(release))
    return connection.execute(query).first() is not None


def document_released(connection: Connection, document_id: str, release: Release) -> bool:
    query = select(documents.c.id).where(documents.c.id == document_id, documents_released(release))
    return connection.execute(query).first() is not None
