#!/usr/bin/env bash
# Installs what tepat needs and is missing on a Debian 12 machine: the build tools and libraries (apt-get) and the
# reference data (npm, at the versions and integrity hashes pinned in data/package-lock.json). Safe to run again:
# it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config git
  libsqlite3-dev libcli11-dev libtomlplusplus-dev nlohmann-json3-dev libxlsxwriter-dev libsodium-dev rapidjson-dev libjemalloc-dev libboost1.81-dev wrk curl
  libpq-dev postgresql-15
  libgtest-dev libgmock-dev libbenchmark-dev time
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

# Reference data: idn-area-data, pinned by data/package-lock.json (npm ci checks the recorded integrity).
stamp=data/node_modules/.tepat-lock
if [ ! -f "$stamp" ] || ! cmp -s data/package-lock.json "$stamp"; then
  echo "setup: installing the reference data (npm ci in data/)"
  (cd data && npm ci --no-audit --no-fund --loglevel=error)
  cp data/package-lock.json "$stamp"
fi
