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
