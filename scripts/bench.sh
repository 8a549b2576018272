#!/usr/bin/env bash
# The figures of BENCHMARKS.md: the Google Benchmark suite on the national data (regions, 820,161 synthetic TPS,
# 2,710 dapil), then the peak memory of national `tepat needs` runs measured by GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p out
build/tepat_bench --benchmark_out=out/bench.json --benchmark_out_format=json "$@"

db="${TMPDIR:-/tmp}/tepat-bench/national.db"
echo
echo "Peak memory (maximum resident set size) of national needs runs on $db:"
for args in "--level province" "--level village --format csv --out /dev/null" "--level tps --format csv --out /dev/null"; do
  # shellcheck disable=SC2086
  kb=$(/usr/bin/time -f "%M" build/tepat --db "$db" needs --election pemilu-2024 $args 2>&1 >/dev/null | tail -1)
  seconds=$( { /usr/bin/time -f "%e" build/tepat --db "$db" needs --election pemilu-2024 $args >/dev/null; } 2>&1 | tail -1)
  printf '  tepat needs --election pemilu-2024 %-45s %6d MiB  %5s s\n' "$args" $((kb / 1024)) "$seconds"
done

# The ledger on the national scenario (written by BM_LedgerImportNational's setup): a whole import into a fresh copy
# of the national database, then verify and readiness over the result.
dir="${TMPDIR:-/tmp}/tepat-bench"
if [ -f "$dir/scenario.ndjson" ]; then
  echo
  echo "Whole commands on the national scenario ($(wc -l < "$dir/scenario.ndjson") documents):"
  rm -f "$dir/memory.db" "$dir/memory.db-wal" "$dir/memory.db-shm"
  cp "$db" "$dir/memory.db"
  run() {
    local label=$1; shift
    /usr/bin/time -f "%M %e" -o "$dir/time.txt" build/tepat --db "$dir/memory.db" "$@" >/dev/null
    read -r kb seconds < "$dir/time.txt"
    printf '  %-62s %6d MiB  %6s s\n' "$label" $((kb / 1024)) "$seconds"
  }
  run "tepat ledger import scenario.ndjson" ledger import "$dir/scenario.ndjson"
  run "tepat ledger verify" ledger verify
  run "tepat readiness --election pemilu-2024 --level province" readiness --election pemilu-2024 --level province
  run "tepat readiness problems --election pemilu-2024" readiness problems --election pemilu-2024 --out /dev/null
  run "tepat readiness tps 35.78.01.1001.001 --election pemilu-2024" readiness tps 35.78.01.1001.001 --election pemilu-2024
  if cmp -s <(build/tepat --db "$dir/memory.db" readiness problems --election pemilu-2024) "$dir/scenario-truth.csv"; then
    echo "  readiness problems equal the scenario's truth ($(($(wc -l < "$dir/scenario-truth.csv") - 1)) rows)"
  else
    echo "  readiness problems DIFFER from the scenario's truth" >&2
    exit 1
  fi
fi

# The simulation as whole commands (BENCHMARKS.md, simulation figures): the plan generated and saved, then 10,000 and
# 1,000 national scenarios, and 10,000 from the ledger's state when the national scenario's ledger is there.
sim_db="$dir/simulate.db"
if [ -f "$dir/memory.db" ]; then sim_db="$dir/memory.db"; else rm -f "$sim_db"; cp "$db" "$sim_db"; fi
echo
echo "Whole simulation commands on $sim_db:"
simulate() {
  local label=$1; shift
  /usr/bin/time -f "%M %e" -o "$dir/time.txt" build/tepat --db "$sim_db" "$@" >/dev/null
  read -r kb seconds < "$dir/time.txt"
  printf '  %-62s %6d MiB  %6s s\n' "$label" $((kb / 1024)) "$seconds"
}
simulate "tepat plan generate --election pemilu-2024" plan generate --election pemilu-2024
simulate "tepat simulate --election pemilu-2024 --scenarios 10000" simulate --election pemilu-2024 --scenarios 10000 --format json
simulate "tepat simulate --election pemilu-2024 --scenarios 1000" simulate --election pemilu-2024 --scenarios 1000 --format json
if [ "$sim_db" = "$dir/memory.db" ]; then
  simulate "tepat simulate --election pemilu-2024 --scenarios 10000 --live" simulate --election pemilu-2024 --scenarios 10000 --live --format json
fi
