import json

from conftest import ROOT

from sitrep.models import SCHEMA_ID, Extraction

COMMITTED = ROOT / "docs" / "extract-v1.schema.json"


def test_committed_schema_matches_models():
    generated = Extraction.model_json_schema(by_alias=True)
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert committed == generated, "models.py changed: run `make schema`, review the diff, and update docs/"


def test_schema_lists_the_record_fields():
    schema = Extraction.model_json_schema(by_alias=True)
    assert set(schema["properties"]) == {"schema", "pipeline", "document", "places", "claims"}
    document = schema["$defs"]["Document"]["properties"]
    for field in ("id", "source", "url", "outlet", "channel", "title", "published", "language", "text",
                  "captions", "removed"):
        assert field in document
    event = schema["$defs"]["Event"]["properties"]
    assert set(event) >= {"event_type", "sub_event_type", "mode", "status", "actor1", "actor2", "place",
                          "date", "fatalities"}


def test_record_round_trips_through_json(pipeline, make_document):
    extraction = pipeline.process(make_document("date 2023-08-02\nA missile hit Zaporizhzhia, the governor said."))
    line = extraction.to_json()
    assert json.loads(line)["schema"] == SCHEMA_ID
    assert Extraction.model_validate_json(line) == extraction
