"""Golden files: the full extraction of team-written sample reports.

A change in extraction shows up here as a diff to review. After reviewing it, rewrite the files with
``SITREP_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py`` and commit them with the change.
"""

import json
import os

import pytest

from conftest import ROOT, SAMPLES

from sitrep.ingest import read_input
from sitrep.models import Document

GOLDEN = ROOT / "tests" / "golden"
CASES = ["news_klishchiivka_2023-07-14.txt", "telegram_milblogger_channel.json"]


def extract_sample(pipeline, settings, name: str) -> list[dict]:
    path = SAMPLES / name
    documents = [item for item in read_input(str(path), settings) if isinstance(item, Document)]
    records = [json.loads(extraction.to_json()) for extraction in pipeline.pipe(documents)]
    for record in records:  # the absolute path depends on the checkout
        record["document"]["source"] = record["document"]["source"].replace(str(SAMPLES), "samples/reports")
    return records


@pytest.mark.parametrize("name", CASES)
def test_extraction_matches_golden_file(pipeline, settings, name):
    records = extract_sample(pipeline, settings, name)
    golden = GOLDEN / f"{name}.json"
    if os.environ.get("SITREP_UPDATE_GOLDEN"):
        golden.write_text(json.dumps(records, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    expected = json.loads(golden.read_text(encoding="utf-8"))
    assert records == expected
