#!/usr/bin/env bash
# Installs what tepat needs and is missing on a Debian 12 machine: the build tools and libraries, PostgreSQL and
# Chromium for the tests (apt-get), the reference data and the web application's packages (npm, at the versions and
# integrity hashes pinned in data/package-lock.json and web/package-lock.json). Safe to run again: it installs only
# what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config git
  libsqlite3-dev libcli11-dev libtomlplusplus-dev nlohmann-json3-dev libxlsxwriter-dev libsodium-dev rapidjson-dev libjemalloc-dev libboost1.81-dev wrk curl
  libpq-dev postgresql-15
  libgtest-dev libgmock-dev libbenchmark-dev time
  chromium fonts-dejavu-core
)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# Node.js and npm: any recent installation will do; Debian's packages when there is none.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The web application is built with Vite 8, which needs Node.js 20.19 or newer.
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  echo "setup: Node.js $(node --version) is too old to build the web application (Vite 8 needs 20.19 or newer);" \
    "install a newer Node.js and run again" >&2
  exit 1
fi

# npm packages, pinned by each folder's package-lock.json (npm ci checks the recorded integrity): the reference data
# (idn-area-data) in data/, the web application's build and test tools in web/.
for folder in data web; do
  stamp=$folder/node_modules/.tepat-lock
  if [ ! -f "$stamp" ] || ! cmp -s "$folder/package-lock.json" "$stamp"; then
    echo "setup: installing the npm packages of $folder/ (npm ci)"
    (cd "$folder" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$folder/package-lock.json" "$stamp"
  fi
done
