#!/usr/bin/env bash
# The HTTP figures of BENCHMARKS.md: wrk against `tepat serve` on a copy of the national demo database (make demo
# first). Reads the readiness of every regency in turn, then posts new handover documents (a dispatch to a PPK and
# its receipt) durably from 32 connections, then reports the server's peak memory. The demo database itself is
# left untouched.
#   TEPAT_BENCH_DB       the prepared demo database (default out/demo.db)
#   TEPAT_BENCH_TPS      its TPS file (default out/pemilu-2024-tps.csv, written by the demo)
#   TEPAT_BENCH_SECONDS  how long each wrk run lasts (default 20)
#   TEPAT_BENCH_PORT     where the server listens on loopback (default 18080)
#   TEPAT_BENCH_RUNS     which runs (default "readiness post mixed")
set -euo pipefail
cd "$(dirname "$0")/.."
tepat=$PWD/build/tepat
source_db=${TEPAT_BENCH_DB:-out/demo.db}
tps_csv=${TEPAT_BENCH_TPS:-out/pemilu-2024-tps.csv}
seconds=${TEPAT_BENCH_SECONDS:-20}
port=${TEPAT_BENCH_PORT:-18080}
runs=" ${TEPAT_BENCH_RUNS:-readiness post mixed} "
dir="${TMPDIR:-/tmp}/tepat-bench-http"
url="http://127.0.0.1:$port"

if [ ! -f "$source_db" ] || [ ! -f "$tps_csv" ]; then
  echo "bench-http: $source_db or $tps_csv does not exist; prepare it with: TEPAT_DEMO_SERVE=0 make demo" >&2
  exit 1
fi
rm -rf "$dir"
mkdir -p "$dir"
db="$dir/http.db"
cp "$source_db" "$db"
if [ -f "$source_db-wal" ]; then cp "$source_db-wal" "$db-wal"; fi

password=$(head -c 18 /dev/urandom | base64)
printf '%s\n' "$password" | $tepat --db "$db" user add bench-http --role admin --password-stdin >/dev/null
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

$tepat --db "$db" serve --listen "127.0.0.1:$port" --elections pemilu-2024 > "$dir/serve.log" 2>&1 &
server=$!
trap 'kill -TERM $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
start=$(date +%s)
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/readyz")" = 200 ]; do
  if ! kill -0 $server 2>/dev/null; then cat "$dir/serve.log" >&2; exit 1; fi
  sleep 0.5
done
echo "tepat serve: ready after $(($(date +%s) - start)) s; $(wc -l < "$dir/regencies.txt") regencies, $(wc -l < "$dir/tps.txt") TPS to deliver to"

login=$(printf '{"username":"bench-http","password":"%s"}' "$password")
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
echo "Handover documents posted (a PPS dispatch to a KPPS, then its receipt), durable, by 32 connections (wrk -t2 -c32 -d${seconds}s):"
TEPAT_TPS="$dir/tps.txt" TEPAT_TOKEN="$token" TEPAT_RUN=$(date +%s) \
  wrk -t2 -c32 -d"${seconds}s" --latency -s bench/http/post.lua "$url"
fi

if [[ $runs == *" mixed "* ]]; then
echo
echo "Both at once: readiness read by 32 connections while 32 others post (wrk -t1 -c32 -d${seconds}s each):"
TEPAT_TPS="$dir/tps.txt" TEPAT_TOKEN="$token" TEPAT_RUN=$(($(date +%s) + 1)) \
  wrk -t1 -c32 -d"${seconds}s" --latency -s bench/http/post.lua "$url" > "$dir/mixed-post.txt" &
poster=$!
TEPAT_REGIONS="$dir/regencies.txt" wrk -t1 -c32 -d"${seconds}s" --latency -s bench/http/readiness.lua "$url"
wait $poster
cat "$dir/mixed-post.txt"
fi

echo
grep -E '^(VmHWM|VmRSS)' /proc/$server/status | sed 's/^/tepat serve memory: /'
