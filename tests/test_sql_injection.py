"""SQL injection through every filter, on SQLite and PostgreSQL (docs/security.md).

Every query parameter of every API endpoint (walked from the OpenAPI document, so a new filter is
covered when it is added) and the CLI's filters get payloads built to break out of SQL, LIKE and
full-text syntax. The answer is 200 (or 404 for a lookup) or 422 with the error envelope, never
5xx; no table changes; and a "contains" filter returns exactly the rows whose text holds the
payload literally, so ``%`` finds only a source that has a percent sign in its name.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, inspect, select, table
from typer.testing import CliRunner

from sitrep import corroborate
from sitrep.api import create_app
from sitrep.ingest.base import document_id
from sitrep.models import Actor, Claim, Document, Event, EventDate, Extraction, Place, Source
from sitrep.store import Store

PAYLOADS = [
    "'", '"', "`", "' OR 1=1 --", "' OR '1'='1", '" OR ""="', "1; DROP TABLE claims; --", "'; DROP TABLE events;--",
    "x' UNION SELECT id, record FROM documents --", "' UNION SELECT NULL, version() --", "/* c */ OR 1=1",
    "--", ";", "%", "_", "%%", "%' --", "a_b", "front_line", "100%", "\\", "\\%", "\\_", "\\'", "\x00", "a\x00b",
    "NEAR(", "NEAR(rockets orikhiv, 5)", "*", "rock*", "AND OR NOT", "rockets OR infantry", "text:rockets",
    "source_name:governor", "^rockets", "{text source_name}:rockets", "rockets & !orikhiv", "rockets | infantry",
    "!!", "(", ")", "<->", "rockets:*", "'rockets':*", "\u202egovernor", "Харків", "\U0001F680", "x" * 501,
    "x" * 10_000,
]
# The CLI takes its filters from argv, which cannot hold NUL; a shorter list keeps it quick.
CLI_PAYLOADS = ["'", '"', "' OR 1=1 --", "1; DROP TABLE claims; --", "x' UNION SELECT id, record FROM documents --",
                "%", "_", "front_line", "\\", "\\%", "NEAR(", "*", "x" * 10_000]

# Endpoints and parameters that must be in the OpenAPI walk: a rename that drops one from the walk fails here.
KNOWN_PARAMETERS = {
    "/api/events": {"bbox", "since", "until", "type", "sub_type", "actor", "side", "source_kind", "q", "place",
                    "contradicted", "limit", "cursor", "view"},
    "/api/claims": {"place", "source", "since", "until", "type", "sub_type", "source_kind", "q", "document_id",
                    "limit", "cursor"},
    "/api/documents": {"limit", "cursor", "include_text"},
    "/api/places": {"bbox", "q", "name", "limit", "cursor"},
    "/api/contradictions": {"bbox", "since", "until", "type", "sub_type", "actor", "side", "source_kind", "q",
                            "place", "contradicted", "limit", "cursor"},
    "/api/control": {"on", "place", "bbox"},
    "/api/export": {"format", "limit", "bbox", "q", "place", "actor"},
}
# Filters that mean "the text holds this" and the record text they look in: checked against Python.
CONTAINS = {("/api/claims", "source"), ("/api/events", "actor"), ("/api/places", "q"), ("/api/places", "name")}
# Filters that must equal a stored value: no payload equals one, so an answer must be empty.
EXACT = {("/api/events", "type"), ("/api/events", "sub_type"), ("/api/events", "place"),
         ("/api/claims", "place"), ("/api/claims", "type"), ("/api/claims", "sub_type"),
         ("/api/claims", "document_id"), ("/api/contradictions", "place"), ("/api/contradictions", "type"),
         ("/api/contradictions", "sub_type")}
# Lookups that answer 404 when nothing has the value.
LOOKUPS = {("/api/control", "place"), ("/api/claims", "document_id")}
# Values that make the other parameters of an endpoint valid, so that the payload is what is tested.
REQUIRED = {"/api/control": {"on": "2023-08-12"}, "/api/export": {"format": "jsonl"}}

DAY = dt.date(2023, 8, 12)
ORIKHIV = {"geonameid": 698428, "name": "Orikhiv", "feature": "PPLA3", "admin1": "Zaporizhzhia", "country": "UA",
           "lat": 47.5675, "lon": 35.7848, "precision": 1}
ROBOTYNE = {"geonameid": 697542, "name": "Robotyne", "feature": "PPL", "admin1": "Zaporizhzhia", "country": "UA",
            "lat": 47.4456, "lon": 35.8367, "precision": 1}
# Sources and words chosen to hold the characters that SQL, LIKE and FTS treat specially.
SOURCES = {
    "governor": Source(name="regional governor", kind="official", side="UA"),
    "channel": Source(name="Front_Line 100% Z", kind="milblogger", side="RU"),
    "quoted": Source(name="O'Neill \\ Ops-Room (\"Zaporizhzhia\")", kind="journalist", side="third-party"),
}
REPORTS = [
    ("Two civilians were killed when Russian rockets hit Orikhiv, the regional governor said.",
     "governor", ORIKHIV, 2, "RU_forces"),
    ("More than thirty soldiers were killed when rockets hit Orikhiv; 100% of the depot burned, the channel claimed.",
     "channel", ORIKHIV, 30, None),
    ('Ukrainian units repelled an "assault" near Robotyne, according to O\'Neill\'s OR-NEAR(desk) notes.',
     "quoted", ROBOTYNE, None, "UA"),
]


def _extraction(sentence: str, source: Source, place: dict, fatalities: int | None, actor: str | None) -> Extraction:
    doc_id = document_id(sentence)
    at = sentence.index(place["name"])
    places = [Place(mention=place["name"], start=at, end=at + len(place["name"]), **place)]
    actor1 = Actor(name=f"{actor} unit", side="RU" if actor.startswith("RU") else "UA") if actor else None
    event = Event(event_type="Explosions/Remote violence", sub_event_type="Shelling/artillery/missile attack",
                  fatalities=fatalities, place=0, actor1=actor1, date=EventDate(start=DAY, end=DAY, precision="day"))
    claim = Claim(id=f"{doc_id}:0-{len(sentence)}", start=0, end=len(sentence), text=sentence, confidence=0.7,
                  source=source, event=event)
    document = Document(id=doc_id, source=f"test#{doc_id[:6]}", text=sentence, published=DAY,
                        outlet="Outlet's \"Desk\" 50%", url=f"https://example.org/{doc_id}")
    return Extraction(document=document, places=places, claims=[claim])


@pytest.fixture()
def filled(store) -> Store:
    for sentence, source, place, fatalities, actor in REPORTS:
        store.add(_extraction(sentence, SOURCES[source], place, fatalities, actor))
    corroborate.update(store)
    assert store.derived_counts()["contradictions"] >= 1  # the fixture must exercise the contradictions filter
    return store


def row_counts(store: Store) -> dict[str, int]:
    """The rows of every table, the search indexes' own tables included."""
    names = inspect(store.engine).get_table_names()
    with store.engine.connect() as connection:
        return {name: connection.execute(select(func.count()).select_from(table(name))).scalar_one()
                for name in names}


