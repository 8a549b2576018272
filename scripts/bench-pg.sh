#!/usr/bin/env bash
# The PostgreSQL figures of BENCHMARKS.md, beside SQLite's: the national data and ledger imported into PostgreSQL 15
# on loopback (a cluster of its own with PostgreSQL's durable defaults, scripts/pg.sh with TEPAT_PG_DURABLE=1), then
# the HTTP runs of scripts/bench-http.sh against one and against two `tepat serve` on that database. Needs the
# national demo (TEPAT_DEMO_SERVE=0 make demo): its TPS and dapil files, and its ledger, exported to NDJSON.
#   TEPAT_BENCH_PG_PORT   the cluster's port (default 55433)
#   TEPAT_BENCH_SECONDS   how long each wrk run lasts (default 20)
set -euo pipefail
cd "$(dirname "$0")/.."
tepat=$PWD/build/tepat
dir="${TMPDIR:-/tmp}/tepat-bench-pg"
demo=out/demo.db
mkdir -p "$dir"
if [ ! -f "$demo" ] || [ ! -f out/pemilu-2024-tps.csv ] || [ ! -f out/pemilu-2024-dapil.csv ]; then
  echo "bench-pg: prepare the national demo first: TEPAT_DEMO_SERVE=0 make demo" >&2
  exit 1
fi
admin=$(TEPAT_PG_DIR="$dir/cluster" TEPAT_PG_PORT="${TEPAT_BENCH_PG_PORT:-55433}" TEPAT_PG_DURABLE=1 scripts/pg.sh start)
db="${admin%/*}/tepat_bench"
psql -q "$admin" -c "DROP DATABASE IF EXISTS tepat_bench WITH (FORCE)" -c "CREATE DATABASE tepat_bench"

timed() {
  local label=$1
  shift
  /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$@" > "$dir/out.txt"
  read -r seconds kb < "$dir/time.txt"
  printf '  %-58s %8s s  %6d MiB\n' "$label" "$seconds" $((kb / 1024))
}

echo "National data into PostgreSQL ($db):"
timed "tepat init" $tepat --db "$db" init
timed "import regions (91,221 regions)" $tepat --db "$db" import regions data/node_modules/idn-area-data/data
timed "import tps (820,161 TPS)" $tepat --db "$db" import tps --election pemilu-2024 out/pemilu-2024-tps.csv
timed "import dapil" $tepat --db "$db" import dapil --election pemilu-2024 out/pemilu-2024-dapil.csv
$tepat --db "$demo" init > /dev/null
if [ ! -f "$dir/national.ndjson" ]; then $tepat --db "$demo" ledger export --out "$dir/national.ndjson"; fi
timed "ledger import ($(wc -l < "$dir/national.ndjson") documents of the demo)" \
  $tepat --db "$db" ledger import "$dir/national.ndjson"
seconds=$(cut -d' ' -f1 "$dir/time.txt")
lines=$(psql -qtA "$db" -c "SELECT count(*) FROM ledger_movement")
echo "  movement lines: $lines, $(awk -v l="$lines" -v s="$seconds" 'BEGIN { printf "%d", l / s }') lines/s"
timed "ledger verify" $tepat --db "$db" ledger verify
timed "needs --level province" $tepat --db "$db" needs --election pemilu-2024 --level province
timed "readiness --level province" $tepat --db "$db" readiness --election pemilu-2024 --level province
psql -qtA "$db" -c "SELECT 'database size: ' || pg_size_pretty(pg_database_size('tepat_bench'))"

for servers in 1 2; do
  echo
  echo "== HTTP with $servers tepat serve on PostgreSQL =="
  TEPAT_BENCH_DB="$db" TEPAT_BENCH_SERVERS=$servers TEPAT_BENCH_PORT=$((18180 + servers * 10)) scripts/bench-http.sh
done
