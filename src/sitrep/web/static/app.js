// sitrep's analyst map: events, claims, contradictions and control over offline outlines (docs/web.md).
// This module keeps the page in line with the URL's state; js/ holds the parts it wires together.
// Every string that comes from the API is untrusted (Telegram posts and outlet names may hold HTML or
// script): it reaches the page only through js/dom.js, never through innerHTML.
import { getAll, getJSON } from "./js/api.js";
import { el } from "./js/dom.js";
import { EventMarkers, controlLayer, legend, loadOutlines, loadPlaces } from "./js/layers.js";
import { eventNodes } from "./js/panel.js";
import { Timeline } from "./js/timeline.js";
import { FILTER_NAMES, LAYER_NAMES, MAX_ZOOM, MIN_ZOOM, eventQuery, isoDate, readState, stateQuery } from "./js/url-state.js";

// On a phone the filters fold away under their summary, leaving the map the height it needs.
const NARROW = "(max-width: 699px)";

const $ = (id) => document.getElementById(id);
const app = {
  state: null,          // what the URL says (js/url-state.js)
  events: [],           // compact events for the current API filters
  loadedQuery: null,    // the query `events` were fetched with
  prefetch: null,       // the first events request, sent before the map is built
  map: null, markers: null, timeline: null,
  layers: { outlines: null, places: null, control: null },
  drawnOnce: false,
  quietMove: false,     // true while the page itself moves the map (see resizeMap)
  shown: { mapped: 0, unmapped: 0 }, // events of the selected range, drawn and without coordinates
};

// ---- state and history ----------------------------------------------------------------------------

// A change the analyst may want to go back from (filters, range, selection) adds a history entry;
// panning and zooming only replace the current one, so Back does not replay every drag.
function commit(changes, { push = true } = {}) {
  Object.assign(app.state, changes);
  const url = stateQuery(app.state);
  if (url === location.search) return;
  if (push) history.pushState(null, "", url); else history.replaceState(null, "", url);
}

function syncForm() {
  const form = $("filters");
  for (const name of FILTER_NAMES) form.elements[name].value = app.state[name];
  $("since").value = app.state.since;
  $("until").value = app.state.until;
  $("control-date").value = app.state.control;
  for (const box of $("layers").querySelectorAll("input[type=checkbox]")) box.checked = app.state.layers.includes(box.name);
}

function showStatus(message) {
  $("status").textContent = message;
}

function reportError(error) {
  showStatus(String(error && error.message ? error.message : error));
  document.body.dataset.ready = "error";
}

// ---- map --------------------------------------------------------------------------------------------

function createMap(config) {
  // Without tiles Leaflet has no maximum zoom, and markercluster then builds clusters for every zoom
  // level without end: the bounds must be explicit.
  const map = L.map("map", { preferCanvas: true, minZoom: MIN_ZOOM, maxZoom: MAX_ZOOM });
  map.setView([app.state.lat, app.state.lon], app.state.z);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Outlines: Natural Earth");
  if (config.tiles) {
    L.tileLayer(config.tiles, { maxZoom: MAX_ZOOM, attribution: "tiles: " + new URL(config.tiles).host }).addTo(map);
  }
  map.createPane("outlines").style.zIndex = 250;
  legend().addTo(map);
  map.on("moveend", () => {
    if (app.quietMove) return;
    const centre = map.getCenter();
    commit({ lat: centre.lat, lon: centre.lng, z: map.getZoom() }, { push: false });
  });
  return map;
}

// The panel takes room from the map: keep the centre where it was, so the URL's view stays true. The
// move is the page's, not the analyst's: it is not written to the URL (a reload would otherwise drift
// by a pixel's rounding each time the panel opens).
function resizeMap() {
  const centre = app.map.getCenter();
  app.quietMove = true;
  try {
    app.map.invalidateSize({ pan: false });
    app.map.setView(centre, app.map.getZoom(), { animate: false });
  } finally {
    app.quietMove = false;
  }
}

function applyLayers() {
  const show = (layer, wanted) => {
    if (!layer) return;
    if (wanted && !app.map.hasLayer(layer)) layer.addTo(app.map);
    if (!wanted) app.map.removeLayer(layer);
  };
  show(app.layers.outlines, app.state.layers.includes("outlines"));
  show(app.layers.places, app.state.layers.includes("places"));
  show(app.markers.cluster, app.state.layers.includes("events"));
}

async function refreshControl() {
  if (app.layers.control) { app.map.removeLayer(app.layers.control); app.layers.control = null; }
  if (!app.state.layers.includes("control")) return;
  const on = app.state.control || app.state.until || new Date().toISOString().slice(0, 10);
  const body = await getJSON(`/api/control?on=${encodeURIComponent(on)}`);
  app.layers.control = controlLayer(body.items || [], on).addTo(app.map);
}

// ---- events, count and timeline -------------------------------------------------------------------------

function mapped(event) {
  return Number.isFinite(event.lat) && Number.isFinite(event.lon);
}

function inRange(event, since, until) {
  if (!since && !until) return true;
  if (!event.start) return false;
  return (!since || (event.end || event.start) >= since) && (!until || event.start <= until);
}

async function loadEvents() {
  const query = eventQuery(app.state).toString();
  if (query === app.loadedQuery) return;
  document.body.dataset.ready = "false";
  showStatus("loading events…");
  const prefetched = app.prefetch && app.prefetch.query === query ? app.prefetch.items : null;
  app.prefetch = null;
  app.events = await (prefetched || getAll("/api/events", eventQuery(app.state)));
  if (!app.drawnOnce) performance.mark("sitrep:events-loaded");
  app.loadedQuery = query;
  app.markers.forget();
  app.timeline.setEvents(app.events);
}

