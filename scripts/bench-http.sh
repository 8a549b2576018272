#!/usr/bin/env bash
# The HTTP figures of BENCHMARKS.md: wrk against `tepat serve` on a copy of the national demo database (make demo
# first), or on a PostgreSQL database holding the same (scripts/bench-pg.sh). Reads the readiness of every regency
# in turn, then posts new handover documents (a PPS's dispatch to a KPPS and its receipt) durably from 32
# connections, then both at once, then reports each server's peak memory. The demo database itself is left untouched.
#   TEPAT_BENCH_DB       the prepared demo database (default out/demo.db), or a postgresql:// URL, used in place
#   TEPAT_BENCH_SERVERS  how many tepat serve processes share the database (default 1); the 32 posting connections
#                        are split between them
#   TEPAT_BENCH_TPS      its TPS file (default out/pemilu-2024-tps.csv, written by the demo)
#   TEPAT_BENCH_SECONDS  how long each wrk run lasts (default 20)
#   TEPAT_BENCH_PORT     where the server listens on loopback (default 18080)
#   TEPAT_BENCH_RUNS     which runs (default "readiness post mixed")
#   TEPAT_BENCH_BIN      the tepat to measure (default build/tepat), e.g. an earlier commit's build, to compare the
#                        two side by side on the same database
set -euo pipefail
cd "$(dirname "$0")/.."
tepat=${TEPAT_BENCH_BIN:-$PWD/build/tepat}
source_db=${TEPAT_BENCH_DB:-out/demo.db}
tps_csv=${TEPAT_BENCH_TPS:-out/pemilu-2024-tps.csv}
seconds=${TEPAT_BENCH_SECONDS:-20}
port=${TEPAT_BENCH_PORT:-18080}
servers=${TEPAT_BENCH_SERVERS:-1}
runs=" ${TEPAT_BENCH_RUNS:-readiness post mixed} "
dir="${TMPDIR:-/tmp}/tepat-bench-http"
url="http://127.0.0.1:$port"

