"""Schemathesis over the GET endpoints of the OpenAPI document: whatever the generated query, the
API answers without a 500 and with a body that matches the schema it declares."""

from __future__ import annotations

import datetime as dt

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
from sitrep.store import Store  # noqa: E402
from sitrep.synthetic import fill_events  # noqa: E402

# Examples per endpoint and method: enough to hit each parameter's edge cases (empty, huge,
# unicode, wrong type), few enough that the file stays a few seconds long.
MAX_EXAMPLES = 25


def _app():
    store = Store.memory()
    fill_events(store, 60, seed=11, bbox=(30.0, 46.0, 38.0, 51.0), since=dt.date(2023, 1, 1), days=60)
    return create_app(store=store, token="schema-token")


schema = schemathesis.openapi.from_asgi("/openapi.json", _app()).include(method="GET")


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_get_endpoints_conform_to_their_schema(case):
    response = case.call()
    assert response.status_code < 500, response.text
    # Not "positive data acceptance": the schema cannot say that a bbox's west must not lie east
    # of its east, or what a cursor holds, so a 422 for a string the schema allows is right here.
    case.validate_response(response, checks=[not_a_server_error, status_code_conformance,
                                             content_type_conformance, response_schema_conformance])
