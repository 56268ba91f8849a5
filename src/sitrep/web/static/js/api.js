// Reading the REST API: one error line per failure, and lists followed to their last page.

const PAGE_LIMIT = 5000; // the API's MAX_PAGE: fewer round trips for big stores

export async function getJSON(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  let body = null;
  try { body = await response.json(); } catch (_) { /* an empty or non-JSON body: reported below */ }
  if (!response.ok) {
    const message = body && body.error && body.error.message ? body.error.message : response.statusText;
    throw new Error(`${path.split("?")[0]}: ${response.status} ${message}`);
  }
  return body;
}

export async function getAll(path, params) {
  const items = [];
  params.set("limit", String(PAGE_LIMIT));
  let cursor = null;
  do {
    if (cursor) params.set("cursor", cursor);
    const page = await getJSON(`${path}?${params.toString()}`);
    items.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return items;
}