def parameters(app) -> dict[str, list[dict]]:
    """Each GET endpoint's query parameters from the OpenAPI document, and its path parameters."""
    found: dict[str, list[dict]] = {}
    for path, operations in app.openapi()["paths"].items():
        if "get" in operations and path.startswith("/api/"):
            found[path] = operations["get"].get("parameters", [])
    return found


def _free_text(parameter: dict) -> bool:
    """Whether a parameter takes any string; numbers, booleans, dates and enums are checked by type
    before sitrep sees them, so the shorter list of payloads is enough for those."""
    schema = json.dumps(parameter.get("schema", {}))
    return not any(mark in schema for mark in ('"integer"', '"boolean"', '"format": "date"', '"enum"'))


def literal_contains(path: str, name: str, payload: str, item: dict) -> bool:
    """Whether ``item`` holds ``payload`` where the filter ``name`` of ``path`` looks (any case)."""
    wanted = payload.lower()
    if path == "/api/claims":
        return wanted in item["claim"]["source"]["name"].lower()
    if path == "/api/places":
        return wanted in item["name"].lower()
    return False  # /api/events?actor: checked through the stored claims below


def expected_actor_events(store: Store, payload: str) -> set[str]:
    return {event.id for event in store.events() for ref in event.claims
            if _actor_text(store, ref.document_id).find(payload.lower()) >= 0}


def _actor_text(store: Store, doc_id: str) -> str:
    claims = store.get_extraction(doc_id).claims
    names = [actor.name for claim in claims if claim.event for actor in (claim.event.actor1, claim.event.actor2)
             if actor is not None]
    return "|".join(names).lower()


def check_answer(response, path: str, name: str, payload: str, store: Store) -> str | None:
    """What is wrong with the answer to one hostile request, or None."""
    allowed = {200, 422} | ({404} if (path, name) in LOOKUPS or "{" in path else set())
    if response.status_code not in allowed:
        return f"{response.status_code}: {response.text[:200]}"
    if response.status_code != 200:
        error = response.json().get("error", {})
        return None if error.get("status") == response.status_code and error.get("message") else "no envelope"
    if path == "/api/export" or "{" in path:
        return None
    items = response.json()["items"]
    if (path, name) in EXACT and items:
        return f"{len(items)} items for an exact filter"
    if (path, name) in CONTAINS and path != "/api/events":
        if not all(literal_contains(path, name, payload, item) for item in items):
            return "an item that does not hold the payload"
        return None
    if (path, name) == ("/api/events", "actor"):
        if {item["id"] for item in items} != expected_actor_events(store, payload):
            return "events other than those whose actor holds the payload"
    return None


