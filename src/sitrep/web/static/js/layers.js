// The map's layers: offline outlines, settlement points, the control layer, the legend and the
// clustered event markers. Leaflet (L), Leaflet.markercluster and topojson-client are globals loaded
// from /vendor before this module.
import { getAll, getJSON } from "./api.js";
import { el } from "./dom.js";

export const TYPE_CLASSES = {
  "Battles": "battles",
  "Explosions/Remote violence": "explosions",
  "Violence against civilians": "civilians",
  "Strategic developments": "strategic",
  "Protests": "protests",
  "Riots": "riots",
};
export const CONTROL_COLOURS = { UA: "#1f5fbf", RU: "#c62828", contested: "#f0a000", unknown: "#8a8a8a" };
// Confidence as opacity, floored so that a weakly held place stays visible.
const MIN_FILL_OPACITY = 0.15, FILL_OPACITY_SPAN = 0.75;
// Zoom 12 shows a town's districts: events there are rarely closer than a cluster's 50 px.
const CLUSTER_UNTIL_ZOOM = 12;
const CLUSTER_RADIUS_PX = 50;

function textNode(text) {
  return el("span", text);
}

export async function loadOutlines() {
  const group = L.layerGroup();
  const [world, admin1] = await Promise.all([getJSON("/vendor/countries-50m.json"), getJSON("/vendor/admin1.geojson")]);
  const countries = topojson.feature(world, world.objects.countries);
  L.geoJSON(countries, { pane: "outlines", interactive: false,
    style: { color: "#555", weight: 1.2, fillColor: "#f4f1ea", fillOpacity: 1 } }).addTo(group);
  L.geoJSON(admin1, { pane: "outlines", interactive: false,
    style: { color: "#999", weight: 0.6, dashArray: "3 3", fill: false } }).addTo(group);
  return group;
}

function mappable(point) {
  return point && Number.isFinite(point.lat) && Number.isFinite(point.lon);
}

export async function loadPlaces() {
  const places = await getAll("/api/places", new URLSearchParams());
  const renderer = L.canvas({ padding: 0.2 });
  const group = L.layerGroup();
  for (const place of places.filter(mappable)) {
    const label = [place.name, place.admin1].filter(Boolean).join(", ") + ` (${place.events} events)`;
    L.circleMarker([place.lat, place.lon], { renderer, radius: 2.5, weight: 0, fillColor: "#444", fillOpacity: 0.7 })
      .bindTooltip(() => textNode(label))
      .addTo(group);
  }
  return group;
}

// Settlements coloured by their control state on `on`, from /api/control items (ControlDay).
export function controlLayer(days, on) {
  // SVG, not canvas: settlements with control signals number hundreds, not thousands, and each keeps
  // a class naming its state that tests and stylesheets can see.
  const renderer = L.svg({ padding: 0.2 });
  const group = L.layerGroup();
  for (const day of days.filter((item) => mappable(item.place))) {
    const state = day.state in CONTROL_COLOURS ? day.state : "unknown";
    const confidence = Math.min(Math.max(Number(day.confidence) || 0, 0), 1);
    const label = `${day.place.name || "?"}: ${state} on ${on} (confidence ${Math.round(100 * confidence)}%)`;
    L.circleMarker([day.place.lat, day.place.lon], {
      renderer, radius: 7, weight: 1, color: CONTROL_COLOURS[state], fillColor: CONTROL_COLOURS[state],
      fillOpacity: MIN_FILL_OPACITY + FILL_OPACITY_SPAN * confidence, opacity: 0.4 + 0.6 * confidence,
      className: "control-" + state,
    }).bindTooltip(() => textNode(label)).addTo(group);
  }
  return group;
}

// A key to the marker shapes and the control colours, built from the same tables the map uses.
export function legend() {
  const control = L.control({ position: "bottomleft" });
  control.onAdd = () => {
    const box = el("div", null, "legend leaflet-bar");
    for (const [type, key] of Object.entries(TYPE_CLASSES)) {
      const row = el("div");
      row.append(el("span", null, `swatch ev ev-${key}`), type);
      box.append(row);
    }
    const contradicted = el("div");
    contradicted.append(el("span", null, "swatch ev ev-other contradicted"), "contradicted");
    const states = el("div", "control: ");
    for (const state of Object.keys(CONTROL_COLOURS)) states.append(el("span", state, `swatch-text control-${state}`), " ");
    box.append(contradicted, states);
    L.DomEvent.disableClickPropagation(box);
    return box;
  };
  return control;
}

function eventTooltip(event) {
  const dates = event.start === event.end ? event.start : `${event.start} to ${event.end}`;
  return textNode(`${event.type}${event.sub_type ? " / " + event.sub_type : ""}: ${event.place || "?"}, `
    + `${dates || "no date"}${event.contradicted ? " (contradicted)" : ""}`);
}

// Clustered event markers. One marker class and listeners on the group, not three listeners per
// marker: with 10,000 events the listeners alone cost more than the clustering.
export class EventMarkers {
  constructor(onSelect) {
    this.icons = new Map();
    this.markers = new Map(); // event id -> marker, kept while the same events are loaded
    this.Marker = L.Marker.extend({
      onAdd(map) {
        L.Marker.prototype.onAdd.call(this, map);
        this._icon.setAttribute("data-event-id", this.options.event.id);
      },
    });
    this.cluster = L.markerClusterGroup({
      showCoverageOnHover: false, maxClusterRadius: CLUSTER_RADIUS_PX, chunkedLoading: false,
      // Above this zoom every event stands alone anyway; fewer levels make the first clustering faster.
      disableClusteringAtZoom: CLUSTER_UNTIL_ZOOM + 1,
    });
    this.cluster.on("click", (e) => onSelect(e.layer.options.event.id));
    // Markers can be tabbed to; Leaflet turns Enter into a click only for markers with popups.
    this.cluster.on("keypress", (e) => {
      if (e.originalEvent.key === "Enter") onSelect(e.layer.options.event.id);
    });
    this.cluster.on("mouseover", (e) => {
      if (!e.layer.getTooltip()) e.layer.bindTooltip(eventTooltip(e.layer.options.event)).openTooltip();
    });
  }

  icon(event) {
    const key = (TYPE_CLASSES[event.type] || "other") + (event.contradicted ? " contradicted" : "");
    if (!this.icons.has(key)) {
      this.icons.set(key, L.divIcon({ className: "ev ev-" + key, iconSize: [16, 16], iconAnchor: [8, 8] }));
    }
    return this.icons.get(key);
  }

  marker(event) {
    let marker = this.markers.get(event.id);
    if (!marker) {
      marker = new this.Marker([event.lat, event.lon], { icon: this.icon(event), event });
      this.markers.set(event.id, marker);
    }
    return marker;
  }

  forget() {
    this.markers.clear();
  }

  show(events) {
    this.cluster.clearLayers();
    this.cluster.addLayers(events.map((event) => this.marker(event)));
  }
}
