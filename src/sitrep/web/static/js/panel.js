// The event panel's content: the event, its contradictions side by side, and each claim with its
// source and the quote marked inside the original report.
import { getJSON } from "./api.js";
import { el, safeLink, utf16Index } from "./dom.js";

// How much of the report to show around the quote, in characters on each side.
const CONTEXT_CHARS = 320;
const documents = new Map(); // document id -> Promise<Document>, shared by the claims of a report

function documentOf(id) {
  if (!documents.has(id)) {
    const request = getJSON(`/api/documents/${encodeURIComponent(id)}`);
    request.catch(() => documents.delete(id)); // a failed fetch may be retried later
    documents.set(id, request);
  }
  return documents.get(id);
}

// The panel's nodes for an /api/events/{id} answer.
export function eventNodes(detail) {
  return [eventHeader(detail.event), ...contradictionsSection(detail.contradictions || []),
    claimsSection(detail.event.claims || [])];
}

function dateRange(start, end) {
  return start === end ? start : `${start} to ${end}`;
}

function eventHeader(event) {
  const header = el("header", null, "event-header");
  const title = el("h2", event.event_type + (event.sub_event_type ? ` / ${event.sub_event_type}` : ""));
  if (event.contradicted) title.append(" ", el("span", "contradicted", "badge"));
  const place = event.place || {};
  const facts = el("dl");
  const add = (term, value) => { facts.append(el("dt", term), el("dd", value)); };
  add("Place", [place.name, place.admin1, place.country].filter(Boolean).join(", ") || "unknown");
  const date = event.date;
  add("Dates", date ? `${dateRange(date.start, date.end)} (${date.precision})` : "unknown");
  add("Reported", [event.first_reported, event.last_reported].filter(Boolean).join(" to ") || "unknown");
  add("Independent sources", `${event.independent_sources} (${event.claim_count} claims)`);
  const mix = event.source_mix || {};
  add("Source mix", ["UA", "RU", "third-party", "unknown"].map((side) => `${side} ${mix[side] || 0}`).join(", "));
  if (event.fatalities && event.fatalities.length) add("Fatalities stated", event.fatalities.join(", "));
  header.append(title, facts);
  return header;
}

function claimsSection(claims) {
  const section = el("section", null, "claims");
  section.append(el("h3", `Claims (${claims.length})`));
  for (const claim of claims) section.append(claimCard(claim));
  return section;
}

// The speaker as the report names them, and in Latin letters where the report is in Cyrillic
// (Source.name_latin), so that a reader of either script can follow one person across reports.
function speakerName(source) {
  const parts = [el("strong", source.name || "unknown source")];
  if (source.name_latin && source.name_latin !== source.name) parts.push(" ", el("span", `(${source.name_latin})`, "latin"));
  return parts;
}

function claimCard(claim) {
  const card = el("article", null, "claim");
  card.dataset.claimId = claim.claim_id;
  const source = claim.source || {};
  const who = el("p", null, "source");
  const details = [source.role, `side ${source.side || "unknown"}`, source.kind, source.channel && `via ${source.channel}`]
    .filter(Boolean).join(" · ");
  who.append(...speakerName(source), " ", el("span", details, "muted"));
  const where = el("p", null, "outlet");
  where.append(el("span", claim.outlet || "no outlet"), " ", el("span", claim.published || "undated", "muted"));
  if (claim.status && claim.status !== "asserted") where.append(" ", el("span", claim.status, "badge"));
  if (claim.url) where.append(" ", safeLink(claim.url));
  const excerpt = el("blockquote", claim.text, "excerpt");
  card.append(who, where, excerpt);
  showInDocument(claim, excerpt);
  return card;
}

// Replaces the claim's sentence with the report's text around it, the claim's span in a <mark>.
async function showInDocument(claim, target) {
  let doc;
  try {
    doc = await documentOf(claim.document_id);
  } catch (error) {
    target.after(el("p", `original text unavailable: ${error.message}`, "muted"));
    return;
  }
  const text = doc.text || "";
  const start = utf16Index(text, claim.start), end = utf16Index(text, claim.end);
  if (end <= start) return;
  const from = Math.max(0, start - CONTEXT_CHARS), to = Math.min(text.length, end + CONTEXT_CHARS);
  const excerpt = el("blockquote", null, "excerpt document-text");
  excerpt.append((from > 0 ? "…" : "") + text.slice(from, start), el("mark", text.slice(start, end)),
    text.slice(end, to) + (to < text.length ? "…" : ""));
  target.replaceWith(excerpt);
}

function contradictionsSection(contradictions) {
  if (contradictions.length === 0) return [];
  const section = el("section", null, "contradictions");
  section.append(el("h3", `Contradictions (${contradictions.length})`));
  for (const contradiction of contradictions) {
    const columns = el("div", null, "side-by-side");
    for (const statement of contradiction.statements) columns.append(statementColumn(statement));
    const pair = el("div", null, "contradiction");
    pair.append(el("p", contradiction.kind, "kind"), columns);
    section.append(pair);
  }
  return [section];
}

function statementColumn(statement) {
  const column = el("div", null, "statement");
  const source = statement.source || {};
  const who = el("p", null, "source");
  who.append(...speakerName(source), " ", el("span", `side ${source.side || "unknown"}`, "muted"));
  const quote = el("blockquote", null, "excerpt");
  const words = statement.words || "";
  const at = words ? statement.text.indexOf(words) : -1;
  if (at >= 0) {
    quote.append(statement.text.slice(0, at), el("mark", words), statement.text.slice(at + words.length));
  } else {
    quote.textContent = statement.text;
  }
  column.append(el("p", statement.reading, "reading"), who,
    el("p", [statement.outlet, statement.published].filter(Boolean).join(" · "), "muted"), quote);
  return column;
}
