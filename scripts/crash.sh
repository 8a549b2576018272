#!/usr/bin/env bash
# The crash test: kills `tepat ledger import` with SIGKILL at many random moments during an import, restarting it each
# time, then lets it finish; the result must equal an uninterrupted import's (balances, readiness, the documents in
# the same order), the audit trail must record each document posted exactly once, and `tepat ledger verify` must
# pass. No document may count twice.
#
#   scripts/crash.sh [--kills N] [--region CODE] [--election ID] [--batch N] [--work DIR] [--postgres ADMIN_URL]
#
# Defaults: 50 kills, the scenario of region 35.78 (Kota Surabaya, about 9,700 documents), pemilu-2024, batches of 64
# documents. `--region 35` plays a province; `--region ""` the nation (long: every restart first replays what was
# posted). With `--postgres` the databases are made on that server (`scripts/pg.sh start` prints an ADMIN_URL), each
# from a template database, and dropped at the end; the killed client leaves its open transaction to the server,
# which rolls it back. The short forms run in CI (ctest: crash_short, crash_short_postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
tepat=${TEPAT_BINARY:-$PWD/build/tepat}
kills=50 region=35.78 election=pemilu-2024 batch=64 work= postgres=
while [ $# -gt 0 ]; do
  case "$1" in
    --kills) kills=$2; shift 2 ;;
    --region) region=$2; shift 2 ;;
    --election) election=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --postgres) postgres=$2; shift 2 ;;
    --postgres-from-env)
      # For ctest: the server `make test` started, in TEPAT_TEST_POSTGRES; skipped (77) without it unless required.
      postgres=${TEPAT_TEST_POSTGRES:-}
      if [ -z "$postgres" ]; then
        echo "crash.sh: no PostgreSQL: set TEPAT_TEST_POSTGRES (scripts/pg.sh start prints it)" >&2
        [ "${TEPAT_REQUIRE_POSTGRES:-0}" = 1 ] && exit 1
        exit 77
      fi
      shift ;;
    *) echo "crash.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
work=${work:-$(mktemp -d "${TMPDIR:-/tmp}/tepat-crash.XXXXXX")}
mkdir -p "$work"
regions=data/node_modules/idn-area-data/data

# Databases by name: files in the work folder, or databases on the PostgreSQL server made from the base as a template.
if [ -n "$postgres" ]; then
  prefix="tepat_crash_$$"
  location() { echo "${postgres%/*}/${prefix}_$1"; }
  sql() { psql -qtA "$postgres" -c "$1" >/dev/null; }
  fresh() { sql "DROP DATABASE IF EXISTS ${prefix}_$1 WITH (FORCE)"; sql "CREATE DATABASE ${prefix}_$1 TEMPLATE ${prefix}_base"; }
  cleanup() { for name in base play reference crash; do sql "DROP DATABASE IF EXISTS ${prefix}_$name WITH (FORCE)"; done; }
  trap cleanup EXIT
  sql "CREATE DATABASE ${prefix}_base"
  new_base=1
else
  location() { echo "$work/$1.db"; }
  fresh() { rm -f "$work/$1.db" "$work/$1.db-wal" "$work/$1.db-shm"; cp "$work/base.db" "$work/$1.db"; }
  new_base=0
  [ -f "$work/base.db" ] || new_base=1
fi

# A database with the real regions and the synthetic TPS and dapil, and the scenario's documents.
base=$(location base)
if [ "$new_base" = 1 ]; then
  $tepat --db "$base" init >/dev/null
  $tepat --db "$base" import regions "$regions" >/dev/null
  $tepat --db "$base" generate tps --election "$election" --seed 1 --out "$work/tps.csv" >/dev/null
  $tepat --db "$base" import tps --election "$election" "$work/tps.csv" >/dev/null
  if $tepat election show "$election" | grep -q "dapil (within"; then
    $tepat --db "$base" generate dapil --election "$election" --seed 1 --out "$work/dapil.csv" >/dev/null
    $tepat --db "$base" import dapil --election "$election" "$work/dapil.csv" >/dev/null
  fi
