"""``GET /api/export``: the matching events as a file, written by sitrep.export."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import Annotated, Optional

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from sitrep import export, opsec
from sitrep.api.errors import ERROR_RESPONSES, invalid
from sitrep.api.params import event_filter, single_values
from sitrep.store import EventFilter

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES, dependencies=[Depends(single_values)])

# Exports are written to a temporary file first (kept in memory up to this size), so that a
# failure part-way is an error response, not a truncated file that looks whole.
SPOOL_BYTES = 16 * 1024 * 1024
CHUNK_BYTES = 256 * 1024


@router.get("/export", response_class=StreamingResponse,
            responses={200: {"description": "The file.", "content": {
                media: {"schema": {"type": "string", "format": "binary"}}
                for media in sorted(set(export.MEDIA_TYPES.values()))}}})
async def export_events(request: Request, wanted: Annotated[EventFilter, Depends(event_filter)],
                        format: Annotated[str, Query(max_length=40, description="One of: "
                                                     + ", ".join(export.FORMATS))],
                        limit: Annotated[Optional[int], Query(ge=1, description="At most this many events.")] = None
                        ) -> StreamingResponse:
    if format not in export.FORMATS:
        raise invalid("format", f"unknown export format {format!r}; use one of: {', '.join(export.FORMATS)}")
    store = request.app.state.store
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    try:
        events = opsec.events(store, request.app.state.opsec, wanted, limit)
        await run_in_threadpool(export.write, format, events, spool, export.stored_days(store))
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    filename = f"sitrep-events.{export.EXTENSIONS[format]}"
    return StreamingResponse(_chunks(spool), media_type=export.MEDIA_TYPES[format],
                             headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _chunks(spool: tempfile.SpooledTemporaryFile) -> Iterator[bytes]:  # type: ignore[type-arg]
    try:
        while chunk := spool.read(CHUNK_BYTES):
            yield chunk
    finally:
        spool.close()
