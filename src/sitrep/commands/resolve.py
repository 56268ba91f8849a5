"""``sitrep resolve --format jsonl``: resolve mentions a user's own recogniser found.

Input, one JSON object a line on stdin: ``{"id": ..., "text": "...", "mentions": [{"start": 0, "end": 7}]}``.
Output, one a line: ``{"id": ..., "mentions": [{"start", "end", "geonameid", "name", "lat", "lon",
"feature", "precision", "country", "admin1", "kind", "unresolved"}]}``, nulls where unresolved. A bad
line is reported as ``<stdin>:LINE: cause``; the other lines are still resolved, and the exit code is 1.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from sitrep.commands.common import EXIT_INPUT_FAILED, EXIT_USAGE, err, fail, guarded
from sitrep.errors import InputError
from sitrep.models import Place

OUTPUT_FIELDS = ("start", "end", "geonameid", "name", "lat", "lon", "feature", "precision", "country", "admin1",
                 "kind", "unresolved")


@guarded
def resolve(format: Annotated[str, typer.Option("--format", help="Input and output format: jsonl.")] = "jsonl") -> None:
    """Resolve given place mentions (JSON lines on stdin) against the gazetteer."""
    if format != "jsonl":
        fail(f"--format {format!r} is not one of: jsonl", EXIT_USAGE)
    gazetteer = _load_gazetteer()
    failed = False
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            sys.stdout.write(resolve_line(line, gazetteer, f"<stdin>:{number}") + "\n")
        except InputError as error:
            err.print(f"sitrep: {error}", markup=False, highlight=False)
            failed = True
    if failed:
        raise typer.Exit(EXIT_INPUT_FAILED)


def resolve_line(line: str, gazetteer, where: str) -> str:
    """One input line to one output line; an InputError naming ``where`` when the line is bad."""
    from sitrep.extract.geoparse import resolve_mentions

    item_id, text, spans = _parse(line, where)
    try:
        places = resolve_mentions(text, spans, gazetteer)
    except InputError as error:
        raise InputError(where, error.cause) from None
    return json.dumps({"id": item_id, "mentions": [_output(place) for place in places]}, ensure_ascii=False)


def _parse(line: str, where: str) -> tuple[object, str, list[tuple[int, int]]]:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(where, f"not JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(item, dict):
        raise InputError(where, "not a JSON object; expected {\"id\", \"text\", \"mentions\"}")
    text, mentions = item.get("text"), item.get("mentions", [])
    if not isinstance(text, str):
        raise InputError(where, "\"text\" is missing or not a string")
    if not isinstance(mentions, list):
        raise InputError(where, "\"mentions\" is not a list of {\"start\", \"end\"}")
    return item.get("id"), text, [_span(mention, index, where) for index, mention in enumerate(mentions)]


def _span(mention: object, index: int, where: str) -> tuple[int, int]:
    if not isinstance(mention, dict):
        raise InputError(where, f"mention {index} is not an object with \"start\" and \"end\"")
    start, end = mention.get("start"), mention.get("end")
    if not all(isinstance(value, int) and not isinstance(value, bool) for value in (start, end)):
        raise InputError(where, f"mention {index}: \"start\" and \"end\" must be integers")
    return start, end


def _output(place: Place) -> dict:
    return place.model_dump(include=set(OUTPUT_FIELDS))


def _load_gazetteer():
    from sitrep.settings import get_settings

    settings = get_settings()
    try:
        from sitrep.gazetteer import load_gazetteer
    except ImportError:  # before the full gazetteer lands, the built-in one
        from sitrep.gazetteer.builtin import load_builtin

        return load_builtin(settings.home / "cache")
    return load_gazetteer(settings)
