"""How records look to a person: Rich tables, a highlighted document view, and CSV."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from sitrep import csvsafe
from sitrep.models import Claim, Document, Event, Extraction, Place
from sitrep.service import IngestReport
from sitrep.store import StoredClaim

# Long claim texts are shortened in tables; the full text is in jsonl/csv output and `sitrep show`.
TABLE_TEXT_CHARS = 160
# Below this many columns a six-column table wraps every cell into a tall strip; list instead.
WIDE_CONSOLE = 120


@dataclass(frozen=True)
class ClaimRow:
    document_id: str
    published: str
    claim: Claim
    places: list[Place]


def rows_from_extraction(extraction: Extraction) -> list[ClaimRow]:
    document = extraction.document
    published = document.published.isoformat() if document.published else ""
    return [ClaimRow(document.id, published, claim,
                     [p for p in extraction.places if claim.start <= p.start and p.end <= claim.end
                      and p.kind == "toponym"])
            for claim in extraction.claims]


def rows_from_store(stored: Iterable[StoredClaim]) -> list[ClaimRow]:
    return [ClaimRow(item.document_id, item.published.isoformat() if item.published else "", item.claim,
                     [place for place in item.places if place.kind == "toponym"]) for item in stored]


def claims_table(console: Console, rows: list[ClaimRow], title: str | None = None) -> None:
    """A table on a wide console; on a narrow one (or a pipe), two lines per claim."""
    if console.width < WIDE_CONSOLE:
        _claims_list(console, rows, title)
    else:
        _claims_grid(console, rows, title)
    console.print(f"{len(rows)} claims", style="dim")


def _claims_list(console: Console, rows: list[ClaimRow], title: str | None) -> None:
    if title:
        console.rule(title)
    for row in rows:
        source = row.claim.source
        header = Text.assemble((row.document_id[:8], "dim"), " ", row.published, "  ", (source.name, "bold"),
                               f" ({source.kind}/{source.side})")
        if row.places:
            header.append("  @ " + ", ".join(_place_label(place) for place in row.places), style="cyan")
        console.print(header, soft_wrap=True)
        console.print(Text("    " + _shorten(row.claim.text)), soft_wrap=True)
        if row.claim.event:
            console.print(Text("    -> " + _event_label(row.claim.event), style="green"), soft_wrap=True)


def _claims_grid(console: Console, rows: list[ClaimRow], title: str | None) -> None:
    table = Table(title=title, show_lines=False, expand=False)
    for column, style in (("doc", "dim"), ("date", ""), ("source", "bold"), ("kind/side", ""),
                          ("claim", ""), ("event", "green"), ("places", "cyan")):
        table.add_column(column, style=style or None, overflow="fold")
    for row in rows:
        claim = row.claim
        source = claim.source
        table.add_row(*_plain(row.document_id[:8], row.published, source.name, f"{source.kind}/{source.side}",
                              _shorten(claim.text), _event_label(claim.event) if claim.event else "",
                              ", ".join(_place_label(place) for place in row.places)))
    console.print(table)


def _plain(*cells: str) -> list[Text]:
    """Cells as Text, never markup: outlet names and posts are untrusted and may hold "[...]"."""
    return [Text(cell) for cell in cells]


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TABLE_TEXT_CHARS else text[: TABLE_TEXT_CHARS - 1] + "…"


def _event_label(event: Event) -> str:
    """"Armed clash (failed), UA -> RU, 2023-07-10": what, how sure, who, when."""
    parts = [f"{event.sub_event_type} ({event.status})"]
    if event.actor1 or event.actor2:
        parts.append(f"{_side(event.actor1)} -> {_side(event.actor2)}")
    if event.date:
        when = event.date.start.isoformat()
        if event.date.end != event.date.start:
            when += f"..{event.date.end.isoformat()}"
        parts.append(when)
    if event.fatalities:
        parts.append(f"{event.fatalities} killed")
    return ", ".join(parts)


def _side(actor) -> str:
    return actor.side if actor else "?"


def _place_label(place: Place) -> str:
    if place.precision is None:
        return f"{place.mention} (unresolved)"
    return f"{place.name} ({place.precision})"


def documents_table(console: Console, documents: list[Document]) -> None:
    if console.width < WIDE_CONSOLE:
        for document in documents:
            console.print(Text.assemble((document.id, "dim"), " ", _date(document), "  ",
                                        (document.outlet or "", "bold"), f" [{document.channel or '-'}]"), soft_wrap=True)
            console.print(Text("    " + _shorten(document.title or document.text[:80])), soft_wrap=True)
    else:
        table = Table()
        for column in ("id", "published", "outlet", "channel", "title", "chars"):
            table.add_column(column, overflow="fold", no_wrap=column in {"id", "published", "chars"})
        for document in documents:
            table.add_row(*_plain(document.id, _date(document), document.outlet or "", document.channel or "",
                                  _shorten(document.title or document.text[:80]), str(len(document.text))))
        console.print(table)
    console.print(f"{len(documents)} documents", style="dim")


def _date(document: Document) -> str:
    return document.published.isoformat() if document.published else ""


CSV_COLUMNS = ("claim_id", "document_id", "published", "start", "end", "source_name", "source_kind",
               "source_side", "source_role", "source_channel", "quote", "event_type", "sub_event_type",
               "status", "places", "text")


def claims_csv(stream: TextIO, stored: Iterable[StoredClaim]) -> None:
    writer = csvsafe.writer(stream)
    writer.writerow(CSV_COLUMNS)
    for row in rows_from_store(stored):
        claim, source, event = row.claim, row.claim.source, row.claim.event
        writer.writerow([claim.id, row.document_id, row.published, claim.start, claim.end, source.name,
                         source.kind, source.side, source.role or "", source.channel or "", claim.quote or "",
                         event.event_type if event else "", event.sub_event_type if event else "",
                         event.status if event else "", "; ".join(p.name or p.mention for p in row.places), claim.text])


def document_view(console: Console, extraction: Extraction) -> None:
    """The document's text with places (cyan) and captions (dim italic) marked, then its claims."""
    document = extraction.document
    console.rule(f"{document.id}  {document.title or ''}".strip())
    for label, value in (("source", document.source), ("outlet", document.outlet), ("channel", document.channel),
                         ("published", document.published), ("url", document.url)):
        if value:
            console.print(f"[bold]{label}:[/bold] ", Text(str(value)))
    text = Text(document.text)
    for caption in document.captions:
        text.stylize("dim italic", caption.start, caption.end)
    for place in extraction.places:
        text.stylize("bold cyan", place.start, place.end)
    console.print(text)
    for removed in document.removed:
        console.print(Text(f"removed ({removed.reason}): {removed.text}", style="dim strike"))
    claims_table(console, rows_from_extraction(extraction), title="claims")


def ingest_summary(console: Console, report: IngestReport) -> None:
    skipped = f"{report.count('skipped')} skipped, " if report.count("skipped") else ""
    console.print(
        f"{report.count('ingested')} files ingested, {report.count('unchanged')} unchanged, {skipped}"
        f"{report.count('failed')} failed; {report.documents_new} new documents, "
        f"{report.documents_unchanged} already stored", highlight=False)
    for reason, count in sorted(report.skipped.items()):
        console.print(f"skipped {count} item{'' if count == 1 else 's'} with {reason}: no document", highlight=False)
    unread = report.languages.unsupported_summary()
    if unread:
        console.print(f"{unread}: stored and marked with their language, not parsed", highlight=False)
    if report.clustering is not None and report.clustering.documents:
        done = report.clustering
        console.print(f"clustered {done.claims} claims of {done.documents} documents: {done.events_new} new events, "
                      f"{done.signals} control signals, {done.contradictions} new contradictions", highlight=False)
    for error in report.errors:
        console.print(Text(f"failed: {error}", style="red"))