def test_every_api_parameter_survives_injection_payloads(filled):
    client = TestClient(create_app(store=filled, token="t0ken"), raise_server_exceptions=False)
    walked = parameters(client.app)
    for path, names in KNOWN_PARAMETERS.items():
        assert names <= {parameter["name"] for parameter in walked[path]}, path
    before = row_counts(filled)
    problems = []
    for path, listed in walked.items():
        for parameter in listed:
            name = parameter["name"]
            for payload in PAYLOADS if _free_text(parameter) else CLI_PAYLOADS:
                if parameter["in"] == "path":
                    response = client.get(path.replace("{" + name + "}", quote(payload, safe="")))
                else:
                    response = client.get(path, params={**REQUIRED.get(path, {}), name: payload})
                problem = check_answer(response, path, name, payload, filled)
                if problem:
                    problems.append(f"{path}?{name}={payload[:40]!r}: {problem}")
    assert problems == []
    assert row_counts(filled) == before


@pytest.mark.parametrize(("payload", "sources"), [
    ("%", {"Front_Line 100% Z"}), ("_", {"Front_Line 100% Z"}), ("100%", {"Front_Line 100% Z"}),
    ("e_l", set()), ("\\", {SOURCES["quoted"].name}), ("'", {SOURCES["quoted"].name}),
    ('"', {SOURCES["quoted"].name}), ("' OR 1=1 --", set()), ("GOVERNOR", {"regional governor"}),
    ("%governor", set()), ("\x00", set()),
])
def test_contains_filters_match_the_literal_text(filled, payload, sources):
    client = TestClient(create_app(store=filled), raise_server_exceptions=False)
    found = client.get("/api/claims", params={"source": payload}).json()["items"]
    assert {item["claim"]["source"]["name"] for item in found} == sources


@pytest.mark.parametrize(("q", "matches"), [
    ('"rockets"', 2), ("rockets OR infantry", 0), ("NEAR(rockets orikhiv)", 0), ("rockets orikhiv", 2),
    ("'assault'", 1), ("rock*", 0), ("ORIKHIV:*", 2), ("text:rockets", 0), ("%", 0), ("' OR 1=1 --", 0),
    ("!!", 0), ("<->", 0), ("\x00", 0),
])
def test_full_text_queries_are_words_not_syntax(filled, q, matches):
    """Search syntax is taken as words (all required): ``rockets OR infantry`` needs the word OR too."""
    client = TestClient(create_app(store=filled), raise_server_exceptions=False)
    response = client.get("/api/claims", params={"q": q})
    assert response.status_code == 200, response.text
    found = response.json()["items"]
    words = [word.lower() for word in re.findall(r"\w+", q)]
    assert all(all(word in item["claim"]["text"].lower() for word in words) for item in found)
    assert len(found) == matches


# --- the command line -----------------------------------------------------------------------------

def _cli_items(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def cli_problem(result, command: str, option: str, payload: str) -> str | None:
    if result.exit_code not in (0, 2) or "Traceback" in result.output or "internal error" in result.output:
        return f"exit {result.exit_code}: {result.output[-200:]}"
    if result.exit_code == 2:
        return None if result.output.startswith("sitrep: ") and result.output.count("\n") == 1 else "not one line"
    if command in ("control", "export"):
        return None
    items = _cli_items(result.stdout)
    wanted = payload.lower()
    if option == "--source":
        names = {
            "claims": lambda item: [item["claim"]["source"]["name"]],
            "events": lambda item: [claim["source"]["name"] for claim in item["claims"]],
            "contradictions": lambda item: [statement["source"]["name"] for statement in item["statements"]],
        }[command]
        if not all(any(wanted in name.lower() for name in names(item)) for item in items):
            return "an item whose sources do not hold the payload"
        expected = {"claims": 1, "events": 1, "contradictions": 1}[command] if wanted in "front_line 100% z" else None
        if expected is not None and len(items) < expected:
            return "the item that holds the payload is missing"
    elif items:
        return f"{len(items)} items for an exact filter"
    return None


def test_cli_filters_survive_injection_payloads(filled, db_url):
    from sitrep.cli import app

    runner = CliRunner()
    before = row_counts(filled)
    commands = [("claims", option) for option in ("--place", "--source", "--type")]
    commands += [(command, option) for command in ("events", "contradictions")
                 for option in ("--place", "--source", "--type", "--side")]
    commands += [("export", option) for option in ("--q", "--actor", "--sub-type", "--bbox")]
    problems = []
    for payload in CLI_PAYLOADS:
        for command, option in commands:
            result = runner.invoke(app, [command, "--db", db_url, "--format", "jsonl", option, payload])
            problem = cli_problem(result, command, option, payload)
            if problem:
                problems.append(f"{command} {option} {payload[:40]!r}: {problem}")
        for arguments in ([payload, "--on", "2023-08-12"], ["--region", payload, "--on", "2023-08-12"]):
            result = runner.invoke(app, ["control", *arguments, "--db", db_url, "--format", "jsonl"])
            problem = cli_problem(result, "control", arguments[0], payload)
            if problem:
                problems.append(f"control {arguments[0][:40]!r}: {problem}")
    assert problems == []
    assert row_counts(filled) == before