fi
fresh play
region_args=()
[ -n "$region" ] && region_args=(--region "$region")
$tepat --db "$(location play)" scenario play --election "$election" --seed 3 "${region_args[@]}" \
  --truth "$work/truth.csv" --ndjson "$work/docs.ndjson" >/dev/null
documents=$(wc -l < "$work/docs.ndjson")

# The reference: one uninterrupted import.
fresh reference
start=$(date +%s%N)
$tepat --db "$(location reference)" ledger import --batch "$batch" "$work/docs.ndjson" >/dev/null
milliseconds=$((($(date +%s%N) - start) / 1000000))
snapshot() {
  $tepat --db "$1" ledger balances --out "$2.balances.csv"
  $tepat --db "$1" readiness --election "$election" --level district --format csv --out "$2.readiness.csv"
  $tepat --db "$1" readiness problems --election "$election" "${region_args[@]}" --out "$2.problems.csv"
  $tepat --db "$1" ledger export --out "$2.ndjson"
}
snapshot "$(location reference)" "$work/reference"

# The crashes: each run is killed after a random delay within the uninterrupted import's duration.
fresh crash
killed=0 finished=0
while [ "$killed" -lt "$kills" ]; do
  delay=$(awk -v max="$milliseconds" -v r="$RANDOM" 'BEGIN { printf "%.3f", 0.02 + (max / 1000 + 0.3) * r / 32768 }')
  $tepat --db "$(location crash)" ledger import --batch "$batch" "$work/docs.ndjson" >/dev/null 2>"$work/import.err" &
  pid=$!
  sleep "$delay"
  if kill -KILL "$pid" 2>/dev/null; then
    wait "$pid" 2>/dev/null || true
    killed=$((killed + 1))
  else
    wait "$pid" || { cat "$work/import.err" >&2; exit 1; }
    finished=$((finished + 1))
    # The import finished before the kill: start again on a fresh database so that the next kills land mid-import.
    fresh crash
  fi
done
$tepat --db "$(location crash)" ledger import --batch "$batch" "$work/docs.ndjson" >/dev/null
snapshot "$(location crash)" "$work/crash"

status=0
for part in balances.csv readiness.csv problems.csv ndjson; do
  if ! cmp -s "$work/reference.$part" "$work/crash.$part"; then
    echo "crash.sh: $part differs from the uninterrupted import's" >&2
    status=1
  fi
done
cmp -s "$work/truth.csv" "$work/crash.problems.csv" || { echo "crash.sh: readiness differs from the truth" >&2; status=1; }
[ "$(wc -l < "$work/crash.ndjson")" -eq "$documents" ] || { echo "crash.sh: document count differs" >&2; status=1; }
# One audit entry per posted document whatever the kills: each is written in its document's transaction.
$tepat --db "$(location crash)" audit --action document.post --limit 0 --out "$work/crash.audit.csv"
audited=$(awk -F, 'NR > 1 && $8 == "ok"' "$work/crash.audit.csv" | wc -l)
distinct=$(awk -F, 'NR > 1 && $8 == "ok" { print $6 }' "$work/crash.audit.csv" | sort -u | wc -l)
if [ "$audited" -ne "$documents" ] || [ "$distinct" -ne "$documents" ]; then
  echo "crash.sh: the audit trail records $audited posts ($distinct documents) of $documents documents" >&2
  status=1
fi
$tepat --db "$(location crash)" ledger verify || status=1
if [ "$status" -eq 0 ]; then
  echo "crash.sh: $killed kills (SIGKILL) during the import of $documents documents ($finished runs finished first);" \
       "balances, readiness and the ledger equal the uninterrupted import's; one audit entry per document;" \
       "verify passed. Work files: $work"
fi
exit "$status"
