"""``sitrep resolve --format jsonl``: given mentions in, resolved places out, bad lines named."""

import json

import pytest
from typer.testing import CliRunner

from sitrep.cli import app

TEXT = "Drones hit Kramatorsk and the Donetsk region; Qwxtrovo was quiet."


def span(text, phrase):
    start = text.index(phrase)
    return {"start": start, "end": start + len(phrase)}


def run(lines, *args):
    result = CliRunner().invoke(app, ["resolve", *args], input="".join(line + "\n" for line in lines))
    outputs = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return result, outputs


def test_resolves_each_mention_in_order(settings):
    request = {"id": "a1", "text": TEXT,
               "mentions": [span(TEXT, "Kramatorsk"), span(TEXT, "Donetsk region"), span(TEXT, "Qwxtrovo")]}
    result, [output] = run([json.dumps(request)], "--format", "jsonl")
    assert result.exit_code == 0
    assert output["id"] == "a1"
    kramatorsk, region, unknown = output["mentions"]
    assert (kramatorsk["name"], kramatorsk["precision"], kramatorsk["country"]) == ("Kramatorsk", 1, "UA")
    assert 48.6 < kramatorsk["lat"] < 48.8 and 37.4 < kramatorsk["lon"] < 37.7
    assert (region["feature"], region["precision"]) == ("ADM1", 3)
    assert [unknown[key] for key in ("geonameid", "name", "lat", "lon", "feature", "precision")] == [None] * 6
    assert unknown["unresolved"] == "not in gazetteer"
    assert [(m["start"], m["end"]) for m in output["mentions"]] == [
        (s["start"], s["end"]) for s in request["mentions"]]


@pytest.mark.parametrize("bad, cause", [
    ("{not json", "not JSON"),
    ("[1, 2]", "not a JSON object"),
    ('{"id": 1, "mentions": []}', '"text" is missing'),
    ('{"id": 1, "text": "Kyiv", "mentions": [{"start": 0}]}', "must be integers"),
    ('{"id": 1, "text": "Kyiv", "mentions": [{"start": 2, "end": 40}]}', "not inside the text"),
])
def test_a_bad_line_is_named_and_the_others_still_resolve(settings, bad, cause):
    good = json.dumps({"id": "ok", "text": "Shelling hit Kherson.", "mentions": [{"start": 13, "end": 20}]})
    result, outputs = run([good, bad, good])
    assert result.exit_code == 1
    assert [output["id"] for output in outputs] == ["ok", "ok"]
    assert outputs[0]["mentions"][0]["name"] == "Kherson"
    [line] = [line for line in result.stderr.splitlines() if line.strip()]
    assert line.startswith("sitrep: <stdin>:2: ") and cause in line


def test_blank_lines_are_skipped_and_line_numbers_kept(settings):
    result, outputs = run(["", '{"id": 7, "text": "Kyiv", "mentions": "no"}'])
    assert result.exit_code == 1 and outputs == []
    assert "<stdin>:2:" in result.stderr


def test_unknown_format_is_a_usage_error(settings):
    result, _ = run([], "--format", "csv")
    assert result.exit_code == 2
    assert "--format" in result.stderr
