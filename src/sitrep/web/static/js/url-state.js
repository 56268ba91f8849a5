// The page's whole state lives in the query string, so that a URL reopens the same view (docs/web.md).

// Where the map opens when the URL names no view: the front, Kharkiv to Kherson.
export const DEFAULT_VIEW = { lat: 48.4, lon: 35.5, z: 6 };
export const MIN_ZOOM = 3, MAX_ZOOM = 16; // a continent at most; a village's streets at least
export const LAYER_NAMES = ["outlines", "places", "events", "control"];
const DEFAULT_LAYERS = ["outlines", "places", "events"];
// Filters the API applies; the date range is applied in the page, so brushing needs no request.
export const FILTER_NAMES = ["type", "side", "source_kind", "q"];

export function isoDate(value) {
  return value && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) ? value : "";
}

function clamp(value, low, high) {
  return Math.min(Math.max(value, low), high);
}

export function readState(search) {
  const params = new URLSearchParams(search);
  const number = (name, fallback) => {
    const value = Number.parseFloat(params.get(name));
    return Number.isFinite(value) ? value : fallback;
  };
  const layers = params.has("layers") ? params.get("layers").split(",").filter((n) => LAYER_NAMES.includes(n))
    : DEFAULT_LAYERS.slice();
  let since = isoDate(params.get("since")), until = isoDate(params.get("until"));
  if (since && until && since > until) [since, until] = [until, since];
  const state = {
    lat: clamp(number("lat", DEFAULT_VIEW.lat), -85, 85), lon: clamp(number("lon", DEFAULT_VIEW.lon), -180, 180),
    z: Math.round(clamp(number("z", DEFAULT_VIEW.z), MIN_ZOOM, MAX_ZOOM)),
    since, until, event: params.get("event") || "", control: isoDate(params.get("control")), layers,
  };
  for (const name of FILTER_NAMES) state[name] = params.get(name) || "";
  return state;
}

export function stateQuery(state) {
  const params = new URLSearchParams();
  params.set("lat", state.lat.toFixed(4));
  params.set("lon", state.lon.toFixed(4));
  params.set("z", String(state.z));
  for (const name of ["since", "until", ...FILTER_NAMES, "event", "control"]) {
    if (state[name]) params.set(name, state[name]);
  }
  params.set("layers", state.layers.join(","));
  return "?" + params.toString();
}

// The API's query for the events of this state (compact items for the map).
export function eventQuery(state) {
  const params = new URLSearchParams({ view: "compact" });
  for (const name of FILTER_NAMES) if (state[name]) params.set(name, state[name]);
  return params;
}
