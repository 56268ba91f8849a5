"""``POST /api/documents``: ingest one report through the real pipeline, behind a bearer token.

Writes are off unless the server has a token (``SITREP_API_TOKEN`` or ``create_app(token=...)``):
an open write endpoint would let anyone fill the store. Tokens are compared in constant time.
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError

from sitrep.api.errors import ERROR_RESPONSES, ApiError
from sitrep.api.schemas import Upload, Uploaded
from sitrep.errors import InputError
from sitrep.models import Document
from sitrep.store import Store

router = APIRouter(prefix="/api")

# Largest request body accepted: a long report is a few hundred kilobytes of text.
MAX_BODY_BYTES = 1_000_000

_AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    200: {"model": Uploaded, "description": "already stored: nothing was added (created is false)"},
    401: ERROR_RESPONSES[404] | {"description": "no token, or a wrong one"},
    403: ERROR_RESPONSES[404] | {"description": "writes are off: the server has no token"},
    413: ERROR_RESPONSES[404] | {"description": f"body over {MAX_BODY_BYTES} bytes"},
}


class Writer:
    """Runs the pipeline for uploads: built on first use, then reused; one upload at a time,
    because the pipeline (spaCy, the gazetteer) is not shared between threads."""

    def __init__(self, store: Store, pipeline_factory: Callable[[], Any]):
        self.store = store
        self.pipeline_factory = pipeline_factory
        self._pipeline: Any = None
        self._lock = threading.Lock()

    def ingest(self, document: Document) -> Uploaded:
        from sitrep import corroborate

        with self._lock:
            if self.store.has_document(document.id):
                return Uploaded(document_id=document.id, created=False, claims=self._claims(document.id))
            if self._pipeline is None:
                self._pipeline = self.pipeline_factory()
            extractions = list(self._pipeline.pipe([document]))
            if not extractions:
                raise InputError("upload", "nothing was left to extract after cleaning; send the report's text")
            extraction = extractions[0]
            created = self.store.add(extraction)
            corroborate.update(self.store)
            return Uploaded(document_id=extraction.document.id, created=created, claims=len(extraction.claims))

    def _claims(self, document_id: str) -> int:
        return len(self.store.get_extraction(document_id).claims)


def check_token(request: Request) -> None:
    expected: str | None = request.app.state.token
    if not expected:
        raise ApiError(403, "forbidden", "writes are off: the server has no API token (set SITREP_API_TOKEN)")
    given = request.headers.get("authorization", "")
    scheme, _, token = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), expected.encode()):
        raise ApiError(401, "unauthorized", "give the API token as 'Authorization: Bearer TOKEN'",
                       headers={"WWW-Authenticate": "Bearer"})


async def _read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _too_large()
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_BODY_BYTES:
            raise _too_large()
    return bytes(body)


def _too_large() -> ApiError:
    return ApiError(413, "payload_too_large", f"the body is over {MAX_BODY_BYTES} bytes; send one report at a time")


@router.post("/documents", status_code=201, response_model=Uploaded, responses=_AUTH_RESPONSES,
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": Upload.model_json_schema()}}}})
async def post_document(request: Request) -> Response:
    """Extract and store one report (bearer token needed); 200 with created=false if already stored."""
    check_token(request)
    body = await _read_body(request)
    try:
        upload = Upload.model_validate_json(body)
    except ValidationError as error:
        details = [{"field": ".".join(str(part) for part in item["loc"]) or "body",
                    "problem": " ".join(item["msg"].split())} for item in error.errors()]
        first = details[0] if details else {"field": "body", "problem": "invalid"}
        raise ApiError(422, "invalid_body", f"{first['field']}: {first['problem']}", details) from None
    from sitrep.ingest.document import make_document  # the readers load trafilatura: only for uploads

    document = make_document(upload.text, "api", url=upload.url, outlet=upload.outlet, channel=upload.channel,
                             title=upload.title, published=upload.published, language=upload.language)
    result = await run_in_threadpool(request.app.state.writer.ingest, document)
    return Response(result.model_dump_json(), status_code=201 if result.created else 200,
                    media_type="application/json")
