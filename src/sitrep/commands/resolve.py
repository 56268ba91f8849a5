"""``sitrep resolve --format jsonl``: resolve mentions a user's own recogniser found."""

from __future__ import annotations

from sitrep.commands.common import fail


def resolve() -> None:
    """Resolve given place mentions (JSON lines on stdin) against the gazetteer."""
    fail("resolve is not built yet", 2)