// Draws the events of the selected range; the count shown is the number of markers drawn.
function drawMarkers() {
  const selected = app.events.filter((event) => inRange(event, app.state.since, app.state.until));
  const shown = selected.filter(mapped);
  app.markers.show(shown);
  app.shown = { mapped: shown.length, unmapped: selected.length - shown.length };
  showCount();
  if (!app.drawnOnce) {
    app.drawnOnce = true;
    performance.mark("sitrep:markers-drawn");
  }
  app.timeline.setRange(app.state.since, app.state.until);
  document.body.dataset.ready = "true";
}

// The count and its notes speak of the events layer: with the layer off there is nothing to count.
// Events without coordinates are counted within the selected range, as the markers are.
function showCount() {
  const count = $("count"), { mapped: shown, unmapped } = app.shown;
  count.hidden = !app.state.layers.includes("events");
  count.dataset.count = String(shown);
  count.textContent = `${shown.toLocaleString("en")} event${shown === 1 ? "" : "s"} shown`;
  if (count.hidden) showStatus("");
  else if (shown + unmapped === 0) showStatus(noEventsMessage());
  else showStatus(unmapped ? `${unmapped} without coordinates not mapped` : "");
}

function noEventsMessage() {
  if (app.events.length === 0) return "no events match these filters";
  return "no events in the selected dates";
}

function setRange(since, until) {
  if (since && until && since > until) [since, until] = [until, since];
  commit({ since, until });
  $("since").value = since;
  $("until").value = until;
  drawMarkers();
  if (app.state.layers.includes("control") && !app.state.control) refreshControl().catch(reportError);
}

// ---- event panel -------------------------------------------------------------------------------------

async function selectEvent(id, { push = true } = {}) {
  if (push) commit({ event: id });
  const panel = $("panel"), body = $("panel-body");
  if (panel.hidden) {
    panel.hidden = false;
    document.body.classList.add("panel-open");
    resizeMap();
  }
  body.replaceChildren(el("p", "loading…"));
  let detail;
  try {
    detail = await getJSON(`/api/events/${encodeURIComponent(id)}`);
  } catch (error) {
    if (app.state.event === id) body.replaceChildren(el("p", `could not load the event: ${error.message}`, "error"));
    return;
  }
  if (app.state.event !== id) return; // another event was chosen while this one loaded
  body.replaceChildren(...eventNodes(detail));
  panel.dataset.eventId = id;
}

function closePanel({ push = true } = {}) {
  $("panel").hidden = true;
  document.body.classList.remove("panel-open");
  resizeMap();
  delete $("panel").dataset.eventId;
  if (push) commit({ event: "" });
}

// ---- wiring ---------------------------------------------------------------------------------------------

// Brings the page in line with app.state: events (fetched again only when the API query changed),
// markers, layers, the control layer and the panel.
async function refresh({ push = false } = {}) {
  await loadEvents();
  drawMarkers();
  applyLayers();
  await refreshControl();
  if (app.state.event) {
    if ($("panel").dataset.eventId !== app.state.event) await selectEvent(app.state.event, { push });
  } else if (!$("panel").hidden) {
    closePanel({ push: false });
  }
}

function bindControls() {
  $("filters").addEventListener("submit", (e) => {
    e.preventDefault();
    const changes = {};
    for (const name of FILTER_NAMES) changes[name] = e.target.elements[name].value.trim();
    commit(changes);
    refresh().catch(reportError);
  });
  for (const id of ["since", "until"]) {
    $(id).addEventListener("change", () => setRange(isoDate($("since").value), isoDate($("until").value)));
  }
  $("range-clear").addEventListener("click", () => setRange("", ""));
  $("panel-close").addEventListener("click", () => closePanel());
  $("layers").addEventListener("change", (e) => {
    if (e.target.id === "control-date") {
      commit({ control: isoDate(e.target.value) });
    } else {
      commit({ layers: LAYER_NAMES.filter((name) => $("layers").querySelector(`input[name=${name}]`).checked) });
      applyLayers();
      showCount();
    }
    refreshControl().catch(reportError);
  });
  window.addEventListener("popstate", () => {
    app.state = readState(location.search);
    syncForm();
    app.map.setView([app.state.lat, app.state.lon], app.state.z, { animate: false });
    refresh({ push: false }).catch(reportError);
  });
  window.addEventListener("resize", () => app.timeline.draw());
}

async function start() {
  $("controls").open = !window.matchMedia(NARROW).matches;
  app.state = readState(location.search);
  syncForm();
  // The events are what the analyst came for: ask for them first, while the map is built.
  app.prefetch = { query: eventQuery(app.state).toString(), items: getAll("/api/events", eventQuery(app.state)) };
  app.prefetch.items.catch(() => {}); // a failure is reported when loadEvents awaits it
  const config = await getJSON("/web-config.json").catch(() => ({ tiles: null }));
  app.map = createMap(config);
  app.markers = new EventMarkers((id) => selectEvent(id));
  app.timeline = new Timeline($("histogram"), setRange);
  bindControls();
  await refresh();
  // Outlines after the events: parsing them holds the page's only thread for a while.
  loadOutlines().then((layer) => { app.layers.outlines = layer; applyLayers(); })
    .catch((error) => showStatus(`outlines unavailable: ${error.message}`));
  // Settlements after the events: on a large store both queries compete for the same server.
  loadPlaces().then((layer) => { app.layers.places = layer; applyLayers(); })
    .catch((error) => showStatus(`settlements unavailable: ${error.message}`));
}

start().catch(reportError);
