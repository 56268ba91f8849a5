#!/usr/bin/env bash
# Debian packages that the tests and the demo use, installed only when missing:
#   postgresql  - a real server for the PostgreSQL store tests (started by the tests on loopback)
#   postgresql-postgis - PostGIS, which the PostgreSQL backend uses where a server has it
#   chromium    - the real headless browser for the web map tests (driven by Playwright)
# Runs apt-get as root (CI) or through sudo. SITREP_SKIP_SYSTEM=1 skips it, for machines where
# these are managed otherwise; the tests that need them then skip with the reason.
set -euo pipefail
if [ "${SITREP_SKIP_SYSTEM:-0}" = 1 ]; then exit 0; fi
need=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
compgen -G "/usr/share/postgresql/*/extension/postgis.control" >/dev/null || need+=(postgresql-postgis)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ ${#need[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: apt-get not found; install ${need[*]} yourself (or set SITREP_SKIP_SYSTEM=1)" >&2
  exit 2
fi
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
echo "setup: installing Debian packages: ${need[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