rm -rf "$dir"
mkdir -p "$dir"
if [[ $source_db == postgres*://* ]]; then
  db=$source_db
elif [ -f "$source_db" ] && [ -f "$tps_csv" ]; then
  db="$dir/http.db"
  cp "$source_db" "$db"
  if [ -f "$source_db-wal" ]; then cp "$source_db-wal" "$db-wal"; fi
else
  echo "bench-http: $source_db or $tps_csv does not exist; prepare it with: TEPAT_DEMO_SERVE=0 make demo" >&2
  exit 1
fi

$tepat --db "$db" init >/dev/null  # the copy at the newest schema
password=$(head -c 18 /dev/urandom | base64)
printf '%s\n' "$password" | $tepat --db "$db" user add "bench-http-$$" --role admin --password-stdin >/dev/null
$tepat --db "$db" regions --level regency --format csv | tail -n +2 | cut -d, -f1 > "$dir/regencies.txt"
# One TPS in every district: the first of its first village (the demo's TPS file lists them in code order).
awk -F, 'NR > 1 && !seen[substr($1, 1, 8)]++ { print $1 }' "$tps_csv" > "$dir/tps.txt"
# Stock for the posting run, imported before the server starts: a vendor delivers a million ballot boxes to every
# KPU kabupaten/kota, which hands 10,000 to each PPK, which hands them to the PPS of the village of the TPS above
# (at H-2 most stock is already with the KPPS). Each posting cycle then takes one box from that PPS to the TPS's
# KPPS, which changes the TPS's readiness as a real delivery does.
awk -v regencies="$dir/regencies.txt" '
  function doc(kind, node, rest) {
    printf "{\"id\":\"cccccccc-0000-4000-8000-%012d\",\"kind\":\"%s\",\"election\":\"pemilu-2024\",", ++n, kind
    printf "\"at\":\"2024-02-12T08:00:00+07:00\",\"node\":\"%s\",", node
    printf "\"signed_by\":[{\"name\":\"Bench\",\"role\":\"KPU\"}],%s}\n", rest
    return sprintf("cccccccc-0000-4000-8000-%012d", n)
  }
  function hand(from, to, quantity,   id) {
    id = doc("dispatch", from, "\"to\":\"" to "\",\"lines\":[{\"item\":\"kotak_suara\",\"quantity\":" quantity "}]")
    doc("receipt", to, "\"from\":\"" from "\",\"dispatch\":\"" id "\",\"lines\":[{\"item\":\"kotak_suara\",\"sent\":" \
        quantity ",\"accepted\":" quantity "}]")
  }
  BEGIN {
    while ((getline code < regencies) > 0) {
      doc("goods_receipt", "kpu:" code, "\"number\":\"BTTB/BENCH/" code "\",\"vendor\":\"vendor:tahap1-perlengkapan\"," \
          "\"delivery_note\":\"SJ/BENCH/" code "\",\"lines\":[{\"item\":\"kotak_suara\",\"good\":1000000}]")
    }
  }
  {
    village = substr($1, 1, 13); district = substr($1, 1, 8); regency = substr($1, 1, 5)
    hand("kpu:" regency, "ppk:" district, 10000)
    hand("ppk:" district, "pps:" village, 10000)
  }' "$dir/tps.txt" > "$dir/stock.ndjson"
$tepat --db "$db" ledger import "$dir/stock.ndjson" >/dev/null

pids=()
trap 'for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT
start=$(date +%s)
for ((i = 0; i < servers; i++)); do
  $tepat --db "$db" serve --listen "127.0.0.1:$((port + i))" --elections pemilu-2024 > "$dir/serve-$i.log" 2>&1 &
  pids+=($!)
done
for ((i = 0; i < servers; i++)); do
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$((port + i))/readyz")" = 200 ]; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then cat "$dir/serve-$i.log" >&2; exit 1; fi
    sleep 0.5
  done
done
echo "tepat serve: $servers ready after $(($(date +%s) - start)) s; $(wc -l < "$dir/regencies.txt") regencies, $(wc -l < "$dir/tps.txt") TPS to deliver to"

# Posts from `connections` connections in all, split between the servers, for `seconds`; each wrk's report in turn.
post() {
  local threads=$1 connections=$2 run i wrks=()
  run=$(date +%s%N | cut -c1-9)
  for ((i = 0; i < servers; i++)); do
    TEPAT_TPS="$dir/tps.txt" TEPAT_TOKEN="$token" TEPAT_RUN=$((run * 16 + i)) \
      wrk -t"$threads" -c$((connections / servers)) -d"${seconds}s" --latency -s bench/http/post.lua \
      "http://127.0.0.1:$((port + i))" > "$dir/post-$i.txt" &
    wrks+=($!)
  done
  wait "${wrks[@]}"
  for ((i = 0; i < servers; i++)); do
    if [ "$servers" -gt 1 ]; then echo "-- through server $((i + 1)) of $servers:"; fi
    cat "$dir/post-$i.txt"
  done
}

login=$(printf '{"username":"bench-http-%s","password":"%s"}' "$$" "$password")
token=$(curl -sf -H 'Content-Type: application/json' -d "$login" "$url/api/v1/auth/login" |
  sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
if [ -z "$token" ]; then echo "bench-http: login failed" >&2; exit 1; fi

if [[ $runs == *" readiness "* ]]; then
echo
echo "Readiness of a regency with its districts, every regency in turn (wrk -t2 -c32 -d${seconds}s):"
TEPAT_REGIONS="$dir/regencies.txt" wrk -t2 -c32 -d"${seconds}s" --latency -s bench/http/readiness.lua "$url"
fi

if [[ $runs == *" post "* ]]; then
echo
echo "Handover documents posted (a PPS dispatch to a KPPS, then its receipt), durable, by 32 connections through $servers server(s) (${seconds}s):"
post $((servers > 1 ? 1 : 2)) 32
fi

if [[ $runs == *" mixed "* ]]; then
echo
echo "Both at once: readiness read by 32 connections while 32 others post (${seconds}s):"
post 1 32 > "$dir/mixed-post.txt" &
poster=$!
TEPAT_REGIONS="$dir/regencies.txt" wrk -t1 -c32 -d"${seconds}s" --latency -s bench/http/readiness.lua "$url"
wait $poster
cat "$dir/mixed-post.txt"
fi

echo
for ((i = 0; i < servers; i++)); do
  grep -E '^(VmHWM|VmRSS)' "/proc/${pids[$i]}/status" | sed "s/^/tepat serve $((i + 1)) memory: /"
done
