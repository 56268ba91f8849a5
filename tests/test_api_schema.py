"""Schemathesis over the OpenAPI document: whatever the generated query or upload, the API answers
without a 500 and with a body that matches the schema it declares. GET endpoints over a synthetic
store; ``POST /api/documents`` through the real pipeline, with the token."""

from __future__ import annotations

import datetime as dt
import os

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import (  # noqa: E402
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from sitrep.api import create_app  # noqa: E402
from sitrep.api.write import Writer  # noqa: E402
from sitrep.store import Store  # noqa: E402
from sitrep.synthetic import fill_events  # noqa: E402

# Examples per endpoint and method: enough to hit each parameter's edge cases (empty, huge,
# unicode, wrong type), few enough that the file stays a few seconds long.
MAX_EXAMPLES = 25
# The same cases on every run (make test, CI), as Hypothesis advises for CI; SITREP_HYPOTHESIS_RANDOM=1
# draws new ones.
DERANDOMIZE = os.environ.get("SITREP_HYPOTHESIS_RANDOM") != "1"
TOKEN = "schema-token"


def _app():
    store = Store.memory()
    fill_events(store, 60, seed=11, bbox=(30.0, 46.0, 38.0, 51.0), since=dt.date(2023, 1, 1), days=60)
    return create_app(store=store, token=TOKEN)


schema = schemathesis.openapi.from_asgi("/openapi.json", _app()).include(method="GET")
upload_app = create_app(store=Store.memory(), token=TOKEN)
uploads = schemathesis.openapi.from_asgi("/openapi.json", upload_app).include(method="POST")


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=DERANDOMIZE, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_get_endpoints_conform_to_their_schema(case):
    response = case.call()
    assert response.status_code < 500, response.text
    # Not "positive data acceptance": the schema cannot say that a bbox's west must not lie east
    # of its east, or what a cursor holds, so a 422 for a string the schema allows is right here.
    case.validate_response(response, checks=[not_a_server_error, status_code_conformance,
                                             content_type_conformance, response_schema_conformance])


@pytest.fixture()
def upload_pipeline(pipeline):
    """The uploads go through the session's pipeline instead of loading a second one."""
    upload_app.state.writer = Writer(upload_app.state.store, lambda: pipeline)


@uploads.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=DERANDOMIZE, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.function_scoped_fixture])
def test_uploads_conform_to_their_schema(case, upload_pipeline):
    response = case.call(headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code < 500, response.text
    case.validate_response(response, checks=[not_a_server_error, status_code_conformance,
                                             content_type_conformance, response_schema_conformance])
