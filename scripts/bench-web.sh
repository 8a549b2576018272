#!/usr/bin/env bash
# The web figures of BENCHMARKS.md: web/bench/load.mjs (headless Chromium through playwright-core) against
# `tepat serve` on the national demo (make demo first), serving web/dist: the dashboard's first load, each drill-down
# step from the nation to one TPS, and the size of the built JavaScript. The demo database is only read.
#   TEPAT_BENCH_DB    the demo database (default out/demo.db)
#   TEPAT_BENCH_PORT  where the server listens on loopback (default 18090)
set -euo pipefail
cd "$(dirname "$0")/.."
db=${TEPAT_BENCH_DB:-out/demo.db}
port=${TEPAT_BENCH_PORT:-18090}
if [ ! -f "$db" ]; then
  echo "bench-web: prepare the national demo first: TEPAT_DEMO_SERVE=0 make demo" >&2
  exit 1
fi
log="${TMPDIR:-/tmp}/tepat-bench-web.log"
build/tepat --db "$db" serve --listen "127.0.0.1:$port" --static-dir web/dist > "$log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; wait 2>/dev/null || true' EXIT
until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")" = 200 ]; do
  if ! kill -0 $pid 2>/dev/null; then cat "$log" >&2; exit 1; fi
  sleep 0.5
done
cd web && TEPAT_WEB_URL="http://127.0.0.1:$port" node bench/load.mjs
